"""``keras-course data``: where each dataset would come from, and pre-fetching them."""

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
        "status", help="which datasets the mirror and the Keras cache hold",
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
    """Print a table: per dataset, the mirror's and the Keras cache's files, and what a load would use."""
    try:
        mirror = datasets.mirror_dir()
    except DatasetError as err:
        print(f"error: {err}")
        return 1
    cache = datasets.keras_cache_dir()
    print(f"mirror ({ENV_VAR}): {mirror or 'not set'}")
    print(f"Keras cache:        {cache}")
    rows = [("dataset", "mirror", "Keras cache", "a load would use")]
    for name, files in MANIFEST.items():
        in_mirror = mirror is not None and all((mirror / f.path).is_file() for f in files)
        cache_state = _cache_state(cache, files)
        if in_mirror:
            use = "mirror"
        elif cache_state == "yes":
            use = "Keras cache"
        else:
            use = "download (SYNTHETIC if offline)"
        rows.append((name, "yes" if in_mirror else "no" if mirror else "-", cache_state, use))
    widths = [max(len(row[i]) for row in rows) + 2 for i in range(3)]
    for row in rows:
        print("".join(cell.ljust(width) for cell, width in zip(row, widths)) + row[3])
    return 0


def _cache_state(cache, files):
    """'yes', 'no', or which files are missing or fail their checksum."""
    missing = [f.path for f in files if not (cache / f.path).is_file()]
    if len(missing) == len(files):
        return "no"
    bad = [f.path for f in files if f.path not in missing
           and not datasets.checksum_ok(cache / f.path, f.checksum)]
    if bad:
        return "bad checksum: " + ", ".join(bad)
    return "missing: " + ", ".join(missing) if missing else "yes"


def download(args):
    """Fetch every file of every dataset with Keras's get_file and the official checksums."""
    from keras.utils import get_file

    target = args.to.expanduser().resolve() if args.to else None
    failed = []
    for name, files in MANIFEST.items():
        for f in files:
            folder, fname = os.path.split(f.path)
            subdir = str(target / folder) if target else os.path.join("datasets", folder)
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
