"""The fault-injection suite: every fault a user can hit, injected on purpose, and what must
hold — nothing answered is lost, every failure is a one-line message (file, line, what to
do) with the right exit code, never a traceback. Assertions are on the store, not on wording,
wherever the store is what matters.

Kept elsewhere, and part of this promise: kill -9 mid-answer (test_kill.py), two study
sessions at once (test_study.py::test_two_processes_do_not_lose_each_others_reviews), a
rejected CSV imports nothing (test_history.py::test_bad_rows_are_listed_and_nothing_is_imported),
a newer schema is refused (test_store.py::test_newer_schema_is_refused).
"""

from __future__ import annotations

import hashlib
import os
import re
import select
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import termios
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from conftest import NOTES, REPO
from faultkit import (PREP, PtyPrep, can_mount, env_for, fill, no_traceback, prep, remount_ro,
                      tmpfs, wait_for)
from studykit import make_decks, simple_cards

from prepcli.cards import deck as deckmod
from prepcli.review.scheduler import Scheduler, Settings
from prepcli.review.session import Session
from prepcli.review.store import MIGRATIONS, Store

SHARED_LOG = REPO.parent / "shared" / "data" / "review_log_fsrs_josh.csv"


def count(db: Path, sql: str = "SELECT count(*) FROM reviews") -> int:
    with sqlite3.connect(db, timeout=30) as c:
        return c.execute(sql).fetchone()[0]


