"""prep against Anki's own engine (the optional `anki` package), at 2,000, 20,000 and 100,000
cards.

    pip install -e ".[bench]" && python -m bench.anki_compare [--sizes 2000,20000,100000]

Both sides get the same cards (bench.study.build: 10 decks) and the same simulated review
history (copied into Anki's revlog and card table; 10 reviews a card up to 200,000). Every
figure is a median of `--repeat` runs taken in turn, prep then Anki (A B A B ...), so a slow
spell of the machine falls on both; all rows come from one run and are written to
BENCHMARKS.md (section `anki-compare`).

- first card on screen (a new process each): prep: `prep study` started in a pseudo-terminal,
  until the first question is drawn (interpreter start, CLI import, the deck index checked
  against every deck file's mtime and size, the session queried from SQLite, the screen drawn
  by prompt-toolkit). Anki: a new Python process that imports `anki`, opens the collection,
  gets the first queued card (`get_queued_cards`) and prints its rendered question, until it
  is on the pseudo-terminal. Neither includes a GUI.
- first card right after a deck file changed: the same, after one card's answer was edited
  (not timed): prep: in the YAML of one deck (a tenth of the cards), so that file is parsed
  again; Anki: the note's field, by `update_note` in another process.
- import 20,000 cards: prep `import_notes` of a Markdown file of 20,000 question sections
  (as `prep import` runs it) against Anki `add_notes` of 20,000 Basic notes, and Anki's CSV
  import (`import_csv`) of the same 20,000 rows, each into a new collection; each run in a
  new process, timing the import alone (files written, notes made and libraries imported
  before the clock starts); every run has 20,000 questions of its own (an earlier run's
  cached strings do not help), after one warm-up run of each. prep parses a note this big
  in two halves at once (two processes; notes._in_halves); Anki's `add_notes` runs on one
  thread.
- one durable answer: the median of 200 answers, Good or Again (prep `Session.answer`, one
  committed transaction; Anki `build_answer` + `answer_card`, FSRS on).
- stats: `prep stats --json` in a new process against a new Python process that opens the
  collection and computes the data of Anki's statistics screen (`graphs`, one year) — both
  print their figures and exit.
- peak memory of study: the peak resident set (VmHWM) of each first-card process above,
  read while its first card is on screen.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from bench.common import cli_env, machine, write_section
from bench.import_notes import ONE_IMPORT
from bench.study import build, until_seen
from prepcli.review import index
from prepcli.catalog import EXERCISES
from prepcli.review.scheduler import LEARNING, NEW, RELEARNING, Scheduler
from prepcli.review.session import Session
from prepcli.review.store import Store

DAY_MS = 86_400_000
IMPORT_CARDS = 20_000
REPO = Path(__file__).resolve().parent.parent  # prep as this checkout has it

ANKI_FIRST = """
import sys
from anki.collection import Collection
col = Collection(sys.argv[1])
queued = col.sched.get_queued_cards(fetch_limit=1).cards
print(col.get_card(queued[0].card.id).question(), flush=True)
sys.stdin.read()
"""

ANKI_EDIT = """
import sys
from anki.collection import Collection
col = Collection(sys.argv[1])
note = col.get_note(col.db.scalar("SELECT id FROM notes ORDER BY id LIMIT 1"))
note["Back"] = "Edited answer " + sys.argv[2]
col.update_note(note)
col.close()
"""

ANKI_STATS = """
import sys
from anki.collection import Collection
col = Collection(sys.argv[1])
print(len(col._backend.graphs(search="", days=365).SerializeToString()))
col.close()
"""


def anki_collection(path: Path, cards, store: Store):
    """An Anki collection with the same cards, states and review log as the prep store."""
    from anki.collection import AddNoteRequest, Collection

    col = Collection(str(path))
    col.set_config("fsrs", True)
    model = col.models.by_name("Basic")
    did = col.decks.id("Bench")
    col.decks.select(did)
    reqs = []
    for c in cards:
        n = col.new_note(model)
        n["Front"], n["Back"] = c.question, c.answer
        reqs.append(AddNoteRequest(note=n, deck_id=did))
    t = time.perf_counter()
    col.add_notes(reqs)
    add_time = time.perf_counter() - t
    ids = col.db.list("SELECT id FROM cards ORDER BY id")
    by_prep = dict(zip((c.id for c in cards), ids))
    crt_ms = col.crt * 1000
    states = store.states()
    rows, revlog = [], []
    for cid, s in states.items():
        if cid not in by_prep or s.state == NEW:
            continue
        ivl = max(1, round((s.due - s.last_review) / DAY_MS)) if s.due and s.last_review else 1
        if s.state in (LEARNING, RELEARNING):
            ctype, queue, due = (1 if s.state == LEARNING else 3), 1, s.due // 1000
        else:
            ctype, queue, due = 2, 2, (s.due - crt_ms) // DAY_MS
        rows.append((ctype, queue, due, ivl, s.reps, s.lapses, by_prep[cid]))
    col.db.executemany("UPDATE cards SET type=?, queue=?, due=?, ivl=?, factor=2500, reps=?, "
                       "lapses=? WHERE id=?", rows)
    seen = set()
    for r in store.reviews():
        if r.card_id not in by_prep:
            continue
        rid = r.time
        while rid in seen:  # revlog ids are unique milliseconds
            rid += 1
        seen.add(rid)
        kind = {0: 0, 1: 0, 2: 1, 3: 2}[r.before.state]
        ivl = max(1, round(((r.after.due or r.time) - r.time) / DAY_MS))
        revlog.append((rid, by_prep[r.card_id], r.rating, ivl, 0, 2500, r.duration_ms or 0, kind))
    col.db.executemany("INSERT INTO revlog (id, cid, usn, ease, ivl, lastIvl, factor, time, type)"
                       " VALUES (?, ?, -1, ?, ?, ?, ?, ?, ?)", revlog)
    col.close()
    return add_time, len(revlog)


def available() -> bool:
    import importlib.util

    return importlib.util.find_spec("anki") is not None


def _peak_kib(pid: int) -> int:
    """The peak resident set of a running process (Linux), in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def _first(args: list[str], needle: bytes, env: dict) -> tuple[float, int]:
    """(seconds until `needle` is on the pty, peak memory in KiB then)."""
    peak = []
    t = until_seen(args, needle, env, on_seen=lambda proc: peak.append(_peak_kib(proc.pid)))
    return t, peak[0]


