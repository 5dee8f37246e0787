"""Helpers for the tests of one exercise module (tests/test_ex_<id>.py): its hand-derived
vectors, its stub's doctests, user files run in-process, and grading a user file."""

from __future__ import annotations

import ast
import doctest
import importlib
import importlib.util
import json
import sys
from pathlib import Path

import numpy as np

from conftest import REPO
from prepcli.drills.grader import check

DATA = REPO / "tests" / "data"


def catalog(ex_id: str):
    return importlib.import_module(f"prepcli.catalog.{ex_id}")


def _decode(value):
    if isinstance(value, dict) and "array" in value:
        return np.array(value["array"], dtype=value.get("dtype", "float64"))
    return value


def vectors(ex_id: str) -> list[dict]:
    """tests/data/<id>_vectors.json: inputs, expected output and where it comes from."""
    data = json.loads((DATA / f"{ex_id}_vectors.json").read_text(encoding="utf-8"))
    out = []
    for v in data["vectors"]:
        assert v["source"], "every vector says where it comes from"
        out.append({"fn": v["fn"], "args": [_decode(a) for a in v["args"]],
                    "kwargs": {k: _decode(a) for k, a in v["kwargs"].items()},
                    "expected": np.array(v["expected"], dtype=np.float64),
                    "source": v["source"]})
    return out


def stub_doctests(ex_id: str) -> doctest.TestResults:
    """The stub's docstring examples, run against the reference functions."""
    doc = ast.get_docstring(ast.parse((REPO / "exercises" / f"{ex_id}.py").read_text("utf-8")))
    ex = catalog(ex_id).EXERCISE
    globs = {"np": np, **ex.references}
    test = doctest.DocTestParser().get_doctest(doc, globs, ex_id, f"exercises/{ex_id}.py", 0)
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    runner.run(test)
    return runner.summarize(verbose=False)


def load_file(path: Path):
    """A user file as a module (registered while it loads: the dataclasses of a file made
    from the catalog, exercises' references, look their module up)."""
    name = path.stem + "_under_test"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[name]
    return module


def in_process_failures(ex_id: str, module) -> list[str]:
    """The cases a user module fails or raises on (as the grader counts them), run in this
    process (no sandbox)."""
    bad = []
    for case in catalog(ex_id).EXERCISE.cases():
        try:
            with np.errstate(all="ignore"):
                got = getattr(module, case.fn)(*case.args, **case.kwargs)
        except Exception as e:  # noqa: BLE001
            bad.append(f"{case.name}: raised {type(e).__name__}: {e}")
            continue
        problem = check(case.expected(), got, case.exact, case.fn)
        if problem:
            bad.append(f"{case.name}: {problem[0]}")
    return bad


def variant_agreement(ex_id: str, variant_name: str, module, parts=None) -> tuple[int, list[str]]:
    """How a user module written with a known wrong convention compares with the variant, on
    the cases of `parts` (default all; the timing cases are left out, for speed): (the number
    of cases where it differs from the reference, the cases where the variant's own
    computation does not reproduce it)."""
    ex = catalog(ex_id).EXERCISE
    (variant,) = [v for v in ex.variants if v.name == variant_name]
    differs, unexplained = 0, []
    for case in ex.cases():
        if case.category == "timing" or parts is not None and case.part not in parts:
            continue
        with np.errstate(all="ignore"):
            got = getattr(module, case.fn)(*case.args, **case.kwargs)
            predicted = variant.compute(case)
        differs += bool(check(case.expected(), got, case.exact, case.fn))
        if check(case.expected() if predicted is None else predicted, got, case.exact, case.fn):
            unexplained.append(case.name)
    return differs, unexplained


def rewrite(source: str, edits: list[tuple[str, str]]) -> str:
    """`source` with each (old, new) replaced; every old text must be there exactly once."""
    for old, new in edits:
        assert source.count(old) == 1, old
        source = source.replace(old, new)
    return source


# --- graded end to end (the sandbox and the grader) ---------------------------------------

