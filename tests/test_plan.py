"""prep plan: the due-date overrides, new-card pacing, the CLI, and a simulated user."""

import json
import os
from collections import Counter
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone

import pytest

from prepcli.review import plan
from prepcli.errors import PrepError
from prepcli.review.scheduler import DAY_MS, NEW, REVIEW, CardState, Scheduler, from_ms, ms

NOW = datetime(2026, 12, 3, 10, tzinfo=timezone.utc)
DAY = date(2026, 12, 24)  # 21 days from NOW: the window is the 18 days to 2026-12-21


def review_card(stability: float, days_ago: float, interval: float | None = None) -> CardState:
    last = NOW - timedelta(days=days_ago)
    return CardState(state=REVIEW, stability=stability, difficulty=5.0,
                     due=ms(last + timedelta(days=interval or stability)), last_review=ms(last),
                     reps=3)


def test_a_card_that_would_fall_below_target_is_pulled_forward_never_pushed_back():
    sch = Scheduler()
    p = plan.Plan(DAY, NOW.date() - timedelta(days=5))  # all cards here reviewed since
    safe = review_card(60, 1)  # recall on the day well above 90 %: FSRS's own due date
    assert p.due("a", safe, sch, NOW) == safe.due
    on_time = review_card(15, 2)  # FSRS's review in 13 days comes first: it stands
    assert p.due("b", on_time, sch, NOW) == on_time.due
    s = review_card(15, 2, interval=25)  # a long (fuzzed, Easy) interval past the day
    assert sch.retrievability(s, p.at(timezone.utc)) < 0.9
    due = p.due("c", s, sch, NOW)
    assert due < s.due
    # reviewed then, with at least its present stability, it reaches the day at the target
    gap = (ms(p.at(timezone.utc)) - due) / 86_400_000
    assert abs(gap - sch.days_until(15, 0.9)) < 1e-6
    # two days to go: due at once by the rule, but never sooner than a day after the last review
    close = plan.Plan(date(2026, 12, 5), NOW.date() - timedelta(days=1))
    weak = review_card(2, 0.2, interval=4)
    assert sch.retrievability(weak, close.at(timezone.utc)) < 0.9
    assert close.due("d", weak, sch, NOW) == weak.last_review + 86_400_000 < weak.due


def test_a_card_not_reviewed_since_the_plan_began_is_due_once_inside_the_window():
    sch = Scheduler()
    p = plan.Plan(DAY, NOW.date())
    begin, last = p.window(timezone.utc)
    assert from_ms(last) == datetime(2026, 12, 20, 4, tzinfo=timezone.utc)
    assert p.window_days() == 18
    long = review_card(60, 1)  # FSRS: due in 59 days, recall on the day fine: still once more
    due = p.due("x", long, sch, NOW)
    assert begin <= due <= last and due >= long.last_review + DAY_MS
    # its day depends on its id alone: the same whatever day it is asked and whatever else waits
    assert p.due("x", long, sch, NOW + timedelta(days=4)) == due
    assert plan.overrides(p, {"x": long, "y": review_card(60, 2)}, sch, NOW)["x"] == due
    inside = review_card(10, 2)  # due in 8 days, inside the window: FSRS's date stands
    assert p.due("x", inside, sch, NOW) == inside.due
    # reviewed since the plan began (set two days ago): nothing more is asked of it
    since = plan.Plan(DAY, NOW.date() - timedelta(days=2))
    assert since.due("x", review_card(60, 1), sch, NOW) == review_card(60, 1).due
    assert p.due("x", CardState(), sch, NOW) is None  # new cards: paced, not scheduled
    assert p.due("x", long, sch, datetime(2026, 12, 25, 10, tzinfo=timezone.utc)) == long.due


def test_a_planned_day_starts_when_the_study_day_does(run, prep_home):
    """With day_starts_at = 10, reviews the plan put on a day fell due at 04:00 of it, in the
    session of the evening before (fault hunt 14). The plan takes the hour from the settings."""
    sch = Scheduler()
    p = plan.Plan(DAY, NOW.date(), day_hour=10)
    assert from_ms(p.window(timezone.utc)[1]) == datetime(2026, 12, 20, 10, tzinfo=timezone.utc)
    due = from_ms(p.due("x", review_card(60, 1), sch, NOW))
    assert (due.hour, due.minute) == (10, 0)
    plan.save(prep_home, plan.Plan(DAY, NOW.date()))
    (prep_home / "config.toml").write_text("day_starts_at = 10\n")
    from prepcli import cli

    assert cli._plan().day_hour == 10