def _alternate(pairs: dict, repeat: int) -> dict:
    """name -> (prep fn, Anki fn): medians of each, the two run in turn; a fn returns its
    figure (seconds, or a tuple whose first item is the seconds)."""
    got = {name: ([], []) for name in pairs}
    for _ in range(repeat):
        for name, fns in pairs.items():
            for fn, out in zip(fns, got[name]):
                out.append(fn())
    return {name: tuple(_median(v) for v in vals) for name, vals in got.items()}


def _median(values: list):
    if isinstance(values[0], tuple):
        return tuple(statistics.median(col) for col in zip(*values))
    return statistics.median(values)


def _timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def measure_size(root: Path, n_cards: int, n_reviews: int, repeat: int, now: datetime) -> dict:
    """Every per-size figure for one collection: name -> (prep, Anki)."""
    decks, home = build(root, n_cards, n_reviews, now)
    anki = root / "anki" / "c.anki2"
    anki.parent.mkdir()
    with Store(home / "prep.db") as st:
        loaded, _ = index.load_dir(st, decks, set(EXERCISES))  # the index, built once
        cards = [c for d in loaded for c in d.cards]
        anki_collection(anki, cards, st)

    env = cli_env(PREP_HOME=str(home), TERM="xterm", COLUMNS="100", LINES="30")
    prep = [sys.executable, "-c", "from prepcli.cli import main; main()"]
    study = prep + ["study", "--cards", str(decks)]
    anki_first = [sys.executable, "-c", ANKI_FIRST, str(anki)]
    edits = iter(range(10**6))
    deck_file = decks / "deck3.yaml"

    def prep_after_change():
        text = deck_file.read_text(encoding="utf-8")
        mark = f"Edited answer {next(edits)}."
        deck_file.write_text(text.replace("A typical answer:", mark + " A typical answer:", 1),
                             encoding="utf-8")
        return _first(study, b"Question ", env)

    def anki_after_change():
        import subprocess

        subprocess.run([sys.executable, "-c", ANKI_EDIT, str(anki), str(next(edits))],
                       check=True)
        return _first(anki_first, b"Question ", env)

    def run_quiet(args):
        import subprocess

        return lambda: _timed(lambda: subprocess.run(args, env=env, check=True,
                                                     stdout=subprocess.DEVNULL))

    # one untimed run of each first (bytecode caches, the file cache)
    _first(study, b"Question ", env), _first(anki_first, b"Question ", env)
    fig = _alternate({
        "first": (lambda: _first(study, b"Question ", env),
                  lambda: _first(anki_first, b"Question ", env)),
        "changed": (prep_after_change, anki_after_change),
        "stats": (run_quiet(prep + ["stats", "--json", "--cards", str(decks)]),
                  run_quiet([sys.executable, "-c", ANKI_STATS, str(anki)])),
    }, repeat)
    fig["answer"] = _answers(home, decks, anki, now)
    return fig


