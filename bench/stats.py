"""`prep stats` on a large collection: 20,000 cards and 200,000 reviews (target: 300 ms).

    python -m bench.stats [--cards N] [--reviews N] [--repeat N] [--against PYTHON]

Wall time of the whole command (`prep stats` and `prep stats --json`, a new process each,
the deck index fresh), against `prep --version` in the same run (interpreter start + CLI
import), and the in-process time of computing the figures (SQL over the deck index joined
with the card states).

With `--against PYTHON` (an interpreter whose `prepcli` is another checkout, e.g. that
checkout's .venv/bin/python), `prep stats --json` of both is timed in turn (this one, the
other, this one, ...; medians) on two copies of the same collection, and their outputs at
one pinned moment are compared: a before/after of a change.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from bench.common import alternating_medians, cli_env, machine, size_args, wall
from bench.study import build
from prepcli.review import index
from prepcli.progress import stats as statsmod
from prepcli.catalog import EXERCISES
from prepcli.review.scheduler import Scheduler
from prepcli.review.store import Store

PREP = ["-c", "from prepcli.cli import main; main()"]
# `prep stats --json` at a pinned moment, so that two checkouts' outputs can be compared
PINNED = ("import sys; from datetime import datetime; import prepcli.cli as c; "
          "t = datetime.fromisoformat(sys.argv.pop(1)); c._now = lambda: t; c.main()")


def measure(n_cards: int = 20_000, n_reviews: int = 200_000, repeat: int = 7) -> dict:
    now = datetime.now(timezone.utc)
    with tempfile.TemporaryDirectory() as tmp:
        decks, home = build(Path(tmp), n_cards, n_reviews, now)
        env = cli_env(PREP_HOME=str(home), COLUMNS="120")
        prep = [sys.executable, *PREP]
        screen = wall(prep + ["stats", "--cards", str(decks)], env, repeat)
        as_json = wall(prep + ["stats", "--json", "--cards", str(decks)], env, repeat)
        base = wall(prep + ["--version"], env, repeat)
        with Store(home / "prep.db") as st:
            scope, _ = index.scope(st, [decks], [], set(EXERCISES))
            t = time.perf_counter()
            statsmod.compute(st, Scheduler(), now.astimezone(), scope.files)
            compute = time.perf_counter() - t
    return {"screen": screen, "json": as_json, "base": base, "compute": compute}


def compare(other: str, n_cards: int, n_reviews: int, repeat: int) -> dict:
    """`prep stats --json` of this checkout and of the one `other` (a Python) imports, in
    turn, each on its own copy of one collection (a newer schema must not touch the other's);
    whether their outputs at a pinned moment are the same."""
    now = datetime.now(timezone.utc)
    with tempfile.TemporaryDirectory() as tmp:
        decks, home = build(Path(tmp), n_cards, n_reviews, now)
        runs = {}
        for name, python in (("this", sys.executable), ("other", other)):
            copy = Path(tmp) / f"home-{name}"
            shutil.copytree(home, copy)
            env = cli_env(PREP_HOME=str(copy))
            args = ["stats", "--json", "--cards", str(decks)]
            # run from the temporary folder: `python -c` puts the working directory first on
            # sys.path, and a checkout's own folder there would shadow the other's prepcli
            out = subprocess.run([python, "-c", PINNED, now.isoformat(), *args], env=env,
                                 cwd=tmp, check=True, capture_output=True).stdout
            runs[name] = (out, lambda p=python, e=env, a=args: subprocess.run(
                [p, *PREP, *a], env=e, cwd=tmp, check=True, stdout=subprocess.DEVNULL))
        times = alternating_medians({k: v[1] for k, v in runs.items()}, repeat)
    return {**times, "same": runs["this"][0] == runs["other"][0]}


def _against() -> str | None:
    """The value of --against, taken out of the arguments (size_args reads the rest)."""
    if "--against" not in sys.argv:
        return None
    i = sys.argv.index("--against")
    value = sys.argv[i + 1]
    del sys.argv[i:i + 2]
    return value


def main() -> None:
    other = _against()
    args = size_args(repeat=7)
    print(f"# prep stats on {args.cards} cards / {args.reviews} reviews ({machine()})")
    if other:
        m = compare(other, args.cards, args.reviews, args.repeat)
        print(f"{'prep stats --json, this checkout':<40} {m['this']:>8.3f} s")
        print(f"{'prep stats --json, ' + other:<40} {m['other']:>8.3f} s")
        print(f"this / other: {m['this'] / m['other']:.2f}; same output: {m['same']}")
        return
    m = measure(args.cards, args.reviews, args.repeat)
    print(f"{'measure':<30} {'seconds':>8} {'vs prep --version':>18}")
    print(f"{'prep stats':<30} {m['screen']:>8.3f} {m['screen'] / m['base']:>18.2f}")
    print(f"{'prep stats --json':<30} {m['json']:>8.3f} {m['json'] / m['base']:>18.2f}")
    print(f"{'prep --version (baseline)':<30} {m['base']:>8.3f} {1:>18.2f}")
    print(f"{'computing the figures':<30} {m['compute']:>8.3f}")


if __name__ == "__main__":
    main()