def test_the_once_more_reviews_are_spread_evenly_over_the_window():
    sch = Scheduler()
    p = plan.Plan(DAY, NOW.date())
    states = {f"card{i}": review_card(60, 1) for i in range(1800)}
    per_day = Counter(from_ms(d).date() for d in plan.overrides(p, states, sch, NOW).values())
    assert sorted(per_day) == [date(2026, 12, 3) + timedelta(days=i) for i in range(18)]
    # 100 a day on average; a hash spreads them within a few tens of percent, never one spike
    assert max(per_day.values()) < 130 and min(per_day.values()) > 70


def test_overrides_only_name_the_cards_whose_due_date_changes():
    sch = Scheduler()
    p = plan.Plan(DAY, NOW.date() - timedelta(days=5))
    states = {"fine": review_card(15, 2), "capped": review_card(15, 2, interval=25),
              "new": CardState()}
    assert set(plan.overrides(p, states, sch, NOW)) == {"capped"}
    assert plan.overrides(p, states, sch, datetime(2027, 1, 1, tzinfo=timezone.utc)) == {}


def test_after_the_date_normal_scheduling_resumes():
    s = review_card(10, 2)
    p = plan.Plan(date(2026, 12, 1), date(2026, 11, 1))
    assert not p.active(NOW) and p.due("x", s, Scheduler(), NOW) == s.due


def test_days_until_inverts_the_forgetting_curve():
    sch = Scheduler()
    s = review_card(7.0, 0)
    for r in (0.95, 0.9, 0.8):
        t = NOW + timedelta(days=sch.days_until(7.0, r))
        assert abs(sch.retrievability(s, t) - r) < 1e-9
    assert abs(sch.days_until(7.0, 0.9) - 7.0) < 1e-9  # FSRS: stability is the 90 % interval


def test_new_cards_fit_before_the_margin_and_a_cap_holds():
    assert plan.new_per_day(100, 23) == 5  # 20 days
    assert plan.new_per_day(100, 2) == 100  # inside the margin: all now
    assert plan.new_per_day(0, 10) == 0
    p = plan.Plan(date(2026, 12, 26), NOW.date())  # 23 days left
    assert p.new_left(20, 100, 0, NOW) == 20  # the daily limit is faster than the pace (5)
    assert p.new_left(2, 100, 0, NOW) == 5  # the pace is faster than what is left of it
    assert p.new_left(2, 100, 4, NOW) == 2  # counted with today's first answers
    capped = replace(p, new_cap=3)
    assert capped.new_left(20, 100, 0, NOW) == 3 and capped.new_left(20, 100, 3, NOW) == 0


def test_simulated_user_reaches_the_target_and_reviews_everything_once_with_the_plan():
    """A pinned clock, 150 cards in review at random stabilities and ages, 500 new, 13
    exercises, 21 days to the interview, the default 20 new cards a day for plain FSRS; the
    simulated user recalls each card with its predicted recall (seeded)."""
    st = plan.synthetic_collection(NOW, reviewing=150, new=500, exercises=13, seed=1)
    sch, p = Scheduler(), plan.Plan(DAY, NOW.date())
    planned = plan.simulate(st, sch, NOW, p, planned=True, new_limit=20, seed=3)
    plain = plan.simulate(st, sch, NOW, p, planned=False, new_limit=20, seed=3)
    cards = [i for i in st if not i.startswith("exercise:")]
    assert planned.share_at_least(0.9, cards) >= 0.95
    assert plain.share_at_least(0.9, cards) < 0.95
    assert all(s.state == NEW for s in st.values() if s.stability is None)  # input unchanged
    assert sum(planned.new) == 500 and sum(plain.new) < 500
    # every card and exercise reviewed at least once before the margin (18 days) with the
    # plan; plain FSRS leaves the long intervals and most new cards alone
    assert plan.once_more(p, st, planned, NOW) == (len(st), len(st))
    done, total = plan.once_more(p, st, plain, NOW)
    assert done < 0.8 * total  # 463 of 663: 140 new cards never shown, 60 seen ones left
    seen = [i for i, s in st.items() if s.state == REVIEW]
    assert plan.once_more(p, st, plain, NOW, seen)[0] < 0.8 * len(seen)  # 103 of 163
    ex = [i for i in st if i.startswith("exercise:")]
    assert plan.once_more(p, st, plain, NOW, ex)[0] < 13  # 4 of 13
    # evenly: no day has more than twice the mean of the window's reviews
    window = planned.reviews[:18]
    assert max(window) <= 2 * sum(window) / len(window)


