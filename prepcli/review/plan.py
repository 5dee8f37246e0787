"""Ready by the interview: a plan that changes due dates (never the review history) so that
every card and exercise is reviewed at least once more before the interview and every card's
predicted recall on the day is at least the desired retention.

Time is always passed in. The prediction is FSRS's own forgetting curve
(`Scheduler.retrievability` at the interview).

The rule (due-date overrides that `Session` and the drills consult while the plan is active;
`overrides` gives them for any set of card states, so it applies to any queue):
- Once more before the date. The window runs from the day the plan was set to `MARGIN_DAYS`
  before the date. A card or exercise already seen, not reviewed since the plan began, whose
  due date falls after the window is due on its own day of the window instead: a day drawn
  from a hash of its id, so these extra reviews spread evenly over the window and each one's
  day never moves while it waits (a rank among the cards still waiting would shift every time
  one is reviewed, and pull more onto today the more you study).
- Recall on the day. FSRS's own due dates stand while they fall before the interview (with
  the desired retention as the target, a card reviewed on time stays above it). A card whose
  next FSRS review would come after the interview although its recall on the day would be
  below the target (a long fuzzed or Easy interval, a lower retention after a lapse) is due
  earlier instead: at the latest moment from which one more review, keeping at least its
  present stability, carries it to the day above the target,
  `interview - days_until(stability, target)`.
- Neither makes a card due sooner than a day after its last review.
- New cards are introduced at a pace that fits them all in `MARGIN_DAYS` before the date
  (faster than the daily limit when needed), or at most `new_cap` a day when the user set one
  (`prep plan --new`): the rest, last in deck order, stay new until after the date.

The plan is kept in `plan.json` in the data directory rather than in the database: it is a
date and a setting rather than history, and a file needs no schema migration (other work
appends migrations too) and is removed whole by `prep plan --clear`.
"""

from __future__ import annotations

import hashlib
import json
import math
import random
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from pathlib import Path

from prepcli.errors import PrepError
from prepcli.paths import write_whole
from prepcli.review.datafiles import data_folder, regular_file
from prepcli.review.scheduler import (AGAIN, DAY_MS, GOOD, LEARNING, NEW, RELEARNING, REVIEW, CardState,
                               Scheduler, from_ms, ms)

MARGIN_DAYS = 3  # the last new card, and the last "once more" review, this many days before
INTERVIEW_HOUR = 9  # the interview is taken to be at 09:00 local time on its day
# A planned day's reviews fall due at 04:00, the default start of a study day (config
# day_starts_at): in that day's session, not in the evening's before.
DAY_HOUR = 4
FILE = "plan.json"
# The furthest interview date a plan takes, in days from today: the forecast simulates every
# day to it (about 2 s a year), and a plan years ahead is no plan. A saved plan may span at
# most twice that from its start (a date moved on within a plan set long ago).
MAX_DAYS_AHEAD = 730


