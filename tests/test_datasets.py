"""keras_course.datasets (mirror, Keras cache, synthetic fallback, errors) and `keras-course data`."""

import argparse
import gzip
import json
import os
import subprocess
import sys
import urllib.error
import warnings
from pathlib import Path

import keras.src.datasets.mnist
import keras.src.utils.file_utils
import numpy as np
import pytest
from keras.src.backend import config as keras_config

from keras_course import cli_data, datasets
from keras_course.datasets import ENV_VAR, DatasetError, SyntheticDataWarning

SHARED = Path(__file__).parents[2] / "shared" / "datasets"
needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason=f"no shared mirror at {SHARED}")


@pytest.fixture(autouse=True)
def keras_home(monkeypatch, tmp_path):
    """Every test runs offline, with an empty Keras cache and no mirror unless it sets one."""
    def no_network(url, *args, **kwargs):
        raise urllib.error.URLError("no network in the tests")

    monkeypatch.setattr(keras.src.utils.file_utils, "urlretrieve", no_network)
    home = tmp_path / "keras_home"
    home.mkdir()
    monkeypatch.setenv("KERAS_HOME", str(home))
    monkeypatch.setattr(keras_config, "_KERAS_DIR", str(home))  # Keras reads KERAS_HOME at import
    monkeypatch.delenv(ENV_VAR, raising=False)
    monkeypatch.delenv(datasets.REAL_DATA_ENV, raising=False)  # set for the notebooks by conftest.py
    return home


# ---------------------------------------------------------------- a tiny mirror

DIGITS = np.random.default_rng(0).integers(0, 256, size=(15, 28, 28), dtype=np.uint8)
LABELS = (np.arange(15) % 10).astype(np.uint8)
REVIEWS = [[1, 2, 3], [4, 5], [6, 7, 8, 9], [1, 1], [2, 9, 4], [5]]
WORD_INDEX = {w: i + 1 for i, w in enumerate("the and a of to is in it i".split())}


def write_idx(path, magic, array):
    with gzip.open(path, "wb") as file:
        file.write(np.array([magic, *array.shape], ">i4").tobytes() + array.tobytes())


def write_fashion(folder):
    folder.mkdir(parents=True)
    for prefix, part in (("train", slice(0, 12)), ("t10k", slice(12, 15))):
        write_idx(folder / f"{prefix}-labels-idx1-ubyte.gz", 2049, LABELS[part])
        write_idx(folder / f"{prefix}-images-idx3-ubyte.gz", 2051, DIGITS[part])


def write_mirror(folder):
    """A tiny mirror, in Keras's cache layout, of known content."""
    folder.mkdir()
    np.savez(folder / "mnist.npz", x_train=DIGITS[:12], y_train=LABELS[:12],
             x_test=DIGITS[12:], y_test=LABELS[12:])
    write_fashion(folder / "fashion-mnist")
    reviews = np.empty(len(REVIEWS), dtype=object)
    for i, review in enumerate(REVIEWS):
        reviews[i] = review
    np.savez(folder / "imdb.npz", x_train=reviews[:4], y_train=np.array([0, 1, 0, 1]),
             x_test=reviews[4:], y_test=np.array([1, 0]))
    (folder / "imdb_word_index.json").write_text(json.dumps(WORD_INDEX))
    np.savez(folder / "boston_housing.npz", x=np.arange(130.0).reshape(10, 13),
             y=np.arange(10.0) + 10)
    return folder


@pytest.fixture
def tiny_mirror(tmp_path, monkeypatch):
    mirror = write_mirror(tmp_path / "mirror")
    monkeypatch.setenv(ENV_VAR, str(mirror))
    return mirror


# ---------------------------------------------------------------- the course's shared mirror


@needs_shared
def test_shared_mirror_boston_housing(monkeypatch, capsys):
    monkeypatch.setenv(ENV_VAR, str(SHARED))
    (x_train, y_train), (x_test, y_test) = datasets.load_boston_housing()
    assert x_train.shape == (404, 13) and x_test.shape == (102, 13)
    assert x_train.dtype == np.float64 and y_train.dtype == np.float64
    assert x_train[0, 0] == pytest.approx(1.23247)
    assert y_train[:3].tolist() == [15.2, 42.3, 50.0]
    assert capsys.readouterr().out.strip().endswith(
        f"boston_housing: train 404 / test 102 | source: mirror {SHARED}")


