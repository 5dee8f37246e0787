"""Review history in and out, in the CSV layout of the FSRS optimizer tools, and training
items for fitting FSRS.

CSV columns: card_id, review_time (ISO-8601 with a time zone, or epoch milliseconds),
review_rating (1 Again .. 4 Easy), review_duration (ms, may be empty), and optionally
review_state (0 new, 1 learning, 2 review, 3 relearning: the card's state before the review).

Importing merges: for every card with new reviews, its whole history (what the store had and
what the file adds, by time) is replayed through the scheduler, so each review's state before
and after is exact. A review already in the store (same card, time and rating) is not added
twice, so importing the same file again changes nothing.
"""

from __future__ import annotations

import bisect
import csv
import stat
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone, tzinfo
from pathlib import Path

from prepcli.errors import FAILED, PrepError
from prepcli.review.scheduler import EARLIEST_MS, CardState, Scheduler, from_ms

REQUIRED = ("card_id", "review_time", "review_rating")
COLUMNS = ("card_id", "review_time", "review_rating", "review_duration", "review_state")
MAX_LISTED = 20


@dataclass(frozen=True)
class Row:
    card_id: str
    time: int  # UTC epoch ms
    rating: int
    duration: int | None
    state: int | None = None
    line: int = 0


# Reviews are accepted from 2000 on (before any spaced-repetition app wrote these files) up to
# a day after now: a clock on another machine may run hours fast (one keeping local time as
# UTC, after a dual boot), not years. (At 10 minutes, a machine 2 h fast stopped every sync of
# the others, and one 2 h slow never wrote its answers out: fault hunt 12.)
CLOCK_SKEW_MS = 86_400_000
# A time no review can have, whatever the clock says (past it, dates overflow when a card's
# history is replayed: year 10000)
LATEST_MS = 4_102_444_800_000  # 2100-01-01T00:00:00Z
FIELD_LIMIT = 4096  # a card id or a time is short; a 128 KB field is not a review
MAX_LINE = 1 << 20  # bytes: a longer line is not read on (a file of one huge line)


def _text(path: Path) -> str:
    """The file as text: UTF-8 (with or without BOM), or UTF-16 with a BOM. Anything else is
    refused with the line of the first byte that is not UTF-8."""
    try:
        mode = path.stat().st_mode
        if stat.S_ISDIR(mode):
            raise PrepError("is a folder, not a CSV file", file=str(path))
        if not stat.S_ISREG(mode):  # a pipe or a device (/dev/zero) may never end: not read
            raise PrepError("not a regular file (a pipe or a device): give a CSV file",
                            file=str(path))
        data = _read_lines(path)
    except IsADirectoryError:
        raise PrepError("is a folder, not a CSV file", file=str(path)) from None
    except OSError as e:
        raise PrepError(f"cannot read: {e.strerror}", file=str(path)) from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise PrepError("not valid UTF-16 text", file=str(path), line=1) from None
    if b"\0" in data[:200]:
        # UTF-16 without a byte-order mark (some Windows tools write it): every other byte of
        # ASCII text is NUL. Accepted when it decodes to a header that names card_id.
        for codec in ("utf-16-le", "utf-16-be"):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                continue
            if "card_id" in text.split("\n", 1)[0]:
                return text
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        raise PrepError("not UTF-8 text (byte 0x%02x): save the file as UTF-8" % data[e.start],
                        file=str(path), line=line) from None


def _read_lines(path: Path) -> bytes:
    """The file's bytes, refused (at the line's number) as soon as a line is longer than
    MAX_LINE: a file of one huge line is not read whole into memory first."""
    out, start = bytearray(), 0  # start: where the line being read begins
    with open(path, "rb") as f:
        while chunk := f.read(MAX_LINE):  # a line inside one chunk is short enough
            base = len(out)
            out += chunk
            first = out.find(b"\n", base)
            if (first if first >= 0 else len(out)) - start > MAX_LINE:
                raise PrepError(f"a line longer than {MAX_LINE >> 20} MB: not a review file "
                                "(is this the right file?)", file=str(path),
                                line=out.count(b"\n", 0, start) + 1)
            if first >= 0:
                start = out.rfind(b"\n", base) + 1
    return bytes(out)


