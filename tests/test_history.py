"""Review history: CSV import/export, idempotence, bad rows, and `prep optimize` on the real
published review log (../shared/data, attribution in its README)."""

import csv
from datetime import datetime, timezone

import pytest

from conftest import REPO
from prepcli.interop import history
from prepcli.review.store import Store

LOG = REPO.parent / "shared" / "data" / "review_log_fsrs_josh.csv"
needs_log = pytest.mark.skipif(not LOG.exists(), reason="../shared/data not beside the repo")
NOW = datetime(2026, 11, 22, 10, 0, tzinfo=timezone.utc)


def rows_of(path):
    with open(path, newline="") as f:
        return sorted(
            (r["card_id"], round(datetime.fromisoformat(r["review_time"]).timestamp() * 1000),
             int(r["review_rating"]), int(r["review_duration"]) if r["review_duration"] else None)
            for r in csv.DictReader(f))


@pytest.fixture
def pinned(monkeypatch):
    import prepcli.cli as cli

    monkeypatch.setattr(cli, "_now", lambda: NOW)


@needs_log
def test_real_log_round_trips_losslessly_and_twice_adds_nothing(run, tmp_path, prep_home):
    r = run("reviews", "import", LOG)
    assert r.exit_code == 0
    assert "12580 rows; added 12580 review(s) to 1205 card(s), 0 already there" in r.stdout
    r = run("reviews", "import", LOG)
    assert "added 0 review(s) to 0 card(s), 12580 already there" in r.stdout
    out = tmp_path / "out.csv"
    assert run("reviews", "export", out).stdout.strip().endswith("12580 review(s) written.")
    assert rows_of(out) == rows_of(LOG)
    with open(out) as f:
        assert f.readline().strip() == ("card_id,review_time,review_rating,review_duration,"
                                        "review_state")
    # re-importing our own export into a fresh store gives the same history again
    with Store(prep_home / "prep.db") as st:
        assert st.review_count() == 12580
        revs = st.reviews()
    by_card = {}
    for rv in revs:  # replayed states chain: each review starts where the last one ended
        if rv.card_id in by_card:
            assert rv.before == by_card[rv.card_id].after
        by_card[rv.card_id] = rv


def test_bad_rows_are_listed_and_nothing_is_imported(run, tmp_path, prep_home):
    f = tmp_path / "bad.csv"
    f.write_text("card_id,review_time,review_rating,review_duration\n"
                 "1,2024-03-29T20:32:32+00:00,3,100\n"
                 "2,2024-03-29T20:32:32,3,100\n"
                 "3,2024-03-29T20:32:32+00:00,5,100\n"
                 ",2024-03-29T20:32:32+00:00,3,100\n"
                 "4,yesterday,3,100\n"
                 "5,1711744352250,1,-3\n")
    r = run("reviews", "import", f)
    assert r.exit_code == 1
    err = r.stderr
    assert "5 bad row(s); nothing was imported" in err
    assert f"{f}:3: review_time '2024-03-29T20:32:32' has no time zone (add +00:00)" in err
    assert f"{f}:4: review_rating '5' must be 1, 2, 3 or 4" in err
    assert f"{f}:5: empty card_id" in err
    assert f"{f}:6: review_time 'yesterday' is not ISO-8601 or epoch milliseconds" in err
    assert f"{f}:7: review_duration '-3' must be whole milliseconds" in err
    with Store(prep_home / "prep.db") as st:
        assert st.review_count() == 0


def test_a_missing_column_is_a_usage_error(run, tmp_path):
    f = tmp_path / "x.csv"
    f.write_text("card,when,rating\n1,2,3\n")
    r = run("reviews", "import", f)
    assert r.exit_code == 2 and "missing column(s) card_id, review_time, review_rating" in r.stderr


