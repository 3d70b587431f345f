"""record() prints a metric and, under ``keras-course run``, writes it to the results file."""

import json

import pytest

from keras_course import results


def test_record_writes_and_merges(tmp_path, monkeypatch, capsys):
    target = tmp_path / "results.json"
    monkeypatch.setenv(results.RESULTS_ENV, str(target))
    assert results.record("test_accuracy", 0.91234) == pytest.approx(0.91234)
    results.record("optimiser", "adam")
    results.record("test_accuracy", 0.95)  # a second record of a name replaces the first
    assert json.loads(target.read_text()) == {"metrics": {"test_accuracy": 0.95, "optimiser": "adam"}}
    assert results.read(target) == {"test_accuracy": 0.95, "optimiser": "adam"}
    assert capsys.readouterr().out.splitlines() == [
        "[result] test_accuracy = 0.9123",
        "[result] optimiser = adam",
        "[result] test_accuracy = 0.95",
    ]


def test_record_without_env_only_prints(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv(results.RESULTS_ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    assert results.record("epochs", 3) == 3.0
    assert capsys.readouterr().out == "[result] epochs = 3\n"
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("value", [float("nan"), float("inf")])
def test_record_rejects_non_finite(value, tmp_path, monkeypatch):
    target = tmp_path / "results.json"
    monkeypatch.setenv(results.RESULTS_ENV, str(target))
    with pytest.raises(ValueError, match=r"record\('loss', \.\.\.\): the value is (nan|inf); check the training run"):
        results.record("loss", value)
    assert not target.exists()


def test_note_synthetic_is_kept_apart_from_the_metrics(tmp_path, monkeypatch):
    target = tmp_path / "results.json"
    monkeypatch.setenv(results.RESULTS_ENV, str(target))
    results.record("test_accuracy", 0.5)
    results.note_synthetic("mnist", "KERAS_COURSE_DATA is not set; no download")
    assert results.read(target) == {"test_accuracy": 0.5}
    assert results.synthetic(target) == {"mnist": "KERAS_COURSE_DATA is not set; no download"}
    assert results.synthetic(tmp_path / "absent.json") == {}


def test_read_missing_and_invalid(tmp_path):
    assert results.read(tmp_path / "absent.json") == {}
    (tmp_path / "empty.json").write_text("")
    assert results.read(tmp_path / "empty.json") == {}
    (tmp_path / "bad.json").write_text("{not json")
    with pytest.raises(ValueError, match="not valid JSON"):
        results.read(tmp_path / "bad.json")


def test_floor_records_value_and_bound(tmp_path, monkeypatch, capsys):
    target = tmp_path / "results.json"
    monkeypatch.setenv(results.RESULTS_ENV, str(target))
    assert results.floor("test_accuracy", 0.987, minimum=0.985) == pytest.approx(0.987)
    results.floor("test_mae", 2.4, maximum=2.6)
    assert results.read(target) == {"test_accuracy": 0.987, "test_accuracy_min": 0.985, "test_mae": 2.4, "test_mae_max": 2.6}
    assert "floor met: test_accuracy = 0.987 >= 0.985" in capsys.readouterr().out


@pytest.mark.parametrize("kwargs", [{"minimum": 0.99}, {"maximum": 0.5}])
def test_floor_missed_stops_with_a_clear_message(kwargs, tmp_path, monkeypatch):
    monkeypatch.setenv(results.RESULTS_ENV, str(tmp_path / "results.json"))
    with pytest.raises(results.FloorNotMet, match=r"test_accuracy = 0\.9 misses its floor"):
        results.floor("test_accuracy", 0.9, **kwargs)
    assert results.read(tmp_path / "results.json")["test_accuracy"] == 0.9  # recorded, so the table shows the miss


def test_floor_needs_one_bound():
    with pytest.raises(TypeError, match="exactly one"):
        results.floor("x", 1.0)