def read_csv(path: Path, now_ms: int | None = None) -> list[Row]:
    """Every row, validated. Any bad row: PrepError listing them (file:line: message).
    With `now_ms`, reviews dated after now (beyond a small clock skew) are bad rows."""
    import io

    text = _text(path)
    if "\0" in text:
        line = text.count("\n", 0, text.index("\0")) + 1
        raise PrepError("contains a NUL byte: not a CSV text file", file=str(path), line=line)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    rows, problems = [], []
    with field_limit():
        try:
            header = reader.fieldnames or []
        except csv.Error as e:
            raise csv_error(e, path, 1) from None
        missing = [c for c in REQUIRED if c not in header]
        if missing:
            raise PrepError(f"missing column(s) {', '.join(missing)}; the header must have "
                            f"{', '.join(REQUIRED)} (and may have review_duration, "
                            "review_state)", file=str(path), line=1)
        line = 1
        while True:
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as e:
                # the line being read when it failed
                raise csv_error(e, path, reader.line_num + 1) from None
            start, line = line + 1, reader.line_num
            if any("\n" in v for v in row.values() if isinstance(v, str)):
                # (no field of a review holds a line break: a quote left open took the lines
                # after it, to the next quote or the end of the file)
                problems.append(f"{path}:{start}: a quote (\") opened on this line is closed "
                                f"only at line {line}: remove the stray quote")
                continue
            try:
                rows.append(parse_row(row, line, now_ms))
            except ValueError as e:
                problems.append(f"{path}:{line}: {e}")
    if problems:
        shown = problems[:MAX_LISTED]
        more = len(problems) - len(shown)
        raise PrepError(f"{len(problems)} bad row(s); nothing was imported:\n  "
                        + "\n  ".join(shown) + (f"\n  … and {more} more" if more else ""),
                        code=FAILED)
    return rows


@contextmanager
def field_limit():
    """CSV fields of at most FIELD_LIMIT characters while reading (csv.Error past it)."""
    old = csv.field_size_limit(FIELD_LIMIT)
    try:
        yield
    finally:
        csv.field_size_limit(old)


def csv_error(e: csv.Error, path: Path, line: int) -> PrepError:
    if "field larger" in str(e):
        return PrepError(f"a field longer than {FIELD_LIMIT} characters: not a review (is this "
                         "the right file?)", file=str(path), line=line)
    return PrepError(f"not valid CSV: {e}", file=str(path), line=line)


def parse_row(row: dict, line: int, now_ms: int | None = None) -> Row:
    """One row, checked; ValueError says what is wrong. A time later than `now_ms` by more
    than CLOCK_SKEW_MS (another clock's lead) is in the future."""
    if None in row:  # (csv.DictReader's key for the fields past the header's)
        raise ValueError(f"{len(row[None])} field(s) more than the header names")
    cid = (row.get("card_id") or "").strip()
    if not cid:
        raise ValueError("empty card_id")
    raw_time = (row.get("review_time") or "").strip()
    try:
        if raw_time.isascii() and raw_time.isdigit():
            t = int(raw_time)
        else:
            dt = datetime.fromisoformat(raw_time.replace("Z", "+00:00"))
            if dt.tzinfo is None:
                raise ValueError(f"review_time {raw_time!r} has no time zone (add +00:00)")
            t = round(dt.timestamp() * 1000)
    except (ValueError, OverflowError) as e:
        raise ValueError(str(e) if "time zone" in str(e) else
                         f"review_time {raw_time!r} is not ISO-8601 or epoch milliseconds") from None
    if t < EARLIEST_MS:
        raise ValueError(f"review_time {raw_time!r} is before 2000 (epoch milliseconds, "
                         "not seconds?)")
    if t > LATEST_MS:
        raise ValueError(f"review_time {raw_time!r} is in the future")
    if now_ms is not None and t > now_ms + CLOCK_SKEW_MS:
        ahead = (t - now_ms) / 3_600_000
        raise ValueError(f"review_time {raw_time!r} is in the future ("
                         + (f"{ahead:.1f} h" if ahead < 48 else f"{ahead / 24:,.0f} days")
                         + " ahead of this machine's clock: is a clock wrong?)")
    rating = (row.get("review_rating") or "").strip()
    if rating not in ("1", "2", "3", "4"):
        raise ValueError(f"review_rating {rating!r} must be 1, 2, 3 or 4")
    dur = (row.get("review_duration") or "").strip()
    if dur and not (dur.isascii() and dur.isdigit() and len(dur) <= 10):
        raise ValueError(f"review_duration {dur!r} must be whole milliseconds ≥ 0")
    state = (row.get("review_state") or "").strip()
    if state and state not in ("0", "1", "2", "3"):
        raise ValueError(f"review_state {state!r} must be 0, 1, 2 or 3")
    return Row(cid, t, int(rating), int(dur) if dur else None, int(state) if state else None,
               line)


