"""The course's datasets, offline-capable.

Each loader takes the arguments and returns the values of its Keras 3.15
namesake, and serves the data from the first source that works:

1. a mirror folder named by ``KERAS_COURSE_DATA``, in Keras's cache layout,
   read by Keras's own loader code;
2. Keras's own cache and download;
3. only when both fail, a small, learnable SYNTHETIC sample of the same shapes
   and dtypes, announced by a banner and a ``SyntheticDataWarning``, and noted
   for ``keras-course run``; with ``KERAS_COURSE_REAL_DATA=1`` a ``DatasetError``.

Every call prints one line naming the dataset, its sizes and its source.
Nothing is deleted or overwritten: Keras's ``get_file`` deletes a cached file
that fails its checksum, so the course checks such a file first, uses it when
it holds the right arrays (a mirror's re-packed copy) and otherwise moves it
aside under a new name before Keras fetches a fresh copy.

On another Keras than the pinned one (Colab's, say) these sources are off: each
loader calls Keras's public loader as it is, after a one-line notice.
"""

import gzip
import hashlib
import importlib
import json
import os
import tempfile
import textwrap
import warnings
import zipfile
import zlib
from pathlib import Path
from typing import NamedTuple
from unittest import mock

import numpy as np

from keras_course import results

ENV_VAR = "KERAS_COURSE_DATA"
REAL_DATA_ENV = "KERAS_COURSE_REAL_DATA"  # "1": no synthetic fallback (the tests set it)
KERAS_PIN = "3.15"

_ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"


class DataFile(NamedTuple):
    """One file of a dataset."""

    path: str  # relative to the Keras cache folder (~/.keras/datasets) or a mirror
    origin: str  # the URL Keras downloads it from
    checksum: str  # sha256 (64 hex digits) or md5 (32), as Keras's get_file takes it


# Checksums are the ones Keras's loaders pass to get_file; Keras passes none for
# Fashion-MNIST, so those are the md5s Zalando publishes for the same files.
MANIFEST = {
    "mnist": [
        DataFile("mnist.npz", _ORIGIN + "mnist.npz",
                 "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"),
    ],
    "fashion_mnist": [
        DataFile("fashion-mnist/" + name, _ORIGIN + name, md5)
        for name, md5 in [
            ("train-labels-idx1-ubyte.gz", "25c81989df183df01b3e8a0aad5dffbe"),
            ("train-images-idx3-ubyte.gz", "8d4fb7e6c68d591d4c3dfef9ec88bf0d"),
            ("t10k-labels-idx1-ubyte.gz", "bb300cfdad3c16e7a12a480ee83cd310"),
            ("t10k-images-idx3-ubyte.gz", "bef4ecab320f06d8554ea6380940ec79"),
        ]
    ],
    "imdb": [
        DataFile("imdb.npz", _ORIGIN + "imdb.npz",
                 "69664113be75683a8fe16e3ed0ab59fda8886cb3cd7ada244f7d9544e4676b9f"),
        DataFile("imdb_word_index.json", _ORIGIN + "imdb_word_index.json",
                 "bfafd718b763782e994055a2d397834f"),
    ],
    "boston_housing": [
        DataFile("boston_housing.npz", _ORIGIN + "boston_housing.npz",
                 "f553886a1f8d56431e820c5b82552d9d95cfcb96d1e678153f8839538947dff5"),
    ],
}


_BY_ORIGIN = {f.origin: f for files in MANIFEST.values() for f in files}


class DatasetError(RuntimeError):
    """A dataset file is missing, corrupt or wrong, with the fix in the message."""


class SyntheticDataWarning(UserWarning):
    """The real dataset could not be loaded: a small synthetic sample stands in."""


class _NotInMirror(Exception):
    """The mirror lacks a file (so the next source is tried)."""


class _DownloadFailed(Exception):
    """Keras found no cached copy and could not download one."""


# ---------------------------------------------------------------- public API


def load_mnist(path="mnist.npz"):
    """MNIST digits, as ``keras.datasets.mnist.load_data``."""
    return _load("mnist", lambda keras_module: keras_module.load_data(path=path))


