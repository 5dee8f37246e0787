"""Review speed on a large collection: 20,000 cards and 200,000 reviews.

    python -m bench.study [--cards 20000] [--reviews 200000]

- time to first card: `prep study` started in a pseudo-terminal until the first question is on
  screen; baseline: `prep --version` in the same way (interpreter start + CLI import);
- time per answer: `Session.answer` (schedule + one committed transaction), measured over 200
  answers; baseline: one bare committed INSERT into the same database (the durability floor);
- the parts of start-up: loading the decks, building the session.
"""

from __future__ import annotations

import os
import pty
import random
import select
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from bench.common import machine, size_args
from prepcli import deck as deckmod
from prepcli.exercises import EXERCISES
from prepcli.scheduler import CardState, Scheduler, Settings, ms
from prepcli.session import Session
from prepcli.store import Store

COLS = ("state", "step", "stability", "difficulty", "due", "last_review", "reps", "lapses")


def build(root: Path, n_cards: int, n_reviews: int, now: datetime) -> tuple[Path, Path]:
    """Decks of `n_cards` cards and a store with `n_reviews` simulated reviews."""
    decks = root / "cards"
    decks.mkdir()
    per_deck = n_cards // 10
    body = ("A typical answer: a few sentences with `code`, a list and a formula $x^2$.\n\n"
            "- point one\n- point two\n\n```python\ndef f(x):\n    return x * 2\n```\n")
    for d in range(10):
        cards = [deckmod.Card(id=f"d{d}c{i}", question=f"Question {d}-{i}: why does it work?",
                              answer=body, tags=[f"deck{d}", "synthetic"],
                              source={"file": f"notes/n{d}.md", "line": i + 1,
                                      "path": [f"Chapter {i // 40}"]})
                 for i in range(per_deck)]
        deckmod.write(deckmod.Deck(name=f"Deck {d}", cards=cards, notes=[]),
                      decks / f"deck{d}.yaml")
    home = root / "home"
    home.mkdir()
    st = Store(home / "prep.db")
    sched = Scheduler(Settings(fuzz=False))
    rng = random.Random(1)
    ids = [f"d{d}c{i}" for d in range(10) for i in range(per_deck)]
    reviewed = ids[: int(len(ids) * 0.8)]  # a fifth of the cards are still new
    per_card = max(1, n_reviews // len(reviewed))
    reviews, states = [], {}
    for k, cid in enumerate(reviewed):
        # Each card's history is simulated from time 0, then shifted to end before `now`.
        s, t, rows = CardState(), datetime(2000, 1, 1, tzinfo=timezone.utc), []
        for _ in range(per_card + (1 if k < n_reviews - per_card * len(reviewed) else 0)):
            rating = 1 if rng.random() < 0.15 else 3
            after = sched.review(cid, s, rating, t)
            rows.append((t, rating, s, after))
            s = after
            t = max(t + timedelta(minutes=10),
                    datetime.fromtimestamp(after.due / 1000, timezone.utc)
                    + timedelta(hours=rng.uniform(0, 48)))
        shift = ms(now - timedelta(days=rng.uniform(0, 30))) - ms(rows[-1][0])
        for t, rating, before, after in rows:
            moved = [before, after]
            for i, st_ in enumerate(moved):
                moved[i] = CardState(*(getattr(st_, c) + shift if c in ("due", "last_review")
                                       and getattr(st_, c) is not None else getattr(st_, c)
                                       for c in COLS))
            reviews.append((cid, ms(t) + shift, rating, rng.randint(2000, 20000),
                            *(getattr(moved[0], c) for c in COLS),
                            *(getattr(moved[1], c) for c in COLS)))
            states[cid] = moved[1]
    with st.db:
        st.db.execute("BEGIN")
        st.db.executemany(
            f"INSERT INTO reviews (card_id, time, rating, duration_ms, "
            f"{', '.join(c + '_before' for c in COLS)}, {', '.join(c + '_after' for c in COLS)})"
            f" VALUES ({', '.join('?' * 20)})", reviews)
        st.db.executemany(f"INSERT INTO cards (id, {', '.join(COLS)}) VALUES (?{', ?' * 8})",
                          [(cid, *(getattr(s, c) for c in COLS)) for cid, s in states.items()])
        st.db.execute("COMMIT")
    count = st.review_count()
    st.close()
    print(f"  built {n_cards} cards, {count} reviews")
    return decks, home


def until_seen(args: list[str], needle: bytes, env: dict, timeout: float = 60) -> float:
    """Wall time from spawning `args` in a pty until `needle` appears on its screen."""
    master, slave = pty.openpty()
    t0 = time.perf_counter()
    proc = subprocess.Popen(args, stdin=slave, stdout=slave, stderr=slave, env=env,
                            start_new_session=True)
    os.close(slave)
    out = b""
    try:
        while needle not in out:
            if time.perf_counter() - t0 > timeout:
                raise TimeoutError(out[-500:])
            r, _, _ = select.select([master], [], [], 0.5)
            if r:
                try:
                    out += os.read(master, 65536)
                except OSError:
                    break
        return time.perf_counter() - t0
    finally:
        proc.kill()
        proc.wait()
        os.close(master)


def measure(n_cards: int = 20_000, n_reviews: int = 200_000, repeat: int = 5) -> dict:
    now = datetime.now(timezone.utc)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        decks, home = build(root, n_cards, n_reviews, now)
        env = dict(os.environ, PREP_HOME=str(home), TERM="xterm", COLUMNS="100", LINES="30")
        prep = [sys.executable, "-c", "from prepcli.cli import main; main()"]
        first = [until_seen(prep + ["study", "--cards", str(decks)], b"Question ", env)
                 for _ in range(repeat)]
        base = [until_seen(prep + ["--version"], b"prep ", env) for _ in range(repeat)]

        t = time.perf_counter()
        deckmod.load_dir(decks)
        t_yaml = time.perf_counter() - t
        t = time.perf_counter()
        loaded, _ = deckmod.load_dir(decks, set(EXERCISES), cache_dir=home / "cache")
        t_load = time.perf_counter() - t
        cards = [c for d in loaded for c in d.cards]
        st = Store(home / "prep.db")
        t = time.perf_counter()
        sess = Session(cards, st, Scheduler(), now)
        t_session = time.perf_counter() - t
        answers = []
        for i in range(200):
            card = sess.next(now)
            if card is None:
                break
            t = time.perf_counter()
            sess.answer(card, 3 if i % 5 else 1, now, 5000)
            answers.append(time.perf_counter() - t)
        inserts = []
        st.db.execute("CREATE TABLE bench_floor (x INTEGER)")
        for i in range(200):
            t = time.perf_counter()
            st.db.execute("BEGIN IMMEDIATE")
            st.db.execute("INSERT INTO bench_floor VALUES (?)", (i,))
            st.db.execute("COMMIT")
            inserts.append(time.perf_counter() - t)
        st.close()
    med = statistics.median
    return {"first": med(first), "first_base": med(base), "answer": med(answers),
            "answer_base": med(inserts), "load": t_load, "yaml": t_yaml, "session": t_session,
            "answers_timed": len(answers), "cards": len(cards)}


def main() -> None:
    args = size_args(repeat=5)
    print(f"# prep study on {args.cards} cards / {args.reviews} reviews ({machine()})")
    m = measure(args.cards, args.reviews, args.repeat)
    print(f"{'measure':<34} {'prep':>10} {'baseline':>10} {'ratio':>7}")
    print(f"{'time to first card (s)':<34} {m['first']:>10.3f} {m['first_base']:>10.3f} "
          f"{m['first'] / m['first_base']:>7.2f}   baseline: prep --version")
    print(f"{'time per answer (ms)':<34} {m['answer'] * 1e3:>10.2f} {m['answer_base'] * 1e3:>10.2f} "
          f"{m['answer'] / m['answer_base']:>7.2f}   baseline: one committed INSERT")
    print(f"  parts: load decks {m['load']:.3f} s (from YAML without the cache: {m['yaml']:.3f} s), "
          f"build session {m['session']:.3f} s, {m['cards']} cards; answers timed: "
          f"{m['answers_timed']}")


if __name__ == "__main__":
    main()
