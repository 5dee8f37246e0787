"""The reference's time on the timing case: measured in its own child, or once per machine and
cached under a key of everything it depends on."""

import dataclasses
import json

from prepcli.drills import grader

from prepcli.drills import reftiming

from prepcli.drills import sandbox
from prepcli.catalog import EXERCISES
from prepcli.catalog.standalone import for_exercise
from prepcli.drills.sandbox import Limits

FAST = Limits(case_seconds=5, timing_case_seconds=10, cpu_seconds=20)


def _trusted_runs(monkeypatch) -> list:
    """Records every run of the reference's own child (trusted=True)."""
    seen, real = [], sandbox.run

    def spy(*a, **kw):
        if kw.get("trusted"):
            seen.append(a[1])
        return real(*a, **kw)
    monkeypatch.setattr(sandbox, "run", spy)
    return seen


def test_the_reference_is_measured_until_it_has_its_samples_then_cached(tmp_path, monkeypatch):
    monkeypatch.setattr(reftiming, "SAMPLES", 2)
    f = tmp_path / "iou.py"
    f.write_text(for_exercise(EXERCISES["iou"]), encoding="utf-8")
    cache = tmp_path / "cache"
    runs = _trusted_runs(monkeypatch)
    reps = [grader.grade(f, FAST, cache_dir=cache) for _ in range(3)]
    assert len(runs) == 2  # two measurements, then none
    assert [r.timing["reference_cached"] for r in reps] == [False, False, True]
    (entry,) = json.loads((cache / reftiming.CACHE_FILE).read_text()).values()
    best, samples = entry
    assert samples == 2
    assert best == min(reps[0].timing["reference_s"], reps[1].timing["reference_s"])
    assert reps[2].timing["reference_s"] == best
    assert "cached" in reps[2].timing["how"] and all(r.passed for r in reps)


def test_without_a_cache_dir_the_reference_is_timed_on_every_grade(tmp_path, monkeypatch):
    f = tmp_path / "iou.py"
    f.write_text(for_exercise(EXERCISES["iou"]), encoding="utf-8")
    runs = _trusted_runs(monkeypatch)
    rep = grader.grade(f, FAST)
    assert len(runs) == 1 and rep.timing["reference_cached"] is False


def test_the_key_changes_with_what_the_time_depends_on():
    exo = EXERCISES["nms"]
    case = next(c for c in exo.cases() if c.category == "timing")
    k = reftiming.key(exo, case, FAST)
    assert k == reftiming.key(exo, case, FAST)
    assert k != reftiming.key(exo, case, dataclasses.replace(FAST, timing_repeats=5))
    other = dataclasses.replace(case, args=(case.args[0][:-1], case.args[1][:-1], case.args[2]))
    assert k != reftiming.key(exo, other, FAST)


def test_a_damaged_cache_is_measured_again_and_rewritten(tmp_path):
    path = tmp_path / reftiming.CACHE_FILE
    for junk in ("not json", "[1, 2]", '{"k": "x", "j": [1, 2, 3], "n": [-1, 3]}'):
        path.write_text(junk)
        assert reftiming._read(path) == {}
        reftiming._write(path, "k", 0.5)
        assert reftiming._read(path) == {"k": (0.5, 1)}
    reftiming._write(path, "k", 0.25)
    reftiming._write(path, "k", 0.75)
    assert reftiming._read(path) == {"k": (0.25, 3)}


def test_prep_grade_keeps_the_reference_times_in_the_cache_dir(run, tmp_path, prep_home):
    f = tmp_path / "iou.py"
    f.write_text(for_exercise(EXERCISES["iou"]), encoding="utf-8")
    r = run("grade", f, "--json")
    assert r.exit_code == 0, r.stdout
    (entry,) = json.loads((prep_home / "cache" / reftiming.CACHE_FILE).read_text()).values()
    assert entry == [json.loads(r.stdout)["timing"]["reference_s"], 1]


def _calls_on_the_timing_case(tmp_path, seconds: float) -> int:
    """How many times the timing case calls a user's nms that takes `seconds` on it (its
    answer is computed when the file is imported)."""
    f = tmp_path / "nms.py"
    f.write_text(for_exercise(EXERCISES["nms"]) + (
        "\nimport time as _t\n_ref = nms\n"
        "_big = next(c for c in nms_cases() if c.category == 'timing')\n"
        "_out = _ref(*_big.args)\n"
        "def nms(boxes, scores, iou_threshold):\n"
        "    if len(boxes) < len(_big.args[0]):\n"
        "        return _ref(boxes, scores, iou_threshold)\n"
        f"    print('timed call')\n    _t.sleep({seconds})\n"
        "    return _out.copy()\n"), encoding="utf-8")
    rep = grader.grade(f, FAST)
    assert rep.passed and rep.timing is not None
    return rep.stdout.count("timed call")


def test_no_timing_call_is_started_that_would_take_the_case_past_its_budget(tmp_path):
    # 0.3 s in all: calls of 0.2 s are timed once, calls of 0.02 s three times
    assert _calls_on_the_timing_case(tmp_path, 0.2) == 1
    assert _calls_on_the_timing_case(tmp_path, 0.02) == 3
