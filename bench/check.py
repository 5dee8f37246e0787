"""`prep check` of one large deck: what reading and validating a deck file costs (the same
parse the index does for a deck file that changed, before `prep study` shows its first card).

    python -m bench.check [--cards 20000] [--repeat 5]
    python -m bench.check --against OLD [--cards 20000] [--repeat 5]

Baseline, measured in the same run and alternating: PyYAML loading the same deck with its C
parser (`yaml.load(text, CSafeLoader)`), i.e. the YAML alone, without prep's checks.
`--against OLD` instead runs the same `prep check` with another version of prep (OLD: a
directory holding its `prepcli/`), in fresh processes, taking turns; medians compared.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

from bench.common import alternating, cli_env, machine
from bench.import_notes import sections
from prepcli.cards import deck
from prepcli.cards.importer import import_notes

# One `prep check DIR` in a fresh interpreter with `root` first on sys.path; its wall seconds.
ONE_CHECK = """
import sys, time
sys.path.insert(0, sys.argv[1])
sys.argv = ["prep", "check", sys.argv[2]]
t = time.perf_counter()
from prepcli.cli import main
try:
    main()
except SystemExit as e:
    assert not e.code, e.code
print(time.perf_counter() - t, file=sys.stderr)
"""


def make_deck(tmp: Path, cards: int) -> Path:
    notes = tmp / "many.md"
    notes.write_text(sections(cards), encoding="utf-8")
    out = tmp / "decks"
    import_notes([notes], out)
    return out


def against(old: Path, decks: Path, repeat: int) -> dict[str, float]:
    new = Path(__file__).resolve().parent.parent
    times: dict[str, list[float]] = {"old": [], "new": []}
    env = cli_env(PREP_HOME=str(decks.parent / "home"))
    for i in range(repeat + 1):
        for label, root in (("old", old), ("new", new)):
            r = subprocess.run([sys.executable, "-c", ONE_CHECK, str(root), str(decks)],
                               capture_output=True, text=True, check=True, env=env)
            if i:  # (the first round writes the bytecode cache: not timed)
                times[label].append(float(r.stderr.split()[-1]))
    return {k: statistics.median(v) for k, v in times.items()}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cards", type=int, default=20_000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--against", type=Path, help="a directory holding another prep's prepcli/")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        decks = make_deck(Path(tmp), args.cards)
        if args.against:
            m = against(args.against, decks, args.repeat)
            print(f"prep check, {args.cards} cards: old {m['old']:.3f} s, new {m['new']:.3f} s "
                  f"(medians of {args.repeat}, alternating): new / old = "
                  f"{m['new'] / m['old']:.2f}")
            return
        (path,) = decks.glob("*.yaml")
        text = path.read_text(encoding="utf-8")

        def baseline():
            gc.disable()  # (as the deck loader does)
            try:
                yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
            finally:
                gc.enable()

        ours, base = alternating(lambda: deck.load_dir(decks), baseline, args.repeat)
    print(f"# deck load and check ({machine()})")
    print(f"{args.cards} cards: prep {ours:.3f} s, PyYAML C load {base:.3f} s "
          f"(medians of {args.repeat}, alternating): prep / PyYAML = {ours / base:.2f}")


if __name__ == "__main__":
    main()