def load_fashion_mnist():
    """Fashion-MNIST, as ``keras.datasets.fashion_mnist.load_data``."""
    return _load("fashion_mnist", lambda keras_module: keras_module.load_data())


def load_imdb(path="imdb.npz", num_words=None, skip_top=0, maxlen=None, seed=113,
              start_char=1, oov_char=2, index_from=3, **kwargs):
    """IMDB reviews as word-rank lists, as ``keras.datasets.imdb.load_data``."""
    return _load("imdb", lambda keras_module: keras_module.load_data(
        path=path, num_words=num_words, skip_top=skip_top, maxlen=maxlen, seed=seed,
        start_char=start_char, oov_char=oov_char, index_from=index_from, **kwargs))


def imdb_word_index(path="imdb_word_index.json"):
    """The IMDB ``{word: rank}`` dict, as ``keras.datasets.imdb.get_word_index``."""
    return _load("imdb", lambda keras_module: keras_module.get_word_index(path=path),
                 what="imdb word index")


def load_boston_housing(path="boston_housing.npz", test_split=0.2, seed=113):
    """Boston housing prices, as ``keras.datasets.boston_housing.load_data``."""
    return _load("boston_housing", lambda keras_module: keras_module.load_data(
        path=path, test_split=test_split, seed=seed))


def mirror_dir():
    """The mirror folder named by KERAS_COURSE_DATA, or None when it is unset."""
    value = os.environ.get(ENV_VAR)
    if not value:
        return None
    folder = Path(value).expanduser()
    if not folder.is_dir():
        raise DatasetError(
            f"{ENV_VAR}={value} is not a directory. Point it at a dataset mirror "
            f"(build one with `keras-course data download --to DIR`), or unset it "
            f"to use the Keras cache/download.")
    return folder


def keras_cache_dir():
    """The folder where Keras caches datasets: ``$KERAS_HOME/datasets``, by default ~/.keras/datasets.

    Computed as Keras computes it, without importing Keras (and TensorFlow).
    """
    home = os.environ.get("KERAS_HOME")
    if not home:
        base = os.path.expanduser("~")
        home = os.path.join(base if os.access(base, os.W_OK) else "/tmp", ".keras")
    return Path(home).expanduser() / "datasets"


def checksum_ok(path, checksum):
    """Whether the file at ``path`` has this sha256 (64 hex digits) or md5 (32)."""
    digest = hashlib.sha256() if len(checksum) == 64 else hashlib.md5()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest() == checksum


def file_state(path, datafile):
    """Check one dataset file: 'missing', 'official' (Keras's checksum), 're-packed'
    (other bytes, the right archive, keys and shapes) or 'corrupt: <reason>'."""
    path = Path(path)
    if not path.is_file():
        return "missing"
    if checksum_ok(path, datafile.checksum):
        return "official"
    problem = _content_problem(path)
    return f"corrupt: {problem}" if problem else "re-packed"


def keep_or_set_aside(path, datafile):
    """Protect a file at ``path`` from Keras's ``get_file``, which deletes a file that fails its checksum.

    Returns True for a re-packed copy with the right content (a course mirror's file): use it
    as it is, without ``get_file``. Moves a corrupt file aside, says where, and returns False,
    so that ``get_file`` fetches a fresh copy. Returns False for an official or missing file.
    """
    path = Path(path)
    state = file_state(path, datafile)
    if state == "re-packed":
        return True
    if state.startswith("corrupt"):
        aside = path.with_name(path.name + ".corrupt")
        n = 1
        while aside.exists():
            n += 1
            aside = path.with_name(f"{path.name}.corrupt{n}")
        try:
            path.rename(aside)
        except OSError as err:
            raise DatasetError(f"{path} is {state}, and it could not be moved aside to {aside} ({err}). "
                               f"Fix: move or delete it yourself, then run this again.") from None
        print(f"[keras_course] {path} is {state}; moved it to {aside} (kept, not deleted) "
              f"to fetch a fresh copy. Delete it yourself once the new copy works.")
    return False


# ---------------------------------------------------------------- the sources