@needs_shared
@pytest.mark.parametrize("loader, n_train, n_test", [
    (datasets.load_mnist, 60000, 10000),
    (datasets.load_fashion_mnist, 60000, 10000),
])
def test_shared_mirror_images(monkeypatch, capsys, loader, n_train, n_test):
    monkeypatch.setenv(ENV_VAR, str(SHARED))
    (x_train, y_train), (x_test, y_test) = loader()
    assert x_train.shape == (n_train, 28, 28) and x_test.shape == (n_test, 28, 28)
    assert x_train.dtype == y_train.dtype == np.uint8
    assert set(np.unique(y_test)) == set(range(10))
    assert f"train {n_train} / test {n_test} | source: mirror {SHARED}" in capsys.readouterr().out


@needs_shared
def test_shared_mirror_imdb(monkeypatch, capsys):
    monkeypatch.setenv(ENV_VAR, str(SHARED))
    (x_train, y_train), (x_test, y_test) = datasets.load_imdb(num_words=10000)
    assert len(x_train) == len(y_train) == 25000 and len(x_test) == len(y_test) == 25000
    assert x_train.dtype == object and x_train[0][0] == 1
    assert max(max(review) for review in x_train) < 10000
    word_index = datasets.imdb_word_index()
    assert word_index["the"] == 1 and len(word_index) > 80000
    out = capsys.readouterr().out
    assert f"imdb: train 25000 / test 25000 | source: mirror {SHARED}" in out
    assert f"imdb word index: {len(word_index)} words | source: mirror {SHARED}" in out


# ---------------------------------------------------------------- a tiny mirror (any machine)


def test_tiny_mirror_goes_through_keras_loaders(tiny_mirror, capsys):
    (x_train, y_train), (x_test, y_test) = datasets.load_mnist()
    assert np.array_equal(x_train, DIGITS[:12]) and np.array_equal(y_test, LABELS[12:])
    (x_train, y_train), (x_test, y_test) = datasets.load_fashion_mnist()
    assert np.array_equal(x_train, DIGITS[:12]) and np.array_equal(y_test, LABELS[12:])

    (x_train, y_train), (x_test, y_test) = datasets.load_imdb(num_words=100)
    assert sorted(x_train.tolist()) == sorted([1] + [w + 3 for w in r] for r in REVIEWS[:4])
    (x_train, _), (x_test, _) = datasets.load_imdb(num_words=8, index_from=0, start_char=None)
    assert sorted(x_test.tolist()) == [[2, 2, 4], [5]]  # 2 = oov_char for ranks >= num_words
    (x_train, _), _ = datasets.load_imdb(maxlen=4)
    assert sorted(map(len, x_train)) == [3, 3]
    assert datasets.imdb_word_index() == WORD_INDEX

    (x_train, y_train), (x_test, y_test) = datasets.load_boston_housing(test_split=0.3)
    assert x_train.shape == (7, 13) and x_test.shape == (3, 13)
    assert np.array_equal(x_train[:, 0] / 13 + 10, y_train)  # rows stay paired after the shuffle

    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 7  # one line per call
    assert all(line.endswith(f"| source: mirror {tiny_mirror}") for line in lines)
    assert lines[0] == f"[keras_course] mnist: train 12 / test 3 | source: mirror {tiny_mirror}"