def csv_file(path: Path, rows: list[str], header="card_id,review_time,review_rating,"
             "review_duration") -> Path:
    path.write_text(header + "\n" + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


# --- data: concurrency and locks ------------------------------------------------------------

def _big_csv(path: Path, answered_ids: list[str], other_cards: int) -> Path:
    """Old reviews (2025) for the cards being studied and for many others, so the import is
    slow enough to overlap the answers and rewrites the studied cards' histories."""
    t0 = int(datetime(2025, 1, 1, tzinfo=timezone.utc).timestamp() * 1000)
    rows = []
    for cid in answered_ids + [f"other{i}" for i in range(other_cards)]:
        for k in range(5):
            rows.append(f"{cid},{t0 + k * 86_400_000 * (k + 1)},3,5000")
    return csv_file(path, rows)


def _import_while_studying(tmp_path: Path, home: Path, trial: int) -> tuple[int, int]:
    """One trial: `prep reviews import` in another process while this one answers cards.
    Returns (answers given while the import ran, answers missing afterwards)."""
    ids = [f"t{trial}c{i}" for i in range(1, 41)]
    decks = make_decks(tmp_path / f"d{trial}", {"k": [
        {"id": cid, "question": f"Q {cid}?", "answer": "A."} for cid in ids]})
    big = _big_csv(tmp_path / f"big{trial}.csv", ids, 3000)
    cards = [c for d in deckmod.load_dir(decks)[0] for c in d.cards]
    store = Store(home / "prep.db")
    try:
        now = datetime.now(timezone.utc)
        sess = Session(cards, store, Scheduler(Settings(fuzz=False)), now, new_limit=1000)
        given: list[tuple[str, int]] = []
        proc = subprocess.Popen([sys.executable, "-m", "prepcli", "reviews", "import", str(big)],
                                env=dict(os.environ, PREP_HOME=str(home)),
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        during = 0
        i = 0
        while proc.poll() is None or i < 5:
            card = cards[i % len(cards)]
            now += timedelta(seconds=1)
            a = sess.answer(card, 3, now, 1000)
            given.append((card.id, int(now.timestamp() * 1000)))
            during += proc.poll() is None
            i += 1
            time.sleep(0.002)
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        assert "Traceback" not in err
    finally:
        store.close()
    with sqlite3.connect(home / "prep.db") as c:
        have = set(c.execute("SELECT card_id, time FROM reviews WHERE rating = 3"))
    missing = sum(1 for g in given if g not in have)
    return during, missing


def test_reviews_import_while_studying_loses_no_answer(tmp_path, prep_home):
    during, missing = _import_while_studying(tmp_path, prep_home, 0)
    assert during >= 5, "the answers did not overlap the import"
    assert missing == 0


@pytest.mark.slow
def test_reviews_import_while_studying_twenty_trials(tmp_path, prep_home):
    """As the issue tried it: on a store with the published review log already imported."""
    if SHARED_LOG.is_file():
        assert prep(prep_home, "reviews", "import", SHARED_LOG).returncode == 0
    results = [_import_while_studying(tmp_path, prep_home, t) for t in range(20)]
    print("answers during each import:", [d for d, _ in results])
    assert all(during >= 5 for during, _ in results)
    assert sum(missing for _, missing in results) == 0


_OPEN = """
import sys, time
from pathlib import Path
go = Path(sys.argv[2])
while not go.exists():
    time.sleep(0.001)
from prepcli.review.store import Store
Store(Path(sys.argv[1])).close()
"""


def _open_together(db: Path, n: int = 8) -> list[subprocess.CompletedProcess]:
    go = db.with_name("go")
    go.unlink(missing_ok=True)
    procs = [subprocess.Popen([sys.executable, "-c", _OPEN, str(db), str(go)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(n)]
    time.sleep(0.5)  # every process is waiting, with its imports done
    go.touch()
    return [subprocess.CompletedProcess(p.args, p.wait(timeout=60), *p.communicate())
            for p in procs]


def test_processes_started_together_on_a_new_store_all_work(tmp_path):
    db = tmp_path / "prep.db"
    for r in _open_together(db):
        assert r.returncode == 0, r.stderr
    assert count(db, "PRAGMA user_version") == len(MIGRATIONS)


def test_processes_started_together_on_an_old_store_migrate_it_once(tmp_path):
    db = tmp_path / "prep.db"
    with sqlite3.connect(db) as c:  # a store from an older prep: the first two migrations
        for stmts in MIGRATIONS[:2]:
            for s in stmts:
                c.execute(s)
        c.execute("PRAGMA user_version=2")
        c.execute("INSERT INTO reviews (card_id, time, rating) VALUES ('a', 1, 3)")
    for r in _open_together(db):
        assert r.returncode == 0, r.stderr
    assert count(db, "PRAGMA user_version") == len(MIGRATIONS)
    assert count(db, "SELECT sum(reviews) FROM review_quarters") == 1  # filled once


def _hold_lock(db: Path, seconds: float, held: threading.Event) -> threading.Thread:
    def hold():
        c = sqlite3.connect(db, isolation_level=None)
        c.execute("BEGIN IMMEDIATE")
        held.set()
        time.sleep(seconds)
        c.execute("COMMIT")
        c.close()
    t = threading.Thread(target=hold)
    t.start()
    return t


@pytest.mark.slow  # (seconds each: in the slow set, which CI runs too)
def test_a_lock_held_past_the_busy_timeout_makes_an_answer_wait_not_fail(tmp_path):
    from prepcli.review.scheduler import CardState
    from prepcli.review.store import LOCK_SLICE_S

    waits: list[float] = []
    with Store(tmp_path / "prep.db", on_wait=waits.append) as st:
        held = threading.Event()
        t = _hold_lock(st.path, LOCK_SLICE_S * 1.5 + 0.5, held)
        held.wait()
        st.record("a", CardState(), CardState(state=1), 3, 1, 10)
        t.join()
        assert len(st.reviews()) == 1
    assert waits, "the wait was not reported"


def test_the_study_screen_says_it_waited_in_its_footer_not_on_stderr(tmp_path, capfd):
    """A line on stderr would tear prompt-toolkit's screen: the study screen says, once the
    answer is saved, that it waited, in its footer."""
    from studykit import T0, Clock, drive, load, make_decks, session, simple_cards

    from prepcli.review.store import LOCK_SLICE_S

    cards = load(make_decks(tmp_path / "decks", {"d": simple_cards(2)}))
    told = []
    with Store(tmp_path / "prep.db", on_wait=lambda s: told.append(s)) as st:
        sess = session(cards, st, T0)
        held = threading.Event()
        t = _hold_lock(st.path, LOCK_SLICE_S * 1.5 + 0.5, held)
        held.wait()
        summary, screen = drive(sess, " 3q", Clock())
        t.join()
        assert summary.reviewed == 1 and len(st.reviews()) == 1
        assert st.on_wait is not None and not told  # the screen's own, then given back
    assert "saved after waiting" in screen and "another prep process" in screen
    assert "waiting for another prep" not in capfd.readouterr().err


@pytest.mark.slow  # (seconds each: in the slow set, which CI runs too)
def test_the_cli_says_it_is_waiting_for_another_prep(tmp_path, prep_home):
    from prepcli.review.store import LOCK_SLICE_S

    Store(prep_home / "prep.db").close()
    f = csv_file(tmp_path / "r.csv", ["a,1700000000000,3,100"])
    held = threading.Event()
    t = _hold_lock(prep_home / "prep.db", LOCK_SLICE_S * 1.5 + 0.5, held)
    held.wait()
    r = prep(prep_home, "reviews", "import", f)
    t.join()
    assert r.returncode == 0, r.stderr
    assert "waiting for another prep" in r.stderr
    assert count(prep_home / "prep.db") == 1


def test_a_history_import_releases_the_lock_between_batches(tmp_path):
    """No write holds the lock for long: another connection sees the first batch committed
    while the import is still merging the second."""
    from prepcli.review.scheduler import CardState

    seen_committed = []
    with Store(tmp_path / "prep.db") as st:
        def merge(cid, stored, _resets):
            if cid == "c200":  # the first card of the second batch
                with sqlite3.connect(st.path) as other:
                    seen_committed.append(other.execute(
                        "SELECT count(*) FROM reviews").fetchone()[0])
            return [(1000, 3, None, CardState(), CardState(state=1))]
        n = st.merge_histories([f"c{i}" for i in range(450)], merge, batch=200)
    assert n == 450
    assert seen_committed == [200]


# --- bad decks ------------------------------------------------------------------------------

BOMB = "deck: bomb\n" + "".join(
    f"{n}: &{n} [{', '.join([f'*{p}'] * 9) if p else ', '.join(['lol'] * 9)}]\n"
    for p, n in zip([""] + list("abcdefgh"), "abcdefghi")) + "cards: [*i]\n"


def test_an_alias_bomb_is_refused_by_check_and_does_not_hang_stats(tmp_path, prep_home):
    d = tmp_path / "cards"
    make_decks(d, {"good": simple_cards(2)})
    (d / "bomb.yaml").write_text(BOMB)
    assert len(BOMB) < 700
    r = prep(prep_home, "check", d, timeout=30)
    assert r.returncode == 1
    assert f"{d / 'bomb.yaml'}:1: YAML aliases" in r.stderr
    no_traceback(r)
    r = prep(prep_home, "stats", "--json", "--cards", d, timeout=30)
    assert r.returncode == 0 and "1 problem(s)" in r.stderr
    no_traceback(r)


def test_a_self_referring_alias_is_refused(tmp_path, prep_home):
    d = tmp_path / "cards"
    d.mkdir()
    (d / "self.yaml").write_text("deck: x\ncards: &a [*a]\n")
    r = prep(prep_home, "check", d, timeout=30)
    assert r.returncode == 1 and f"{d / 'self.yaml'}:2: a YAML alias" in r.stderr


def test_harmless_aliases_written_by_older_prep_still_load(tmp_path):
    d = tmp_path / "cards"
    d.mkdir()
    (d / "old.yaml").write_text(
        "deck: old\ncards:\n"
        "- {id: a, question: q1, answer: a1, source: {file: n.md, line: 1, path: &id001 [H]}}\n"
        "- {id: b, question: q2, answer: a2, source: {file: n.md, line: 2, path: *id001}}\n")
    decks, problems = deckmod.check(d, set())
    assert not problems and len(decks[0].cards) == 2


@pytest.mark.parametrize("field, value, message", [
    ("source", "{file: n.md, line: abc}", "`source.line` must be a line number"),
    ("source", "{file: [x], line: 3}", "`source.file` must be a file name"),
    ("source", "{file: n.md, line: 3, path: heading}", "`source.path` must be a list"),
    ("tags", "[a, [b]]", "`tags` must be a list of strings"),
    ("exercise", "[nms]", "`exercise` must be an exercise id"),
    ("answer", "{a: 1}", "`answer` must be text"),
    ("id", "[1, 2]", "card `id` must be text"),
])
def test_every_card_field_is_type_checked(tmp_path, prep_home, field, value, message):
    d = tmp_path / "cards"
    d.mkdir()
    card = {"id": "x1", "question": "Q?", "answer": "A.", field: None}
    lines = [f"  {k}: {value if k == field else v}" for k, v in card.items()]
    lines[0] = "- " + lines[0].lstrip()
    (d / "t.yaml").write_text("deck: t\ncards:\n" + "\n".join(lines) + "\n"
                              "- {id: ok, question: Fine?, answer: Yes.}\n")
    r = prep(prep_home, "check", d)
    assert r.returncode == 1 and message in r.stderr, r.stderr
    no_traceback(r)
    decks, _ = deckmod.load_dir(d)
    assert [c.id for c in decks[0].cards] == ["ok"]  # study sees only the valid card


def test_a_symlink_loop_or_dangling_deck_is_reported_not_skipped(tmp_path, prep_home):
    d = make_decks(tmp_path / "cards", {"good": simple_cards(1)})
    (d / "loop.yaml").symlink_to("loop.yaml")
    (d / "gone.yaml").symlink_to("nowhere.yaml")
    r = prep(prep_home, "check", d)
    assert r.returncode == 1, r.stdout
    assert f"{d / 'loop.yaml'}:1: cannot read: a symbolic link loop" in r.stderr
    assert f"{d / 'gone.yaml'}:1: cannot read: a dangling link" in r.stderr
    for args in (("stats", "--json", "--cards", d), ("stats", "--cards", d)):
        r = prep(prep_home, *args)
        assert r.returncode == 0
        no_traceback(r)


def _as_unprivileged(home: Path, *args, **kw):
    """Run prep where permission bits hold. Root ignores them, so as root prep runs in a
    user namespace as an ordinary user who owns the files (`unshare --map-user`)."""
    if os.geteuid() != 0:
        return prep(home, *args, **kw)
    import shutil

    probe = subprocess.run(["unshare", "--user", "--map-user=1000", "--map-group=1000",
                            "true"], capture_output=True) if shutil.which("unshare") else None
    if probe is None or probe.returncode != 0:
        pytest.skip("running as root without user namespaces: permission bits do not apply")
    return subprocess.run(["unshare", "--user", "--map-user=1000", "--map-group=1000",
                           *PREP, *map(str, args)], env=env_for(home), text=True,
                          capture_output=True, timeout=60, **kw)


def test_an_unreadable_deck_folder_is_a_clear_error(tmp_path, prep_home):
    d = make_decks(tmp_path / "cards", {"a": simple_cards(1)})
    d.chmod(0o000)
    try:
        check = _as_unprivileged(prep_home, "check", d)
        stats = _as_unprivileged(prep_home, "stats", cwd=tmp_path)  # ./cards by default
    finally:
        d.chmod(0o755)
    assert check.returncode == 2, check.stderr
    assert str(d) in check.stderr and "not readable" in check.stderr
    assert stats.returncode == 2, stats.stderr
    assert f"error: {d}: cannot read the deck folder" in stats.stderr, stats.stderr
    no_traceback(check)
    no_traceback(stats)


def test_a_read_only_store_file_is_a_clear_error(tmp_path, prep_home):
    _store_with_history(prep_home, tmp_path, cards=3)
    db = prep_home / "prep.db"
    for f in (db, prep_home):
        f.chmod(0o555 if f.is_dir() else 0o444)
    try:
        r = _as_unprivileged(prep_home, "reviews", "import", tmp_path / "hist.csv")
    finally:
        prep_home.chmod(0o755)
        db.chmod(0o644)
    assert r.returncode == 2, r.stdout
    assert "read-only" in r.stderr or "cannot use the review database" in r.stderr, r.stderr
    no_traceback(r)


# --- the store and the file system ----------------------------------------------------------

def _store_with_history(home: Path, tmp_path: Path, cards: int = 300) -> Path:
    t0 = int(datetime(2025, 1, 1, tzinfo=timezone.utc).timestamp() * 1000)
    rows = [f"c{i},{t0 + k * 3 * 86_400_000 + i},{1 + (i + k) % 4},4000"
            for i in range(cards) for k in range(8)]
    f = csv_file(tmp_path / "hist.csv", rows)
    r = prep(home, "reviews", "import", f)
    assert r.returncode == 0, r.stderr
    return home / "prep.db"


def _damage(db: Path) -> None:
    """Garbage in the middle of the file, as a failing disk or a bad copy leaves it."""
    size = db.stat().st_size
    with open(db, "r+b") as f:
        f.seek(size // 2)
        f.write(bytes((i * 7919) % 251 for i in range(8 * 4096)))


def test_a_damaged_store_is_detected_by_every_command_and_restored(tmp_path, prep_home):
    db = _store_with_history(prep_home, tmp_path)
    total = count(db)
    r = prep(prep_home, "stats", "--json")  # the day's first use keeps a backup
    assert r.returncode == 0
    backups = list((prep_home / "backups").glob("prep-*.db"))
    assert len(backups) == 1
    # a review given after the backup, then the damage
    later = csv_file(tmp_path / "later.csv", ["new1,1760000000000,3,100"])
    assert prep(prep_home, "reviews", "import", later).returncode == 0
    with sqlite3.connect(db) as c:
        c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    _damage(db)
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    cards = make_decks(tmp_path / "cards", {"k": simple_cards(3)})
    # Commands that read the damaged pages, or would write, must say so; the others may work
    # from what is intact (a full check costs 0.3 s: it runs daily and before bulk writes).
    must_fail = (("reviews", "export", tmp_path / "o.csv"), ("optimize",),
                 ("reviews", "import", later))
    may_work = (("stats",), ("stats", "--json"), ("study", "--cards", cards), ("exercises",),
                ("config",))
    for args in must_fail + may_work:
        r = prep(prep_home, *args)
        no_traceback(r)
        if args in must_fail or r.returncode != 0 and "interactive" not in r.stderr:
            assert r.returncode == 2, (args, r.stdout, r.stderr)
            assert "damaged" in r.stderr and "prep db restore" in r.stderr, (args, r.stderr)
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before  # nothing wrote into it
    r = prep(prep_home, "db", "check")
    assert r.returncode == 1 and "damaged" in r.stderr
    r = prep(prep_home, "db", "restore")
    assert r.returncode == 0, r.stderr
    no_traceback(r)
    assert prep(prep_home, "db", "check").returncode == 0
    # the backup, plus what was still readable (the later review included) from the damage
    restored = count(db)
    assert total < restored <= total + 1 or restored >= total * 0.8
    assert count(db, "SELECT count(*) FROM reviews WHERE card_id = 'new1'") == 1
    assert list(prep_home.glob("prep.db.damaged-*"))


@pytest.mark.parametrize("damage", [
    {0: b"X" * 16},  # its magic string
    {0: b"X" * 16, 16: b"\x00\x07", 18: b"\x09\x09"},  # and its page size and versions
    # (fault hunt 34: the rest of the header too; one field alone)
    {0: b"X" * 16 + bytes(84)}, {18: bytes(82)}, {56: (3).to_bytes(4, "big")},
    {44: (9).to_bytes(4, "big")}, {21: bytes(3)}, {28: b"\xff" * 4},
])
def test_restore_recovers_the_reviews_of_a_file_whose_header_is_damaged(tmp_path, prep_home,
                                                                         damage):
    """Only the first bytes of prep.db damaged: SQLite opens nothing, and `prep db restore`
    recovered 0 of 10 reviews with no backup (2 of 14 with an older one), every page of the
    reviews intact in the file it kept (fault hunt 33)."""
    db = _store_with_history(prep_home, tmp_path)
    total = count(db)
    with sqlite3.connect(db) as c:
        c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(db.read_bytes())
    for at, b in damage.items():
        data[at:at + len(b)] = b
    db.write_bytes(bytes(data))
    r = prep(prep_home, "stats")
    no_traceback(r)
    assert r.returncode == 2 and "damaged" in r.stderr, r.stderr
    r = prep(prep_home, "db", "restore")
    no_traceback(r)
    assert r.returncode == 0, r.stderr
    assert count(db) == total
    kept = list(prep_home.glob("prep.db.damaged-*"))
    assert len(kept) == 1 and kept[0].read_bytes()[:100] == bytes(data[:100])  # (kept as it was)


def test_restore_of_a_damaged_header_reads_the_wal_beside_it(tmp_path, prep_home):
    """Answers committed to prep.db-wal, not yet to the file, were dropped when the file's
    header had to be mended (10 of 15 came back: fault hunt 35)."""
    db = _store_with_history(prep_home, tmp_path, cards=5)
    with sqlite3.connect(db) as c:
        c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    total = count(db)
    before = bytearray(db.read_bytes())  # (the file without the five below)
    # five more answers into the WAL, kept there: a connection that does not checkpoint
    keep = sqlite3.connect(db)
    keep.execute("PRAGMA wal_autocheckpoint=0")
    keep.executemany("INSERT INTO reviews (card_id, time, rating, duration_ms) VALUES (?, ?, 3, 1)",
                     [(f"w{i}", 1_760_000_000_000 + i) for i in range(5)])
    keep.commit()
    wal = Path(str(db) + "-wal")
    assert wal.stat().st_size > 0
    copy_wal = tmp_path / "wal"
    shutil.copyfile(wal, copy_wal)
    keep.close()  # (its close checkpoints: the file and the WAL as they were are put back)
    before[:16] = b"X" * 16
    db.write_bytes(bytes(before))
    shutil.copyfile(copy_wal, wal)
    r = prep(prep_home, "db", "restore")
    no_traceback(r)
    assert r.returncode == 0, r.stderr
    assert count(db) == total + 5


def test_restore_waits_for_no_prep_to_have_the_database_open(tmp_path, prep_home):
    """A study session holds the database open between answers, with no SQLite lock: a
    restore then would send its next answers to the file moved aside. It is refused."""
    db = _store_with_history(prep_home, tmp_path, cards=20)
    assert prep(prep_home, "stats", "--json").returncode == 0  # (the day's backup)
    total = count(db)
    session = Store(db)  # another process than the `prep db restore` below, as a study is
    try:
        r = prep(prep_home, "db", "restore")
        no_traceback(r)
        assert r.returncode == 2 and "has the review database open" in r.stderr, r.stderr
        assert not list(prep_home.glob("prep.db.damaged-*"))  # nothing moved aside
        assert session.review_count() == total  # the file under it is still the one in place
    finally:
        session.close()
    r = prep(prep_home, "db", "restore", "--force")
    assert r.returncode == 0, r.stderr
    assert count(db) == total


def test_restore_checks_the_file_it_would_put_back(tmp_path, prep_home):
    db = _store_with_history(prep_home, tmp_path, cards=20)
    assert prep(prep_home, "stats", "--json").returncode == 0
    total = count(db)
    text = tmp_path / "passwd"
    text.write_text("root:x:0:0:root:/root:/bin/bash\n")
    index = prep_home / "prep.index.db"  # a SQLite file, but not a review database
    for bad, why in ((text, "not a prep review database"), (db, "the review database itself"),
                     (index, "not a prep review database")):
        if not bad.exists():
            continue
        r = prep(prep_home, "db", "restore", "--from", bad)
        no_traceback(r)
        assert r.returncode == 2 and why in r.stderr, (bad, r.stderr)
        assert count(db) == total and not list(prep_home.glob("prep.db.damaged-*"))
    # a newer daily backup that is garbage is skipped for the newest one in good order
    good = sorted((prep_home / "backups").glob("prep-*.db"))[-1]
    (prep_home / "backups" / "prep-9999-12-31.db").write_bytes(b"garbage" * 1000)
    r = prep(prep_home, "db", "restore", "--force")
    assert r.returncode == 0, r.stderr
    assert "prep-9999-12-31.db: skipped" in r.stderr and f"restored from {good}" in r.stdout
    assert count(db) == total


@pytest.mark.parametrize("how", ["emptied", "deleted"])
def test_a_lost_database_is_not_started_anew_over_its_backups(tmp_path, prep_home, how):
    """A prep.db emptied (0 bytes) or deleted while daily backups are there: SQLite would take
    it as a new database and the new history's backups would rotate the old ones out. Every
    command refuses and says how to restore; the file is left as it was; restore works."""
    db = _store_with_history(prep_home, tmp_path, cards=20)
    assert prep(prep_home, "stats", "--json").returncode == 0  # the day's backup
    backup = sorted((prep_home / "backups").glob("prep-*.db"))[-1]
    with sqlite3.connect(backup) as c:
        saved = c.execute("SELECT count(*) FROM reviews").fetchone()[0]
    assert saved > 0
    for f in prep_home.glob("prep.db*"):
        if how == "deleted" or f != db:
            f.unlink()
    if how == "emptied":
        db.write_bytes(b"")
    state = "empty (0 bytes)" if how == "emptied" else "missing"
    cards = make_decks(tmp_path / "cards2", {"k": simple_cards(3)})
    for args in (("stats",), ("study", "--cards", cards), ("drill", "list"), ("check", cards)):
        r = prep(prep_home, *args, input="q\n")
        no_traceback(r)
        if args[0] == "check":  # (checking decks needs no review database)
            assert r.returncode == 0, r.stderr
        else:
            assert r.returncode == 2 and state in r.stderr and "prep db restore" in r.stderr, (
                args, r.stderr)
        assert (db.stat().st_size == 0) if how == "emptied" else not db.exists()
    r = prep(prep_home, "db", "check")
    assert r.returncode == 1 and state in r.stderr, r.stderr
    r = prep(prep_home, "db", "restore")
    assert r.returncode == 0 and f"restored from {backup}" in r.stdout, r.stderr
    assert count(db) == saved
    assert prep(prep_home, "stats", "--json").returncode == 0
    # starting anew is a choice: with the backups moved away, a new database is made
    db.unlink()
    (prep_home / "backups").rename(tmp_path / "old-backups")
    assert prep(prep_home, "stats", "--json").returncode == 0 and count(db) == 0


def test_a_completion_does_not_make_a_new_database_over_backups(tmp_path, prep_home):
    from prepcli import cli

    make_decks(tmp_path / "cards", {"k": simple_cards(3)})
    (prep_home / "backups").mkdir()
    (prep_home / "backups" / "prep-2026-01-01.db").write_bytes(b"")
    ctx = type("Ctx", (), {"params": {"cards": str(tmp_path / "cards")}})()
    assert cli._completion_decks(ctx) == []
    assert not (prep_home / "prep.db").exists()
    (prep_home / "backups" / "prep-2026-01-01.db").unlink()  # no backups: a new one is fine
    assert [d.name for d in cli._completion_decks(ctx)] == ["k"]


def test_an_index_in_the_way_is_named_not_a_traceback(tmp_path, prep_home):
    (prep_home / "prep.index.db").mkdir(parents=True)
    cards = make_decks(tmp_path / "cards", {"k": simple_cards(3)})
    r = prep(prep_home, "stats", "--cards", cards)
    no_traceback(r)
    assert r.returncode == 2 and "prep.index.db" in r.stderr and "not a file" in r.stderr


def test_a_store_with_no_backup_is_rebuilt_from_its_readable_reviews(tmp_path, prep_home):
    db = _store_with_history(prep_home, tmp_path)
    total = count(db)
    with sqlite3.connect(db) as c:
        c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    _damage(db)
    r = prep(prep_home, "db", "restore")
    assert r.returncode == 0, r.stderr
    assert "no backup" in r.stdout
    assert prep(prep_home, "db", "check").returncode == 0
    assert 0 < count(db) <= total
    # states are replayed from the log: every card with reviews has a state
    assert count(db, "SELECT count(DISTINCT card_id) FROM reviews") == count(
        db, "SELECT count(*) FROM cards WHERE reps > 0")


def test_prep_home_that_is_a_file_or_cannot_be_created(tmp_path):
    f = tmp_path / "afile"
    f.write_text("x")
    for home in (f, f / "sub"):
        r = prep(home, "stats")
        assert r.returncode == 2, r.stderr
        assert "PREP_HOME" in r.stderr
        no_traceback(r)


def test_disk_full_during_study_keeps_every_earlier_answer(tmp_path):
    from prepcli.errors import PrepError

    with tmpfs(tmp_path / "small", "2m") as small:
        home = small / "home"
        decks = make_decks(tmp_path / "d", {"k": simple_cards(30)})
        cards = [c for d in deckmod.load_dir(decks)[0] for c in d.cards]
        now = datetime(2026, 1, 5, 10, tzinfo=timezone.utc)
        with Store(home / "prep.db") as st:
            sess = Session(cards, st, Scheduler(Settings(fuzz=False)), now, new_limit=100)
            saved = 0
            for c in cards[:5]:
                now += timedelta(seconds=5)
                sess.answer(c, 3, now, 100)
                saved += 1
            fill(small)
            failures = []
            for c in cards[5:]:
                now += timedelta(seconds=5)
                try:
                    sess.answer(c, 3, now, 100)
                    saved += 1
                except PrepError as e:
                    failures.append(e.message)
                    break
        for f in small.glob("filler*"):
            f.unlink()
        assert failures and "disk is full" in failures[0], failures
        assert count(home / "prep.db") == saved
        with sqlite3.connect(home / "prep.db") as c:
            assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_disk_full_during_reviews_import_names_the_real_error(tmp_path):
    with tmpfs(tmp_path / "small", "1m") as small:
        home = small / "home"
        Store(home / "prep.db").close()
        t0 = 1_700_000_000_000
        f = csv_file(tmp_path / "many.csv", [f"card{i},{t0 + i},3,1000" for i in range(20000)])
        fill(small)
        r = prep(home, "reviews", "import", f)
        assert r.returncode == 2, r.stdout
        assert "disk is full" in r.stderr, r.stderr
        assert "cannot rollback" not in r.stderr
        no_traceback(r)
        for x in small.glob("filler*"):
            x.unlink()
        with sqlite3.connect(home / "prep.db") as c:
            assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_disk_full_during_import_leaves_no_stray_file(tmp_path, prep_home):
    with tmpfs(tmp_path / "small", "64k") as small:
        fill(small)
        r = prep(prep_home, "import", *sorted(NOTES.glob("*.txt")), "--out", small)
        assert r.returncode == 2, r.stdout
        assert "No space left" in r.stderr or "cannot write" in r.stderr, r.stderr
        no_traceback(r)
        assert not list(small.glob("*.tmp"))


def test_read_only_store_and_output_folder(tmp_path, prep_home):
    with tmpfs(tmp_path / "ro", "4m") as ro:
        home = ro / "home"
        _store_with_history(home, tmp_path, cards=5)
        remount_ro(ro)
        r = prep(home, "reviews", "import", tmp_path / "hist.csv")
        assert r.returncode == 2, r.stdout
        assert "read-only" in r.stderr or "cannot use the review database" in r.stderr, r.stderr
        no_traceback(r)
        r = prep(prep_home, "import", *sorted(NOTES.glob("*.txt"))[:1], "--out", ro / "decks")
        assert r.returncode == 2 and "cannot write the decks" in r.stderr, r.stderr
        no_traceback(r)


def test_a_read_only_deck_index_is_named_not_the_database(tmp_path, prep_home):
    # (`prep check --reindex` said "the review database is read-only" of prep.db, which was not)
    if not can_mount():
        pytest.skip("needs root to mount the index file read-only")
    decks = tmp_path / "cards"
    shutil.copytree(REPO / "cards", decks, ignore=shutil.ignore_patterns("notes"))
    r = prep(prep_home, "stats", cwd=tmp_path)  # (builds the index)
    index = prep_home / "prep.index.db"
    assert r.returncode == 0 and index.exists(), r.stderr
    for cmd in (["mount", "--bind", index, index], ["mount", "-o", "remount,ro,bind", index]):
        if subprocess.run(list(map(str, cmd)), capture_output=True).returncode != 0:
            subprocess.run(["umount", str(index)], capture_output=True)
            pytest.skip("cannot bind-mount a file read-only here")
    try:
        r = prep(prep_home, "check", "--reindex", cwd=tmp_path)
    finally:
        subprocess.run(["umount", str(index)], capture_output=True)
    no_traceback(r)
    assert r.returncode == 2, r.stdout
    assert f"error: {index}: the deck index is read-only" in r.stderr, r.stderr


def test_export_to_a_missing_folder(tmp_path, prep_home):
    _store_with_history(prep_home, tmp_path, cards=3)
    r = prep(prep_home, "reviews", "export", tmp_path / "nope" / "out.csv")
    assert r.returncode == 2 and "no such folder" in r.stderr
    no_traceback(r)


# --- config and CSV -------------------------------------------------------------------------

@pytest.mark.parametrize("setting", [
    "learning_steps = [inf]", "relearning_steps = [1e300]", "learning_steps = [nan]",
    "desired_retention = nan", "new_per_day = true", "new_per_day = -1",
    "learn_ahead_minutes = inf", "maximum_interval = 1e9", "day_starts_at = 24",
    "learning_steps = [0]", "fuzz = 1"])
def test_every_setting_is_validated_with_file_and_line(prep_home, setting):
    cfg = prep_home / "config.toml"
    cfg.write_text(f"# mine\n{setting}\n")
    for args in (("config",), ("stats",)):
        r = prep(prep_home, *args)
        assert r.returncode == 2, (setting, r.stdout)
        key = setting.split(" =")[0]
        assert f"error: {cfg}:2: `{key}` must be" in r.stderr, r.stderr
        no_traceback(r)


@pytest.mark.parametrize("name, data, message", [
    ("huge-epoch", b"card_id,review_time,review_rating\nx,99999999999999999999999,3\n",
     ":2: review_time"),
    ("seconds", b"card_id,review_time,review_rating\nx,1700000000,3\n", ":2: review_time"),
    ("future", b"card_id,review_time,review_rating\nx,2099-01-01T00:00:00+00:00,3\n",
     ":2: review_time '2099-01-01T00:00:00+00:00' is in the future"),
    ("latin1", "card_id,review_time,review_rating\ncafé,1700000000000,3\n".encode("latin-1"),
     ":2: not UTF-8 text"),
    ("utf16-no-header", "x,1700000000000,3\n".encode("utf-16-le"), ":1: contains a NUL"),
    ("huge-field", b"card_id,review_time,review_rating\n" + b"x" * 200_000 + b",1,3\n",
     ":2: a field longer than"),
    ("nul", b"card_id,review_time,review_rating\nx\0,1700000000000,3\n", ":2: contains a NUL"),
])
def test_bad_csv_files_are_refused_with_file_and_line(tmp_path, prep_home, name, data, message):
    f = tmp_path / f"{name}.csv"
    f.write_bytes(data)
    r = prep(prep_home, "reviews", "import", f)
    assert r.returncode in (1, 2), r.stdout
    assert message in r.stderr, r.stderr
    assert str(f) in r.stderr
    no_traceback(r)
    if (prep_home / "prep.db").exists():
        assert count(prep_home / "prep.db") == 0


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_or_without_a_bom_is_read(tmp_path, prep_home, codec):
    f = tmp_path / "u16.csv"
    f.write_bytes("card_id,review_time,review_rating\nx,1700000000000,3\n".encode(codec))
    r = prep(prep_home, "reviews", "import", f)
    assert r.returncode == 0, r.stderr
    assert count(prep_home / "prep.db") == 1


# --- signals --------------------------------------------------------------------------------

@pytest.mark.skipif(sys.platform == "win32", reason="needs a pty")
# (SIGQUIT, SIGUSR1, SIGUSR2 and SIGALRM ended prep by their default action, the terminal left
# in the alternate screen, line wrap off: fault hunt 33)
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT, signal.SIGUSR1,
                                 signal.SIGUSR2, signal.SIGALRM])
def test_a_signal_during_study_restores_the_terminal_and_keeps_answers(tmp_path, prep_home,
                                                                       sig):
    decks = make_decks(tmp_path / "decks", {"k": simple_cards(5)})
    p = PtyPrep(prep_home, "study", "--cards", decks)
    try:
        before = termios.tcgetattr(p.slave)
        assert p.wait_for_text("Question c1?"), p.drain()
        p.send(" ")
        assert p.wait_for_text("Answer 1.")
        p.send("3")
        assert wait_for(lambda: (prep_home / "prep.db").exists() and
                        count(prep_home / "prep.db") == 1)
        time.sleep(0.5)  # the next card drawn (only changed characters are sent: no text match)
        p.drain()
        mark = len(p.out)
        p.signal(sig)
        code = p.finish()
        screen = p.drain()
        assert code == 128 + sig, screen[-400:]
        tail = screen[mark:]
        assert b"\x1b[?1049l" in tail, tail  # back from the alternate screen
        after = termios.tcgetattr(p.slave)
        assert after[3] & termios.ICANON and after[3] & termios.ECHO  # cooked mode again
        assert after[3] == before[3]
        assert b"stopped by " + signal.Signals(sig).name.encode() + \
            b" (everything answered so far is saved)" in screen
        assert b"Traceback" not in screen
    finally:
        p.close()
    assert count(prep_home / "prep.db") == 1


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pty")
@pytest.mark.parametrize("then", ["q", " 3q"])
def test_a_database_deleted_during_study_keeps_the_answers_given(tmp_path, prep_home, then):
    # prep.db (and its -wal) deleted while `prep study` ran, then the user quits (or answers
    # once more: refused, in the footer, then quits): the answer given was in the deleted
    # file only, lost at exit; now written back, and said whole at the end
    decks = make_decks(tmp_path / "decks", {"k": simple_cards(5)})
    p = PtyPrep(prep_home, "study", "--cards", decks)
    try:
        assert p.wait_for_text("Question c1?"), p.drain()
        p.send(" ")
        assert p.wait_for_text("Answer 1.")
        p.send("3")
        db = prep_home / "prep.db"
        assert wait_for(lambda: db.exists() and count(db) == 1)
        time.sleep(0.5)
        for side in ("", "-wal", "-shm"):
            os.remove(f"{db}{side}")
        for key in then:
            p.send(key)
            time.sleep(0.3)
        code = p.finish()
        screen = p.drain()
        assert code == 2, screen[-600:]  # (as every error of the review database)
        assert b"this session's answers too, is written back to" in screen, screen[-600:]
        assert b"Traceback" not in screen
    finally:
        p.close()
    assert count(prep_home / "prep.db") == 1


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pty")
def test_an_editor_that_cannot_start_is_said_in_the_footer(tmp_path, prep_home):
    # `e` with EDITOR naming no program: "Unhandled exception in event loop", a traceback
    # over the screen and "Press ENTER to continue"
    note = tmp_path / "n.md"
    note.write_text("## What is a stride?\n\nThe step of the kernel.\n", encoding="utf-8")
    assert prep(prep_home, "import", note, "--out", tmp_path / "cards").returncode == 0
    p = PtyPrep(prep_home, "study", "--cards", tmp_path / "cards", EDITOR="/nonexistent/ed")
    try:
        assert p.wait_for_text("What is a stride?"), p.drain()
        p.send(" ")
        assert p.wait_for_text("The step")
        p.send("e")
        assert p.wait_for_text("cannot start the editor"), p.drain()[-600:]
        p.send("q")
        assert p.finish() == 0
        screen = p.drain()
        assert b"Traceback" not in screen and b"Unhandled exception" not in screen
    finally:
        p.close()


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pty")
def test_closing_the_terminal_ends_study_as_a_hang_up(tmp_path, prep_home):
    # the window closed: SIGHUP, then writing to the terminal failed with EIO, which was filed
    # as a bug (exit 1, a crash log)
    import pty

    decks = make_decks(tmp_path / "decks", {"k": simple_cards(5)})
    pid, fd = pty.fork()
    if pid == 0:  # the child: prep on its own controlling terminal
        os.execve(sys.executable, [*PREP, "study", "--cards", str(decks)], env_for(prep_home))
    out = bytearray()

    def drain(seconds):
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            if select.select([fd], [], [], 0.05)[0]:
                try:
                    out.extend(os.read(fd, 65536))
                except OSError:
                    return
    drain(0.1)
    assert wait_for(lambda: (drain(0.05), b"Question c1?" in out)[1]), bytes(out)
    os.write(fd, b" 3")
    assert wait_for(lambda: (prep_home / "prep.db").exists() and
                    count(prep_home / "prep.db") == 1)
    os.close(fd)  # the terminal is closed
    _, status = os.waitpid(pid, 0)
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 129, status
    assert not (prep_home / "logs").exists()  # no crash log
    assert count(prep_home / "prep.db") == 1


# --- one error type, one place: a bug is one line and a log file -----------------------------

def test_an_unexpected_error_is_one_line_and_a_log_file(run, prep_home, monkeypatch):
    from prepcli.progress import stats

    def broken(*a, **kw):
        raise ZeroDivisionError("injected")
    monkeypatch.setattr(stats, "compute", broken)
    r = run("stats", "--json")
    assert r.exit_code == 70
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "internal error (ZeroDivisionError: injected)" in lines[0]
    logs = list((prep_home / "logs").glob("crash-*.log"))
    assert len(logs) == 1 and str(logs[0]) in lines[0]
    assert "Traceback" in logs[0].read_text() and "ZeroDivisionError" in logs[0].read_text()


def test_notes_are_byte_identical_after_import(tmp_path, prep_home):
    notes = tmp_path / "notes"
    notes.mkdir()
    for n in NOTES.glob("*.txt"):
        (notes / n.name).write_bytes(n.read_bytes())
    before = {n.name: (n.read_bytes(), n.stat().st_mtime_ns) for n in notes.iterdir()}
    for _ in range(2):
        r = prep(prep_home, "import", *sorted(notes.iterdir()), "--out", tmp_path / "out")
        assert r.returncode == 0, r.stderr
    assert {n.name: (n.read_bytes(), n.stat().st_mtime_ns) for n in notes.iterdir()} == before


# --- a restore changes nothing until it is done, and keeps everything it moves aside ------------

def test_restore_on_a_full_disk_changes_nothing(tmp_path):
    # it moved the sound database aside, then found no room for the new one: exit 0 and an
    # empty history, the 3000 reviews only in a file nothing pointed to
    if not can_mount():
        pytest.skip("needs root to mount a small file system")
    with tmpfs(tmp_path / "fs", "2m") as fs:
        home = fs / "h"
        db = _store_with_history(home, tmp_path, cards=100)
        total = count(db)
        fill(fs)
        r = prep(home, "db", "restore", "--force")
        no_traceback(r)
        assert r.returncode == 2 and "nothing was changed" in r.stderr, r.stderr
        assert count(db) == total
        assert not list(home.glob("prep.db.damaged-*")) and not list(home.glob("*.restoring*"))
        for f in fs.glob("filler*"):
            f.unlink()
        r = prep(home, "db", "restore", "--force")
        assert r.returncode == 0, r.stderr
        assert count(db) == total


def test_two_restores_in_one_second_keep_both_files(tmp_path, prep_home, monkeypatch, run):
    # the kept file's name went down to the second: the second restore renamed over the first
    db = _store_with_history(prep_home, tmp_path, cards=20)
    total = count(db)
    from prepcli import cli

    monkeypatch.setattr(cli, "_now", lambda: datetime(2026, 12, 4, 21, 0, 0))
    for _ in range(2):
        r = run("db", "restore", "--force")
        assert r.exit_code == 0, r.stderr
    # (forced over a sound file: kept as `replaced`; and with no -wal or -shm beside it, left
    # there by the restore, or made by reading it again: fault hunt 11)
    kept = sorted(p.name for p in prep_home.iterdir() if p.name.startswith("prep.db."))
    assert kept == ["prep.db.lock", "prep.db.replaced-20261204-210000",
                    "prep.db.replaced-20261204-210000-2"]
    assert count(db) == total and count(prep_home / kept[1]) == total


def test_restores_leave_nothing_beside_the_backup_and_count_its_reviews_once(tmp_path,
                                                                              prep_home, run):
    """Reading the backup left a -shm and a -wal in backups/, and `(N were in the backup)`
    grew by the backup's size with each restore: 2, 4, 6, 8 (fault hunt 12 #4)."""
    import time

    now = int(time.time() * 1000)
    f = csv_file(tmp_path / "r.csv", [f"c1,{now - 600_000},3,1000", f"c1,{now - 300_000},1,1000"])
    assert run("reviews", "import", f).exit_code == 0
    run("cards", "reset", "c1")  # (a change: the day's backup is made before it)
    assert [p.name for p in (prep_home / "backups").iterdir()] != []
    said = []
    for _ in range(3):
        r = run("db", "restore", "--force")
        assert r.exit_code == 0, r.stderr
        said.append(re.search(r"\((\d+) were in the backup\)", r.stdout).group(1))
    assert said == ["2", "2", "2"]
    assert all(p.suffix == ".db" for p in (prep_home / "backups").iterdir()), \
        sorted(p.name for p in (prep_home / "backups").iterdir())


def test_a_later_restore_recovers_what_an_earlier_one_kept_aside(tmp_path, prep_home, run):
    # an interrupted restore left the newer reviews only in the kept file; running restore
    # again did not bring them back
    db = _store_with_history(prep_home, tmp_path, cards=20)
    assert prep(prep_home, "stats", "--json").returncode == 0  # the day's backup
    later = csv_file(tmp_path / "later.csv", [f"new{i},1760000000000,3,100" for i in range(50)])
    assert prep(prep_home, "reviews", "import", later).returncode == 0
    total = count(db)
    with sqlite3.connect(db) as c:
        c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copyfile(db, prep_home / "prep.db.damaged-20261204-200000")
    shutil.copyfile(sorted((prep_home / "backups").glob("prep-*.db"))[-1], db)  # the old state
    assert count(db) == total - 50
    r = run("db", "restore", "--force")
    assert r.exit_code == 0, r.stderr
    assert count(db) == total


def test_a_restore_keeps_the_cards_reset_since_the_backup(tmp_path, prep_home, run):
    """A card reset after the day's backup: the restore put the backup back and replayed the
    history merged from the old file, without the reset (the card a review card again)."""
    from prepcli.review.scheduler import CardState
    from prepcli.review.store import Store

    db = _store_with_history(prep_home, tmp_path, cards=20)
    assert prep(prep_home, "stats", "--json").returncode == 0  # the day's backup
    with Store(db) as st:
        st.reset("c3", int(datetime(2026, 1, 1, tzinfo=timezone.utc).timestamp() * 1000))
    r = run("db", "restore", "--force")
    assert r.exit_code == 0, r.stderr
    with Store(db) as st:
        assert st.state("c3") == CardState() and len(st.resets_of("c3")) == 1
        assert st.state("c4") != CardState()


def test_restore_interrupted_before_the_swap_changes_nothing(tmp_path, prep_home, monkeypatch,
                                                             run):
    db = _store_with_history(prep_home, tmp_path, cards=20)
    total, before = count(db), hashlib.sha256(db.read_bytes()).hexdigest()
    from prepcli.review import store

    def stop(*a):
        raise KeyboardInterrupt
    monkeypatch.setattr(store, "_swap_in", stop)
    r = run("db", "restore", "--force")
    assert r.exit_code == 130
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before and count(db) == total
    assert not list(prep_home.glob("*.restoring*")) and not list(prep_home.glob("*.damaged-*"))


@pytest.mark.parametrize("kind", ["loop", "fifo"])
def test_restore_of_a_database_that_is_no_file_says_so(prep_home, kind, run):
    db = prep_home / "prep.db"
    prep_home.mkdir(parents=True, exist_ok=True)
    if kind == "loop":
        db.symlink_to(db)
    else:
        os.mkfifo(db)
    r = prep(prep_home, "db", "restore", timeout=20)
    no_traceback(r)
    assert r.returncode == 2 and "not a database file" in r.stderr, r.stderr


@pytest.mark.parametrize("kind", ["fifo", "folder"])
def test_a_database_that_is_no_file_is_named_for_what_it_is(tmp_path, prep_home, kind):
    # (a FIFO with daily backups beside it: "the review database is empty (0 bytes)"; without
    # backups, or a folder: "cannot use the review database (disk I/O error)")
    _store_with_history(prep_home, tmp_path, cards=10)
    db = prep_home / "prep.db"
    for side in ("", "-wal", "-shm"):
        db.with_name(db.name + side).unlink(missing_ok=True)
    os.mkfifo(db) if kind == "fifo" else db.mkdir()
    r = prep(prep_home, "stats", timeout=20)
    no_traceback(r)
    what = "a named pipe (FIFO)" if kind == "fifo" else "a folder"
    assert r.returncode == 2 and f"the review database is {what}, not a file" in r.stderr, \
        r.stderr


@pytest.mark.parametrize("side,history", [("prep.db-wal", False), ("prep.db-wal", True),
                                          ("prep.db-shm", False), ("prep.db-shm", True),
                                          ("prep.index.db-shm", False)])
def test_a_folder_where_sqlite_keeps_its_own_file_is_named(tmp_path, prep_home, side, history):
    # (a folder prep.db-wal: "cannot use the review database (disk I/O error)", naming
    # prep.db; prep.db-shm: "the review database is read-only", which it was not)
    if history:
        _store_with_history(prep_home, tmp_path, cards=10)
        for name in ("prep.db", "prep.index.db"):
            for s in ("-wal", "-shm"):
                (prep_home / (name + s)).unlink(missing_ok=True)
    (prep_home / side).mkdir()
    more = csv_file(tmp_path / "more.csv", ["c1,1767225600000,3,4000"])
    # (a command that writes: a database in WAL mode is read without its shared memory; the
    # deck index is opened by a command that shows cards)
    cmd = ("stats",) if "index" in side else ("reviews", "import", more)
    r = prep(prep_home, *cmd, timeout=20)
    no_traceback(r)
    assert r.returncode == 2 and f"{prep_home / side}: a folder named {side} is beside the " \
        in r.stderr and "move it away" in r.stderr, r.stderr
    (prep_home / side).rmdir()
    r = prep(prep_home, *cmd, timeout=20)  # (nothing else was wrong)
    assert r.returncode == 0, r.stderr


# --- more faults a red-team found (helper 48): each a traceback or a file left half-written ----

def test_a_backups_file_where_the_folder_should_be_does_not_stop_a_command(tmp_path, prep_home):
    _store_with_history(prep_home, tmp_path, cards=10)
    (prep_home / "backups").write_text("x")  # was: internal error (UnboundLocalError)
    r = prep(prep_home, "stats")
    no_traceback(r)
    assert r.returncode == 0, r.stderr


def test_a_number_of_thousands_of_digits_in_a_deck_is_a_problem_with_its_line(tmp_path,
                                                                                prep_home):
    cards = tmp_path / "cards"
    cards.mkdir()
    (cards / "t.yaml").write_text("deck: t\ncards:\n- id: " + "9" * 5000 +
                                  "\n  question: Q?\n  answer: A.\n", encoding="utf-8")
    r = prep(prep_home, "check", cards)
    no_traceback(r)
    assert r.returncode == 1 and f"{cards / 't.yaml'}:3: a number too long" in r.stderr, r.stderr


@pytest.mark.parametrize("text, why", [
    ("new_per_day = " + "9" * 5000 + "\n", "too large or too deeply nested"),
    ("x = " + "[" * 5000 + "]" * 5000 + "\n", "too large or too deeply nested"),
    ("\ufeffnew_per_day = 5\n", None)])  # a byte-order mark (Windows editors) is no error
def test_settings_too_large_to_read_are_a_usage_error(prep_home, text, why):
    prep_home.mkdir(parents=True, exist_ok=True)
    (prep_home / "config.toml").write_text(text, encoding="utf-8")
    r = prep(prep_home, "config")
    no_traceback(r)
    if why is None:
        assert r.returncode == 0 and "config.toml" in r.stdout, r.stderr
    else:
        assert r.returncode == 2 and why in r.stderr, r.stderr


def test_a_full_disk_leaves_no_half_written_plan_or_deck_copy(tmp_path):
    # a 0-byte plan.json blocked every later command; a 0-byte copy of a bundled deck was
    # kept ("already there") on every later run
    if not can_mount():
        pytest.skip("needs root to mount a small file system")
    with tmpfs(tmp_path / "fs", "1m") as fs:
        home = fs / "h"
        home.mkdir()
        fill(fs)
        r = prep(home, "plan", "--interview", (datetime.now() + timedelta(days=60)).date())
        no_traceback(r)
        # (the decks are read first, through the deck index: it may be what the full disk
        # stops, before the plan)
        assert r.returncode == 2 and ("cannot write the plan" in r.stderr
                                      or "the disk is full" in r.stderr), r.stderr
        assert not (home / "plan.json").exists()
        r = prep(home, "cards", "copy-bundled", fs / "w")
        no_traceback(r)
        assert r.returncode == 2 and "No space left" in r.stderr, r.stderr
        assert not [p for p in (fs / "w").rglob("*") if p.is_file()]


def test_restore_leaves_a_sound_database_or_a_newer_preps_alone(tmp_path, prep_home):
    # a restore run by mistake moved a sound database aside as "damaged"; one from a newer
    # prep was rebuilt as this prep's, losing what the newer one keeps (fault hunt, helper 82)
    db = _store_with_history(prep_home, tmp_path, cards=20)
    assert prep(prep_home, "stats", "--json").returncode == 0  # (a backup to go back to)
    total, before = count(db), hashlib.sha256(db.read_bytes()).hexdigest()
    r = prep(prep_home, "db", "restore")
    no_traceback(r)
    assert r.returncode == 2 and "in good order" in r.stderr and "--force" in r.stderr
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before
    assert not list(prep_home.glob("prep.db.damaged-*"))
    with sqlite3.connect(db) as c:
        c.execute("PRAGMA user_version = 99")
    r = prep(prep_home, "db", "restore")
    no_traceback(r)
    assert r.returncode == 2 and "from a newer prep (schema 99); upgrade prep" in r.stderr
    assert not list(prep_home.glob("prep.db.damaged-*"))
    r = prep(prep_home, "db", "restore", "--force")
    assert r.returncode == 0, r.stderr
    assert count(db) == total and len(list(prep_home.glob("prep.db.damaged-*"))) >= 1
    r = prep(prep_home, "db", "restore", "--force")  # (over a sound file: not "damaged")
    assert r.returncode == 0 and "from the replaced file" in r.stdout, r.stdout
    assert "the replaced file is kept as" in r.stdout and "damaged file" not in r.stdout


def test_a_crash_log_with_no_logs_folder_goes_to_a_file_of_its_own(run, prep_home, monkeypatch,
                                                                   tmp_path):
    # with $PREP_HOME/logs a file, the log went to a `logs` folder it made in /tmp
    import tempfile

    from prepcli.progress import stats

    def broken(*a, **kw):
        raise ZeroDivisionError("injected")
    monkeypatch.setattr(stats, "compute", broken)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    prep_home.mkdir(parents=True, exist_ok=True)
    (prep_home / "logs").write_text("a file in the way\n")
    r = run("stats", "--json")
    assert r.exit_code == 70
    logs = list((tmp_path / "tmp").iterdir())
    assert [p.name[:12] for p in logs] == ["prep-crash-2"] and str(logs[0]) in r.stderr
    assert "ZeroDivisionError" in logs[0].read_text()


def test_restoring_an_emptied_database_counts_no_damaged_blocks(tmp_path, prep_home):
    # a 0-byte prep.db: "20001 damaged block(s) of reviews could not be read" (a walk of ten
    # million ids through a table that is not there), and a wait for it (helper 82)
    _store_with_history(prep_home, tmp_path, cards=5)
    (prep_home / "prep.db").write_bytes(b"")
    for side in ("-wal", "-shm"):
        (prep_home / f"prep.db{side}").unlink(missing_ok=True)
    r = prep(prep_home, "db", "restore")
    no_traceback(r)
    assert r.returncode == 0, r.stderr
    assert "damaged block" not in r.stdout, r.stdout


def test_a_restore_keeps_the_answers_taken_back(tmp_path, prep_home):
    # the restored database had no record of undone answers: the next sync brought one back
    # and gave the machine a new device id (fault hunt 6, helper 94)
    _store_with_history(prep_home, tmp_path, cards=5)
    db = prep_home / "prep.db"
    with Store(db) as st:
        st.undo(st.reviews()[-1].id)
        taken_back = st.undone()
    assert len(taken_back) == 1
    r = prep(prep_home, "db", "restore", "--force")
    assert r.returncode == 0, r.stderr
    with Store(db) as st:
        assert st.undone() == taken_back


# --- fault hunt 42: what a restore left out ---------------------------------------------------

def test_restore_reads_a_backup_in_a_folder_it_cannot_write(tmp_path, prep_home):
    """A backup is a WAL database: opened read-only, SQLite needs a -shm beside it, which it
    cannot make where the folder is read-only; the backup was called no prep database and a
    restore built a new database from the damaged file alone (0 of 1000 reviews). Injected as
    a folder where the -wal would go: SQLite can make no file there either."""
    db = _store_with_history(prep_home, tmp_path, cards=50)
    total = count(db)
    assert prep(prep_home, "stats", "--json").returncode == 0  # the day's backup
    (backup,) = (prep_home / "backups").glob("prep-*.db")
    assert backup.read_bytes()[18:20] == b"\x02\x02"  # (WAL)
    Path(f"{backup}-wal").mkdir()
    with sqlite3.connect(db) as c:
        c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    _damage(db)
    r = prep(prep_home, "db", "restore")
    no_traceback(r)
    assert r.returncode == 0 and f"restored from {backup}" in r.stdout, r.stdout + r.stderr
    assert count(db) >= total


def test_restore_stops_when_the_backup_cannot_be_read_now(tmp_path, prep_home, run, monkeypatch):
    from prepcli.review import store as storemod

    db = _store_with_history(prep_home, tmp_path, cards=20)
    assert prep(prep_home, "stats", "--json").returncode == 0  # the day's backup
    with sqlite3.connect(db) as c:
        c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    _damage(db)
    before = db.read_bytes()
    real = storemod.database_problem
    monkeypatch.setattr(storemod, "database_problem", lambda p, still=False: (
        f"{storemod.NOT_READ_NOW} (no permission)" if "backups" in str(p) else real(p, still)))
    r = run("db", "restore")
    assert r.exit_code == 2 and "a backup could not be read" in r.stderr, r.stderr
    assert db.read_bytes() == before and not list(prep_home.glob("prep.db.damaged-*"))


def test_salvage_reads_every_row_but_one_whose_card_id_is_damaged(tmp_path):
    # one byte of a card id not UTF-8: its whole chunk of 500 rows was lost
    from prepcli.review.store import salvage_reviews

    db = tmp_path / "prep.db"
    Store(db).close()
    with sqlite3.connect(db) as c:
        cols = [r[1] for r in c.execute("PRAGMA table_info(reviews)")]
        assert {"card_id", "time", "rating", "duration_ms"} <= set(cols), cols
        fill_cols = [k for k in cols if k not in ("id", "card_id", "time", "rating", "duration_ms")]
        for i in range(1200):
            c.execute(f"INSERT INTO reviews (card_id, time, rating, duration_ms"
                      f"{''.join(', ' + k for k in fill_cols)}) VALUES (?, ?, 3, 1000"
                      f"{', 0' * len(fill_cols)})", (f"c{i}", 1_760_000_000_000 + i))
        c.execute("UPDATE reviews SET card_id = CAST(X'ff41' AS TEXT) WHERE card_id = 'c700'")
    rows, lost = salvage_reviews(db)
    assert lost == 0 and len(rows) == 1199 and ("c699", 1_760_000_000_699, 3, 1000) in rows


def test_restore_leaves_out_a_review_no_clock_could_date(tmp_path, prep_home, run):
    # a damaged byte of a time: a review in 2096 kept its card from coming up until then
    db = _store_with_history(prep_home, tmp_path, cards=20)
    total = count(db)
    with sqlite3.connect(db) as c:
        c.execute("UPDATE reviews SET time = 3995000000000 WHERE card_id = 'c3' AND "
                  "time = (SELECT max(time) FROM reviews WHERE card_id = 'c3')")
    r = run("db", "restore", "--force")
    assert r.exit_code == 0, r.stderr
    assert "1 review(s) dated before 2000 or in the future left out" in r.stdout, r.stdout
    assert count(db) == total - 1
    assert count(db, "SELECT max(time) FROM reviews") < 3_000_000_000_000


def test_restore_keeps_the_grades_mocks_and_suspensions_since_the_backup(tmp_path, prep_home,
                                                                         run):
    # fault hunt 42: a card suspended, an exercise graded and a mock begun after the day's
    # backup: the restore put the backup's back, and every one of them was gone
    db = _store_with_history(prep_home, tmp_path, cards=20)
    assert prep(prep_home, "stats", "--json").returncode == 0  # the day's backup
    t = int(datetime(2026, 6, 1, tzinfo=timezone.utc).timestamp() * 1000)
    with Store(db) as st:
        st.set_suspended("c3", True)
        st.set_suspended("never-answered", True)
        st.record_grade("nms", t, 1, 1, 21, 21, True, "f" * 64)
        st.start_mock(t + 5, 45)
    r = run("db", "restore", "--force")
    assert r.exit_code == 0, r.stderr
    with Store(db) as st:
        assert [(g.exercise, g.time, g.passed) for g in st.grades()] == [("nms", t, True)]
        assert [m.started for m in st.mocks()] == [t + 5]
    assert count(db, "SELECT count(*) FROM cards WHERE suspended = 1 AND id IN "
                     "('c3', 'never-answered')") == 2
    r = run("db", "restore", "--force")  # (again: nothing doubled)
    with Store(db) as st:
        assert len(st.grades()) == 1 and len(st.mocks()) == 1


def test_restore_reads_the_reviews_under_a_damaged_page_of_the_table(tmp_path, prep_home, run):
    # fault hunt 42: the one page over the reviews table's leaves zeroed: salvage walks the
    # table by id, reached none, and every review since the backup was lost (600 of 600)
    db = _store_with_history(prep_home, tmp_path, cards=60)
    assert prep(prep_home, "stats", "--json").returncode == 0  # the day's backup
    later = csv_file(tmp_path / "later.csv", [f"new{i},{1_760_000_000_000 + i},3,100"
                                              for i in range(300)])
    assert prep(prep_home, "reviews", "import", later).returncode == 0
    total = count(db)
    with sqlite3.connect(db) as c:
        c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        size = c.execute("PRAGMA page_size").fetchone()[0]
        try:
            (page,) = c.execute("SELECT pageno FROM dbstat WHERE name = 'reviews' AND "
                                "pagetype = 'internal' ORDER BY pageno LIMIT 1").fetchone()
        except sqlite3.OperationalError:
            pytest.skip("this SQLite has no dbstat table to find the page with")
    data = bytearray(db.read_bytes())
    data[(page - 1) * size:page * size] = bytes(size)
    db.write_bytes(bytes(data))
    r = run("db", "restore")
    assert r.exit_code == 0, r.stderr
    assert count(db) == total and count(db, "SELECT count(*) FROM reviews WHERE card_id "
                                            "LIKE 'new%'") == 300
