"""Review speed on a large collection: 20,000 cards and 200,000 reviews.

    python -m bench.study [--cards 20000] [--reviews 200000]

- time to first card: `prep study` started in a pseudo-terminal until the first question is on
  screen; baseline: `prep --version` in the same way (interpreter start + CLI import);
- time per answer: `Session.answer` (schedule + one committed transaction), measured over 200
  answers; baseline: one bare committed INSERT into the same database (the durability floor);
- the parts of start-up: loading the decks, building the session.
"""

from __future__ import annotations

import heapq
import os
import pty
import random
import select
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from bench.common import cli_env, machine, size_args
from prepcli.cards import deck as deckmod
from prepcli.review import index
from prepcli.catalog import EXERCISES
from prepcli.review.scheduler import LEARNING, RELEARNING, CardState, Scheduler, Settings, ms
from prepcli.review.session import Session
from prepcli.review.store import Store

COLS = ("state", "step", "stability", "difficulty", "due", "last_review", "reps", "lapses")


def build(root: Path, n_cards: int, n_reviews: int, now: datetime) -> tuple[Path, Path]:
    """Decks of `n_cards` cards and a store with `n_reviews` reviews of a simulated user."""
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
    ids = [f"d{d}c{i}" for d in range(10) for i in range(per_deck)]
    rows, states = simulate(ids, n_reviews, now)
    st = Store(home / "prep.db")
    with st.db.raw:
        st.db.execute("BEGIN")
        st.db.executemany(
            f"INSERT INTO reviews (card_id, time, rating, duration_ms, "
            f"{', '.join(c + '_before' for c in COLS)}, {', '.join(c + '_after' for c in COLS)})"
            f" VALUES ({', '.join('?' * 20)})",
            [(cid, t, rating, dur, *(getattr(b, c) for c in COLS), *(getattr(a, c) for c in COLS))
             for cid, t, rating, dur, b, a in rows])
        st.db.executemany(f"INSERT INTO cards (id, {', '.join(COLS)}) VALUES (?{', ?' * 8})",
                          [(cid, *(getattr(s, c) for c in COLS)) for cid, s in states.items()])
        st.db.execute("COMMIT")
    count = st.review_count()
    st.close()
    days = (rows[-1][1] - rows[0][1]) / 86_400_000
    print(f"  built {n_cards} cards, {count} reviews over {days:.0f} days, "
          f"{len(states)} cards seen")
    return decks, home


def simulate(ids: list[str], n_reviews: int, now: datetime, new_per_day: int = 25,
             skip_day: float = 0.05) -> tuple[list[tuple], dict[str, CardState]]:
    """A user who studies once a day (from 19:00 UTC, about one day in 20 skipped), reviews
    everything due that day, learning steps included, and starts `new_per_day` new cards,
    until `n_reviews` answers are given (Again 10% of the time, as at FSRS's 90% target).
    The history is then moved by whole days to end within the day before `now`.

    Returns (card id, time ms, rating, duration ms, state before, state after) in time order,
    and every seen card's final state."""
    sched = Scheduler(Settings(fuzz=False))
    rng = random.Random(1)
    started = 0  # cards taken from `ids` so far
    states: dict[str, CardState] = {}
    queue: list[tuple[int, str]] = []  # (due ms, card id)
    rows: list[tuple] = []
    day = ms(datetime(2000, 1, 1, 4, tzinfo=timezone.utc))  # a day starts at 04:00
    while len(rows) < n_reviews:
        day += 86_400_000
        if started == len(ids) and queue[0][0] >= day + 86_400_000:  # nothing to do till then
            day += (queue[0][0] - day) // 86_400_000 * 86_400_000
        if rng.random() < skip_day:
            continue
        t = day + 15 * 3_600_000 + rng.randint(0, 3 * 3_600_000)
        for cid in ids[started:started + new_per_day]:
            started += 1
            states[cid] = CardState()
            heapq.heappush(queue, (t, cid))
        while queue and queue[0][0] < day + 86_400_000 and len(rows) < n_reviews:
            due, cid = heapq.heappop(queue)
            before = states[cid]
            if before.state in (LEARNING, RELEARNING):  # a learning step: wait for it
                t = max(t, due)
            rating = 1 if rng.random() < 0.1 else 3
            after = sched.review(cid, before, rating,
                                 datetime.fromtimestamp(t / 1000, timezone.utc))
            dur = rng.randint(2000, 20000)
            rows.append((cid, t, rating, dur, before, after))
            states[cid] = after
            heapq.heappush(queue, (after.due, cid))
            t += dur
    shift = (ms(now) - rows[-1][1]) // 86_400_000 * 86_400_000
    rows = [(cid, t + shift, r, d, _moved(b, shift), _moved(a, shift))
            for cid, t, r, d, b, a in rows]
    return rows, {cid: _moved(s, shift) for cid, s in states.items()}