def test_mirror_without_a_dataset_falls_through_to_the_keras_cache(tiny_mirror, keras_home,
                                                                   capsys):
    for gz in (tiny_mirror / "fashion-mnist").iterdir():
        gz.unlink()
    write_fashion(keras_home / "datasets" / "fashion-mnist")  # Keras checks no hash for these
    (x_train, _), _ = datasets.load_fashion_mnist()
    assert np.array_equal(x_train, DIGITS[:12])
    assert capsys.readouterr().out.strip() == (
        f"[keras_course] fashion_mnist: train 12 / test 3 | source: Keras cache {keras_home / 'datasets'}: "
        "train-labels-idx1-ubyte.gz, train-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz, "
        "t10k-images-idx3-ubyte.gz not Keras's own (checksum differs) but the right arrays, used as "
        "they are; Keras's own loaders would delete such copies: keep them in a mirror named by "
        f"{ENV_VAR} ({ENV_VAR} mirror {tiny_mirror} has no fashion-mnist/train-labels-idx1-ubyte.gz)")


# ---------------------------------------------------------------- the synthetic fallback


def synthetic(loader, **kwargs):
    with pytest.warns(SyntheticDataWarning, match="SYNTHETIC"):
        return loader(**kwargs)


def nearest_class_mean_accuracy(x_train, y_train, x_test, y_test):
    flat_train, flat_test = x_train.reshape(len(x_train), -1), x_test.reshape(len(x_test), -1)
    means = np.array([flat_train[y_train == k].mean(axis=0) for k in range(10)])
    distances = ((flat_test[:, None, :].astype(float) - means) ** 2).sum(axis=-1)
    return np.mean(distances.argmin(axis=1) == y_test)


@pytest.mark.parametrize("loader", [datasets.load_mnist, datasets.load_fashion_mnist])
def test_synthetic_images_are_shaped_right_and_learnable(loader, capsys):
    (x_train, y_train), (x_test, y_test) = synthetic(loader)
    assert x_train.shape == (2000, 28, 28) and x_test.shape == (500, 28, 28)
    assert x_train.dtype == y_train.dtype == np.uint8
    assert set(np.unique(y_train)) == set(range(10))
    assert nearest_class_mean_accuracy(x_train, y_train, x_test, y_test) > 0.8
    out = capsys.readouterr().out
    assert "!!  SYNTHETIC DATA" in out
    assert out.splitlines()[-1].endswith(
        "train 2000 / test 500 | source: SYNTHETIC sample, not the real data")
    (again, _), _ = synthetic(loader)
    assert np.array_equal(again, x_train)  # deterministic


def banner(out):
    """The synthetic banner's text in one line."""
    return " ".join(line[4:] for line in out.splitlines() if line.startswith("!!  "))


def test_synthetic_banner_names_each_source_and_why(tiny_mirror, keras_home, capsys, monkeypatch):
    (tiny_mirror / "boston_housing.npz").unlink()
    synthetic(datasets.load_boston_housing)
    text = banner(capsys.readouterr().out)
    assert (f"boston_housing: the real data could not be loaded: the mirror {tiny_mirror} "
            f"({ENV_VAR}) has no boston_housing.npz; the Keras cache {keras_home / 'datasets'} "
            "has no boston_housing.npz and downloading it failed (") in text
    assert "no network in the tests" in text
    assert f"Fix: copy the missing file into {tiny_mirror} (`keras-course data download --to" in text
    monkeypatch.delenv(ENV_VAR)
    synthetic(datasets.load_boston_housing)
    text = banner(capsys.readouterr().out)
    assert f"could not be loaded: {ENV_VAR} is not set; the Keras cache" in text
    assert f"Fix: go online, or set {ENV_VAR} to a dataset mirror" in text


def test_synthetic_imdb_respects_arguments_and_is_learnable():
    (x_train, y_train), (x_test, y_test) = synthetic(datasets.load_imdb, num_words=1000)
    assert x_train.shape == (2000,) and x_test.shape == (500,) and x_train.dtype == object
    assert set(np.unique(y_train)) == {0, 1}
    assert all(review[0] == 1 and max(review) < 1000 for review in x_train)
    # words leaning one way: a count-based score learnt on train separates test reviews
    counts = np.zeros((2, 1000))
    for review, label in zip(x_train, y_train):
        np.add.at(counts[label], review, 1)
    log_odds = np.log((counts[1] + 1) / (counts[0] + 1))
    predicted = [log_odds[review].sum() > 0 for review in x_test]
    assert np.mean(predicted == y_test) > 0.75

    (short, _), _ = synthetic(datasets.load_imdb, maxlen=50, skip_top=5, oov_char=2)
    assert all(len(review) <= 50 and min(review) >= 1 for review in short)
    word_index = synthetic(datasets.imdb_word_index)
    assert word_index["the"] == 1 and "great" in word_index and "awful" in word_index