@dataclass(frozen=True)
class Plan:
    interview: date
    start: date  # the day the plan was set: "reviewed once more" counts from then
    new_cap: int | None = None  # prep plan --new: at most this many new cards a day
    # the hour a study day starts (config day_starts_at): a planned day's reviews fall due
    # then, in that day's session (at 04:00 always, with days starting at 10:00 they came in
    # the evening's session before)
    day_hour: int = DAY_HOUR

    def at(self, tz) -> datetime:
        """The interview's moment, in the time zone `tz`."""
        return datetime.combine(self.interview, time(INTERVIEW_HOUR), tzinfo=tz)

    def active(self, now: datetime) -> bool:
        """True up to the end of the interview day; normal scheduling resumes after it."""
        return now.date() <= self.interview

    def days_left(self, now: datetime) -> int:
        return max(0, (self.interview - now.date()).days)

    def titled(self, markdown: str, now: datetime) -> str:
        """A drill's text with the days left on its title line (as the study header shows
        them) while the plan is active."""
        if not self.active(now):
            return markdown
        title, nl, rest = markdown.partition("\n")
        return f"{title} · interview in {self.days_left(now)}d{nl}{rest}"

    def window_days(self) -> int:
        """Days from the plan's start in which everything is reviewed once more."""
        return intro_days((self.interview - self.start).days)

    def once_more_by(self) -> date:
        """The margin's first day: everything is due at least once before it."""
        return self.start + timedelta(days=self.window_days())

    def window(self, tz) -> tuple[int, int]:
        """The window as epoch ms: from the start day's midnight to the start (`day_hour`)
        of its last day; due by then, a card is due on a day of the window whatever the
        hour the user studies at."""
        last = self.start + timedelta(days=self.window_days() - 1)
        return (ms(datetime.combine(self.start, time(0), tzinfo=tz)),
                ms(datetime.combine(last, time(self.day_hour), tzinfo=tz)))

    def due(self, card_id: str, s: CardState, scheduler: Scheduler, now: datetime) -> int | None:
        """The card's due time (epoch ms) under the plan; FSRS's own while it is inactive."""
        if not self.active(now):
            return s.due
        return self._due(card_id, s, scheduler, self._moments(now.tzinfo))

    def _moments(self, tz) -> tuple:
        """The interview and the window as epoch ms, and the time zone: worked out once for
        many cards."""
        return (ms(self.at(tz)), *self.window(tz), tz)

    def _due(self, card_id: str, s: CardState, scheduler: Scheduler,
             moments: tuple) -> int | None:
        """See the module's docstring: recall on the day, then once more before the date."""
        interview, begin, last, tz = moments
        due = capped_due(s, scheduler, interview)
        if (s.state == NEW or s.last_review is None or s.last_review >= begin
                or (due is not None and due <= last)):
            return due  # reviewed since the plan began, or due inside the window anyway
        day = self.start + timedelta(days=int(_unit(card_id) * self.window_days()))
        slot = ms(datetime.combine(day, time(self.day_hour), tzinfo=tz))
        return max(slot, s.last_review + DAY_MS)

    def new_left(self, limit_left: int, new_cards: int, new_today: int, now: datetime) -> int:
        """New cards still to introduce today: the plan's pace for the `new_cards` not yet
        seen (today's first answers counted in), when faster than what is left of the daily
        limit; never more than `new_cap` a day when set."""
        paced = new_per_day(new_cards, self.days_left(now))
        left = max(limit_left, paced - new_today)
        if self.new_cap is not None:
            left = min(left, self.new_cap - new_today)
        return max(0, left)


def overrides(plan: Plan, states: dict[str, CardState], scheduler: Scheduler, now: datetime
              ) -> dict[str, int | None]:
    """card id -> due time under the plan, for the cards whose due time it changes."""
    if not plan.active(now):
        return {}
    moments = plan._moments(now.tzinfo)
    out = {}
    for cid, s in states.items():
        due = plan._due(cid, s, scheduler, moments)
        if due != s.due:
            out[cid] = due
    return out


def _unit(card_id: str) -> float:
    """A number in [0, 1) fixed by the id: the card's place in the window."""
    return int(hashlib.sha1(card_id.encode()).hexdigest()[:8], 16) / 2**32


def capped_due(s: CardState, scheduler: Scheduler, interview_ms: int) -> int | None:
    """See the module's docstring (recall on the day)."""
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


def intro_days(days_left: int) -> int:
    """Days to introduce new cards in (and review everything once more): all but the last
    `MARGIN_DAYS` before the date; one (today) when fewer are left."""
    return days_left - MARGIN_DAYS if days_left > MARGIN_DAYS else 1


def new_per_day(new_cards: int, days_left: int) -> int:
    """New cards a day so that all are introduced `MARGIN_DAYS` before the date."""
    if new_cards <= 0:
        return 0
    return math.ceil(new_cards / intro_days(days_left))


# --- storage (a small file in the data directory) -------------------------------------------

def load(home: Path, day_hour: int = DAY_HOUR, today: date | None = None) -> Plan | None:
    """The plan kept in `home`, or None. `today`: a plan that starts after it (its file edited,
    or written by a clock far ahead) is refused, as one that cannot be planned to."""
    file = home / FILE
    if not regular_file(file, "the plan", _MOVE_IT):
        return None
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
        # a plan written before the start was kept: it was set when the file was written
        start = (date.fromisoformat(data["start"]) if "start" in data
                 else datetime.fromtimestamp(file.stat().st_mtime).date())
        cap = data.get("new_per_day")
        if cap is not None and (not isinstance(cap, int) or cap < 0):
            raise ValueError(f"new_per_day {cap!r} is not a count")
        interview = date.fromisoformat(data["interview"])
        if not 0 <= (interview - start).days <= 2 * MAX_DAYS_AHEAD:
            raise ValueError(f"the interview {interview} is not within "
                             f"{2 * MAX_DAYS_AHEAD} days after the plan's start {start}")
        if today is not None and (start - today).days > 1:
            # (a start in 9999: prep plan simulated every day to it, for hours)
            raise ValueError(f"its start {start} is after today ({today})")
        return Plan(interview, start, cap, day_hour)
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError) as e:
        raise PrepError(f"{file}: not a plan prep can read ({e}); "
                        "run prep plan --clear, then set the date again") from None