def test_the_measured_pace_is_the_median_duration():
    assert plan.seconds_per_card([4000, 8000, 0, 30000]) == 8.0
    assert plan.seconds_per_card([]) == 10.0


def test_the_plan_file_keeps_its_start_and_cap(tmp_path):
    today = NOW.date()
    p = plan.updated(None, today, DAY, None)
    assert p == plan.Plan(DAY, today)
    plan.save(tmp_path, p)
    later = today + timedelta(days=4)
    moved = plan.updated(plan.load(tmp_path), later, date(2026, 12, 28), 5)
    assert moved == plan.Plan(date(2026, 12, 28), today, 5)  # reviews since the start count
    assert plan.updated(moved, later, None, 2) == replace(moved, new_cap=2)
    assert plan.updated(moved, later, DAY, None).new_cap is None
    past = plan.Plan(date(2026, 12, 1), date(2026, 11, 1))
    assert plan.updated(past, today, DAY, None).start == today  # a plan over: a new start
    with pytest.raises(PrepError, match="no plan"):
        plan.updated(None, today, None, 3)
    # a plan written before the start was kept: its file's time is when it was set
    (tmp_path / "plan.json").write_text(json.dumps({"interview": "2026-12-24"}))
    set_at = datetime(2026, 11, 30, 12).timestamp()
    os.utime(tmp_path / "plan.json", (set_at, set_at))
    assert plan.load(tmp_path) == plan.Plan(DAY, date(2026, 11, 30))
    (tmp_path / "plan.json").write_text(json.dumps({"interview": "2026-12-24",
                                                    "start": "2026-12-01", "new_per_day": -1}))
    with pytest.raises(PrepError, match="plan.json"):
        plan.load(tmp_path)


def test_cli_sets_shows_and_clears_the_plan(run, prep_home):
    today = datetime.now().astimezone().date()
    day = today + timedelta(days=14)
    r = run("plan", "--interview", day.isoformat(), "--minutes", "600")
    assert r.exit_code == 0, r.output
    assert f"Interview {day}: 14 day(s) left" in r.output
    assert "with the plan" in r.output and "without it" in r.output
    # the bundled decks' cards (prompt cards left out, as prep study does) and the 13 drills
    assert (f"Every one of 130 cards and 13 exercises is due at least once before "
            f"{today + timedelta(days=11)}") in r.output
    assert "warning" not in r.output and "To fit" not in r.output  # 600 min a day: it fits
    assert json.loads((prep_home / "plan.json").read_text())["start"] == today.isoformat()
    assert "14 day(s) left" in run("plan").output
    r = run("plan", "--new", "3", "--minutes", "600")
    assert "3 a day (at most 3: prep plan --new)" in r.output
    assert "stay new until after the date" in r.output
    assert "Plan cleared" in run("plan", "--clear").output
    assert "No plan" in run("plan").output
    r = run("plan", "--new", "3")
    assert r.exit_code == 2 and "no plan to change" in r.output


def test_cli_says_what_to_drop_when_the_plan_does_not_fit(run):
    day = datetime.now().astimezone().date() + timedelta(days=14)
    r = run("plan", "--interview", day.isoformat(), "--minutes", "20", "--prompts")
    assert r.exit_code == 0, r.output
    lines = r.output.splitlines()
    warning = next(i for i, line in enumerate(lines) if line.startswith("warning"))
    assert "not feasible in 20 min a day" in lines[warning]
    opts = [line for line in lines[warning + 1:] if line.startswith("  - ")]
    kinds = " | ".join(opts)
    for what in ("drill at most", "prompt cards", "drop deck cv-interview-questions",
                 "fewer new cards: at most"):
        assert what in kinds, what
    assert all(line.rstrip().endswith(" min") for line in opts)
    fit = next(line for line in lines if line.startswith("To fit in 20 min"))
    peak = float(fit.split("busiest day ")[1].split(" min")[0])
    assert peak <= 20
    assert any(line.startswith("With it, ") and "due at least once before" in line
               for line in lines)