def _moved(s: CardState, shift: int) -> CardState:
    return CardState(*(getattr(s, c) + shift if c in ("due", "last_review")
                       and getattr(s, c) is not None else getattr(s, c) for c in COLS))


def until_seen(args: list[str], needle: bytes, env: dict, timeout: float = 60,
               on_seen=None) -> float:
    """Wall time from spawning `args` in a pty until `needle` appears on its screen;
    `on_seen(process)` is called then, before the process is stopped."""
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
        took = time.perf_counter() - t0
        if on_seen is not None:
            on_seen(proc)
        return took
    finally:
        proc.kill()
        proc.wait()
        os.close(master)


def measure(n_cards: int = 20_000, n_reviews: int = 200_000, repeat: int = 5) -> dict:
    now = datetime.now(timezone.utc)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        decks, home = build(root, n_cards, n_reviews, now)
        env = cli_env(PREP_HOME=str(home), TERM="xterm", COLUMNS="100", LINES="30")
        prep = [sys.executable, "-c", "from prepcli.cli import main; main()"]
        until_seen(prep + ["study", "--cards", str(decks)], b"Question ", env)  # warm caches
        first = [until_seen(prep + ["study", "--cards", str(decks)], b"Question ", env)
                 for _ in range(repeat)]
        base = [until_seen(prep + ["--version"], b"prep ", env) for _ in range(repeat)]

        t = time.perf_counter()
        deckmod.load_dir(decks)
        t_yaml = time.perf_counter() - t
        st = Store(home / "prep.db")
        t = time.perf_counter()
        scope, _ = index.scope(st, [decks], [], set(EXERCISES))  # the index is fresh
        t_load = time.perf_counter() - t
        t = time.perf_counter()
        sess = Session(scope, st, Scheduler(), now)
        t_session = time.perf_counter() - t
        cards = index.load_dir(st, decks, set(EXERCISES), full=False)[0]
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
            "answers_timed": len(answers), "cards": sum(len(d.cards) for d in cards)}


def main() -> None:
    args = size_args(repeat=5)
    print(f"# prep study on {args.cards} cards / {args.reviews} reviews ({machine()})")
    m = measure(args.cards, args.reviews, args.repeat)
    print(f"{'measure':<34} {'prep':>10} {'baseline':>10} {'ratio':>7}")
    print(f"{'time to first card (s)':<34} {m['first']:>10.3f} {m['first_base']:>10.3f} "
          f"{m['first'] / m['first_base']:>7.2f}   baseline: prep --version")
    print(f"{'time per answer (ms)':<34} {m['answer'] * 1e3:>10.2f} {m['answer_base'] * 1e3:>10.2f} "
          f"{m['answer'] / m['answer_base']:>7.2f}   baseline: one committed INSERT")
    print(f"  parts: check the deck index {m['load']:.3f} s (the YAML parsed: {m['yaml']:.3f} s), "
          f"build session {m['session']:.3f} s, {m['cards']} cards; answers timed: "
          f"{m['answers_timed']}")


if __name__ == "__main__":
    main()
