"""Two machines, one history: `prep sync DIR`, where DIR is a folder the user already keeps in
sync (a git repository, Syncthing, a cloud drive).

Each machine appends the reviews it has and the others do not to its own file in DIR,
`prep-reviews-<device>.csv` (the CSV layout of `prep reviews export`, times in epoch
milliseconds), and merges every other machine's file into its store exactly as `prep reviews
import` does: a review is identified by card, time and rating, and each changed card's whole
history is replayed. No file is written by two machines, so no lock is needed; a last line
without its newline (a write cut short, or a file still arriving) is left for the next sync.
The cards reset to new (`prep cards reset`) travel the same way, in `prep-resets-<device>.csv`
(`card_id,reset_time`): a history replayed starts again after each reset.

The cards made from your mistakes (the `mistakes` deck in the data directory) travel the same
way: each machine keeps a copy of its deck as `prep-mistakes-<device>.yaml` and adds the cards
of the others' copies it lacks, so a review of a mistake card synced from another machine has
its card here too.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import re
import stat
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from prepcli.interop import history
from prepcli.errors import FAILED, PrepError
from prepcli.paths import file_kind, unused, write_aside
from prepcli.review.datafiles import regular_file

PREFIX, SUFFIX = "prep-reviews-", ".csv"
MISTAKES_PREFIX, MISTAKES_SUFFIX = "prep-mistakes-", ".yaml"
RESETS_PREFIX = "prep-resets-"  # (cards reset to new: a file apart, which older preps ignore)
HEADER = "card_id,review_time,review_rating,review_duration,review_state\n"
RESETS_HEADER = "card_id,reset_time\n"
_DEVICE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def device_id(home: Path, renew: bool = False) -> str:
    """This machine's id, made once and kept in the data directory (`renew`: a new one)."""
    f = home / "device-id"
    regular_file(f, "this machine's id", "move it away (prep sync makes a new one)")
    try:
        text = "" if renew else f.read_text(encoding="utf-8").strip()
        if _DEVICE.match(text):
            return text
    except OSError:
        pass
    new = uuid.uuid4().hex[:12]
    tmp = home / f"device-id.{os.getpid()}.tmp"
    try:
        home.mkdir(parents=True, exist_ok=True)
        tmp.write_text(new + "\n", encoding="utf-8")
        if renew:
            os.replace(tmp, f)
            return new
        # Made only where none is there yet: two first syncs at once each wrote an id of its
        # own, used it, and the machine had two files in the sync folder, every review in
        # both (CI, test_one_machines_syncs_run_one_after_the_other). The one that loses
        # reads the winner's.
        try:
            os.link(tmp, f)
            return new
        except FileExistsError:
            text = f.read_text(encoding="utf-8").strip()
            if _DEVICE.match(text):
                return text
            os.replace(tmp, f)  # (one there, damaged: replaced, as before)
            return new
    except OSError as e:
        raise PrepError(f"cannot write the device id: {e.strerror}", file=str(f)) from None
    finally:
        try:
            tmp.unlink()
        except OSError:
            pass


class PartlySynced(PrepError):
    """Some other machines' files could not be read: the rest was merged, and this machine's
    own files written."""


# (what a machine's file holds is in its store: the next sync that finds the file gone
# writes those reviews and resets anew)
_AGAIN = "Delete it: the machine that wrote it writes it again at its next sync"


def _finds(data: bytes, sub: bytes):
    """Where `sub` is in `data`, from the end back."""
    k = data.rfind(sub)
    while k >= 0:
        yield k
        k = data.rfind(sub, 0, k + len(sub) - 1)


