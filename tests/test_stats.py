"""`prep stats`: every figure from a store built with a pinned clock and known reviews, and
the figures asked of SQLite checked against the card-by-card computation they replaced."""

import bisect
import heapq
import json
import random
import re
from datetime import datetime, timedelta, timezone

import pytest

from prepcli.progress import stats as statsmod
from prepcli.cards.deck import load_dir
from prepcli.review import index
from prepcli.review.scheduler import (DAY_MS, LEARNING, NEW, RELEARNING, REVIEW, CardState,
                                      Scheduler, ms)
from prepcli.review.session import day_start
from prepcli.review.store import MATURE_MS, NOT_EXERCISE, Store
from studykit import make_decks, simple_cards

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=timezone.utc)  # study day began 04:00
DAY = timedelta(days=1)


def at(days_ago: float, hour: int = 9) -> datetime:
    return (NOW - days_ago * DAY).replace(hour=hour)


def review(st, cid, when, rating, *, ivl=10, after_due, after_state=REVIEW, lapses=0,
           duration=5000):
    """Record a review. A card without history first gets one review `ivl` days earlier
    that scheduled it for `when`, so its interval before this review is `ivl` days; a card
    with history is reviewed from the state its last review left (as the app does)."""
    before = st.state(cid)
    if before.state == NEW:
        seed = CardState(REVIEW, None, 10.0, 5.0, ms(when), ms(when - ivl * DAY), 1, 0)
        st.record(cid, before, seed, 3, ms(when - ivl * DAY), 1)
        before = seed
    after = CardState(after_state, None if after_state == REVIEW else 0, 12.0, 5.0,
                      ms(after_due), ms(when), before.reps + 1, lapses)
    st.record(cid, before, after, rating, ms(when), duration)


@pytest.fixture
def data(tmp_path, prep_home):
    d = make_decks(tmp_path / "decks", {
        "alpha": simple_cards(6, "a") + [{"id": "p1", "kind": "prompt", "question": "Why?",
                                          "answer": ""}],
        "beta": simple_cards(3, "b"),
    })
    decks, _ = load_dir(d)
    with Store(prep_home / "prep.db") as st:
        # mature card a1: Good today (first of the day) -> counts; Again later today -> not
        review(st, "a1", at(0, 5), 3, ivl=30, after_due=NOW + 40 * DAY)
        review(st, "a1", at(0, 8), 1, ivl=40, after_due=NOW + 1 * DAY, lapses=1)
        # mature card a2: Again 2 days ago
        review(st, "a2", at(2), 1, ivl=25, after_due=NOW + 1 * DAY, lapses=9)
        # young card b1: Good 10 days ago (in 30 d, not 7 d), Good 4 days ago (in 7 d)
        review(st, "b1", at(10), 3, ivl=5, after_due=at(4))
        review(st, "b1", at(4), 3, ivl=6, after_due=NOW + 29 * DAY)
        # young b2: Again yesterday, now relearning due in 10 minutes
        review(st, "b2", at(1), 1, ivl=3, after_due=NOW + timedelta(minutes=10),
               after_state=LEARNING)
        # a3 learned from new today (not a review-state review)
        before = st.state("a3")
        st.record("a3", before, CardState(LEARNING, 0, 1.0, 5.0, ms(NOW - timedelta(hours=1)),
                                          ms(at(0, 9)), 1, 0), 3, ms(at(0, 9)), 7000)
        st.set_suspended("a5", True)
        st.set_buried("a6", ms(NOW + DAY))
        st.record_grade("nms", ms(at(1)), 0, 1, 10, 21, False, "h1")
        st.record_grade("nms", ms(at(0, 6)), 1, 1, 21, 21, True, "h2")
        data = statsmod.compute(st, Scheduler(), NOW, _files(st, d), new_per_day=3)
    return decks, data


