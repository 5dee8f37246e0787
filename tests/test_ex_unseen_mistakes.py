"""Mistakes that passed the grader, found by writing solutions from the contract alone (fault
hunt 20): each is now a case it fails. Each is made from the reference by one small edit and
run in this process (no sandbox); the reference passes the same cases."""

from __future__ import annotations

import importlib.util
import sys

import numpy as np
import pytest

import exkit
from prepcli.drills.grader import check


def _load(path):
    """A user file as a module (registered while it loads: its dataclasses look it up)."""
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[path.stem] = module
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[path.stem]
    return module

MISTAKES = [
    # (exercise, edit of the reference, the case that must now catch it)
    ("interp", ("batch = boxes[:, 0].astype(np.int64)",
                "batch = np.rint(boxes[:, 0]).astype(np.int64)"),
     "a fractional batch index is truncated (1.7 is image 1)"),
    ("kmeans", ("for _ in range(int(max_iter)):", "for _ in range(max(1, int(max_iter))):"),
     "max_iter=0: the initial centres and their labels"),
    ("attention", ("    if scale is None:\n        scale = 1.0 / math.sqrt(q.shape[-1])",
                   "    if not scale:\n        scale = 1.0 / math.sqrt(q.shape[-1])"),
     "scale 0: every key weighs the same"),
    ("pool", ("return (size + 2 * p - d * (k - 1) - 1) // s + 1",
              "return -(-(size + 2 * p - d * (k - 1) - 1) // s) + 1"),
     "max_pool2d: size not divisible (8x6, kernel 3, stride 2)"),
]


@pytest.mark.parametrize("ex,edit,case", MISTAKES, ids=[m[0] for m in MISTAKES])
def test_a_mistake_no_case_caught_is_caught(tmp_path, ex, edit, case):
    source = exkit.reference_source(ex)
    right, wrong = tmp_path / f"right_{ex}.py", tmp_path / f"wrong_{ex}.py"
    right.write_text(source, encoding="utf-8")
    wrong.write_text(exkit.rewrite(source, [edit]), encoding="utf-8")
    assert _failed(ex, _load(right)) == []
    assert case in _failed(ex, _load(wrong))


def _failed(ex: str, module) -> list[str]:
    """The names of the cases `module` fails or raises on (the timing case left out)."""
    out = []
    for c in exkit.catalog(ex).EXERCISE.cases():
        if c.category == "timing":
            continue
        try:
            with np.errstate(all="ignore"):
                got = getattr(module, c.fn)(*c.args, **c.kwargs)
        except Exception:  # noqa: BLE001 (a failure, as the grader counts it)
            out.append(c.name)
            continue
        if check(c.expected(), got, c.exact, c.fn):
            out.append(c.name)
    return out
