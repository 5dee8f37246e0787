"""Import quality: the cards `prep import` makes, against hand-labelled gold lists.

    python -m bench.import_quality [--verbose] [--write] [--against OLD]

`--against OLD` also scores another version of prep (OLD: a directory holding its `prepcli/`,
e.g. `git archive 2cbf487 prepcli | tar -x -C /tmp/old`) on the same gold, for comparison.

Gold lists live in tests/gold/: `bundled/` for the five notes in cards/notes, `corpus/` for the
notes of other people in ../shared/corpus (read from there, never copied; skipped when absent).
Each gold line is `line<TAB>kind<TAB>question`, kind one of

- `qa`, `prompt`: a card a careful person would make (answered, or not answered yet);
- `maybe`: a card one careful person would make and another would not (a sub-part of a long
  answer, a topic container, a personal interview question): neither required nor wrong;
- `junk`: a section that must not become a card (references, outlines, interview rounds, …);
  listed for the reader — a card there is a false positive like any other unlisted card.

Questions of files without a permissive licence are stored only as `h:` + the first 10 hex
digits of the SHA-1 of the normalised question (textnorm.key), never as text.

Matching rule, fixed before measuring: a produced card matches a gold entry when it starts on
the gold entry's source line, or, failing that, when its normalised question (textnorm.key) is
the gold question's (or hashes to it). Each gold entry matches at most one card (the first).

- precision = cards matching a qa/prompt entry / (cards − cards matching a maybe entry)
- recall = qa/prompt entries matched / qa/prompt entries
- kind = matched cards whose kind (qa or prompt) is the gold entry's, of those matched.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from prepcli.cards import textnorm
from prepcli.cards.notes import parse_note, read_note

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "gold"
NOTES = ROOT / "cards" / "notes"
CORPUS = ROOT.parent / "shared" / "corpus"
WANTED = ("qa", "prompt")


@dataclass
class Gold:
    line: int
    kind: str
    question: str  # text, or "h:<hash>"

    def same_question(self, key: str) -> bool:
        if self.question.startswith("h:"):
            return self.question[2:] == qhash(key)
        return textnorm.key(self.question) == key


@dataclass
class Score:
    name: str
    cards: int = 0
    tp: int = 0
    maybe: int = 0
    wanted: int = 0
    found: int = 0
    kind_ok: int = 0
    false_pos: list = field(default_factory=list)
    missed: list = field(default_factory=list)

    @property
    def precision(self) -> float | None:
        n = self.cards - self.maybe
        return self.tp / n if n else None

    @property
    def recall(self) -> float | None:
        return self.found / self.wanted if self.wanted else None

    def add(self, other: "Score") -> None:
        for f in ("cards", "tp", "maybe", "wanted", "found", "kind_ok"):
            setattr(self, f, getattr(self, f) + getattr(other, f))


def qhash(key: str) -> str:
    return hashlib.sha1(key.encode()).hexdigest()[:10]


def load_gold(path: Path) -> list[Gold]:
    out = []
    for ln in path.read_text(encoding="utf-8").splitlines():
        if ln.strip() and not ln.startswith("#"):
            line, kind, question = ln.split("\t", 2)
            out.append(Gold(int(line), kind, question))
    return out


def score(name: str, note: Path, gold: list[Gold]) -> Score:
    drafts = parse_note(read_note(note)).drafts
    s = Score(name, cards=len(drafts))
    entries = [g for g in gold if g.kind != "junk"]
    by_line = {g.line: g for g in entries}
    used: set[int] = set()
    matched: dict[int, object] = {}
    pending = []
    for i, d in enumerate(drafts):  # same line first, for every card
        g = by_line.get(d.line)
        if g is not None and g.line not in used:
            used.add(g.line)
            matched[i] = g
        else:
            pending.append(i)
    for i in pending:  # then the same normalised question
        key = textnorm.key(drafts[i].question)
        g = next((g for g in entries if g.line not in used and g.same_question(key)), None)
        if g is not None:
            used.add(g.line)
            matched[i] = g
    for i, d in enumerate(drafts):
        g = matched.get(i)
        if g is None:
            s.false_pos.append((d.line, d.question))
        elif g.kind == "maybe":
            s.maybe += 1
        else:
            s.tp += 1
            s.kind_ok += d.kind == g.kind
    wanted = [g for g in entries if g.kind in WANTED]
    s.wanted = len(wanted)
    s.found = sum(1 for g in wanted if g.line in used)
    s.missed = [(g.line, g.question) for g in wanted if g.line not in used]
    return s


def bundled() -> list[Score]:
    out = []
    for gold in sorted((GOLD / "bundled").glob("*.tsv")):
        note = NOTES / gold.name[:-4]
        out.append(score(note.name[:3], note, load_gold(gold)))
    return out


def corpus() -> list[Score] | None:
    if not CORPUS.is_dir():
        return None
    out = []
    for gold in sorted((GOLD / "corpus").glob("*.tsv")):
        note = CORPUS / gold.name[:-4]
        out.append(score(note.name, note, load_gold(gold)))
    return out


def _pct(v: float | None) -> str:
    return "—" if v is None else f"{100 * v:.1f} %"


def table(title: str, scores: list[Score]) -> list[str]:
    total = Score("**overall**")
    for s in scores:
        total.add(s)
    lines = [f"### {title}", "",
             "| file | cards | gold cards | matched | maybe | precision | recall | kind agrees |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for s in scores + [total]:
        name = s.name if len(s.name) <= 60 else s.name[:57] + "…"
        lines.append(f"| {name} | {s.cards} | {s.wanted} | {s.tp} | {s.maybe} | "
                     f"{_pct(s.precision)} | {_pct(s.recall)} | "
                     f"{_pct(s.kind_ok / s.tp if s.tp else None)} |")
    p, r = macro(scores)
    lines.append(f"| mean of the files | | | | | {_pct(p)} | {_pct(r)} | |")
    return lines + [""]


def macro(scores: list[Score]) -> tuple[float, float]:
    """Precision and recall averaged over files (each file counts the same, however long)."""
    ps = [s.precision for s in scores if s.precision is not None]
    rs = [s.recall for s in scores if s.recall is not None]
    return sum(ps) / len(ps), sum(rs) / len(rs)


def report(verbose: bool = False) -> str:
    lines = table("Bundled notes (cards/notes)", bundled())
    c = corpus()
    lines += table("Corpus of other people's notes (../shared/corpus)", c) if c is not None \
        else ["(../shared/corpus not found: corpus not measured)", ""]
    if verbose:
        for s in bundled() + (c or []):
            for line, q in s.false_pos:
                lines.append(f"FP   {s.name}:{line}: {q[:80]}")
            for line, q in s.missed:
                lines.append(f"MISS {s.name}:{line}: {q[:80]}")
    return "\n".join(lines)


def totals() -> dict:
    """Overall and mean-of-files precision and recall, bundled and corpus."""
    out = {}
    for name, scores in (("bundled", bundled()), ("corpus", corpus())):
        if scores is None:
            continue
        t = Score(name)
        for s in scores:
            t.add(s)
        p, r = macro(scores)
        out[name] = {"precision": t.precision, "recall": t.recall, "mean_precision": p,
                     "mean_recall": r, "cards": t.cards}
    return out


# Score another prep on the same gold: its prepcli first on sys.path, this file as a script.
_AGAINST = """
import runpy, sys
sys.path.insert(0, sys.argv[1])
sys.argv = [sys.argv[2], "--totals"]
runpy.run_path(sys.argv[0], run_name="__main__")
"""


def against(old: Path) -> dict:
    r = subprocess.run([sys.executable, "-c", _AGAINST, str(old), __file__],
                       capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(r.stdout)


def compare_lines(old: Path, before: dict, now: dict) -> list[str]:
    lines = [f"Compared with the prep in `{old.name}` (same gold, same matching):", "",
             "| notes | version | precision | recall | mean precision | mean recall |",
             "|---|---|---:|---:|---:|---:|"]
    for name in now:
        for label, d in (("before", before.get(name)), ("now", now[name])):
            if d:
                lines.append(f"| {name} | {label} | {_pct(d['precision'])} | {_pct(d['recall'])}"
                             f" | {_pct(d['mean_precision'])} | {_pct(d['mean_recall'])} |")
    return lines + [""]


def write(text: str) -> None:
    """Put the tables in BENCHMARKS.md, in their own marked section."""
    from bench.common import write_section

    write_section("import-quality", "## Import quality (`python -m bench.import_quality`)\n\n"
                  "Cards made by `prep import` against hand-labelled gold lists (tests/gold/); "
                  "matching rule and definitions in bench/import_quality.py. The gold was "
                  "written by reading the notes, before the importer changed; the rules were "
                  "then developed on these same notes, so these are development-set figures: "
                  "notes nobody here has read will score lower.\n\n" + text)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--verbose", action="store_true", help="list false positives and misses")
    ap.add_argument("--write", action="store_true", help="update the table in BENCHMARKS.md")
    ap.add_argument("--against", type=Path, help="a directory holding another prep's prepcli/")
    ap.add_argument("--totals", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.totals:
        print(json.dumps(totals()))
        return
    text = report(args.verbose)
    if args.against:
        text += "\n" + "\n".join(compare_lines(args.against, against(args.against), totals()))
    print(text)
    if args.write:
        write(text if not args.verbose else report(False))


if __name__ == "__main__":
    main()
