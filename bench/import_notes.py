"""Import throughput: the five real notes, and a large synthetic notes file.

    python -m bench.import_notes [--mb 10]
    python -m bench.import_notes --against OLD [--mb 10 | --sections 20000 | --file NOTES.md]
                                 [--repeat 5]

`--against OLD` compares with another version of prep (OLD: a directory holding its
`prepcli/`, e.g. `git archive 2cbf487 prepcli | tar -x -C /tmp/old`): both import the same
synthetic file in fresh processes, taking turns, and the medians are compared.

Baseline, measured in the same run: markdown-it-py parsing the same text (the CommonMark pass
prep's parser is built on), so the ratio shows what card extraction, identity and YAML output
cost on top of parsing.

`--sections N`: instead of the real notes, N question sections with the answer bench.study
gives every card. `--file NOTES.md`: that notes file (e.g. the one bench.anki_compare's
measure_import writes and imports against Anki's `add_notes`).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from markdown_it import MarkdownIt

from bench.common import best_of, machine
from prepcli.cards.importer import import_notes

NOTES = Path(__file__).resolve().parent.parent / "cards" / "notes"


def synthetic(mb: float) -> str:
    """The real notes repeated with numbered headings until `mb` megabytes (UTF-8). (The
    number is a word, `v12`, not numbering: numbering leaves a question, and a card a note
    holds twice is one card, so `[12]` would leave one copy's worth of cards.)"""
    texts = [p.read_text(encoding="utf-8") for p in sorted(NOTES.glob("*.txt"))]
    out, size, n = [], 0, 0
    target = int(mb * 1_000_000)
    while size < target:
        for t in texts:
            n += 1
            chunk = f"# 第{n}章\n\n" + t.replace("\n## ", f"\n## v{n} ").replace(
                "\n### ", f"\n### v{n} ") + "\n"
            out.append(chunk)
            size += len(chunk.encode("utf-8"))
    return "".join(out)


def sections(n: int) -> str:
    """N `## question` sections with bench.study's answer: bench.anki_compare's notes file."""
    body = ("A typical answer: a few sentences with `code`, a list and a formula $x^2$.\n\n"
            "- point one\n- point two\n\n```python\ndef f(x):\n    return x * 2\n```\n")
    per = n // 10
    return "".join(f"## Question {d}-{i}: why does it work?\n{body}\n"
                   for d in range(10) for i in range(per))


def run(mb: float, repeat: int) -> list[tuple[str, float, float, float]]:
    md = MarkdownIt("commonmark").enable("table")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        five = sorted(NOTES.glob("*.txt"))
        big = tmp / "big.md"
        big.write_text(synthetic(mb), encoding="utf-8")
        for label, files in (("five notes", five), (f"synthetic {mb:g} MB", [big])):
            size = sum(f.stat().st_size for f in files) / 1e6
            texts = [f.read_text(encoding="utf-8") for f in files]
            base = best_of(lambda: [md.parse(t) for t in texts], repeat)

            def once():
                out = tmp / "out"
                shutil.rmtree(out, ignore_errors=True)
                import_notes(files, out)

            t = best_of(once, repeat)
            rows.append((label, size, t, base))
    return rows


# Run in a fresh interpreter with `root` first on sys.path: one import, its wall and CPU
# seconds printed (CPU time is less disturbed by other load on the machine; it counts the
# child that parses half of a big note, see notes._in_halves).
ONE_IMPORT = """
import os, sys, time, tempfile, shutil
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from prepcli.cards.importer import import_notes
def cpu():
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system
out = Path(tempfile.mkdtemp()) / "out"
t, c = time.perf_counter(), cpu()
import_notes([Path(sys.argv[2])], out)
wall = time.perf_counter() - t
while True:  # (a child is counted in children_user once reaped: prep may reap it later)
    try:
        os.wait()
    except ChildProcessError:
        break
print(wall, cpu() - c)
shutil.rmtree(out.parent)
"""


def against(old: Path, text: str, repeat: int) -> dict[str, tuple[float, float]]:
    """{"old"/"new": (median wall s, median CPU s)} importing the same notes, runs alternating."""
    new = Path(__file__).resolve().parent.parent
    times: dict[str, list[tuple[float, float]]] = {"old": [], "new": []}
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "big.md"
        big.write_text(text, encoding="utf-8")
        for _ in range(repeat):
            for label, root in (("old", old), ("new", new)):
                r = subprocess.run([sys.executable, "-c", ONE_IMPORT, str(root), str(big)],
                                   capture_output=True, text=True, check=True)
                wall, cpu = map(float, r.stdout.split()[-2:])
                times[label].append((wall, cpu))
                print(f"  {label} {wall:.2f} s (CPU {cpu:.2f} s)", flush=True)
    return {k: (statistics.median(w for w, _ in v), statistics.median(c for _, c in v))
            for k, v in times.items()}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=float, default=10.0)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--against", type=Path, help="a directory holding another prep's prepcli/")
    ap.add_argument("--sections", type=int, help="N question sections instead of the real notes")
    ap.add_argument("--file", type=Path, help="a notes file instead of generated ones")
    args = ap.parse_args()
    if args.against:
        if args.file:
            text, what = args.file.read_text(encoding="utf-8"), args.file.name
        elif args.sections:
            text, what = sections(args.sections), f"{args.sections} sections"
        else:
            text, what = synthetic(args.mb), f"synthetic {args.mb:g} MB"
        m = against(args.against, text, args.repeat)
        (ow, oc), (nw, nc) = m["old"], m["new"]
        print(f"{what}: old {ow:.2f} s (CPU {oc:.2f}), new {nw:.2f} s (CPU {nc:.2f}) "
              f"(medians of {args.repeat}, alternating): new / old = {nw / ow:.2f} "
              f"(CPU {nc / oc:.2f})")
        return
    print(f"# prep import throughput ({machine()})")
    print(f"{'input':<20} {'MB':>6} {'prep import s':>14} {'MB/s':>7} "
          f"{'markdown-it s':>14} {'ratio':>6}")
    for label, size, t, base in run(args.mb, args.repeat):
        print(f"{label:<20} {size:>6.2f} {t:>14.3f} {size / t:>7.2f} {base:>14.3f} "
              f"{t / base:>6.2f}")


if __name__ == "__main__":
    main()