def test_synthetic_boston_housing_is_realistic_and_learnable():
    (x_train, y_train), (x_test, y_test) = synthetic(datasets.load_boston_housing)
    assert x_train.shape == (404, 13) and x_test.shape == (102, 13)
    assert x_train.dtype == y_train.dtype == np.float64
    assert 5 <= y_train.min() and y_train.max() <= 50 and 15 < y_train.mean() < 30
    design = np.c_[x_train, np.ones(len(x_train))]
    weights = np.linalg.lstsq(design, y_train, rcond=None)[0]
    mae = np.abs(np.c_[x_test, np.ones(len(x_test))] @ weights - y_test).mean()
    assert mae < 3.5 < np.abs(y_test - y_train.mean()).mean()
    (x_train, _), (x_test, _) = synthetic(datasets.load_boston_housing, test_split=0.5)
    assert len(x_train) == len(x_test) == 253


# ---------------------------------------------------------------- errors


def truncate(path):
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


@pytest.mark.parametrize("name, damage, loader", [
    ("mnist.npz", truncate, datasets.load_mnist),
    ("fashion-mnist/train-images-idx3-ubyte.gz", truncate, datasets.load_fashion_mnist),
    ("imdb.npz", truncate, datasets.load_imdb),
    ("imdb_word_index.json", lambda path: path.write_text('{"the": 1, "and'),
     datasets.imdb_word_index),
    ("boston_housing.npz", lambda path: path.write_bytes(b"not a zip file"),
     datasets.load_boston_housing),
])
def test_corrupt_mirror_file_is_a_clear_error_not_a_fallback(tiny_mirror, name, damage, loader):
    damage(tiny_mirror / name)
    with warnings.catch_warnings():
        warnings.simplefilter("error", SyntheticDataWarning)
        with pytest.raises(DatasetError) as caught:
            loader()
    message = str(caught.value)
    assert message.startswith(f"{tiny_mirror / name} is corrupt or truncated")
    assert f"unset {ENV_VAR}" in message and "keras-course data download" in message
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


def test_corrupt_keras_cache_file_is_moved_aside_never_deleted(keras_home, capsys):
    cache = keras_home / "datasets"
    write_fashion(cache / "fashion-mnist")
    damaged = cache / "fashion-mnist" / "t10k-images-idx3-ubyte.gz"
    truncate(damaged)
    kept = damaged.read_bytes()
    with pytest.raises(DatasetError, match="t10k-images-idx3-ubyte.gz was corrupt .moved aside.*"
                                           "keras-course data download"):
        datasets.load_fashion_mnist()
    assert not damaged.exists()
    assert damaged.with_name(damaged.name + ".corrupt").read_bytes() == kept
    assert f"moved it to {damaged}.corrupt (kept, not deleted)" in capsys.readouterr().out
    (cache / "mnist.npz").write_bytes(b"truncated")  # fails Keras's sha256 and is no archive
    with pytest.raises(DatasetError, match="mnist.npz was corrupt"):
        datasets.load_mnist()
    (cache / "mnist.npz").write_bytes(b"again")  # a second damaged copy does not replace the first
    with pytest.raises(DatasetError):
        datasets.load_mnist()
    assert (cache / "mnist.npz.corrupt").read_bytes() == b"truncated"
    assert (cache / "mnist.npz.corrupt2").read_bytes() == b"again"


