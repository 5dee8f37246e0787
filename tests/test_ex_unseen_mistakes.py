"""Mistakes that passed the grader, found by writing solutions from the contract alone (fault
hunt 20): each is now a case it fails. Each is made from the reference by one small edit and
run in this process (no sandbox); the reference passes the same cases."""

from __future__ import annotations

import pytest

import exkit

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
    assert exkit.in_process_failures(ex, exkit.load_file(right)) == []
    failed = exkit.in_process_failures(ex, exkit.load_file(wrong))  # ("<case>: <problem>")
    assert any(f.startswith(case + ": ") for f in failed), failed
