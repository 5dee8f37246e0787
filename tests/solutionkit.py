"""Helpers for the per-exercise tests (tests/test_ex_*.py): solutions kept as test data,
wrong variants derived from them, comparisons with the reference, grading in the sandbox.
(The stubs' worked examples are run for every exercise by tests/test_kernels.py.)"""

from __future__ import annotations

import importlib.util
import json
import math
from pathlib import Path

import numpy as np

from conftest import REPO

DATA = REPO / "tests" / "data"


def load(path: Path, name: str = "solution"):
    """A solution file imported as a module, in-process."""
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def vectors(ex: str) -> dict:
    return json.loads((DATA / f"{ex}_vectors.json").read_text(encoding="utf-8"))


def derived(tmp_path: Path, base: Path, ex: str, *edits: tuple[str, str]) -> Path:
    """`base` with some lines replaced (each edit must apply): a user's file with one known
    mistake, written as `<ex>.py` so the grader knows the exercise."""
    src = base.read_text(encoding="utf-8")
    for old, new in edits:
        assert src.count(old) == 1, f"{old!r} not found once in {base.name}"
        src = src.replace(old, new)
    path = tmp_path / f"{ex}.py"
    path.write_text(src, encoding="utf-8")
    return path


def max_diff(a, b) -> float:
    """Largest absolute difference; NaN against NaN counts as equal, NaN against a number as
    infinitely far."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    assert a.shape == b.shape, (a.shape, b.shape)
    if a.size == 0:
        return 0.0
    both = np.isnan(a) & np.isnan(b)
    d = np.where(both, 0.0, np.abs(a - b))
    return float(np.nan_to_num(d, nan=math.inf).max())


def graded(path: Path, exercise: str):
    """The grader's report on a file, run in the sandbox as `prep grade` does."""
    from prepcli.drills import grader

    return grader.grade(path, exercise=exercise)


def variant_reproduces_mistake(tmp_path: Path, ex, loop: Path, name: str, fns, edits) -> None:
    """The variant's own computation reproduces a hand-written file with that mistake on
    every case it touches (where it does not apply it is the reference), and the file is
    wrong on at least one case."""
    (variant,) = [v for v in ex.variants if v.name == name]
    wrong = load(derived(tmp_path, loop, ex.id, *edits), "wrong")
    differs = 0
    for c in ex.cases():
        if c.fn not in fns or c.category == "timing":  # the timing case adds only time
            continue
        got = getattr(wrong, c.fn)(*c.args, **c.kwargs)
        predicted = variant.compute(c)
        assert max_diff(got, c.expected() if predicted is None else predicted) <= 1e-9, c.name
        differs += max_diff(got, c.expected()) > 1e-6
    assert differs


def mistake_file_is_named(tmp_path: Path, ex_id: str, loop: Path, name: str, fns, edits):
    report = graded(derived(tmp_path, loop, ex_id, *edits), ex_id)
    assert report.exit_code == 1
    assert {p for p, s in report.parts.items() if s == "fail"} == fns
    assert report.first_failure.variant.startswith(name), report.first_failure
