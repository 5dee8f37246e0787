"""The mock interview screen (`prep mock`): cards, then coding questions, against the clock.

Cards are shown as in study, with an optional line to type the answer into (or answer aloud),
then self-rated; each answer goes through the study `Session`. Each coding question starts
from a fresh stub, is re-graded on every save (as in `prep drill`), and ends when it is
passed and the user moves on (`n`), or when its time is up. The mock's progress is stored
after every question (`prepcli.drills.mock.Mock`), so quitting at any time loses nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Callable

from prompt_toolkit.buffer import Buffer
from prompt_toolkit.filters import Condition
from prompt_toolkit.formatted_text import FormattedText
from prompt_toolkit.key_binding import KeyBindings
from prompt_toolkit.layout import ConditionalContainer, HSplit, Layout, VSplit, Window
from prompt_toolkit.layout.controls import BufferControl, FormattedTextControl

from prepcli.screens import render
from prepcli.drills.mock import Mock, Plan
from prepcli.review.scheduler import AGAIN, EASY, GOOD, HARD
from prepcli.review.session import Session
from prepcli.screens.ui import (_acting, _common_keys, _exit_on_signals, _Grading, _report_lines,
                                _size, _View, _window, application, footer_lines)

# the key lines, longest first (ui.footer_lines shows the first that fits)
CARD_KEYS = ("type your answer (optional) · enter: show the answer · Ctrl-C quit",
             "type your answer · enter: show it · Ctrl-C quit", "enter · Ctrl-C quit")
RATE_KEYS = ("1 Again · 2 Hard · 3 Good · 4 Easy (enter: Good) · q quit",
             "1 Again · 2 Hard · 3 Good · 4 Easy · q quit", "1 2 3 4 · q quit")
CODE_KEYS = ("save your file to grade it · r re-grade · h hint · n next question · e edit · "
             "q quit", "save to grade · r re-grade · h hint · n next · e edit · q quit",
             "r h n e · q quit", "q quit")


@dataclass
class _Question:
    kind: str = "card"  # card, exercise
    index: int = 0  # into the plan's cards or exercises
    shown_at: datetime | None = None
    deadline: datetime | None = None
    revealed: bool = False
    drill: object = None
    grading: object = None
    watcher: object = None
    answered: bool = False  # its answer stored: a retry (the mock's row not saved) stores only that


def run(mock: Mock, plan: Plan, session: Session, clock: Callable[[], datetime],
        start_exercise: Callable[[str, datetime], object], description: Callable[[str], str],
        **kw) -> dict:
    import asyncio

    return asyncio.run(run_async(mock, plan, session, clock, start_exercise, description, **kw))


async def run_async(mock: Mock, plan: Plan, session: Session, clock: Callable[[], datetime],
                    start_exercise: Callable[[str, datetime], object],
                    description: Callable[[str], str], *, color: bool = True,
                    editor_cmd: list[str] | None = None, watch: bool = True, input=None,
                    output=None) -> dict:
    """Run the mock to its end or until the user quits; returns the scorecard.
    `start_exercise(id, now)` writes the fresh stub and returns its `drills.Drill`."""
    import asyncio
    from datetime import timedelta

    from prepcli.screens import editor
    from prepcli.screens import report as reportmod

    view = _View()
    q = _Question()
    answer_box = Buffer(multiline=False)
    cards_end = mock.started + timedelta(minutes=plan.cards_minutes)
    total = len(plan.cards) + len(plan.exercises)
    state = {"completed": False}

    def width() -> int:
        return _size(app)[0]

    def body_height() -> int:
        return max(3, _size(app)[1] - 5)

    def lines() -> list[str]:
        w = width()
        if q.kind == "card" and q.index < len(plan.cards):
            c = plan.cards[q.index]
            out = render.render(c.question, w, color=color, bold=True)
            if q.revealed:
                out += ["", "─" * min(w, 60), ""]
                out += render.render(c.answer or "*(no answer yet)*", w, color=color)
            return out
        if q.kind == "exercise" and q.drill is not None:
            d = q.drill
            out = render.render(description(d.exercise) + f"\n\nYour file: `{d.file}`", w,
                                color=color)
            for i in range(d.hints_shown):
                out += [""] + render.render(f"**Hint {i + 1}.** {d.hints[i]}", w, color=color)
            if d.report is not None:
                out += ["", "─" * min(w, 60)] + _report_lines(reportmod, d.report, w, color)
            return out
        return []

    def clock_text(until: datetime | None, now: datetime) -> str:
        if until is None:
            return "--:--"
        secs = max(0, int((until - now).total_seconds()))
        return f"{secs // 60:02d}:{secs % 60:02d}"

    def header():
        now = clock()
        n = q.index + 1 + (len(plan.cards) if q.kind == "exercise" else 0)
        parts = [("class:title", " mock interview "), ("", f" question {min(n, total)}/{total} "),
                 ("class:dim", f" ({'card' if q.kind == 'card' else 'coding'}) ")]
        if q.kind == "exercise":
            parts.append(("class:message", f" ⏱ {clock_text(q.deadline, now)} left "))
            if q.grading is not None:
                parts += q.grading.verdict()
        parts.append(("class:dim", f"  total {clock_text(mock.deadline, now)} left"))
        return FormattedText(parts)

    def body():
        shown, _ = _window(lines(), view, body_height())
        return shown

    def footer():
        _, more = _window(lines(), view, body_height())
        keys = (CODE_KEYS if q.kind == "exercise" else RATE_KEYS if q.revealed else CARD_KEYS)
        return footer_lines([], view.message, more, keys, width())

    # --- moving through the questions -------------------------------------------------------

    def show_card(index: int) -> None:
        now = clock()
        if index >= len(plan.cards) or now >= cards_end:
            start_coding(0)
            return
        q.kind, q.index, q.revealed, q.shown_at = "card", index, False, now
        q.answered = False
        view.scroll = 0
        answer_box.reset()

    def rate(rating: int) -> None:
        if q.kind != "card" or not q.revealed:
            return
        now = clock()
        card = plan.cards[q.index]
        took = (now - q.shown_at).total_seconds() if q.shown_at else 0.0
        # (the answer, then the mock's row: where the second is not saved, a full disk, the
        # card stays on screen, and rating it again must not store its answer twice: fault
        # hunt 43, three reviews of one card)
        if not q.answered:
            session.answer(card, rating, now, int(took * 1000))
            q.answered = True
        mock.card(card, rating, took, now, answer_box.text)
        show_card(q.index + 1)

    def start_coding(index: int) -> None:
        now = clock()
        if index >= len(plan.exercises) or now >= mock.deadline:
            state["completed"] = True
            app.exit()
            return
        q.kind, q.index, q.revealed, q.shown_at = "exercise", index, False, now
        q.deadline = min(now + timedelta(minutes=plan.coding_minutes), mock.deadline)
        view.scroll, view.message = 0, ""
        q.drill = start_exercise(plan.exercises[index], now)
        q.grading = _Grading(q.drill, view, lambda: app)
        q.grading.on_grade = lambda report: passed_message(report)
        if watch:
            q.watcher = app.create_background_task(q.grading.watch())

    def passed_message(report) -> None:
        if report.passed:
            view.message = "passed: n for the next question"

    def end_coding(time_up: bool) -> None:
        """Record the coding question as it stands (its grades are already stored)."""
        now = clock()
        if q.watcher is not None:
            q.watcher.cancel()
            q.watcher = None
        mock.exercise(q.drill, (now - q.shown_at).total_seconds(), plan.coding_minutes,
                      time_up, now)
        q.drill = None

    async def ticker() -> None:
        """The clocks: a question whose time is up ends, and the screen is redrawn."""
        while True:
            await asyncio.sleep(0.25)
            now = clock()
            if q.kind == "card" and now >= cards_end:
                start_coding(0)
            elif q.kind == "exercise" and q.drill is not None and now >= q.deadline:
                end_coding(time_up=True)
                start_coding(q.index + 1)
                view.message = "time is up for that question: it is recorded as it stood"
            app.invalidate()

    # --- keys ---------------------------------------------------------------------------

    on_card = Condition(lambda: q.kind == "card")
    typing = Condition(lambda: q.kind == "card" and not q.revealed)
    rating = Condition(lambda: q.kind == "card" and q.revealed)
    coding = Condition(lambda: q.kind == "exercise" and q.drill is not None)
    kb = KeyBindings()

    act = _acting(view)

    @kb.add("enter", filter=typing)
    @act
    def _(event):
        q.revealed, view.scroll = True, 0

    @kb.add("enter", filter=rating)
    @kb.add(" ", filter=rating)
    @act
    def _(event):
        rate(GOOD)

    for r in (AGAIN, HARD, GOOD, EASY):
        kb.add(str(r), filter=rating)(act(lambda event, r=r: rate(r)))

    @kb.add("h", filter=coding)
    def _(event):
        view.message = q.drill.next_hint()

    @kb.add("r", filter=coding)
    def _(event):
        event.app.create_background_task(q.grading.regrade("grading…"))

    @kb.add("n", filter=coding)
    @act
    def _(event):
        end_coding(time_up=False)
        start_coding(q.index + 1)

    @kb.add("e", filter=coding)
    def _(event):
        if not editor_cmd:
            view.message = f"set $EDITOR to edit {q.drill.file} from here"
            return
        from prompt_toolkit.application import run_in_terminal

        file = q.drill.file

        def edit() -> None:
            view.message = editor.open_at(editor_cmd, file, 1) or view.message

        run_in_terminal(edit)

    _common_keys(kb, view, body_height, letters=~typing)

    box = ConditionalContainer(VSplit([
        Window(FormattedTextControl("your answer: "), width=13, style="class:dim"),
        Window(BufferControl(answer_box), height=1),
    ]), filter=on_card)
    layout = Layout(HSplit([
        Window(FormattedTextControl(header), height=1),
        Window(height=1, char="─", style="class:dim"),
        Window(FormattedTextControl(body), wrap_lines=False),
        box,
        Window(FormattedTextControl(footer), height=2, wrap_lines=True),
    ]), focused_element=answer_box)
    app = application(layout, kb, color, input, output, refresh_interval=1.0)

    def pre_run() -> None:
        _exit_on_signals(app)
        show_card(0)
        app.create_background_task(ticker())

    try:
        await app.run_async(pre_run=pre_run)
    finally:
        if q.kind == "exercise" and q.drill is not None:  # quit mid-question: keep it
            end_coding(time_up=False)
    return mock.finish(clock(), completed=state["completed"])
