"""Plots added for notebooks 03-04: confusion matrix, bars, histogram."""

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from keras_course import plots  # noqa: E402


def test_confusion_matrix_counts_and_summary(capsys):
    fig = plots.plot_confusion_matrix([0, 0, 1, 2, 2, 2], [0, 1, 1, 2, 0, 0], title="CM")
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert (ax.get_xlabel(), ax.get_ylabel(), ax.get_title()) == ("predicted class", "true class", "CM")
    counts = [t.get_text() for t in ax.texts]
    assert counts == ["1", "1", "0", "0", "1", "0", "2", "0", "1"]
    assert capsys.readouterr().out.strip() == (
        "CM: 6 samples, 3 correct (50.0%); most frequent mistakes: true 2 → predicted 0 (2), true 0 → predicted 1 (1).")


def test_confusion_matrix_accepts_probabilities_and_names(capsys):
    probs = np.array([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]])
    plots.plot_confusion_matrix([0, 1, 1], probs, class_names=["neg", "pos"])
    assert "true pos → predicted neg (1)" in capsys.readouterr().out
    plots.plot_confusion_matrix([0, 1, 1, 0], np.array([[0.1], [0.7], [0.95], [0.2]]))
    assert "4 correct (100.0%); no mistakes" in capsys.readouterr().out
    with pytest.raises(ValueError, match="3 labels but 2"):
        plots.plot_confusion_matrix([0, 1, 1], [0, 1])


def test_plot_bars(capsys):
    fig = plots.plot_bars(["a", "b", "c"], [3, 1, 2], xlabel="x", ylabel="n", title="Bars")
    assert len(fig.axes[0].patches) == 3
    assert capsys.readouterr().out.strip() == "Bars: 3 bars, lowest b = 1, highest a = 3."
    with pytest.raises(ValueError):
        plots.plot_bars(["a"], [1, 2], "x", "y", "t")


def test_plot_histogram_marks(capsys):
    fig = plots.plot_histogram([1, 2, 3, 4, 10], xlabel="length (words)", title="H", bins=5, marks={"cut": 3})
    ax = fig.axes[0]
    assert ax.get_legend() is not None and len(ax.get_lines()) == 1
    assert capsys.readouterr().out.strip() == "H: 5 values, median 3, range 1 to 10; 60% at or below cut (3)."


def test_show_table(capsys):
    plots.show_table([{"model": "seed", "accuracy": 0.912345}, {"model": "improved", "accuracy": 0.97}], title="T")
    assert capsys.readouterr().out.splitlines() == [
        "T", "model     accuracy", "--------  --------", "seed      0.9123", "improved  0.97"]
    with pytest.raises(ValueError):
        plots.show_table([])
