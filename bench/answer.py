"""One durable answer: `Session.answer` (schedule, then one committed transaction, WAL with
synchronous=FULL), against the durability floor and optionally another version of prep.

    python -m bench.answer [--cards 2000] [--answers 300]
    python -m bench.answer --against OLD [--repeat 5]

Each run answers `--answers` cards of a copy of the same store (bench.study.build: a
simulated user's history), Good four times in five, else Again; the median time per answer is
reported, wall and CPU (CPU is less disturbed by other load on the machine; the wall time
includes the fsync of the WAL that makes the answer durable). The floor: a bare
BEGIN IMMEDIATE / INSERT / COMMIT in a database of the same settings. `--against OLD` (a
directory holding another prep's `prepcli/`) runs both in fresh processes, taking turns.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

NOW = datetime(2026, 12, 3, 12, tzinfo=timezone.utc)

# Run in a fresh interpreter with `root` first on sys.path: median wall and CPU ms per answer.
_ANSWERS = """
import shutil, statistics, sys, tempfile, time
from datetime import datetime, timezone
from pathlib import Path
sys.path.insert(0, sys.argv[1])
NOW = datetime(2026, 12, 3, 12, tzinfo=timezone.utc)  # bench.answer.NOW
from prepcli.review.scheduler import Scheduler
from prepcli.review.store import Store
home = Path(tempfile.mkdtemp()) / "home"
shutil.copytree(sys.argv[2], home)
store = Store(home / "prep.db")
sched = Scheduler()
wall, cpu = [], []
for i, (cid, before) in enumerate(list(store.states().items())[:int(sys.argv[3])]):
    t, c = time.perf_counter(), time.process_time()
    after = sched.review(cid, before, 3 if i % 5 else 1, NOW)
    store.record(cid, before, after, 3 if i % 5 else 1, 0, 5000)
    wall.append(time.perf_counter() - t)
    cpu.append(time.process_time() - c)
store.close()
shutil.rmtree(home.parent)
print(statistics.median(wall) * 1000, statistics.median(cpu) * 1000)
"""


def make_store(root: Path, cards: int) -> Path:
    """A store with a simulated history of `cards` cards (10 reviews each)."""
    from bench.study import build

    with contextlib.redirect_stdout(io.StringIO()):
        _, home = build(root, cards, cards * 10, NOW)
    return home


def answers(root: Path, home: Path, n: int) -> tuple[float, float]:
    r = subprocess.run([sys.executable, "-c", _ANSWERS, str(root), str(home), str(n)],
                       capture_output=True, text=True, check=True)
    wall, cpu = map(float, r.stdout.split()[-2:])
    return wall, cpu


def floor(n: int = 300) -> float:
    """Median ms of a bare durable commit (WAL, synchronous=FULL)."""
    with tempfile.TemporaryDirectory() as tmp:
        db = sqlite3.connect(Path(tmp) / "f.db", isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=FULL")
        db.execute("CREATE TABLE t (a INTEGER PRIMARY KEY, b TEXT)")
        times = []
        for _ in range(n):
            t = time.perf_counter()
            db.execute("BEGIN IMMEDIATE")
            db.execute("INSERT INTO t (b) VALUES ('x')")
            db.execute("COMMIT")
            times.append(time.perf_counter() - t)
        db.close()
    return statistics.median(times) * 1000


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cards", type=int, default=2000)
    ap.add_argument("--answers", type=int, default=300)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--against", type=Path, help="a directory holding another prep's prepcli/")
    args = ap.parse_args()
    new = Path(__file__).resolve().parent.parent
    roots = {"new": new} | ({"old": args.against} if args.against else {})
    with tempfile.TemporaryDirectory() as tmp:
        home = make_store(Path(tmp), args.cards)
        runs: dict[str, list[tuple[float, float]]] = {k: [] for k in roots}
        floors = []
        for _ in range(args.repeat):
            floors.append(floor())
            for label, root in roots.items():
                runs[label].append(answers(root, home, args.answers))
                wall, cpu = runs[label][-1]
                print(f"  {label}: {wall:.3f} ms (CPU {cpu:.3f} ms) per answer", flush=True)
        shutil.rmtree(home, ignore_errors=True)
    med = statistics.median
    print(f"durable commit floor {med(floors):.3f} ms")
    for label, r in runs.items():
        print(f"{label}: {med(w for w, _ in r):.3f} ms per answer (CPU {med(c for _, c in r):.3f} "
              f"ms), medians of {args.repeat} runs of {args.answers} answers")


if __name__ == "__main__":
    main()