def test_cli_rejects_a_bad_or_past_date(run):
    r = run("plan", "--interview", "20-12-2026")
    assert r.exit_code == 2 and "YYYY-MM-DD" in r.output
    r = run("plan", "--interview", "2000-01-01")
    assert r.exit_code == 2 and "past" in r.output
    r = run("plan", "--interview", "2100-01-01", "--clear")
    assert r.exit_code == 2 and "excludes" in r.output


def test_study_follows_the_plan_and_the_review_history_is_untouched(prep_home, tmp_path):
    from prepcli.review.store import Store
    from studykit import T0, load, make_decks, session, simple_cards

    cards = load(make_decks(tmp_path / "decks", {"basics": simple_cards(60)}))
    with Store(prep_home / "prep.db") as store:
        last = T0 - timedelta(days=2)
        capped = CardState(state=REVIEW, stability=15, difficulty=5.0,
                           due=ms(last + timedelta(days=25)), last_review=ms(last), reps=3)
        long = replace(capped, stability=80, due=ms(last + timedelta(days=80)))
        with store._write():
            store._put_state("c1", capped)  # FSRS: due after the day; the plan: ~day 6
            store._put_state("c2", long)  # fine on the day; the plan: once more in the window
        p = plan.Plan((T0 + timedelta(days=21)).date(), T0.date())
        plain = session(cards, store, T0 + timedelta(days=7))
        planned = session(cards, store, T0 + timedelta(days=7), plan=p)
        assert "c1" not in [c.id for c in plain.review_queue]
        assert "c1" in [c.id for c in planned.review_queue]
        slot = from_ms(p.due("c2", long, Scheduler(), T0)).date()
        for day in range(18):
            t = datetime.combine(T0.date() + timedelta(days=day), T0.timetz())
            queue = [c.id for c in session(cards, store, t, plan=p).review_queue]
            assert ("c2" in queue) == (t.date() >= slot), day
        # new cards at the plan's pace (58 in 18 days: 4 a day), not below the daily limit
        assert len(session(cards, store, T0, new_limit=2, plan=p).new_queue) == 4
        assert len(session(cards, store, T0, new_limit=2).new_queue) == 2
        assert len(session(cards, store, T0, plan=replace(p, new_cap=1)).new_queue) == 1
        assert planned.days_left() == 14 and plain.days_left() is None
        # history untouched
        assert store.review_count() == 0 and (store.state("c1"), store.state("c2")) == (capped,
                                                                                        long)


def test_the_next_due_card_is_the_plans_when_it_brings_one_forward(prep_home, tmp_path):
    """"Nothing to study now. The next card is due …" names the plan's date, not FSRS's."""
    from prepcli.review.store import Store
    from studykit import T0, load, make_decks, session, simple_cards

    cards = load(make_decks(tmp_path / "decks", {"basics": simple_cards(3)}))
    with Store(prep_home / "prep.db") as store:
        last = T0 - timedelta(days=2)
        capped = CardState(state=REVIEW, stability=15, difficulty=5.0,
                           due=ms(last + timedelta(days=25)), last_review=ms(last), reps=3)
        with store._write():
            for cid in ("c1", "c2", "c3"):
                store._put_state(cid, capped)
        p = plan.Plan((T0 + timedelta(days=21)).date(), T0.date() - timedelta(days=3))
        plain = session(cards, store, T0)
        planned = session(cards, store, T0, plan=p)
        assert plain.next(T0) is None and planned.next(T0) is None  # nothing due today
        by_plan = p.due("c1", capped, Scheduler(), T0)
        assert T0 < from_ms(by_plan) < from_ms(capped.due)
        assert plain.summary(T0).next_due == from_ms(capped.due)
        assert planned.summary(T0).next_due == from_ms(by_plan)
        # after the date the plan no longer applies: FSRS's date again
        after = T0 + timedelta(days=22)
        assert planned.summary(after).next_due == from_ms(capped.due)


