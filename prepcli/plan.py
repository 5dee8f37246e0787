"""Ready by the interview: a plan that changes due dates (never the review history) so that
every card's predicted recall on the interview day is at least the desired retention.

Time is always passed in. The prediction is FSRS's own forgetting curve
(`Scheduler.retrievability` at the interview).

The rule (a due-date override that `Session` and the drills consult while the plan is active):
FSRS's own due dates stand while they fall before the interview (with the desired retention
as the target, a card reviewed on time stays above it). A card whose next FSRS review would
come after the interview although its recall on the day would be below the target (a long
fuzzed or Easy interval, a lower retention after a lapse) is due earlier instead: at the
latest moment from which one more review, keeping at least its present stability, carries it
to the day above the target, `interview - days_until(stability, target)`; never sooner than a
day after its last review. New cards are introduced at a pace that fits them all in
`MARGIN_DAYS` before the date, leaving time for their reviews.

The plan is kept in `plan.json` in the data directory rather than in the database: it is one
date, a setting rather than history, and a file needs no schema migration (other work appends
migrations too) and is removed whole by `prep plan --clear`.
"""

from __future__ import annotations

import json
import math
import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

from prepcli.errors import PrepError
from prepcli.scheduler import (AGAIN, DAY_MS, GOOD, LEARNING, NEW, RELEARNING, REVIEW, CardState,
                               Scheduler, from_ms, ms)

MARGIN_DAYS = 3  # the last new card is introduced this many days before the date
INTERVIEW_HOUR = 9  # the interview is taken to be at 09:00 local time on its day
FILE = "plan.json"


@dataclass(frozen=True)
class Plan:
    interview: date

    def at(self, tz) -> datetime:
        """The interview's moment, in the time zone `tz`."""
        return datetime.combine(self.interview, time(INTERVIEW_HOUR), tzinfo=tz)

    def active(self, now: datetime) -> bool:
        """True up to the end of the interview day; normal scheduling resumes after it."""
        return now.date() <= self.interview

    def days_left(self, now: datetime) -> int:
        return max(0, (self.interview - now.date()).days)

    def due(self, s: CardState, scheduler: Scheduler, now: datetime) -> int | None:
        """The card's due time (epoch ms) under the plan; FSRS's own while it is inactive."""
        if not self.active(now):
            return s.due
        return capped_due(s, scheduler, ms(self.at(now.tzinfo)))

    def new_per_day(self, new_cards: int, now: datetime) -> int:
        return new_per_day(new_cards, self.days_left(now))


def capped_due(s: CardState, scheduler: Scheduler, interview_ms: int) -> int | None:
    """See the module's docstring."""
    if (s.state != REVIEW or s.stability is None or s.last_review is None
            or s.last_review >= interview_ms):
        return s.due
    if s.due is not None and s.due < interview_ms:
        # FSRS's own next review comes first; passed, it raises the stability, and the
        # interval after it is checked then. (Pulling every card of one stability forward to
        # the same latest moment made a spike of reviews, 70 in a day where 24 remain, for a
        # lower mean recall on the day: 0.94 against 0.95 in bench/plan_sim.py.)
        return s.due
    target = scheduler.settings.desired_retention
    if scheduler.retrievability(s, from_ms(interview_ms)) >= target:
        return s.due
    latest = interview_ms - int(scheduler.days_until(s.stability, target) * DAY_MS)
    latest = max(latest, s.last_review + DAY_MS)
    return latest if s.due is None else min(s.due, latest)


def new_per_day(new_cards: int, days_left: int) -> int:
    """New cards a day so that all are introduced `MARGIN_DAYS` before the date."""
    if new_cards <= 0:
        return 0
    days = max(1, days_left - MARGIN_DAYS) if days_left > MARGIN_DAYS else 1
    return math.ceil(new_cards / days)


# --- storage (a small file in the data directory) -------------------------------------------

def load(home: Path) -> Plan | None:
    file = home / FILE
    if not file.exists():
        return None
    try:
        return Plan(date.fromisoformat(json.loads(file.read_text(encoding="utf-8"))["interview"]))
    except (ValueError, KeyError, TypeError) as e:
        raise PrepError(f"{file}: not a plan prep can read ({e}); "
                        "run prep plan --clear, then set the date again") from None


def save(home: Path, plan: Plan) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / FILE).write_text(json.dumps({"interview": plan.interview.isoformat()}) + "\n",
                             encoding="utf-8")


def clear(home: Path) -> bool:
    file = home / FILE
    if file.exists():
        file.unlink()
        return True
    return False


def parse_date(text: str, today: date) -> date:
    try:
        d = date.fromisoformat(text)
    except ValueError:
        raise PrepError(f"--interview {text!r}: give the date as YYYY-MM-DD, "
                        "e.g. --interview 2026-12-20") from None
    if d < today:
        raise PrepError(f"--interview {text}: that date is past (today is {today})")
    return d