ANSWERS = 200


def _answers(home: Path, decks: Path, anki: Path, now: datetime) -> tuple[float, float]:
    """Median time of one durable answer: prep, Anki (200 answers each, Good or Again).

    A small collection has few cards due (2,000 cards with ten reviews each: a handful), and
    a median of a handful is noise. When a side runs out, more cards are made due: prep
    answers as if a month later, Anki moves 50 cards to today (`set_due_date`). Neither
    changes what one answer costs."""
    from datetime import timedelta

    from anki.collection import Collection
    from anki.scheduler.v3 import CardAnswer

    prep_t, anki_t = [], []
    with Store(home / "prep.db") as st:
        scope, _ = index.scope(st, [decks], [], set(EXERCISES))
        at = now
        sess = Session(scope, st, Scheduler(), at)
        for i in range(ANSWERS * 3):
            card = sess.next(at)
            if card is None:
                at += timedelta(days=30)
                sess = Session(scope, st, Scheduler(), at)
                continue
            prep_t.append(_timed(lambda: sess.answer(card, 3 if i % 5 else 1, at, 5000)))
            if len(prep_t) == ANSWERS:
                break
    col = Collection(str(anki))
    spare = iter(col.find_cards(""))
    for i in range(ANSWERS * 3):
        queued = col.sched.get_queued_cards(fetch_limit=1).cards
        if not queued:
            col.sched.set_due_date([c for _, c in zip(range(50), spare)], "0")
            continue
        qc = queued[0]
        t0 = time.perf_counter()
        card = col.get_card(qc.card.id)
        card.start_timer()
        ans = col.sched.build_answer(card=card, states=qc.states,
                                     rating=CardAnswer.GOOD if i % 5 else CardAnswer.AGAIN)
        col.sched.answer_card(ans)
        anki_t.append(time.perf_counter() - t0)
        if len(anki_t) == ANSWERS:
            break
    col.close()
    assert len(prep_t) == len(anki_t) == ANSWERS, (len(prep_t), len(anki_t))
    return statistics.median(prep_t), statistics.median(anki_t)


