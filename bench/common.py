"""Helpers shared by the benchmarks: timing and the machine they ran on."""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import time


def best_of(fn, repeat: int = 3) -> float:
    """Best wall time of `repeat` runs, in seconds (the least disturbed by other load)."""
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def median_of(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def machine() -> str:
    return (f"{platform.machine()}, {os.cpu_count()} cores, Python "
            f"{platform.python_version()}, {platform.system()}")


def wall(args: list[str], env: dict | None = None, repeat: int = 5) -> float:
    """Median wall time of running a command `repeat` times, its output discarded."""
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        subprocess.run(args, env=env, check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def size_args(repeat: int) -> argparse.Namespace:
    """--cards, --reviews, --repeat: the size of a synthetic collection benchmark."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--cards", type=int, default=20_000)
    ap.add_argument("--reviews", type=int, default=200_000)
    ap.add_argument("--repeat", type=int, default=repeat)
    return ap.parse_args()
