"""prep plan's "what to drop": each option's effect on the busiest day, and a combination
that fits, checked against the simulation."""

from dataclasses import replace
from datetime import date, datetime, timezone

from prepcli.review import plan

from prepcli.review import planfit
from prepcli.review.scheduler import Scheduler

NOW = datetime(2026, 12, 3, 10, tzinfo=timezone.utc)
DAY = date(2026, 12, 24)


def make_load(prompts: int = 0) -> planfit.Load:
    """150 cards in review in two decks, 300 new ones in a third, 13 exercises; 10 s a card
    and 15 min an exercise; the last `prompts` of deck a are prompt cards."""
    items = plan.synthetic_collection(NOW, reviewing=150, new=300, exercises=13, seed=2)
    deck_of = {i: ("a" if i < "c00080" else "b") if i.startswith("c") else "new"
               for i in items if not i.startswith("exercise:")}
    a = sorted(i for i, d in deck_of.items() if d == "a")
    return planfit.Load(items, deck_of, set(a[len(a) - prompts:]) if prompts else set(),
                        Scheduler(), NOW, plan.Plan(DAY, NOW.date()), 20,
                        planfit.Pace(10.0, 900.0))


def test_leaving_out_seen_cards_is_read_off_the_simulation_exactly():
    load = make_load()
    f = load.simulate(load.items, load.plan)
    a = {i for i, d in load.deck_of.items() if d == "a"}
    rest = {i: s for i, s in load.items.items() if i not in a}
    assert abs(load.without(f, a) - load.pace.peak(load.simulate(rest, load.plan))) < 1e-9
    assert load.without(f, a) < load.pace.peak(f)


def test_options_name_each_choice_with_the_busiest_day_after_it():
    load = make_load(prompts=10)
    f = load.simulate(load.items, load.plan)
    peak = load.pace.peak(f)
    opts = planfit.options(load, f, 40)
    text = [o.what for o in opts]
    assert text[0].startswith("drill at most 1 exercise(s) a day instead of up to")
    assert text[1].startswith("leave out the 10 prompt cards")
    assert any(t.startswith("drop deck new (300 cards") for t in text)
    assert any(t.startswith("drop deck a (80 cards") for t in text)
    assert not any(t.startswith("defer deck a") for t in text)  # no new cards in deck a
    assert text[-1].startswith("fewer new cards: at most ") and "prep plan --new" in text[-1]
    assert all(o.peak <= peak + 1e-9 for o in opts)


def test_the_combination_fits_and_is_checked_by_simulation():
    load = make_load(prompts=10)
    assert planfit.fit(load, 10_000) is None  # it fits as it is
    peak = load.pace.peak(load.simulate(load.items, load.plan))
    fit = planfit.fit(load, 40)
    assert peak > 40 and fit.fits and fit.peak <= 40
    assert fit.steps[0] == "drill at most 1 exercise(s) a day"
    # the combination, simulated again from its steps, gives the same busiest day
    cap = next((int(s.split()[2]) for s in fit.steps if s.startswith("at most")), None)
    items = {i: s for i, s in load.items.items()
             if not ("leave out the 10 prompt cards" in fit.steps and i in load.prompts)}
    again = load.simulate(items, replace(load.plan, new_cap=cap), drills=1)
    assert load.pace.peak(again) == fit.peak
    assert fit.still_new == again.still_new


def test_when_nothing_fits_it_says_so_with_what_the_exercises_alone_need():
    load = make_load()
    fit = planfit.fit(load, 5)  # less than one exercise
    assert not fit.fits and fit.steps[-1].startswith("drop deck")
    assert fit.peak == 15.0  # one exercise a day, no card left