def save(home: Path, plan: Plan) -> None:
    data_folder(home)
    regular_file(home / FILE, "the plan", _MOVE_IT)
    data = {"interview": plan.interview.isoformat(), "start": plan.start.isoformat()}
    if plan.new_cap is not None:
        data["new_per_day"] = plan.new_cap
    try:
        write_whole(home / FILE, (json.dumps(data) + "\n").encode("utf-8"))
    except OSError as e:
        raise PrepError(f"cannot write the plan: {e.strerror} (the plan as it was is "
                        "unchanged)", file=e.filename) from None


def clear(home: Path) -> bool:
    file = home / FILE
    if regular_file(file, "the plan", _MOVE_IT):
        file.unlink()
        return True
    return False


_MOVE_IT = "move it away (prep plan --interview YYYY-MM-DD then sets a plan)"


def parse_date(text: str, today: date) -> date:
    try:
        d = date.fromisoformat(text)
    except ValueError:
        raise PrepError(f"--interview {text!r}: give the date as YYYY-MM-DD, "
                        "e.g. --interview 2026-12-20") from None
    if d < today:
        raise PrepError(f"--interview {text}: that date is past (today is {today})")
    if (d - today).days > MAX_DAYS_AHEAD:
        raise PrepError(f"--interview {text}: that is more than two years ahead; a plan "
                        f"takes a date up to {today + timedelta(days=MAX_DAYS_AHEAD)} "
                        f"({MAX_DAYS_AHEAD} days from today)")
    return d


def updated(current: Plan | None, today: date, interview: date | None, new_cap: int | None
            ) -> Plan:
    """The plan after `prep plan --interview D --new K`: a plan still in force keeps its start
    (what was reviewed since it began stays counted) and, without --interview, its date;
    --interview without --new drops the cap."""
    if current is not None and not current.active(datetime.combine(today, time(12))):
        current = None
    if interview is None:
        if current is None:
            raise PrepError("--new: no plan to change; set one with --interview YYYY-MM-DD")
        return replace(current, new_cap=new_cap)
    # (not a start after today: set on a later calendar date, east of the date line or by a
    # clock ahead, it made a plan to an earlier date that prep then refused to read)
    keep = current is not None and current.start <= today and \
        (interview - current.start).days <= 2 * MAX_DAYS_AHEAD
    return Plan(interview, current.start if keep else today, new_cap)


# --- simulation: what following the plan (or not) gives on the day -------------------------

@dataclass
class Forecast:
    recall: dict[str, float]  # card id -> predicted recall at the interview
    reviews: list[int]  # per day from today: card reviews (new cards' first answers included)
    exercises: list[int]  # per day: exercise reviews
    new: list[int]  # per day: new cards introduced
    log: list[tuple[int, str]]  # (day from today, id) of every review, in order
    still_new: list[str]  # new cards not introduced before the date (a cap), in order

    def mean(self, ids=None) -> float:
        vals = [self.recall[i] for i in (ids if ids is not None else self.recall)]
        return sum(vals) / len(vals) if vals else 0.0

    def share_at_least(self, target: float, ids=None) -> float:
        vals = [self.recall[i] for i in (ids if ids is not None else self.recall)]
        return sum(v >= target for v in vals) / len(vals) if vals else 1.0


def once_more(plan: Plan, states: dict[str, CardState], f: Forecast, now: datetime,
              ids=None) -> tuple[int, int]:
    """(how many, of how many) of `ids` (all by default) are reviewed at least once in the
    plan's window: since the plan began, or in the forecast `f` (made at `now`) before the
    window ends."""
    begin, _ = plan.window(now.tzinfo)
    by = max(0, (plan.once_more_by() - now.date()).days)
    in_sim = {cid for day, cid in f.log if day < by}
    ids = list(ids if ids is not None else states)
    done = sum(1 for i in ids if i in in_sim or (states[i].last_review or -1) >= begin)
    return done, len(ids)


