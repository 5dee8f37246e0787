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


def cli_env(**extra: str) -> dict:
    """The environment for timing a prep command as a user runs it: Python may write its
    bytecode cache, as an installed package has (pip compiles it at install time), so a run
    does not spend its time recompiling every module."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(extra)
    return env


def wall(args: list[str], env: dict | None = None, repeat: int = 5) -> float:
    """Median wall time of running a command `repeat` times, its output discarded, after one
    run that is not timed (it writes the bytecode cache and warms the file cache)."""
    env = cli_env() if env is None else env
    subprocess.run(args, env=env, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
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


def alternating_medians(fns, repeat: int = 5) -> list[float]:
    """Median wall time of each function, the runs interleaved (a, b, a, b, ...) so drift in
    the machine's load or clock touches every contender alike."""
    times = [[] for _ in fns]
    for _ in range(repeat):
        for fn, ts in zip(fns, times):
            t = time.perf_counter()
            fn()
            ts.append(time.perf_counter() - t)
    return [statistics.median(ts) for ts in times]
