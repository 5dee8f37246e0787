"""The interactive review screen (prompt-toolkit for keys and layout, rich for rendering).

The only module that imports prompt-toolkit. The clock, the editor command and colour choice
come in as arguments; every answer goes through the session (one committed transaction each)
before the next card is drawn, so quitting, Ctrl-C or a crash loses nothing answered.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Callable

from prompt_toolkit.application import Application
from prompt_toolkit.formatted_text import ANSI, FormattedText
from prompt_toolkit.key_binding import KeyBindings
from prompt_toolkit.layout import HSplit, Layout, Window
from prompt_toolkit.layout.controls import FormattedTextControl
from prompt_toolkit.output import ColorDepth
from prompt_toolkit.styles import Style

from prepcli import editor, render
from prepcli.deck import Card
from prepcli.errors import PrepError
from prepcli.scheduler import AGAIN, EASY, GOOD, HARD, RATING_NAMES, format_interval
from prepcli.session import Session, Summary

HELP = """Keys
  space / enter   show the answer; after it, answer Good
  1 2 3 4         Again, Hard, Good, Easy
  u               undo the last answer, suspend or bury (several steps)
  s               suspend this card (it is not shown again until unsuspended)
  b               bury this card until tomorrow
  e               open the card's source note in $EDITOR
  ↑ ↓ PgUp PgDn   scroll a long card (also k, j)
  ?               show or hide this help
  q / Ctrl-C      quit (every answer given is already saved)"""


@dataclass
class _View:
    card: Card | None = None
    revealed: bool = False
    shown_at: datetime | None = None
    scroll: int = 0
    help: bool = False
    message: str = ""
    lines: list[str] = field(default_factory=list)
    key: tuple | None = None  # what `lines` were rendered for


def run(session: Session, clock: Callable[[], datetime], *, color: bool = True,
        editor_cmd: list[str] | None = None, input=None, output=None) -> Summary:
    """Run the review until the queue is empty or the user quits; returns the summary."""
    view = _View()

    def advance() -> None:
        now = clock()
        view.card = session.next(now)
        view.revealed, view.scroll, view.shown_at = False, 0, now
        if view.card is None:
            app.exit()

    def width() -> int:
        try:
            return app.output.get_size().columns
        except Exception:
            return 80

    def height() -> int:
        try:
            return app.output.get_size().rows
        except Exception:
            return 24

    def body_height() -> int:
        return max(3, height() - 4)

    def body_lines() -> list[str]:
        c = view.card
        if view.help:
            return HELP.split("\n")
        if c is None:
            return []
        key = (c.id, view.revealed, width(), color)
        if view.key != key:
            base = _note_dir(c)
            path = " › ".join((c.source or {}).get("path") or [])
            lines = [f"\x1b[2m{path}\x1b[0m" if color else path] if path else []
            lines += render.render(c.question, width(), color=color, base=base, bold=True)
            if view.revealed:
                lines += ["", "─" * min(width(), 60), ""]
                lines += render.render(c.answer or "*(no answer yet)*", width(), color=color,
                                       base=base)
            view.lines, view.key = lines, key
        return view.lines

    def header():
        now = clock()
        n, lrn, rev = session.counts(now)
        done = len(session.answered)
        total = done + session.remaining(now)
        deck = (view.card.deck_name or view.card.deck) if view.card else ""
        kind = session.kind_of(view.card) if view.card else ""
        return FormattedText([
            ("class:title", f" {deck} "), ("", f" {min(done + 1, total)}/{total} "),
            ("class:new", f" new {n} "), ("class:learning", f" learning {lrn} "),
            ("class:review", f" review {rev} "), ("class:dim", f"  ({kind})"),
        ])

    def body():
        lines = body_lines()
        h = body_height()
        view.scroll = max(0, min(view.scroll, max(0, len(lines) - h)))
        return ANSI("\n".join(lines[view.scroll:view.scroll + h]))

    def footer():
        lines = body_lines()
        h = body_height()
        parts = []
        if len(lines) > h:
            last = min(len(lines), view.scroll + h)
            more = "  ↓ more" if last < len(lines) else ""
            parts.append(("class:dim", f" lines {view.scroll + 1}–{last} of {len(lines)}{more} "))
        if view.message:
            parts.append(("class:message", f" {view.message} "))
        if view.card is not None and not view.help:
            if view.revealed:
                ivl = session.scheduler.preview(view.card.id, session.state(view.card.id), clock())
                for r in (AGAIN, HARD, GOOD, EASY):
                    parts.append((f"class:r{r}", f" {r} {RATING_NAMES[r]} {format_interval(ivl[r])} "))
            else:
                parts.append(("class:key", " space: show answer "))
            parts.append(("class:dim", "  u undo · s suspend · b bury · e edit · ? help · q quit"))
        return FormattedText(parts)

    kb = KeyBindings()

    def act(fn):
        def handler(event):
            view.message = ""
            try:
                fn(event)
            except PrepError as e:
                view.message = str(e)
        return handler

    @kb.add(" ")
    @kb.add("enter")
    @act
    def _(event):
        if view.help:
            view.help = False
        elif not view.revealed:
            view.revealed, view.scroll = True, 0
        else:
            answer(GOOD)

    def answer(rating: int) -> None:
        if view.card is None or not view.revealed:
            return
        now = clock()
        took = int((now - view.shown_at).total_seconds() * 1000) if view.shown_at else 0
        session.answer(view.card, rating, now, took)
        advance()

    for r in (AGAIN, HARD, GOOD, EASY):
        kb.add(str(r))(act(lambda event, r=r: answer(r)))

    @kb.add("u")
    @act
    def _(event):
        card = session.undo()
        if card is None:
            view.message = "nothing to undo"
            return
        view.card, view.revealed, view.scroll, view.shown_at = card, False, 0, clock()
        view.message = "undone"

    @kb.add("s")
    @act
    def _(event):
        if view.card is not None:
            session.suspend(view.card)
            advance()
            view.message = "suspended (u to undo)"

    @kb.add("b")
    @act
    def _(event):
        if view.card is not None:
            session.bury(view.card, clock())
            advance()
            view.message = "buried until tomorrow (u to undo)"

    @kb.add("e")
    @act
    def _(event):
        c = view.card
        if c is None:
            return
        note, line = _note_path(c)
        if not editor_cmd:
            view.message = f"set $EDITOR to edit the note ({note}:{line})"
            return
        if note is None or not note.exists():
            view.message = "this card has no source note on disk"
            return
        from prompt_toolkit.application import run_in_terminal

        run_in_terminal(lambda: editor.open_at(editor_cmd, note, line))
        view.message = f"edited {note.name}; re-import it to update the card"

    @kb.add("?")
    @act
    def _(event):
        view.help = not view.help
        view.scroll = 0

    @kb.add("down")
    @kb.add("j")
    def _(event):
        view.scroll += 1

    @kb.add("up")
    @kb.add("k")
    def _(event):
        view.scroll = max(0, view.scroll - 1)

    @kb.add("pagedown")
    def _(event):
        view.scroll += body_height() - 1

    @kb.add("pageup")
    def _(event):
        view.scroll = max(0, view.scroll - body_height() + 1)

    @kb.add("q")
    @kb.add("c-c")
    @kb.add("c-d")
    def _(event):
        event.app.exit()

    style = Style.from_dict({
        "title": "reverse bold", "new": "fg:ansiblue bold", "learning": "fg:ansired bold",
        "review": "fg:ansigreen bold", "dim": "fg:ansibrightblack", "key": "bold",
        "message": "fg:ansiyellow bold", "r1": "fg:ansired bold", "r2": "fg:ansiyellow",
        "r3": "fg:ansigreen bold", "r4": "fg:ansiblue",
    })
    layout = Layout(HSplit([
        Window(FormattedTextControl(header), height=1),
        Window(height=1, char="─", style="class:dim"),
        Window(FormattedTextControl(body), wrap_lines=False),
        Window(FormattedTextControl(footer), height=2, wrap_lines=True),
    ]))
    app = Application(layout=layout, key_bindings=kb, full_screen=True, style=style,
                      input=input, output=output, mouse_support=False,
                      color_depth=None if color else ColorDepth.MONOCHROME)
    advance()
    if view.card is not None:
        app.run()
    return session.summary(clock())


def _note_path(card: Card) -> tuple[Path | None, int]:
    src = card.source or {}
    if not src.get("file") or card.origin is None:
        return None, 1
    return (card.origin.parent / src["file"]).resolve(), int(src.get("line") or 1)


def _note_dir(card: Card) -> Path | None:
    note, _ = _note_path(card)
    return note.parent if note else None
