"""The reference's time on the timing case: measured in its own child, or once per machine and
cached under a key of everything it depends on."""

import dataclasses
import json
import time

import pytest

from faultkit import PtyPrep, wait_for
from prepcli.drills import grader

from prepcli.drills import reftiming

from prepcli.drills import sandbox
from prepcli.catalog import EXERCISES
from prepcli.catalog.standalone import for_exercise
from prepcli.drills.sandbox import Limits

FAST = Limits(case_seconds=5, timing_case_seconds=10, cpu_seconds=20)


@pytest.fixture(autouse=True)
def _no_background_left():
    yield
    reftiming.stop_background()


def _trusted_runs(monkeypatch) -> list:
    """Records every run of the reference's own child (trusted=True)."""
    seen, real = [], sandbox.run

    def spy(*a, **kw):
        if kw.get("trusted"):
            seen.append(a[1])
        return real(*a, **kw)
    monkeypatch.setattr(sandbox, "run", spy)
    return seen


def test_a_grade_measures_the_reference_once_then_uses_the_cached_time(tmp_path, monkeypatch):
    f = tmp_path / "iou.py"
    f.write_text(for_exercise(EXERCISES["iou"]), encoding="utf-8")
    cache = tmp_path / "cache"
    runs = _trusted_runs(monkeypatch)
    reps = [grader.grade(f, FAST, cache_dir=cache) for _ in range(3)]
    assert len(runs) == 1  # one measurement, then none
    assert [r.timing["reference_cached"] for r in reps] == [False, True, True]
    (entry,) = json.loads((cache / reftiming.CACHE_FILE).read_text()).values()
    assert entry == [reps[0].timing["reference_s"], 1]
    assert reps[2].timing["reference_s"] == reps[0].timing["reference_s"]
    assert "cached" in reps[2].timing["how"] and all(r.passed for r in reps)


def test_in_the_background_it_is_measured_until_it_has_its_samples(tmp_path, monkeypatch):
    monkeypatch.setattr(reftiming, "SAMPLES", 2)
    cache = tmp_path / "cache"
    runs = _trusted_runs(monkeypatch)
    p = reftiming.prefetch(EXERCISES["iou"], FAST, cache)
    p.join(60)
    assert len(runs) == 2 and p.measured == 2
    (entry,) = json.loads((cache / reftiming.CACHE_FILE).read_text()).values()
    assert entry[1] == 2
    reftiming.prefetch(EXERCISES["iou"], FAST, cache).join(60)  # already measured: no child
    assert len(runs) == 2
    f = tmp_path / "iou.py"
    f.write_text(for_exercise(EXERCISES["iou"]), encoding="utf-8")
    rep = grader.grade(f, FAST, cache_dir=cache)
    assert rep.timing["reference_cached"] and rep.timing["reference_s"] == entry[0]
    assert len(runs) == 2
    assert reftiming.prefetch(EXERCISES["iou"], FAST, None) is None  # nowhere to keep it


def test_a_grade_and_a_background_measurement_never_run_at_once(tmp_path, monkeypatch):
    monkeypatch.setattr(reftiming, "SAMPLES", 1000)  # it would go on for minutes
    cache = tmp_path / "cache"
    measuring, real_run = [], sandbox.run

    def trusted_run(*a, **kw):
        measuring.append(1)
        try:
            return real_run(*a, **kw)
        finally:
            measuring.pop()
    monkeypatch.setattr(sandbox, "run", trusted_run)
    p = reftiming.prefetch(EXERCISES["iou"], FAST, cache)
    assert reftiming._background == [p]
    assert wait_for(lambda: p.measured >= 1 and measuring, 30)  # measuring again
    during, real_init = [], sandbox.Sandbox.__init__

    def user_child(self, *a, **kw):
        if not (a[3:4] or [kw.get("trusted", False)])[0]:  # the grade's, not a measurement's
            during.append(len(measuring))
        real_init(self, *a, **kw)
    monkeypatch.setattr(sandbox.Sandbox, "__init__", user_child)
    f = tmp_path / "iou.py"
    f.write_text(for_exercise(EXERCISES["iou"]), encoding="utf-8")
    before = p.measured
    rep = grader.grade(f, FAST, cache_dir=cache)
    assert during == [0] and rep.passed and rep.timing["reference_cached"]
    assert wait_for(lambda: p.measured > before + 1, 30)  # it goes on after the grade
    reftiming.stop_background()
    assert not p.thread.is_alive() and reftiming._background == [] and not measuring
    samples = json.loads((cache / reftiming.CACHE_FILE).read_text()).popitem()[1][1]
    assert samples == p.measured < 1000


def test_leaving_a_drill_during_a_long_grade_does_not_wait_for_the_grade(tmp_path):
    """A looping file's grade holds the turn for up to its whole budget; quitting the drill
    stops the background measurement waiting behind it at once."""
    with reftiming.grading():  # a grade under way
        p = reftiming.prefetch(EXERCISES["iou"], FAST, tmp_path / "cache")
        time.sleep(0.3)
        t = time.monotonic()
        reftiming.stop_background()
        assert time.monotonic() - t < 1.0 and not p.thread.is_alive() and p.measured == 0


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


