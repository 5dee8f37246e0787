"""`prep stats` on a large collection: 20,000 cards and 200,000 reviews (target: 300 ms).

    python -m bench.stats

Wall time of the whole command (`prep stats` and `prep stats --json`, a new process each,
the deck index fresh), against `prep --version` in the same run (interpreter start + CLI
import), and the in-process time of computing the figures (SQL over the deck index joined
with the card states).
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from bench.common import cli_env, machine, size_args, wall
from bench.study import build
from prepcli.review import index
from prepcli.progress import stats as statsmod
from prepcli.catalog import EXERCISES
from prepcli.review.scheduler import Scheduler
from prepcli.review.store import Store


def measure(n_cards: int = 20_000, n_reviews: int = 200_000, repeat: int = 7) -> dict:
    now = datetime.now(timezone.utc)
    with tempfile.TemporaryDirectory() as tmp:
        decks, home = build(Path(tmp), n_cards, n_reviews, now)
        env = cli_env(PREP_HOME=str(home), COLUMNS="120")
        prep = [sys.executable, "-c", "from prepcli.cli import main; main()"]
        screen = wall(prep + ["stats", "--cards", str(decks)], env, repeat)
        as_json = wall(prep + ["stats", "--json", "--cards", str(decks)], env, repeat)
        base = wall(prep + ["--version"], env, repeat)
        with Store(home / "prep.db") as st:
            scope, _ = index.scope(st, [decks], [], set(EXERCISES))
            t = time.perf_counter()
            statsmod.compute(st, Scheduler(), now.astimezone(), scope.files)
            compute = time.perf_counter() - t
    return {"screen": screen, "json": as_json, "base": base, "compute": compute}


def main() -> None:
    args = size_args(repeat=7)
    print(f"# prep stats on {args.cards} cards / {args.reviews} reviews ({machine()})")
    m = measure(args.cards, args.reviews, args.repeat)
    print(f"{'measure':<30} {'seconds':>8} {'vs prep --version':>18}")
    print(f"{'prep stats':<30} {m['screen']:>8.3f} {m['screen'] / m['base']:>18.2f}")
    print(f"{'prep stats --json':<30} {m['json']:>8.3f} {m['json'] / m['base']:>18.2f}")
    print(f"{'prep --version (baseline)':<30} {m['base']:>8.3f} {1:>18.2f}")
    print(f"{'computing the figures':<30} {m['compute']:>8.3f}")


if __name__ == "__main__":
    main()
