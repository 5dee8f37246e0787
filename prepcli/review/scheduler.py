"""FSRS-6 scheduling (py-fsrs) over prep's own card state. Time is always passed in.

Fuzz is applied here rather than by py-fsrs, from a random generator seeded with the card id
and its review count: the interval shown on a rating button is then exactly the one the
answer gives, and tests are repeatable.
"""

from __future__ import annotations

import functools
import math
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

NEW, LEARNING, REVIEW, RELEARNING = 0, 1, 2, 3
DAY_MS = 86_400_000
# No review is dated before 2000 (before any spaced-repetition app wrote one): read from a file,
# such a time is a bad row (interop.history); given by a clock that says so, no answer is taken
EARLIEST_MS = 946_684_800_000  # 2000-01-01T00:00:00Z
STATE_NAMES = {NEW: "new", LEARNING: "learning", REVIEW: "review", RELEARNING: "relearning"}
AGAIN, HARD, GOOD, EASY = 1, 2, 3, 4
RATING_NAMES = {AGAIN: "Again", HARD: "Hard", GOOD: "Good", EASY: "Easy"}
# py-fsrs's defaults, written out so that reading settings or statistics does not import
# py-fsrs (10 ms); a test checks that they are still py-fsrs's.
DEFAULT_PARAMETERS = (0.212, 1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194, 0.001, 1.8722,
                      0.1666, 0.796, 1.4835, 0.0614, 0.2629, 1.6483, 0.6014, 1.8729, 0.5425,
                      0.0912, 0.0658, 0.1542)


@dataclass(frozen=True)
class CardState:
    """What the scheduler knows of a card. Times are UTC epoch milliseconds."""

    state: int = NEW
    step: int | None = None
    stability: float | None = None
    difficulty: float | None = None
    due: int | None = None
    last_review: int | None = None
    reps: int = 0
    lapses: int = 0

    def to_dict(self) -> dict:
        return dict(self.__dict__)

    @classmethod
    def from_dict(cls, d: dict) -> "CardState":
        return cls(**{k: d.get(k) for k in cls.__dataclass_fields__ if k in d})


@dataclass(frozen=True)
class Settings:
    desired_retention: float = 0.9
    learning_steps: tuple[float, ...] = (1.0, 10.0)  # minutes
    relearning_steps: tuple[float, ...] = (10.0,)  # minutes
    maximum_interval: int = 36500  # days
    fuzz: bool = True
    parameters: tuple[float, ...] = field(default=DEFAULT_PARAMETERS)


def _to_ms_precision(t: datetime) -> datetime:
    """`t` in UTC, cut to whole milliseconds as the store keeps it: an interval shown as
    `due - now` is then exact (a day is 1d, not 23.99…h shown as 24h)."""
    return from_ms(ms(t))


def ms(t: datetime) -> int:
    return int(t.timestamp() * 1000)


def answer_time(now: datetime) -> int:
    """`ms(now)` for an answer or a grade given now; PrepError where the clock says a time
    before 2000: answers dated 1972 were taken and confirmed, then refused by every sync,
    export and restore elsewhere as damage (fault hunt 43)."""
    t = ms(now)
    if t < EARLIEST_MS:
        from prepcli.errors import PrepError

        raise PrepError(f"this computer's clock says {now:%Y-%m-%d}: an answer dated so would "
                        "be refused by your other machines and by imports. Set the clock, then "
                        "answer again (nothing was saved)")
    return t


def from_ms(v: int) -> datetime:
    return datetime.fromtimestamp(v / 1000, tz=timezone.utc)


