"""Helpers for testing one catalog exercise in-process: a user file's functions called on every
case and compared as the grader compares, the known variant that explains a failure, the
stub's doctests run against the reference, and hand-derived vectors read from tests/data."""

from __future__ import annotations

import doctest
import json
import math
import types
from pathlib import Path

import numpy as np

from prepcli.drills.grader import check

DATA = Path(__file__).resolve().parent / "data"
REPO = Path(__file__).resolve().parent.parent


def module_from(source: str, name: str = "solution") -> types.ModuleType:
    """A user file's source as a module, without the sandbox (for in-process checks)."""
    import sys

    module = types.ModuleType(name)
    sys.modules[name] = module  # as the sandbox does: dataclasses look their module up
    exec(compile(source, name, "exec"), module.__dict__)
    return module


def problems(expected, got, exact: bool = False) -> list[str]:
    """The grader's comparison; reduced losses (floats) compared as 0-d arrays."""
    if not isinstance(expected, np.ndarray):
        expected = np.asarray(expected, dtype=np.float64)
        if isinstance(got, (float, int, np.generic)):
            got = np.asarray(got, dtype=np.float64)
    return check(expected, got, exact)


def call(fn, case):
    """`fn` on a copy of the case's inputs (a user function must not see the originals)."""
    import warnings

    args = [a.copy() if isinstance(a, np.ndarray) else a for a in case.args]
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a user file's np.mean([]) and such
        return fn(*args, **case.kwargs)


def failures(module, cases) -> list[tuple[int, list[str]]]:
    """(index, problems) for every case where the module's function disagrees."""
    out = []
    for i, case in enumerate(cases):
        try:
            got = call(getattr(module, case.fn), case)
        except Exception as e:  # noqa: BLE001 - a wrong solution may raise anything
            out.append((i, [f"raised {type(e).__name__}: {e}"]))
            continue
        p = problems(case.expected(), got, case.exact)
        if p:
            out.append((i, p))
    return out


def named_variant(exercise, module, cases, failed: int) -> str:
    """The variant the grader's rule names for the failure at `failed`: among the variants that
    reproduce the user's output there, the one reproducing most of that part's outputs."""
    part = cases[failed].part
    outputs = {}
    for i, c in enumerate(cases):
        if c.part == part:
            try:
                outputs[i] = call(getattr(module, c.fn), c)
            except Exception:  # noqa: BLE001 - the grader only matches cases that returned
                pass

    def reproduces(variant, i, fallback):
        if i not in outputs:
            return False
        try:
            out = variant.compute(cases[i])
        except Exception:  # noqa: BLE001
            return False
        out = fallback if out is None else out
        return out is not None and not problems(out, outputs[i], cases[i].exact)

    best, best_score = "", 0
    for v in exercise.variants:
        if not reproduces(v, failed, None):
            continue
        score = sum(reproduces(v, i, cases[i].expected()) for i in list(outputs))
        if score > best_score:
            best, best_score = v.name, score
    return best


def run_doctests(stub: Path, globs: dict) -> doctest.TestResults:
    """The stub's module docstring examples, run with the reference functions as globals."""
    import ast

    doc = ast.get_docstring(ast.parse(stub.read_text(encoding="utf-8")))
    test = doctest.DocTestParser().get_doctest(doc, dict(globs, np=np), stub.stem, str(stub), 0)
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    runner.run(test)
    return runner.summarize(verbose=False)


_MATH = {name: getattr(math, name) for name in ("log", "log1p", "exp", "sqrt", "inf", "nan")}


def _value(v):
    """A number from the vectors file: a JSON number, or a closed form like "log(4/3)"."""
    if isinstance(v, list):
        return [_value(x) for x in v]
    if isinstance(v, str):
        return eval(v, {"__builtins__": {}}, _MATH)  # noqa: S307 - our own data file
    return v


def vectors(exercise_id: str) -> list[dict]:
    """Hand-derived vectors: each has fn, args, kwargs, expected (closed forms), source."""
    data = json.loads((DATA / f"{exercise_id}_vectors.json").read_text(encoding="utf-8"))
    out = []
    for v in data["vectors"]:
        arrays = v.get("int_args", [])
        args = tuple(np.asarray(_value(a), dtype=np.int64 if i in arrays else np.float64)
                     for i, a in enumerate(v["args"]))
        kwargs = {k: x if k == "reduction" else np.asarray(_value(x), dtype=np.float64)
                  if isinstance(x, list) else _value(x) for k, x in v.get("kwargs", {}).items()}
        out.append(dict(v, args=args, kwargs=kwargs, expected=np.asarray(_value(v["expected"]))))
    return out


# --- checks shared by every exercise's tests --------------------------------------------

