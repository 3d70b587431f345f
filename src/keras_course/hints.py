"""Tiered hints for the exercises, asked for from the notebook.

Each exercise's hints sit in the notebook, in a cell right after the task
(``hints.define(3, "first hint", "more detail", "almost there")``); a learner
runs ``hint(3)`` for the first one, ``hint(3, 2)`` for the next. No hint is
the full answer.
"""

_HINTS = {}  # exercise number -> its hints, vaguest first


def define(exercise, *hints):
    """Set the hints of exercise number ``exercise``, from the vaguest to the most detailed."""
    if not hints:
        raise ValueError("define() needs at least one hint")
    _HINTS[int(exercise)] = [str(h) for h in hints]


def available(exercise):
    """How many hints exercise number ``exercise`` has (0 if none)."""
    return len(_HINTS.get(exercise, ()))


def hint(exercise, level=1):
    """Print hint number ``level`` of exercise number ``exercise``."""
    hints = _HINTS.get(exercise)
    if not hints:
        known = ", ".join(map(str, sorted(_HINTS))) or "none yet: run the cells under each exercise's task first"
        print(f"No hints for exercise {exercise!r}. Exercises with hints: {known}.")
        return
    level = min(max(int(level), 1), len(hints))
    more = f" For more detail: hint({exercise}, {level + 1})." if level < len(hints) else " That is the last hint."
    print(f"Hint {level} of {len(hints)} for exercise {exercise}: {hints[level - 1]}{more}")