def simulate(states: dict[str, CardState], scheduler: Scheduler, now: datetime, plan: Plan,
             *, planned: bool, new_limit: int, drills: int | None = None, seed: int = 0
             ) -> Forecast:
    """Study once a day at `now`'s time of day until the plan's interview, a simulated user
    recalling each due card with its predicted probability (Good, else Again; learning
    steps are passed with Good). `planned`: due dates and new cards follow the plan; else
    plain FSRS with `new_limit` new cards a day. Items with ids starting "exercise:" are
    exercises; `drills`: at most this many a day, the least likely recalled first (as
    `prep drill` picks them), the rest left for the next day. `states` is not changed."""
    at = plan.at(now.tzinfo)
    st = dict(states)
    # new cards and new exercises are paced apart (a drill starts one exercise at a time)
    new_ex = [i for i, s in st.items() if s.state == NEW and i.startswith("exercise:")]
    new_ids = [i for i, s in st.items() if s.state == NEW and not i.startswith("exercise:")]
    reviews, exercises, news, log = [], [], [], []
    t = now
    while t < at:
        n_rev = n_ex = 0
        per_day = plan.new_left(new_limit, len(new_ids), 0, t) if planned else new_limit
        ex_per_day = new_per_day(len(new_ex), plan.days_left(t)) if planned else 1
        fresh = set(new_ids[:per_day] + new_ex[:ex_per_day])
        news.append(len(new_ids[:per_day]))
        del new_ids[:per_day], new_ex[:ex_per_day]
        todo = []
        for cid in sorted(st):
            s = st[cid]
            if s.state == NEW and cid not in fresh:
                continue
            due = plan.due(cid, s, scheduler, t) if planned else s.due
            if s.state != NEW and (due is None or due > ms(t)):
                continue
            todo.append(cid)
        if drills is not None:
            ex = sorted((i for i in todo if i.startswith("exercise:")),
                        key=lambda i: (st[i].state == NEW, scheduler.retrievability(st[i], t)))
            todo = [i for i in todo if not i.startswith("exercise:") or i in ex[:drills]]
            new_ex[:0] = [i for i in ex[drills:] if st[i].state == NEW]  # started another day
        for cid in todo:
            s = st[cid]
            r = scheduler.retrievability(s, t)
            # a draw of its own for each card and day: leaving cards out (prepcli/review/planfit.py)
            # does not change the others' answers
            draw = random.Random(f"{seed}/{cid}/{len(reviews)}").random()
            rating = GOOD if s.state == NEW or draw < r else AGAIN
            s = scheduler.review(cid, s, rating, t)
            while s.state in (LEARNING, RELEARNING):  # steps passed the same day
                s = scheduler.review(cid, s, GOOD, max(t, from_ms(s.due)))
            st[cid] = s
            log.append((len(reviews), cid))
            if cid.startswith("exercise:"):
                n_ex += 1
            else:
                n_rev += 1
        reviews.append(n_rev)
        exercises.append(n_ex)
        t += timedelta(days=1)
    recall = {cid: scheduler.retrievability(s, at) for cid, s in st.items()}
    return Forecast(recall, reviews, exercises, news, log, new_ids)


def seconds_per_card(durations_ms: list[int], default: float = 10.0) -> float:
    """The user's measured seconds per answer (the median of the logged durations)."""
    vals = sorted(d for d in durations_ms if d)
    if not vals:
        return default
    return vals[len(vals) // 2] / 1000


def synthetic_collection(now: datetime, reviewing: int, new: int, exercises: int = 0,
                         seed: int = 1) -> dict[str, CardState]:
    """A collection to simulate on (the simulation test and bench/plan_sim.py): `reviewing`
    cards in review at stabilities from 1 to 60 days, last reviewed at a random point of
    their interval, `new` cards never seen, and `exercises` in review at 20 to 60 days."""
    rng = random.Random(seed)
    out: dict[str, CardState] = {}

    def seen(low: float) -> CardState:
        stability = rng.uniform(low, 60)
        last = now - timedelta(days=rng.uniform(0, stability))
        return CardState(state=REVIEW, stability=stability, difficulty=5.0,
                         due=ms(last + timedelta(days=stability)), last_review=ms(last), reps=3)

    for i in range(reviewing):
        out[f"c{i:05d}"] = seen(1)
    out.update({f"n{i:05d}": CardState() for i in range(new)})
    for i in range(exercises):
        out[f"exercise:e{i:02d}"] = seen(20)
    return out
