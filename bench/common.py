"""Helpers shared by the benchmarks: timing and the machine they ran on."""

from __future__ import annotations

import argparse
from pathlib import Path
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


def alternating(fn, baseline, repeat: int = 5) -> tuple[float, float]:
    """Median wall times of `fn` and `baseline`, run in turn (fn, baseline, fn, ...) so that
    a change in machine load touches both alike; one untimed warm-up run of each first."""
    fn(), baseline()
    a, b = [], []
    for _ in range(repeat):
        for f, times in ((fn, a), (baseline, b)):
            t = time.perf_counter()
            f()
            times.append(time.perf_counter() - t)
    return statistics.median(a), statistics.median(b)


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


def alternating_medians(fns, repeat: int = 5):
    """Median wall time of each function, the functions run in turn `repeat` times (A B C A B
    C ...), so a slow spell of the machine falls on all of them alike. `fns` is a dict (the
    medians come back by name) or a list (in order)."""
    named = fns if isinstance(fns, dict) else dict(enumerate(fns))
    times = {name: [] for name in named}
    for _ in range(repeat):
        for name, fn in named.items():
            t = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - t)
    medians = {name: statistics.median(ts) for name, ts in times.items()}
    return medians if isinstance(fns, dict) else [medians[i] for i in range(len(fns))]


def print_rows(title: str, rows) -> None:
    """`python -m bench.<module> [--quick]`: the module's rows (label, seconds, baseline
    label, baseline seconds) as a table on stdout."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="small sizes (a smoke run)")
    quick = ap.parse_args().quick
    print(f"# {title} ({machine()})")
    print(f"{'measure':<56} {'ref s':>9} {'baseline':<48} {'base s':>9} {'base/ref':>9}")
    for label, t, base_label, base in rows(quick):
        print(f"{label:<56} {t:>9.4f} {base_label:<48} {base:>9.4f} {base / t:>9.2f}")


def torch_one_thread():
    """torch with one thread (like the grading sandbox), or None when it is not installed."""
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(1)
    return torch


def write_section(name: str, body: str, path: Path | None = None) -> None:
    """Put `body` in BENCHMARKS.md between `<!-- name:begin -->` and `<!-- name:end -->`
    (added at the end the first time). `python -m bench` keeps such sections when it
    rewrites the main table."""
    import re

    path = path or Path(__file__).resolve().parent.parent / "BENCHMARKS.md"
    begin, end = f"<!-- {name}:begin -->", f"<!-- {name}:end -->"
    block = f"{begin}\n{body.rstrip()}\n{end}"
    doc = path.read_text(encoding="utf-8") if path.exists() else ""
    if begin in doc:
        doc = re.sub(re.escape(begin) + ".*?" + re.escape(end), lambda _: block, doc, flags=re.S)
    else:
        doc = doc.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(doc, encoding="utf-8")