def test_drill_follows_the_plan_and_the_header_shows_days_left(prep_home, tmp_path):
    from prepcli.drills import attempts as drills
    from prepcli.review.store import Store
    from studykit import T0, Clock, drive, load, make_decks, session, simple_cards

    sch = Scheduler()
    p = plan.Plan((T0 + timedelta(days=21)).date(), T0.date())
    now = T0 + timedelta(days=7)
    last = T0 - timedelta(days=2)
    s = CardState(state=REVIEW, stability=15, difficulty=5.0,
                  due=ms(last + timedelta(days=25)), last_review=ms(last), reps=3)
    with Store(prep_home / "prep.db") as store:
        with store._write():
            store._put_state(drills.card_id("nms"), s)
        assert not drills.is_due(store, "nms", now)
        due_of = lambda cid, st: p.due(cid, st, sch, now)  # noqa: E731
        assert drills.is_due(store, "nms", now, due_of)
        assert drills.most_due(store, sch, now, due_of) == "nms"
        cards = load(make_decks(tmp_path / "decks", {"basics": simple_cards(3)}))
        _, screen = drive(session(cards, store, now, plan=p), "q", Clock(now))
        assert "interview in 14d" in screen
        _, screen = drive(session(cards, store, now), "q", Clock(now))
        assert "interview in" not in screen
    # the drill screen's title (its text's first line), as prep drill shows it
    text = drills.description("nms", "")
    assert p.titled(text, now).split("\n")[0] == text.split("\n")[0] + " · interview in 14d"
    assert p.titled(text, now + timedelta(days=15)) == text  # after the date: as it was


def test_the_exercise_list_shows_the_due_dates_the_drills_follow(run, prep_home, monkeypatch):
    from prepcli import cli
    from prepcli.drills import attempts as drills
    from prepcli.review.store import Store

    monkeypatch.setattr(cli, "_now", lambda: NOW)
    long = review_card(60, 1)  # FSRS: due in 59 days; the plan: once more in the window
    with Store(prep_home / "prep.db") as store:
        with store._write():
            store._put_state(drills.card_id("nms"), long)
    fsrs = json.loads(run("exercises", "--json").stdout)
    assert run("plan", "--interview", DAY.isoformat()).exit_code == 0
    planned = json.loads(run("exercises", "--json").stdout)
    nms = [next(e for e in x["exercises"] if e["exercise"] == "nms") for x in (fsrs, planned)]
    slot = plan.Plan(DAY, NOW.date()).due(drills.card_id("nms"), long, Scheduler(), NOW)
    assert nms[0]["next_due"] != nms[1]["next_due"]
    assert datetime.fromisoformat(nms[1]["next_due"]) == from_ms(slot)


def test_cli_on_the_day_after_the_interview_hour_has_nothing_left_to_plan(run, monkeypatch):
    from prepcli import cli

    monkeypatch.setattr(cli, "_now", lambda: NOW)  # 10:00, the interview at 09:00
    r = run("plan", "--interview", NOW.date().isoformat())
    assert r.exit_code == 0 and "nothing left to plan" in r.output and "warning" not in r.output


