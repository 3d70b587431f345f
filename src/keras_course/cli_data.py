"""``keras-course data``: check each dataset file and where a load would take it from; pre-fetch them."""

import os
from pathlib import Path

from keras_course import datasets
from keras_course.datasets import ENV_VAR, MANIFEST, DatasetError


def add_parser(subparsers):
    """Register ``data status`` and ``data download [--to DIR]`` on an argparse subparsers object."""
    parser = subparsers.add_parser(
        "data", help="show or pre-fetch the course's datasets",
        description="Show where each dataset would be loaded from, or pre-fetch them all.")
    actions = parser.add_subparsers(dest="data_action", metavar="ACTION", required=True)
    actions.add_parser(
        "status", help="check the mirror's and the Keras cache's files; show what a load would use",
    ).set_defaults(func=status)
    download_parser = actions.add_parser(
        "download", help="fetch every dataset into the Keras cache, or into a mirror folder")
    download_parser.add_argument(
        "--to", metavar="DIR", type=Path,
        help=f"build a mirror folder for offline use (then set {ENV_VAR}=DIR) "
             "instead of filling the Keras cache")
    download_parser.set_defaults(func=download)
    return parser


def status(args):
    """Check every file of the mirror and the Keras cache; print what a load of each dataset would use.

    Exit code 1 when a file is corrupt. Needs neither Keras nor TensorFlow, so it takes seconds.
    """
    try:
        mirror = datasets.mirror_dir()
    except DatasetError as err:
        print(f"error: {err}")
        return 1
    cache = datasets.keras_cache_dir()
    print(f"mirror ({ENV_VAR}): {mirror or 'not set'}")
    print(f"Keras cache:        {cache}")
    rows = [("dataset", "mirror", "Keras cache", "a load would use")]
    fixes = []
    for name, files in MANIFEST.items():
        in_mirror = _state(mirror, files) if mirror else "-"
        in_cache = _state(cache, files)
        if in_mirror.startswith("corrupt"):
            use = "nothing: the loader stops with an error (fix below)"
            fixes.append(f"{name} in the mirror is {in_mirror}. Fix: replace it with a good copy "
                         f"(`keras-course data download --to {mirror}` on a machine online).")
        elif in_mirror.startswith("ok"):
            use = "mirror"
        elif in_cache.startswith("ok"):
            use = "Keras cache"
        else:
            use = "download (SYNTHETIC if offline)"
        if in_cache.startswith("corrupt"):
            fixes.append(f"{name} in the Keras cache is {in_cache}. Fix: move it away (a load "
                         f"moves it aside itself), then `keras-course data download` when online.")
        rows.append((name, in_mirror, in_cache, use))
    widths = [max(len(row[i]) for row in rows) + 2 for i in range(3)]
    for row in rows:
        print("".join(cell.ljust(width) for cell, width in zip(row, widths)) + row[3])
    for fix in fixes:
        print(fix)
    return 1 if fixes else 0


def _state(folder, files):
    """One dataset's files in ``folder``: 'ok', 'ok (re-packed)', 'no', 'missing: …' or 'corrupt: …'."""
    states = {f.path: datasets.file_state(folder / f.path, f) for f in files}
    corrupt = [f"{path}: {state.removeprefix('corrupt: ')}" for path, state in states.items()
               if state.startswith("corrupt")]
    if corrupt:
        return "corrupt: " + "; ".join(corrupt)
    missing = [path for path, state in states.items() if state == "missing"]
    if len(missing) == len(files):
        return "no"
    if missing:
        return "missing: " + ", ".join(missing)
    return "ok (re-packed)" if "re-packed" in states.values() else "ok"


def download(args):
    """Fetch every file of every dataset with Keras's get_file and the official checksums."""
    from keras.utils import get_file

    target = args.to.expanduser().resolve() if args.to else None
    failed = []
    for name, files in MANIFEST.items():
        for f in files:
            folder, fname = os.path.split(f.path)
            subdir = str(target / folder) if target else os.path.join("datasets", folder)
            existing = (target or datasets.keras_cache_dir()) / f.path
            if datasets.keep_or_set_aside(existing, f):
                print(f"kept   {name}: {existing} (a re-packed copy with the right content; "
                      f"move it away to fetch Keras's own)")
                continue
            try:
                path = get_file(fname=fname, origin=f.origin, file_hash=f.checksum,
                                cache_subdir=subdir)
            except Exception as err:
                failed.append(f.path)
                print(f"FAILED {name}: {f.path}: {err}")
            else:
                print(f"ok     {name}: {path}")
    if failed:
        print(f"\n{len(failed)} file(s) could not be fetched ({', '.join(failed)}). "
              "Check the internet connection and run the command again, or copy a "
              f"mirror folder from a machine that has one and set {ENV_VAR} to it.")
        return 1
    if target:
        print(f"\nMirror ready. Point the course at it with:\n  export {ENV_VAR}={target}")
    return 0