def test_prep_drill_measures_the_reference_while_the_user_writes(tmp_path, prep_home):
    """`prep drill` starts measuring the reference as it opens: by the first save, the
    grade finds its time cached. Quitting stops it and leaves nothing running."""
    cache = prep_home / "cache" / reftiming.CACHE_FILE

    def samples() -> int:
        return max((n for _, n in reftiming._read(cache).values()), default=0)
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    d = PtyPrep(prep_home, "drill", "iou", cwd=tmp_path, TMPDIR=str(tmp))
    try:
        assert d.wait_for_text("q quit", 30), d.drain()[-2000:]
        assert wait_for(lambda: samples() >= reftiming.SAMPLES, 60)
        d.send("q")
        assert d.finish() == 0
    finally:
        d.close()
    assert samples() == reftiming.SAMPLES
    assert list(tmp.iterdir()) == []  # no sandbox folder left, the grade of the stub's either


def test_quitting_a_drill_during_a_grade_leaves_no_sandbox_behind(tmp_path, prep_home):
    """The drill grades in a thread of its own, which exiting stops where it is: what it
    started is ended and removed at exit."""
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    ex = tmp_path / "exercises"
    ex.mkdir()
    (ex / "iou.py").write_text("import time\ndef box_iou(a, b):\n    time.sleep(60)\n",
                               encoding="utf-8")
    d = PtyPrep(prep_home, "drill", "iou", "--continue", cwd=tmp_path, TMPDIR=str(tmp))
    try:
        assert d.wait_for_text("q quit", 30), d.drain()[-2000:]
        d.send("r")  # grade (again): the first case sleeps
        assert wait_for(lambda: any((p / "in" / "manifest.json").exists()
                                    for p in tmp.iterdir()), 30)
        d.send("q")
        assert d.finish() == 0
    finally:
        d.close()
    assert wait_for(lambda: list(tmp.iterdir()) == [], 5), list(tmp.iterdir())


def test_with_on_verdict_the_verdict_comes_before_the_reference_is_measured(tmp_path,
                                                                          monkeypatch):
    f = tmp_path / "iou.py"
    f.write_text(for_exercise(EXERCISES["iou"]), encoding="utf-8")
    cache = tmp_path / "cache"
    runs = _trusted_runs(monkeypatch)
    seen = []

    def verdict(rep):
        seen.append((len(runs), rep.timing, rep.passed, len(rep.cases)))
    rep = grader.grade(f, FAST, cache_dir=cache, on_verdict=verdict)
    # given the report before the reference's child ran, without its timing
    assert seen == [(0, None, True, len(rep.cases))]
    assert len(runs) == 1 and rep.timing is not None and not rep.timing["reference_cached"]
    again = grader.grade(f, FAST, cache_dir=cache, on_verdict=verdict)
    assert len(seen) == 1 and again.timing["reference_cached"]  # nothing to wait for: no call
    assert again.timing["reference_s"] == rep.timing["reference_s"]


def test_on_verdict_is_not_called_when_there_is_nothing_to_time(tmp_path, monkeypatch):
    f = tmp_path / "iou.py"
    f.write_text("def box_iou(a, b):\n    raise NotImplementedError\n", encoding="utf-8")
    runs = _trusted_runs(monkeypatch)
    rep = grader.grade(f, FAST, cache_dir=tmp_path / "cache", on_verdict=pytest.fail)
    assert rep.timing is None and not rep.passed and runs == []


def test_prep_grade_shows_the_verdict_before_timing_the_reference(run, tmp_path, prep_home):
    f = tmp_path / "iou.py"
    f.write_text(for_exercise(EXERCISES["iou"]), encoding="utf-8")
    first, second = run("grade", f), run("grade", f)
    assert first.exit_code == second.exit_code == 0, first.stdout
    # first grade: the verdict, then the reference measured; after: the timing line in place
    assert first.stdout.index("PASS") < first.stdout.index("Timing (")
    assert second.stdout.index("Timing (") < second.stdout.index("PASS")
    for out in (first.stdout, second.stdout):
        assert out.count("Timing (") == 1 and out.count("PASS") == 1


def test_a_drill_grades_in_the_sandbox_it_started_while_the_user_wrote(tmp_path, prep_home):
    """After a grade, `prep drill` starts the next one's sandbox (its child waiting for the
    file); the next grade takes it, and another is started; quitting removes it."""
    tmp = tmp_path / "tmp"
    tmp.mkdir()

    def waiting() -> set[str]:
        out = set()
        for d in tmp.iterdir():
            for cfg in (d / "in").glob("config*.json"):
                try:  # (being written, or removed, as this reads it)
                    if json.loads(cfg.read_text()).get("await_file"):
                        out.add(d.name)
                except (OSError, ValueError):
                    pass
        return out
    d = PtyPrep(prep_home, "drill", "iou", cwd=tmp_path, TMPDIR=str(tmp))
    try:
        assert d.wait_for_text("q quit", 30), d.drain()[-2000:]
        assert wait_for(lambda: len(waiting()) == 1, 30)  # after the first grade
        first = waiting()
        d.send("r")
        assert wait_for(lambda: waiting() and waiting() != first, 30)  # taken, another made
        assert not any((tmp / name).exists() for name in first)  # the grade used and closed it
        d.send("q")
        assert d.finish() == 0
    finally:
        d.close()
    assert wait_for(lambda: list(tmp.iterdir()) == [], 5), list(tmp.iterdir())