def _load(dataset, call, what=None):
    """Run Keras's loader for ``dataset`` on the first source that works."""
    what = what or dataset
    import keras

    if not keras.__version__.startswith(KERAS_PIN + "."):
        print(f"[keras_course] {what}: Keras {keras.__version__} found, not the course's {KERAS_PIN}: "
              f"using Keras's own loader and download; the course's mirror ({ENV_VAR}) and "
              f"synthetic fallback are off.")
        return call(importlib.import_module(f"keras.datasets.{dataset}"))
    keras_module = _keras_module(dataset)
    mirror = mirror_dir()
    note, failed = "", []  # why each source that was tried could not serve
    if mirror is None:
        failed.append(f"{ENV_VAR} is not set")
    else:
        try:
            return _serve(what, keras_module, call, _mirror_source(mirror))
        except _NotInMirror as missing:
            note = f" ({ENV_VAR} mirror {mirror} has no {missing})"
            failed.append(f"the mirror {mirror} ({ENV_VAR}) has no {missing}")
    try:
        return _serve(what, keras_module, call, _cache_source(keras_module.get_file), note)
    except _DownloadFailed as failure:
        failed.append(str(failure))
    reason = "; ".join(failed)
    if os.environ.get("KERAS_COURSE_GRADING"):  # a grade on synthetic data would be silently wrong
        raise DatasetError(f"{what}: the grader's sandbox could not load the real data: {reason}. "
                           f"Instructor: set {ENV_VAR} to a mirror, then regrade.")
    fix = (f"copy the missing file into {mirror} (`keras-course data download --to {mirror}` on a "
           f"machine online)" if mirror is not None else
           f"go online, or set {ENV_VAR} to a dataset mirror")
    if os.environ.get(REAL_DATA_ENV) == "1":
        raise DatasetError(f"{what}: the real data could not be loaded: {reason}; {REAL_DATA_ENV}=1 "
                           f"forbids the synthetic stand-in. Fix: {fix}.")
    _announce_synthetic(what, reason, fix)
    with tempfile.TemporaryDirectory() as folder:
        _SYNTHETIC[dataset](Path(folder), np.random.default_rng(_SEED))
        return _serve(what, keras_module, call, _synthetic_source(Path(folder)), note)


def _keras_module(dataset):
    """``keras.src.datasets.<dataset>``, checked to still look up files through get_file."""
    try:
        keras_module = importlib.import_module(f"keras.src.datasets.{dataset}")
    except ImportError as err:
        raise DatasetError(f"{_keras_changed(dataset)} ({err})") from None
    if not hasattr(keras_module, "get_file"):
        raise DatasetError(_keras_changed(dataset))
    return keras_module


def _keras_changed(dataset):
    return (f"keras_course.datasets runs Keras's own loader keras.src.datasets.{dataset}, "
            f"which fetches its files through a module-level get_file as in Keras {KERAS_PIN}. "
            f"This Keras does not. Install the version the course pins: "
            f"pip install 'keras=={KERAS_PIN}.*'.")


class _Source(NamedTuple):
    describe: object  # () -> the source, for the printed line
    locate: object  # (fname, origin, cache_subdir, kwargs) -> path of the file
    fix: object  # (files) -> how to repair them


def _mirror_source(mirror):
    def locate(fname, origin, cache_subdir, kwargs):
        path = mirror / os.path.relpath(cache_subdir, "datasets") / fname
        if not path.is_file():
            raise _NotInMirror(path.relative_to(mirror))
        return str(path)

    return _Source(lambda: f"mirror {mirror}", locate, lambda files: (
        f"replace {files} with a good copy (rebuild the mirror with "
        f"`keras-course data download --to {mirror}`), or unset {ENV_VAR} "
        f"to use the Keras cache/download."))


