"""When a plan does not fit in the minutes a day (prep plan, issue 18): the options, each with
its effect on the busiest day at the user's measured pace, and a combination that fits.

An option that leaves cards out is read off the plan's simulation: their reviews are taken
off their days. That is exact for cards already seen (each one's schedule depends on its own
answers alone) and an estimate for new cards (leaving some out also slows the pace of the
others). Fewer drills a day is simulated (the ones left wait a day), and so is the
combination.

The combination goes from the least to the most costly to the interview: fewer drills a day
(a drill left waits a day), prompt cards (questions without an answer yet), fewer new cards a
day (cards never seen are the cheapest to leave for after the date), then whole decks, the
one whose cards weigh most on the busiest day first.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from prepcli.review.plan import Forecast, Plan, simulate
from prepcli.review.scheduler import NEW, CardState, Scheduler

TRIES = 4  # simulations to find the new cards a day that fit, past the estimate


@dataclass(frozen=True)
class Pace:
    card_secs: float  # the user's measured seconds per card
    ex_secs: float  # and per exercise

    def minutes(self, f: Forecast) -> list[float]:
        return [(r * self.card_secs + x * self.ex_secs) / 60
                for r, x in zip(f.reviews, f.exercises)]

    def peak(self, f: Forecast) -> float:
        return max(self.minutes(f), default=0.0)


@dataclass
class Option:
    what: str  # what to do, with the command
    peak: float  # the busiest day's minutes after it


@dataclass
class Fit:
    steps: list[str]  # the combination, in order
    peak: float  # the busiest day's minutes with all of it (simulated)
    fits: bool
    still_new: list[str]  # new cards left for after the date, in deck order
    items: dict[str, CardState]  # what is left to study
    forecast: Forecast  # its simulation


@dataclass
class Load:
    """A plan's load and what it could leave out."""
    items: dict[str, CardState]  # cards and exercises, as planned
    deck_of: dict[str, str]  # card id -> deck, for the cards in `items`
    prompts: set[str]  # prompt cards among them (prep plan --prompts)
    scheduler: Scheduler
    now: datetime
    plan: Plan
    new_limit: int
    pace: Pace

    def simulate(self, items: dict[str, CardState], plan: Plan, drills: int | None = None
                 ) -> Forecast:
        return simulate(items, self.scheduler, self.now, plan, planned=True,
                        new_limit=self.new_limit, drills=drills)

    def without(self, f: Forecast, ids: set[str], share: float = 1.0) -> float:
        """The busiest day's minutes once `share` of the reviews of `ids` is taken off `f`."""
        off = [0.0] * len(f.reviews)
        for day, cid in f.log:
            if cid in ids:
                off[day] += share
        return max((m - n * self.pace.card_secs / 60
                    for m, n in zip(self.pace.minutes(f), off)), default=0.0)

    def decks(self, items: dict[str, CardState]) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        for cid in items:
            if cid in self.deck_of:
                out.setdefault(self.deck_of[cid], set()).add(cid)
        return out

    def new_ids(self, items: dict[str, CardState]) -> set[str]:
        return {i for i, s in items.items() if s.state == NEW and i in self.deck_of}

    def drills_that_fit(self, f: Forecast, minutes: float) -> int | None:
        """Drills a day that leave the cards' busiest day room (at least one); None when
        the plan never has more on a day."""
        room = minutes - max((r * self.pace.card_secs / 60 for r in f.reviews), default=0.0)
        n = max(1, int(room * 60 // self.pace.ex_secs))
        return n if n < max(f.exercises, default=0) else None


def options(load: Load, f: Forecast, minutes: float) -> list[Option]:
    """Each option alone, with the busiest day after it."""
    out = []
    n = load.drills_that_fit(f, minutes)
    if n is not None:
        out.append(Option(f"drill at most {n} exercise(s) a day instead of up to "
                          f"{max(f.exercises)} (prep drill picks the most overdue; the rest "
                          "wait a day)", load.pace.peak(load.simulate(load.items, load.plan, n))))
    if load.prompts:
        out.append(Option(f"leave out the {len(load.prompts)} prompt cards (cards without an "
                          "answer: plan and study without --prompts)",
                          load.without(f, load.prompts)))
    for deck, ids in sorted(load.decks(load.items).items(), key=lambda kv: -len(kv[1])):
        new = ids & load.new_ids(load.items)
        out.append(Option(f"drop deck {deck} ({len(ids)} cards: suspend them, or study "
                          "--deck for the others)", load.without(f, ids)))
        if new and len(new) < len(ids):
            out.append(Option(f"defer deck {deck}'s {len(new)} new cards to after the date",
                              load.without(f, new)))
    pace = max(f.new, default=0)
    if pace:
        cap = _new_cap_estimate(load, f, minutes) or 0
        out.append(Option(f"fewer new cards: at most {cap} a day instead of {pace}, the rest "
                          "(last in deck order) new until after the date (prep plan --new "
                          f"{cap})", load.without(f, load.new_ids(load.items), 1 - cap / pace)))
    return out


def fit(load: Load, minutes: float) -> Fit | None:
    """The combination that fits in `minutes` a day, checked by simulation; None when the
    plan fits as it is."""
    items, plan, drills = dict(load.items), load.plan, None
    f = load.simulate(items, plan)
    if load.pace.peak(f) <= minutes:
        return None
    steps: list[str] = []

    def fits() -> bool:
        return load.pace.peak(f) <= minutes

    if (drills := load.drills_that_fit(f, minutes)) is not None:
        f = load.simulate(items, plan, drills)
        steps.append(f"drill at most {drills} exercise(s) a day")
    if not fits() and load.prompts:
        items = {i: s for i, s in items.items() if i not in load.prompts}
        f = load.simulate(items, plan, drills)
        steps.append(f"leave out the {len(load.prompts)} prompt cards")
    if not fits() and load.new_ids(items):
        cap = _new_cap_estimate(load, f, minutes)
        for tried in range(TRIES + 1):
            k = 0 if cap is None or tried == TRIES else max(0, cap - tried)
            plan = replace(load.plan, new_cap=k)
            f = load.simulate(items, plan, drills)
            if fits() or k == 0:
                break
        steps.append(f"at most {k} new cards a day (prep plan --new {k})")
    decks = load.decks(items)
    while not fits() and decks:
        deck = min(decks, key=lambda d: load.without(f, decks[d]))
        gone = decks.pop(deck)
        items = {i: s for i, s in items.items() if i not in gone}
        f = load.simulate(items, plan, drills)
        steps.append(f"drop deck {deck}")
    return Fit(steps, load.pace.peak(f), fits(), f.still_new, items, f)


def _new_cap_estimate(load: Load, f: Forecast, minutes: float) -> int | None:
    """The most new cards a day that fit by the estimate (new cards' reviews scale with the
    pace); None when there are no new cards or even none a day does not fit."""
    pace = max(f.new, default=0)
    new = load.new_ids(load.items)
    for k in range(pace - 1, -1, -1):
        if load.without(f, new, 1 - k / pace) <= minutes:
            return k
    return None
