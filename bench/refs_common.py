"""Helpers for the bench/refs_<id>.py benchmarks (a reference against a loop implementation
and torch or scikit-learn): interleaved timing, the loop solutions kept as test data, torch on
one thread."""

from __future__ import annotations

import importlib.util
import statistics
import time
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"


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


def print_rows(rows) -> None:
    for label, t, base_label, base in rows:
        print(f"{label}: {t * 1000:.2f} ms; {base_label} {base * 1000:.2f} ms "
              f"(baseline / reference = {base / t:.2f})")