def _cache_source(keras_get_file):
    repacked = []  # files that fail Keras's checksum but hold the right arrays

    def describe():
        if not repacked:
            return "Keras cache/download"
        return (f"Keras cache {keras_cache_dir()}: {', '.join(repacked)} not Keras's own (checksum "
                f"differs) but the right arrays, used as they are; Keras's own loaders would delete "
                f"such copies: keep them in a mirror named by {ENV_VAR}")

    def locate(fname, origin, cache_subdir, kwargs):
        cached = keras_cache_dir().parent / cache_subdir / fname
        existed = cached.exists()
        if keep_or_set_aside(cached, _BY_ORIGIN[origin]):
            repacked.append(fname)
            return str(cached)
        try:
            return keras_get_file(fname=fname, origin=origin, cache_subdir=cache_subdir, **kwargs)
        except Exception as err:
            if existed:  # it was corrupt and has been moved aside
                raise DatasetError(
                    f"The Keras cache file {cached} was corrupt (moved aside, see above) and a "
                    f"fresh copy could not be downloaded ({err}). Fix: run "
                    f"`keras-course data download` when online, or set {ENV_VAR} to a mirror.") from None
            raise _DownloadFailed(f"the Keras cache {cached.parent} has no {fname} and downloading "
                                  f"it failed ({err})") from None

    return _Source(describe, locate, lambda files: (
        f"move {files} out of the Keras cache and run this again to download a fresh copy "
        f"(or run `keras-course data download`)."))


def _synthetic_source(folder):
    return _Source(lambda: "SYNTHETIC sample, not the real data",
                   lambda fname, origin, cache_subdir, kwargs: str(folder / _BY_ORIGIN[origin].path),
                   lambda files: "this is a bug in keras_course; please report it.")


def _serve(what, keras_module, call, source, note=""):
    """Run Keras's loader with its get_file answered by ``source``; check and announce the result."""
    used = []

    def get_file(fname=None, origin=None, cache_subdir="datasets", **kwargs):
        used.append(source.locate(fname, origin, cache_subdir, kwargs))
        return used[-1]

    with mock.patch.object(keras_module, "get_file", get_file):
        try:
            result = call(keras_module)
        except (_NotInMirror, _DownloadFailed, DatasetError):
            raise
        except Exception as err:
            if not used:  # Keras rejected an argument before reading anything
                raise
            raise _unreadable(what, used, err, source) from None
    if not used:
        raise DatasetError(_keras_changed(keras_module.__name__.rsplit(".", 1)[-1]))
    problem = _problem(what, result)
    if problem:
        files = ", ".join(used)
        raise DatasetError(f"{what} from {files} is not what Keras's loader should give: "
                           f"{problem}. Fix: {source.fix(files)}")
    print(f"[keras_course] {what}: {_sizes(result)} | source: {source.describe()}{note}")
    return result


def _unreadable(what, used, err, source):
    """A DatasetError naming the damaged file among ``used`` (or all of them)."""
    error = f"{type(err).__name__}: {err}"
    for path in used:
        damage = _content_problem(path)
        if damage:
            return DatasetError(f"{path} is corrupt or truncated ({damage}); loading {what} "
                                f"failed. Fix: {source.fix(path)}")
    files = ", ".join(used)
    return DatasetError(f"Keras's loader could not read {what} from {files} ({error}). "
                        f"If the arguments are right, the files are not in Keras's format. "
                        f"Fix: {source.fix(files)}")


# The arrays each .npz file must hold: name -> (dtype kinds, shape after the first axis).
_NPZ_ARRAYS = {
    "mnist.npz": {"x_train": ("u", (28, 28)), "y_train": ("u", ()),
                  "x_test": ("u", (28, 28)), "y_test": ("u", ())},
    "imdb.npz": {"x_train": ("O", ()), "y_train": ("iu", ()), "x_test": ("O", ()), "y_test": ("iu", ())},
    "boston_housing.npz": {"x": ("f", (13,)), "y": ("f", ())},
}
_IDX_MAGIC = {"labels": (2049, ()), "images": (2051, (28, 28))}  # Fashion-MNIST's idx files


