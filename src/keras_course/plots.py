"""Course plots: colour-blind-safe figures, each with a one-line text summary.

Every function prints what the figure shows (the numbers a screen-reader user
needs) and returns the matplotlib ``Figure``. The figure is closed in pyplot,
so Jupyter shows it once, as the cell's result: make the call the last line
of the cell, or pass the returned figure to ``display()``.
"""

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
    return fig


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