def test_repacked_file_in_the_keras_cache_is_used_and_kept(keras_home, capsys):
    """A mirror's file copied into ~/.keras/datasets: Keras's loader would delete it (checksum)."""
    write_mirror(keras_home / "datasets")
    before = {p: p.read_bytes() for p in (keras_home / "datasets").rglob("*") if p.is_file()}
    (x_train, _), _ = datasets.load_mnist()
    assert np.array_equal(x_train, DIGITS[:12])
    assert datasets.imdb_word_index() == WORD_INDEX
    (x_train, _), _ = datasets.load_fashion_mnist()
    assert np.array_equal(x_train, DIGITS[:12])
    assert {p: p.read_bytes() for p in (keras_home / "datasets").rglob("*") if p.is_file()} == before
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == (f"[keras_course] mnist: train 12 / test 3 | source: Keras cache "
                        f"{keras_home / 'datasets'}: mnist.npz not Keras's own (checksum differs) "
                        f"but the right arrays, used as they are; Keras's own loaders would delete "
                        f"such copies: keep them in a mirror named by {ENV_VAR}")
    assert "train-labels-idx1-ubyte.gz, train-images-idx3-ubyte.gz" in lines[2]


@needs_shared
def test_shared_mirror_file_copied_into_the_keras_cache_survives(keras_home):
    (keras_home / "datasets").mkdir()
    copy = keras_home / "datasets" / "boston_housing.npz"
    copy.write_bytes((SHARED / "boston_housing.npz").read_bytes())
    (x_train, _), _ = datasets.load_boston_housing()
    assert x_train.shape == (404, 13)
    assert copy.read_bytes() == (SHARED / "boston_housing.npz").read_bytes()


def test_keras_cache_dir_is_computed_as_keras_does(tmp_path):
    """keras_cache_dir() imports no Keras; Keras computes its home once, at import."""
    code = ("import keras_course.datasets as d, sys; assert 'keras' not in sys.modules; "
            "here = d.keras_cache_dir(); from keras.src.backend import config; "
            "print(here, config.keras_home())")
    for env in ({"KERAS_HOME": str(tmp_path / "kh")}, {"HOME": str(tmp_path)}):
        environ = {k: v for k, v in os.environ.items() if k != "KERAS_HOME"} | env
        out = subprocess.run([sys.executable, "-c", code], env=environ, capture_output=True,
                             text=True, check=True).stdout.split()
        assert Path(out[0]) == Path(out[1]) / "datasets"


def test_wrong_content_is_caught_after_loading(tiny_mirror):
    np.savez(tiny_mirror / "mnist.npz", x_train=DIGITS[:12], y_train=LABELS[:12] + 5,
             x_test=DIGITS[12:], y_test=LABELS[12:])
    with pytest.raises(DatasetError, match="y_train must be uint8 labels 0-9"):
        datasets.load_mnist()
    np.savez(tiny_mirror / "mnist.npz", x_train=DIGITS[:12], y_train=LABELS[:11],
             x_test=DIGITS[12:], y_test=LABELS[12:])
    with pytest.raises(DatasetError, match="x_train has 12 rows but y_train has 11"):
        datasets.load_mnist()


def test_missing_mirror_dir_is_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "nowhere"))
    with pytest.raises(DatasetError, match=f"{ENV_VAR}=.*nowhere is not a directory"):
        datasets.load_boston_housing()


def test_changed_keras_internals_name_the_pinned_version(monkeypatch):
    monkeypatch.delattr(keras.src.datasets.mnist, "get_file")
    with pytest.raises(DatasetError, match=r"keras==3\.15"):
        datasets.load_mnist()


@pytest.mark.parametrize("version", ["3.10.0", "3.16.0", "3.150.0"])
def test_other_keras_gets_its_own_loader_after_a_one_line_notice(monkeypatch, tiny_mirror, keras_home,
                                                                  capsys, version):
    monkeypatch.setattr(keras, "__version__", version)
    with pytest.raises(Exception, match="URL fetch failure"):  # neither the mirror nor synthetic data
        datasets.load_mnist()
    assert capsys.readouterr().out.splitlines() == [
        f"[keras_course] mnist: Keras {version} found, not the course's 3.15: using Keras's own "
        f"loader and download; the course's mirror ({ENV_VAR}) and synthetic fallback are off.",
        f"Downloading data from {datasets.MANIFEST['mnist'][0].origin}"]
    (keras_home / "datasets").rmdir()  # left empty by the failed download
    write_mirror(keras_home / "datasets")  # as if Keras had downloaded the files earlier
    monkeypatch.setattr(keras.src.utils.file_utils, "validate_file", lambda *args, **kwargs: True)
    (x_train, _), (x_test, _) = datasets.load_mnist()
    assert (x_train == DIGITS[:12]).all() and len(x_test) == 3
    assert datasets.imdb_word_index() == WORD_INDEX
    out = capsys.readouterr().out
    assert out.count(f"Keras {version} found") == 2 and "source:" not in out


