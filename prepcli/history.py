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

import csv
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone, tzinfo
from pathlib import Path

from prepcli.errors import FAILED, PrepError
from prepcli.scheduler import CardState, Scheduler, from_ms

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


def read_csv(path: Path) -> list[Row]:
    """Every row, validated. Any bad row: PrepError listing them (file:line: message)."""
    try:
        f = open(path, newline="", encoding="utf-8-sig")
    except OSError as e:
        raise PrepError(f"cannot read: {e.strerror}", file=str(path)) from None
    with f:
        reader = csv.DictReader(f)
        header = reader.fieldnames or []
        missing = [c for c in REQUIRED if c not in header]
        if missing:
            raise PrepError(f"missing column(s) {', '.join(missing)}; the header must have "
                            f"{', '.join(REQUIRED)} (and may have review_duration, "
                            "review_state)", file=str(path), line=1)
        rows, problems = [], []
        for row in reader:
            line = reader.line_num
            try:
                rows.append(_row(row, line))
            except ValueError as e:
                problems.append(f"{path}:{line}: {e}")
    if problems:
        shown = problems[:MAX_LISTED]
        more = len(problems) - len(shown)
        raise PrepError(f"{len(problems)} bad row(s); nothing was imported:\n  "
                        + "\n  ".join(shown) + (f"\n  … and {more} more" if more else ""),
                        code=FAILED)
    return rows


def _row(row: dict, line: int) -> Row:
    cid = (row.get("card_id") or "").strip()
    if not cid:
        raise ValueError("empty card_id")
    raw_time = (row.get("review_time") or "").strip()
    try:
        if raw_time.isdigit():
            t = int(raw_time)
        else:
            dt = datetime.fromisoformat(raw_time.replace("Z", "+00:00"))
            if dt.tzinfo is None:
                raise ValueError(f"review_time {raw_time!r} has no time zone (add +00:00)")
            t = round(dt.timestamp() * 1000)
    except ValueError as e:
        raise ValueError(str(e) if "time zone" in str(e) else
                         f"review_time {raw_time!r} is not ISO-8601 or epoch milliseconds") from None
    rating = (row.get("review_rating") or "").strip()
    if rating not in ("1", "2", "3", "4"):
        raise ValueError(f"review_rating {rating!r} must be 1, 2, 3 or 4")
    dur = (row.get("review_duration") or "").strip()
    if dur and not (dur.isdigit()):
        raise ValueError(f"review_duration {dur!r} must be whole milliseconds ≥ 0")
    state = (row.get("review_state") or "").strip()
    if state and state not in ("0", "1", "2", "3"):
        raise ValueError(f"review_state {state!r} must be 0, 1, 2 or 3")
    return Row(cid, t, int(rating), int(dur) if dur else None, int(state) if state else None,
               line)


@dataclass
class Plan:
    histories: dict[str, list[tuple[int, int, int | None]]]  # card -> (time, rating, duration)
    added: int
    already: int


def plan(rows: list[Row], existing: dict[str, list]) -> Plan:
    """Merge the file's reviews into each card's history; `existing` maps a card id to its
    stored reviews (objects with time, rating, duration_ms)."""
    new_by_card: dict[str, list[Row]] = defaultdict(list)
    for r in rows:
        new_by_card[r.card_id].append(r)
    histories, added, already = {}, 0, 0
    for cid, mine in new_by_card.items():
        have = {(x.time, x.rating): x for x in existing.get(cid, [])}
        merged = {k: (x.time, x.rating, x.duration_ms) for k, x in have.items()}
        fresh = 0
        for r in mine:
            if (r.time, r.rating) in merged:
                already += 1
            else:
                merged[(r.time, r.rating)] = (r.time, r.rating, r.duration)
                fresh += 1
        if fresh:
            histories[cid] = sorted(merged.values())
            added += fresh
    return Plan(histories, added, already)


def replay(card_id: str, events: list[tuple[int, int, int | None]], scheduler: Scheduler):
    """(time, rating, duration, before, after) for each review, from a new card on."""
    out, s = [], CardState()
    for t, rating, dur in events:
        after = scheduler.review(card_id, s, rating, from_ms(t))
        out.append((t, rating, dur, s, after))
        s = after
    return out


def write_csv(path: Path, reviews) -> int:
    """Write reviews (time order) in the optimizer's layout; returns how many."""
    n = 0
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(COLUMNS)
        for r in reviews:
            w.writerow([r.card_id, from_ms(r.time).isoformat(), r.rating,
                        "" if r.duration_ms is None else r.duration_ms, r.before.state])
            n += 1
    tmp.replace(path)
    return n


def training_items(reviews, tz: tzinfo = timezone.utc, day_starts_at: int = 4
                   ) -> list[tuple[int, list[tuple[int, int]]]]:
    """Reviews as FSRS training items, the way Anki makes them: per card in time order, days
    counted from a `day_starts_at` day start in `tz`, one item per review after the card's
    first (the history up to and including it, as (rating, days since the previous review)),
    kept where that review came on a later day than the one before; items in time order."""
    by_card: dict[str, list] = defaultdict(list)
    for r in reviews:
        by_card[r.card_id].append(r)
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
