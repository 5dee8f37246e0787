"""Import throughput: the five real notes, and a large synthetic notes file.

    python -m bench.import_notes [--mb 10]

Baseline, measured in the same run: markdown-it-py parsing the same text (the CommonMark pass
prep's parser is built on), so the ratio shows what card extraction, identity and YAML output
cost on top of parsing.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

from markdown_it import MarkdownIt

from bench.common import best_of, machine
from prepcli.importer import import_notes

NOTES = Path(__file__).resolve().parent.parent / "cards" / "notes"


def synthetic(mb: float) -> str:
    """The real notes repeated with numbered headings until `mb` megabytes (UTF-8)."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(NOTES.glob("*.txt"))]
    out, size, n = [], 0, 0
    target = int(mb * 1_000_000)
    while size < target:
        for t in texts:
            n += 1
            chunk = f"# 第{n}章\n\n" + t.replace("\n## ", f"\n## [{n}] ").replace(
                "\n### ", f"\n### [{n}] ") + "\n"
            out.append(chunk)
            size += len(chunk.encode("utf-8"))
    return "".join(out)


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


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=float, default=10.0)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    print(f"# prep import throughput ({machine()})")
    print(f"{'input':<20} {'MB':>6} {'prep import s':>14} {'MB/s':>7} "
          f"{'markdown-it s':>14} {'ratio':>6}")
    for label, size, t, base in run(args.mb, args.repeat):
        print(f"{label:<20} {size:>6.2f} {t:>14.3f} {size / t:>7.2f} {base:>14.3f} "
              f"{t / base:>6.2f}")


if __name__ == "__main__":
    main()
