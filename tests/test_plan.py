"""prep plan: the due-date override, new-card pacing, the CLI, and a simulated user."""

from datetime import date, datetime, timedelta, timezone

from prepcli import plan
from prepcli.scheduler import NEW, REVIEW, CardState, Scheduler, ms

NOW = datetime(2026, 12, 3, 10, tzinfo=timezone.utc)


def review_card(stability: float, days_ago: float, interval: float | None = None) -> CardState:
    last = NOW - timedelta(days=days_ago)
    return CardState(state=REVIEW, stability=stability, difficulty=5.0,
                     due=ms(last + timedelta(days=interval or stability)), last_review=ms(last),
                     reps=3)


def test_a_card_that_would_fall_below_target_is_pulled_forward_never_pushed_back():
    sch = Scheduler()
    p = plan.Plan(date(2026, 12, 24))  # 21 days
    safe = review_card(60, 1)  # recall on the day well above 90 %: FSRS's own due date
    assert p.due(safe, sch, NOW) == safe.due
    on_time = review_card(15, 2)  # FSRS's review in 13 days comes first: it stands
    assert p.due(on_time, sch, NOW) == on_time.due
    s = review_card(15, 2, interval=25)  # a long (fuzzed, Easy) interval past the day
    assert sch.retrievability(s, p.at(timezone.utc)) < 0.9
    due = p.due(s, sch, NOW)
    assert due < s.due
    # reviewed then, with at least its present stability, it reaches the day at the target
    gap = (ms(p.at(timezone.utc)) - due) / 86_400_000
    assert abs(gap - sch.days_until(15, 0.9)) < 1e-6
    # two days to go: due at once by the rule, but never sooner than a day after the last review
    close = plan.Plan(date(2026, 12, 5))
    weak = review_card(2, 0.2, interval=4)
    assert sch.retrievability(weak, close.at(timezone.utc)) < 0.9
    assert close.due(weak, sch, NOW) == weak.last_review + 86_400_000 < weak.due


def test_after_the_date_normal_scheduling_resumes():
    s = review_card(10, 2)
    p = plan.Plan(date(2026, 12, 1))
    assert not p.active(NOW) and p.due(s, Scheduler(), NOW) == s.due


def test_days_until_inverts_the_forgetting_curve():
    sch = Scheduler()
    s = review_card(7.0, 0)
    for r in (0.95, 0.9, 0.8):
        t = NOW + timedelta(days=sch.days_until(7.0, r))
        assert abs(sch.retrievability(s, t) - r) < 1e-9
    assert abs(sch.days_until(7.0, 0.9) - 7.0) < 1e-9  # FSRS: stability is the 90 % interval


def test_new_cards_fit_before_the_margin():
    assert plan.new_per_day(100, 23) == 5  # 20 days
    assert plan.new_per_day(100, 2) == 100  # inside the margin: all now
    assert plan.new_per_day(0, 10) == 0


def test_simulated_user_reaches_the_target_with_the_plan_and_not_without():
    """A pinned clock, 150 cards in review at random stabilities and ages, 500 new, 21 days
    to the interview, the default 20 new cards a day for plain FSRS; the simulated user
    recalls each card with its predicted recall (seeded)."""
    st = plan.synthetic_collection(NOW, reviewing=150, new=500, seed=1)
    sch, day = Scheduler(), date(2026, 12, 24)
    planned = plan.simulate(st, sch, NOW, day, planned=True, new_limit=20, seed=3)
    plain = plan.simulate(st, sch, NOW, day, planned=False, new_limit=20, seed=3)
    assert planned.share_at_least(0.9) >= 0.95
    assert plain.share_at_least(0.9) < 0.95
    assert all(s.state == NEW for s in st.values() if s.stability is None)  # input unchanged
    assert sum(planned.new) == 500 and sum(plain.new) < 500


def test_the_measured_pace_is_the_median_duration():
    assert plan.seconds_per_card([4000, 8000, 0, 30000]) == 8.0
    assert plan.seconds_per_card([]) == 10.0


def test_cli_sets_shows_and_clears_the_plan(run, prep_home):
    today = datetime.now().astimezone().date()
    day = today + timedelta(days=14)
    r = run("plan", "--interview", day.isoformat())
    assert r.exit_code == 0, r.output
    assert f"Interview {day}: 14 day(s) left" in r.output
    assert "with the plan" in r.output and "without it" in r.output
    assert (prep_home / "plan.json").exists()
    assert "14 day(s) left" in run("plan").output
    assert "Plan cleared" in run("plan", "--clear").output
    assert "No plan" in run("plan").output


def test_cli_rejects_a_bad_or_past_date(run):
    r = run("plan", "--interview", "20-12-2026")
    assert r.exit_code == 2 and "YYYY-MM-DD" in r.output
    r = run("plan", "--interview", "2000-01-01")
    assert r.exit_code == 2 and "past" in r.output


def test_study_follows_the_plan_and_the_review_history_is_untouched(prep_home, tmp_path):
    from prepcli.store import Store
    from studykit import T0, load, make_decks, session, simple_cards

    cards = load(make_decks(tmp_path / "decks", {"basics": simple_cards(60)}))
    with Store(prep_home / "prep.db") as store:
        before = review_card(15, 2, interval=25)  # FSRS: due after the day, the plan: ~day 6
        shift = T0 - NOW
        s = CardState(state=REVIEW, stability=15, difficulty=5.0, due=before.due + ms_delta(shift),
                      last_review=before.last_review + ms_delta(shift), reps=3)
        with store._write():
            store._put_state("c1", s)
        p = plan.Plan((T0 + timedelta(days=21)).date())
        plain = session(cards, store, T0 + timedelta(days=7))
        planned = session(cards, store, T0 + timedelta(days=7), plan=p)
        assert "c1" not in [c.id for c in plain.review_queue]
        assert "c1" in [c.id for c in planned.review_queue]
        # new cards at the plan's pace (59 in 18 days: 4 a day), not below the daily limit
        assert len(session(cards, store, T0, new_limit=2, plan=p).new_queue) == 4
        assert len(session(cards, store, T0, new_limit=2).new_queue) == 2
        assert planned.days_left() == 14 and plain.days_left() is None
        assert store.review_count() == 0 and store.state("c1") == s  # history untouched


def ms_delta(d: timedelta) -> int:
    return int(d.total_seconds() * 1000)


def test_drill_follows_the_plan_and_the_header_shows_days_left(prep_home, tmp_path):
    from prepcli import drills
    from prepcli.store import Store
    from studykit import T0, Clock, drive, load, make_decks, session, simple_cards

    sch = Scheduler()
    p = plan.Plan((T0 + timedelta(days=21)).date())
    now = T0 + timedelta(days=7)
    last = T0 - timedelta(days=2)
    s = CardState(state=REVIEW, stability=15, difficulty=5.0,
                  due=ms(last + timedelta(days=25)), last_review=ms(last), reps=3)
    with Store(prep_home / "prep.db") as store:
        with store._write():
            store._put_state(drills.card_id("nms"), s)
        assert not drills.is_due(store, "nms", now)
        assert drills.is_due(store, "nms", now, lambda st: p.due(st, sch, now))
        assert drills.most_due(store, sch, now, lambda st: p.due(st, sch, now)) == "nms"
        cards = load(make_decks(tmp_path / "decks", {"basics": simple_cards(3)}))
        _, screen = drive(session(cards, store, now, plan=p), "q", Clock(now))
        assert "interview in 14d" in screen
        _, screen = drive(session(cards, store, now), "q", Clock(now))
        assert "interview in" not in screen
