"""Helpers for bench/refs_backprop.py, refs_kmeans.py and refs_conv2d_backward.py: a
reference against baselines as rows, and the loop solutions kept as test data.

Import this module before NumPy: it sets one BLAS / OpenMP thread, as in the grading sandbox,
so the reference, torch and scikit-learn are compared like for like.
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import importlib.util  # noqa: E402
from pathlib import Path  # noqa: E402

from bench.common import alternating_medians  # noqa: E402

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"

Row = tuple[str, float, str, float]  # label, reference s, baseline label, baseline s


def compare(label: str, reference, baselines: list[tuple[str, object]], repeat: int) -> list[Row]:
    """One row per baseline: the reference's median time against the baseline's, the runs
    alternating, after one untimed warm-up run of each."""
    fns = {"reference": reference, **dict(baselines)}
    for fn in fns.values():
        fn()
    times = alternating_medians(fns, repeat)
    return [(label, times["reference"], name, times[name]) for name, _ in baselines]


def load_loop(name: str):
    """A loop-style solution from tests/data (e.g. loop_kmeans) as a module."""
    spec = importlib.util.spec_from_file_location(f"bench_{name}", DATA / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod
