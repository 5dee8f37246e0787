"""`prep stats` on a large collection: 20,000 cards and 200,000 reviews (target: 300 ms).

    python -m bench.stats

Wall time of the whole command (`prep stats` and `prep stats --json`, a new process each,
the deck cache warm), against `prep --version` in the same run (interpreter start + CLI
import), and the in-process time of computing the figures.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from bench.common import machine
from bench.study import build
from prepcli import deck as deckmod
from prepcli import stats as statsmod
from prepcli.exercises import EXERCISES
from prepcli.scheduler import Scheduler
from prepcli.store import Store


def wall(args: list[str], env: dict, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        subprocess.run(args, env=env, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cards", type=int, default=20_000)
    ap.add_argument("--reviews", type=int, default=200_000)
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    now = datetime.now(timezone.utc)
    print(f"# prep stats on {args.cards} cards / {args.reviews} reviews ({machine()})")
    with tempfile.TemporaryDirectory() as tmp:
        decks, home = build(Path(tmp), args.cards, args.reviews, now)
        env = dict(os.environ, PREP_HOME=str(home), COLUMNS="120")
        prep = [sys.executable, "-c", "from prepcli.cli import main; main()"]
        wall(prep + ["stats", "--cards", str(decks)], env, 1)  # fills the deck cache
        screen = wall(prep + ["stats", "--cards", str(decks)], env, args.repeat)
        as_json = wall(prep + ["stats", "--json", "--cards", str(decks)], env, args.repeat)
        base = wall(prep + ["--version"], env, args.repeat)
        loaded, _ = deckmod.load_dir(decks, set(EXERCISES), cache_dir=home / "cache")
        with Store(home / "prep.db") as st:
            t = time.perf_counter()
            statsmod.compute(loaded, st, Scheduler(), now.astimezone())
            compute = time.perf_counter() - t
    print(f"{'measure':<30} {'seconds':>8} {'vs prep --version':>18}")
    print(f"{'prep stats':<30} {screen:>8.3f} {screen / base:>18.2f}")
    print(f"{'prep stats --json':<30} {as_json:>8.3f} {as_json / base:>18.2f}")
    print(f"{'prep --version (baseline)':<30} {base:>8.3f} {1:>18.2f}")
    print(f"{'computing the figures':<30} {compute:>8.3f}")


if __name__ == "__main__":
    main()