# Each import runs in a new process, as `prep import` and Anki do, and times the import
# alone (not the interpreter's start or the imports): in the benchmark's own process it ran
# beside the heap of the collections built for the other rows. prep's is bench.import_notes's
# script (ONE_IMPORT); each script prints the seconds first.
ANKI_ADD = """
import json, sys, time
from anki.collection import AddNoteRequest, Collection
col = Collection(sys.argv[1])
model, did = col.models.by_name("Basic"), col.decks.id("Bench")
reqs = []
for q, a in json.load(open(sys.argv[2], encoding="utf-8")):
    n = col.new_note(model)
    n["Front"], n["Back"] = q, a
    reqs.append(AddNoteRequest(note=n, deck_id=did))
t = time.perf_counter()
col.add_notes(reqs)
print(time.perf_counter() - t)
col.close()
"""

ANKI_CSV = """
import sys, time
from anki.collection import Collection
from anki.import_export_pb2 import ImportCsvRequest
col = Collection(sys.argv[1])
t = time.perf_counter()
meta = col.get_csv_metadata(sys.argv[2], None)
col.import_csv(ImportCsvRequest(path=sys.argv[2], metadata=meta))
print(time.perf_counter() - t)
assert col.card_count() == int(sys.argv[3]), col.card_count()
col.close()
"""


def measure_import(root: Path, repeat: int) -> dict:
    """Importing 20,000 cards: prep `import_notes`, Anki `add_notes`, Anki CSV import."""
    import csv as csvmod
    import json
    import subprocess

    def body(w: str) -> str:
        return (f"A typical answer: {w} takes a few sentences with `code {w}`, a list and a "
                f"formula $x^2$.\n\n- point one, {w}\n- point two\n")

    def cards(k: int) -> list[tuple[str, str]]:
        # Run k's own questions and answers: what an earlier run cached of its strings
        # (prep's text checks keep their answers per string) cannot help a later one, as it
        # would if every run imported the same file, and no card's answer is another's (as
        # in real notes: 20,000 equal answers would let the same caches help within a run).
        # They differ in words, not only in a number (ids are made from the question's
        # words: questions alike but for a number collide).
        n = k * IMPORT_CARDS
        return [(f"Question {_word(i + n)}: why does it work?", body(_word(i + n + 7)))
                for i in range(IMPORT_CARDS)]
    runs = iter(range(10**6))

    def timed(code: str, *args) -> float:
        out = subprocess.run([sys.executable, "-c", code, *map(str, args)], check=True,
                             capture_output=True, text=True, env=cli_env()).stdout
        return float(out.splitlines()[-1].split()[0])

    def prep_import():
        k = next(runs)
        notes = root / f"many{k}.md"
        notes.write_text("".join(f"## {q}\n{a}\n" for q, a in cards(k)), encoding="utf-8")
        return timed(ONE_IMPORT, REPO, notes)

    def anki_add():
        k = next(runs)
        data = root / f"many{k}.json"
        data.write_text(json.dumps(cards(k)), encoding="utf-8")
        return timed(ANKI_ADD, root / f"add{k}.anki2", data)

    def anki_csv():
        k = next(runs)
        csv = root / f"many{k}.csv"
        with open(csv, "w", newline="", encoding="utf-8") as f:
            # one line a note (Anki's fields are HTML)
            csvmod.writer(f).writerows((q, a.replace("\n", "<br>")) for q, a in cards(k))
        return timed(ANKI_CSV, root / f"csv{k}.anki2", csv, IMPORT_CARDS)

    prep_import(), anki_add(), anki_csv()  # warm-up (bytecode, the file cache)
    got = _alternate({"add": (prep_import, anki_add), "csv": (prep_import, anki_csv)}, repeat)
    return {"import": (statistics.median([got["add"][0], got["csv"][0]]), got["add"][1],
                       got["csv"][1])}


def _word(i: int) -> str:
    letters = ""
    while True:
        i, r = divmod(i, 26)
        letters += "abcdefghijklmnopqrstuvwxyz"[r]
        if not i:
            return letters