def _content_problem(path):
    """Why the file at ``path`` is not a readable dataset file of its kind, or None.

    Reads it in full (archive CRCs, gzip streams) and checks the keys, dtypes and
    shapes that Keras's loaders expect, without unpickling anything.
    """
    path = Path(path)
    try:
        if path.suffix == ".gz":
            return _idx_problem(path)
        if path.suffix == ".npz":
            return _npz_problem(path)
        if path.suffix == ".json":
            index = json.loads(path.read_bytes())
            if not (isinstance(index, dict) and index and all(isinstance(r, int) for r in index.values())):
                return "not a non-empty JSON object {word: rank}"
    except zipfile.BadZipFile as err:
        return f"not a readable .npz (zip) archive, truncated or damaged ({err})"
    except (EOFError, zlib.error, gzip.BadGzipFile) as err:
        return f"a truncated or damaged gzip stream ({type(err).__name__}: {err})"
    except json.JSONDecodeError as err:
        return f"not valid JSON, truncated or damaged ({err})"
    except (OSError, ValueError) as err:
        return f"{type(err).__name__}: {err}"
    return None


def _npz_problem(path):
    with zipfile.ZipFile(path) as archive:
        bad = archive.testzip()
        if bad:
            return f"member {bad} fails its CRC check"
        found = {}
        for member in archive.namelist():
            with archive.open(member) as file:
                version = np.lib.format.read_magic(file)
                read_header = (np.lib.format.read_array_header_1_0 if version == (1, 0)
                               else np.lib.format.read_array_header_2_0)
                shape, _, dtype = read_header(file)
            found[member.removesuffix(".npy")] = (shape, dtype)
    expected = _NPZ_ARRAYS.get(path.name, {})
    missing = sorted(set(expected) - set(found))
    if missing:
        return f"no array {', '.join(missing)} (it has {', '.join(sorted(found)) or 'none'})"
    for name, (kinds, tail) in expected.items():
        shape, dtype = found[name]
        if dtype.kind not in kinds or tuple(shape[1:]) != tail:
            return f"{name} is {dtype} {shape}, expected {kinds!r} dtype, shape (n, {', '.join(map(str, tail))})"
    for x, y in (("x_train", "y_train"), ("x_test", "y_test"), ("x", "y")):
        if x in expected and found[x][0][0] != found[y][0][0]:
            return f"{x} has {found[x][0][0]} rows but {y} has {found[y][0][0]}"
    return None


def _idx_problem(path):
    data = gzip.decompress(path.read_bytes())
    kind = "labels" if "labels" in path.name else "images"
    magic, tail = _IDX_MAGIC[kind]
    n_dims = 1 + len(tail)
    header = np.frombuffer(data[:4 * (1 + n_dims)], ">i4")
    if len(header) != 1 + n_dims or header[0] != magic or tuple(header[2:]) != tail:
        return f"not an idx file of {kind} (header {header.tolist()})"
    expected = 4 * (1 + n_dims) + int(np.prod(header[1:]))
    if len(data) != expected:
        return f"{len(data)} bytes once unzipped, expected {expected} for {header[1]} {kind}"
    return None


def _problem(what, result):
    """What is wrong with a loader's result, or None."""
    if what == "imdb word index":
        if not (isinstance(result, dict) and result
                and all(isinstance(w, str) and isinstance(r, int) for w, r in result.items())):
            return "expected a non-empty dict {word: rank}"
        return None
    (x_train, y_train), (x_test, y_test) = result
    if len(x_train) == 0:
        return "the training set is empty"
    for split, x, y in (("train", x_train, y_train), ("test", x_test, y_test)):
        if len(x) != len(y):
            return f"x_{split} has {len(x)} rows but y_{split} has {len(y)}"
        if y.ndim != 1:
            return f"y_{split} has shape {y.shape}, expected (n,)"
        if what in ("mnist", "fashion_mnist"):
            if x.dtype != np.uint8 or x.shape[1:] != (28, 28):
                return f"x_{split} is {x.dtype} {x.shape}, expected uint8 (n, 28, 28)"
            if y.dtype != np.uint8 or (len(y) and y.max() > 9):
                return f"y_{split} must be uint8 labels 0-9"
        elif what == "imdb":
            if x.dtype != object:  # of lists (2-D when Keras gets lists of equal length)
                return f"x_{split} is {x.dtype}, expected an object array of lists"
            if not set(np.unique(y)) <= {0, 1}:
                return f"y_{split} must hold labels 0 and 1"
        elif what == "boston_housing":
            if x.dtype.kind != "f" or x.ndim != 2 or x.shape[1] != 13:
                return f"x_{split} is {x.dtype} {x.shape}, expected float (n, 13)"
            if y.dtype.kind != "f" or not (np.isfinite(x).all() and np.isfinite(y).all()):
                return f"x_{split}/y_{split} must be finite floats"
    return None


