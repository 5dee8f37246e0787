"""The review store: the only module that talks to SQLite.

- WAL journal, `synchronous=FULL`, a busy timeout: every answer is one transaction, committed
  before the next card is shown, so Ctrl-C, a crash or kill -9 loses nothing already answered.
- The schema is versioned with `PRAGMA user_version` and an ordered list of migrations.
- `cards` holds each card's current scheduling state (keyed by card id, whether or not the card
  is still in a deck: a card that comes back finds its history); `reviews` is the full log with
  the state before and after each answer, so undo and later re-fitting are exact.
- Two processes at once: an answer is recorded only if the card's stored state is still the
  one it was computed from (checked inside the write transaction); otherwise `Conflict` is
  raised and the caller recomputes from the fresh state. Nobody's review is lost. Everything
  that depends on what is stored is read inside the write transaction that changes it
  (migrations re-read the schema version, history imports re-read each card's log), and no
  write holds the lock for long (imports go in batches), so another prep waits briefly.
- Every SQLite failure leaves this module as a `StoreError` (a `PrepError`) that says what
  happened and what to do: the disk is full, the file is read-only or damaged, another prep
  holds the lock. A damaged file can be put right with `prep db restore`: the latest daily
  backup (kept in `backups/` beside the database), plus every review still readable from the
  damaged file, replayed. It checks the backup first, and swaps the file only while no other
  prep has it open (`InUse`: a lock file beside the database).
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
import stat
import time as _time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, NamedTuple, Sequence

from prepcli.errors import PrepError, held_stops
from prepcli.paths import file_kind, unused
from prepcli.review.scheduler import DAY_MS, REVIEW, CardState
from prepcli.review.datafiles import data_folder

QUARTER_MS = 900_000


def _not_exercise(column: str) -> str:
    # Exercises are scheduled in the same tables under ids starting with "exercise:";
    # statistics about cards leave them out (a range test, which unlike LIKE can use an index).
    return f"NOT ({column} >= 'exercise:' AND {column} < 'exercise;')"


NOT_EXERCISE = _not_exercise("card_id")
MATURE_MS = 21 * DAY_MS  # a card is mature once its scheduled interval is 21 days or more


# Migration 5's statements are built from the two helpers below: change them only together
# with a new migration that rebuilds the summaries.

def _retention_key(row: str) -> str:
    """The key of a review in `retention_quarters`, from a row of `reviews` (`new.`, `old.`)."""
    return (f"{row}time / {QUARTER_MS}, "
            f"CASE WHEN {row}last_review_before IS NOT NULL AND "
            f"{row}time - {row}last_review_before < {DAY_MS} "
            f"THEN {row}last_review_before / {QUARTER_MS} ELSE -1 END, "
            f"coalesce({row}due_before - {row}last_review_before, 0) >= {MATURE_MS}, "
            f"{row}rating > 1")


def _summary_trigger(op: str) -> str:
    """The trigger that keeps the summaries when a review is inserted, or deleted."""
    row = "new." if op == "INSERT" else "old."
    quarter, key = f"{row}time / {QUARTER_MS}", _retention_key(row)
    if op == "INSERT":
        body = f"""
            INSERT INTO review_quarters VALUES ({quarter}, 1)
                ON CONFLICT (quarter) DO UPDATE SET reviews = reviews + 1;
            INSERT INTO retention_quarters SELECT {key}, 1 WHERE {row}state_before = 2
                ON CONFLICT DO UPDATE SET reviews = reviews + 1;"""
    else:
        match = f"(quarter, previous, mature, passed) = (SELECT {key})"
        body = f"""
            UPDATE review_quarters SET reviews = reviews - 1 WHERE quarter = {quarter};
            DELETE FROM review_quarters WHERE quarter = {quarter} AND reviews = 0;
            UPDATE retention_quarters SET reviews = reviews - 1
                WHERE {row}state_before = 2 AND {match};
            DELETE FROM retention_quarters WHERE reviews = 0 AND {match};"""
    return (f"CREATE TRIGGER summaries_{op.lower()} AFTER {op} ON reviews "
            f"WHEN {_not_exercise(row + 'card_id')} BEGIN {body}\n        END")


_STATE_COLS = ("state", "step", "stability", "difficulty", "due", "last_review", "reps", "lapses")

# Each migration is a list of statements, applied in one transaction; `user_version` counts them.
MIGRATIONS: list[list[str]] = [
    [  # 1: card state and the review log
        """CREATE TABLE cards (
            id TEXT PRIMARY KEY,
            state INTEGER NOT NULL DEFAULT 0,
            step INTEGER,
            stability REAL,
            difficulty REAL,
            due INTEGER,
            last_review INTEGER,
            reps INTEGER NOT NULL DEFAULT 0,
            lapses INTEGER NOT NULL DEFAULT 0,
            suspended INTEGER NOT NULL DEFAULT 0,
            buried_until INTEGER
        )""",
        "CREATE INDEX cards_due ON cards(due)",
        """CREATE TABLE reviews (
            id INTEGER PRIMARY KEY,
            card_id TEXT NOT NULL,
            time INTEGER NOT NULL,          -- UTC epoch ms
            rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
            duration_ms INTEGER,
            state_before INTEGER, step_before INTEGER, stability_before REAL,
            difficulty_before REAL, due_before INTEGER, last_review_before INTEGER,
            reps_before INTEGER, lapses_before INTEGER,
            state_after INTEGER, step_after INTEGER, stability_after REAL,
            difficulty_after REAL, due_after INTEGER, last_review_after INTEGER,
            reps_after INTEGER, lapses_after INTEGER
        )""",
        "CREATE INDEX reviews_card_time ON reviews(card_id, time)",
        "CREATE INDEX reviews_time ON reviews(time)",
    ],
    [  # 2: every grade of an exercise file
        """CREATE TABLE grades (
            id INTEGER PRIMARY KEY,
            exercise TEXT NOT NULL,
            time INTEGER NOT NULL,          -- UTC epoch ms
            parts_passed INTEGER NOT NULL,
            parts_total INTEGER NOT NULL,
            cases_passed INTEGER NOT NULL,
            cases_total INTEGER NOT NULL,
            passed INTEGER NOT NULL,
            file_hash TEXT NOT NULL
        )""",
        "CREATE INDEX grades_exercise_time ON grades(exercise, time)",
    ],
    [  # 3: covering indexes for the statistics (200,000 reviews read from the index only)
        "DROP INDEX reviews_time",
        "CREATE INDEX reviews_time ON reviews(time, card_id)",
        """CREATE INDEX reviews_retention ON reviews(state_before, time, last_review_before,
            rating, due_before, card_id)""",
    ],
    [  # 4: FSRS parameters fitted to the user's history (the latest row is in force)
        """CREATE TABLE parameters (
            id INTEGER PRIMARY KEY,
            fitted_at INTEGER NOT NULL,     -- UTC epoch ms
            parameters TEXT NOT NULL,       -- JSON list of 21 numbers
            items_train INTEGER NOT NULL,
            items_test INTEGER NOT NULL,
            log_loss_before REAL NOT NULL,
            log_loss_after REAL NOT NULL,
            rmse_before REAL NOT NULL,
            rmse_after REAL NOT NULL
        )""",
    ],
    [  # 5: summaries of the review log kept by triggers, so that `prep stats` need not read
       # the whole log. Kept per quarter hour, not per day, because where a day starts depends
       # on the time zone and `day_starts_at`, and every time zone's offset is a whole number
       # of quarter hours. Exercises are left out. (Reviews are only inserted and deleted.)
        f"""CREATE TABLE review_quarters (  -- reviews per quarter hour
            quarter INTEGER PRIMARY KEY,    -- time / {QUARTER_MS}
            reviews INTEGER NOT NULL
        )""",
        f"""CREATE TABLE retention_quarters (  -- reviews made in review state, for true retention
            quarter INTEGER NOT NULL,       -- time / {QUARTER_MS}
            previous INTEGER NOT NULL,      -- the quarter of the card's previous review if it
                                            -- was less than a day before, else -1
            mature INTEGER NOT NULL,        -- scheduled interval >= {MATURE_MS // DAY_MS} days
            passed INTEGER NOT NULL,        -- rated other than Again
            reviews INTEGER NOT NULL,
            PRIMARY KEY (quarter, previous, mature, passed)
        ) WITHOUT ROWID""",
        _summary_trigger("INSERT"),
        _summary_trigger("DELETE"),
        f"""INSERT INTO review_quarters SELECT time / {QUARTER_MS}, count(*) FROM reviews
            WHERE {NOT_EXERCISE} GROUP BY 1""",
        f"""INSERT INTO retention_quarters SELECT {_retention_key("")}, count(*) FROM reviews
            WHERE state_before = 2 AND {NOT_EXERCISE} GROUP BY 1, 2, 3, 4""",
    ],
    [  # 6: what a grade was (a drill review from scratch, or practice on an old file), the
       # time spent and hints used in its attempt; and the mock interviews
        "ALTER TABLE grades ADD COLUMN kind TEXT",  # review / practice; NULL before 6
        "ALTER TABLE grades ADD COLUMN review_id INTEGER",  # the review it counted as, if any
        "ALTER TABLE grades ADD COLUMN seconds INTEGER",  # since the attempt started
        "ALTER TABLE grades ADD COLUMN hints INTEGER",
        "ALTER TABLE grades ADD COLUMN solution_shown INTEGER",
        """CREATE TABLE mocks (
            id INTEGER PRIMARY KEY,
            started INTEGER NOT NULL,       -- UTC epoch ms
            updated INTEGER NOT NULL,       -- the last answer or grade (the end, if finished)
            minutes INTEGER NOT NULL,       -- the time allowed
            finished INTEGER NOT NULL DEFAULT 0,
            items TEXT NOT NULL             -- JSON list: one object per question asked
        )""",
    ],
    [  # 7: the study queue asks for learning and due review cards by state (the deck index
       # it joins with is in its own file: INDEX_SCHEMA)
        # the study queue asks for learning and due review cards by state
        "CREATE INDEX cards_state_due ON cards(state, due)",
    ],
    [  # 8: the answers taken back (undo), by card and time: a sync does not bring one back
       # from a synced file that holds it, nor takes that file for another machine's
        """CREATE TABLE undone (
            card_id TEXT NOT NULL,
            time INTEGER NOT NULL,
            PRIMARY KEY (card_id, time)
        ) WITHOUT ROWID""",
    ],
    [  # 9: the cards reset to new (`prep cards reset`, Anki's Forget), by card and time: a
       # history replayed (a sync, an import) starts again after a reset; it was replayed from
       # the first review, and the reset was undone without a word
        """CREATE TABLE resets (
            card_id TEXT NOT NULL,
            time INTEGER NOT NULL,
            PRIMARY KEY (card_id, time)
        ) WITHOUT ROWID""",
    ],
]

# The deck index (prepcli/review/index.py) lives in its own file beside the store, attached as
# `idx`: it is rebuilt from the YAML decks whenever it is missing, old or unreadable, so it
# is never migrated, never in the daily backups, and never written into a damaged store.
# 4: each card item's hash (deck_cards.src); 5: a heading's own card in its parts' group;
# 6: the left-out duplicates indexed apart
INDEX_SCHEMA_VERSION = 6
INDEX_SCHEMA: list[str] = [
        """CREATE TABLE idx.deck_files (
            path TEXT PRIMARY KEY,          -- the deck file, absolute
            dir TEXT NOT NULL,              -- the folder it was indexed as part of
            mtime_ns INTEGER NOT NULL,
            size INTEGER NOT NULL,
            key TEXT NOT NULL,              -- index version and the exercises checked against
            name TEXT,                      -- the deck's display name; NULL: it did not load
            notes TEXT,                     -- JSON list of note files, NULL if written by hand
            description TEXT,
            problems TEXT NOT NULL          -- JSON list of [line, message]
        ) WITHOUT ROWID""",
        "CREATE INDEX idx.deck_files_dir ON deck_files(dir)",
        """CREATE TABLE idx.deck_cards (
            file TEXT NOT NULL,             -- deck_files.path
            pos INTEGER NOT NULL,           -- order in the deck
            id TEXT NOT NULL,
            line INTEGER NOT NULL,
            kind TEXT NOT NULL,
            question TEXT NOT NULL,
            tags TEXT,                      -- JSON list, NULL when none
            exercise TEXT,
            grp TEXT,                       -- sibling group (parts of one question), if any
            hash INTEGER NOT NULL,          -- crc32 of the card's content
            dropped INTEGER NOT NULL DEFAULT 0, -- its id is on an earlier card of the folder
            src INTEGER                     -- hash of its entry's text (Deck.hashes), if any
        )""",
        # what only the card shown (or a full load) reads, apart: the rows above stay dense,
        # so reading every card's question for `prep stats` reads no answers
        """CREATE TABLE idx.deck_bodies (
            file TEXT NOT NULL,
            pos INTEGER NOT NULL,
            answer TEXT NOT NULL,
            source TEXT,                    -- JSON mapping, NULL when none
            PRIMARY KEY (file, pos)
        ) WITHOUT ROWID""",
        # covering what the study queue asks: walking a deck in order, finding a card by id
        # (the rows themselves, with the answers, are read for the cards shown only)
        "CREATE UNIQUE INDEX idx.deck_cards_pos ON deck_cards(file, pos, id, kind, dropped, grp, "
        "line, src)",  # line, src: what a re-parse of a changed file reads of every row
        "CREATE INDEX idx.deck_cards_id ON deck_cards(id, file, kind, dropped, grp, pos)",
        # the few duplicates, listed on every command without a walk over every card (20 ms
        # at 100,000 cards)
        "CREATE INDEX idx.deck_cards_dropped ON deck_cards(file, pos, line, id) WHERE dropped",
]


class IndexPatch(NamedTuple):
    """What changed in an indexed deck file whose unchanged card entries were not parsed
    again (an edited, added, removed or moved card): only these rows are written (see
    Store.index_write). Positions before the change are `old`, after it `new`. `removed`:
    the old positions of the rows gone (an entry edited counts as removed and added);
    `moves`: (old, new) of the rows kept at another position; `lines`: (line, new) of the
    rows kept whose line changed; `groups`: (grp, new) of the rows kept whose sibling group
    changed; `rows`: the deck_cards rows added; `base`: the (mtime_ns, size, key) indexed
    when it was made."""
    removed: list[int]
    moves: list[tuple[int, int]]
    lines: list[tuple[int, int]]
    groups: list[tuple[str | None, int]]
    rows: list[tuple]
    base: tuple


@dataclass(frozen=True)
class Grade:
    id: int
    exercise: str
    time: int
    parts_passed: int
    parts_total: int
    cases_passed: int
    cases_total: int
    passed: bool
    file_hash: str
    kind: str | None = None  # review / practice (None: graded before schema 6)
    review_id: int | None = None
    seconds: int | None = None
    hints: int | None = None
    solution_shown: bool = False


@dataclass(frozen=True)
class Mock:
    id: int
    started: int
    updated: int
    minutes: int
    finished: bool
    items: list  # one dict per question, see prepcli/drills/mock.py


class Conflict(Exception):
    """The card changed in the store since its state was read (another prep process)."""


@dataclass(frozen=True)
class Review:
    id: int
    card_id: str
    time: int
    rating: int
    duration_ms: int | None
    before: CardState
    after: CardState


class StoreError(PrepError):
    """A failure of the review database, worded for the user."""


class IndexDamaged(StoreError):
    """The deck index is damaged, the review database is not: the index is rebuilt from the
    decks (Store.index_rebuild), and nothing of the user's is lost."""


LOCK_SLICE_S = 2.0  # SQLite waits this long for a lock before we say we are waiting
LOCK_GIVE_UP_S = 300.0  # then keeps waiting up to this long in all
BACKUPS_KEPT = 5


# What SQLite says of a damaged file (a header field no version writes: "unsupported file
# format", fault hunt 34)
_DAMAGE = re.compile(r"malformed|not a database|corrupt|unsupported file format")


def _explain(e: sqlite3.Error, path: Path) -> StoreError:
    """What a SQLite failure means for the user, and what to do about it."""
    msg = str(e)
    low = msg.lower()
    try:
        mode = os.stat(path).st_mode
    except (OSError, RuntimeError):
        mode = None
    if mode is not None and not stat.S_ISREG(mode):  # (SQLite says "disk I/O error")
        return StoreError(f"the review database is {file_kind(mode)}, not a file: move it "
                          "away (prep db restore then puts the latest backup back)",
                          file=str(path))
    if (odd := _odd_sidecar(path)) is not None:
        # (a folder named prep.db-wal: "disk I/O error"; prep.db-shm: "read-only", fault hunt
        # 42's notes). SQLite made no such thing: none of the user's answers is in it.
        side, kind = odd
        of = "deck index" if side.name.startswith(_index_file(path).name) else \
            "review database"
        return StoreError(f"{kind} named {side.name} is beside the {of}, where SQLite keeps "
                          "a file of its own: move it away (SQLite wrote nothing there, so "
                          "nothing of yours is in it)", file=str(side))
    if "disk i/o" in low and _disk_nearly_full(path):
        low = "full"  # SQLite reports ENOSPC on its WAL and shared-memory files as I/O errors
    if "full" in low or getattr(e, "sqlite_errorcode", None) == 13:  # SQLITE_FULL
        # (what was being written: an answer, an import, or only the day's backup or
        # SQLite's own files of a command that changes nothing, `prep stats`)
        text = ("the disk is full: what prep was writing was not saved (everything saved "
                "before it is intact). Free some space and run the command again")
    elif ("readonly" in low or "read-only" in low) and _index_read_only(path):
        # (the deck index is attached to the database's connection: its failures come here)
        return StoreError("the deck index is read-only: prep cannot bring it up to date. "
                          "Make it writable, or delete it (prep builds it again from your "
                          "decks)", file=str(_index_file(path)))
    elif "readonly" in low or "read-only" in low:
        text = ("the review database is read-only: prep cannot save anything. Make the file "
                "and its folder writable (or set PREP_HOME to a writable folder)")
    elif "locked" in low or "busy" in low:
        text = ("another prep process has been writing to the review database for a long "
                "time; wait for it to finish (or close it) and run the command again")
    elif _DAMAGE.search(low) and _index_file(path).exists() and _sound(path):
        # (the index is attached to the database's connection: its failures come here too)
        return index_damaged(_index_file(path), msg)
    elif _DAMAGE.search(low):
        text = (f"the review database is damaged ({msg}). `prep db restore` puts back the "
                "latest daily backup and recovers every review still readable from the "
                "damaged file (which is kept)")
    elif "disk i/o" in low and _file_size_limit() is not None:
        # (a write past `ulimit -f`: SQLite says "disk I/O error", for a read-only command
        # too, whose connection still writes its WAL index)
        text = (f"cannot use the review database ({msg}): files are limited to "
                f"{_file_size_limit()} bytes here (`ulimit -f`); raise the limit")
    elif "unable to open" in low or "disk i/o" in low:
        text = (f"cannot use the review database ({msg}): check that its folder exists, is a "
                "folder and is writable, and that the disk is healthy")
    elif _index_file(path).exists() and _sound(path) and (
            "could not decode" in low or not _sound(_index_file(path))):
        # (a page of the index damaged past what SQLite reports as such: `Could not decode to
        # UTF-8 column 'answer'`, with the damaged text, was "the review database failed")
        return index_damaged(_index_file(path), "a value in it cannot be read")
    else:
        text = f"the review database failed: {msg}"
    return StoreError(text, file=str(path))


# ((until, delta), …), ascending: before `until` (ms), local time was `delta` ms further from
# UTC than it is now (a daylight-saving change), up to the `until` before it
Shifts = Sequence[tuple[int, int]]


def _day(col: str, base: int, shifts) -> tuple[str, list[int]]:
    """SQL for the study day of the time (ms) in `col`, counted from the day start `base`,
    and its parameters: a day is 24 hours of local time, so a time is first moved by the
    difference between its local offset and today's (`shifts`): across a daylight-saving
    change, a review at 04:30 PDT is on the day a review at 04:30 PST would be."""
    if not shifts:
        return f"(({col}) - ?) / {DAY_MS}", [base]
    case = " ".join(f"WHEN ({col}) < ? THEN ?" for _ in shifts)
    return (f"(({col}) - ? + CASE {case} ELSE 0 END) / {DAY_MS}",
            [base, *(v for until, delta in shifts for v in (until, delta))])


def index_damaged(index: Path, why: str) -> IndexDamaged:
    """The error for the damaged deck index file `index`."""
    return IndexDamaged(f"the deck index is damaged ({why}); it holds nothing of yours, and "
                        "prep builds it again from your decks", file=str(index))


def _file_size_limit() -> int | None:
    """The process's limit on a file's size (RLIMIT_FSIZE) when one is set, else None."""
    try:
        import resource
    except ImportError:  # (not on Windows)
        return None
    soft = resource.getrlimit(resource.RLIMIT_FSIZE)[0]
    return None if soft == resource.RLIM_INFINITY else soft


def _sound(path: Path) -> bool:
    """The database at `path` passes SQLite's quick check (read apart from the connection
    that failed, which has the deck index attached)."""
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=LOCK_SLICE_S)
        try:
            return con.execute("PRAGMA quick_check").fetchall() == [("ok",)]
        finally:
            con.close()
    except sqlite3.Error:
        return False


