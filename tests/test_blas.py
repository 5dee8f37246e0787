"""The grading process computes expected outputs with one BLAS thread, restored afterwards."""

import pytest

from prepcli.catalog import EXERCISES
from prepcli.catalog.standalone import for_exercise
from prepcli.drills import blas, grader, sandbox
from prepcli.drills.sandbox import Limits

FAST = Limits(case_seconds=5, timing_case_seconds=10, cpu_seconds=20)


def _openblas() -> int:
    n = blas.threads()
    if n is None:
        pytest.skip("NumPy's BLAS is not an OpenBLAS with set/get functions")
    return n


def test_one_thread_inside_and_the_count_restored_after():
    before = _openblas()
    with blas.one_thread(sandbox.FORK_LOCK):
        assert blas.threads() == 1
    assert blas.threads() == before


def test_the_count_is_restored_when_the_block_raises():
    before = _openblas()
    with pytest.raises(RuntimeError), blas.one_thread():
        raise RuntimeError
    assert blas.threads() == before


def test_expected_outputs_are_computed_with_one_thread(tmp_path, monkeypatch):
    before = _openblas()
    seen, real = [], EXERCISES["softmax"].references["softmax"]

    def spy(*a, **kw):
        seen.append(blas.threads())
        return real(*a, **kw)
    cases = EXERCISES["softmax"].cases
    f = tmp_path / "softmax.py"
    f.write_text(for_exercise(EXERCISES["softmax"]), encoding="utf-8")

    def cases_with_spy():
        out = cases()
        for c in out:
            if c.fn == "softmax":
                c.reference = spy
        return out
    monkeypatch.setattr(grader, "replayed", lambda ex, seed: cases_with_spy())
    rep = grader.grade(f, FAST)
    assert rep.passed
    assert seen and set(seen) == {1}
    assert blas.threads() == before
