"""A mock interview: what to ask, the clock, and the scorecard. The screen is ui_mock.

A mock is a timed session like a technical screen: first a few cards (due ones, then the
weakest, then new ones), answered aloud or typed and self-rated as in `prep study` through the
same `Session` (so the schedule stays right); then one or two exercises, each from a fresh
stub under its own time limit, graded and recorded as drill reviews. Every answer and grade is
stored as it happens, and the mock's row in the store is updated after each question, so
quitting at any point loses nothing.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from prepcli.drills import attempts as drills
from prepcli.catalog import EXERCISES
from prepcli.cards.deck import Card
from prepcli.review.scheduler import AGAIN, HARD, NEW, Scheduler, ms
from prepcli.review.session import Session
from prepcli.review.store import Store

DEFAULT_MINUTES = 45
CODING_MINUTES = 25  # per coding question, as in a typical screen
MINUTES_PER_CARD = 2
MAX_CARDS = 12
WEAK_TOPICS = 3


@dataclass(frozen=True)
class Plan:
    cards: list[Card]
    exercises: list[str]
    minutes: int
    coding_minutes: float  # the time limit of each coding question
    cards_minutes: float  # the time for the cards, before the first coding question


def plan(session: Session, store: Store, scheduler: Scheduler, now: datetime, *,
         minutes: int = DEFAULT_MINUTES, exercises: int = 1, due_of=None) -> Plan:
    """What to ask in `minutes`: `exercises` coding questions of up to CODING_MINUTES each
    (less when the time is short), and cards for the rest, about MINUTES_PER_CARD each.
    Cards are due as `session` has them (an interview plan's dates if it has one), exercises
    by `due_of` (the plan's, see drills.attempts.statuses) when given."""
    coding = min(float(CODING_MINUTES), minutes * 0.8 / exercises) if exercises else 0.0
    cards_minutes = max(0.0, minutes - coding * exercises)
    n_cards = min(MAX_CARDS, int(cards_minutes // MINUTES_PER_CARD))
    if exercises == 0:
        n_cards = max(1, n_cards)
    return Plan(pick_cards(session, scheduler, now, n_cards),
                pick_exercises(store, scheduler, now, exercises, due_of), minutes, coding,
                cards_minutes)


def pick_cards(session: Session, scheduler: Scheduler, now: datetime, n: int) -> list[Card]:
    """Due cards first (learning, then reviews, most overdue first), then the weakest of the
    rest (most lapses, then lowest chance of recall), then new cards as study would show
    them. Suspended and buried cards are left out, as in study."""
    learning = sorted((session.by_id[i] for i in session.learning),
                      key=lambda c: session.state(c.id).due or 0)
    due = learning + session.review_queue
    suspended, buried = session.store.flags()
    skip = {c.id for c in due} | suspended | {c for c, t in buried.items() if t > ms(now)}
    weak = [c for c in session.cards
            if c.id not in skip and session.state(c.id).state != NEW]
    weak.sort(key=lambda c: (-session.state(c.id).lapses,
                             scheduler.retrievability(session.state(c.id), now)))
    return (due + weak + list(session.new_queue))[:n]


def pick_exercises(store: Store, scheduler: Scheduler, now: datetime, n: int,
                   due_of=None) -> list[str]:
    """The due ones (most overdue first), then never tried, then the weakest of the rest
    (fewest parts passed at best, then lowest chance of recall)."""
    st = drills.statuses(store, scheduler, now, due_of)
    due = sorted((s for s in st if s.due is not None and s.due <= now),
                 key=lambda s: s.retrievability)
    new = [s for s in st if s.state.state == NEW]
    rest = sorted((s for s in st if s not in due and s not in new),
                  key=lambda s: (s.best_parts / max(1, len(s.parts)), s.retrievability))
    return [s.exercise for s in due + new + rest][:n]


def exercise_drill(directory, exercise: str, now: datetime, store: Store, scheduler: Scheduler,
                   clock, day_starts_at: int = 4, limits=None,
                   cache_dir=None) -> drills.Drill:
    """A coding question: the exercise from a fresh stub (the file there before is kept under
    .attempts/), graded with `grader.grade` under `limits` (the sandbox's, as for `prep
    grade`, the reference's time cached in `cache_dir`) and recorded as a drill review."""
    from prepcli.drills import grader, reftiming, sandbox

    limits = limits or sandbox.Limits()
    attempt = drills.start(directory, exercise, now, due=True, fresh=True)
    # measured while the candidate writes, so that their grades find it cached
    reftiming.prefetch(EXERCISES[exercise], limits, cache_dir)
    file = attempt.file
    d = drills.Drill.of(attempt, lambda progress: grader.grade(
        file, limits, progress=progress, exercise=exercise, cache_dir=cache_dir))
    d.on_report = drills.recorder(d, store, scheduler, clock, day_starts_at)
    return d


def topic(card: Card) -> str:
    """A card's topic: its first tag, else its deck."""
    return card.tags[0] if card.tags else (card.deck_name or card.deck)


@dataclass
class Mock:
    """One mock interview as it goes: each question asked becomes an item, stored at once."""

    store: Store
    started: datetime
    minutes: int
    id: int | None = None
    items: list[dict] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.id = self.store.start_mock(ms(self.started), self.minutes)

    @property
    def deadline(self) -> datetime:
        return self.started + timedelta(minutes=self.minutes)

    def card(self, card: Card, rating: int, seconds: float, now: datetime,
             typed: str = "") -> None:
        self._add({"kind": "card", "id": card.id, "topic": topic(card), "rating": rating,
                   "recalled": rating > AGAIN, "seconds": round(seconds, 1),
                   "typed": bool(typed.strip())}, now)

    def exercise(self, drill: drills.Drill, seconds: float, limit_minutes: float,
                 time_up: bool, now: datetime) -> None:
        r = drill.report
        self._add({"kind": "exercise", "id": drill.exercise,
                   "topic": f"exercise {drill.exercise} ({EXERCISES[drill.exercise].title})",
                   "passed": bool(r is not None and r.passed),
                   "parts": ([r.parts_passed, len(r.parts)] if r is not None
                             else [0, len(EXERCISES[drill.exercise].parts)]),
                   "seconds": round(seconds, 1), "limit_minutes": limit_minutes,
                   "hints": drill.hints_shown, "solution_shown": drill.solution_seen,
                   "time_up": time_up, "file": str(drill.file)}, now)

    def finish(self, now: datetime, completed: bool = True) -> dict:
        """The end (`completed` False: the user quit early). Returns the scorecard."""
        self.store.update_mock(self.id, ms(now), self.items, finished=completed)
        return scorecard(self.items, (now - self.started).total_seconds(), self.minutes)

    def _add(self, item: dict, now: datetime) -> None:
        # (kept only once stored: a retry after a write that failed adds it once)
        self.store.update_mock(self.id, ms(now), self.items + [item], finished=False)
        self.items.append(item)


def scorecard(items: list[dict], seconds: float, minutes: int) -> dict:
    """Cards recalled, exercises passed, time and hints per question, and the weakest topics:
    those of cards rated Again or Hard and of exercises not passed or passed with help,
    most misses first."""
    cards = [i for i in items if i["kind"] == "card"]
    exs = [i for i in items if i["kind"] == "exercise"]
    misses: Counter = Counter()
    for i in cards:
        if i["rating"] <= HARD:
            misses[i["topic"]] += 1 if i["rating"] == HARD else 2
    for i in exs:
        if not i["passed"]:
            misses[i["topic"]] += 3
        elif i["hints"] or i["solution_shown"]:
            misses[i["topic"]] += 1
    return {
        "minutes": minutes,
        "seconds": round(seconds, 1),
        "cards": len(cards),
        "cards_recalled": sum(1 for i in cards if i["recalled"]),
        "exercises": len(exs),
        "exercises_passed": sum(1 for i in exs if i["passed"]),
        "hints": sum(i["hints"] for i in exs),
        "questions": [{"kind": i["kind"], "id": i["id"], "seconds": i["seconds"],
                       "result": _result(i)} for i in items],
        "weakest_topics": [t for t, _ in misses.most_common(WEAK_TOPICS)],
    }


def _result(item: dict) -> str:
    if item["kind"] == "card":
        return ("recalled" if item["recalled"] else "forgotten") + (
            " (hard)" if item["rating"] == HARD else "")
    p, t = item["parts"]
    out = f"{'passed' if item['passed'] else 'not passed'} ({p}/{t} parts)"
    if item["hints"]:
        out += f", {item['hints']} hint(s)"
    if item["time_up"]:
        out += ", time up"
    return out


def past(store: Store, now_tz, limit: int = 10) -> list[dict]:
    """Past mock interviews for `prep stats`, most recent first."""
    from prepcli.review.scheduler import from_ms

    out = []
    for m in store.mocks(limit):
        card = scorecard(m.items, (m.updated - m.started) / 1000, m.minutes)
        out.append({"started": from_ms(m.started).astimezone(now_tz).isoformat(),
                    "finished": m.finished, "minutes": m.minutes,
                    "minutes_used": round(card["seconds"] / 60, 1),
                    "cards": card["cards"], "cards_recalled": card["cards_recalled"],
                    "exercises": card["exercises"],
                    "exercises_passed": card["exercises_passed"], "hints": card["hints"],
                    "weakest_topics": card["weakest_topics"]})
    return out