def grade(ex_id: str, path: Path, limits):
    """The grader's report on a user file (in the sandbox)."""
    from prepcli.drills import grader

    return grader.grade(path, limits, exercise=ex_id)


def assert_passes_every_case(ex_id: str, report) -> None:
    assert report.passed and report.first_failure is None, report.first_failure
    assert report.cases_passed == len(report.cases) == len(catalog(ex_id).EXERCISE.cases())


def assert_nothing_implemented(report) -> None:
    assert report.exit_code == 1 and set(report.parts.values()) == {"not implemented"}


def assert_fails_and_is_named(report, variant: str) -> None:
    assert report.exit_code == 1 and "fail" in report.parts.values()
    assert report.first_failure.variant.startswith(variant + "."), report.first_failure


def shown_solution_failures(ex_id: str) -> list[str]:
    """The reference solution `prep drill` shows (key s), run on its own with NumPy and math:
    the cases it fails (a helper missing from what is shown fails them all)."""
    import math

    from prepcli.drills import attempts as drills

    namespace = {"np": np, "math": math}
    exec(drills.reference_source(ex_id), namespace)  # noqa: S102 - our own catalog source
    bad = []
    for case in catalog(ex_id).EXERCISE.cases():
        if case.category == "timing":
            continue
        got = namespace[case.fn](*case.args, **case.kwargs)
        if check(case.expected(), got, case.exact, case.fn):
            bad.append(case.name)
    return bad


# --- for exercises with tuple results (backprop, kmeans, conv2d_backward) ----------------

def hand_vectors(name: str) -> list[dict]:
    """tests/data/<name>_vectors.json written as named inputs and named outputs (a tuple
    result's items by name), each vector with its derivation."""
    data = json.loads((DATA / f"{name}_vectors.json").read_text(encoding="utf-8"))
    assert data["source"] and data["vectors"]
    return data["vectors"]


def as_tuple(value) -> tuple:
    return value if isinstance(value, tuple) else (value,)


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


def call(case, fn):
    """`fn` on the case's inputs, checking that it leaves them as they were."""
    before = [np.array(a, copy=True) if isinstance(a, np.ndarray) else a for a in case.args]
    out = fn(*case.args, **case.kwargs)
    for name, a, b in zip(case.arg_names, case.args, before):
        if isinstance(a, np.ndarray):
            assert np.array_equal(a, b, equal_nan=True), f"{case.name}: {name} was modified"
    return out


def loop_source(name: str) -> str:
    return (DATA / f"{name}.py").read_text(encoding="utf-8")


def module_from(source: str, name: str = "solution"):
    """Source text as a module, in-process (no sandbox)."""
    import types

    module = types.ModuleType(name)
    exec(compile(source, name, "exec"), module.__dict__)  # noqa: S102 - our own test files
    return module


def reference_source(exercise_id: str) -> str:
    """The exercise's catalog module as one self-contained user file (its reference)."""
    from prepcli.catalog import EXERCISES
    from prepcli.catalog.standalone import for_exercise

    return for_exercise(EXERCISES[exercise_id])


def variant_named(exercise, prefix: str) -> str:
    """The full name of the exercise's variant that starts with `prefix`."""
    (name,) = [v.name for v in exercise.variants if v.name.startswith(prefix)]
    return name


def grade_source(tmp_path: Path, exercise_id: str, source: str):
    """Grade `source` written as a user file for the exercise, with short limits."""
    from prepcli.drills.sandbox import Limits

    path = tmp_path / f"{exercise_id}.py"
    path.write_text(source, encoding="utf-8")
    return grade(exercise_id, path, Limits(case_seconds=5, timing_case_seconds=20,
                                           cpu_seconds=60))


def check_bench_rows(module_name: str) -> None:
    """bench/<module_name>.py gives well-formed rows on tiny sizes."""
    rows = importlib.import_module(f"bench.{module_name}").rows(quick=True)
    assert rows and all(t > 0 and base > 0 and label and base_label
                        for label, t, base_label, base in rows)
