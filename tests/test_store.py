"""The store: schema versions, WAL, atomic answers, undo."""

import sqlite3
from datetime import datetime, timedelta, timezone

import pytest

from prepcli.errors import PrepError
from prepcli.scheduler import CardState, Scheduler, ms
from prepcli.store import MIGRATIONS, NOT_EXERCISE, QUARTER_MS, Conflict, Store
from studykit import T0


def test_fresh_database_is_migrated_and_in_wal_mode(tmp_path):
    with Store(tmp_path / "p.db") as st:
        assert st.db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
        assert st.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert st.db.execute("PRAGMA busy_timeout").fetchone()[0] == 10000
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
    with pytest.raises(PrepError, match="cannot open the review database"):
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


def _quarters(st) -> dict[int, int]:
    return dict(st.db.execute("SELECT quarter, reviews FROM review_quarters"))


def _quarters_recounted(st) -> dict[int, int]:
    return dict(st.db.execute(f"SELECT time / {QUARTER_MS}, count(*) FROM reviews "
                              f"WHERE {NOT_EXERCISE} GROUP BY 1"))


def test_quarter_hour_counts_follow_every_write(tmp_path):
    """The per-quarter-hour counts kept by triggers equal a recount of the log after answers,
    undo and a history import; exercises are not counted."""
    s = Scheduler()
    with Store(tmp_path / "p.db") as st:
        ids, state = [], {}
        for i, minutes in enumerate([0, 3, 14, 15, 16, 60 * 24, 60 * 24 + 7, 60 * 50]):
            cid = ("a", "b", "exercise:nms")[i % 3]
            before = state.get(cid, CardState())
            t = T0 + timedelta(minutes=minutes)
            state[cid] = s.review(cid, before, 3, t)
            ids.append(st.record(cid, before, state[cid], 3, ms(t), 1000))
        assert _quarters(st) == _quarters_recounted(st)
        assert sum(_quarters(st).values()) == 6  # 8 answers, 2 of them to an exercise
        st.undo(ids[-1])  # "b" at +50 h: its quarter hour empties and goes
        assert _quarters(st) == _quarters_recounted(st)
        assert ms(T0 + timedelta(hours=50)) // QUARTER_MS not in _quarters(st)
        t = T0 + timedelta(days=3)
        st.import_histories({"a": [(ms(t), 3, 500, CardState(), s.review("a", CardState(), 3, t))]})
        assert _quarters(st) == _quarters_recounted(st)
        assert sum(_quarters(st).values()) == 3  # "a": 3 reviews replaced by 1; "b": 2


def test_per_day_counts_agree_in_a_quarter_hour_time_zone(tmp_path):
    """Days starting at 04:00 in Nepal (UTC+05:45): the counts from quarter hours are those
    the log itself gives."""
    s = Scheduler()
    nepal = timezone(timedelta(hours=5, minutes=45))
    day0 = datetime(2026, 11, 22, 4, 0, tzinfo=nepal)
    base = ms(day0) - 1000 * 86_400_000
    with Store(tmp_path / "p.db") as st:
        state = CardState()
        # around the day boundary: 03:44, 03:59, 04:00, 04:14 and 04:15 local, and later days
        for minutes in [-16, -1, 0, 14, 15, 60 * 30, 60 * 24 * 2 - 1]:
            t = day0 + timedelta(minutes=minutes)
            after = s.review("a", state, 3, t)
            st.record("a", state, after, 3, ms(t), 1000)
            state = after
        from_quarters = st.reviews_per_day(NOT_EXERCISE, base)
        from_log = st.reviews_per_day(st.restrict(["a"]), base)
        assert from_quarters == from_log == {999: 2, 1000: 3, 1001: 2}


def test_migration_counts_the_existing_log(tmp_path):
    """A database from before the quarter-hour table gets it filled from its reviews."""
    db = tmp_path / "p.db"
    con = sqlite3.connect(db, isolation_level=None)
    for statements in MIGRATIONS[:4]:
        for stmt in statements:
            con.execute(stmt)
    con.execute("PRAGMA user_version=4")
    for i, cid in enumerate(["a", "a", "b", "exercise:iou"]):
        con.execute("INSERT INTO reviews (card_id, time, rating) VALUES (?, ?, 3)",
                    (cid, ms(T0) + i * 600_000))
    con.close()
    with Store(db) as st:
        assert _quarters(st) == _quarters_recounted(st)
        assert sum(_quarters(st).values()) == 3