def test_imported_reviews_merge_with_reviews_given_in_prep(run, tmp_path, prep_home):
    from prepcli.review.scheduler import Scheduler, ms

    t1 = datetime(2024, 1, 1, 9, tzinfo=timezone.utc)
    with Store(prep_home / "prep.db") as st:
        s = Scheduler()
        st.record("c", st.state("c"), s.review("c", st.state("c"), 3, t1), 3, ms(t1), 900)
    f = tmp_path / "more.csv"
    f.write_text("card_id,review_time,review_rating,review_duration\n"
                 "c,2023-12-31T09:00:00+00:00,1,500\n"   # before the one in the store
                 "c,2024-01-01T09:00:00+00:00,3,900\n"   # the same review: not added twice
                 "c,2024-01-05T09:00:00+00:00,3,700\n")
    r = run("reviews", "import", f)
    assert "added 2 review(s) to 1 card(s), 1 already there" in r.stdout
    with Store(prep_home / "prep.db") as st:
        revs = st.reviews(card_id="c")
        assert [(rv.rating, rv.duration_ms) for rv in revs] == [(1, 500), (3, 900), (3, 700)]
        assert revs[0].before.state == 0 and revs[1].before == revs[0].after
        assert st.state("c") == revs[-1].after


def test_training_items_follow_anki():
    class R:
        def __init__(self, cid, iso, rating, i):
            self.card_id, self.rating, self.id = cid, rating, i
            self.time = round(datetime.fromisoformat(iso).timestamp() * 1000)
    revs = [R("a", "2024-01-01T10:00:00+00:00", 1, 1), R("a", "2024-01-01T10:10:00+00:00", 3, 2),
            R("a", "2024-01-02T03:00:00+00:00", 3, 3),  # before 4 a.m.: still Jan 1st's day
            R("a", "2024-01-04T09:00:00+00:00", 3, 4), R("b", "2024-01-03T09:00:00+00:00", 3, 5)]
    items = history.training_items(revs)
    # same-day reviews make no item; a card's first review makes none
    assert [seq for _, seq in items] == [[(1, 0), (3, 0), (3, 0), (3, 3)]]
    # a card reset between two reviews: its history starts again there (as Anki's FSRS
    # counts it), and the review after the reset, its first, makes no item
    reset = round(datetime.fromisoformat("2024-01-03T00:00:00+00:00").timestamp() * 1000)
    assert history.training_items(revs, resets=[("a", reset)]) == []


@needs_log
def test_optimize_on_the_real_log_decides_by_plain_log_loss(run, prep_home, pinned):
    run("reviews", "import", LOG)
    r = run("optimize", "--dry-run")
    assert r.exit_code == 0, r.output
    assert "6276 training items: fitted on the earlier 5020, evaluated on the later 1256." in r.stdout
    lines = {ln.split()[0]: [float(x) for x in ln.split()[-3:]] for ln in r.stdout.splitlines()
             if ln.startswith(("in force", "fitted"))}
    (plain_before, weighted_before, _), (plain_after, weighted_after, _) = lines["in"], lines["fitted"]
    assert weighted_before == pytest.approx(0.4347, abs=5e-4)  # the data README's figures
    assert weighted_after == pytest.approx(0.4341, abs=5e-4)
    # by the plain log loss (the criterion, the same as bench/scheduler.py's) the fit is worse
    assert plain_before == pytest.approx(0.4513, abs=5e-4) and plain_after > plain_before
    assert "Dry run: nothing saved." in r.stdout
    r = run("optimize")
    assert "Not saved: the fitted parameters do not predict the later reviews better" in r.stdout
    with Store(prep_home / "prep.db") as st:
        assert st.latest_parameters() is None


