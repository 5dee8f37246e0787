"""prep against Anki on a collection of the same size (needs the optional `anki` package).

    pip install anki && python -m bench.anki_compare [--cards 20000] [--reviews 200000]

Both sides get 20,000 cards and the same 200,000 simulated reviews (bench.study.build; the
history is copied into Anki's revlog and card table), and both are timed in-process through
their own Python APIs:
- opening: Anki `Collection(path)`; prep: opening the store and loading the decks (cached);
- adding 20,000 notes: Anki `col.add_notes` (Basic notes); prep `import_notes` on a Markdown
  file of 20,000 question sections, the way cards get into prep;
- first card: Anki `get_queued_cards` on the opened collection; prep building the session
  and taking its first card;
- answering: the median of 200 answers, Good or Again (Anki: `build_answer` + `answer_card`,
  FSRS on; prep: `Session.answer`, one committed transaction each).
"""

from __future__ import annotations

import statistics
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from bench.common import machine, size_args
from bench.study import build
from prepcli import deck as deckmod
from prepcli.catalog import EXERCISES
from prepcli.importer import import_notes
from prepcli.scheduler import LEARNING, NEW, RELEARNING, Scheduler
from prepcli.session import Session
from prepcli.store import Store

DAY_MS = 86_400_000


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


def measure(n_cards: int = 20_000, n_reviews: int = 200_000, repeat: int = 5):
    """[(operation, prep seconds, Anki seconds)] and the number of revlog rows."""
    from anki.collection import Collection
    from anki.scheduler.v3 import CardAnswer

    now = datetime.now(timezone.utc)
    med = statistics.median
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        decks, home = build(root, n_cards, n_reviews, now)
        loaded, _ = deckmod.load_dir(decks, set(EXERCISES), cache_dir=home / "cache")
        cards = [c for d in loaded for c in d.cards]
        (root / "anki").mkdir()
        with Store(home / "prep.db") as st:
            anki_add, n_rev = anki_collection(root / "anki" / "c.anki2", cards, st)

        # adding 20,000 notes in prep: importing a notes file with that many questions
        notes = root / "many.md"
        notes.write_text("".join(f"## {c.question}\n{c.answer}\n" for c in cards),
                         encoding="utf-8")
        t = time.perf_counter()
        import_notes([notes], root / "imported")
        prep_add = time.perf_counter() - t

        def prep_open():
            d, _ = deckmod.load_dir(decks, set(EXERCISES), cache_dir=home / "cache")
            s = Store(home / "prep.db")
            return d, s

        def timed(fn):
            t = time.perf_counter()
            out = fn()
            return time.perf_counter() - t, out

        prep_open_t, anki_open_t, prep_first_t, anki_first_t = [], [], [], []
        for _ in range(repeat):
            t, (d, s) = timed(prep_open)
            prep_open_t.append(t)
            cs = [c for x in d for c in x.cards]
            t, sess = timed(lambda: Session(cs, s, Scheduler(), now))
            t2, _ = timed(lambda: sess.next(now))
            prep_first_t.append(t + t2)
            s.close()
            t, col = timed(lambda: Collection(str(root / "anki" / "c.anki2")))
            anki_open_t.append(t)
            t, q = timed(lambda: col.sched.get_queued_cards(fetch_limit=1))
            anki_first_t.append(t)
            col.close()

        d, s = prep_open()
        sess = Session([c for x in d for c in x.cards], s, Scheduler(), now)
        prep_ans = []
        for i in range(200):
            card = sess.next(now)
            if card is None:  # a small collection can run out of due cards
                break
            t, _ = timed(lambda: sess.answer(card, 3 if i % 5 else 1, now, 5000))
            prep_ans.append(t)
        s.close()
        col = Collection(str(root / "anki" / "c.anki2"))
        anki_ans = []
        for i in range(200):
            queued = col.sched.get_queued_cards(fetch_limit=1).cards
            if not queued:
                break
            qc = queued[0]
            t0 = time.perf_counter()
            card = col.get_card(qc.card.id)
            card.start_timer()
            ans = col.sched.build_answer(card=card, states=qc.states,
                                         rating=CardAnswer.GOOD if i % 5 else CardAnswer.AGAIN)
            col.sched.answer_card(ans)
            anki_ans.append(time.perf_counter() - t0)
        col.close()
    rows = [("open the collection", med(prep_open_t), med(anki_open_t)),
            (f"add {len(cards):,} notes", prep_add, anki_add),
            ("first card (in-process)", med(prep_first_t), med(anki_first_t)),
            ("answer a card", med(prep_ans), med(anki_ans))]
    return rows, n_rev


def main() -> None:
    args = size_args(repeat=5)
    if not available():
        raise SystemExit("the anki package is not installed: pip install anki")
    print(f"# prep and Anki on {args.cards} cards / {args.reviews} reviews ({machine()})")
    rows, n_rev = measure(args.cards, args.reviews, args.repeat)
    print(f"  Anki collection: {args.cards} cards, {n_rev} revlog rows")
    print(f"{'operation':<24} {'prep ms':>10} {'Anki ms':>10} {'prep/Anki':>10}")
    for name, p, a in rows:
        print(f"{name:<24} {p * 1000:>10.2f} {a * 1000:>10.2f} {p / a:>10.2f}")


if __name__ == "__main__":
    main()