# --- simulation: what following the plan (or not) gives on the day -------------------------

@dataclass
class Forecast:
    recall: dict[str, float]  # card id -> predicted recall at the interview
    reviews: list[int]  # per day from today: card reviews (new cards' first answers included)
    exercises: list[int]  # per day: exercise reviews
    new: list[int]  # per day: new cards introduced

    def mean(self, ids=None) -> float:
        vals = [self.recall[i] for i in (ids if ids is not None else self.recall)]
        return sum(vals) / len(vals) if vals else 0.0

    def share_at_least(self, target: float, ids=None) -> float:
        vals = [self.recall[i] for i in (ids if ids is not None else self.recall)]
        return sum(v >= target for v in vals) / len(vals) if vals else 1.0


def simulate(states: dict[str, CardState], scheduler: Scheduler, now: datetime, interview: date,
             *, planned: bool, new_limit: int, seed: int = 0) -> Forecast:
    """Study once a day at `now`'s time of day until the interview, a simulated user
    recalling each due card with its predicted probability (Good, else Again; learning
    steps are passed with Good). `planned`: due dates and new cards follow the plan; else
    plain FSRS with `new_limit` new cards a day. Items with ids starting "exercise:" are
    counted as exercises. `states` is not changed."""
    rng = random.Random(seed)
    plan = Plan(interview)
    at = plan.at(now.tzinfo)
    st = dict(states)
    # new cards and new exercises are paced apart (a drill starts one exercise at a time)
    new_ex = [i for i, s in st.items() if s.state == NEW and i.startswith("exercise:")]
    new_ids = [i for i, s in st.items() if s.state == NEW and not i.startswith("exercise:")]
    per_day = plan.new_per_day(len(new_ids), now) if planned else new_limit
    ex_per_day = plan.new_per_day(len(new_ex), now) if planned else 1
    reviews, exercises, news = [], [], []
    t = now
    while t < at:
        n_rev = n_ex = 0
        fresh = set(new_ids[:per_day] + new_ex[:ex_per_day])
        news.append(len(new_ids[:per_day]))
        del new_ids[:per_day], new_ex[:ex_per_day]
        for cid in sorted(st):
            s = st[cid]
            if s.state == NEW and cid not in fresh:
                continue
            due = plan.due(s, scheduler, t) if planned else s.due
            if s.state != NEW and (due is None or due > ms(t)):
                continue
            r = scheduler.retrievability(s, t)
            rating = GOOD if s.state == NEW or rng.random() < r else AGAIN
            s = scheduler.review(cid, s, rating, t)
            while s.state in (LEARNING, RELEARNING):  # steps passed the same day
                s = scheduler.review(cid, s, GOOD, max(t, from_ms(s.due)))
            st[cid] = s
            if cid.startswith("exercise:"):
                n_ex += 1
            else:
                n_rev += 1
        reviews.append(n_rev)
        exercises.append(n_ex)
        t += timedelta(days=1)
    recall = {cid: scheduler.retrievability(s, at) for cid, s in st.items()}
    return Forecast(recall, reviews, exercises, news)


def seconds_per_card(durations_ms: list[int], default: float = 10.0) -> float:
    """The user's measured seconds per answer (the median of the logged durations)."""
    vals = sorted(d for d in durations_ms if d)
    if not vals:
        return default
    return vals[len(vals) // 2] / 1000


def to_drop(new_by_deck: dict[str, int], excess: float) -> list[str]:
    """Decks (largest first) whose new cards add up to at least `excess` of all new cards:
    what to leave out so the load fits."""
    total = sum(new_by_deck.values())
    out, dropped = [], 0
    for deck, n in sorted(new_by_deck.items(), key=lambda kv: -kv[1]):
        if dropped >= excess * total:
            break
        out.append(deck)
        dropped += n
    return out


def synthetic_collection(now: datetime, reviewing: int, new: int, seed: int = 1
                         ) -> dict[str, CardState]:
    """A collection to simulate on (the simulation test and bench/plan_sim.py): `reviewing`
    cards in review at stabilities from 1 to 60 days, last reviewed at a random point of
    their interval, and `new` cards never seen."""
    rng = random.Random(seed)
    out: dict[str, CardState] = {}
    for i in range(reviewing):
        stability = rng.uniform(1, 60)
        last = now - timedelta(days=rng.uniform(0, stability))
        out[f"c{i:05d}"] = CardState(state=REVIEW, stability=stability, difficulty=5.0,
                                     due=ms(last + timedelta(days=stability)),
                                     last_review=ms(last), reps=3)
    out.update({f"n{i:05d}": CardState() for i in range(new)})
    return out