class Scheduler:
    def __init__(self, settings: Settings = Settings()):
        self.settings = settings

    @functools.cached_property
    def _fsrs(self):
        import fsrs  # only once a card is answered or previewed

        s = self.settings
        return fsrs.Scheduler(
            parameters=s.parameters,
            desired_retention=s.desired_retention,
            learning_steps=[timedelta(minutes=m) for m in s.learning_steps],
            relearning_steps=[timedelta(minutes=m) for m in s.relearning_steps],
            maximum_interval=s.maximum_interval,
            enable_fuzzing=False,
        )

    def review(self, card_id: str, s: CardState, rating: int, now: datetime) -> CardState:
        """The card's state after answering `rating` at `now` (UTC-aware)."""
        # With learning and relearning steps, Again schedules in minutes from every state, so
        # it never sets a floor for the ratings above it (_outcomes): a third less FSRS work
        st = self.settings
        lowest = HARD if rating > AGAIN and st.learning_steps and st.relearning_steps else AGAIN
        return self._outcomes(card_id, s, now, rating, lowest)[rating]

    def preview(self, card_id: str, s: CardState, now: datetime) -> dict[int, timedelta]:
        """The interval each rating would give, for the rating buttons."""
        now = _to_ms_precision(now)
        return {r: from_ms(after.due) - now
                for r, after in self._outcomes(card_id, s, now, EASY).items()}

    def _outcomes(self, card_id: str, s: CardState, now: datetime, upto: int,
                  lowest: int = AGAIN) -> dict[int, CardState]:
        """The state after each rating from `lowest` up to `upto`. Intervals in days are kept in
        order the way Anki keeps them: a rating that schedules in days gives at least a day
        more than the rating below it when that one schedules in days too (so Again < Hard
        < Good < Easy, equal only at the maximum interval), whatever FSRS and the fuzz give."""
        import fsrs

        now = _to_ms_precision(now)
        card = self._to_fsrs(s, now)
        lapse = s.state == REVIEW
        out: dict[int, CardState] = {}
        below: int | None = None  # days the rating below schedules, if it schedules in days
        draw: list[float] = []  # the card's fuzz draw, made once for all ratings
        for rating in range(lowest, upto + 1):
            after, _ = self._fsrs.review_card(card, fsrs.Rating(rating), review_datetime=now)
            due = after.due
            days = None
            if after.state == fsrs.State.Review:
                ivl = due - now
                if self.settings.fuzz:
                    ivl = self._fuzz(card_id, s.reps, ivl, draw)
                days = max(1, round(ivl / timedelta(days=1)))
                if below is not None:
                    days = max(days, min(below + 1, self.settings.maximum_interval))
                due = now + timedelta(days=days)
            below = days
            out[rating] = CardState(
                state=int(after.state), step=after.step, stability=after.stability,
                difficulty=after.difficulty, due=ms(due), last_review=ms(now), reps=s.reps + 1,
                lapses=s.lapses + (1 if lapse and rating == AGAIN else 0))
        return out

    def retrievability(self, s: CardState, now: datetime) -> float:
        """Probability of recall at `now`; 0 for a card never reviewed."""
        if s.last_review is None or s.stability is None:
            return 0.0
        days = max(0.0, (ms(now) - s.last_review) / DAY_MS)
        decay, factor = self._curve()
        return (1 + factor * days / s.stability) ** decay

    def days_until(self, stability: float, recall: float) -> float:
        """Days after a review until the forgetting curve falls to `recall` (its inverse)."""
        decay, factor = self._curve()
        return stability / factor * (recall ** (1 / decay) - 1)

    def _curve(self) -> tuple[float, float]:
        decay = -self.settings.parameters[20]
        return decay, 0.9 ** (1 / decay) - 1

    def _to_fsrs(self, s: CardState, now: datetime):
        import fsrs

        if s.state == NEW:
            return fsrs.Card(card_id=1, state=fsrs.State.Learning, step=0, due=now)
        return fsrs.Card(card_id=1, state=fsrs.State(s.state), step=s.step,
                         stability=s.stability, difficulty=s.difficulty,
                         due=from_ms(s.due) if s.due is not None else now,
                         last_review=from_ms(s.last_review) if s.last_review else None)

    def _fuzz(self, card_id: str, reps: int, interval: timedelta,
              draw: list[float] | None = None) -> timedelta:
        # The same ranges as py-fsrs (and Anki), drawn from a per-card, per-review seed. The
        # draw is the same for every rating of one answer: `draw` keeps it (seeding a
        # generator from a string hashes it, 20 µs).
        days = interval.days
        if days < 2.5:
            return interval
        from fsrs.scheduler import FUZZ_RANGES

        delta = 1.0
        for r in FUZZ_RANGES:
            delta += r["factor"] * max(min(float(days), r["end"]) - r["start"], 0.0)
        lo = max(2, round(days - delta))
        hi = min(round(days + delta), self.settings.maximum_interval)
        lo = min(lo, hi)
        if draw is None:
            draw = []
        if not draw:
            draw.append(random.Random(f"{card_id}:{reps}").random())
        fuzzed = min(round(draw[0] * (hi - lo + 1) + lo), self.settings.maximum_interval)
        return timedelta(days=fuzzed)


def format_interval(delta: timedelta) -> str:
    """Anki-style short interval: 1m, 10m, 3h, 4d, 2.1mo, 1.3y."""
    secs = delta.total_seconds()
    if secs < 3600:
        return f"{max(1, math.ceil(secs / 60 - 1e-9))}m"
    if secs < 86400 - 1800:  # 23.5h and more reads as a day, never as "24h"
        return f"{secs / 3600:.0f}h"
    days = max(1.0, secs / 86400)
    if days < 30:
        return f"{days:.0f}d"
    if days < 365:
        return f"{days / 30:.1f}mo"
    return f"{days / 365:.1f}y"
