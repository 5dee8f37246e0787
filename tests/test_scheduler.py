"""FSRS scheduling over prep's card state: time passed in, deterministic fuzz."""

from datetime import timedelta

from prepcli.scheduler import (AGAIN, EASY, GOOD, HARD, LEARNING, NEW, RELEARNING, REVIEW,
                               CardState, Scheduler, Settings, format_interval, from_ms)
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

    from prepcli.scheduler import DEFAULT_PARAMETERS

    assert DEFAULT_PARAMETERS == tuple(fsrs.scheduler.DEFAULT_PARAMETERS)
    assert Settings().parameters == DEFAULT_PARAMETERS