def _sizes(result):
    if isinstance(result, dict):
        return f"{len(result)} words"
    (x_train, _), (x_test, _) = result
    return f"train {len(x_train)} / test {len(x_test)}"


def _announce_synthetic(what, reason, fix):
    message = (
        f"{what}: the real data could not be loaded: {reason}. Using a small SYNTHETIC sample "
        f"of the same shapes instead: results will NOT match the course text. Fix: {fix}; "
        f"`keras-course data status` shows every source.")
    bar = "!" * 78
    lines = textwrap.wrap(message, 74, break_long_words=False, break_on_hyphens=False)
    print("\n".join([bar, "!!  SYNTHETIC DATA", *("!!  " + line for line in lines), bar]))
    warnings.warn(message, SyntheticDataWarning, stacklevel=4)
    results.note_synthetic(what, reason)


# ---------------------------------------------------------------- the synthetic samples
# Small, deterministic and learnable, written as files in Keras's cache layout so that
# Keras's own loader code applies every loader argument to them.

_SEED = 20240611
_N_TRAIN, _N_TEST = 2000, 500

_DIGITS = [  # a 5x7 pixel font for 0-9
    [".###.", "#...#", "#..##", "#.#.#", "##..#", "#...#", ".###."],
    ["..#..", ".##..", "..#..", "..#..", "..#..", "..#..", ".###."],
    [".###.", "#...#", "....#", "...#.", "..#..", ".#...", "#####"],
    ["#####", "...#.", "..#..", "...#.", "....#", "#...#", ".###."],
    ["...#.", "..##.", ".#.#.", "#..#.", "#####", "...#.", "...#."],
    ["#####", "#....", "####.", "....#", "....#", "#...#", ".###."],
    ["..##.", ".#...", "#....", "####.", "#...#", "#...#", ".###."],
    ["#####", "....#", "...#.", "..#..", ".#...", ".#...", ".#..."],
    [".###.", "#...#", "#...#", ".###.", "#...#", "#...#", ".###."],
    [".###.", "#...#", "#...#", ".####", "....#", "...#.", ".##.."],
]


def _digit_templates():
    templates = np.zeros((10, 28, 28))
    for label, rows in enumerate(_DIGITS):
        bitmap = np.array([[ch == "#" for ch in row] for row in rows], dtype=float)
        templates[label, 3:24, 6:21] = np.kron(bitmap, np.ones((3, 3)))
    return templates


def _clothes_templates():
    r, c = np.mgrid[:28, :28]

    def box(r0, r1, c0, c1):
        return (r >= r0) & (r < r1) & (c >= c0) & (c < c1)

    long_sleeved = box(5, 25, 8, 20) | box(5, 23, 3, 7) | box(5, 23, 21, 25)
    shapes = [
        box(6, 26, 8, 20) | box(6, 12, 3, 25),  # T-shirt/top: short sleeves
        box(3, 8, 8, 20) | box(8, 27, 8, 13) | box(8, 27, 15, 20),  # trouser: two legs
        long_sleeved,  # pullover
        (r >= 3) & (r < 27) & (np.abs(c - 13.5) < 3 + (r - 3) * 0.3),  # dress: flared
        (box(3, 27, 7, 21) | box(3, 24, 2, 6) | box(3, 24, 22, 26)) & ~box(3, 27, 13, 15),  # coat
        box(21, 24, 2, 26) | box(15, 17, 4, 24) | box(17, 21, 6, 8) | box(17, 21, 19, 21),  # sandal
        long_sleeved & ~((r < 11) & (np.abs(c - 13.5) < (11 - r) * 0.7)) & (c % 4 != 1),  # shirt
        box(19, 24, 1, 27) | ((r >= 12) & (r < 19) & (c >= 3) & (c < 12 + 2 * (r - 12))),  # sneaker
        box(11, 26, 3, 25) | (box(4, 11, 8, 20) & ~box(6, 11, 10, 18)),  # bag with a handle
        box(3, 20, 13, 22) | box(18, 25, 3, 23),  # ankle boot
    ]
    return np.array(shapes, dtype=float)