def discard_index(index: Path) -> None:
    """Delete a damaged deck index file (`index`, and its WAL files): the next command builds
    it again from the decks. (A prep that has it open goes on with it, unlinked.)"""
    for suffix in ("", "-wal", "-shm"):
        f = Path(str(index) + suffix)
        if f.is_file():
            try:
                f.unlink()
            except OSError as e:
                raise StoreError(f"the deck index is damaged and cannot be deleted "
                                 f"({e.strerror}): delete it yourself (it holds nothing of "
                                 "yours; prep builds it again from your decks)",
                                 file=str(f)) from None


def table_names(path: Path) -> set[str] | None:
    """The tables of an SQLite file not prep's (read as it is, never written), or None if it
    cannot be read as one."""
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
        try:
            return {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = "
                                             "'table'")}
        finally:
            db.close()
    except sqlite3.Error:
        return None


def _odd_sidecar(path: Path) -> tuple[Path, str] | None:
    """A file SQLite keeps beside the database or the deck index (its WAL, shared memory or
    journal) that is no regular file, and what it is."""
    for db in (path, _index_file(path)):
        for side in ("-wal", "-shm", "-journal"):
            p = db.with_name(db.name + side)
            try:
                mode = os.stat(p).st_mode
            except (OSError, RuntimeError):
                continue
            if not stat.S_ISREG(mode):
                return p, file_kind(mode)
    return None


def _index_file(path: Path) -> Path:
    """The deck index beside the database at `path`."""
    return path.with_name(path.stem + ".index.db")


def _index_read_only(path: Path) -> bool:
    """The database at `path` can be written, its deck index cannot."""
    index = _index_file(path)
    return (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK) and index.exists()
            and not os.access(index, os.W_OK))


def _disk_nearly_full(path: Path) -> bool:
    import shutil

    try:
        return shutil.disk_usage(path.parent).free < 1 << 20
    except OSError:
        return False


class _Cursor:
    """A cursor whose rows, as they are read, turn SQLite failures into StoreErrors."""

    __slots__ = ("_cur", "_path")

    def __init__(self, cur: sqlite3.Cursor, path: Path):
        self._cur, self._path = cur, path

    def __iter__(self):
        # all rows at once: one C call, not a Python frame per row (20,000 rows for stats)
        return iter(self.fetchall())

    def fetchone(self):
        try:
            return self._cur.fetchone()
        except sqlite3.Error as e:
            self._cur.close()  # (its statement ended: a damaged index can then be detached)
            raise _explain(e, self._path) from None

    def fetchall(self):
        try:
            return self._cur.fetchall()
        except sqlite3.Error as e:
            self._cur.close()
            raise _explain(e, self._path) from None

    @property
    def lastrowid(self):
        return self._cur.lastrowid


class _Connection:
    """The SQLite connection, with every failure explained (see `_explain`)."""

    def __init__(self, path: Path):
        self.path = path
        self.raw = sqlite3.connect(path, timeout=LOCK_SLICE_S, isolation_level=None)

    def execute(self, sql: str, args=()) -> _Cursor:
        try:
            return _Cursor(self.raw.execute(sql, args), self.path)
        except sqlite3.Error as e:
            raise _explain(e, self.path) from None

    def executemany(self, sql: str, rows) -> None:
        try:
            self.raw.executemany(sql, rows)
        except sqlite3.Error as e:
            raise _explain(e, self.path) from None

    def close(self) -> None:
        self.raw.close()