def _files(st: Store, *folders) -> list:
    """The indexed deck files of these folders, in order, as `prep stats` gets them."""
    return index.scope(st, list(folders), [], None)[0].files


def test_today_figures(data):
    _, d = data
    t = d["today"]
    # today's reviews: a1 twice, a3 once (the seed reviews of a1 are 30/40 days back)
    assert (t["reviews"], t["again"]) == (3, 1)
    assert t["again_rate"] == round(1 / 3, 4)
    assert t["seconds"] == 17.0  # 5 + 5 + 7 s
    # due now: a3 (learning, due an hour ago); later today: b2 (in 10 min)
    assert (t["due_now"], t["due_later_today"]) == (1, 1)
    # new: a4, b3 (a5 suspended, a6 buried); limit 3 - 1 introduced today (a3) = 2
    assert (t["new_available"], t["new_total"]) == (2, 2)


def test_streak_days_studied_and_heatmap(data):
    _, d = data
    # days with reviews: today, 1, 2, 4, 10 days ago, plus seed reviews long before
    assert d["streak"] == {"days": 3, "days_studied": d["streak"]["days_studied"],
                           "studied_today": True}
    heat = d["heatmap"]["reviews"]
    assert len(heat) == 182 and heat[-1] == 3 and heat[-2] == 1 and heat[-3] == 1
    assert heat[-4] == 0 and heat[-5] >= 1
    assert d["heatmap"]["first_date"] == "2026-05-25"


def test_true_retention_first_review_per_day_young_and_mature(data):
    _, d = data
    r7, r30 = d["retention"]["7d"], d["retention"]["30d"]
    # mature in 7 d: a1 today (Good; the later Again does not count), a2 (Again) -> 1/2
    assert r7["mature"] == {"passed": 1, "reviews": 2, "rate": 0.5}
    # young in 7 d: b1 4 days ago (Good), b2 yesterday (Again) -> 1/2
    assert r7["young"] == {"passed": 1, "reviews": 2, "rate": 0.5}
    # young in 30 d adds b1 10 days ago (Good) -> 2/3; the seeds are 25+ days back: a2's
    # seed (25 days, young ivl) also counts in 30 d
    assert r30["young"]["reviews"] >= 3 and r30["young"]["passed"] >= 2
    assert r7["all"] == {"passed": 2, "reviews": 4, "rate": 0.5}


def test_forecast_counts(data):
    _, d = data
    fc = [f["due"] for f in d["forecast"]]
    assert len(fc) == 30 and d["forecast"][0]["date"] == "2026-11-22"
    # today: a3 (overdue learning) and b2; tomorrow: a1, a2; day 29: b1
    assert fc[0] == 2 and fc[1] == 2 and fc[29] == 1 and sum(fc) == 5


def test_counts_decks_exercises_leeches(data):
    _, d = data
    # a1 and a2 were just failed: their new intervals (1 and 3 days) are young; b1's 33 days
    # are mature
    assert d["counts"] == {"new": 2, "learning": 2, "young": 2, "mature": 1, "suspended": 1,
                           "buried": 1, "prompt": 1, "total": 9}
    alpha = next(x for x in d["decks"] if x["deck"] == "alpha")
    assert (alpha["cards"], alpha["new"], alpha["due"]) == (6, 2, 1)
    assert alpha["mature_share"] == 0.0
    beta = next(x for x in d["decks"] if x["deck"] == "beta")
    assert beta["mature_share"] == round(1 / 3, 4)
    assert 0 < alpha["retrievability"] <= 1
    nms = next(e for e in d["exercises"] if e["exercise"] == "nms")
    assert (nms["attempts"], nms["best_parts_passed"], nms["last_parts_passed"]) == (2, 1, 1)
    assert nms["last_cases"] == [21, 21]
    assert [x["id"] for x in d["leeches"]["cards"]] == ["a2"]
    assert d["leeches"]["cards"][0]["lapses"] == 9
    weakest = d["leeches"]["weakest"]
    assert [w["id"] for w in weakest][:1] == ["a2"] or weakest[0]["retrievability"] <= \
        weakest[-1]["retrievability"]
    assert all(a["retrievability"] <= b["retrievability"] for a, b in zip(weakest, weakest[1:]))