def _synthetic_images(templates, rng):
    """Templates per class, thickened, shifted, dimmed and noised: uint8 (n, 28, 28)."""
    n = _N_TRAIN + _N_TEST
    y = rng.permutation(np.arange(n) % 10).astype(np.uint8)
    x = templates[y]
    thick = rng.random(n) < 0.5  # a 3x3 maximum filter thickens the strokes
    padded = np.pad(x[thick], ((0, 0), (1, 1), (1, 1)))
    x[thick] = np.max([padded[:, i:i + 28, j:j + 28] for i in range(3) for j in range(3)], axis=0)
    padded = np.pad(x, ((0, 0), (2, 2), (2, 2)))
    for i, (dr, dc) in enumerate(rng.integers(0, 5, size=(n, 2))):  # shift by up to 2 pixels
        x[i] = padded[i, dr:dr + 28, dc:dc + 28]
    x = x * rng.uniform(140, 255, size=(n, 1, 1)) + rng.normal(0, 40, size=x.shape)
    x = np.clip(x, 0, 255).astype(np.uint8)
    return (x[:_N_TRAIN], y[:_N_TRAIN]), (x[_N_TRAIN:], y[_N_TRAIN:])


def _synthetic_mnist(folder, rng):
    (x_train, y_train), (x_test, y_test) = _synthetic_images(_digit_templates(), rng)
    np.savez_compressed(folder / "mnist.npz", x_train=x_train, y_train=y_train,
                        x_test=x_test, y_test=y_test)


def _synthetic_fashion_mnist(folder, rng):
    (x_train, y_train), (x_test, y_test) = _synthetic_images(_clothes_templates(), rng)
    (folder / "fashion-mnist").mkdir()
    for prefix, x, y in (("train", x_train, y_train), ("t10k", x_test, y_test)):
        with gzip.open(folder / f"fashion-mnist/{prefix}-labels-idx1-ubyte.gz", "wb") as file:
            file.write(np.array([2049, len(y)], ">i4").tobytes() + y.tobytes())
        with gzip.open(folder / f"fashion-mnist/{prefix}-images-idx3-ubyte.gz", "wb") as file:
            file.write(np.array([2051, len(x), 28, 28], ">i4").tobytes() + x.tobytes())


_NEUTRAL = """the and a of to is br in it i this that was as for with movie but film on
not you are his have he be one all at by an they who so from like her or just about out if
has what some can more when very up no time even she my would which story only really see
their had we were me than much get been other also will into do people because first how him
most plot characters acting two watch way could make any then too after ever know character
made scenes while there these director show seen many its where over why end part both cast
scene again life actors every little going same watching real series look things role""".split()
_POSITIVE = """great excellent wonderful best love loved beautiful amazing brilliant perfect
favorite superb enjoyed fun touching masterpiece recommend delightful charming fantastic
moving gem hilarious beautifully terrific""".split()
_NEGATIVE = """bad worst awful boring waste terrible poor stupid horrible dull worse mess
pointless disappointing annoying ridiculous lame badly unfunny weak laughable avoid cheap
predictable tedious""".split()