def test_stats_counts_what_study_asks_under_the_plan(prep_home, tmp_path):
    """`prep stats` with an active plan: due now and later today, the deck's due, the
    forecast, new available and each exercise's next due are those `prep study` and
    `prep drill` follow, on every day to the interview; without the plan, FSRS's."""
    from prepcli.drills import attempts as drills
    from prepcli.progress import stats as statsmod
    from prepcli.review import index
    from prepcli.review.store import Store
    from studykit import T0, load, make_decks, session, simple_cards

    d = make_decks(tmp_path / "decks", {"basics": simple_cards(40)})
    cards = load(d)
    last = T0 - timedelta(days=2)
    capped = CardState(state=REVIEW, stability=15, difficulty=5.0,
                       due=ms(last + timedelta(days=25)), last_review=ms(last), reps=3)
    with Store(prep_home / "prep.db") as store:
        with store._write():
            for i in range(1, 13):  # FSRS: due after the day; the plan: before it, spread
                store._put_state(f"c{i}", replace(capped, stability=10 + 6 * i,
                                                  due=ms(last + timedelta(days=15 + 6 * i))))
            store._put_state("c13", replace(capped, due=ms(T0 + timedelta(days=1))))
            store._put_state(drills.card_id("nms"), capped)
        p = plan.Plan((T0 + timedelta(days=21)).date(), T0.date())
        files = index.scope(store, [d], [], None)[0].files
        moved = 0
        for day in range(0, 22, 3):
            t = T0 + timedelta(days=day)
            for with_plan in (p, None):
                got = statsmod.compute(store, Scheduler(), t, files, new_per_day=2,
                                       plan=with_plan)
                s = session(cards, store, t, new_limit=2, plan=with_plan)
                today = got["today"]
                assert today["due_now"] + today["due_later_today"] == len(s.review_queue)
                assert got["decks"][0]["due"] == len(s.review_queue)
                assert today["new_available"] == len(s.new_queue)
                due = {c.id: s._due(c.id, s.states[c.id]) for c in s.review_queue}
                assert got["forecast"][0]["due"] == len(due)
                (nms,) = [e for e in got["exercises"] if e["exercise"] == "nms"]
                want = (p.due(drills.card_id("nms"), capped, Scheduler(), t) if with_plan
                        else capped.due)
                assert nms["next_due"] == from_ms(want).astimezone(t.tzinfo).isoformat()
                assert (got["plan"] is not None) == (with_plan is not None)
            plain = statsmod.compute(store, Scheduler(), t, files)["forecast"]
            planned = statsmod.compute(store, Scheduler(), t, files, plan=p)["forecast"]
            assert sum(f["due"] for f in planned) >= sum(f["due"] for f in plain)
            moved += plain != planned
        assert moved >= 3  # the plan changed the forecast on most of those days


def test_cli_stats_says_the_plan_is_followed(run, prep_home):
    from prepcli.review.store import Store

    now = datetime.now(timezone.utc)
    with Store(prep_home / "prep.db") as st:  # one review: the full screen, not the welcome
        after = CardState(REVIEW, None, 10.0, 5.0, ms(now + timedelta(days=5)), ms(now), 1, 0)
        st.record("some-card", CardState(), after, 3, ms(now), 5000)
    day = (datetime.now().date() + timedelta(days=10)).isoformat()
    assert run("plan", "--interview", day).exit_code == 0
    r = run("stats", "--json")
    assert r.exit_code == 0 and json.loads(r.stdout)["plan"] == {"interview": day,
                                                                 "days_left": 10}
    assert f"interview {day}: 10 day(s) left" in run("stats").stdout
    assert run("plan", "--clear").exit_code == 0
    assert json.loads(run("stats", "--json").stdout)["plan"] is None


def test_what_to_drop_lists_only_choices_that_lower_the_busiest_day(run, tmp_path):
    # two prompt cards and 13 exercises for tomorrow: "leave out the 2 prompt cards: 195
    # min" was offered against a busiest day of 195 min (fault hunt 3, helper 90)
    d = tmp_path / "decks"
    d.mkdir()
    (d / "p.yaml").write_text("deck: P\ncards:\n- id: p1\n  question: what is x?\n  kind: prompt\n"
                              "- id: p2\n  question: what is y?\n  kind: prompt\n")
    day = datetime.now().astimezone().date() + timedelta(days=1)
    r = run("plan", "--interview", day.isoformat(), "--prompts", "--cards", d)
    assert r.exit_code == 0, r.output
    lines = r.output.splitlines()
    warning = next(line for line in lines if line.startswith("warning"))
    peak = float(warning.split(" needs ")[1].split(" min")[0])
    opts = [line for line in lines if line.startswith("  - ")]
    assert opts and all(float(o.rsplit(": ", 1)[1].split(" min")[0]) < peak for o in opts), opts
    assert not any("prompt cards" in o or "drop deck p" in o for o in opts)


def test_an_interview_today_is_said_as_past_once_its_hour_has_gone(run, monkeypatch):
    # at 13:06 it said "The interview is today at 09:00" (fault hunt 3, helper 90)
    from prepcli import cli

    now = datetime(2026, 12, 5, 13, 6).astimezone()
    monkeypatch.setattr(cli, "_now", lambda: now)
    r = run("plan", "--interview", now.date().isoformat())
    assert r.exit_code == 0, r.output
    assert "The interview was today at 09:00: nothing left to plan" in r.output, r.output