def _complete_text(path: Path) -> str:
    """The file's complete lines (a last line without its newline is left out). Only a
    regular file is read: a named pipe in the folder (a sync tool's, another machine's) would
    block the read, and `prep study` with it."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # (opening a pipe waits for a writer)
    except OSError as e:
        raise PrepError(f"cannot read: {e.strerror}", file=str(path)) from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise PrepError(f"{file_kind(mode)}, not a review file: move it out of the sync "
                            "folder", file=str(path))
        with os.fdopen(fd, "rb") as f:
            fd = -1
            data = f.read()
    except OSError as e:
        raise PrepError(f"cannot read: {e.strerror}", file=str(path)) from None
    finally:
        if fd >= 0:
            os.close(fd)
    if data.startswith(b"\xef\xbb\xbf"):  # (a UTF-8 byte-order mark, as an editor may save)
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        # UTF-16 with its byte-order mark, as a Windows editor may save it (`prep reviews
        # import` reads it): as UTF-8 it was a NUL byte, "a damaged copy"
        le = data.startswith(b"\xff\xfe")
        newline = b"\n\x00" if le else b"\x00\n"
        end = next((k for k in _finds(data, newline) if k % 2 == 0), None)
        data = data[2:end + 2] if end is not None else b""  # (complete lines only)
        try:
            data = data.decode("utf-16-le" if le else "utf-16-be").encode()
        except UnicodeDecodeError as e:
            raise PrepError("not UTF-16 text, though it starts as such: a damaged copy? "
                            f"{_AGAIN}", file=str(path), line=data.count(newline, 0,
                                                                         e.start) + 1) from None
    data = data[:data.rfind(b"\n") + 1]
    # (a damaged copy, or not a prep file: refused at its line, as `prep reviews import`
    # refuses it; read with replacement characters, its card ids were stored garbled)
    if b"\0" in data:
        raise PrepError(f"contains a NUL byte: a damaged copy? {_AGAIN}", file=str(path),
                        line=data.count(b"\n", 0, data.index(b"\0")) + 1)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise PrepError(f"not UTF-8 text (byte 0x{data[e.start]:02x}): a damaged copy? {_AGAIN}",
                        file=str(path), line=data.count(b"\n", 0, e.start) + 1) from None


def read_device_file(path: Path, now_ms: int | None = None) -> list[history.Row]:
    """The complete rows of one device's file. A bad row is an error naming file and line:
    a file in the sync folder is data another machine wrote, not to be silently guessed at.
    `now_ms`: a review later than this (and the clocks' skew) is one."""
    text = _complete_text(path)
    if not text.strip():
        return []
    rows, problems = [], []
    reader = csv.DictReader(io.StringIO(text, newline=""))
    with history.field_limit():
        try:
            if not reader.fieldnames or "card_id" not in reader.fieldnames:
                raise PrepError("not a prep review file (no card_id column)", file=str(path),
                                line=1)
            for row in reader:
                try:
                    rows.append(history.parse_row(row, reader.line_num, now_ms))
                except ValueError as e:
                    problems.append(f"{path}:{reader.line_num}: {e}")
        except csv.Error as e:  # (a field of 200,000 characters: exit 70 before)
            raise history.csv_error(e, path, reader.line_num + 1) from None
    if problems:
        raise PrepError(f"{len(problems)} bad row(s) in a synced file; nothing was merged "
                        "from it:\n  " + "\n  ".join(problems[:20]), code=FAILED)
    return rows


def read_resets_file(path: Path, now_ms: int | None = None) -> list[tuple[str, int]]:
    """(card id, time) of each complete row of one device's resets file; a bad row is an
    error naming file and line, as in a review file."""
    text = _complete_text(path)
    if not text.strip():
        return []
    reader = csv.reader(io.StringIO(text, newline=""))
    out, problems = [], []
    with history.field_limit():
        try:
            if next(reader, None) != RESETS_HEADER.strip().split(","):
                raise PrepError("not a prep resets file (its first line must be "
                                f"{RESETS_HEADER.strip()})", file=str(path), line=1)
            for row in reader:
                where = f"{path}:{reader.line_num}"
                if not row:  # (a blank line, as an editor leaves at the end)
                    continue
                if len(row) != 2:
                    problems.append(f"{where}: a row must be card_id,reset_time")
                    continue
                try:  # (the card and the time read as a review's are)
                    r = history.parse_row({"card_id": row[0], "review_time": row[1],
                                           "review_rating": "1"}, reader.line_num, now_ms)
                except ValueError as e:
                    problems.append(f"{where}: {str(e).replace('review_time', 'reset_time')}")
                    continue
                out.append((r.card_id, r.time))
        except csv.Error as e:  # (csv.reader counts the line it failed on, DictReader not)
            raise history.csv_error(e, path, reader.line_num) from None
    if problems:
        raise PrepError(f"{len(problems)} bad row(s) in a synced file; nothing was merged "
                        "from it:\n  " + "\n  ".join(problems[:20]), code=FAILED)
    return out


@dataclass
class Result:
    written: int  # reviews appended to this machine's file
    merged: int  # reviews added to the store from other machines
    cards: int  # cards whose history was replayed
    devices: int  # other machines' files read
    mistakes: int = 0  # mistake cards added from other machines
    renamed: str | None = None  # this machine's new id, when its file was another's too
    conflicts: int = 0  # answers given two ratings at one instant (history.Merge)
    bad: list[str] = field(default_factory=list)  # other machines' files not read: why
    notes: list[str] = field(default_factory=list)  # this machine's files set aside: why


def sync(folder: Path, device: str, store, scheduler, home: Path | None = None,
         known_exercises: set[str] | None = None, now_ms: int | None = None) -> Result:
    """Merge the other machines' reviews, then write this one's; with `home` (the data
    directory), the mistake cards as well. `now_ms`: a review later than this is an error
    in the file that holds it (as `prep reviews import` says)."""
    if not folder.is_dir():
        # (the folder named on the command line, or by `sync_dir`: the hint names both)
        raise PrepError("the sync folder is a file, not a folder (name a folder: prep sync "
                        "DIR, or `sync_dir` in the settings)" if folder.exists() else
                        "the sync folder does not exist (create it, or name another: prep "
                        "sync DIR, or `sync_dir` in the settings)", file=str(folder))
    with _one_sync_at_a_time(home):
        return _sync(folder, device, store, scheduler, home, known_exercises, now_ms)


# How long a sync waits for another of the same machine to end before it gives up
SYNC_WAIT_S = 30.0


@contextlib.contextmanager
def _one_sync_at_a_time(home: Path | None):
    """One machine's syncs one after the other (a lock in its data folder, not in the synced
    one): three at once each appended the same reviews to its file, each row three times.
    Where there is no flock (Windows) or no data folder, no lock."""
    try:
        import fcntl
    except ImportError:
        fcntl = None
    fd = None
    if fcntl is not None and home is not None:
        try:
            fd = os.open(home / "sync.lock", os.O_RDWR | os.O_CREAT, 0o600)
        except OSError:
            fd = None
    try:
        if fd is not None:
            started = time.monotonic()
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() - started > SYNC_WAIT_S:
                        raise PrepError("another prep has been syncing for "
                                        f"{SYNC_WAIT_S:.0f} s; run the sync again when it "
                                        "is done") from None
                    time.sleep(0.05)
        yield
    finally:
        if fd is not None:
            os.close(fd)


def _sync(folder: Path, device: str, store, scheduler, home: Path | None,
          known_exercises: set[str] | None, now_ms: int | None) -> Result:
    mine = folder / f"{PREFIX}{device}{SUFFIX}"
    stored = store.reviews()
    rating = {(r.card_id, r.time): r.rating for r in stored}
    # (answers taken back here and not given again since: not brought back by a file)
    undone = store.undone() - rating.keys()
    renamed = None
    notes: list[str] = []
    # (its own file is not held to this clock: its rows came from this store, one dated
    # ahead too, say by a clock that ran fast then; it was set aside as damaged and written
    # again at every sync, fault hunt 42)
    own = [r for r in _own(read_device_file, mine, None, notes)
           if (r.card_id, r.time) not in undone]
    # (a row whose rating was changed since is no stranger's: card and time are the review)
    if home is not None and any((r.card_id, r.time) not in rating for r in own):
        # This machine's file holds reviews it never made: another machine has the same id
        # (a data folder copied to a new laptop), and the two wrote one file, each reading
        # only the other files. This one takes a new id: that file is read as the other
        # machine's from now on, and this one writes a file of its own.
        device = renamed = device_id(home, renew=True)
        mine, own = folder / f"{PREFIX}{device}{SUFFIX}", []
    others = sorted(p for p in folder.glob(f"{PREFIX}*{SUFFIX}") if p != mine)
    # 1. merge the others' reviews (read inside the store's write transactions, in batches).
    # A file that cannot be read is left out, said at the end: the others are merged, and
    # this machine's files written (one bad file had stopped every machine's syncs)
    bad: list[str] = []
    rows = [r for p in others for r in _or_none(read_device_file, p, now_ms, bad)
            if (r.card_id, r.time) not in undone]
    # (and a row of its own file whose rating was edited there: merged as the others' are, so
    # the lower rating wins here as on the machines that read it)
    edited = [r for r in own if rating.get((r.card_id, r.time), r.rating) != r.rating]
    # (and the cards they reset: a history merged starts again after a reset)
    resets_mine = folder / f"{RESETS_PREFIX}{device}{SUFFIX}"
    resets = [x for p in sorted(folder.glob(f"{RESETS_PREFIX}*{SUFFIX}")) if p != resets_mine
              for x in _or_none(read_resets_file, p, now_ms, bad)]
    merge = history.Merge(rows + edited, scheduler, resets=resets)
    cards = store.merge_histories(merge.by_card, merge, resets=merge.resets_by_card)
    # 2. append what this store had that no file holds yet (what was merged just now is in
    # the others' files)
    held = {(r.card_id, r.time, r.rating) for r in rows + own}
    if edited:  # (as merged: the rating before the edit was written back again, fault hunt 42)
        stored = store.reviews()
    new = [r for r in stored if (r.card_id, r.time, r.rating) not in held]
    _append(mine, new)
    held_resets = set(resets) | set(_own(read_resets_file, resets_mine, None, notes))
    _append(resets_mine, [x for x in store.resets() if tuple(x) not in held_resets],
            RESETS_HEADER, lambda x: x)
    added = _sync_mistakes(folder, device, home, known_exercises) if home is not None else 0
    return Result(len(new), merged=merge.added, cards=cards, devices=len(others),
                  mistakes=added, renamed=renamed, conflicts=merge.conflicts, bad=bad,
                  notes=notes)


def _own(read, path: Path, now_ms: int | None, notes: list[str]) -> list:
    """What `read` gives of this machine's own file. One that cannot be read (a sync tool's
    damaged copy, a bad row typed in) is set aside, beside it under a name no machine reads,
    and written anew from this machine's store (every answer it holds is there): refused at
    every sync, it had stopped this machine's answers from leaving it."""
    if not path.exists():
        return []
    try:
        return read(path, now_ms)
    except PrepError as e:
        stem = f"{path.name}.damaged-{time.strftime('%Y%m%d-%H%M%S')}"
        aside = unused(lambda n: path.with_name(stem + n))
        try:
            os.replace(path, aside)
        except OSError as err:
            raise PrepError(f"{e}; and it cannot be set aside: {err.strerror}") from None
        notes.append(f"{e}\nThis machine's file: set aside as {aside.name} and written anew "
                     "from this machine's store.")
        return []


def _or_none(read, path: Path, now_ms: int | None, bad: list[str]) -> list:
    """What `read` gives of another machine's file; none when it cannot be read (its
    error kept in `bad`)."""
    try:
        return read(path, now_ms)
    except PrepError as e:
        bad.append(str(e))
        return []


def _sync_mistakes(folder: Path, device: str, home: Path, known_exercises) -> int:
    """Add the cards of the other machines' mistake decks, then copy this machine's deck to
    its own file in the folder. Each copy is read as a deck (every check of `prep check`):
    a bad file is an error naming it, and nothing is added from it."""
    from prepcli.cards import deck as deckmod
    from prepcli.drills import mistakes

    mine = folder / f"{MISTAKES_PREFIX}{device}{MISTAKES_SUFFIX}"
    added = 0
    for other in sorted(folder.glob(f"{MISTAKES_PREFIX}*{MISTAKES_SUFFIX}")):
        if other == mine:
            continue
        deck, problems = deckmod.load(other, known_exercises)
        if problems:
            raise PrepError(f"{len(problems)} problem(s) in a synced mistakes deck; nothing "
                            "was added from it:\n  " + "\n  ".join(map(str, problems[:20])))
        added += mistakes.merge(home, [c.to_dict() for c in deck.cards] if deck else [])
    own = mistakes.path(home)
    there = regular_file(mine, "this machine's copy of the mistakes deck",
                         "delete it (prep sync writes it again)")
    try:
        text = own.read_text(encoding="utf-8") if mistakes.exists(home) else None
        if text is not None and (not there or mine.read_text(encoding="utf-8") != text):
            deckmod.write(text, mine)
    except OSError as e:
        raise PrepError(f"cannot copy the mistakes deck: {e.strerror}", file=str(mine)) from None
    return added


def _review_row(r) -> list:
    return [r.card_id, r.time, r.rating, "" if r.duration_ms is None else r.duration_ms,
            r.before.state]


def _append(path: Path, reviews, header: str = HEADER, row=_review_row) -> None:
    """Append rows (`row(item)` each), each a whole line; first cut off a last line left
    half-written by a crash (only this machine writes this file, so that line is its own)."""
    try:
        if path.exists():
            data = path.read_bytes()
            if data.startswith((b"\xff\xfe", b"\xfe\xff")):
                # (saved as UTF-16 by an editor: written again in UTF-8, its complete lines,
                # before rows are added; UTF-8 rows after UTF-16 ones were read by no machine,
                # and the file grew at every sync)
                write_aside(path, _complete_text(path).encode("utf-8")).replace(path)
                data = path.read_bytes()
            end = data.rfind(b"\n") + 1
            if end != len(data):
                with open(path, "r+b") as f:
                    f.truncate(end)
        if not reviews and path.exists():
            return
        with open(path, "a", encoding="utf-8", newline="") as f:
            if f.tell() == 0:
                f.write(header)
            w = csv.writer(f, lineterminator="\n")
            for r in reviews:
                w.writerow(row(r))
            f.flush()
            os.fsync(f.fileno())
    except OSError as e:
        raise PrepError(f"cannot write: {e.strerror}", file=str(path)) from None
