"""`prep export anki` on 20,000 cards: the whole command, a new process each, against
`prep --version` in the same run (A B A B …, medians).

    python -m bench.export_anki [--quick] [--write]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.common import cli_env, machine, write_section
from prepcli.cards import deck as deckmod


def build(directory: Path, n: int) -> None:
    per = n // 10
    for d in range(10):
        cards = [deckmod.Card(id=f"d{d}c{i}", question=f"What is item {i} of deck {d}? $x_{i}$",
                              answer=f"It is **{i}**.\n\n```python\nprint({i})\n```",
                              tags=[f"deck{d}", "bench"]) for i in range(per)]
        deckmod.write(deckmod.Deck(name=f"Deck {d}", cards=cards), directory / f"deck{d}.yaml")


def main() -> None:
    import subprocess

    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--write", action="store_true", help="update BENCHMARKS.md")
    args = ap.parse_args()
    n, repeat = (2_000, 2) if args.quick else (20_000, 5)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "decks").mkdir()
        build(root / "decks", n)
        env = cli_env(PREP_HOME=str(root / "home"))
        prep = [sys.executable, "-m", "prepcli"]
        export = prep + ["export", "anki", str(root / "out.apkg"), "--cards", str(root / "decks")]
        subprocess.run(export, env=env, check=True, capture_output=True)  # warm the deck cache
        times = {"export": [], "version": []}
        for _ in range(repeat):
            for name, cmd in (("export", export), ("version", prep + ["--version"])):
                t = time.perf_counter()
                subprocess.run(cmd, env=env, check=True, capture_output=True)
                times[name].append(time.perf_counter() - t)
    e, v = (statistics.median(times[k]) for k in ("export", "version"))
    line = (f"`prep export anki` of {n:,} cards (10 decks, Markdown + math + code): "
            f"{e:.2f} s, median of {repeat}; `prep --version` in the same run {v * 1000:.0f} ms "
            f"({machine()}).")
    print(line)
    if args.write:
        write_section("export-anki", "## Anki export (`python -m bench.export_anki`)\n\n" + line)


if __name__ == "__main__":
    main()