def _ratio(p: float, a: float) -> str:
    return f"{p / a:.2f}"


def table(sizes: list[int], figs: dict, imp: dict, n_reviews: dict) -> str:
    ms = lambda s: f"{s * 1000:.0f} ms" if s < 10 else f"{s:.1f} s"  # noqa: E731
    sz = " / ".join(f"{n // 1000}k" for n in sizes)

    def row(name: str, key: str, fmt=ms, pick=lambda v: v):
        p = " / ".join(fmt(pick(figs[n][key][0])) for n in sizes)
        a = " / ".join(fmt(pick(figs[n][key][1])) for n in sizes)
        r = " / ".join(_ratio(pick(figs[n][key][0]), pick(figs[n][key][1])) for n in sizes)
        return f"| {name}, {sz} | {p} | {a} | {r} |"

    first = lambda v: v[0]  # noqa: E731
    mib = lambda kib: f"{kib / 1024:.0f} MiB"  # noqa: E731
    p_imp, a_add, a_csv = imp["import"]
    lines = [
        "| figure | prep | Anki | prep / Anki |",
        "|---|---|---|---|",
        row("first card on screen", "first", pick=first),
        row("first card right after a deck file changed", "changed", pick=first),
        f"| import {IMPORT_CARDS:,} cards | {ms(p_imp)} | {ms(a_add)} (`add_notes`), "
        f"{ms(a_csv)} (its CSV import) | {_ratio(p_imp, a_add)} ({_ratio(p_imp, a_csv)}) |",
        row("one durable answer", "answer", fmt=lambda s: f"{s * 1000:.2f} ms"),
        row("stats", "stats"),
        row("peak memory of study", "first", fmt=mib, pick=lambda v: v[1]),
    ]
    reviews = ", ".join(f"{n:,} cards / {n_reviews[n]:,} reviews" for n in sizes)
    return "\n".join(lines) + f"\n\nCollections: {reviews}."


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="2000,20000,100000")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--no-write", action="store_true", help="print only, leave BENCHMARKS.md")
    args = ap.parse_args()
    if not available():
        raise SystemExit("the anki package is not installed: pip install -e '.[bench]'")
    sizes = [int(s) for s in args.sizes.split(",")]
    now = datetime.now(timezone.utc)
    figs, n_reviews = {}, {}
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            n_reviews[n] = min(10 * n, 200_000)
            root = Path(tmp) / f"n{n}"
            root.mkdir()
            figs[n] = measure_size(root, n, n_reviews[n], args.repeat, now)
            print(f"  {n}: {figs[n]}", flush=True)
        (Path(tmp) / "import").mkdir()
        imp = measure_import(Path(tmp) / "import", args.repeat)
    body = table(sizes, figs, imp, n_reviews)
    title = (f"## prep and Anki side by side (`python -m bench.anki_compare`)\n\n"
             f"One run ({machine()}, {time.perf_counter() - started:.0f} s), medians of "
             f"{args.repeat}, prep and Anki in turn. What each figure includes: "
             f"bench/anki_compare.py's docstring.\n\n")
    print(title + body)
    if not args.no_write:
        write_section("anki-compare", title + body)


def measure(n_cards: int = 20_000, n_reviews: int = 200_000, repeat: int = 5):
    """[(operation, prep seconds, Anki seconds)] at one size, for `python -m bench`."""
    now = datetime.now(timezone.utc)
    with tempfile.TemporaryDirectory() as tmp:
        fig = measure_size(Path(tmp), n_cards, n_reviews, repeat, now)
    return [("first card on screen", fig["first"][0][0], fig["first"][1][0]),
            ("first card after a deck change", fig["changed"][0][0], fig["changed"][1][0]),
            ("answer a card", *fig["answer"]),
            ("stats", *fig["stats"])], n_reviews


if __name__ == "__main__":
    main()
