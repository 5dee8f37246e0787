"""Helpers for the bench/refs_<id>.py benchmarks (a reference against a loop implementation
and torch or scikit-learn): interleaved timing, the loop solutions kept as test data, torch on
one thread.

Import this module before NumPy: it sets one BLAS / OpenMP thread, as in the grading sandbox,
so the reference, torch and scikit-learn are compared like for like.
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import importlib.util  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"

Row = tuple[str, float, str, float]  # label, reference s, baseline label, baseline s


def alternating_medians(fns: list, repeat: int = 5) -> list[float]:
    """Median wall time of each function, the runs interleaved (a, b, c, a, b, c, ...) so a
    change in machine load falls on all of them alike; one untimed warm-up run each."""
    for fn in fns:
        fn()
    times = [[] for _ in fns]
    for _ in range(repeat):
        for t_list, fn in zip(times, fns):
            t = time.perf_counter()
            fn()
            t_list.append(time.perf_counter() - t)
    return [statistics.median(t) for t in times]


def compare(label: str, reference, baselines: list[tuple[str, object]], repeat: int) -> list[Row]:
    """One row per baseline: the reference's median time against the baseline's."""
    times = alternating_medians([reference] + [fn for _, fn in baselines], repeat)
    return [(label, times[0], name, t) for (name, _), t in zip(baselines, times[1:])]


def load_loop(name: str):
    """A loop-style solution from tests/data (e.g. loop_kmeans) as a module."""
    spec = importlib.util.spec_from_file_location(f"bench_{name}", DATA / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def torch_one_thread():
    """torch on one thread, as the grading sandbox runs NumPy; None when not installed."""
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(1)
    return torch


def main(rows) -> None:
    """`python -m bench.refs_<id> [--quick]`: print the rows."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    for label, t, base_label, base in rows(ap.parse_args().quick):
        print(f"{label}: {t * 1000:.2f} ms; {base_label} {base * 1000:.2f} ms "
              f"(baseline / reference = {base / t:.2f})")