def test_json_has_the_documented_top_level_keys(data):
    _, d = data
    for key in ("today", "streak", "retention", "forecast", "counts", "decks", "exercises",
                "leeches", "heatmap", "schema"):
        assert key in d
    json.dumps(d)  # serialisable as is


def test_deck_narrows_everything(tmp_path, data, prep_home):
    decks, _ = data
    with Store(prep_home / "prep.db") as st:
        d = statsmod.compute(st, Scheduler(), NOW, _files(st, tmp_path / "decks"),
                             new_per_day=3, deck="beta")
    assert d["today"]["reviews"] == 0 and d["counts"]["total"] == 3
    assert [x["deck"] for x in d["decks"]] == ["beta"]
    assert d["retention"]["7d"]["young"]["reviews"] == 2
    assert d["exercises"] == []  # beta's cards are about no exercise


def test_cli_screen_and_json_agree(run, data, tmp_path, monkeypatch):
    import prepcli.cli as cli

    monkeypatch.setattr(cli, "_now", lambda: NOW)
    r = run("stats", "--cards", tmp_path / "decks", "--json")
    d = json.loads(r.stdout)
    assert d["today"]["reviews"] == 3 and d["streak"]["days"] == 3
    r = run("stats", "--cards", tmp_path / "decks")
    out = r.stdout
    assert "reviews 3" in out and "again 33.3%" in out and "streak 3 day(s)" in out
    assert re.search(r"7d\s+50\.0% \(2\)\s+50\.0% \(2\)\s+50\.0% \(4\)", out)
    assert "prompts 1" in out and "prep stats --prompts" in out
    assert "Leeches" in out and "Question a2?" in out
    r = run("stats", "--cards", tmp_path / "decks", "--prompts")
    assert r.stdout.strip().endswith("Why?")


def test_first_run_gets_a_friendly_screen(run, tmp_path):
    d = make_decks(tmp_path / "d", {"x": simple_cards(4)})
    r = run("stats", "--cards", d)
    assert r.exit_code == 0
    assert "No reviews yet." in r.stdout and "prep study" in r.stdout
    assert json.loads(run("stats", "--cards", d, "--json").stdout)["empty"] is True
    r = run("stats", "--cards", d, "--deck", "zzz")
    assert r.exit_code == 2 and "no deck named 'zzz'" in r.stderr


def test_screen_lists_ten_leeches_and_says_how_many_more(data):
    import io

    from rich.console import Console

    from prepcli.screens import report

    _, d = data
    d = json.loads(json.dumps(d))
    d["leeches"]["cards"] = [{"id": f"x{i}", "deck": "alpha", "question": f"Leech {i}\nline 2?",
                              "lapses": 30 - i} for i in range(13)]
    out = io.StringIO()
    report.stats_screen(Console(file=out, width=100), d)
    text = out.getvalue()
    assert "Leeches (13 cards with 8+ lapses)" in text
    assert "Leech 9 line 2?" in text and "Leech 10" not in text  # one line per card
    assert "… and 3 more (all of them: prep stats --json)" in text