def test_bad_arguments_are_keras_own_errors():
    with pytest.raises(ValueError, match="test_split"):
        datasets.load_boston_housing(test_split=1.5)


# ---------------------------------------------------------------- the CLI


def run_cli(*argv):
    parser = argparse.ArgumentParser(prog="keras-course")
    cli_data.add_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.func(args)


def test_cli_status(tiny_mirror, keras_home, capsys):
    (tiny_mirror / "imdb.npz").unlink()
    (keras_home / "datasets").mkdir()
    (keras_home / "datasets" / "imdb.npz").write_bytes(b"stale")
    assert run_cli("data", "status") == 1  # a corrupt file
    out = capsys.readouterr().out
    assert f"mirror ({ENV_VAR}): {tiny_mirror}" in out
    rows = {}
    for line in out.splitlines():  # the table, then one line per fix
        rows.setdefault(line.split()[0], line)
    assert rows["mnist"].split() == ["mnist", "ok", "(re-packed)", "no", "mirror"]
    assert rows["imdb"].split()[1:5] == ["missing:", "imdb.npz", "corrupt:", "imdb.npz:"]
    assert rows["imdb"].endswith("download (SYNTHETIC if offline)")
    assert "imdb in the Keras cache is corrupt: imdb.npz: not a readable .npz" in out


@pytest.mark.parametrize("name, damage, reason", [
    ("mnist.npz", truncate, "not a readable .npz (zip) archive, truncated or damaged"),
    ("fashion-mnist/train-images-idx3-ubyte.gz", truncate, "a truncated or damaged gzip stream"),
    ("imdb_word_index.json", lambda path: path.write_text('{"the": 1, "and'), "not valid JSON"),
    ("mnist.npz", lambda path: np.savez(path, x_train=DIGITS, y_train=LABELS),
     "no array x_test, y_test (it has x_train, y_train)"),
    ("mnist.npz", lambda path: np.savez(path, x_train=DIGITS, y_train=LABELS, x_test=DIGITS,
                                        y_test=LABELS[:3]),
     "x_test has 15 rows but y_test has 3"),
    ("boston_housing.npz", lambda path: np.savez(path, x=np.zeros((5, 12)), y=np.zeros(5)),
     "x is float64 (5, 12), expected 'f' dtype, shape (n, 13)"),
    ("fashion-mnist/t10k-labels-idx1-ubyte.gz",
     lambda path: write_idx(path, 2051, DIGITS), "not an idx file of labels"),
    ("fashion-mnist/t10k-labels-idx1-ubyte.gz",
     lambda path: path.write_bytes(gzip.compress(gzip.decompress(path.read_bytes())[:-1])),
     "10 bytes once unzipped, expected 11 for 3 labels"),
])
def test_cli_status_finds_each_kind_of_damage(tiny_mirror, capsys, name, damage, reason):
    damage(tiny_mirror / name)
    assert run_cli("data", "status") == 1
    out = capsys.readouterr().out
    dataset = {"mnist": "mnist", "fashion": "fashion_mnist", "imdb_word": "imdb", "boston": "boston_housing"}
    row = next(line for line in out.splitlines()
               if line.split()[0] == next(v for k, v in dataset.items() if name.startswith(k)))
    assert f"corrupt: {name}: {reason}" in row
    assert "the loader stops with an error" in row
    assert f"keras-course data download --to {tiny_mirror}" in out