def _synthetic_imdb(folder, rng):
    """Reviews of neutral words (Zipf-distributed) and some sentiment words, most of
    which lean the way of the review's label; ranked by frequency like Keras's index."""
    syllables = "ka lo mi ser tan vo ri pel dun ga ne tho bri cas fen mor".split()
    made_up = [a + b + c for a in syllables for b in syllables for c in syllables]
    neutral = list(dict.fromkeys(_NEUTRAL + [made_up[i] for i in rng.permutation(len(made_up))]))
    words = neutral + _POSITIVE + _NEGATIVE
    leaning = [np.arange(len(neutral) + len(_POSITIVE), len(words)),  # label 0
               np.arange(len(neutral), len(neutral) + len(_POSITIVE))]  # label 1
    zipf = 1 / (np.arange(len(neutral)) + 2.0)
    n = _N_TRAIN + _N_TEST
    labels = rng.permutation(np.arange(n) % 2)
    reviews = []
    for label, length in zip(labels, np.clip(rng.lognormal(np.log(120), 0.5, n), 20, 500).astype(int)):
        tokens = rng.choice(len(neutral), size=length, p=zipf / zipf.sum())
        sentiment = rng.random(length) < 0.15
        agrees = rng.random(length) < 0.85
        for k in np.flatnonzero(sentiment):
            tokens[k] = rng.choice(leaning[label if agrees[k] else 1 - label])
        reviews.append(tokens)
    counts = np.bincount(np.concatenate(reviews), minlength=len(words))
    rank = np.empty(len(words), dtype=int)
    rank[np.argsort(-counts, kind="stable")] = np.arange(1, len(words) + 1)
    x = np.empty(n, dtype=object)
    for i, tokens in enumerate(reviews):
        x[i] = rank[tokens].tolist()
    np.savez(folder / "imdb.npz", x_train=x[:_N_TRAIN], y_train=labels[:_N_TRAIN],
             x_test=x[_N_TRAIN:], y_test=labels[_N_TRAIN:])
    (folder / "imdb_word_index.json").write_text(
        json.dumps({word: int(rank[i]) for i, word in enumerate(words)}))


def _synthetic_boston_housing(folder, rng, n=506):
    """13 features in the real ranges, driven by a hidden affluence of each town;
    the price (k$) is a fixed function of them plus noise. B is independent noise here."""
    wealth = rng.normal(size=n)

    def feature(mean, slope, spread, low, high):
        return np.clip(mean + slope * wealth + rng.normal(0, spread, n), low, high)

    crim = np.clip(np.exp(rng.normal(-1.0 - 1.2 * wealth, 1.2)), 0.006, 89.0)
    zn = np.where(rng.random(n) < 0.25, rng.choice([12.5, 20, 25, 40, 80, 100], n), 0.0)
    indus = feature(11.1, -4.0, 4.0, 0.46, 27.7)
    chas = (rng.random(n) < 0.07).astype(float)
    nox = feature(0.55, -0.06, 0.08, 0.385, 0.871)
    rm = feature(6.28, 0.45, 0.45, 3.56, 8.78)
    age = feature(68.6, -15.0, 22.0, 2.9, 100.0)
    dis = feature(3.8, 1.2, 1.5, 1.13, 12.1)
    rad = rng.choice([1, 2, 3, 4, 5, 6, 7, 8, 24], n).astype(float)
    tax = np.round(feature(408, -90, 120, 187, 711))
    ptratio = feature(18.5, -1.2, 1.8, 12.6, 22.0)
    b = np.clip(396.9 - np.abs(rng.normal(0, 40, n)), 0.32, 396.9)
    lstat = feature(12.65, -5.0, 3.5, 1.73, 37.97)
    x = np.column_stack([crim, zn, indus, chas, nox, rm, age, dis, rad, tax, ptratio, b, lstat])
    y = (22.5 + 5.0 * (rm - 6.28) + 1.5 * (rm - 6.28) ** 2 - 0.55 * (lstat - 12.65)
         + 0.015 * (lstat - 12.65) ** 2 - 0.8 * (ptratio - 18.5) - 8.0 * (nox - 0.55)
         - 0.4 * (dis - 3.8) + 2.5 * chas - 0.1 * crim + rng.normal(0, 2.0, n))
    np.savez(folder / "boston_housing.npz", x=x, y=np.clip(np.round(y, 1), 5.0, 50.0))


_SYNTHETIC = {
    "mnist": _synthetic_mnist,
    "fashion_mnist": _synthetic_fashion_mnist,
    "imdb": _synthetic_imdb,
    "boston_housing": _synthetic_boston_housing,
}