class Store:
    def __init__(self, path: Path, on_wait: Callable[[float], None] | None = None,
                 on_progress: Callable[[int, int], None] | None = None):
        """Open (and create or migrate) the store. `on_wait(seconds)` is called while a
        write waits for another prep process's lock, to say so; `on_progress(done, total)`
        after each batch of cards `merge_histories` rewrites (a million reviews: a minute)."""
        self.path = path
        self.on_wait = on_wait
        self.on_progress = on_progress
        # what _in_place checks before each write: the file's inode, this process's own
        # descriptor of the WAL (after the first commit), and why writes are refused
        self._db_ident: tuple[int, int] | None = None
        self._wal_fd: int | None = None
        self._refused: str | None = None
        self.closing_note: str | None = None
        data_folder(path.parent, StoreError)
        if path.parent.exists() and not path.parent.is_dir():
            raise StoreError(f"the data folder {path.parent} is a file, not a folder "
                             "(set PREP_HOME to a folder)")
        self._in_use = InUse(path, exclusive=False, on_wait=on_wait)
        try:
            self.db = _Connection(path)
        except sqlite3.Error as e:
            self._in_use.close()
            raise _explain(e, path) from None
        except BaseException:
            self._in_use.close()
            raise
        try:
            self.db.execute(f"PRAGMA busy_timeout={int(LOCK_SLICE_S * 1000)}")
            self._wait_for_lock(lambda: self.db.execute("PRAGMA journal_mode=WAL"))
            self.db.execute("PRAGMA synchronous=FULL")
            self._db_ident = _ident(path)
            self._migrate()
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        """Close the store. `closing_note`, if set then, says what was saved of a database
        deleted or replaced since this process wrote to it (as the next write would)."""
        try:
            self.closing_note = self._kept_at_close()
        finally:
            self.db.close()
            self._forget_files()  # (after SQLite's connection: see _held)
            self._in_use.close()

    def _kept_at_close(self) -> str | None:
        """A session that answered, then ended with its database's name deleted or given to
        another file, lost those answers at exit: what _in_place does before a write is done
        at the close too (once this process has written: a store only read has nothing of
        its own to keep). A write refused already is said again, whole (a screen's footer
        shows one line of it)."""
        if self._refused or self._wal_fd is None:
            return self._refused
        try:
            self._in_place()
        except StoreError as e:
            return e.message
        return None

    def settle(self) -> None:
        """Everything written moved out of the WAL into the database file, which is then
        the whole database (a restore renames it: a WAL left behind would be lost)."""
        busy = self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
        if busy:
            raise StoreError("could not write the database file in full (another process "
                             "has it open)", file=str(self.path))
        self.db.execute("PRAGMA journal_mode=DELETE")
        self._forget_files()  # (no WAL now: nothing of it to check)
        with open(self.path, "rb") as f:
            os.fsync(f.fileno())

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, exc_type, *_) -> None:
        self.close()
        if exc_type is None and self.closing_note:
            raise StoreError(self.closing_note, file=str(self.path))

    # --- schema ---------------------------------------------------------------------------

    def _version(self) -> int:
        return self.db.execute("PRAGMA user_version").fetchone()[0]

    def _migrate(self) -> None:
        # Another prep may be migrating the same file right now: each step re-reads the
        # version inside its own write transaction, so a step is never applied twice.
        while True:
            version = self._version()
            if version > len(MIGRATIONS):
                raise StoreError(f"the review database is from a newer prep (schema "
                                 f"{version}); upgrade prep", file=str(self.path))
            if version == len(MIGRATIONS):
                return
            with self._write():
                version = self._version()
                if version >= len(MIGRATIONS):
                    continue
                for stmt in MIGRATIONS[version]:
                    self.db.execute(stmt)
                self.db.execute(f"PRAGMA user_version={version + 1}")

    def _write(self):
        return _Transaction(self)

    def _in_place(self) -> None:
        """Before a write: the database file and the WAL this process writes are still the
        ones at their names. Deleted or replaced while prep ran (by hand, a cleaner, a sync
        tool), answers went into files no longer there, each confirmed, all lost at exit
        (fault hunt 43). A WAL deleted is written into the database file first (its pages are
        still open here): what was answered is kept. The database file is known by its inode,
        the WAL by a descriptor of prep's own (_held)."""
        if self._refused:  # (every write after, in this process)
            raise StoreError(self._refused, file=str(self.path))
        if self._db_ident is None:
            return
        if _ident(self.path) != self._db_ident:
            self._refused = (f"the review database was deleted or replaced while prep was "
                             f"running: {self._save_open_copy()}. Nothing more is saved by "
                             f"this prep: quit and start prep again")
            raise StoreError(self._refused, file=str(self.path))
        if self._wal_fd is not None and _moved(self._wal_fd):
            try:  # (its pages are still readable through the file SQLite has open)
                self.db.raw.execute("PRAGMA wal_checkpoint(FULL)")
                kept = "everything answered before is in the database file now"
            except sqlite3.Error:
                kept = "what was answered since the last backup may be lost"
            self._refused = (f"the review database's -wal file was deleted while prep was "
                             f"running: {kept}, and nothing more is saved by this prep. Quit "
                             "and start prep again")
            raise StoreError(self._refused, file=str(self.path))

    def _save_open_copy(self) -> str:
        """The database this process still has open, its name deleted or given to another
        file: copied whole (SQLite's backup API) back to its name if nothing is there now, else
        beside it. What it says of it. (Only the copy SQLite has open held the session's
        answers: they were lost at exit, fault hunt 43.)"""
        folder = self.path.parent

        def beside() -> Path:
            return unused(lambda n: folder / f"{self.path.name}.saved{n}", taken=os.path.lexists)
        gone = not os.path.lexists(self.path)
        target = self.path if gone else beside()
        tmp = folder / f"{self.path.name}.saving-{os.getpid()}"
        try:
            folder.mkdir(parents=True, exist_ok=True)  # (the whole data folder deleted)
            with contextlib.closing(sqlite3.connect(tmp)) as copy:
                self.db.raw.backup(copy)
            with open(tmp, "rb") as f:
                os.fsync(f.fileno())
            if gone:
                try:  # (never over a file another prep made there meanwhile)
                    os.link(tmp, target)
                except FileExistsError:
                    gone, target = False, beside()
            if not gone:
                os.link(tmp, target)
            _fsync_dir(folder)
        except (OSError, sqlite3.Error) as e:
            return f"its copy open here could not be saved ({e}): this session's answers " \
                   f"are lost"
        finally:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        if gone:
            return (f"everything it held, this session's answers too, is written back to "
                    f"{target}")
        return (f"everything it held, this session's answers too, is saved as {target} "
                f"(prep db restore --from {target} --force puts it back, with the reviews of "
                f"the file now there)")

    def _written(self) -> None:
        """After a commit: the WAL written is the one to find there at the next write."""
        if self._db_ident is not None and self._wal_fd is None:
            self._wal_fd = _held(_wal_of(self.path))

    def _forget_files(self) -> None:
        if self._wal_fd is not None:
            os.close(self._wal_fd)
        self._db_ident = self._wal_fd = None

    def _wait_for_lock(self, attempt: Callable):
        """Run `attempt` (which takes a lock), waiting for another prep's lock: SQLite waits
        LOCK_SLICE_S at a time; between slices `on_wait` says so; after LOCK_GIVE_UP_S, fail."""
        started = _time.monotonic()
        while True:
            try:
                return attempt()
            except StoreError as e:
                waited = _time.monotonic() - started
                if "another prep" not in e.message or waited >= LOCK_GIVE_UP_S:
                    raise
                if self.on_wait is not None:
                    self.on_wait(waited)

    # --- backups and repair ---------------------------------------------------------------

    def quick_check(self) -> list[str]:
        """SQLite's own consistency check: empty when the file is sound."""
        try:
            rows = [r[0] for r in self.db.raw.execute("PRAGMA main.quick_check")]
        except sqlite3.Error as e:
            return [str(e)]
        return [] if rows == ["ok"] else rows

    def ensure_sound(self) -> None:
        """Before a bulk write: refuse a damaged file (writing would only spread the
        damage). A full check costs ~0.3 s on 200,000 reviews, so everyday commands rely on
        the daily check at backup time and on SQLite's own errors instead."""
        problems = self.quick_check()
        if problems:
            # (its report, `*** in database main *** / Page 72: btreeInitPage() …`, is no
            # error message: it was shown as "the review database failed: *** in …")
            first = " ".join(problems[0].replace("*** in database main ***", "").split())
            raise _explain(sqlite3.DatabaseError(
                first if first.startswith("database disk image is malformed") else
                f"database disk image is malformed: {first[:120]}"), self.path)

    def backup_if_due(self, day: str, folder: Path, keep: int = BACKUPS_KEPT) -> Path | None:
        """Once a day (`day`, e.g. 2026-12-03): a consistent copy of the database in `folder`
        with SQLite's backup API, after a quick check (a damaged file is not copied over a
        good backup). The newest `keep` copies are kept. Nothing to back up: no copy."""
        target = folder / f"prep-{day}.db"
        if target.exists() or not self.has_reviews():
            return None
        self.ensure_sound()
        tmp = target.with_name(target.name + ".tmp")
        try:
            folder.mkdir(parents=True, exist_ok=True)  # (`backups` a file: OSError, below)
            tmp.unlink(missing_ok=True)
            dest = sqlite3.connect(tmp)
            try:
                self.db.raw.backup(dest)
            finally:
                dest.close()
            tmp.replace(target)
        except (OSError, sqlite3.Error):
            # A backup that cannot be written (disk full, read-only folder) must not stop the
            # user from studying; it is tried again next time.
            try:
                tmp.unlink(missing_ok=True)
            except OSError:
                pass
            return None
        for old in sorted(folder.glob("prep-*.db"))[:-keep]:
            old.unlink(missing_ok=True)
        # (a copy an earlier day's backup left half-made, killed: today's removes only its own)
        for stale in folder.glob("prep-*.db.tmp*"):
            if not stale.name.startswith(tmp.name):
                stale.unlink(missing_ok=True)
        return target

    # --- reading --------------------------------------------------------------------------

    def states(self) -> dict[str, CardState]:
        rows = self.db.execute(f"SELECT id, {', '.join(_STATE_COLS)} FROM cards")
        return {r[0]: CardState(*r[1:]) for r in rows}

    def state_rows(self) -> dict[str, tuple]:
        """(id, state, stability, due, last_review, lapses) of every card, by id: what
        statistics need of tens of thousands of cards, as plain tuples (objects cost more)."""
        rows = self.db.execute("SELECT id, state, stability, due, last_review, lapses FROM cards")
        return {r[0]: r for r in rows}

    def state(self, card_id: str) -> CardState:
        row = self.db.execute(f"SELECT {', '.join(_STATE_COLS)} FROM cards WHERE id=?",
                              (card_id,)).fetchone()
        return CardState(*row) if row else CardState()

    def flags(self) -> tuple[set[str], dict[str, int]]:
        """Suspended card ids, and buried card ids with the time they are buried until."""
        suspended, buried = set(), {}
        for cid, s, b in self.db.execute(
                "SELECT id, suspended, buried_until FROM cards "
                "WHERE suspended OR buried_until IS NOT NULL"):
            if s:
                suspended.add(cid)
            if b is not None:
                buried[cid] = b
        return suspended, buried

    def reviews(self, since: int | None = None, card_id: str | None = None) -> list[Review]:
        sql, args = "SELECT * FROM reviews WHERE 1", []
        if since is not None:
            sql += " AND time >= ?"
            args.append(since)
        if card_id is not None:
            sql += " AND card_id = ?"
            args.append(card_id)
        return [_review(r) for r in self.db.execute(sql + " ORDER BY time, id", args)]

    def grades(self, exercise: str | None = None) -> list[Grade]:
        sql, args = ("SELECT id, exercise, time, parts_passed, parts_total, cases_passed, "
                     "cases_total, passed, file_hash, kind, review_id, seconds, hints, "
                     "solution_shown FROM grades"), []
        if exercise is not None:
            sql += " WHERE exercise = ?"
            args.append(exercise)
        return [Grade(*r[:7], bool(r[7]), r[8], r[9], r[10], r[11], r[12], bool(r[13]))
                for r in self.db.execute(sql + " ORDER BY time, id", args)]

    # --- aggregates for statistics (in SQL: 200,000 reviews must not become objects) ---

    def restrict(self, card_ids) -> str:
        """Limit the aggregate queries to these cards (None: all). Returns the SQL filter."""
        self.db.execute("DROP TABLE IF EXISTS temp.only")
        if card_ids is None:
            return "1"
        self.db.execute("CREATE TEMP TABLE only (id TEXT PRIMARY KEY) WITHOUT ROWID")
        self.db.executemany("INSERT OR IGNORE INTO temp.only VALUES (?)",
                            ((c,) for c in card_ids))
        return "card_id IN (SELECT id FROM temp.only)"

    def review_totals(self, where: str, since: int) -> tuple[int, int, int, int]:
        """(reviews, again, total ms, new cards started) since a time."""
        row = self.db.execute(
            f"SELECT count(*), coalesce(sum(rating = 1), 0), coalesce(sum(duration_ms), 0), "
            f"count(DISTINCT CASE WHEN state_before = 0 THEN card_id END) "
            f"FROM reviews WHERE {where} AND time >= ?", (since,)).fetchone()
        return row[0], row[1], row[2], row[3]

    def reviews_per_day(self, where: str, base: int, shifts: Shifts = ()) -> dict[int, int]:
        """Reviews per day, days counted from `base`: a day start before every review (in
        any time zone a whole number of quarter hours from midnight UTC); `shifts`: see
        _day."""
        if where == NOT_EXERCISE:  # every card: add up the quarter hours the triggers count
            day, args = _day(f"quarter * {QUARTER_MS}", base, shifts)
            return dict(self.db.execute(
                f"SELECT {day} AS d, sum(reviews) FROM review_quarters GROUP BY d", args))
        day, args = _day("time", base, shifts)
        return dict(self.db.execute(
            f"SELECT {day} AS d, count(*) FROM reviews WHERE {where} GROUP BY d", args))

    def true_retention(self, where: str, base: int, since: int, shifts: Shifts = ()
                       ) -> tuple[int, int, int, int]:
        """True retention, as Anki counts it, since a day start: of the reviews made in review
        state that were the card's first of their day (days counted from `base`),
        (young passed, young reviews, mature passed, mature reviews).

        A review is the card's first of the day exactly when the card's previous review fell
        on an earlier day: a test on one row, no grouping by card.
        """
        # four filtered sums, not a GROUP BY of four groups: no sort of every row
        def sums(n: str, mature: str, passed: str) -> str:
            return (f"SELECT coalesce({n} FILTER (WHERE NOT {mature} AND {passed}), 0), "
                    f"coalesce({n} FILTER (WHERE NOT {mature}), 0), "
                    f"coalesce({n} FILTER (WHERE {mature} AND {passed}), 0), "
                    f"coalesce({n} FILTER (WHERE {mature}), 0)")
        if where == NOT_EXERCISE:  # every card: from the quarter hours the triggers count
            before, a1 = _day(f"previous * {QUARTER_MS}", base, shifts)
            then, a2 = _day(f"quarter * {QUARTER_MS}", base, shifts)
            row = self.db.execute(
                f"{sums('sum(reviews)', 'mature', 'passed')} FROM retention_quarters "
                f"WHERE quarter >= ? AND (previous = -1 OR {before} < {then})",
                (since // QUARTER_MS, *a1, *a2)).fetchone()
        else:
            mature = f"(coalesce(due_before - last_review_before, 0) >= {MATURE_MS})"
            before, a1 = _day("last_review_before", base, shifts)
            then, a2 = _day("time", base, shifts)
            row = self.db.execute(
                f"{sums('count(*)', mature, '(rating > 1)')} FROM reviews "
                f"WHERE state_before = 2 AND time >= ? AND {where} AND "
                f"(last_review_before IS NULL OR {before} < {then})",
                (since, *a1, *a2)).fetchone()
        return row[0], row[1], row[2], row[3]

    def review_count(self) -> int:
        return self.db.execute("SELECT count(*) FROM reviews").fetchone()[0]

    def first_review_time(self) -> int | None:
        """The time of the first review in the log (ms), or None."""
        return self.db.execute("SELECT min(time) FROM reviews").fetchone()[0]

    def has_reviews(self) -> bool:
        return self.db.execute("SELECT EXISTS (SELECT 1 FROM reviews)").fetchone()[0] == 1

    # --- writing --------------------------------------------------------------------------

    def record(self, card_id: str, before: CardState, after: CardState, rating: int,
               time: int, duration_ms: int | None) -> int:
        """Log one answer and store the card's new state, atomically. Returns the review id."""
        with self._write():
            if self.state(card_id) != before:
                raise Conflict(card_id)
            cur = self.db.execute(_INSERT_REVIEW, (card_id, self._free_time(card_id, time),
                                                   rating, duration_ms,
                                                   *_values(before), *_values(after)))
            self._put_state(card_id, after)
            return cur.lastrowid

    def _free_time(self, card_id: str, time: int) -> int:
        """`time`, or the first millisecond after the card's last review or reset if that is
        not before it: an answer is worked out from the card's state after those, and so is
        logged after them (answered by a second prep a few ms after the first, or with the
        clock set back, it was logged before the review it followed: a sync replaying the log
        then moved the card's due date, fault hunt 43). Two answers at one instant are two
        reviews, and a review is known by card and time everywhere else ("one review")."""
        # (two subqueries, each answered by an index: a UNION of them was read in full; one
        # statement, not two: 2.9 µs where two took 5.4, medians of 7 runs of 20,000)
        times = self.db.execute(_LAST_TIMES, (card_id,)).fetchone()
        last = max((t for t in times if t is not None), default=None)
        return time if last is None or time > last else last + 1

    def undo(self, review_id: int) -> Review:
        """Take back one answer: the card returns to its state before it. Only the latest
        answer of a card can be undone (a later one, maybe from another process, wins)."""
        with self._write():
            row = self.db.execute("SELECT * FROM reviews WHERE id=?", (review_id,)).fetchone()
            if row is None:
                raise Conflict("its history was rewritten since (by a sync or an import)")
            rev = _review(row)
            if self.state(rev.card_id) != rev.after:
                if any(t >= rev.time for t in self.resets_of(rev.card_id)):
                    raise Conflict("it was reset since (prep cards reset, here or synced)")
                raise Conflict("it was answered again in another prep process")
            self.db.execute("DELETE FROM reviews WHERE id=?", (review_id,))
            self.db.execute("INSERT OR IGNORE INTO undone VALUES (?, ?)", (rev.card_id, rev.time))
            self._put_state(rev.card_id, rev.before)
            return rev

    def undone(self) -> set[tuple[str, int]]:
        """(card id, time) of every answer taken back."""
        return set(self.db.execute("SELECT card_id, time FROM undone").fetchall())

    def restore_extras(self, extras: dict[str, tuple[list[str], list[tuple]]]) -> int:
        """From `salvage_extras` of the file a restore replaces: the grades, mocks and
        parameters this database lacks, and the cards' suspensions and burials (the newer
        ones: a restore had put back the backup's, and left out every grade since it, fault
        hunt 42). How many rows it added or changed."""
        changed = 0
        with self._write():
            for table, key in _EXTRAS.items():
                if table not in extras:
                    continue
                cols, rows = extras[table]
                mine = {r[1] for r in self.db.execute(f"PRAGMA table_info({table})")}
                # (not its id, nor the review a grade counted as: ids here are the new file's)
                use = [c for c in cols if c in mine and c not in ("id", "review_id")]
                if not set(key) <= set(use):
                    continue
                at, by = [cols.index(c) for c in use], [cols.index(c) for c in key]
                have = set(self.db.execute(f"SELECT {', '.join(key)} FROM {table}"))
                for r in rows:
                    k = tuple(r[i] for i in by)
                    if k in have:
                        continue
                    try:
                        self.db.execute(f"INSERT INTO {table} ({', '.join(use)}) VALUES "
                                        f"({', '.join('?' * len(use))})", [r[i] for i in at])
                    except sqlite3.IntegrityError:  # (a damaged value: that row alone)
                        continue
                    have.add(k)
                    changed += 1
            if "cards" in extras:
                cols, rows = extras["cards"]
                for r in rows:
                    flags = dict(zip(cols, r))
                    cid, suspended = flags.get("id"), flags.get("suspended")
                    if not isinstance(cid, str) or suspended not in (0, 1):
                        continue
                    buried = flags.get("buried_until")
                    buried = buried if isinstance(buried, int) else None
                    now = self.db.execute("SELECT suspended, buried_until FROM cards "
                                          "WHERE id = ?", (cid,)).fetchone()
                    if now == (suspended, buried) or (now is None and not (suspended or buried)):
                        continue
                    if now is None:  # (a card suspended before its first answer)
                        self.db.execute("INSERT INTO cards (id) VALUES (?)", (cid,))
                    self.db.execute("UPDATE cards SET suspended = ?, buried_until = ? "
                                    "WHERE id = ?", (suspended, buried, cid))
                    changed += 1
        return changed

    def remember_undone(self, keys) -> None:
        """Record answers taken back elsewhere (a restore carries the old file's over)."""
        with self._write():
            self.db.executemany("INSERT OR IGNORE INTO undone VALUES (?, ?)", list(keys))

    def record_grade(self, exercise: str, time: int, parts_passed: int, parts_total: int,
                     cases_passed: int, cases_total: int, passed: bool, file_hash: str) -> int:
        with self._write():
            cur = self.db.execute(
                "INSERT INTO grades (exercise, time, parts_passed, parts_total, cases_passed, "
                "cases_total, passed, file_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (exercise, time, parts_passed, parts_total, cases_passed, cases_total,
                 int(passed), file_hash))
            return cur.lastrowid

    def merge_histories(self, card_ids: Iterable[str],
                        merge: Callable[[str, list[Review], list[int]], list | None],
                        batch: int = 200, resets: dict[str, Iterable[int]] | None = None
                        ) -> int:
        """Rewrite card histories, `batch` cards per transaction. For each card, `merge(id,
        its stored reviews, the times it was reset)` returns the whole new history as (time,
        rating, duration, before, after) in time order, or None to leave the card alone.
        `resets`: times cards were reset elsewhere, recorded here too (the history merge
        returns counts them). The stored reviews are read inside the write transaction, so an
        answer given meanwhile by another prep is part of what is merged, never overwritten;
        and no transaction holds the lock for long. Each card's flags (suspended, buried) are
        kept. Returns the cards rewritten."""
        ids = list(dict.fromkeys(card_ids))
        resets = resets or {}
        changed = 0
        for start in range(0, len(ids), batch):
            with self._write():
                for cid in ids[start:start + batch]:
                    had = self.resets_of(cid)
                    events = merge(cid, self.reviews(card_id=cid), had)
                    more = set(resets.get(cid, ())) - set(had)
                    if more:
                        self.db.executemany("INSERT OR IGNORE INTO resets VALUES (?, ?)",
                                            [(cid, t) for t in more])
                    if not events:
                        continue
                    reset_at = sorted(set(had) | more)
                    self.db.execute("DELETE FROM reviews WHERE card_id = ?", (cid,))
                    self.db.executemany(
                        f"INSERT INTO reviews (card_id, time, rating, duration_ms, "
                        f"{', '.join(c + '_before' for c in _STATE_COLS)}, "
                        f"{', '.join(c + '_after' for c in _STATE_COLS)}) "
                        f"VALUES (?, ?, ?, ?, {', '.join('?' * 16)})",
                        [(cid, t, r, d, *_values(b), *_values(a)) for t, r, d, b, a in events])
                    # (reset after its last review: new)
                    last = events[-1]
                    self._put_state(cid, CardState() if reset_at and reset_at[-1] >= last[0]
                                    else last[4])
                    changed += 1
            if self.on_progress is not None:
                self.on_progress(min(start + batch, len(ids)), len(ids))
        return changed

    def import_histories(self, histories: dict[str, list]) -> None:
        """Replace whole card histories (see `merge_histories`, which re-reads them)."""
        self.merge_histories(histories, lambda cid, _stored, _resets: histories[cid])

    def resets_of(self, card_id: str) -> list[int]:
        """The times the card was reset to new, in order."""
        return [t for (t,) in self.db.execute(
            "SELECT time FROM resets WHERE card_id = ? ORDER BY time", (card_id,))]

    def resets(self) -> list[tuple[str, int]]:
        """Every reset: (card id, time), in time order."""
        return self.db.execute("SELECT card_id, time FROM resets ORDER BY time, card_id"
                               ).fetchall()

    def save_parameters(self, fitted_at: int, parameters: list[float], train: int, test: int,
                        before: tuple[float, float], after: tuple[float, float]) -> None:
        import json

        with self._write():
            self.db.execute(
                "INSERT INTO parameters (fitted_at, parameters, items_train, items_test, "
                "log_loss_before, log_loss_after, rmse_before, rmse_after) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (fitted_at, json.dumps(list(parameters)), train, test, before[0], after[0],
                 before[1], after[1]))

    def latest_parameters(self) -> dict | None:
        import json

        row = self.db.execute("SELECT fitted_at, parameters, log_loss_before, log_loss_after, "
                              "items_train, items_test FROM parameters "
                              "ORDER BY id DESC LIMIT 1").fetchone()
        if row is None:
            return None
        return {"fitted_at": row[0], "parameters": json.loads(row[1]),
                "log_loss_before": row[2], "log_loss_after": row[3], "train": row[4],
                "test": row[5]}

    def set_suspended(self, card_id: str, suspended: bool) -> None:
        with self._write():
            self._ensure(card_id)
            self.db.execute("UPDATE cards SET suspended=? WHERE id=?", (int(suspended), card_id))

    def suspend(self, card_ids: Iterable[str]) -> None:
        """Suspend these cards, all in one transaction (a card with no row yet gets one, new);
        their state and other flags are kept."""
        rows = [(cid,) for cid in dict.fromkeys(card_ids)]
        if not rows:
            return
        with self._write():
            self.db.executemany("INSERT INTO cards (id, suspended) VALUES (?, 1) "
                                "ON CONFLICT (id) DO UPDATE SET suspended=1", rows)

    def set_buried(self, card_id: str, until: int | None) -> None:
        with self._write():
            self._ensure(card_id)
            self.db.execute("UPDATE cards SET buried_until=? WHERE id=?", (until, card_id))

    def _ensure(self, card_id: str) -> None:
        self.db.execute("INSERT OR IGNORE INTO cards (id) VALUES (?)", (card_id,))

    def _put_state(self, card_id: str, s: CardState) -> None:
        # one statement: the row is made if missing, its flags (suspended, buried) kept
        self.db.execute(_PUT_STATE, (card_id, *_values(s)))

    # --- one card at a time, for `prep cards` ----------------------------------------------

    def reset(self, card_id: str, time: int) -> None:
        """Make the card new again (scheduling state and flags cleared) at `time` (epoch ms).
        Its reviews stay in the log: statistics and a later `prep reviews export` still have
        them; the reset is recorded, so a history replayed later (a sync) starts after it."""
        with self._write():
            self.db.execute("INSERT OR IGNORE INTO resets VALUES (?, ?)", (card_id, time))
            self._put_state(card_id, CardState())
            self.db.execute("UPDATE cards SET suspended=0, buried_until=NULL WHERE id=?",
                            (card_id,))

    def answer_counts(self, where: str, since: int) -> dict[tuple[str, int], int]:
        """Answers since a time by (card type when answered, rating): type is "learning"
        (new, learning, relearning), "young" or "mature" (a review whose interval was 21
        days or more), as Anki's answer-button chart counts them."""
        # grouped by one number, type * 8 + rating (ratings are 1 to 4): a quarter less work
        rows = self.db.execute(
            f"SELECT (CASE WHEN state_before != 2 THEN 0 "
            f" WHEN coalesce(due_before - last_review_before, 0) >= {MATURE_MS} THEN 2 "
            f" ELSE 1 END) * 8 + rating, count(*) FROM reviews "
            f"WHERE time >= ? AND {where} GROUP BY 1", (since,))
        kinds = ("learning", "young", "mature")
        return {(kinds[k >> 3], k & 7): n for k, n in rows}


    # --- drill attempts and mock interviews (schema 6) ----------------------------------

    def record_exercise_grade(self, exercise: str, time: int, report: tuple, file_hash: str,
                              kind: str, seconds: int | None, hints: int, solution_shown: bool,
                              review: tuple | None, grades_seen: int | None = None
                              ) -> tuple[int, int | None]:
        """Log a grade and, when it counts as a review, the review, in one transaction.
        `report` is (parts_passed, parts_total, cases_passed, cases_total, passed); `review`
        is (card_id, before, after, rating) or None. Returns (grade id, review id or None).
        Raises Conflict (nothing written) if the exercise's state changed meanwhile, or, with
        `grades_seen`, if it no longer has that many grades (one logged meanwhile)."""
        with self._write():
            rid = None
            if review is not None:
                card_id, before, after, rating = review
                if self.state(card_id) != before or (grades_seen is not None and self.db.execute(
                        "SELECT count(*) FROM grades WHERE exercise = ?", (exercise,)
                        ).fetchone()[0] != grades_seen):
                    raise Conflict(card_id)
                rid = self.db.execute(_INSERT_REVIEW, (card_id, self._free_time(card_id, time),
                                                       rating, None,
                                                       *_values(before),
                                                       *_values(after))).lastrowid
                self._put_state(card_id, after)
            p, pt, c, ct, passed = report
            gid = self.db.execute(
                "INSERT INTO grades (exercise, time, parts_passed, parts_total, cases_passed, "
                "cases_total, passed, file_hash, kind, review_id, seconds, hints, "
                "solution_shown) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (exercise, time, p, pt, c, ct, int(passed), file_hash, kind, rid, seconds,
                 hints, int(solution_shown))).lastrowid
            return gid, rid

    def start_mock(self, started: int, minutes: int) -> int:
        with self._write():
            return self.db.execute(
                "INSERT INTO mocks (started, updated, minutes, items) VALUES (?, ?, ?, '[]')",
                (started, started, minutes)).lastrowid

    def update_mock(self, mock_id: int, updated: int, items: list, finished: bool) -> None:
        import json

        with self._write():
            self.db.execute("UPDATE mocks SET updated=?, items=?, finished=? WHERE id=?",
                            (updated, json.dumps(items), int(finished), mock_id))

    def mocks(self, limit: int | None = None) -> list[Mock]:
        """Mock interviews, most recent first."""
        import json

        sql = "SELECT id, started, updated, minutes, finished, items FROM mocks ORDER BY id DESC"
        rows = self.db.execute(sql + (f" LIMIT {int(limit)}" if limit else ""))
        return [Mock(r[0], r[1], r[2], r[3], bool(r[4]), json.loads(r[5])) for r in rows]


    # --- the deck index (INDEX_SCHEMA; the logic is in prepcli/review/index.py) ----------------

    @property
    def index_path(self) -> Path:
        return _index_file(self.path)

    def _index(self) -> None:
        """Attach the index file (made, or made again when old or unreadable: it is only
        ever rebuilt from the YAML)."""
        if getattr(self, "_index_attached", False):
            return
        try:
            self.db.raw.execute("ATTACH DATABASE ? AS idx", (str(self.index_path),))
            version = self.db.raw.execute("PRAGMA idx.user_version").fetchone()[0]
            self.db.raw.execute("SELECT count(*) FROM idx.sqlite_master").fetchone()  # readable?
        except sqlite3.DatabaseError:  # damaged: start it again
            if self._attached():
                self.db.raw.execute("DETACH DATABASE idx")
            for suffix in ("", "-wal", "-shm"):
                f = Path(str(self.index_path) + suffix)
                if f.exists() and not f.is_file():  # (a folder, say: not ours to remove)
                    raise StoreError("the deck index is in the way: this is not a file. "
                                     "Move it away; prep builds the index again from your "
                                     "decks", file=str(f))
            discard_index(self.index_path)
            self.db.raw.execute("ATTACH DATABASE ? AS idx", (str(self.index_path),))
            version = 0
        self._index_attached = True
        # WAL and no fsync at commit: consistent after a crash, and losing the last change of
        # a rebuildable index costs one re-parse, not an answer (its writes wait no disk flush)
        self._wait_for_lock(lambda: self.db.execute("PRAGMA idx.journal_mode=WAL"))
        self.db.execute("PRAGMA idx.synchronous=NORMAL")
        if version != INDEX_SCHEMA_VERSION:
            with self._write():  # another prep may be doing the same: check again inside
                version = self.db.execute("PRAGMA idx.user_version").fetchone()[0]
                if version != INDEX_SCHEMA_VERSION:
                    for (name,) in self.db.execute("SELECT name FROM idx.sqlite_master WHERE "
                                                   "type = 'table'").fetchall():
                        self.db.execute(f'DROP TABLE idx."{name}"')
                    for stmt in INDEX_SCHEMA:
                        self.db.execute(stmt)
                    self.db.execute(f"PRAGMA idx.user_version={INDEX_SCHEMA_VERSION}")

    def _attached(self) -> bool:
        return any(r[1] == "idx" for r in self.db.raw.execute("PRAGMA database_list"))

    def index_files(self, folder: str) -> dict[str, tuple[int, int, str]]:
        """path -> (mtime_ns, size, key) of the deck files indexed for a folder."""
        self._index()
        rows = self.db.execute("SELECT path, mtime_ns, size, key FROM deck_files WHERE dir = ?",
                               (folder,))
        return {r[0]: r[1:] for r in rows}

    def index_write(self, folder: str, files: list[tuple], cards: dict[str, list[tuple]],
                    removed: Iterable[str], stale: Callable[[dict], list[str]]) -> None:
        """Replace the index of some deck files of a folder, in one transaction. `files`:
        deck_files rows (path, mtime_ns, size, key, name, notes, description, problems);
        `cards`: path -> deck_cards rows (pos, id, line, kind, question, answer, tags,
        exercise, source, grp, hash, src); `removed`: paths no longer in the folder.
        `stale(indexed)`, called inside the transaction with what is indexed now, returns the
        paths still to write: another prep may have indexed them meanwhile. A path's rows may
        be an IndexPatch instead: only the rows it names are replaced."""
        self._index()
        with self._write():
            fresh = self.index_files(folder)
            todo = set(stale(fresh))
            patched = {f[0] for f in files if isinstance(cards[f[0]], IndexPatch)}
            # a patch applies to the rows it was made against only: if another prep wrote
            # this file's rows meanwhile, they are left to the next command
            todo -= {a for a in patched if fresh.get(a) != cards[a].base}
            gone = list(removed) + [f[0] for f in files if f[0] in todo and f[0] not in patched]
            self.db.execute("CREATE TEMP TABLE IF NOT EXISTS touched (id TEXT)")
            self.db.execute("DELETE FROM temp.touched")
            for path in gone:
                self.db.execute("INSERT INTO temp.touched SELECT id FROM deck_cards WHERE file = ?",
                                (path,))
                self.db.execute("DELETE FROM deck_cards WHERE file = ?", (path,))
                self.db.execute("DELETE FROM deck_bodies WHERE file = ?", (path,))
                self.db.execute("DELETE FROM deck_files WHERE path = ?", (path,))
            for f in files:
                if f[0] not in todo:
                    continue
                self.db.execute("INSERT OR REPLACE INTO deck_files "
                                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", (f[0], folder, *f[1:]))
                rows = cards[f[0]]  # (pos, id, line, kind, question, answer, tags, exercise,
                #                        source, grp, hash, src)
                if isinstance(rows, IndexPatch):
                    self._index_patch(f[0], rows)
                    rows = rows.rows
                self.db.executemany("INSERT INTO deck_cards VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "
                                    "?, 0, ?)", [(f[0], c[0], c[1], c[2], c[3], c[4], c[6], c[7],
                                                 c[9], c[10], c[11]) for c in rows])
                self.db.executemany("INSERT INTO deck_bodies VALUES (?, ?, ?, ?)",
                                    [(f[0], c[0], c[5], c[8]) for c in rows])
                self.db.executemany("INSERT INTO temp.touched VALUES (?)",
                                    [(c[1],) for c in rows])
            # a card whose id an earlier card of the folder has is left out, as load_dir does
            # (only the rows whose flag changes are written: a rewritten deck's rows, all but
            # its duplicates, already have the right one)
            self.db.execute(
                "UPDATE deck_cards SET dropped = NOT dropped WHERE dropped != EXISTS ("
                " SELECT 1 FROM deck_cards e "
                " JOIN deck_files ef ON ef.path = e.file WHERE e.id = deck_cards.id "
                " AND ef.dir = ? AND (e.file < deck_cards.file OR "
                " (e.file = deck_cards.file AND e.pos < deck_cards.pos))) "
                "AND id IN (SELECT id FROM temp.touched) "
                "AND file IN (SELECT path FROM deck_files WHERE dir = ?)", (folder, folder))

    def _index_patch(self, path: str, patch: IndexPatch) -> None:
        """Apply a patch's removals, moves, lines and groups to a file's rows (its added
        rows are inserted as a whole file's are); the ids of every row removed or moved are
        noted in temp.touched, for the duplicate check."""
        gone = [(path, pos) for pos in patch.removed]
        moved = [(path, old) for old, _ in patch.moves]
        self.db.executemany("INSERT INTO temp.touched SELECT id FROM deck_cards "
                            "WHERE file = ? AND pos = ?", gone + moved)
        for table in ("deck_cards", "deck_bodies"):
            self.db.executemany(f"DELETE FROM {table} WHERE file = ? AND pos = ?", gone)
            # through negative positions: no row is ever at a position another still holds
            self.db.executemany(f"UPDATE {table} SET pos = ? WHERE file = ? AND pos = ?",
                                [(-1 - new, path, old) for old, new in patch.moves])
            if patch.moves:
                self.db.execute(f"UPDATE {table} SET pos = -1 - pos WHERE file = ? AND pos < 0",
                                (path,))
        self.db.executemany("UPDATE deck_cards SET line = ? WHERE file = ? AND pos = ?",
                            [(ln, path, pos) for ln, pos in patch.lines])
        self.db.executemany("UPDATE deck_cards SET grp = ? WHERE file = ? AND pos = ?",
                            [(g, path, pos) for g, pos in patch.groups])

    def index_clear(self) -> None:
        """Forget the whole index (`prep check --reindex`): rebuilt from the YAML on next use."""
        try:
            self._index()
            with self._write():
                self.db.execute("DELETE FROM deck_cards")
                self.db.execute("DELETE FROM deck_bodies")
                self.db.execute("DELETE FROM deck_files")
        except IndexDamaged:
            self.index_rebuild()

    def index_rebuild(self) -> None:
        """A damaged index file deleted and made again, empty (filled from the YAML on next
        use)."""
        if self._attached():
            self.db.raw.execute("DETACH DATABASE idx")
        self._index_attached = False
        discard_index(self.index_path)
        self._index()

    def index_decks(self, folder: str) -> list[tuple]:
        """(path, name, notes, description, problems) of a folder's deck files, by path."""
        self._index()
        return self.db.execute("SELECT path, name, notes, description, problems FROM deck_files "
                               "WHERE dir = ? ORDER BY path", (folder,)).fetchall()

    def index_cards(self, folder: str, full: bool) -> list[tuple]:
        """(file, id, line, kind, question, exercise[, answer, tags, source]) of the cards of
        a folder, left-out duplicates excepted, in deck order."""
        self._index()
        rest, bodies = "", ""
        if full:
            rest = ", b.answer, d.tags, b.source"
            bodies = "JOIN deck_bodies b ON b.file = d.file AND b.pos = d.pos "
        return self.db.execute(
            f"SELECT d.file, d.id, d.line, d.kind, d.question, d.exercise{rest} "
            f"FROM deck_files f JOIN deck_cards d ON d.file = f.path {bodies}"
            f"WHERE f.dir = ? AND NOT d.dropped ORDER BY d.file, d.pos", (folder,)).fetchall()

    def index_entries(self, path: str) -> list[tuple]:
        """(src, id, line, grp, rowid) of the cards indexed for one deck file, by position:
        what a re-parse of that file keeps of the entries it does not parse."""
        self._index()
        return self.db.execute("SELECT src, id, line, grp, rowid FROM deck_cards "
                               "WHERE file = ? ORDER BY pos", (path,)).fetchall()

    def index_places(self, path: str, rowid: int | None = None) -> list[tuple]:
        """(question, source) of each card indexed for one deck file, by position, or of the
        one with this rowid: what its sibling group is made of."""
        self._index()
        where = "d.file = ?" + (" AND d.rowid = ?" if rowid is not None else "")
        return self.db.execute(
            "SELECT d.question, b.source FROM deck_cards d JOIN deck_bodies b ON b.file = d.file "
            f"AND b.pos = d.pos WHERE {where} ORDER BY d.pos",
            (path,) if rowid is None else (path, rowid)).fetchall()

    def index_dropped(self, folder: str) -> list[tuple]:
        """(file, line, id, first file, first line) of each card left out as a duplicate."""
        self._index()
        return self.db.execute(
            "SELECT d.file, d.line, d.id, (SELECT e.file || char(0) || e.line FROM deck_cards e "
            " JOIN deck_files ef ON ef.path = e.file WHERE ef.dir = ? AND e.id = d.id "
            " AND NOT e.dropped) FROM deck_files f JOIN deck_cards d INDEXED BY deck_cards_dropped "
            "ON d.file = f.path WHERE f.dir = ? AND d.dropped ORDER BY d.file, d.pos",
            (folder, folder)).fetchall()

    def index_body(self, rowid: int, card_id: str | None = None) -> tuple | None:
        """(answer, tags, source) of one indexed card: what the screen needs of the card shown.
        `card_id`: the card's, when the row may have been given to another card since (the
        index brought up to date by another command while a session holds the row: its
        screen showed another card's answer, fault hunt 43); then found by id."""
        self._index()
        row = self.db.execute("SELECT b.answer, d.tags, b.source, d.id FROM deck_cards d "
                              "JOIN deck_bodies b ON b.file = d.file AND b.pos = d.pos "
                              "WHERE d.rowid = ?", (rowid,)).fetchone()
        if card_id is not None and (row is None or row[3] != card_id):
            row = self.db.execute("SELECT b.answer, d.tags, b.source, d.id FROM deck_cards d "
                                  "JOIN deck_bodies b ON b.file = d.file AND b.pos = d.pos "
                                  "WHERE d.id = ? ORDER BY d.rowid LIMIT 1",
                                  (card_id,)).fetchone()
        return row[:3] if row is not None else None

    def index_rows(self, rowids: list[int]) -> list[tuple]:
        """(rowid, file, id, line, kind, question, exercise, tags, deck name) of indexed cards."""
        self._index()
        out = []
        for start in range(0, len(rowids), 500):
            chunk = rowids[start:start + 500]
            out += self.db.execute(
                f"SELECT d.rowid, d.file, d.id, d.line, d.kind, d.question, d.exercise, d.tags, "
                f"f.name FROM deck_cards d JOIN deck_files f ON f.path = d.file "
                f"WHERE d.rowid IN ({', '.join('?' * len(chunk))})", chunk).fetchall()
        return out

    # --- the study queue, over a scope of cards (see prepcli/review/session.py) ---------------------

    def scope_index(self, files: list[str], prompts: bool, tag: str | None) -> None:
        """The session's cards: those of these indexed deck files (in this order)."""
        self._scope_tables()
        self.db.executemany("INSERT INTO temp.scope_files VALUES (?, ?)", enumerate(files))
        where = "" if prompts else " AND d.kind != 'prompt'"
        if tag is not None:
            literal = "'" + tag.casefold().replace("'", "''") + "'"
            where += (" AND EXISTS (SELECT 1 FROM json_each(d.tags) "
                      f"WHERE casefold(value) = {literal})")
        self.db.execute(
            "CREATE TEMP VIEW scope AS SELECT d.id AS id, d.rowid AS rid, d.grp AS grp, "
            "f.ord AS ord, d.pos AS pos FROM temp.scope_files f "
            f"JOIN idx.deck_cards d ON d.file = f.file WHERE NOT d.dropped{where}")

    def scope_list(self, rows: Iterable[tuple]) -> None:
        """The session's cards given as (id, position, sibling group) rows."""
        self._scope_tables()
        self.db.executemany("INSERT INTO temp.scope_list VALUES (?, ?, ?)", rows)
        self.db.execute("CREATE TEMP VIEW scope AS SELECT id, pos AS rid, grp, 0 AS ord, pos "
                        "FROM temp.scope_list")

    def _scope_tables(self) -> None:
        self._index()
        self.db.raw.create_function("casefold", 1, _casefold, deterministic=True)
        self.db.execute("DROP VIEW IF EXISTS temp.scope")
        for sql in ("CREATE TEMP TABLE IF NOT EXISTS scope_files "
                    "(ord INTEGER PRIMARY KEY, file TEXT NOT NULL)",
                    "CREATE INDEX IF NOT EXISTS temp.scope_files_file ON scope_files(file)",
                    "CREATE TEMP TABLE IF NOT EXISTS scope_list "
                    "(id TEXT NOT NULL, pos INTEGER PRIMARY KEY, grp TEXT)",
                    "CREATE INDEX IF NOT EXISTS temp.scope_list_id ON scope_list(id)"):
            self.db.execute(sql)
        self.db.execute("DELETE FROM temp.scope_files")
        self.db.execute("DELETE FROM temp.scope_list")

    def scope_states(self, states: tuple[int, ...], now: int, due_before: int | None = None
                     ) -> list[tuple]:
        """(id, rid, grp, *state) of the scope's cards in these states, neither suspended
        nor buried at `now` (and due before `due_before` if given), in deck order."""
        due = "" if due_before is None else f" AND c.due < {int(due_before)}"
        return self.db.execute(
            f"SELECT s.id, s.rid, s.grp, {', '.join('c.' + c for c in _STATE_COLS)} "
            f"FROM main.cards c CROSS JOIN scope s ON s.id = c.id "  # by state first
            f"WHERE c.state IN ({', '.join(map(str, map(int, states)))}){due} "
            f"AND NOT c.suspended AND coalesce(c.buried_until, 0) <= ? "
            f"ORDER BY s.ord, s.pos", (now,)).fetchall()

    def scope_new(self, now: int, after: tuple[int, int], limit: int) -> list[tuple]:
        """(id, rid, grp, ord, pos) of the scope's next new cards after a position (ord, pos),
        neither suspended nor buried at `now`, in deck order."""
        return self.db.execute(
            "SELECT s.id, s.rid, s.grp, s.ord, s.pos FROM scope s "
            "LEFT JOIN main.cards c ON c.id = s.id "
            "WHERE (s.ord, s.pos) > (?, ?) AND (c.id IS NULL OR (c.state = 0 AND NOT "
            "c.suspended AND coalesce(c.buried_until, 0) <= ?)) ORDER BY s.ord, s.pos LIMIT ?",
            (*after, now, limit)).fetchall()

    def scope_empty(self) -> bool:
        return self.db.execute("SELECT NOT EXISTS (SELECT 1 FROM scope)").fetchone()[0] == 1

    def scope_new_count(self, now: int) -> int:
        return self.db.execute(
            "SELECT count(*) FROM scope s LEFT JOIN main.cards c ON c.id = s.id "
            "WHERE c.id IS NULL OR (c.state = 0 AND NOT c.suspended AND "
            "coalesce(c.buried_until, 0) <= ?)", (now,)).fetchone()[0]

    def scope_groups(self, ids: Iterable[str]) -> dict[str, str]:
        """id -> sibling group of these cards of the scope (those in a group)."""
        out = {}
        for cid in ids:
            row = self.db.execute("SELECT grp FROM scope WHERE id = ? AND grp IS NOT NULL "
                                  "LIMIT 1", (cid,)).fetchone()
            if row:
                out[cid] = row[0]
        return out

    def scope_next_due(self, after: int) -> int | None:
        """The earliest due time after `after` of a card of the scope not suspended."""
        row = self.db.execute(
            "SELECT c.due FROM main.cards c WHERE c.due > ? AND NOT c.suspended "
            "AND EXISTS (SELECT 1 FROM scope s WHERE s.id = c.id) ORDER BY c.due LIMIT 1",
            (after,)).fetchone()
        return row[0] if row else None


    # --- statistics over the scope (prep stats): aggregates only leave SQLite -------------------

    def stats_decks(self) -> list[tuple]:
        """(ord, path, name, cards, prompts) of each deck file of the scope (`scope_index`), in
        order: its cards but prompts, and its prompts (left-out duplicates excepted)."""
        # one pass over each file's index entries, not an aggregate over a join (30 % fewer
        # instructions at 100,000 cards); a scalar subquery gives one value: both counts packed
        rows = self.db.execute(
            "SELECT f.ord, f.file, (SELECT name FROM idx.deck_files WHERE path = f.file), "
            "(SELECT count(*) FILTER (WHERE d.kind != 'prompt') << 32 | count(*) FILTER "
            "(WHERE d.kind = 'prompt') FROM idx.deck_cards d WHERE d.file = f.file "
            "AND NOT d.dropped) FROM temp.scope_files f ORDER BY f.ord")
        return [(o, path, name, n >> 32, n & 0xFFFFFFFF) for o, path, name, n in rows]

    def stats_restrict(self) -> str:
        """`restrict` to the scope's cards, prompts included."""
        where = self.restrict(())
        self.db.execute("INSERT OR IGNORE INTO temp.only SELECT d.id FROM temp.scope_files f "
                        "JOIN idx.deck_cards d ON d.file = f.file WHERE NOT d.dropped")
        return where

    def stats_exercises(self) -> set[str]:
        """The exercises the scope's cards are about."""
        return {r[0] for r in self.db.execute(
            "SELECT DISTINCT d.exercise FROM temp.scope_files f JOIN idx.deck_cards d "
            "ON d.file = f.file WHERE NOT d.dropped AND d.exercise != ''")}

    def stats_ids(self, files: list[str]) -> list[str]:
        """The ids of the cards of these indexed deck files, in order (duplicates left out)."""
        return [r[0] for f in files for r in self.db.execute(
            "SELECT id FROM idx.deck_cards WHERE file = ? AND NOT dropped ORDER BY pos", (f,))]

    # The scope's cards that have a state (the others are new), one row each. Retrievability
    # at :now as Scheduler.retrievability computes it, operation for operation (the same
    # floats; 0 when never reviewed), given :decay and :factor.
    _STATS_SEEN = ("FROM main.cards c CROSS JOIN idx.deck_cards d ON d.id = c.id "
                   "JOIN temp.scope_files f ON f.file = d.file "
                   "WHERE NOT d.dropped AND d.kind != 'prompt'")
    _STATS_RECALL = (f"CASE WHEN c.last_review IS NOT NULL AND c.stability THEN pow(1 + :factor "
                     f"* max(0.0, (:now - c.last_review) * 1.0 / {DAY_MS}) / c.stability, "
                     f":decay) ELSE 0.0 END")

    def stats_states(self, now: int, day0: int, days: int, bounds: list[int],
                     decay: float, factor: float) -> list[tuple]:
        """The scope's cards that have a state, counted by (ord, state, suspended, buried at
        `now`, due by `now`, due day counted from `day0` capped at `days`, interval bucket of
        a review card, mature): rows of those keys, the count and the sum of retrievability.
        A key is NULL where it does not apply (no due time; not a review card). The bucket is
        the index of the first of `bounds` (whole ms) above the scheduled interval, or
        len(bounds)."""
        # The keys are grouped as one integer (_packed) with the deck: 16,000 rows sorted by
        # one number instead of eight, and the bucket found by bisection, take a third fewer
        # instructions. They are taken apart again in SQL, on the groups only.
        top = self.db.execute("SELECT coalesce(max(state), 0) FROM main.cards").fetchone()[0]
        keys = [("c.state", top + 1), ("c.suspended != 0", 2),
                ("coalesce(c.buried_until, 0) > :now", 2), ("c.due <= :now", 2),
                (f"min(max(0, (c.due - :day0) / {DAY_MS}), :days)", days + 1),
                (f"CASE WHEN c.state = 2 THEN {_bisect('c.due - c.last_review', bounds)} END",
                 len(bounds) + 1),
                (f"coalesce(c.due - c.last_review >= {MATURE_MS}, 0)", 2)]
        packed, parts, span = _packed(keys, "k")
        return self.db.execute(
            f"SELECT k / {span}, {parts}, n, r FROM (SELECT f.ord * {span} + {packed} AS k, "
            f"count(*) AS n, sum({self._STATS_RECALL}) AS r {self._STATS_SEEN} GROUP BY 1)",
            {"now": now, "day0": day0, "days": days, "decay": decay, "factor": factor}).fetchall()

    def stats_review_states(self, now: int) -> list[tuple]:
        """(id, deck ordinal, *state) of the scope's review cards, neither suspended nor
        buried at `now` (for an interview plan's due dates)."""
        return self.db.execute(
            f"SELECT s.id, s.ord, {', '.join('c.' + c for c in _STATE_COLS)} "
            f"FROM main.cards c CROSS JOIN scope s ON s.id = c.id "
            f"WHERE c.state = {int(REVIEW)} AND NOT c.suspended "
            f"AND coalesce(c.buried_until, 0) <= ?", (now,)).fetchall()

    def stats_leeches(self, lapses: int) -> list[tuple]:
        """(id, file, question, lapses) of the scope's cards seen with at least `lapses`
        lapses, most lapses first, in deck order among equals."""
        return self.db.execute(
            f"SELECT d.id, d.file, d.question, c.lapses {self._STATS_SEEN} "
            f"AND c.state != 0 AND c.lapses >= ? ORDER BY c.lapses DESC, f.ord, d.pos",
            (lapses,)).fetchall()

    def stats_weakest(self, n: int, now: int, decay: float, factor: float) -> list[tuple]:
        """(retrievability, id, file, question) of the `n` scope cards in review or
        relearning, not suspended, least likely recalled at `now` (by retrievability, then
        id, then deck order)."""
        # The weakest cards of the store first (no join: one pass over the cards, a bounded
        # sort), then those of them in the scope. The order starts with (retrievability, id),
        # so once the first k cards give n scope rows, no later card can come before them;
        # else k grows until every card was looked at.
        args = {"now": now, "decay": decay, "factor": factor, "n": n, "k": 4 * n}
        candidates = None
        while True:
            rows = self.db.execute(
                f"SELECT w.r, d.id, d.file, d.question FROM (SELECT {self._STATS_RECALL} AS r, "
                f"c.id AS id FROM main.cards c WHERE +c.state IN (2, 3) AND NOT c.suspended "
                f"ORDER BY r, c.id LIMIT :k) w CROSS JOIN idx.deck_cards d ON d.id = w.id "
                f"JOIN temp.scope_files f ON f.file = d.file "
                f"WHERE NOT d.dropped AND d.kind != 'prompt' ORDER BY w.r, w.id, f.ord, d.pos "
                f"LIMIT :n", args).fetchall()
            if len(rows) >= n:
                return rows
            if candidates is None:
                candidates = self.db.execute("SELECT count(*) FROM main.cards c WHERE "
                                             "c.state IN (2, 3) AND NOT c.suspended").fetchone()[0]
            if args["k"] >= candidates:
                return rows
            args["k"] *= 8


def _packed(keys: list[tuple[str, int]], name: str) -> tuple[str, str, int]:
    """One integer made of small keys, (expression, n) with values 0..n-1 or NULL: the SQL
    that packs them, the SQL that takes the column `name` (such an integer, plus a multiple of
    the span) apart again (NULL again where it was NULL), and the span (how many integers)."""
    packed, parts, span = "0", [], 1
    for expr, size in reversed(keys):
        packed = f"{packed} + {span} * coalesce({expr}, {size})"
        parts.insert(0, f"nullif({name} / {span} % {size + 1}, {size})")
        span *= size + 1
    return packed, ", ".join(parts), span


def _bisect(value: str, bounds: list[int], lo: int = 0, hi: int | None = None) -> str:
    """SQL for the index of the first of `bounds` (ascending) above `value` (len(bounds):
    none; NULL when the value is NULL), known to be in lo..hi, by bisection: a few
    comparisons, not one per bound."""
    if hi is None:
        hi = len(bounds)
    if lo == hi:  # a NULL value fails every comparison: it ends here, on the last
        return f"CASE WHEN {value} IS NOT NULL THEN {lo} END" if lo == len(bounds) else str(lo)
    mid = (lo + hi) // 2
    return (f"CASE WHEN {value} < {int(bounds[mid])} THEN {_bisect(value, bounds, lo, mid)} "
            f"ELSE {_bisect(value, bounds, mid + 1, hi)} END")


def _casefold(value):
    return value.casefold() if isinstance(value, str) else value


# --- who has the database open ------------------------------------------------------------

class InUse:
    """A lock on `prep.db.lock` beside the database: shared while a Store is open, exclusive
    while `prep db restore` swaps the file. SQLite's own locks are held only inside a
    transaction, so they cannot tell that a study session has the file open between two
    answers; swapping it then would send that session's next answers to the file moved
    aside. (flock: on Linux and macOS it is apart from SQLite's fcntl locks. Without it, on
    Windows, or where the folder cannot be written, there is no lock.)"""

    def __init__(self, path: Path, exclusive: bool,
                 on_wait: Callable[[float], None] | None = None):
        self.fd: int | None = None
        try:
            import fcntl
        except ImportError:
            return
        try:
            fd = os.open(path.with_name(path.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o600)
        except OSError:
            return
        started = _time.monotonic()
        while True:
            try:
                fcntl.flock(fd, (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                waited = _time.monotonic() - started
                if exclusive or waited > LOCK_GIVE_UP_S:
                    os.close(fd)
                    raise StoreError(
                        "another prep process has the review database open (a study, drill "
                        "or mock session, or a sync): close it and run the command again"
                        if exclusive else "prep db restore has been replacing the review "
                        "database for a long time; wait for it to finish", file=str(path)
                    ) from None
                if on_wait is not None:
                    on_wait(waited)
                _time.sleep(0.05)
        self.fd = fd
        # (a file object: a store that is never closed gives its descriptor back when it is
        # collected, as its SQLite connection does)
        self._file = os.fdopen(fd, "rb", buffering=0)

    def share(self) -> None:
        """Let other prep processes open the database again (the swap is done)."""
        if self.fd is not None:
            import fcntl

            fcntl.flock(self.fd, fcntl.LOCK_SH)

    def close(self) -> None:
        if self.fd is not None:
            self._file.close()
            self.fd = None

    def __enter__(self) -> "InUse":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def backups(folder: Path) -> list[Path]:
    """The daily backups in `folder`, oldest first."""
    return sorted(folder.glob("prep-*.db")) if folder.is_dir() else []


def lost_history(path: Path, folder: Path) -> str | None:
    """Why opening the database at `path` would start an empty history while `folder` holds
    daily backups of one (the file is missing, or 0 bytes with no WAL beside it), or None.
    SQLite would take such a file as a new database, and the backups of the old history would
    be rotated out by the new one's within BACKUPS_KEPT days."""
    try:
        st = path.stat()
    except FileNotFoundError:
        st = None
    except (OSError, RuntimeError):
        return None  # (opening it says what is wrong)
    if st is not None and not stat.S_ISREG(st.st_mode):
        return None  # a pipe, a folder: no size to speak of (opening it says what it is)
    size = None if st is None else st.st_size
    if size:
        return None
    try:
        if size == 0 and path.with_name(path.name + "-wal").stat().st_size > 0:
            return None
    except OSError:
        pass
    saved = backups(folder)
    if not saved:
        return None
    state = "missing" if size is None else "empty (0 bytes)"
    return (f"the review database is {state}, but {folder} holds {len(saved)} daily "
            f"backup(s) of a review history (newest {saved[-1].name}). `prep db restore` puts "
            "the newest back; to start a new history instead, move that folder away")


def _resolved(path: Path) -> Path | None:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # (the live file a link in a loop: no backup is it)
        return None


def unusable_backup(backup: Path, live: Path) -> str | None:
    """Why `backup` cannot be put in place of the database at `live`, or None if it can: it
    is the live file itself, or no prep review database in good order."""
    try:
        same = backup.resolve() in {_resolved(live.with_name(live.name + s))
                                    for s in ("", "-wal", "-shm")}
    except (OSError, RuntimeError) as e:  # (a loop: RuntimeError before Python 3.13)
        return getattr(e, "strerror", None) or str(e)
    if same:
        return "this is the review database itself, not a backup of it"
    with _no_side_files_left(backup):  # (a -shm and -wal were left beside it in backups/)
        # (read as a file nothing changes: SQLite then needs no -shm beside it, which it
        # cannot make in a folder it may not write, and the backup, a WAL database, was
        # called no prep database and left out of a restore: fault hunt 42)
        wal = Path(f"{backup}-wal")
        return database_problem(backup, still=not (wal.is_file() and wal.stat().st_size))


# What database_problem says of a file it could not read for another reason than damage
NOT_READ_NOW = "it cannot be read now"


def database_problem(path: Path, still: bool = False) -> str | None:
    """Why the file at `path` is no prep review database in good order (damaged, not one at
    all, from a newer prep; or, starting NOT_READ_NOW, one that cannot be read now: no
    permission, a lock), or None if it is one. `still`: a file nothing writes meanwhile (a
    backup), read as immutable."""
    try:
        db = sqlite3.connect(path.resolve().as_uri() + "?mode=ro"
                             + ("&immutable=1" if still else ""), uri=True)
    except (sqlite3.Error, OSError, ValueError) as e:
        return f"{NOT_READ_NOW} ({e})"
    try:
        if db.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            return "it is damaged (SQLite's quick_check fails)"
        version = db.execute("PRAGMA user_version").fetchone()[0]
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    except sqlite3.Error as e:
        why = _NOT_DAMAGE.get(getattr(e, "sqlite_errorcode", 0) & 0xFF)
        if why:
            return f"{NOT_READ_NOW} ({why}: {e})"
        return f"it is not a prep review database ({e})"
    finally:
        db.close()
    if not {"cards", "reviews"} <= tables or not 1 <= version:
        return "it is not a prep review database (no cards and reviews tables)"
    if version > len(MIGRATIONS):
        return f"it is from a newer prep (schema {version}); upgrade prep"
    return None


# SQLite's result codes that say a file could not be read now, not that it is damaged
# (a full disk, no permission, a lock): a restore must stop there, not count every row lost.
_NOT_DAMAGE = {3: "no permission", 5: "it is locked", 6: "it is locked", 7: "out of memory",
               8: "it is read-only", 13: "the disk is full", 14: "it cannot be opened",
               23: "not authorized"}


def salvage_marks(path: Path, table: str) -> set[tuple[str, int]]:
    """(card id, time) of each row of `table` ("undone": the answers taken back; "resets":
    the cards reset to new) that a (maybe damaged) database records, as far as readable
    (none from a file older than the table, or one whose table cannot be read)."""
    assert table in ("undone", "resets")
    if not _regular(path):
        return set()
    try:
        with _header_mended(path) as path, _no_side_files_left(path):
            db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            try:
                return {(c, t) for c, t in db.execute(f"SELECT card_id, time FROM {table}")
                        if isinstance(c, str) and isinstance(t, int)}
            finally:
                db.close()
    except sqlite3.Error:
        return set()


# What a database holds beside its reviews, and what makes each row itself (a grade of an
# exercise at a time of a file, a mock started at a time, parameters fitted at a time)
_EXTRAS = {"grades": ("exercise", "time", "file_hash"), "mocks": ("started",),
           "parameters": ("fitted_at",)}
_FLAGS = ("id", "suspended", "buried_until")


def salvage_extras(path: Path) -> dict[str, tuple[list[str], list[tuple]]]:
    """What a (maybe damaged) database holds beside its reviews, as far as readable: the rows
    of its grades, mocks and parameters, and its cards' suspensions and burials ("cards"),
    each as (columns, rows). A table that cannot be read gives the rows read before."""
    out: dict[str, tuple[list[str], list[tuple]]] = {}
    if not _regular(path):
        return out
    try:
        with _header_mended(path) as path, _no_side_files_left(path):
            db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            try:
                for table in (*_EXTRAS, "cards"):
                    rows: list[tuple] = []
                    try:
                        cols = [r[1] for r in db.execute(f"PRAGMA table_info({table})")]
                        if table == "cards":
                            cols = [c for c in _FLAGS if c in cols]
                        if not cols:
                            continue
                        for row in db.execute(f"SELECT {', '.join(cols)} FROM {table}"):
                            rows.append(row)
                    except sqlite3.Error:
                        pass
                    if rows:
                        out[table] = (cols, rows)
            finally:
                db.close()
    except (sqlite3.Error, StoreError):
        pass
    return out


def _varint(b: bytes, i: int) -> tuple[int, int]:
    """SQLite's variable-length integer at b[i]: (value, index after it)."""
    v = 0
    for k in range(8):
        c = b[i + k]
        v = (v << 7) | (c & 0x7F)
        if c < 0x80:
            return v, i + k + 1
    return (v << 8) | b[i + 8], i + 9


def _record(b: bytes, i: int, end: int) -> list | None:
    """The values of the record at b[i:end] (SQLite's record format), or None if it is none."""
    size, j = _varint(b, i)
    head_end, types = i + size, []
    if not 0 < size <= end - i:
        return None
    while j < head_end:
        t, j = _varint(b, j)
        types.append(t)
    out, at = [], head_end
    for t in types:
        if t in (0, 8, 9):
            out.append(None if t == 0 else t - 8)
            continue
        n = (0, 1, 2, 3, 4, 6, 8, 8)[t] if t < 8 else (t - 12) // 2 if t >= 12 else -1
        if n < 0 or at + n > end:
            return None
        raw = b[at:at + n]
        try:  # (text not UTF-8, a damaged byte: no record, as salvage_reviews leaves the row)
            out.append(int.from_bytes(raw, "big", signed=True) if t < 7 else
                       None if t == 7 else raw if t % 2 == 0 else raw.decode("utf-8"))
        except UnicodeDecodeError:
            return None
        at += n
    return out


def _leaf_reviews(path: Path) -> list[tuple]:
    """Review rows read straight from the table-leaf pages of a database file whose reviews
    table cannot be walked (a page over its leaves is damaged: every review since the backup
    was lost, fault hunt 42), as (rowid, card_id, time, rating, duration_ms): every record of
    the reviews table's shape, in any page, freed ones too (the caller keeps only rowids the
    table walk did not reach, and leaves out answers taken back)."""
    try:
        data = path.read_bytes()
    except OSError:
        return []
    size = int.from_bytes(data[16:18], "big") if len(data) >= 100 else 0
    size = 65536 if size == 1 else size
    if size < 512 or size & (size - 1):
        return []
    usable = size - data[20]
    rows = []
    for start in range(0, len(data) - size + 1, size):
        head = start + (100 if start == 0 else 0)
        if data[head] != 0x0D:  # a table leaf
            continue
        cells = int.from_bytes(data[head + 3:head + 5], "big")
        for k in range(min(cells, size // 4)):
            try:
                at = start + int.from_bytes(data[head + 8 + 2 * k:head + 10 + 2 * k], "big")
                length, j = _varint(data, at)
                rowid, j = _varint(data, j)
                if length > usable - 35 or j + length > start + size:
                    continue  # (a review is small: one that overflows its page is not one)
                rec = _record(data, j, j + length)
            except IndexError:
                continue
            if rec is not None and len(rec) == 21 and rec[0] is None and \
                    isinstance(rec[1], str) and isinstance(rec[2], int) and rec[3] in (1, 2, 3, 4) \
                    and (rec[4] is None or isinstance(rec[4], int)):
                rows.append((rowid, rec[1], rec[2], rec[3], rec[4]))
    return rows


def salvage_reviews(path: Path, chunk: int = 500) -> tuple[list[tuple], int]:
    """Every review row still readable from a damaged database, as (card_id, time, rating,
    duration_ms), and how many chunks of rows could not be read. Rows are read by id range,
    so a damaged page loses only the rows stored on it; where a range cannot be read, the
    rows are also looked for in the file's pages themselves (_leaf_reviews). A file that
    cannot be read for a reason other than damage (see _NOT_DAMAGE) raises StoreError."""
    rows: list[tuple] = []

    def read(sql: str, args=()) -> list:
        try:
            return db.execute(sql, args).fetchall()
        except sqlite3.Error as e:
            why = _NOT_DAMAGE.get(getattr(e, "sqlite_errorcode", 0) & 0xFF)
            if why:
                raise StoreError(f"cannot read this database now ({why}): {e}",
                                 file=str(path)) from None
            raise

    if not _regular(path):
        raise StoreError("not a database file (a folder, a device, a pipe or a broken "
                         "link): move it away and run prep db restore again", file=str(path))
    with _header_mended(path) as path, _no_side_files_left(path):
        try:
            db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        except sqlite3.Error:
            return rows, 1
        # (text read as bytes: a card id with one damaged byte failed its whole chunk, 500
        # rows that could be read: fault hunt 42; it alone is left out below)
        db.text_factory = bytes
        try:
            try:  # (an empty file, or one of no reviews table: nothing to read, nothing lost)
                if not read("SELECT 1 FROM sqlite_master WHERE type = 'table' "
                            "AND name = 'reviews'"):
                    return rows, 0
            except sqlite3.Error:
                return rows, 1  # (its schema unreadable: so is every row)
            try:
                top = read("SELECT max(id) FROM reviews")[0][0] or 0
            except sqlite3.Error:
                top = 10_000_000  # the index is damaged too: walk a generous id range
            failed = []
            for start in range(0, top + 1, chunk):
                try:
                    rows += read("SELECT id, card_id, time, rating, duration_ms FROM reviews "
                                 "WHERE id >= ? AND id < ? ORDER BY id", (start, start + chunk))
                except sqlite3.Error:
                    failed.append(start)
        finally:
            db.close()
        lost = len(failed)
        if failed:  # (the rows the walk could not reach, from the pages that hold them)
            reached = {r[0] for r in rows}
            rows += [r for r in _leaf_reviews(path) if r[0] not in reached]
            # (a range none of whose rows was found, below the highest id found: lost; not
            # the ids past every review, walked where the table's size could not be read)
            ids = {r[0] // chunk for r in rows}
            highest = max(ids, default=-1)
            lost = sum(start // chunk not in ids and start // chunk <= highest
                       for start in failed) or int(not rows)
    good = []
    for _, card, *rest in rows:
        try:
            card = card.decode("utf-8") if isinstance(card, bytes) else card
        except UnicodeDecodeError:
            continue
        if isinstance(card, str) and isinstance(rest[0], int) and rest[1] in (1, 2, 3, 4):
            good.append((card, *rest))
    return good, lost


_MAGIC = b"SQLite format 3\x00"


@contextlib.contextmanager
def _header_mended(path: Path):
    """The file to read a damaged database from: itself, or, when SQLite cannot read its
    schema for damage to its 100-byte header (it then opens nothing: every review was lost to
    a restore, fault hunts 33 and 34), a copy with a header written as SQLite writes one (its
    fields that can be read kept: the page size, when one a page of the schema begins at),
    removed after. The kept file is not changed."""
    try:
        with open(path, "rb") as f:
            head = bytearray(f.read(100))
    except OSError:
        head = bytearray()
    if len(head) < 100 or _schema_read(path):
        yield path
        return
    import shutil
    import tempfile

    with tempfile.TemporaryDirectory(prefix="prep-mend-") as tmp:
        copy = Path(tmp) / path.name
        wal = Path(str(path) + "-wal")
        try:
            shutil.copyfile(path, copy)
            if wal.is_file():  # (answers committed to it and not yet to the file: fault hunt 35)
                shutil.copyfile(wal, str(copy) + "-wal")
        except OSError as e:
            raise StoreError(f"cannot read this database now (a copy to mend its header "
                             f"could not be made: {e.strerror})", file=str(path)) from None
        for size in _page_sizes(head):
            try:
                with open(copy, "r+b") as f:
                    f.write(_header(head, size, wal=wal.is_file()))
            except OSError as e:
                raise StoreError(f"cannot read this database now (a copy to mend its header "
                                 f"could not be written: {e.strerror})", file=str(path)) from None
            if _schema_read(copy):
                yield copy
                return
        yield path  # (mended, it reads no better: the damage is elsewhere too)


def _schema_read(path: Path) -> bool:
    """Whether SQLite reads the database's list of tables (its first page and header)."""
    try:
        with _no_side_files_left(path):
            db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            try:
                db.execute("SELECT count(*) FROM sqlite_master").fetchone()
                return True
            finally:
                db.close()
    except sqlite3.Error:
        return False


def _page_sizes(head: bytearray) -> list[int]:
    """The page sizes to try: the header's own, if one SQLite could have written, first."""
    said = int.from_bytes(head[16:18], "big")
    said = 65536 if said == 1 else said
    sizes = [4096, 1024, 2048, 8192, 16384, 32768, 65536, 512]
    return ([said] if said in sizes else []) + [k for k in sizes if k != said]


def _header(head: bytearray, size: int, wal: bool = False) -> bytes:
    """A database header as SQLite writes one, with `size`-byte pages, keeping of `head` the
    fields that only say something of the writer (the change counter, the schema cookie, the
    user version) and the journal mode when it is one SQLite writes (else WAL when a -wal
    file is beside it, for SQLite to read it)."""
    out = bytearray(100)
    out[:16] = _MAGIC
    out[16:18] = (1 if size == 65536 else size).to_bytes(2, "big")
    out[18:20] = bytes(b if b in (1, 2) else (2 if wal else 1) for b in head[18:20])
    out[21:24] = bytes((64, 32, 32))  # (the payload fractions: fixed by the file format)
    out[24:28] = head[24:28]  # file change counter
    # 28-39: the size in pages (0: SQLite then takes the file's), no freelist
    out[40:44] = head[40:44] if head[40:44] != bytes(4) else (1).to_bytes(4, "big")
    out[44:48] = (4).to_bytes(4, "big")  # schema format
    out[56:60] = (1).to_bytes(4, "big")  # UTF-8 (prep's)
    out[60:64] = head[60:64]  # user version
    out[92:96] = head[24:28]  # version-valid-for: the change counter
    out[96:100] = (3037000).to_bytes(4, "big")
    return bytes(out)


@contextlib.contextmanager
def _no_side_files_left(path: Path):
    """Reading a database file (read-only) makes SQLite create its -shm, and an empty -wal,
    when they are not there: a file an earlier restore kept was left with both beside it.
    Those it made are removed after (a -wal only while empty: one with data is the file's)."""
    made = [f for f in (path.with_name(path.name + s) for s in _SIDE) if not f.exists()]
    try:
        yield
    finally:
        for f in made:
            try:
                if f.name.endswith("-shm") or f.stat().st_size == 0:
                    f.unlink()
            except OSError:
                pass


def _regular(path: Path) -> bool:
    """A regular file, a link to one included (a FIFO would hang SQLite's open)."""
    import stat

    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except (OSError, RuntimeError):  # a loop, a dangling link
        return False


_SIDE = ("-wal", "-shm")


# What a restore keeps the database it replaces as: `prep.db.damaged-<time>`, or
# `prep.db.replaced-<time>` when it was sound (a restore forced over it)
KEPT = ("damaged", "replaced")


def kept_files(path: Path) -> list[Path]:
    """The databases earlier restores moved aside (`prep.db.damaged-…`, `….replaced-…`),
    oldest first: a restore reads them again, so one interrupted (or a later one) loses
    nothing they hold."""
    import glob

    found = [p for kind in KEPT for p in path.parent.glob(f"{glob.escape(path.name)}.{kind}-*")
             if not p.name.endswith(_SIDE) and _regular(p)]
    return sorted(found, key=lambda p: p.name.split("-", 1)[1])  # (by the time in the name)


def restoring(path: Path) -> Path:
    """Where a restore builds the new database, beside `path` (any earlier one removed)."""
    tmp = path.with_name(path.name + ".restoring")
    discard(tmp)
    return tmp


def discard(tmp: Path) -> None:
    for suffix in ("", *_SIDE, ".lock"):
        try:
            tmp.with_name(tmp.name + suffix).unlink()
        except FileNotFoundError:
            pass


def swap_in(path: Path, new: Path, keep_stem: str) -> Path | None:
    """Put the database built at `new` in place of the one at `path`, which is kept as
    `keep_stem` (made unique: an earlier kept file is never overwritten); returns where it is
    kept. At every moment the old history is whole somewhere: the old files are linked to
    their kept names first (no data moved), its WAL and index removed, then `new` renamed
    over it in one step (a WAL left beside the new file would be replayed into it)."""
    # (Ctrl-C or SIGTERM between removing the old WAL and the rename would leave the old file
    # without its WAL in place: whole in the kept file, but not in use. Held off meanwhile.)
    with held_stops():
        return _swap_in(path, new, keep_stem)


def _swap_in(path: Path, new: Path, keep_stem: str) -> Path | None:
    import shutil

    old = [path.with_name(path.name + s) for s in ("", *_SIDE)]
    keep = None
    if any(f.exists() for f in old):
        keep = unused(lambda n: path.with_name(keep_stem + n),
                      lambda k: any(k.with_name(k.name + s).exists() for s in ("", *_SIDE)))
        for f in old:
            # (not the -shm, an index of the WAL that SQLite makes again, nor an empty WAL:
            # left beside the kept file, they were only clutter)
            if f.exists() and not (f.name.endswith("-shm") or
                                   (f.name.endswith("-wal") and f.stat().st_size == 0)):
                dest = keep.with_name(keep.name + f.name[len(path.name):])
                try:
                    os.link(f, dest)
                except OSError:  # (no hard links on this file system)
                    shutil.copy2(f, dest)
        _fsync_dir(path.parent)
        for f in old[1:]:
            if f.exists():
                f.unlink()
    os.replace(new, path)
    _fsync_dir(path.parent)
    return keep


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any exception. Waiting for another prep's
    lock goes through `Store._wait_for_lock`. A failed ROLLBACK (SQLite has already rolled
    back after a full disk) must not hide the error that caused it."""

    def __init__(self, store: "Store"):
        self.store = store

    def __enter__(self):
        self.store._in_place()  # (before the transaction: a checkpoint cannot run in one)
        self.store._wait_for_lock(lambda: self.store.db.execute("BEGIN IMMEDIATE"))

    def __exit__(self, exc_type, *_):
        db = self.store.db
        if exc_type is None:
            try:
                db.execute("COMMIT")
            except StoreError:
                self._rollback()
                raise
            self.store._written()
        else:
            self._rollback()
        return False

    def _rollback(self) -> None:
        try:
            self.store.db.raw.execute("ROLLBACK")
        except sqlite3.Error:
            pass  # no transaction left to roll back


def _held(path: Path) -> int | None:
    """A descriptor of this process's own on the WAL now at `path` (None: none there), to know
    later that the file at the name is still this one: it keeps the file's inode in use (no
    new file at the name can take its number) and shows it deleted (no links left). Only the
    WAL, which SQLite locks through the -shm: closing a descriptor of the database file drops
    every POSIX lock the process holds on it, SQLite's too (another prep then took itself for
    the last one open and deleted the WAL under this one)."""
    try:
        return os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return None


def _moved(held: int | None) -> bool:
    """Whether the WAL open as `held` (_held) has left its name: deleted, or another file
    renamed over it (either unlinks it). One system call a write."""
    if held is None:
        return False
    try:
        return os.fstat(held).st_nlink == 0
    except OSError:
        return True


def _ident(path: Path) -> tuple[int, int] | None:
    """(device, inode) of the file at `path`, or None where there is none."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def _wal_of(path: Path) -> Path:
    return path.with_name(path.name + "-wal")


_LAST_TIMES = ("SELECT (SELECT max(time) FROM reviews WHERE card_id = ?1), "
               "(SELECT max(time) FROM resets WHERE card_id = ?1)")
_INSERT_REVIEW = (
    f"INSERT INTO reviews (card_id, time, rating, duration_ms, "
    f"{', '.join(c + '_before' for c in _STATE_COLS)}, "
    f"{', '.join(c + '_after' for c in _STATE_COLS)}) VALUES (?, ?, ?, ?, {', '.join('?' * 16)})")


_PUT_STATE = (
    f"INSERT INTO cards (id, {', '.join(_STATE_COLS)}) VALUES (?{', ?' * len(_STATE_COLS)}) "
    f"ON CONFLICT (id) DO UPDATE SET {', '.join(f'{c}=excluded.{c}' for c in _STATE_COLS)}")


def _values(s: CardState) -> tuple:
    return (s.state, s.step, s.stability, s.difficulty, s.due, s.last_review, s.reps, s.lapses)


def _review(row) -> Review:
    n = len(_STATE_COLS)
    return Review(id=row[0], card_id=row[1], time=row[2], rating=row[3], duration_ms=row[4],
                  before=CardState(*row[5:5 + n]), after=CardState(*row[5 + n:5 + 2 * n]))
