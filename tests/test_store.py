"""The store: schema versions, WAL, atomic answers, undo."""

import random
import sqlite3
from datetime import datetime, timedelta, timezone

import pytest

from prepcli.errors import PrepError
from prepcli.review.scheduler import CardState, Scheduler, ms
from prepcli.review.store import LOCK_SLICE_S, MIGRATIONS, NOT_EXERCISE, QUARTER_MS, Conflict, Store
from studykit import T0


def test_fresh_database_is_migrated_and_in_wal_mode(tmp_path):
    with Store(tmp_path / "p.db") as st:
        assert st.db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
        assert st.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert st.db.execute("PRAGMA busy_timeout").fetchone()[0] == LOCK_SLICE_S * 1000
    with Store(tmp_path / "p.db") as st:  # opening again migrates nothing
        assert st.db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)


def test_newer_schema_is_refused(tmp_path):
    db = tmp_path / "p.db"
    Store(db).close()
    with sqlite3.connect(db) as c:
        c.execute(f"PRAGMA user_version={len(MIGRATIONS) + 1}")
    with pytest.raises(PrepError, match="newer prep"):
        Store(db)


def test_not_a_database_is_a_clear_error(tmp_path):
    bad = tmp_path / "p.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(PrepError, match="damaged"):
        Store(bad)


def test_record_and_undo_are_exact(tmp_path):
    s = Scheduler()
    with Store(tmp_path / "p.db") as st:
        before = st.state("a")
        after = s.review("a", before, 3, T0)
        rid = st.record("a", before, after, 3, ms(T0), 1234)
        (rev,) = st.reviews()
        assert (rev.id, rev.card_id, rev.rating, rev.duration_ms) == (rid, "a", 3, 1234)
        assert rev.before == CardState() and rev.after == after == st.state("a")
        st.undo(rid)
        assert st.reviews() == [] and st.state("a") == CardState()


def test_stale_state_is_a_conflict_and_writes_nothing(tmp_path):
    s = Scheduler()
    with Store(tmp_path / "p.db") as st:
        first = s.review("a", CardState(), 3, T0)
        st.record("a", CardState(), first, 3, ms(T0), 1)
        with pytest.raises(Conflict):
            st.record("a", CardState(), s.review("a", CardState(), 1, T0), 1, ms(T0), 1)
        assert len(st.reviews()) == 1 and st.state("a") == first
        second = s.review("a", first, 3, T0)
        rid2 = st.record("a", first, second, 3, ms(T0), 1)
        with pytest.raises(Conflict):  # only a card's latest answer can be undone
            st.undo(st.reviews()[0].id)
        st.undo(rid2)
        assert st.state("a") == first


def test_an_undo_that_cannot_be_done_says_why(tmp_path):
    """A reset since the answer, another process's answer, a history rewritten by a sync:
    three reasons, each named (the study screen shows the text)."""
    s = Scheduler()
    with Store(tmp_path / "p.db") as st:
        after = s.review("a", CardState(), 3, T0)
        rid = st.record("a", CardState(), after, 3, ms(T0), 1)
        st.reset("a", ms(T0) + 5)
        with pytest.raises(Conflict, match="reset since"):
            st.undo(rid)
        rid_b = st.record("b", CardState(), after, 3, ms(T0), 1)
        st.record("b", after, s.review("b", after, 1, T0), 1, ms(T0) + 9, 1)
        with pytest.raises(Conflict, match="answered again in another prep"):
            st.undo(rid_b)
        with pytest.raises(Conflict, match="rewritten since"):
            st.undo(rid_b + 100)
        assert len(st.reviews()) == 3  # nothing taken back


def _summaries(st) -> tuple[dict, dict]:
    """The two summary tables, as the triggers keep them."""
    return (dict(st.db.execute("SELECT quarter, reviews FROM review_quarters")),
            {r[:4]: r[4] for r in st.db.execute("SELECT * FROM retention_quarters")})


