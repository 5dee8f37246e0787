"""Exercises as scheduled items: a drill review is an act of recall, not a replay.

An exercise has a scheduling state in the store like a card, under the id `exercise:<id>`.
When it is due (or the user asks for a fresh attempt), `prep drill` starts from the pristine
stub and keeps the previous attempt under `exercises/.attempts/<id>/<time>.py`; opening the
old file deliberately (`--continue`), or one not due, is practice.

A grade counts as a review only if all of these hold:
- it belongs to a review attempt (from the stub), not practice;
- something is implemented;
- its bytes are new: their hash differs from every earlier graded version of the exercise
  (re-grading an unchanged, passing file proves nothing);
- it is the exercise's first review of the study day, or a pass after that day's failure
  (re-grading every save must not turn one sitting into a string of Agains).
A pass counts as Good; with hints as Hard; after the reference solution was shown as Again
(as Anki counts a card whose answer you peeked at); a failure as Again.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Callable

from prepcli.cards.deck import RESERVED_PREFIX
from prepcli.catalog import EXERCISES
from prepcli.errors import PrepError
from prepcli.paths import exercise_file_problem, unused
from prepcli.review.scheduler import (AGAIN, GOOD, HARD, NEW, CardState, Scheduler, answer_time,
                                      from_ms, ms)
from prepcli.review.session import day_start
from prepcli.review.store import Conflict, Store

PREFIX = RESERVED_PREFIX  # an exercise's id in the store; decks may not use it
ATTEMPTS = ".attempts"  # beside the exercise files: <dir>/.attempts/<id>/<time>.py
REVIEW, PRACTICE = "review", "practice"


DueOf = Callable[[str, CardState], "int | None"]  # (id, state) -> due time under prep plan


def card_id(exercise: str) -> str:
    return PREFIX + exercise


def rating_for(passed: bool, hints: int, solution_shown: bool) -> int:
    if not passed or solution_shown:
        return AGAIN
    return HARD if hints else GOOD


def record(store: Store, scheduler: Scheduler, report, now: datetime, day_starts_at: int = 4,
           *, kind: str = REVIEW, seconds: float | None = None, hints: int = 0,
           solution_shown: bool = False) -> bool:
    """Log the grade; schedule it as a review when it counts. Returns whether it did."""
    cid = card_id(report.exercise)
    rating = rating_for(report.passed, hints, solution_shown)
    summary = (report.parts_passed, len(report.parts), report.cases_passed, len(report.cases),
               report.passed)
    secs = None if seconds is None else int(seconds)
    # Whether it counts is decided on what the store holds, and holds still when it is
    # written: two grades of one file at once both counted as reviews (fault hunt 18), each
    # having read the store before the other wrote. A grade logged meanwhile is a Conflict:
    # decided again.
    when = answer_time(now)
    for _ in range(3):
        grades = store.grades(report.exercise)
        counts = (kind == REVIEW and bool(report.implemented)
                  and report.file_hash not in {g.file_hash for g in grades})
        if counts:
            today = store.reviews(since=ms(day_start(now, day_starts_at)), card_id=cid)
            counts = not today or (rating > AGAIN and today[-1].rating == AGAIN)
        if not counts:
            break
        before = store.state(cid)
        review = (cid, before, scheduler.review(cid, before, rating, now), rating)
        try:
            store.record_exercise_grade(report.exercise, when, summary, report.file_hash,
                                        kind, secs, hints, solution_shown, review,
                                        grades_seen=len(grades))
            return True
        except Conflict:  # another prep graded or reviewed it meanwhile: decided again
            continue
    store.record_exercise_grade(report.exercise, when, summary, report.file_hash, kind,
                                secs, hints, solution_shown, None)
    return False


def is_due(store: Store, exercise: str, now: datetime, due_of: DueOf | None = None) -> bool:
    """Never reviewed, or its review is due (by `due_of`, the plan's due date, if given)."""
    s = store.state(card_id(exercise))
    due = due_of(card_id(exercise), s) if due_of else s.due
    return s.state == NEW or (due is not None and from_ms(due) <= now)


@dataclass
class Attempt:
    exercise: str
    file: Path
    kind: str  # REVIEW (from the stub) or PRACTICE (on the file already there)
    started: datetime
    previous: Path | None = None  # the previous attempt, kept under .attempts/
    wrote_stub: bool = False


def attempts_dir(directory: Path, exercise: str) -> Path:
    return directory / ATTEMPTS / exercise


def kept_attempts(directory: Path, exercise: str) -> list[Path]:
    """The previous attempts kept, oldest first."""
    folder = attempts_dir(directory, exercise)
    return sorted(folder.glob("*.py")) if folder.is_dir() else []


def start(directory: Path, exercise: str, now: datetime, *, due: bool, fresh: bool = False,
          keep: bool = False) -> Attempt:
    """Decide what this drill works on. `keep` (--continue): the file as it is, as practice.
    Due or `fresh`: the pristine stub, the file there before kept under .attempts/ (unless it
    is the stub itself). Otherwise the file as it is, as practice (the stub if none)."""
    ex = EXERCISES[exercise]
    file = directory / ex.file
    _check_places(file, directory, exercise)
    stub = ex.stub_path.read_bytes()
    if keep:
        if not file.exists():
            raise PrepError(f"nothing to continue: {file} does not exist (start it with "
                            f"prep drill {exercise})", file=str(file))
        return Attempt(exercise, file, PRACTICE, now, _last(directory, exercise))
    if file.exists() and not (due or fresh):
        return Attempt(exercise, file, PRACTICE, now, _last(directory, exercise))
    previous = None
    try:
        if file.exists() and file.read_bytes() != stub:
            previous = _keep(file, attempts_dir(directory, exercise), now)
        directory.mkdir(parents=True, exist_ok=True)
        wrote = not file.exists() or file.read_bytes() != stub
        if wrote:
            file.write_bytes(stub)
    except OSError as e:
        raise PrepError(f"cannot write the exercise file: {e.strerror}",
                        file=e.filename or str(file)) from None
    return Attempt(exercise, file, REVIEW, now, previous or _last(directory, exercise), wrote)


def _check_places(file: Path, directory: Path, exercise: str) -> None:
    """Refuse what a drill must not read or write through: a link where the exercise file or
    its attempts folder goes (a cloned repository's `exercises/nms.py -> ~/.bashrc` had the
    stub written over that file, `.attempts -> elsewhere` the old attempt copied there, a
    link to nothing a file made at its target), a file that is no regular one (a named pipe
    blocked the drill for good), or one too large to be an exercise."""
    for p in (file, directory / ATTEMPTS, attempts_dir(directory, exercise)):
        if p.is_symlink():
            raise PrepError(f"a symbolic link (to {os.readlink(p)}): a drill writes here, and "
                            "prep writes no file through a link; replace it with a file or "
                            "folder of its own", file=str(p))
    why = exercise_file_problem(file) if os.path.lexists(file) else None
    if why:
        raise PrepError(why, file=str(file))


def _last(directory: Path, exercise: str) -> Path | None:
    kept = kept_attempts(directory, exercise)
    return kept[-1] if kept else None


def _keep(file: Path, folder: Path, now: datetime) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    stamp = f"{now:%Y-%m-%dT%H%M%S}"
    target = unused(lambda n: folder / f"{stamp}{n}.py")
    shutil.copy2(file, target)
    return target


def diff(previous: Path, current: Path) -> str:
    """The previous attempt against this one, as a unified diff ('' if identical)."""
    import difflib

    old = previous.read_text(encoding="utf-8", errors="replace").splitlines(keepends=True)
    new = current.read_text(encoding="utf-8", errors="replace").splitlines(keepends=True)
    return "".join(difflib.unified_diff(old, new, f"previous: {previous.name}",
                                        f"this attempt: {current.name}"))


@dataclass
class Status:
    exercise: str
    title: str
    parts: tuple[str, ...]
    attempts: int
    last: object | None  # store.Grade
    best_parts: int
    state: CardState
    due: datetime | None
    retrievability: float


def statuses(store: Store, scheduler: Scheduler, now: datetime,
             due_of: DueOf | None = None) -> list[Status]:
    grades = store.grades()
    out = []
    for ex in EXERCISES.values():
        mine = [g for g in grades if g.exercise == ex.id]
        s = store.state(card_id(ex.id))
        due = due_of(card_id(ex.id), s) if due_of else s.due
        out.append(Status(ex.id, ex.title, ex.parts, len(mine), mine[-1] if mine else None,
                          max((g.parts_passed for g in mine), default=0), s,
                          from_ms(due) if due is not None and s.state != NEW else None,
                          scheduler.retrievability(s, now)))
    return out


def most_due(store: Store, scheduler: Scheduler, now: datetime,
             due_of: DueOf | None = None) -> str | None:
    """The exercise to drill now: the due one you are most likely to have forgotten (the
    most overdue), else one never tried yet (in table order); None when none is due."""
    st = statuses(store, scheduler, now, due_of)
    due = [s for s in st if s.due is not None and s.due <= now]
    if due:
        return min(due, key=lambda s: s.retrievability).exercise
    fresh = [s for s in st if s.state.state == NEW]
    return fresh[0].exercise if fresh else None


# --- a drill: one exercise, worked on until it passes -----------------------------------

def description(exercise: str, stub_text: str) -> str:
    """The stub's docstring as Markdown: prose as it is, the >>> examples as a code block."""
    import ast

    doc = ast.get_docstring(ast.parse(stub_text)) or EXERCISES[exercise].title
    lines, out, in_code = doc.split("\n"), [], False
    for ln in lines:
        if ln.startswith(">>>") and not in_code:
            out.append("```python")
            in_code = True
        out.append(ln)
    if in_code:
        out.append("```")
    title = EXERCISES[exercise].title
    return f"# {exercise}: {title}\n\n" + "\n".join(out)


def reference_source(exercise: str) -> str:
    """The reference solution: the reference functions and the helpers they call (functions
    of the exercise's module or of the catalog, e.g. its shared box helpers)."""
    import inspect
    import re

    ex = EXERCISES[exercise]
    wanted = [ex.references[f] for f in ex.functions if f in ex.references]
    seen: list = []
    while wanted:
        fn = wanted.pop(0)
        if fn in seen:
            continue
        seen.append(fn)
        src = inspect.getsource(fn)
        for name in re.findall(r"\b([A-Za-z_]\w*)\(", src):
            h = fn.__globals__.get(name)
            if inspect.isfunction(h) and h not in seen and (
                    h.__module__ == fn.__module__ or h.__module__.startswith("prepcli.catalog.")):
                wanted.append(h)
    return "\n\n".join(inspect.getsource(f) for f in reversed(seen))


@dataclass
class Drill:
    """What a drill session knows: the exercise, the last grade, the hints shown, and (for
    recording) what kind of attempt it is and when it started."""

    exercise: str
    file: Path
    grade: Callable  # (progress or None) -> grader.Report
    on_report: Callable | None = None  # (Report) -> None, e.g. `recorder(...)`
    kind: str = REVIEW
    started: datetime | None = None
    previous: Path | None = None  # the previous attempt, for the diff after a pass
    hints_shown: int = 0
    report: object = None
    reference_shown: bool = False
    solution_seen: bool = False  # the reference was shown at some point in this attempt
    reveal_armed: bool = False
    grades: int = 0
    reviews: list = field(default_factory=list)  # the grades that counted as reviews

    @classmethod
    def of(cls, attempt: Attempt, grade: Callable, on_report: Callable | None = None) -> "Drill":
        return cls(attempt.exercise, attempt.file, grade, on_report, attempt.kind,
                   attempt.started, attempt.previous)

    @property
    def hints(self) -> tuple[str, ...]:
        return EXERCISES[self.exercise].hints

    def next_hint(self) -> str:
        if self.hints_shown >= len(self.hints):
            return "no more hints: s shows the reference solution"
        self.hints_shown += 1
        return f"hint {self.hints_shown} of {len(self.hints)}"

    def request_reference(self) -> str:
        """Show the reference after a pass; before one, only on a second `s`."""
        if self.reference_shown:
            self.reference_shown = False
            return "reference hidden"
        if (self.report is not None and self.report.passed) or self.reveal_armed:
            self.reference_shown, self.reveal_armed = True, False
            self.solution_seen = True
            return "reference solution shown (s hides it)"
        self.reveal_armed = True
        return ("you have not passed yet: press s again to see the reference solution anyway "
                "(a pass after it counts as Again)")

    def diff(self) -> str:
        if self.previous is None or not self.previous.exists() or not self.file.exists():
            return ""
        return diff(self.previous, self.file)

    def accept(self, report):
        """Take a new grade (on the thread that owns the store: it is recorded there)."""
        self.report = report
        self.grades += 1
        if self.on_report is not None:
            self.on_report(report)
        return report

    def regrade(self):
        return self.accept(self.grade(None))


def recorder(drill: Drill, store: Store, scheduler: Scheduler, clock: Callable[[], datetime],
             day_starts_at: int = 4) -> Callable:
    """The `on_report` that records each grade of `drill` in the store, with the attempt's
    kind, time spent, hints and whether the solution was seen."""
    def on_report(report) -> None:
        now = clock()
        secs = (now - drill.started).total_seconds() if drill.started else None
        if record(store, scheduler, report, now, day_starts_at, kind=drill.kind, seconds=secs,
                  hints=drill.hints_shown, solution_shown=drill.solution_seen):
            drill.reviews.append(report)
    return on_report
