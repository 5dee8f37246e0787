"""The store: schema versions, WAL, atomic answers, undo."""

import sqlite3

import pytest

from prepcli.errors import PrepError
from prepcli.scheduler import CardState, Scheduler, ms
from prepcli.store import MIGRATIONS, Conflict, Store
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