@needs_log
def test_optimize_saves_a_fit_that_is_better_and_the_scheduler_uses_it(run, prep_home, pinned,
                                                                        monkeypatch):
    from prepcli.review import optimizer
    real = optimizer.optimize

    def better(items, current):  # the real fit, scored as if it had won on the hold-out
        res = real(items, current)
        res.fitted = (res.current[0] - 0.01, res.fitted[1])
        return res

    monkeypatch.setattr(optimizer, "optimize", better)
    run("reviews", "import", LOG)
    r = run("optimize")
    assert "Saved: scheduling uses the fitted parameters" in r.stdout
    with Store(prep_home / "prep.db") as st:
        saved = st.latest_parameters()
        assert len(saved["parameters"]) == 21 and saved["log_loss_after"] < saved["log_loss_before"]
    r = run("config")
    assert "fitted 2026-11-22 10:00 by prep optimize" in r.stdout
    import prepcli.cli as cli
    from prepcli import config as configmod
    with Store(prep_home / "prep.db") as st:
        sched = cli._scheduler(configmod.load(cli._config_file()), st)
    assert list(sched.settings.parameters) == pytest.approx(saved["parameters"])


def test_optimize_with_too_little_history_says_how_much_more(run, tmp_path, pinned):
    f = tmp_path / "few.csv"
    f.write_text("card_id,review_time,review_rating,review_duration\n"
                 "a,2024-01-01T09:00:00+00:00,3,1\na,2024-01-03T09:00:00+00:00,3,1\n")
    run("reviews", "import", f)
    r = run("optimize")
    assert r.exit_code == 0
    assert "Not enough history to fit: 1 usable reviews" in r.stdout and "399 more needed" in r.stdout


def test_import_says_how_many_card_ids_are_in_no_deck(run, tmp_path, pinned):
    from prepcli import paths
    from prepcli.cards import deck
    decks, _ = deck.load_dir(paths.bundled("cards"))
    known = decks[0].cards[0].id
    f = tmp_path / "mixed.csv"
    f.write_text("card_id,review_time,review_rating,review_duration\n"
                 f"{known},2024-01-01T09:00:00+00:00,3,1\n"
                 "nosuchcard1,2024-01-01T09:00:00+00:00,3,1\n"
                 "nosuchcard2,2024-01-02T09:00:00+00:00,1,1\n")
    r = run("reviews", "import", f)
    assert r.exit_code == 0, r.output
    assert "added 3 review(s) to 3 card(s)" in r.stdout
    assert "2 of 3 card id(s) in the file are in no deck" in r.stdout
    f.write_text("card_id,review_time,review_rating,review_duration\n"
                 f"{known},2024-01-05T09:00:00+00:00,3,1\n")
    r = run("reviews", "import", f)
    assert "in no deck" not in r.stdout
    # (an exercise's reviews schedule the exercise: fault hunt 42)
    f.write_text("card_id,review_time,review_rating,review_duration\n"
                 "exercise:nms,2024-01-06T09:00:00+00:00,3,1\n")
    r = run("reviews", "import", f)
    assert r.exit_code == 0 and "in no deck" not in r.stdout, r.stdout


def test_a_review_state_of_new_after_others_is_no_reset(run, tmp_path, prep_home):
    """Two machines that each answered a card before they ever synced both wrote `review_state`
    0 for their first answer: a merge that took a 0 after other answers for a reset (as a
    reset card's export shows one) invented a reset, spread it to every machine and dropped
    the answers before it (fault hunt 10). Resets come only as resets (prep cards reset, a
    synced resets file, Anki's Forget); a CSV of reviews carries none."""
    from prepcli.review.store import Store

    f = tmp_path / "h.csv"
    f.write_text("card_id,review_time,review_rating,review_duration,review_state\n"
                 "c,1700000000000,3,1000,0\nc,1700500000000,3,1000,1\n"
                 "c,1701000000000,1,1000,2\nc,1702000000000,4,1000,0\n")
    for _ in range(2):
        assert run("reviews", "import", f).exit_code == 0
    with Store(prep_home / "prep.db") as st:
        assert st.resets_of("c") == [] and st.state("c").reps == 4