def test_cli_status_needs_no_keras(tmp_path):
    """Status runs in seconds: it must not import Keras (and so TensorFlow)."""
    code = ("import sys; from keras_course import cli; code = cli.main(['data', 'status']); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('keras', 'tensorflow')))")
    env = {k: v for k, v in os.environ.items() if k != ENV_VAR} | {"KERAS_HOME": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         check=True).stdout
    assert out.splitlines()[-1] == "[]"
    assert "download (SYNTHETIC if offline)" in out


def test_cli_status_with_a_missing_mirror_dir(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "nowhere"))
    assert run_cli("data", "status") == 1
    assert "is not a directory" in capsys.readouterr().out


def test_cli_download_offline_fails_cleanly(tmp_path, capsys):
    assert run_cli("data", "download", "--to", str(tmp_path / "mirror")) == 1
    captured = capsys.readouterr()
    assert captured.out.count("FAILED") == 8
    assert "could not be fetched" in captured.out
    assert "Traceback" not in captured.out + captured.err


def test_cli_download_keeps_repacked_files_and_moves_corrupt_ones_aside(monkeypatch, tmp_path, capsys):
    mirror = write_mirror(tmp_path / "mirror")
    truncate(mirror / "imdb.npz")
    repacked = (mirror / "mnist.npz").read_bytes()
    fetched = []
    monkeypatch.setattr("keras.utils.get_file", lambda fname, **kwargs: fetched.append(fname))
    assert run_cli("data", "download", "--to", str(mirror)) == 0
    assert (mirror / "mnist.npz").read_bytes() == repacked and "mnist.npz" not in fetched
    assert fetched == ["imdb.npz"]  # the only file not kept
    assert (mirror / "imdb.npz.corrupt").is_file()
    assert f"kept   mnist: {mirror / 'mnist.npz'} (a re-packed copy" in capsys.readouterr().out


def test_cli_download_builds_a_mirror_in_keras_layout(monkeypatch, tmp_path, capsys):
    def fake_get_file(fname, origin, file_hash, cache_subdir):
        path = Path(cache_subdir) / fname
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(file_hash)
        return str(path)

    monkeypatch.setattr("keras.utils.get_file", fake_get_file)
    assert run_cli("data", "download", "--to", str(tmp_path / "mirror")) == 0
    written = sorted(str(p.relative_to(tmp_path / "mirror"))
                     for p in (tmp_path / "mirror").rglob("*") if p.is_file())
    assert written == sorted(f.path for files in datasets.MANIFEST.values() for f in files)
    assert f"export {ENV_VAR}={tmp_path / 'mirror'}" in capsys.readouterr().out


def test_under_the_grader_missing_data_is_a_grader_error_not_synthetic_data(monkeypatch, capsys):
    monkeypatch.setenv("KERAS_COURSE_GRADING", "1")  # set by the grading sandbox
    with pytest.raises(datasets.DatasetError, match="Instructor: set KERAS_COURSE_DATA"):
        datasets.load_mnist()
    assert "SYNTHETIC" not in capsys.readouterr().out


def test_a_corrupt_file_that_cannot_be_moved_is_a_clear_error(keras_home, monkeypatch):
    (keras_home / "datasets").mkdir()
    (keras_home / "datasets" / "mnist.npz").write_bytes(b"truncated")

    def read_only(*args):
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr(Path, "rename", read_only)  # as in the grader's sandbox
    with pytest.raises(DatasetError, match="mnist.npz is corrupt: .* could not be moved aside .*"
                                           "Read-only file system.*move or delete it yourself"):
        datasets.load_mnist()
    assert (keras_home / "datasets" / "mnist.npz").read_bytes() == b"truncated"


def test_real_data_required_turns_the_fallback_into_an_error(monkeypatch, capsys):
    monkeypatch.setenv(datasets.REAL_DATA_ENV, "1")
    with pytest.raises(DatasetError, match=f"mnist: the real data could not be loaded: {ENV_VAR} is not "
                                           f"set; the Keras cache .*{datasets.REAL_DATA_ENV}=1 forbids"):
        datasets.load_mnist()
    assert "SYNTHETIC" not in capsys.readouterr().out

