"""Course plots: colour-blind-safe figures, each with a one-line text summary.

Every function prints what the figure shows (the numbers a screen-reader user
needs) and returns the matplotlib ``Figure``. The figure is closed in pyplot,
so Jupyter shows it once, as the cell's result: make the call the last line
of the cell, or pass the returned figure to ``display()``.

The summary is also the image's alt text. JupyterLab's image renderer sets no
``alt`` (it ignores output metadata), so the figure is shown as an HTML
``<img alt=...>`` that JupyterLab and Colab display, next to the usual PNG that
nbgrader and plain-image viewers use; the PNG's metadata carries the alt text too.
"""

import base64
import functools
import html
import io
import math

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import MaxNLocator

# Okabe & Ito (2008), "Color Universal Design": distinguishable with every common colour-vision deficiency.
OKABE_ITO = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "bluish green": "#009E73",
    "vermillion": "#D55E00",
    "reddish purple": "#CC79A7",
    "sky blue": "#56B4E9",
    "yellow": "#F0E442",
    "black": "#000000",
}

# Lower is better for metrics whose name contains one of these.
_LOWER_IS_BETTER = ("loss", "error", "mae", "mse", "mape", "msle", "crossentropy", "hinge", "divergence", "poisson")
_LINE_STYLES = ("solid", "dashed", "dotted", "dashdot")


def _colour(i):
    return list(OKABE_ITO.values())[i % len(OKABE_ITO)]


def _num(value):
    """Format a number for a summary: 3 significant digits, no exponent below 1000."""
    return f"{value:.3g}" if abs(value) < 1000 else f"{value:.0f}"


def _finish(fig, summary):
    print(summary)
    plt.close(fig)
    fig._repr_mimebundle_ = functools.partial(_mime_bundle, fig, summary)  # a partial, not a lambda: the figure still pickles
    return fig