def assert_stub_fits(exercise, stub: Path, cases) -> None:
    """The stub has the reference's signatures, raises NotImplementedError, and its doctests
    pass against the reference."""
    import inspect

    import pytest

    module = module_from(stub.read_text(encoding="utf-8"))
    for name, ref in exercise.references.items():
        fn = getattr(module, name)
        sig = [(p.name, p.default) for p in inspect.signature(fn).parameters.values()]
        assert sig == [(p.name, p.default) for p in inspect.signature(ref).parameters.values()]
        with pytest.raises(NotImplementedError):
            fn(*next(c for c in cases if c.fn == name).args)
    result = run_doctests(stub, exercise.references)
    examples = sum(c.category == "example" for c in cases)
    assert result.failed == 0 and result.attempted >= examples


def assert_cases_well_formed(exercise, cases) -> None:
    """Every part has examples, edge cases, a seeded sweep and one timing case; names are
    unique; generated cases carry their seed and replay from it; inputs are not modified."""
    assert exercise.parts == exercise.functions
    for part in exercise.parts:
        cats = [c.category for c in cases if c.part == part]
        assert {"example", "edge", "random", "timing"} <= set(cats) and cats.count("timing") == 1
    assert len({c.name for c in cases}) == len(cases)
    again = exercise.make_cases()
    for c in cases:
        twin = next(d for d in again if d.name == c.name)
        # random and timing cases come from their own seed; every hidden case has one (see
        # Exercise.cases) to be replayed by
        assert (twin.seed is not None) == (c.category in ("random", "timing")), c.name
        assert (c.seed is None) == (c.category == "example"), c.name
        assert twin.seed in (None, c.seed) and all(np.array_equal(a, b, equal_nan=True)
                                                   for a, b in zip(c.args, twin.args))
        before = [a.copy() for a in c.args]
        c.reference(*c.args, **c.kwargs)
        assert all(np.array_equal(a, b, equal_nan=True) for a, b in zip(c.args, before))
    assert 2 <= len(exercise.hints) <= 3


def assert_each_variant_differs(exercise, cases) -> None:
    for v in exercise.variants:
        assert any((out := v.compute(c)) is not None and problems(c.expected(), out)
                   for c in cases), f"{v.name}: never differs from the reference"


def first_failure_named(exercise, source: str, cases) -> str:
    """In-process, what the grader would name for a user file: its first failing case's
    variant ("" when none). Fails the test when the file passes every case. Timing cases
    are left out (never the first failure, and slow for loop-style code)."""
    cases = [c for c in cases if c.category != "timing"]
    module = module_from(source)
    failed = failures(module, cases)
    assert failed, "the file passes every case"
    return named_variant(exercise, module, cases, failed[0][0])


def assert_no_variant_explains(exercise, correct_source: str, cases) -> None:
    """Where a variant differs from the reference, a correct file does not reproduce it."""
    module = module_from(correct_source)
    for v in exercise.variants:
        for c in cases:
            if c.category == "timing":
                continue
            out = v.compute(c)
            if out is not None and problems(c.expected(), out):
                assert problems(out, call(getattr(module, c.fn), c)), (v.name, c.name)


def grade(tmp_path: Path, exercise_id: str, source: str):
    """The grader end to end (sandbox and all) on `source` written as exercises/<id>.py."""
    from prepcli.drills import grader
    from prepcli.drills.sandbox import Limits

    path = tmp_path / f"{exercise_id}.py"
    path.write_text(source, encoding="utf-8")
    return grader.grade(path, Limits(case_seconds=5, timing_case_seconds=20, cpu_seconds=60),
                        exercise=exercise_id)


class Agreement:
    """Compares the reference with an independent library and keeps the worst errors."""

    def __init__(self, rtol: float = 1e-10, atol: float = 1e-10):
        self.rtol, self.atol = rtol, atol
        self.worst_abs = self.worst_rel = 0.0
        self.checks = 0

    def __call__(self, ours, theirs, what: str = "") -> None:
        ours, theirs = np.asarray(ours, dtype=np.float64), np.asarray(theirs, dtype=np.float64)
        np.testing.assert_allclose(ours, theirs, rtol=self.rtol, atol=self.atol, err_msg=what)
        fin = np.isfinite(theirs)
        if fin.any():
            err = np.abs(ours[fin] - theirs[fin])
            self.worst_abs = max(self.worst_abs, float(err.max()))
            big = np.abs(theirs[fin]) > 1e-6  # relative error where it means something
            if big.any():
                self.worst_rel = max(self.worst_rel,
                                     float((err[big] / np.abs(theirs[fin][big])).max()))
        self.checks += 1

    def __str__(self) -> str:
        return (f"{self.checks} seeded checks, max abs error {self.worst_abs:.3g}, "
                f"max rel error {self.worst_rel:.3g} (where |value| > 1e-6)")



def registered(exercise_id: str) -> bool:
    """Whether the grader knows the exercise (its module is in the catalog table)."""
    from prepcli.drills import grader

    return exercise_id in grader.EXERCISES


def array_cases_pass(report, cases) -> list[str]:
    """Names of the cases with an array result that did not pass end to end (reduced losses
    are floats, which need the sandbox to carry scalars)."""
    return [r.name for r, c in zip(report.cases, cases)
            if isinstance(c.expected(), np.ndarray) and r.status != "pass"]
