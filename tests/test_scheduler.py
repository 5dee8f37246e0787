"""FSRS scheduling over prep's card state: time passed in, deterministic fuzz."""

import re
from datetime import timedelta
from pathlib import Path

import pytest

from prepcli.review.scheduler import (AGAIN, EASY, GOOD, HARD, LEARNING, NEW, RELEARNING, REVIEW,
                               CardState, Scheduler, Settings, format_interval, from_ms, ms)
from studykit import T0


def test_new_card_steps_follow_the_settings():
    s = Scheduler(Settings(learning_steps=(1, 10)))
    after = s.review("x", CardState(), AGAIN, T0)
    assert after.state == LEARNING and from_ms(after.due) - T0 == timedelta(minutes=1)
    after = s.review("x", CardState(), GOOD, T0)
    assert after.state == LEARNING and from_ms(after.due) - T0 == timedelta(minutes=10)
    after = s.review("x", CardState(), EASY, T0)
    assert after.state == REVIEW and after.reps == 1 and after.lapses == 0


def test_preview_equals_what_the_answer_gives_even_with_fuzz():
    s = Scheduler(Settings(fuzz=True))
    card = s.review("x", CardState(), EASY, T0)
    later = T0 + timedelta(days=30)
    preview = s.preview("x", card, later)
    for r in (AGAIN, HARD, GOOD, EASY):
        assert from_ms(s.review("x", card, r, later).due) - later == preview[r]
    assert s.review("x", card, AGAIN, later).state == RELEARNING
    assert s.review("x", card, AGAIN, later).lapses == 1


def test_fuzz_varies_by_card_but_not_by_run():
    s = Scheduler(Settings(fuzz=True))
    card = s.review("a", CardState(), EASY, T0)
    later = T0 + timedelta(days=40)
    dues = {cid: s.review(cid, card, GOOD, later).due for cid in ("a", "b", "c", "d", "e")}
    assert len(set(dues.values())) > 1
    assert dues == {cid: Scheduler(Settings(fuzz=True)).review(cid, card, GOOD, later).due
                    for cid in dues}


def test_desired_retention_changes_intervals():
    card = Scheduler().review("x", CardState(), EASY, T0)
    later = T0 + timedelta(days=10)
    lo = Scheduler(Settings(desired_retention=0.8, fuzz=False)).review("x", card, GOOD, later)
    hi = Scheduler(Settings(desired_retention=0.95, fuzz=False)).review("x", card, GOOD, later)
    assert lo.due > hi.due


def test_maximum_interval_caps():
    s = Scheduler(Settings(maximum_interval=5, fuzz=False))
    card = s.review("x", CardState(), EASY, T0)
    assert from_ms(card.due) - T0 <= timedelta(days=5)


def test_retrievability_decays_from_one():
    s = Scheduler()
    card = s.review("x", CardState(), EASY, T0)
    assert s.retrievability(CardState(), T0) == 0
    r0 = s.retrievability(card, T0)
    r1 = s.retrievability(card, T0 + timedelta(days=card.stability))
    assert r0 == 1.0 and abs(r1 - 0.9) < 1e-9  # stability = days to 90 % recall


def test_state_round_trips():
    card = Scheduler().review("x", CardState(), GOOD, T0)
    assert CardState.from_dict(card.to_dict()) == card
    assert CardState().state == NEW


def test_format_interval():
    assert [format_interval(timedelta(seconds=x)) for x in (60, 600, 7200, 86400 * 4,
                                                             86400 * 60, 86400 * 800)] == \
        ["1m", "10m", "2h", "4d", "2.0mo", "2.2y"]


def test_default_parameters_are_py_fsrs_defaults():
    import fsrs.scheduler

    from prepcli.review.scheduler import DEFAULT_PARAMETERS

    assert DEFAULT_PARAMETERS == tuple(fsrs.scheduler.DEFAULT_PARAMETERS)
    assert Settings().parameters == DEFAULT_PARAMETERS


LOG = Path(__file__).resolve().parents[2] / "shared" / "data" / "review_log_fsrs_josh.csv"


def _label_days(label: str) -> float:
    unit = {"m": 1 / 1440, "h": 1 / 24, "d": 1, "mo": 30, "y": 365}
    num, u = re.fullmatch(r"([0-9.]+)(m|h|d|mo|y)", label).groups()
    return float(num) * unit[u]


@pytest.mark.skipif(not LOG.exists(), reason="../shared is absent")
@pytest.mark.parametrize("later", [timedelta(days=1), timedelta(days=400)])
def test_interval_labels_are_in_order_on_every_due_card_of_the_published_log(later):
    from prepcli.interop.history import read_csv, replay

    rows = read_csv(LOG)
    by_card = {}
    for r in rows:
        by_card.setdefault(r.card_id, []).append((r.time, r.rating, r.duration))
    sched = Scheduler()
    states = {cid: replay(cid, sorted(ev), sched)[-1][4] for cid, ev in by_card.items()}
    # the day after the log ends, and a day when every card is long overdue, as for someone
    # importing it today (a clock reads microseconds too)
    now = from_ms(max(r.time for r in rows)) + later + timedelta(microseconds=123_456)
    due = {cid: s for cid, s in states.items() if s.due <= ms(now)}
    assert len(due) > 50
    bad = []
    for cid, s in due.items():
        ivl = sched.preview(cid, s, now)
        labels = [format_interval(ivl[r]) for r in (AGAIN, HARD, GOOD, EASY)]
        again, hard, good, easy = (_label_days(x) for x in labels)
        in_order = again < hard <= good <= easy and ivl[AGAIN] < ivl[HARD] <= ivl[GOOD] <= ivl[EASY]
        if not in_order or "24h" in labels:
            bad.append((cid, labels))
    assert not bad, f"{len(bad)} of {len(due)} due cards out of order, e.g. {bad[:5]}"


@pytest.mark.parametrize("settings", [
    Settings(), Settings(fuzz=False), Settings(learning_steps=(5,), relearning_steps=(1, 20)),
    Settings(learning_steps=(), relearning_steps=(10,)), Settings(relearning_steps=()),
    Settings(maximum_interval=30)], ids=["default", "no-fuzz", "one-step", "no-learning",
                                         "no-relearning", "max-30"])
def test_an_answer_is_what_working_out_every_rating_below_it_gives(settings):
    """`review` skips Again's outcome when Again cannot schedule in days (learning and
    relearning steps both set): each answer must still be what the full work-out gives."""
    import random

    rng = random.Random(7)
    s = Scheduler(settings)
    n = 0
    for k in range(300):
        state = CardState()
        at = T0
        for _ in range(rng.randint(0, 8)):  # a history of random answers, so every state
            state = s.review(f"c{k}", state, rng.randint(AGAIN, EASY), at)
            at += timedelta(minutes=rng.choice([1, 10, 60 * 24, 60 * 24 * 40]))
        if rng.random() < 0.2 and state.step is not None:
            state = CardState(**{**state.__dict__, "step": state.step + 3})  # steps shortened
        for r in (AGAIN, HARD, GOOD, EASY):
            assert s.review(f"c{k}", state, r, at) == s._outcomes(f"c{k}", state, at, r)[r]
            n += 1
    assert n == 1200