@dataclass
class Merge:
    """The file's reviews, by card, merged into each card's stored history on demand (inside
    the store's write transaction: see `Store.merge_histories`). Counts what it did."""
    rows: list[Row]
    scheduler: Scheduler
    added: int = 0
    already: int = 0
    conflicts: int = 0  # one card at one instant given a second, lower rating: it is kept

    # times cards were reset elsewhere (card id, time): a history starts again after one
    resets: list[tuple[str, int]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.by_card: dict[str, list[Row]] = defaultdict(list)
        for r in self.rows:
            self.by_card[r.card_id].append(r)
        self.resets_by_card: dict[str, set[int]] = defaultdict(set)
        for cid, t in self.resets:
            self.resets_by_card[cid].add(t)
            self.by_card.setdefault(cid, [])

    def __call__(self, cid: str, stored, had: list[int] = ()) -> list | None:
        """The card's whole new history, replayed from new and again after each reset (None
        when the file adds nothing). `had`: the times the store has the card reset. A card
        is answered once at one instant: a second rating there (a row edited by hand) is no
        second review; the lower of the two is kept, whichever came first, so that machines
        that saw both agree."""
        merged: dict[int, tuple] = {}
        changed = False
        for x in stored:  # (a history stored twice at one instant before: made one)
            changed |= self._put(merged, (x.time, x.rating, x.duration_ms)) != "new"
        reset_at = sorted(set(had) | self.resets_by_card.get(cid, set()))
        changed |= len(reset_at) > len(had)  # (a reset the store had not: its states change)
        fresh = already = 0
        for r in self.by_card[cid]:
            how = self._put(merged, (r.time, r.rating, r.duration))
            fresh += how == "new"
            already += how == "same"
            changed |= how == "lower"
        self.already += already
        if not (fresh or changed):
            return None
        self.added += fresh
        return replay(cid, sorted(merged.values()), self.scheduler, reset_at)

    def _put(self, merged: dict[int, tuple], event: tuple) -> str:
        old = merged.get(event[0])
        if old is None:
            merged[event[0]] = event
            return "new"
        if event[1] >= old[1]:  # (the same review, or a higher rating the lower one beats)
            return "same"
        self.conflicts += 1
        merged[event[0]] = (event[0], event[1], old[2])
        return "lower"


def replay(card_id: str, events: list[tuple[int, int, int | None]], scheduler: Scheduler,
           reset_at: list[int] = ()):
    """(time, rating, duration, before, after) for each review, from a new card on; the card
    is new again after each time in `reset_at` (sorted)."""
    out, s = [], CardState()
    k = 0
    for t, rating, dur in events:
        while k < len(reset_at) and reset_at[k] < t:
            s, k = CardState(), k + 1
        after = scheduler.review(card_id, s, rating, from_ms(t))
        out.append((t, rating, dur, s, after))
        s = after
    return out


def write_csv(path: Path, reviews) -> int:
    """Write reviews (time order) in the optimizer's layout, atomically; returns how many."""
    from prepcli.interop.output import head, replace_file

    def write(tmp: Path) -> int:
        n = 0
        with open(tmp, "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(COLUMNS)
            for r in reviews:
                w.writerow([r.card_id, from_ms(r.time).isoformat(), r.rating,
                            "" if r.duration_ms is None else r.duration_ms, r.before.state])
                n += 1
        return n

    header = ",".join(COLUMNS).encode()
    return replace_file(path, write, "reviews in prep's CSV layout",
                        lambda p: head(p).lstrip(b"\xef\xbb\xbf").startswith(header))


def training_items(reviews, tz: tzinfo = timezone.utc, day_starts_at: int = 4,
                   resets: list[tuple[str, int]] = ()
                   ) -> list[tuple[int, list[tuple[int, int]]]]:
    """Reviews as FSRS training items, the way Anki makes them: per card in time order, days
    counted from a `day_starts_at` day start in `tz`, one item per review after the card's
    first (the history up to and including it, as (rating, days since the previous review)),
    kept where that review came on a later day than the one before; items in time order. A
    card reset (`resets`: card id, time) starts a history of its own, as in Anki."""
    reset_at: dict[str, list[int]] = defaultdict(list)
    for cid, t in sorted(resets, key=lambda x: x[1]):
        reset_at[cid].append(t)
    by_card: dict[tuple[str, int], list] = defaultdict(list)
    for r in reviews:
        by_card[(r.card_id, bisect.bisect_left(reset_at[r.card_id], r.time)
                 if r.card_id in reset_at else 0)].append(r)
    shift = timedelta(hours=day_starts_at)
    items = []
    for revs in by_card.values():
        revs.sort(key=lambda r: (r.time, r.id if hasattr(r, "id") else 0))
        days = [(from_ms(r.time).astimezone(tz) - shift).date() for r in revs]
        seq: list[tuple[int, int]] = []
        for i, (r, d) in enumerate(zip(revs, days)):
            dt = 0 if i == 0 else (d - days[i - 1]).days
            seq.append((r.rating, dt))
            if i > 0 and dt > 0:
                items.append((r.time, list(seq)))
    items.sort(key=lambda x: x[0])
    return items