def test_interval_histogram_reviews_per_day_answer_buttons(data):
    _, d = data
    ivl = {x["days"]: x["cards"] for x in d["intervals"]}
    # review cards: a1 (1 day + 2 h), a2 (3 days + 1 h), b1 (33 days + 1 h)
    assert ivl == {"1": 1, "2": 0, "3-6": 1, "7-13": 0, "14-20": 0, "21-59": 1, "60-179": 0,
                   "180-364": 0, "1y+": 0}
    per_day = [x["reviews"] for x in d["reviews_per_day"]]
    assert len(per_day) == 30 and d["reviews_per_day"][-1]["date"] == "2026-11-22"
    # today 3, then 1, 1, 0, 2 (b1 and b2's first), ... 10 days ago 1, 15 days 1, 27 days 1
    assert per_day[-5:] == [2, 0, 1, 1, 3] and per_day[-11] == 1 and sum(per_day) == 10
    b = d["answer_buttons"]
    # first reviews (a2, b1, b2 seeds; a3) are learning; b1 twice Good and b2 Again young;
    # a1 Good then Again, a2 Again mature (a1's seed is 30 days back: outside)
    assert b["learning"] == {"again": 0, "hard": 0, "good": 4, "easy": 0, "correct": 1.0}
    assert b["young"] == {"again": 1, "hard": 0, "good": 2, "easy": 0, "correct": 0.6667}
    assert b["mature"] == {"again": 2, "hard": 0, "good": 1, "easy": 0, "correct": 0.3333}


def test_weakest_never_lists_a_card_at_100_percent(data):
    _, d = data
    weakest = d["leeches"]["weakest"]
    assert weakest and all(w["retrievability"] < 0.995 for w in weakest)
    assert "a1" not in [w["id"] for w in weakest]  # answered two hours ago: recall ~100 %


def test_stats_screen_labels_and_scales(data):
    import io

    from rich.console import Console

    from prepcli.screens import report
    _, d = data
    buf = io.StringIO()
    report.stats_screen(Console(file=buf, width=100, color_system=None), d)
    text = buf.getvalue()
    for label in ("Mon ", "Sun ", "Jun", "Nov", "log scale", "per week:", "Answer buttons",
                  "Intervals of review cards", "Reviews per day", "21-59 d"):
        assert label in text, label
    # a 1-card day still draws a bar beside a bigger one (log scale, never blank)
    bars, _ = report._log_bars([505, 20, 1, 0])
    assert bars[0] == "█" and bars[1] != " " and bars[2] != " " and bars[3] == " "


# --- the SQL aggregates against the card-by-card computation they replaced ----------------