def _summaries_recounted(st) -> tuple[dict, dict]:
    """The same, counted from the review log itself."""
    day, q = 86_400_000, QUARTER_MS
    per_quarter = dict(st.db.execute(f"SELECT time / {q}, count(*) FROM reviews "
                                     f"WHERE {NOT_EXERCISE} GROUP BY 1"))
    retention = {}
    for t, last, due, rating in st.db.execute(
            f"SELECT time, last_review_before, due_before, rating FROM reviews "
            f"WHERE state_before = 2 AND {NOT_EXERCISE}"):
        previous = last // q if last is not None and t - last < day else -1
        mature = int(due is not None and last is not None and due - last >= 21 * day)
        key = (t // q, previous, mature, int(rating > 1))
        retention[key] = retention.get(key, 0) + 1
    return per_quarter, retention


def _history(s: Scheduler, cid: str, times: list[datetime], ratings: list[int]) -> list:
    """(time, rating, duration, before, after) for a card answered at these times."""
    out, state = [], CardState()
    for t, r in zip(times, ratings):
        after = s.review(cid, state, r, t)
        out.append((ms(t), r, 1000, state, after))
        state = after
    return out


def test_summaries_follow_every_write(tmp_path):
    """The summaries kept by triggers equal a recount of the log after answers, undo and a
    history import; exercises are not counted."""
    s = Scheduler()
    with Store(tmp_path / "p.db") as st:
        ids, state = [], {}
        days = [0, 0.002, 0.01, 0.0104, 1, 1.005, 3, 3.2, 9, 9.01, 30, 30.5, 31, 80]
        for i, d in enumerate(days):
            cid = ("a", "b", "exercise:nms")[i % 3]
            before = state.get(cid, CardState())
            t = T0 + timedelta(days=d)
            state[cid] = s.review(cid, before, 1 if i % 4 == 0 else 3, t)
            ids.append(st.record(cid, before, state[cid], 3, ms(t), 1000))
        per_quarter, retention = _summaries(st)
        assert (per_quarter, retention) == _summaries_recounted(st)
        assert sum(per_quarter.values()) == 10  # 14 answers, 4 of them to an exercise
        assert sum(retention.values()) >= 3  # some were made in review state
        st.undo(ids[-1])  # "b" on day 80: its quarter hour empties and goes
        assert _summaries(st) == _summaries_recounted(st)
        assert ms(T0 + timedelta(days=80)) // QUARTER_MS not in _summaries(st)[0]
        st.import_histories({"a": _history(s, "a", [T0 + timedelta(days=d) for d in
                                                    (0, 2, 9, 40, 40.3)], [3, 3, 1, 3, 3])})
        assert _summaries(st) == _summaries_recounted(st)


def test_per_day_counts_and_retention_agree_in_a_quarter_hour_time_zone(tmp_path):
    """Days starting at 04:00 in Nepal (UTC+05:45): the per-day counts and true retention
    from the summaries are those the log itself gives, reviews near the day boundary too."""
    s = Scheduler()
    nepal = timezone(timedelta(hours=5, minutes=45))
    day0 = datetime(2026, 11, 22, 4, 0, tzinfo=nepal)
    base = ms(day0) - 1000 * 86_400_000
    rng = random.Random(7)
    with Store(tmp_path / "p.db") as st:
        histories = {}
        for k in range(40):
            # a card's reviews, a few of them around 04:00 local: 03:44, 03:59, 04:00, 04:14
            t, times = day0 - timedelta(days=60 + rng.random() * 5), []
            for _ in range(8):
                t += timedelta(days=rng.choice([0.004, 0.5, 1, 2, 5, 9]))
                if rng.random() < 0.3:
                    t = t.replace(hour=3 + rng.randint(0, 1), minute=rng.choice([44, 59, 0, 14]))
                times.append(min(t, day0 - timedelta(minutes=1)))
            times.sort()
            histories[f"c{k}"] = _history(s, f"c{k}", times,
                                          [rng.choice([1, 3, 3, 4]) for _ in times])
        st.import_histories(histories)
        everything = st.restrict(list(histories))  # the same cards, read from the log
        assert st.reviews_per_day(NOT_EXERCISE, base) == st.reviews_per_day(everything, base)
        for days in (7, 30, 365):
            since = ms(day0) - days * 86_400_000
            from_log = st.true_retention(everything, base, since)
            assert st.true_retention(NOT_EXERCISE, base, since) == from_log
        assert sum(from_log) > 50  # the 365-day window saw many first reviews of the day


def test_migration_counts_the_existing_log(tmp_path):
    """A database from before the quarter-hour table gets it filled from its reviews."""
    db = tmp_path / "p.db"
    con = sqlite3.connect(db, isolation_level=None)
    for statements in MIGRATIONS[:4]:
        for stmt in statements:
            con.execute(stmt)
    con.execute("PRAGMA user_version=4")
    day = 86_400_000
    for i, cid in enumerate(["a", "a", "b", "exercise:iou", "b", "a"]):
        t = ms(T0) + i * 3 * day // 5
        con.execute("INSERT INTO reviews (card_id, time, rating, state_before, "
                    "last_review_before, due_before) VALUES (?, ?, ?, 2, ?, ?)",
                    (cid, t, 1 + i % 3, t - (i + 1) * day // 4, t + i * 10 * day))
    con.close()
    with Store(db) as st:
        per_quarter, retention = _summaries(st)
        assert (per_quarter, retention) == _summaries_recounted(st)
        assert sum(per_quarter.values()) == sum(retention.values()) == 5
        assert {k[1] for k in retention} > {-1} and {k[2] for k in retention} == {0, 1}


def test_one_card_answered_twice_at_one_instant_is_two_reviews_a_millisecond_apart(tmp_path):
    """Two `prep study` at once answered one card in the same millisecond: two rows at one
    (card, time), which every sync and import counts as one review, so the machines never
    agreed (fault hunt 7). The second answer now goes a millisecond later."""
    sched = Scheduler()
    with Store(tmp_path / "p.db") as st:
        t = ms(T0)
        first = sched.review("c", CardState(), 3, T0)
        st.record("c", CardState(), first, 3, t, 1000)
        second = sched.review("c", first, 3, T0)
        st.record("c", first, second, 3, t, 900)
        assert [(r.time, r.before) for r in st.reviews(card_id="c")] == [
            (t, CardState()), (t + 1, first)]


def test_a_reset_is_kept_when_the_history_is_replayed(tmp_path):
    """`prep cards reset`, then a review merged from elsewhere (a sync, a reviews import):
    the history was replayed from its first review and the reset undone. Now it is replayed
    from new after the reset, and a reset after the last review leaves the card new."""
    from prepcli.interop import history

    sched = Scheduler()
    day = 86_400_000
    with Store(tmp_path / "p.db") as st:
        t = ms(T0)
        st.import_histories({"c": history.replay("c", [(t, 3, None), (t + 3 * day, 3, None)],
                                                 sched)})
        st.reset("c", t + 10 * day)
        assert st.state("c") == CardState() and st.resets_of("c") == [t + 10 * day]
        merge = history.Merge([history.Row("c", t + 11 * day, 3, None)], sched)
        assert st.merge_histories(merge.by_card, merge) == 1
        revs = st.reviews(card_id="c")
        assert [r.before == CardState() for r in revs] == [True, False, True]
        assert st.state("c").reps == 1
        # a reset that arrives from elsewhere after the last review: the card is new
        merge = history.Merge([], sched, resets=[("c", t + 12 * day)])
        assert st.merge_histories(merge.by_card, merge, resets=merge.resets_by_card) == 1
        assert st.state("c") == CardState() and st.resets_of("c")[-1] == t + 12 * day


def test_a_backup_removes_what_an_earlier_days_killed_backup_left(tmp_path):
    """A backup killed while copying leaves `prep-DAY.db.tmp` (and its journal); only that
    day's name was cleaned up, so an earlier day's stayed for good (fault hunt 7)."""
    folder = tmp_path / "backups"
    folder.mkdir()
    for name in ("prep-2026-12-01.db.tmp", "prep-2026-12-01.db.tmp-journal"):
        (folder / name).write_bytes(b"half")
    with Store(tmp_path / "p.db") as st:
        st.record("c", CardState(), Scheduler().review("c", CardState(), 3, T0), 3, ms(T0), 1)
        assert st.backup_if_due("2026-12-05", folder) == folder / "prep-2026-12-05.db"
    assert sorted(p.name for p in folder.iterdir()) == ["prep-2026-12-05.db"]


def test_a_long_merge_reports_its_progress_after_each_batch(tmp_path):
    """A million reviews take a minute to merge: the store says how far it is after each
    batch of cards (the CLI shows it on a terminal)."""
    s = Scheduler()
    told = []
    with Store(tmp_path / "p.db", on_progress=lambda done, total: told.append((done, total))) \
            as st:
        histories = {f"c{i}": [(ms(T0), 3, 1, CardState(), s.review(f"c{i}", CardState(), 3, T0))]
                     for i in range(450)}
        st.import_histories(histories)
        assert len(st.reviews()) == 450
    assert told == [(200, 450), (400, 450), (450, 450)]


def test_the_progress_line_shows_on_a_terminal_only_and_is_cleared(monkeypatch):
    import io

    from prepcli import cli

    class Tty(io.StringIO):
        def isatty(self):
            return True

    for stream, shown in ((Tty(), True), (io.StringIO(), False)):
        monkeypatch.setattr(cli.sys, "stderr", stream)
        p = cli._Progress("merging histories", after_s=0)
        p(200, 450), p(400, 450), p(450, 450)
        out = stream.getvalue()
        if shown:
            assert out == ("\rmerging histories: 200 of 450 cards…\rmerging histories: 400 of "
                           "450 cards…\r\x1b[K")
        else:
            assert out == ""
    tty = Tty()
    monkeypatch.setattr(cli.sys, "stderr", tty)
    quick = cli._Progress("merging histories", after_s=60)
    quick(200, 450), quick(450, 450)
    assert tty.getvalue() == ""  # (short work says nothing)


def test_an_answer_is_logged_after_the_cards_last_review_and_reset(tmp_path):
    # (fault hunt 43) an answer worked out from the state after a review was logged before it
    # when it was given a few ms earlier by another prep, or with the clock set back: a sync
    # replaying the log then moved the card's due date
    sched = Scheduler()
    t = ms(T0)
    with Store(tmp_path / "p.db") as st:
        st.record("c", st.state("c"), sched.review("c", st.state("c"), 3, T0), 3, t, 1000)
        before = st.state("c")
        st.record("c", before, sched.review("c", before, 3, T0), 3, t - 5, 1000)
        st.record("c", st.state("c"), sched.review("c", st.state("c"), 3, T0), 3, t + 1, 1000)
        times = [r.time for r in st.reviews(card_id="c")]
        assert times == [t, t + 1, t + 2], times
        st.reset("c", t + 10)
        st.record("c", st.state("c"), sched.review("c", st.state("c"), 3, T0), 3, t + 3, 1000)
        assert [r.time for r in st.reviews(card_id="c")][-1] == t + 11


def test_an_answer_dated_before_2000_by_the_clock_is_refused(tmp_path):
    # (fault hunt 43) with the clock at 1972, answers were taken and confirmed, then refused by
    # every sync, export and restore elsewhere as damage
    from prepcli.errors import PrepError
    from prepcli.review.scheduler import answer_time

    with pytest.raises(PrepError, match="clock says 1972-05-01"):
        answer_time(datetime(1972, 5, 1, tzinfo=timezone.utc))
    assert answer_time(T0) == ms(T0)


@pytest.mark.parametrize("removed", ["wal", "db"])
def test_files_of_the_database_deleted_while_open_stop_the_writes(tmp_path, removed):
    # (fault hunt 43) prep.db, or its -wal, deleted while a session was open: every later
    # answer was confirmed and lost at exit, and with the -wal gone so were those before
    import os

    from prepcli.review.store import StoreError

    sched, db = Scheduler(), tmp_path / "p.db"
    st = Store(db)
    st.record("a", st.state("a"), sched.review("a", st.state("a"), 3, T0), 3, ms(T0), 1000)
    for side in (("-wal", "-shm") if removed == "wal" else ("", "-wal", "-shm")):
        os.remove(db.with_name(db.name + side))
    if removed == "wal":  # (another prep made them again meanwhile: a new file at the name)
        db.with_name(db.name + "-wal").write_bytes(b"")
    for card in ("b", "c"):
        with pytest.raises(StoreError, match="deleted" if removed == "wal" else "deleted or"):
            st.record(card, st.state(card), sched.review(card, st.state(card), 3, T0), 3,
                      ms(T0), 1000)
    st.close()
    # what was answered before is in the database file: the -wal written into it, or the
    # database this process had open written back to its name
    with sqlite3.connect(db) as c:
        assert c.execute("SELECT card_id FROM reviews").fetchall() == [("a",)]


def _answer(st: Store, card: str, at: int = 0) -> None:
    sched = Scheduler()
    st.record(card, st.state(card), sched.review(card, st.state(card), 3, T0), 3, ms(T0) + at,
              1000)


def _reviewed(db) -> list[str]:
    with sqlite3.connect(db) as c:
        return [r[0] for r in c.execute("SELECT card_id FROM reviews ORDER BY time")]


@pytest.mark.parametrize("gone", ["file", "folder"])
def test_a_database_deleted_while_open_is_written_back_with_the_sessions_answers(
        tmp_path, gone):
    # (fault hunt 43, left then) prep.db deleted while a session was open: later answers
    # were refused, and those given before were in the deleted file only, lost at exit
    import os
    import shutil

    from prepcli.review.store import StoreError

    home = tmp_path / "home"
    home.mkdir()
    st = Store(home / "p.db")
    _answer(st, "a")
    _answer(st, "b", 1)
    if gone == "file":
        for side in ("", "-wal", "-shm"):
            os.remove(home / f"p.db{side}")
    else:
        shutil.rmtree(home)
    with pytest.raises(StoreError, match=r"this session's answers too, is written back to"):
        _answer(st, "c", 2)
    st.close()  # (and said again at the close, whole: a screen's footer shows a line of it)
    assert "is written back to" in st.closing_note
    assert _reviewed(home / "p.db") == ["a", "b"]
    with Store(home / "p.db") as again:  # (a database prep opens and writes as before)
        _answer(again, "c", 3)
    assert _reviewed(home / "p.db") == ["a", "b", "c"]


def test_a_database_replaced_while_open_is_saved_beside_and_restored_with_both(
        tmp_path, run, prep_home):
    # another file at the name (another prep made a new one, a sync tool put its copy): the
    # one this process had open is saved beside it, and prep db restore puts it back with the
    # reviews of the new one
    import os

    from prepcli.review.store import StoreError

    db = prep_home / "prep.db"
    st = Store(db)
    _answer(st, "a")
    for side in ("", "-wal", "-shm"):
        os.remove(f"{db}{side}")
    with Store(db) as other:
        _answer(other, "z", 5)
    with pytest.raises(StoreError, match=r"is saved as .*prep\.db\.saved \(prep db restore "
                                         r"--from .*prep\.db\.saved --force"):
        _answer(st, "b", 1)
    st.close()
    assert _reviewed(db) == ["z"] and _reviewed(prep_home / "prep.db.saved") == ["a"]
    r = run("db", "restore", "--from", prep_home / "prep.db.saved", "--force")
    assert r.exit_code == 0, r.output
    assert _reviewed(db) == ["a", "z"]


def test_a_database_written_back_beside_its_old_wal_loses_nothing_of_another_prep(tmp_path):
    # prep.db alone deleted (its -wal and -shm stay), written back; another prep opens it and
    # answers while the first is still open, which then closes first: every answer is there
    import os
    import subprocess
    import sys

    from prepcli.review.store import StoreError

    db = tmp_path / "prep.db"
    other = ("import sys\nfrom pathlib import Path\nfrom datetime import datetime, timezone\n"
             "from prepcli.review.store import Store\n"
             "from prepcli.review.scheduler import Scheduler, ms\n"
             "T0 = datetime(2026, 12, 3, 12, tzinfo=timezone.utc)\n"
             "s, st = Scheduler(), Store(Path(sys.argv[1]))\n"
             "for c, at in (('z', 500), ('y', 600)):\n"
             "    st.record(c, st.state(c), s.review(c, st.state(c), 3, T0), 3, ms(T0) + at, 1)\n"
             "    print(c, flush=True)\n"
             "    sys.stdin.readline()\n"
             "st.close()\n")
    st = Store(db)
    for i in range(30):
        _answer(st, f"a{i}", i)
    os.remove(db)
    with pytest.raises(StoreError, match="written back to"):
        _answer(st, "b", 100)
    p = subprocess.Popen([sys.executable, "-c", other, str(db)], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, text=True)
    try:
        assert p.stdout.readline().strip() == "z"
        st.close()  # (while the other is open)
        p.stdin.write("\n")
        p.stdin.flush()
        assert p.stdout.readline().strip() == "y"
        p.stdin.write("\n")
        p.stdin.flush()
        assert p.wait(timeout=30) == 0
    finally:
        if p.poll() is None:
            p.kill()
    assert sorted(_reviewed(db)) == sorted([f"a{i}" for i in range(30)] + ["y", "z"])
    with Store(db) as again:
        assert again.quick_check() == []


def test_a_database_deleted_after_the_last_answer_is_written_back_at_the_close(tmp_path):
    # the session ends (the user quits) with no write after the deletion: the close does
    # what the next write would have done, and says so
    import os

    from prepcli.review.store import StoreError

    db = tmp_path / "p.db"
    with pytest.raises(StoreError, match="written back to"):
        with Store(db) as st:
            _answer(st, "a")
            for side in ("", "-wal", "-shm"):
                os.remove(f"{db}{side}")
    assert _reviewed(db) == ["a"]
    st = Store(db)  # a store that only read: nothing of its own to keep, nothing said
    os.remove(db)
    st.close()
    assert st.closing_note is None and not db.exists()


def test_a_database_that_cannot_be_saved_back_says_the_answers_are_lost(tmp_path, monkeypatch):
    import os

    from prepcli.review.store import StoreError

    db = tmp_path / "p.db"
    st = Store(db)
    _answer(st, "a")
    os.remove(db)

    def full(*_):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(os, "link", full)
    with pytest.raises(StoreError, match=r"could not be saved \(.*No space left on device.*"
                                         r"this session's answers are lost"):
        _answer(st, "b", 1)
    monkeypatch.undo()
    st.close()
    assert not db.exists() and [p.name for p in tmp_path.iterdir()
                                if "saving" in p.name] == []
