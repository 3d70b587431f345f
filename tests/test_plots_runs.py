"""plot_histories (several training runs) and plot_predicted_vs_actual (regression predictions)."""

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from keras_course import plots  # noqa: E402

RUN_A = {"loss": [1.0, 0.5, 0.25], "val_loss": [1.2, 0.6, 0.7]}
RUN_B = {"loss": [2.0, 1.0], "val_loss": [2.5, 1.5]}


def test_plot_histories_styles_and_summary(capsys):
    fig = plots.plot_histories({"a": RUN_A, "b": RUN_B}, metric="loss", title="Two runs")
    assert isinstance(fig, Figure)
    (ax,) = fig.axes
    lines = ax.get_lines()
    assert [line.get_label() for line in lines] == ["a, train", "a, validation", "b, train", "b, validation"]
    assert [line.get_linestyle() for line in lines] == ["-", "--", "-", "--"]
    assert lines[0].get_color() == lines[1].get_color() != lines[2].get_color()
    assert list(lines[2].get_xdata()) == [1, 2]
    assert ax.get_xlabel() == "epoch" and ax.get_ylabel() == "loss"
    assert capsys.readouterr().out.strip() == (
        "Two runs (loss): a: train 1 → 0.25, validation best 0.6 at epoch 2 (3 epochs); "
        "b: train 2 → 1, validation best 1.5 at epoch 2 (2 epochs)."
    )


def test_plot_histories_accuracy_is_higher_better_and_train_only(capsys):
    plots.plot_histories({"run": {"accuracy": [0.5, 0.9], "val_accuracy": [0.6, 0.55]}}, metric="accuracy", title="T")
    assert "validation best 0.6 at epoch 1" in capsys.readouterr().out
    plots.plot_histories({"run": {"mae": [3.0, 2.0]}}, metric="mae", title="T")
    assert capsys.readouterr().out.strip() == "T (mae): run: train 3 → 2 (2 epochs)."


def test_plot_histories_rejects_missing_metric_and_empty():
    with pytest.raises(ValueError, match="mae"):
        plots.plot_histories({"a": RUN_A}, metric="mae")
    with pytest.raises(ValueError, match="empty"):
        plots.plot_histories({})


def test_plot_predicted_vs_actual_one_and_several(capsys):
    y = np.array([10.0, 20.0, 30.0])
    fig = plots.plot_predicted_vs_actual(y, np.array([12.0, 20.0, 25.0]), unit="k$", title="Prices")
    (ax,) = fig.axes
    assert ax.get_xlabel() == "actual (k$)" and ax.get_ylabel() == "predicted (k$)"
    assert capsys.readouterr().out.strip() == (
        "Prices: 3 samples; predictions: mean absolute error 2.33 k$, largest 5 (true 30, predicted 25)."
    )
    plots.plot_predicted_vs_actual(y, {"m1": y + 1, "m2": [[10.0], [20.0], [30.0]]}, title="Two")
    out = capsys.readouterr().out
    assert "m1: mean absolute error 1," in out and "m2: mean absolute error 0," in out


def test_plot_predicted_vs_actual_rejects_length_mismatch():
    with pytest.raises(ValueError, match="2 in 'bad'"):
        plots.plot_predicted_vs_actual([1.0, 2.0, 3.0], {"bad": [1.0, 2.0]})