def _oracle(decks, store, scheduler, now, *, day_starts_at=4, new_per_day=20, deck=None):
    """`compute` as it was before the card figures moved into SQL: every card of the decks
    read from the YAML, its state looked up, one pass in Python. The review-log figures
    and the document are shared (they did not change)."""
    if deck:
        wanted = deck.casefold()
        decks = [d for d in decks if wanted in (d.slug.casefold(), d.name.casefold())]
    cards = [c for d in decks for c in d.cards]
    study = [c for c in cards if c.kind != "prompt"]
    where = store.restrict([c.id for c in cards]) if deck else (store.restrict(None)
                                                                  or NOT_EXERCISE)
    day0 = day_start(now, day_starts_at)
    day0_ms, now_ms = ms(day0), ms(now)
    day_end_ms = day0_ms + DAY_MS
    states = store.state_rows()
    suspended = {cid for cid, s, _ in store.db.execute("SELECT id, suspended, 0 FROM cards")
                 if s}
    buried = {cid for (cid,) in store.db.execute(
        "SELECT id FROM cards WHERE buried_until IS NOT NULL AND buried_until > ?", (now_ms,))}
    reviews = statsmod.review_figures(store, where, day0)
    decay = -scheduler.settings.parameters[20]
    factor = 0.9 ** (1 / decay) - 1
    counts = {"new": 0, "learning": 0, "young": 0, "mature": 0, "suspended": 0, "buried": 0,
              "prompt": sum(1 for c in cards if c.kind == "prompt"), "total": len(study)}
    forecast = [0] * statsmod.FORECAST_DAYS
    due_now = due_later = new_total = 0
    per_deck = {dk.slug: [0, 0, 0, 0, 0, 0.0] for dk in decks}
    leech, weak = [], []
    bounds = [hi for _, hi in statsmod.INTERVAL_BUCKETS]
    intervals = [0] * len(bounds)
    fresh = (None, NEW, None, None, None, 0)
    for c in study:
        cid = c.id
        _, state, stab, due, last, lapses = states.get(cid, fresh)
        sus, bur = cid in suspended, cid in buried
        acc = per_deck[c.deck]
        acc[0] += 1
        counts["suspended"] += sus
        counts["buried"] += bur
        if state == NEW:
            acc[1] += not sus
            if not sus and not bur:
                counts["new"] += 1
                new_total += 1
            continue
        recall = 0.0
        if last is not None and stab:
            recall = (1 + factor * max(0.0, (now_ms - last) / DAY_MS) / stab) ** decay
        acc[4] += 1
        acc[5] += recall
        if state in (LEARNING, RELEARNING):
            kind = "learning"
        else:
            kind = "mature" if due is not None and last is not None and \
                due - last >= MATURE_MS else "young"
        acc[3] += kind == "mature"
        if not sus and not bur:
            counts[kind] += 1
            if due is not None:
                if due <= now_ms:
                    due_now += 1
                elif due < day_end_ms:
                    due_later += 1
                acc[2] += due < day_end_ms
                day = max(0, (due - day0_ms) // DAY_MS)
                if day < statsmod.FORECAST_DAYS:
                    forecast[day] += 1
        if lapses >= statsmod.LEECH_LAPSES:
            leech.append((lapses, c))
        if state in (REVIEW, RELEARNING) and not sus and recall < 0.995:
            weak.append((recall, cid, c))
        if state == REVIEW and due is not None and last is not None:
            intervals[bisect.bisect_right(bounds, (due - last) / DAY_MS)] += 1
    leech.sort(key=lambda x: -x[0])
    weakest = heapq.nsmallest(10, weak, key=lambda x: (x[0], x[1]))
    rate = statsmod._rate
    return statsmod.assemble(store, scheduler, now, day0, reviews, {
        "deck": decks[0].slug if deck else None,
        "today": {**reviews.pop("today"), "due_now": due_now, "due_later_today": due_later,
                  "new_available": min(new_total, max(0, new_per_day - reviews.pop("new_done"))),
                  "new_total": new_total},
        "forecast": forecast, "counts": counts, "intervals": intervals,
        "decks": [{"deck": dk.slug, "name": dk.name, "cards": per_deck[dk.slug][0],
                   "new": per_deck[dk.slug][1], "due": per_deck[dk.slug][2],
                   "mature_share": rate(per_deck[dk.slug][3], per_deck[dk.slug][0]),
                   "retrievability": (round(per_deck[dk.slug][5] / per_deck[dk.slug][4], 4)
                                      if per_deck[dk.slug][4] else None)} for dk in decks],
        "leeches": [{"id": c.id, "deck": c.deck, "question": c.question, "lapses": n}
                    for n, c in leech],
        "weakest": [{"id": c.id, "deck": c.deck, "question": c.question,
                     "retrievability": round(r, 4)} for r, _, c in weakest],
    }, {c.exercise for c in cards if c.exercise} if deck else None)


def _generated(tmp_path, prep_home, seed=7):
    """Three decks of 400 cards (prompts, a repeated id, cards about exercises) and a store
    whose card states cover every case: never seen, each state, suspended, buried until
    before or after now, no due time or stability, intervals on the bucket and maturity
    bounds to the ms, leeches with tied lapses, vanished cards and exercises."""
    rng = random.Random(seed)
    decks = {}
    for name, n in (("alpha", 150), ("beta", 130), ("gamma", 120)):
        cards = []
        for i in range(n):
            c = {"id": f"{name[0]}{i}", "question": f"Question {name} {i}?", "answer": "A."}
            r = rng.random()
            if r < 0.05:
                c.update(kind="prompt", answer="")
            elif r < 0.1:
                c["exercise"] = rng.choice(["nms", "iou"])
            cards.append(c)
        decks[name] = cards
    decks["gamma"].append({"id": "a3", "question": "Repeated id?", "answer": "Left out."})
    decks["gamma"] += [{"id": f"0{k}", "question": f"Edge {k}?", "answer": "A."} for k in range(5)]
    d = make_decks(tmp_path / "decks", decks)
    now_ms = ms(NOW)
    bounds = [int(hi * DAY_MS) + dx for _, hi in statsmod.INTERVAL_BUCKETS[:-1]
              for dx in (-1, 0, 1)] + [MATURE_MS - 1, MATURE_MS]
    ids = dict.fromkeys([c["id"] for cards in decks.values() for c in cards] +
                        ["gone1", "gone2", "exercise:nms"])
    rows = {}
    for cid in ids:
        if rng.random() < 0.2:
            continue  # never seen: no state
        state = rng.choice([NEW, LEARNING, REVIEW, REVIEW, REVIEW, RELEARNING])
        last = None if rng.random() < 0.05 else now_ms - rng.randrange(0, 400 * DAY_MS)
        ivl = rng.choice(bounds) if rng.random() < 0.3 else rng.randrange(0, 500 * DAY_MS)
        due = None if rng.random() < 0.05 else (last or now_ms) + ivl
        stab = rng.choice([None, 0.0, rng.uniform(0.1, 500), rng.uniform(0.1, 5)])
        if cid.startswith("exercise:"):  # shown through the scheduler: a real stability
            stab = 2.0
        buried = rng.choice([None, None, None, now_ms - 1, now_ms, now_ms + DAY_MS])
        rows[cid] = (cid, state, stab, 5.0, due, last, 3, rng.choice([0, 1, 8, 8, 9, 12]),
                     int(rng.random() < 0.1), buried)
    day_end = ms(day_start(NOW, 4)) + DAY_MS
    # on the bounds: due this very ms; due as the next day starts; an interval of exactly
    # 21 days; a review card never recalled (0 %, as many others) whose id sorts first; due
    # in the day's last ms
    for k, (state, due, last, stab) in enumerate([
            (LEARNING, now_ms, now_ms - DAY_MS, 1.0), (REVIEW, day_end, now_ms - DAY_MS, 3.0),
            (REVIEW, now_ms + 5, now_ms + 5 - MATURE_MS, 30.0), (REVIEW, now_ms, None, None),
            (LEARNING, day_end - 1, now_ms - DAY_MS, 1.0)]):
        rows[f"0{k}"] = (f"0{k}", state, stab, 5.0, due, last, 3, 0, 0, None)
    with Store(prep_home / "prep.db") as st:
        st.db.execute("BEGIN")
        st.db.executemany("INSERT INTO cards (id, state, stability, difficulty, due, "
                          "last_review, reps, lapses, suspended, buried_until) "
                          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", list(rows.values()))
        st.db.execute("COMMIT")
        for i, cid in enumerate(["a1", "b2", "a1", "gone1"]):  # a review log too
            review(st, cid, at(i % 3), 1 + i % 4, after_due=NOW + DAY)
    return d


@pytest.mark.parametrize("deck", [None, "beta", "Gamma"])
def test_figures_asked_of_sqlite_equal_the_card_by_card_computation(tmp_path, prep_home, deck):
    d = _generated(tmp_path, prep_home)
    yaml_decks, problems = load_dir(d)
    assert len(problems) == 1  # the repeated id, left out by both
    wanted = []
    with Store(prep_home / "prep.db") as st:
        files = _files(st, d)
        for now in (NOW, NOW + timedelta(hours=20), NOW + 3 * DAY):
            for args in ({}, {"day_starts_at": 0, "new_per_day": 200}):
                got = statsmod.compute(st, Scheduler(), now, files, deck=deck, **args)
                want = _oracle(yaml_decks, st, Scheduler(), now, deck=deck, **args)
                assert json.dumps(got) == json.dumps(want), (now, args)
                wanted.append(want)
    if deck:
        assert wanted[0]["deck"] == deck.lower() and wanted[0]["counts"]["total"] < 150
        return
    # the cases the comparison is about did occur (in the whole collection)
    first = wanted[0]
    assert all(first["counts"].values()), first["counts"]
    assert first["leeches"]["cards"] and len(first["leeches"]["weakest"]) == 10
    assert len({x["lapses"] for x in first["leeches"]["cards"]}) < len(first["leeches"]["cards"])
    assert sum(x["due"] for x in first["forecast"]) and all(x["cards"] for x in first["intervals"])
    assert first["today"]["due_now"] and first["today"]["due_later_today"]
    assert all(x["retrievability"] is not None for x in first["decks"])


def _weakest_by_one_join(st: Store, n: int, now: int, decay: float, factor: float) -> list:
    """The query `stats_weakest` replaced: every scope card joined, then sorted."""
    return st.db.execute(
        f"SELECT {Store._STATS_RECALL} AS r, d.id, d.file, d.question {Store._STATS_SEEN} "
        f"AND c.state IN (2, 3) AND NOT c.suspended ORDER BY r, d.id, f.ord, d.pos LIMIT :n",
        {"now": now, "decay": decay, "factor": factor, "n": n}).fetchall()


@pytest.mark.parametrize("n", [1, 10, 1000])
def test_weakest_cards_of_any_scope_equal_those_of_one_join(tmp_path, prep_home, n):
    d = _generated(tmp_path, prep_home)
    # a second folder repeating a card id: both rows are the scope's (one per folder)
    more = make_decks(tmp_path / "more", {"delta": [
        {"id": "b7", "question": "Again b7?", "answer": "A."},
        {"id": "d1", "question": "Only here?", "answer": "A."}]})
    decay = -Scheduler().settings.parameters[20]
    factor = 0.9 ** (1 / decay) - 1
    with Store(prep_home / "prep.db") as st:
        st.db.execute("UPDATE cards SET state = 2, stability = 0.01, last_review = 0, "
                      "suspended = 0 WHERE id = 'b7'")  # the store's weakest but one
        files = _files(st, d, more)
        assert len(files) == 4
        # the whole collection, and each deck alone: most of the store's weakest cards are
        # then outside the scope, so the candidates must grow
        for scope in [files] + [[f] for f in files]:
            st.scope_index(scope, True, None)
            for now in (NOW, NOW + 40 * DAY):
                got = st.stats_weakest(n, ms(now), decay, factor)
                assert got == _weakest_by_one_join(st, n, ms(now), decay, factor)
                assert len(got) == min(n, len(_weakest_by_one_join(st, 10**6, ms(now), decay,
                                                                    factor)))
        st.scope_index(files, True, None)
        weakest = st.stats_weakest(n, ms(NOW), decay, factor)
        if n == 1000:
            assert [w[1] for w in weakest].count("b7") == 2


def test_interval_buckets_found_by_bisection_equal_a_linear_search():
    import sqlite3

    from prepcli.review.store import _bisect

    bounds = statsmod._BOUNDS_MS
    db = sqlite3.connect(":memory:")
    values = [0, -5, 10**13, None] + [b + dx for b in bounds for dx in (-1, 0, 1)]
    sql = _bisect(":v", bounds)
    for v in values:
        want = None if v is None else bisect.bisect_right(bounds, v)
        assert db.execute(f"SELECT {sql}", {"v": v}).fetchone()[0] == want


def test_offset_shifts_find_each_change_to_the_millisecond():
    # an offset of -7 h until 1_000_000_123 ms, -8 h after (a fall-back change), now after it
    def offset(t):
        return -7 * 3_600_000 if t < 1_000_000_123 else -8 * 3_600_000
    assert statsmod.offset_shifts(900_000_000, 1_200_000_000, offset) == [(1_000_000_123,
                                                                            3_600_000)]
    assert statsmod.offset_shifts(900_000_000, 999_000_000, offset) == []  # no change since
    assert statsmod.offset_shifts(1_100_000_000, 1_200_000_000, offset) == []


def test_days_follow_the_local_time_across_a_daylight_saving_change(run, tmp_path, prep_home):
    # US clocks went back an hour on 2026-11-01: reviews were put on days by today's offset,
    # the summer's an hour off (heatmap [55, 111, 111, 55], not [51, 115, 111, 55]; fault
    # hunt 3, helper 90). The oracle: each review's own local date, by zoneinfo.
    import time
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    from prepcli.review.session import day_start
    from prepcli.review.store import NOT_EXERCISE, Store

    try:
        zone = ZoneInfo("America/Los_Angeles")
    except ZoneInfoNotFoundError:
        pytest.skip("no time zone data here")
    mp = pytest.MonkeyPatch()  # (its own: undoing the test's would undo PREP_HOME too)
    mp.setenv("TZ", "America/Los_Angeles")
    time.tzset()
    try:
        if time.localtime(1_793_000_000).tm_gmtoff == 0:
            pytest.skip("the C library has no time zone data here")
        start = int(datetime(2026, 10, 31, 0, 7, tzinfo=timezone.utc).timestamp() * 1000)
        end = int(datetime(2026, 11, 3, tzinfo=timezone.utc).timestamp() * 1000)
        times = list(range(start, end + 1, 13 * 60_000))
        f = tmp_path / "r.csv"
        f.write_text("card_id,review_time,review_rating\n" +
                     "".join(f"c{i},{t},3\n" for i, t in enumerate(times)))
        assert run("reviews", "import", f).exit_code == 0
        day0 = day_start(datetime(2026, 11, 3, 12, 0).astimezone(), 4)  # (local: naive)
        with Store(prep_home / "prep.db") as st:
            got = statsmod.review_figures(st, NOT_EXERCISE, day0)["reviews_per_day"]
        want: dict[str, int] = {}
        for t in times:
            d = (datetime.fromtimestamp(t / 1000, zone) - timedelta(hours=4)).date().isoformat()
            want[d] = want.get(d, 0) + 1
        assert {x["date"]: x["reviews"] for x in got if x["reviews"]} == want
        assert list(want.values()) == [51, 115, 111, 55]
    finally:
        mp.undo()
        time.tzset()


def test_a_review_dated_ahead_by_another_machines_clock_counts_today(tmp_path, prep_home):
    """Reviews import and sync take a review up to a day ahead of this machine's clock: it
    counted in `today` but on no day of the charts, and days studied said 2 where the streak
    said 0 (fault hunt 14)."""
    d = make_decks(tmp_path / "decks", {"alpha": simple_cards(2, "a")})
    with Store(prep_home / "prep.db") as st:
        review(st, "a1", NOW - 3 * DAY, 3, ivl=3, after_due=NOW + 5 * DAY)
        ahead = NOW + timedelta(hours=23)  # (tomorrow's study day, by this clock)
        before = st.state("a2")
        st.record("a2", before, CardState(LEARNING, 0, 1.0, 5.0, ms(ahead), ms(ahead), 1, 0), 3,
                  ms(ahead), 1000)
        data = statsmod.compute(st, Scheduler(), NOW, _files(st, d), new_per_day=3)
    assert data["today"]["reviews"] == 1
    assert data["reviews_per_day"][-1]["reviews"] == 1 and data["heatmap"]["reviews"][-1] == 1
    assert data["streak"]["studied_today"] and data["streak"]["days"] == 1
    # (a1's seed review 6 days ago, a1 3 days ago, a2 today: three days, three reviews)
    assert sum(x["reviews"] for x in data["reviews_per_day"]) == 3 == \
        data["streak"]["days_studied"]