def _mime_bundle(fig, alt, include=None, exclude=None):
    """What Jupyter shows for a course figure: PNG, the same PNG as ``<img>`` with ``alt``, the summary as text."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight")
    png = base64.b64encode(buffer.getvalue()).decode("ascii")
    img = f'<img src="data:image/png;base64,{png}" alt="{html.escape(alt)}">'
    return {"image/png": png, "text/html": img, "text/plain": alt}, {"image/png": {"alt": alt}}


def _best_index(values, lower):
    """Index of the first lowest (or highest) finite value; None when no value is finite."""
    finite = [i for i, v in enumerate(values) if math.isfinite(v)]
    if not finite:
        return None
    return (min if lower else max)(finite, key=lambda i: values[i])


def plot_history(history, metrics=None, title="Training curves", logy=False):
    """Plot training curves: one panel per metric, train solid and validation dashed.

    ``history`` is a keras ``History`` (what ``fit`` returns) or its ``.history``
    dict; ``metrics`` picks panels by name (default: every metric, loss first);
    ``logy`` draws the values on a logarithmic axis.
    """
    logs = {name: [float(v) for v in values] for name, values in getattr(history, "history", history).items()}
    if not logs or not any(logs.values()):
        raise ValueError("plot_history: the history is empty; did fit() run for at least one epoch?")
    if isinstance(metrics, str):
        metrics = [metrics]
    elif metrics is None:
        metrics = sorted((m for m in logs if not m.startswith("val_")), key=lambda m: m != "loss")
    missing = [m for m in metrics if m not in logs]
    if missing:
        raise ValueError(f"plot_history: no metric {missing} in the history; it has {sorted(logs)}.")

    epochs = len(logs[metrics[0]])
    fig, axes = plt.subplots(1, len(metrics), figsize=(4.5 * len(metrics), 3.5), squeeze=False, layout="constrained")
    parts = []
    for ax, name in zip(axes[0], metrics):
        train = logs[name]
        ax.plot(range(1, len(train) + 1), train, color=OKABE_ITO["blue"], label="train")
        part = f"{name} {_num(train[0])} → {_num(train[-1])} (train)"
        val = logs.get(f"val_{name}")
        if val:
            ax.plot(range(1, len(val) + 1), val, color=OKABE_ITO["orange"], linestyle="dashed", label="validation")
            ax.legend()
            best = _best_index(val, lower=any(word in name.lower() for word in _LOWER_IS_BETTER))
            part += f", val_{name} " + (f"best {_num(val[best])} at epoch {best + 1}" if best is not None else "has no finite value")
        parts.append(part)
        ax.set(title=name, xlabel="epoch", ylabel=name, yscale="log" if logy else "linear")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.grid(alpha=0.3)
    fig.suptitle(title)
    return _finish(fig, f"{title} over {epochs} epoch{'s' * (epochs != 1)}: " + "; ".join(parts) + ".")


def _as_classes(values):
    """Class ids from ids, names, one-hot labels or predicted probabilities."""
    values = np.asarray(values)
    return values.argmax(axis=-1) if values.ndim == 2 else values


def _displayable(image):
    """Drop a single channel; scale 0–255 float RGB into the 0–1 range imshow expects."""
    image = np.asarray(image)
    if image.ndim == 3 and image.shape[-1] == 1:
        image = image[..., 0]
    if image.ndim == 3 and image.dtype.kind == "f" and image.max() > 1:
        image = image / 255.0
    return image


def show_images(images, labels=None, predictions=None, class_names=None, ncols=8, title=None):
    """Show images in a grid, captioned with their label or "true / pred".

    Images are (H, W), (H, W, 1) or RGB (H, W, 3). Labels and predictions are
    class ids, names, one-hot rows or probabilities; ``class_names`` turns ids
    into names. Wrong predictions are captioned in bold with a vermillion frame.
    """
    images = [_displayable(image) for image in images]
    n = len(images)
    if n == 0:
        raise ValueError("show_images: no images to show.")
    name = (lambda c: str(class_names[int(c)])) if class_names is not None else str
    true = [name(c) for c in _as_classes(labels)] if labels is not None else None
    pred = [name(c) for c in _as_classes(predictions)] if predictions is not None else None
    for given, what in ((true, "labels"), (pred, "predictions")):
        if given is not None and len(given) != n:
            raise ValueError(f"show_images: {n} images but {len(given)} {what}.")
    compare = true is not None and pred is not None
    if title is None:
        title = "Predictions (mistakes in bold, framed)" if compare else "Sample images"

    ncols = min(ncols, n)
    nrows = math.ceil(n / ncols)
    caption_lines = (true is not None) + (pred is not None)
    fig, axes = plt.subplots(
        nrows, ncols, figsize=(1.4 * ncols, (1.4 + 0.25 * caption_lines) * nrows + 0.5), squeeze=False,
        layout="constrained",
    )
    wrong = []
    for i, ax in enumerate(axes.flat):
        if i >= n:
            ax.remove()
            continue
        ax.imshow(images[i], cmap="gray" if images[i].ndim == 2 else None)
        ax.set(xticks=[], yticks=[])
        caption = []
        if true is not None:
            caption.append(f"true: {true[i]}" if compare else true[i])
        if pred is not None:
            caption.append(f"pred: {pred[i]}")
        ax.set_title("\n".join(caption), fontsize=9)
        if compare and true[i] != pred[i]:
            ax.title.set(color=OKABE_ITO["vermillion"], fontweight="bold")
            for spine in ax.spines.values():
                spine.set(color=OKABE_ITO["vermillion"], linewidth=3)
            wrong.append(f"image {i + 1}: true {true[i]}, pred {pred[i]}")
    fig.suptitle(title)

    first = images[0]
    kind = "grayscale" if first.ndim == 2 else "colour"
    summary = f"{title}: {n} images ({first.shape[0]}×{first.shape[1]} {kind})"
    if compare:
        summary += f"; {len(wrong)} of {n} predictions wrong" + (f" ({'; '.join(wrong)})" if wrong else "")
    elif true is not None or pred is not None:
        summary += ("; labels: " if true is not None else "; predictions: ") + ", ".join(true or pred)
    return _finish(fig, summary + ".")


def plot_lines(x, ys, xlabel, ylabel, title, logx=False):
    """Compare several lines over the same x, e.g. the loss curves of several optimisers.

    ``ys`` maps each line's name to its values; lines differ in colour and style.
    """
    if not ys:
        raise ValueError("plot_lines: no lines to plot; ys is empty.")
    x = np.asarray(x)
    fig, ax = plt.subplots(figsize=(6, 4), layout="constrained")
    parts = []
    for i, (name, values) in enumerate(ys.items()):
        values = np.asarray(values, dtype=float)
        if len(values) != len(x):
            raise ValueError(f"plot_lines: {name!r} has {len(values)} values but x has {len(x)}.")
        ax.plot(x, values, color=_colour(i), linestyle=_LINE_STYLES[i % len(_LINE_STYLES)], label=name)
        lowest = _best_index(values, lower=True)
        minimum = f"min {_num(values[lowest])} at {xlabel} {_num(x[lowest])}" if lowest is not None else "no finite value"
        parts.append(f"{name} final {_num(values[-1])} ({minimum})")
    if logx:
        ax.set_xscale("log")
    if len(ys) > 1:
        ax.legend()
    ax.set(title=title, xlabel=xlabel, ylabel=ylabel)
    ax.grid(alpha=0.3)
    return _finish(fig, f"{title}: " + "; ".join(parts) + ".")


def _class_ids(values):
    """Class ids from ids, one-hot rows or probabilities; one sigmoid probability per sample is cut at 0.5."""
    values = np.asarray(values)
    if values.ndim == 2 and values.shape[1] == 1:
        values = values[:, 0]
    if values.ndim == 2:
        return values.argmax(axis=-1)
    if values.dtype.kind == "f" and not np.all(values == np.round(values)):
        return (values >= 0.5).astype(int)
    return values.astype(int)


def plot_confusion_matrix(y_true, y_pred, class_names=None, title="Confusion matrix"):
    """Plot the confusion matrix: row = true class, column = predicted class, count in each cell.

    Labels and predictions are class ids, one-hot rows or probabilities (a single
    sigmoid probability per sample is cut at 0.5). The summary gives the accuracy
    and the most frequent mistakes.
    """
    true, pred = _class_ids(y_true), _class_ids(y_pred)
    if len(true) != len(pred):
        raise ValueError(f"plot_confusion_matrix: {len(true)} labels but {len(pred)} predictions.")
    n = max(int(true.max()), int(pred.max())) + 1 if class_names is None else len(class_names)
    names = [str(c) for c in (class_names if class_names is not None else range(n))]
    matrix = np.zeros((n, n), dtype=int)
    np.add.at(matrix, (true, pred), 1)
    fig, ax = plt.subplots(figsize=(2.8 + 0.55 * max(n, 4), 1.6 + 0.5 * max(n, 4)), layout="constrained")
    image = ax.imshow(matrix, cmap="cividis")
    fig.colorbar(image, ax=ax, label="number of samples")
    for (i, j), count in np.ndenumerate(matrix):
        light = matrix[i, j] > 0.6 * matrix.max()
        ax.text(j, i, str(count), ha="center", va="center", fontsize=8 if n > 6 else 11, color="black" if light else "white")
    ax.set(xticks=range(n), yticks=range(n), xticklabels=names, yticklabels=names,
           xlabel="predicted class", ylabel="true class", title=title)
    off = [(matrix[i, j], names[i], names[j]) for i in range(n) for j in range(n) if i != j and matrix[i, j]]
    worst = sorted(off, key=lambda t: -t[0])[:3]
    summary = f"{title}: {len(true)} samples, {int(np.trace(matrix))} correct ({np.trace(matrix) / len(true):.1%})"
    summary += "; most frequent mistakes: " + ", ".join(f"true {t} → predicted {p} ({c})" for c, t, p in worst) if worst else "; no mistakes"
    return _finish(fig, summary + ".")


def plot_bars(labels, values, xlabel, ylabel, title):
    """Compare one number across categories (class counts, scores of several models) as bars."""
    labels = [str(label) for label in labels]
    values = np.asarray(values, dtype=float)
    if len(labels) != len(values) or not len(values):
        raise ValueError(f"plot_bars: {len(labels)} labels but {len(values)} values.")
    longest = max(len(label) for label in labels)
    fig, ax = plt.subplots(figsize=(max(4.0, (0.6 if longest <= 6 else 1.1) * len(labels) + 1.5), 3.5), layout="constrained")
    ax.bar(labels, values, color=OKABE_ITO["blue"])
    if longest > 6:  # long names: slant them so they do not overlap
        ax.tick_params(axis="x", labelrotation=25)
        for tick in ax.get_xticklabels():
            tick.set_horizontalalignment("right")
    ax.set(title=title, xlabel=xlabel, ylabel=ylabel)
    ax.grid(alpha=0.3, axis="y")
    low, high = int(np.argmin(values)), int(np.argmax(values))
    return _finish(fig, f"{title}: {len(values)} bars, lowest {labels[low]} = {_num(values[low])}, "
                        f"highest {labels[high]} = {_num(values[high])}.")


def plot_histogram(values, xlabel, title, bins=50, marks=None, ylabel="count"):
    """Histogram of ``values``; ``marks`` maps a name to an x value drawn as a vertical line.

    The summary gives the median and, for each mark, the share of values at or below it.
    """
    values = np.asarray(values, dtype=float)
    if not len(values):
        raise ValueError("plot_histogram: no values.")
    fig, ax = plt.subplots(figsize=(6, 3.5), layout="constrained")
    ax.hist(values, bins=bins, color=OKABE_ITO["sky blue"], edgecolor=OKABE_ITO["blue"], label=f"{len(values)} values")
    parts = [f"{len(values)} values, median {_num(np.median(values))}, "
             f"range {_num(values.min())} to {_num(values.max())}"]
    for i, (name, x) in enumerate((marks or {}).items()):
        ax.axvline(x, color=_colour(i + 1), linestyle=_LINE_STYLES[(i + 1) % len(_LINE_STYLES)], label=name)
        parts.append(f"{np.mean(values <= x):.0%} at or below {name} ({_num(x)})")
    if marks:
        ax.legend()
    ax.set(title=title, xlabel=xlabel, ylabel=ylabel)
    ax.grid(alpha=0.3)
    return _finish(fig, f"{title}: " + "; ".join(parts) + ".")


def plot_histories(histories, metric="loss", title=None, logy=False):
    """Compare several training runs on one metric: one colour per run, training solid, validation dashed.

    ``histories`` maps each run's name to a keras ``History`` or its ``.history``
    dict; runs may have different numbers of epochs (e.g. with EarlyStopping).
    """
    if not histories:
        raise ValueError("plot_histories: no runs to plot; histories is empty.")
    title = title or f"{metric} of {len(histories)} runs"
    lower = any(word in metric.lower() for word in _LOWER_IS_BETTER)
    fig, ax = plt.subplots(figsize=(6.5, 4), layout="constrained")
    parts = []
    for i, (name, history) in enumerate(histories.items()):
        logs = getattr(history, "history", history)
        if metric not in logs:
            raise ValueError(f"plot_histories: run {name!r} has no metric {metric!r}; it has {sorted(logs)}.")
        train = [float(v) for v in logs[metric]]
        ax.plot(range(1, len(train) + 1), train, color=_colour(i), label=f"{name}, train")
        part = f"{name}: train {_num(train[0])} → {_num(train[-1])}"
        val = [float(v) for v in logs.get(f"val_{metric}", [])]
        if val:
            ax.plot(range(1, len(val) + 1), val, color=_colour(i), linestyle="dashed", label=f"{name}, validation")
            best = _best_index(val, lower)
            part += f", validation best {_num(val[best])} at epoch {best + 1}" if best is not None else ", validation has no finite value"
        parts.append(part + f" ({len(train)} epochs)")
    ax.set(title=title, xlabel="epoch", ylabel=metric, yscale="log" if logy else "linear")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    return _finish(fig, f"{title} ({metric}): " + "; ".join(parts) + ".")


def plot_predicted_vs_actual(y_true, predictions, unit="", title="Predicted vs actual"):
    """Scatter predictions against true values, with the line of perfect predictions.

    ``predictions`` is one array or a dict {name: array} to compare models; the
    summary gives each one's mean absolute error and largest error, in ``unit``.
    """
    y_true = np.asarray(y_true, dtype=float).ravel()
    if not isinstance(predictions, dict):
        predictions = {"predictions": predictions}
    if not predictions:
        raise ValueError("plot_predicted_vs_actual: no predictions to plot.")
    suffix = f" ({unit})" if unit else ""
    fig, ax = plt.subplots(figsize=(5, 5), layout="constrained")
    markers = ("o", "s", "^", "D")
    low, high = y_true.min(), y_true.max()
    parts = []
    for i, (name, values) in enumerate(predictions.items()):
        values = np.asarray(values, dtype=float).ravel()
        if len(values) != len(y_true):
            raise ValueError(f"plot_predicted_vs_actual: {len(y_true)} true values but {len(values)} in {name!r}.")
        ax.scatter(y_true, values, s=18, alpha=0.7, color=_colour(i), marker=markers[i % len(markers)], label=name)
        errors = np.abs(values - y_true)
        worst = int(np.argmax(errors))
        parts.append(f"{name}: mean absolute error {_num(errors.mean())}{' ' + unit if unit else ''}, largest "
                     f"{_num(errors[worst])} (true {_num(y_true[worst])}, predicted {_num(values[worst])})")
        low, high = min(low, values.min()), max(high, values.max())
    ax.plot([low, high], [low, high], color=OKABE_ITO["black"], linestyle="dotted", label="perfect prediction")
    ax.set(title=title, xlabel=f"actual{suffix}", ylabel=f"predicted{suffix}", aspect="equal")
    ax.grid(alpha=0.3)
    ax.legend()
    return _finish(fig, f"{title}: {len(y_true)} samples; " + "; ".join(parts) + ".")


def show_table(rows, title=None):
    """Print a list of dicts (same keys) as an aligned text table, e.g. a comparison of models.

    Floats are shown with 4 significant digits; the table is text, so it reads
    the same in a notebook, a terminal and a screen reader.
    """
    if not rows:
        raise ValueError("show_table: no rows.")
    columns = list(rows[0])
    cells = [[f"{row.get(c, ''):.4g}" if isinstance(row.get(c), float) else str(row.get(c, "")) for c in columns]
             for row in rows]
    widths = [max(len(str(c)), *(len(r[i]) for r in cells)) for i, c in enumerate(columns)]
    lines = ([title] if title else []) + ["  ".join(str(c).ljust(w) for c, w in zip(columns, widths)).rstrip(),
                                         "  ".join("-" * w for w in widths)]
    lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths)).rstrip() for r in cells]
    print("\n".join(lines))
