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

from prepcli.grader import check

DATA = Path(__file__).resolve().parent / "data"
REPO = Path(__file__).resolve().parent.parent


def module_from(source: str, name: str = "solution") -> types.ModuleType:
    """A user file's source as a module, without the sandbox (for in-process checks)."""
    module = types.ModuleType(name)
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
    args = [a.copy() if isinstance(a, np.ndarray) else a for a in case.args]
    with np.errstate(all="ignore"):
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
