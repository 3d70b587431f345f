"""Course plots: figure structure and the printed one-line summaries."""

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from keras_course import plots  # noqa: E402

HISTORY = {
    "accuracy": [0.6, 0.8, 0.9],
    "loss": [0.9, 0.5, 0.3],
    "val_accuracy": [0.5, 0.85, 0.8],
    "val_loss": [1.0, 0.4, 0.45],
}


def test_plot_history_dict(capsys):
    fig = plots.plot_history(HISTORY)
    assert isinstance(fig, Figure)
    assert [ax.get_title() for ax in fig.axes] == ["loss", "accuracy"]
    assert fig.get_suptitle() == "Training curves"
    for ax in fig.axes:
        train, val = ax.get_lines()
        assert ax.get_xlabel() == "epoch"
        assert list(train.get_xdata()) == [1, 2, 3]
        assert (train.get_linestyle(), val.get_linestyle()) == ("-", "--")
        assert ax.get_legend() is not None
    assert capsys.readouterr().out.strip() == (
        "Training curves over 3 epochs: loss 0.9 → 0.3 (train), val_loss best 0.4 at epoch 2; "
        "accuracy 0.6 → 0.9 (train), val_accuracy best 0.85 at epoch 2."
    )


def test_plot_history_picks_metrics_and_rejects_unknown(capsys):
    fig = plots.plot_history({"loss": [2.0, 1.0]}, metrics="loss", title="Fit")
    assert len(fig.axes) == 1 and len(fig.axes[0].get_lines()) == 1
    assert fig.axes[0].get_legend() is None
    assert capsys.readouterr().out.strip() == "Fit over 2 epochs: loss 2 → 1 (train)."
    with pytest.raises(ValueError, match="auc"):
        plots.plot_history(HISTORY, metrics=["auc"])


def test_plot_history_keras_history(capsys):
    keras = pytest.importorskip("keras")
    keras.utils.set_random_seed(0)
    x, y = np.random.rand(32, 4), np.random.randint(0, 2, 32)
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1, activation="sigmoid")])
    model.compile("sgd", "binary_crossentropy", metrics=["accuracy"])
    history = model.fit(x, y, epochs=2, validation_split=0.25, verbose=0)
    fig = plots.plot_history(history)
    assert [ax.get_title() for ax in fig.axes] == ["loss", "accuracy"]
    assert all(len(ax.get_lines()) == 2 for ax in fig.axes)
    out = capsys.readouterr().out
    loss = history.history["loss"]
    assert out.startswith(f"Training curves over 2 epochs: loss {loss[0]:.3g} → {loss[1]:.3g} (train), val_loss best")


def test_show_images_predictions(capsys):
    images = np.random.rand(10, 8, 8)
    labels = np.arange(10) % 3
    predictions = labels.copy()
    predictions[[1, 4, 7]] = (predictions[[1, 4, 7]] + 1) % 3
    fig = plots.show_images(images, labels, predictions, class_names=["a", "b", "c"], ncols=4)
    assert len(fig.axes) == 10  # the two empty grid slots are removed
    assert fig.axes[0].get_title() == "true: a\npred: a"
    wrong = [i for i, ax in enumerate(fig.axes) if ax.title.get_fontweight() == "bold"]
    assert wrong == [1, 4, 7]
    out = capsys.readouterr().out
    assert "10 images (8×8 grayscale); 3 of 10 predictions wrong (image 2: true b, pred c;" in out


def test_show_images_labels_channels_and_probabilities(capsys):
    gray = np.random.rand(3, 5, 5, 1)
    fig = plots.show_images(gray, labels=[0, 1, 2], class_names=["zero", "one", "two"], title="Digits")
    assert [ax.get_title() for ax in fig.axes] == ["zero", "one", "two"]
    assert fig.axes[0].get_images()[0].get_array().shape == (5, 5)
    assert capsys.readouterr().out.strip() == "Digits: 3 images (5×5 grayscale); labels: zero, one, two."

    rgb = np.random.rand(2, 4, 4, 3) * 255  # unscaled floats are shown as 0–1
    probabilities = np.array([[0.9, 0.1], [0.2, 0.8]])
    fig = plots.show_images(rgb, labels=[0, 0], predictions=probabilities)
    assert fig.axes[0].get_images()[0].get_array().max() <= 1
    assert "2 images (4×4 colour); 1 of 2 predictions wrong (image 2: true 0, pred 1)." in capsys.readouterr().out


def test_plot_lines(capsys):
    x = [1, 2, 3, 4]
    fig = plots.plot_lines(
        x, {"sgd": [1.0, 0.8, 0.7, 0.75], "adam": [1.0, 0.4, 0.2, 0.1]}, "epoch", "loss", "Optimisers"
    )
    (ax,) = fig.axes
    assert ax.get_title() == "Optimisers" and (ax.get_xlabel(), ax.get_ylabel()) == ("epoch", "loss")
    sgd, adam = ax.get_lines()
    assert sgd.get_color() != adam.get_color() and sgd.get_linestyle() != adam.get_linestyle()
    assert ax.get_legend() is not None
    assert capsys.readouterr().out.strip() == (
        "Optimisers: sgd final 0.75 (min 0.7 at epoch 3); adam final 0.1 (min 0.1 at epoch 4)."
    )


def test_plot_lines_single_log(capsys):
    fig = plots.plot_lines([0.001, 0.01, 0.1], {"loss": [0.5, 0.3, 2.0]}, "learning rate", "loss", "LR sweep", logx=True)
    (ax,) = fig.axes
    assert ax.get_xscale() == "log" and ax.get_legend() is None
    assert "loss final 2 (min 0.3 at learning rate 0.01)" in capsys.readouterr().out
