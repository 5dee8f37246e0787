"""Exercises as scheduled items: a grade becomes a review, and `prep drill` brings back the
exercise you are most likely to have forgotten.

An exercise has a scheduling state in the store like a card, under the id `exercise:<id>`.
A full pass counts as Good, a failure as Again. Re-grading every save must not turn one
sitting into a string of Agains, so a grade is a review only if it is the exercise's first
graded attempt of the study day, or a pass after that day's failure (the exercise graduates).
A file with nothing implemented is not an attempt.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from prepcli.catalog import EXERCISES
from prepcli.scheduler import AGAIN, GOOD, NEW, CardState, Scheduler, from_ms, ms
from prepcli.session import day_start
from prepcli.store import Conflict, Store

PREFIX = "exercise:"


def card_id(exercise: str) -> str:
    return PREFIX + exercise


def record(store: Store, scheduler: Scheduler, report, now: datetime,
           day_starts_at: int = 4) -> bool:
    """Log the grade; schedule it as a review when it counts. Returns whether it did."""
    store.record_grade(report.exercise, ms(now), report.parts_passed, len(report.parts),
                       report.cases_passed, len(report.cases), report.passed, report.file_hash)
    if not report.implemented:
        return False
    cid = card_id(report.exercise)
    today = [r for r in store.reviews(since=ms(day_start(now, day_starts_at)), card_id=cid)]
    rating = GOOD if report.passed else AGAIN
    if today and not (rating == GOOD and today[-1].rating == AGAIN):
        return False
    for _ in range(3):
        before = store.state(cid)
        try:
            store.record(cid, before, scheduler.review(cid, before, rating, now), rating, ms(now),
                         None)
            return True
        except Conflict:
            continue
    return False


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


def statuses(store: Store, scheduler: Scheduler, now: datetime) -> list[Status]:
    grades = store.grades()
    out = []
    for ex in EXERCISES.values():
        mine = [g for g in grades if g.exercise == ex.id]
        s = store.state(card_id(ex.id))
        out.append(Status(ex.id, ex.title, ex.parts, len(mine), mine[-1] if mine else None,
                          max((g.parts_passed for g in mine), default=0), s,
                          from_ms(s.due) if s.due is not None and s.state != NEW else None,
                          scheduler.retrievability(s, now)))
    return out


def most_due(store: Store, scheduler: Scheduler, now: datetime) -> str | None:
    """The exercise to drill now: the due one you are most likely to have forgotten, else
    one never passed yet (in table order); None when everything is done for now."""
    st = statuses(store, scheduler, now)
    due = [s for s in st if s.due is not None and s.due <= now + timedelta(hours=1)]
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
    """What a drill session knows: the exercise, the last grade, the hints shown."""

    exercise: str
    file: Path
    grade: object  # callable: () -> grader.Report
    on_report: object = None  # callable: (Report) -> None, e.g. record it in the store
    hints_shown: int = 0
    report: object = None
    reference_shown: bool = False
    reveal_armed: bool = False
    grades: int = 0

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
            return "reference solution shown (s hides it)"
        self.reveal_armed = True
        return "you have not passed yet: press s again to see the reference solution anyway"

    def accept(self, report):
        """Take a new grade (on the thread that owns the store: it is recorded there)."""
        self.report = report
        self.grades += 1
        if self.on_report is not None:
            self.on_report(report)
        return report

    def regrade(self):
        return self.accept(self.grade())
