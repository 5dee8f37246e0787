"""Shared checks for the exercise-module tests (tests/test_ex_*.py): hand-derived vectors,
numerical gradients, stub doctests, loop solutions, variants and grading as a user file."""

from __future__ import annotations

import doctest
import importlib.util
import json
from pathlib import Path

import numpy as np

from conftest import REPO

DATA = REPO / "tests" / "data"


def load_file(path: Path, name: str | None = None):
    """A Python file imported as a module (a stub, a loop solution)."""
    spec = importlib.util.spec_from_file_location(name or f"exkit_{path.stem}", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def vectors(name: str) -> list[dict]:
    data = json.loads((DATA / f"{name}_vectors.json").read_text(encoding="utf-8"))
    assert data["source"] and data["vectors"]
    return data["vectors"]


def as_tuple(value) -> tuple:
    return value if isinstance(value, tuple) else (value,)


def differs(expected, got, rtol=1e-6, atol=1e-8) -> bool:
    """Whether `got` fails against `expected` at the grader's tolerances (NaN equals NaN)."""
    e, g = as_tuple(expected), as_tuple(got)
    if len(e) != len(g):
        return True
    for a, b in zip(e, g):
        a, b = np.asarray(a), np.asarray(b)
        if a.shape != b.shape or not np.allclose(b, a, rtol=rtol, atol=atol, equal_nan=True):
            return True
    return False


def assert_same(expected, got, rtol=1e-10, atol=1e-10) -> float:
    """Each item of `got` equals `expected` (to rtol/atol, same shapes, same dtype kind);
    returns the largest absolute difference, for the agreement figures."""
    e, g = as_tuple(expected), as_tuple(got)
    assert len(e) == len(g)
    worst = 0.0
    for a, b in zip(e, g):
        a, b = np.asarray(a), np.asarray(b)
        assert a.shape == b.shape and a.dtype.kind == b.dtype.kind, (a.shape, b.shape, b.dtype)
        np.testing.assert_allclose(b, a, rtol=rtol, atol=atol)
        if a.size:
            worst = max(worst, float(np.max(np.abs(a.astype(float) - b.astype(float)))))
    return worst


def numerical_gradient(f, x: np.ndarray, h: float = 1e-6) -> np.ndarray:
    """Central differences of the scalar f at x, one coordinate at a time."""
    x = np.array(x, dtype=np.float64)
    grad = np.zeros_like(x)
    flat, g = x.reshape(-1), grad.reshape(-1)
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + h
        up = f(x)
        flat[i] = old - h
        down = f(x)
        flat[i] = old
        g[i] = (up - down) / (2 * h)
    return grad


def stub_doctests(exercise_id: str, references: dict) -> tuple[int, int]:
    """(failures, examples) of the stub's docstring examples run against the reference."""
    stub = load_file(REPO / "exercises" / f"{exercise_id}.py", f"stub_{exercise_id}")
    globs = {"np": np, **references}
    test = doctest.DocTestParser().get_doctest(stub.__doc__, globs, exercise_id, None, 0)
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    runner.run(test)
    return runner.failures, runner.tries


def call(case, fn):
    """`fn` on the case's inputs, checking that it leaves them as they were."""
    before = [np.array(a, copy=True) if isinstance(a, np.ndarray) else a for a in case.args]
    out = fn(*case.args, **case.kwargs)
    for name, a, b in zip(case.arg_names, case.args, before):
        if isinstance(a, np.ndarray):
            assert np.array_equal(a, b, equal_nan=True), f"{case.name}: {name} was modified"
    return out


def variant_witnesses(exercise, variant) -> list[str]:
    """The cases on which the variant gives a result the grader fails."""
    out = []
    for case in exercise.cases():
        got = variant.compute(case)
        if got is not None and differs(case.expected(), got):
            out.append(case.name)
    return out


# --- grading user files (the grader as it is after the catalog restructure) ------------

def grader_knows(exercise_id: str) -> bool:
    """Whether the grader reads this exercise from the catalog yet."""
    try:
        from prepcli import grader
        return exercise_id in grader.EXERCISES
    except (ImportError, AttributeError):
        return False


def grade_source(tmp_path: Path, exercise_id: str, source: str, timing_seconds: float = 20):
    """Grade `source` written as a user file for the exercise, with short limits."""
    from prepcli import grader
    from prepcli.sandbox import Limits

    path = tmp_path / f"{exercise_id}.py"
    path.write_text(source, encoding="utf-8")
    limits = Limits(case_seconds=5, timing_case_seconds=timing_seconds, cpu_seconds=60)
    return grader.grade(path, limits, exercise=exercise_id)


def loop_source(name: str) -> str:
    return (DATA / f"{name}.py").read_text(encoding="utf-8")


def module_from(source: str, name: str = "solution"):
    """Source text as a module, in-process (no sandbox)."""
    import types

    module = types.ModuleType(name)
    exec(compile(source, name, "exec"), module.__dict__)
    return module


def variant_mismatches(module, exercise, name: str) -> list[str]:
    """The cases where a test file meant to implement the variant `name` gives something else
    than the variant computes (the reference where the variant does not apply)."""
    (variant,) = [v for v in exercise.variants if v.name.startswith(name)]
    out = []
    for case in exercise.cases():
        if case.category == "timing" or not hasattr(module, case.fn):  # slow, and like random
            continue
        with np.errstate(all="ignore"):
            got = getattr(module, case.fn)(*case.args, **case.kwargs)
            want = variant.compute(case)
        if differs(case.expected() if want is None else want, got):
            out.append(case.name)
    return out


def reference_source(exercise_id: str) -> str:
    """The exercise's catalog module as one self-contained user file (its reference)."""
    from prepcli.catalog import EXERCISES
    from prepcli.catalog.standalone import for_exercise

    return for_exercise(EXERCISES[exercise_id])


def needs_grader(exercise_id: str):
    import pytest

    return pytest.mark.skipif(not grader_knows(exercise_id),
                              reason=f"the grader reads {exercise_id} from the catalog only "
                                     "once the catalog restructure has landed")


def loop_mismatches(exercise, loop_file: str) -> list[str]:
    """The cases (timing cases aside: they go through the grader, with a time limit) where
    the loop-style solution in tests/data does not give the reference's result."""
    loop = load_file(DATA / loop_file)
    out = []
    for case in exercise.cases():
        if case.category == "timing":
            continue
        got = call(case, getattr(loop, case.fn))
        if differs(case.expected(), got):
            out.append(case.name)
        elif isinstance(case.expected(), tuple):
            assert [g.dtype for g in got] == [e.dtype for e in case.expected()], case.name
    return out


def check_bench_rows(module_name: str) -> None:
    """bench/<module_name>.py gives well-formed rows on tiny sizes."""
    import importlib

    rows = importlib.import_module(f"bench.{module_name}").rows(quick=True)
    assert rows and all(t > 0 and base > 0 and label and base_label
                        for label, t, base_label, base in rows)


def assert_passes_every_case(tmp_path: Path, exercise, source: str) -> None:
    r = grade_source(tmp_path, exercise.id, source)
    assert r.passed and r.first_failure is None, r.first_failure
    assert r.cases_passed == len(r.cases) == len(exercise.cases())


def assert_stub_not_implemented(tmp_path: Path, exercise_id: str) -> None:
    stub = (REPO / "exercises" / f"{exercise_id}.py").read_text(encoding="utf-8")
    r = grade_source(tmp_path, exercise_id, stub)
    assert r.exit_code == 1 and set(r.parts.values()) == {"not implemented"}


def assert_named(tmp_path: Path, exercise_id: str, source: str, name: str) -> None:
    """Grading `source` fails, and the first failure names the variant `name` ("" = none)."""
    r = grade_source(tmp_path, exercise_id, source)
    assert not r.passed and r.first_failure is not None
    if name:
        assert r.first_failure.variant.startswith(name), r.first_failure
    else:
        assert r.first_failure.variant == "", r.first_failure
