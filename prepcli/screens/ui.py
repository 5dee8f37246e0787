"""The interactive review screen (prompt-toolkit for keys and layout, rich for rendering).

The only module that imports prompt-toolkit. The clock, the editor command and colour choice
come in as arguments; every answer goes through the session (one committed transaction each)
before the next card is drawn, so quitting, Ctrl-C or a crash loses nothing answered.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Callable

# prompt-toolkit costs ~70 ms to import, on every start: the study screen draws its first
# card before importing it (`_first_paint`), then `_toolkit` binds these names.
Application = ANSI = FormattedText = Condition = ConditionalKeyBindings = KeyBindings = None
merge_key_bindings = Keys = HSplit = Layout = Window = FormattedTextControl = None
ColorDepth = Style = None


def _toolkit() -> None:
    """Import prompt-toolkit's parts into this module (once; a no-op after)."""
    global Application, ANSI, FormattedText, Condition, ConditionalKeyBindings, KeyBindings
    global merge_key_bindings, Keys, HSplit, Layout, Window, FormattedTextControl
    global ColorDepth, Style
    if Application is not None:
        return
    from prompt_toolkit.application import Application
    from prompt_toolkit.filters import Condition
    from prompt_toolkit.formatted_text import ANSI, FormattedText
    from prompt_toolkit.key_binding import ConditionalKeyBindings, KeyBindings, merge_key_bindings
    from prompt_toolkit.keys import Keys
    from prompt_toolkit.layout import HSplit, Layout, Window
    from prompt_toolkit.layout.controls import FormattedTextControl
    from prompt_toolkit.output import ColorDepth
    from prompt_toolkit.styles import Style

from prepcli.screens import editor

from prepcli.screens import render
from prepcli.screens import typed as typedmod
from prepcli.cards.deck import Card
from prepcli.errors import PrepError, Stopped, safe_text, stop_signals
from prepcli.review.scheduler import AGAIN, EASY, GOOD, HARD, RATING_NAMES, format_interval
from prepcli.review.session import Session, Summary

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
    typed: str = ""  # the answer typed so far (prep study --type)


def run(session: Session, clock: Callable[[], datetime], *, color: bool = True,
        editor_cmd: list[str] | None = None, input=None, output=None,
        typed: bool = False) -> Summary:
    """Run the review until the queue is empty or the user quits; returns the summary.
    With `typed`, the answer is typed before it is shown, then compared with the card's."""
    painted = _first_paint(session, clock, color, typed) if input is None and output is None \
        else False
    started: list[bool] = []  # prompt-toolkit has the screen (and gives it back itself)
    try:
        _toolkit()
        return _run(session, clock, color, editor_cmd, input, output, typed, started)
    except BaseException:
        if painted and not started:  # e.g. Ctrl-C while prompt-toolkit was being imported
            _leave_first_paint()
        raise


def _run(session: Session, clock: Callable[[], datetime], color: bool,
         editor_cmd: list[str] | None, input, output, typed: bool,
         started: list[bool]) -> Summary:
    view = _View()
    typing = Condition(lambda: typed and view.card is not None and not view.revealed
                       and not view.help)

    def advance() -> None:
        now = clock()
        view.card = session.next(now)
        view.revealed, view.scroll, view.shown_at, view.typed = False, 0, now, ""
        if view.card is None:
            app.exit()

    def width() -> int:
        return _size(app)[0]

    def body_height() -> int:
        return max(3, _size(app)[1] - 4)

    def body_lines() -> list[str]:
        c = view.card
        if view.help:
            return HELP.split("\n")
        if c is None:
            return []
        key = (c.id, view.revealed, width(), color, view.typed)
        if view.key != key:
            view.lines, view.key = _card_lines(c, view, width(), color, typed), key
        return view.lines

    def header():
        return FormattedText(_header(session, view.card, clock()))

    def body():
        shown, _ = _window(body_lines(), view, body_height())
        return shown

    def footer():
        # two lines, each made to fit the width: the answer buttons (or what to do next),
        # then the scroll position and the keys, shortened rather than cut or wrapped
        w = width()
        _, more = _window(body_lines(), view, body_height())
        first = []
        if view.card is not None and not view.help:
            if view.revealed:
                ivl = session.scheduler.preview(view.card.id, session.state(view.card.id), clock())
                first += _buttons({r: format_interval(ivl[r]) for r in (AGAIN, HARD, GOOD, EASY)},
                                  w)
            elif typing():
                first.append(("class:key", " type your answer · enter: show it "))
            else:
                first.append(("class:key", " space: show answer "))
        return footer_lines(first, view.message, more, _KEYS_TYPING if typing() else _KEYS, w)

    kb = KeyBindings()

    act = _acting(view, session.store)

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
        if note is None or not note.exists():  # (a card written by hand: `(None:1)` was said)
            view.message = "this card has no source note on disk"
            return
        if not editor_cmd:
            view.message = f"set $EDITOR to edit the note ({note}:{line})"
            return
        from prompt_toolkit.application import run_in_terminal

        def edit() -> None:
            before = _read(note)
            failed = editor.open_at(editor_cmd, note, line)
            view.message = failed or (
                f"{note.name} not changed" if before is not None and _read(note) == before
                else f"edited {note.name}; re-import it to update the card")

        run_in_terminal(edit)

    @kb.add("?")
    @act
    def _(event):
        view.help = not view.help
        view.scroll = 0

    _common_keys(kb, view, body_height)
    keys = merge_key_bindings([ConditionalKeyBindings(kb, ~typing),
                               ConditionalKeyBindings(_typing_keys(view), typing)])

    def resumed() -> None:
        # (another prep may have answered the card on screen while this one was stopped:
        # then it is not asked again, unless it is due again)
        if view.card is not None and not session.still_asked(view.card):
            gone = view.card.id
            advance()
            if view.card is not None and view.card.id == gone:
                # (asked again only as a learning step ahead of time, nothing else left:
                # answered a moment ago, it is not worth asking now)
                view.card = None
                app.exit()
            else:
                view.message = "that card was answered in another prep meanwhile"

    app = _screen(header, body, footer, keys, color, input, output, resumed)
    advance()
    if view.card is not None:
        app.run(pre_run=lambda: (started.append(True), _exit_on_signals(app)))
    return session.summary(clock())


def _header(session: Session, card: Card | None, now: datetime) -> list[tuple[str, str]]:
    """The study screen's header line, as (style class, text) pieces."""
    n, lrn, rev = session.counts(now)
    deck = (card.deck_name or card.deck) if card else ""
    kind = session.kind_of(card) if card else ""
    # what is left, not a position in a total that grows as learning cards come back
    return [
        ("class:title", f" {deck} "), ("", f" left {session.remaining(now)} "),
        ("class:new", f" new {n} "), ("class:learning", f" learning {lrn} "),
        ("class:review", f" review {rev} "),
        ("class:dim", f"  done {len(session.answered)} · {kind}"),
        *([("class:dim", f" · interview in {left}d")]
          if (left := session.days_left()) is not None else []),
    ]


def _card_lines(c: Card, view: _View, width: int, color: bool, typed: bool) -> list[str]:
    """The body of the study screen for a card: its heading path, question, typed answer,
    and (once revealed) its answer."""
    base = _note_dir(c)
    path = safe_text(" › ".join((c.source or {}).get("path") or []))
    lines = [f"\x1b[2m{path}\x1b[0m" if color else path] if path else []
    lines += render.render(c.question, width, color=color, base=base, bold=True)
    if typed:
        lines += _typed_lines(view.typed, c, view.revealed, width, color)
    if view.revealed:
        lines += ["", "─" * min(width, 60), ""]
        lines += render.render(c.answer or "*(no answer yet)*", width, color=color, base=base)
    return lines


_SGR = {"class:title": "7;1", "class:new": "34;1", "class:learning": "31;1",
        "class:review": "32;1", "class:dim": "90", "class:key": "1"}


def _first_paint(session: Session, clock: Callable[[], datetime], color: bool,
                 typed: bool) -> bool:
    """Draw the first card's screen on the terminal's alternate screen, before prompt-toolkit
    is imported: the card is readable ~70 ms sooner, and prompt-toolkit then draws the same
    screen over it. Only on a POSIX terminal; False (nothing drawn) otherwise, or when there
    is no card to show. Keys pressed meanwhile wait in the terminal for prompt-toolkit."""
    import os
    import sys

    if sys.platform == "win32" or not (sys.stdin and sys.stdin.isatty() and sys.stdout
                                       and sys.stdout.isatty()):
        return False
    now = clock()
    card = session.next(now)
    if card is None:
        return False
    try:  # the terminal's own size, as prompt-toolkit reads it
        cols, rows = os.get_terminal_size(sys.stdout.fileno())
    except OSError:
        cols, rows = 0, 0
    cols, rows = cols or 80, rows or 24

    def styled(pieces) -> str:
        pieces = [(c, safe_text(t)) for c, t in pieces]  # (a deck's name, too)
        text = "".join(f"\x1b[{_SGR[c]}m{t}\x1b[0m" if color and c in _SGR else t
                       for c, t in pieces)
        return text if sum(len(t) for _, t in pieces) <= cols else "".join(t for _, t in pieces)[:cols]

    body = _card_lines(card, _View(card=card), cols, color, typed)[:max(3, rows - 4)]
    hint = " type your answer · enter: show it " if typed else " space: show answer "
    lines = [styled(_header(session, card, now)), styled([("class:dim", "─" * cols)]), *body]
    lines += [""] * (rows - 2 - len(lines)) + [styled([("class:key", hint)])]
    sys.stdout.write("\x1b[?1049h\x1b[H\x1b[2J" + "\r\n".join(lines))
    sys.stdout.flush()
    return True


def _leave_first_paint() -> None:
    import sys

    sys.stdout.write("\x1b[?1049l")
    sys.stdout.flush()


# the key line of the study screen, longest first: the first that fits the width is shown
_KEYS = ("u undo · s suspend · b bury · e edit · ? help · q quit",
         "u undo · s susp. · b bury · e edit · ? · q quit",
         "u s b e · ? help · q quit", "? help · q quit")
_KEYS_TYPING = ("backspace delete · Ctrl-C quit", "Ctrl-C quit")


def _typing_keys(view) -> KeyBindings:
    """While an answer is typed: characters go into it, enter shows the card's answer."""
    kb = KeyBindings()

    @kb.add(Keys.Any)
    def _(event):
        view.typed += "".join(k.data for k in event.key_sequence if k.data.isprintable())

    @kb.add(Keys.BracketedPaste)
    def _(event):
        # (a paste comes as one key, its text the data: with its line breaks it was no
        # printable text, and dropped; they are spaces in a one-line answer)
        text = " ".join(event.data.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
        view.typed += "".join(c for c in text if c.isprintable())

    @kb.add("backspace")
    def _(event):
        view.typed = view.typed[:-1]

    @kb.add("enter")
    def _(event):
        view.revealed, view.scroll = True, 0

    @kb.add("c-c")
    @kb.add("c-d")
    def _(event):
        event.app.exit()

    return kb


def _typed_lines(text: str, card: Card, revealed: bool, width: int, color: bool) -> list[str]:
    """The typed answer under the question: as typed until the answer is shown, then marked
    against it."""
    if not revealed:
        return ["", f"› {text}▌"]
    pieces, ratio = typedmod.compare(text, typedmod.expected_text(card.answer or ""))
    head = f"your answer ({ratio:.0%} alike):"
    return ["", f"\x1b[1m{head}\x1b[0m" if color else head,
            *_wrap_ansi(typedmod.marked(pieces, color), width)]


def _wrap_ansi(line: str, width: int) -> list[str]:
    from rich.text import Text

    from prepcli.screens.wrap import wrap

    return [_ansi(t) for t in wrap(Text.from_ansi(line), width)]


def _ansi(text) -> str:
    import io

    from rich.console import Console

    buf = io.StringIO()
    Console(file=buf, force_terminal=True, color_system="standard", width=10_000,
            highlight=False, emoji=False).print(text, end="", soft_wrap=True)
    return buf.getvalue()


def _exit_on_signals(app: Application) -> None:
    """SIGTERM, SIGHUP, SIGINT and the other stop_signals end the screen the way `q` does, so
    the terminal is given back (cooked mode, main screen, line wrap on) before the process
    stops; the exit code then says which signal it was. Every answer is already committed.
    (SIGINT only comes from outside, `kill -INT`: the terminal is in raw mode, Ctrl-C is a
    key. prompt-toolkit's own SIGINT handler, replaced here, turns it into a `<sigint>` key
    no screen binds.)"""
    import asyncio
    import signal

    loop = asyncio.get_running_loop()
    for sig in (*stop_signals(), signal.SIGINT):
        try:
            loop.add_signal_handler(sig, lambda sig=sig: _stop(app, sig))
        except (NotImplementedError, RuntimeError, ValueError):  # not the main thread
            pass


def _stop(app: Application, signum: int) -> None:
    if app.future is not None and not app.future.done():
        app.exit(exception=Stopped(signum))


def said(e: PrepError) -> str:
    """An error as the footer shows it: what happened first, then the file's name (the whole
    path first left no room for the rest: `/home/…/prep.db:…` on a full disk, the reason cut
    off)."""
    return f"{e.message} ({Path(e.file).name})" if e.file else e.message


def _acting(view, store=None):
    """A key's action, with a PrepError it raises shown in the footer (and the last message
    cleared on the next key), never a crash of the screen. With the review `store`: a write
    that waits for another prep's lock says so in the footer once done, not on stderr (the
    screen is prompt-toolkit's; a line there would tear it)."""
    def act(fn):
        def handler(event):
            view.message = ""
            waited: list[float] = []
            if store is not None:
                told, store.on_wait = store.on_wait, waited.append
            started = time.monotonic()
            try:
                fn(event)
            except PrepError as e:
                view.message = said(e)
            finally:
                if store is not None:
                    store.on_wait = told
            if waited and not view.message:
                view.message = (f"saved after waiting {time.monotonic() - started:.0f} s for "
                                "another prep process to finish writing")
        return handler
    return act


def _common_keys(kb: KeyBindings, view, body_height: Callable[[], int],
                 letters=True) -> None:
    """Keys every screen shares. ↑ ↓ j k PgUp PgDn move `view.scroll` (the body clamps it to
    the content); q, Ctrl-C and Ctrl-D quit (all work is saved as it happens). `letters` is a
    filter: where it is false (a screen taking typed text), q, j and k are left to the text."""
    @kb.add("q", filter=letters)
    @kb.add("c-c")
    @kb.add("c-d")
    def _(event):
        event.app.exit()

    @kb.add("down")
    @kb.add("j", filter=letters)
    def _(event):
        view.scroll += 1

    @kb.add("up")
    @kb.add("k", filter=letters)
    def _(event):
        view.scroll = max(0, view.scroll - 1)

    @kb.add("pagedown")
    def _(event):
        view.scroll += body_height() - 1

    @kb.add("pageup")
    def _(event):
        view.scroll = max(0, view.scroll - body_height() + 1)


def _size(app) -> tuple[int, int]:
    try:
        size = app.output.get_size()
        return size.columns, size.rows
    except Exception:  # no real terminal behind the output
        return 80, 24


def _window(lines: list[str], view, height: int) -> tuple[ANSI, list]:
    """The visible slice of `lines`, and the footer's "lines a–b of n ↓ more" part."""
    _toolkit()  # (the mock screen's first use)
    view.scroll = max(0, min(view.scroll, max(0, len(lines) - height)))
    shown = ANSI("\n".join(lines[view.scroll:view.scroll + height]))
    more = []
    if len(lines) > height:
        last = min(len(lines), view.scroll + height)
        tail = "  ↓ more" if last < len(lines) else ""
        more = [("class:dim", f" lines {view.scroll + 1}–{last} of {len(lines)}{tail} ")]
    return shown, more


def _buttons(intervals: dict[int, str], w: int) -> list:
    """The answer buttons, ` 1 Again 1m  2 Hard 6m …`, as long as fits the width `w`: the
    names shortened to their first letter, then left out (at 40 columns they wrapped
    mid-word, `4 Ea` / `sy 10d`: fault hunt 39)."""
    for name in (lambda r: f" {RATING_NAMES[r]}", lambda r: f" {RATING_NAMES[r][0]}",
                 lambda r: ""):
        out = [(f"class:r{r}", f" {r}{name(r)} {i} ") for r, i in intervals.items()]
        if sum(len(t) for _, t in out) <= w:
            break
    return out


def footer_lines(first: list, message: str, more: list, keys: tuple[str, ...], w: int):
    """A screen's two footer lines, each made to fit the width `w` (never wrapped, which cut
    words: `d dif|f`): `first` and the message (shortened), then the scroll position `more`
    and the first of `keys` (longest first) that fits after it."""
    _toolkit()
    first = list(first)
    if message:
        room = w - sum(len(t) for _, t in first) - 2
        if len(message) > room:
            # (a message longer than its line goes on over the second, the scroll position
            # and keys back at the next key: at 100 columns a full disk's message was cut
            # after "the disk is full", what to do never shown)
            cut = message.rfind(" ", 0, room + 1)
            cut = cut if cut > room // 2 else max(0, room)
            rest = message[cut:].strip()
            if len(rest) > w - 2:
                rest = rest[:max(0, w - 3)] + "…"
            head = [("class:message", f" {message[:cut].rstrip()} ")] if cut else []
            return FormattedText(first + head + [("", "\n"), ("class:message", f" {rest} ")])
        first.append(("class:message", f" {message} "))
    used = sum(len(t) for _, t in more)
    hint = next((k for k in keys if used + len(k) + 2 <= w), keys[-1])
    return FormattedText(first + [("", "\n")] + more + [("class:dim", f" {hint}")])


def application(layout, kb, color: bool, input, output, on_resume: Callable[[], None] | None = None,
                **extra) -> "Application":
    """A full-screen application of prep's: its style and colours, no mouse. (Mouse reports
    are ignored, not parsed: bytes such as `ESC[5M` typed or pasted into a screen made
    prompt-toolkit's own mouse handler fail, a traceback over the card: fault hunt 19.)
    `on_resume()` is called when `fg` brings the screen back after Ctrl-Z."""
    _toolkit()
    quiet = KeyBindings()

    @quiet.add(Keys.Vt100MouseEvent)
    @quiet.add(Keys.WindowsMouseEvent)
    def _(event):
        pass

    @quiet.add("c-z")
    def _(event):
        _suspend(event.app, on_resume)

    return Application(layout=layout, key_bindings=merge_key_bindings([quiet, kb]),
                       full_screen=True, style=Style.from_dict(_STYLE), input=input,
                       output=output, mouse_support=False,
                       color_depth=None if color else ColorDepth.MONOCHROME, **extra)


def _suspend(app: "Application", on_resume: Callable[[], None] | None = None) -> None:
    """Ctrl-Z stops prep as it stops any terminal program, `fg` bringing the screen back (the
    terminal's own Ctrl-Z is off while a screen reads keys). Every answer given is committed
    already; a grade running meanwhile does not count the time stopped (sandbox)."""
    import os
    import signal

    from prompt_toolkit.application import run_in_terminal

    told: list[int] = []
    stops = (*stop_signals(), signal.SIGINT)

    def stopped() -> None:
        from prepcli.drills import sandbox

        old = {s: signal.signal(s, lambda n, _: told.append(n)) for s in stops}
        # (a grade's processes are in sessions of their own, which the job's SIGTSTP does not
        # reach: stopped with prep, or its code would run on while its clock stands still)
        sandbox.pause_all()
        try:
            while True:
                # (stopped before this returns, then the grade's processes go on with it:
                # sandbox.stop_here; the terminal's own Ctrl-Z is off while a screen reads keys)
                sandbox.stop_here(signal.SIGTSTP)
                if told or _foreground(app):
                    break
                # resumed in the background (`bg`): drawing there would take the terminal
                # from the shell; stopped again until `fg`, as editors do
        finally:
            sandbox.resume_all()
            for s, h in old.items():
                signal.signal(s, h)
        if told:
            # told to stop while stopped (`kill %1` sends SIGTERM, then SIGCONT): the
            # terminal is the shell's now, and taking it back stopped prep again (SIGTTOU);
            # prep leaves it alone and ends (the signal is handled once the screen runs on)
            quiet = os.open(os.devnull, os.O_RDWR)
            for fd in {0, 1, 2, app.input.fileno(), app.output.fileno()}:
                os.dup2(quiet, fd)
            os.close(quiet)
        elif on_resume is not None:
            on_resume()

    run_in_terminal(stopped)


def _foreground(app: "Application") -> bool:
    import os

    try:
        return os.tcgetpgrp(app.input.fileno()) == os.getpgrp()
    except OSError:  # (no terminal that is ours to ask: as if in front)
        return True


_STYLE = {
    "title": "reverse bold", "new": "fg:ansiblue bold", "learning": "fg:ansired bold",
    "review": "fg:ansigreen bold", "dim": "fg:ansibrightblack", "key": "bold",
    "message": "fg:ansiyellow bold", "r1": "fg:ansired bold", "r2": "fg:ansiyellow",
    "r3": "fg:ansigreen bold", "r4": "fg:ansiblue", "pass": "fg:ansigreen bold",
    "fail": "fg:ansired bold",
}


def _screen(header, body, footer, kb, color, input, output, on_resume=None) -> Application:
    layout = Layout(HSplit([
        Window(FormattedTextControl(header), height=1),
        Window(height=1, char="─", style="class:dim"),
        Window(FormattedTextControl(body), wrap_lines=False),
        Window(FormattedTextControl(footer), height=2, wrap_lines=True),
    ]))
    return application(layout, kb, color, input, output, on_resume)


# --- drill ------------------------------------------------------------------------------

# the key line of the drill screen, longest first (see footer_lines)
DRILL_KEYS = ("h hint · r re-grade · s solution · d diff · e edit · ↑↓ scroll · q quit",
              "h hint · r re-grade · s solution · d diff · e edit · q quit",
              "h r s d e · ↑↓ · q quit", "q quit")


def run_drill(drill, description: str, **kw) -> None:
    """The drill screen: the exercise, hints, the last grade; every save of the file
    re-grades it (watchfiles), `r` re-grades on demand."""
    import asyncio

    asyncio.run(run_drill_async(drill, description, **kw))


class _Grading:
    """Grading a drill's file off the screen's thread, with progress, on demand and on every
    save. Shared by the drill and mock screens.

    The grade runs in a daemon thread, so quitting while a looping file is being graded
    returns at once (the sandbox ends its child itself); its result is taken back on the
    loop's thread, which owns the store, and dropped if the screen is gone."""

    def __init__(self, drill, view, app_ref: Callable[[], Application]):
        self.drill, self.view, self.app_ref = drill, view, app_ref
        self.busy, self.progress = False, ""
        self.on_grade: Callable | None = None  # (report) -> None, after it is accepted

    def verdict(self) -> list:
        if self.busy:
            return [("class:message", f" grading… {self.progress} ")]
        r = self.drill.report
        if r is None:
            return []
        return [("class:pass" if r.passed else "class:fail",
                 f" {'PASS' if r.passed else 'NOT YET'} "),
                ("", f" {r.parts_passed}/{len(r.parts)} parts, "
                     f"{r.cases_passed}/{len(r.cases)} cases ")]

    async def regrade(self, reason: str) -> None:
        import asyncio
        import threading

        if self.busy:
            return
        app = self.app_ref()
        self.busy, self.progress, self.view.message = True, "", reason
        app.invalidate()
        loop = asyncio.get_running_loop()
        done = loop.create_future()

        def settle(result, error) -> None:
            if not done.done():
                done.set_exception(error) if error is not None else done.set_result(result)

        def work() -> None:
            from prepcli.catalog import EXERCISES

            try:
                total = len(EXERCISES[self.drill.exercise].cases())

                def progress(i, event):
                    if event == "start":
                        self.progress = f"case {i + 1}/{total}"
                        app.invalidate()  # thread-safe: schedules a redraw on the loop
                result, error = self.drill.grade(progress), None
            except BaseException as e:  # handed to the loop's thread, which reports it
                result, error = None, e
            try:
                loop.call_soon_threadsafe(settle, result, error)
            except RuntimeError:  # the screen is gone: nothing to report to
                pass

        threading.Thread(target=work, name="prep-grade", daemon=True).start()
        try:
            report = await done
            self.drill.accept(report)  # back on the loop's thread, which owns the store
            self.view.message = ""
            if self.on_grade is not None:
                self.on_grade(report)
        except PrepError as e:
            self.view.message = said(e)
        finally:
            self.busy = False
            app.invalidate()

    async def watch(self) -> None:
        """Re-grade on every save. The folder is watched and events filtered by the file's
        name: editors that save by writing a temporary file and renaming it over the
        original (vim, JetBrains) replace the file, and a watch on the file itself would
        end with the first such save."""
        from watchfiles import awatch

        folder, name = self.drill.file.parent, self.drill.file.name
        async for _ in awatch(folder, watch_filter=lambda _c, path: Path(path).name == name,
                              debounce=200, step=50, recursive=False):
            self.app_ref().create_background_task(self.regrade("saved: grading…"))


async def run_drill_async(drill, description: str, *, color: bool = True,
                          editor_cmd: list[str] | None = None, watch: bool = True,
                          grade_first: bool = True, input=None, output=None) -> None:
    """`grade_first`: grade the file once the screen is up (with progress), so a slow or
    looping file never leaves a blank terminal."""
    _toolkit()
    from prepcli.screens import report as reportmod
    from prepcli.drills.attempts import reference_source

    view = _View()
    state = {"diff": False}
    grading = _Grading(drill, view, lambda: app)

    def width() -> int:
        return _size(app)[0]

    def body_height() -> int:
        return max(3, _size(app)[1] - 4)

    def lines() -> list[str]:
        w = width()
        out = render.render(description, w, color=color)
        for i in range(drill.hints_shown):
            out += [""] + render.render(f"**Hint {i + 1}.** {drill.hints[i]}", w, color=color)
        if drill.report is not None:
            out += ["", "─" * min(w, 60)] + _report_lines(reportmod, drill.report, w, color)
        if state["diff"]:
            text = drill.diff() or "(no difference)"
            out += ["", "─" * min(w, 60)] + render.render(
                f"**Your previous attempt → this one** ({drill.previous})\n\n```diff\n{text}\n```",
                w, color=color)
        if drill.reference_shown:
            out += ["", "─" * min(w, 60)] + render.render(
                "**Reference solution** (vectorised NumPy)\n\n```python\n"
                + reference_source(drill.exercise) + "\n```", w, color=color)
        return out

    def header():
        kind = [] if drill.kind == "review" else [("class:dim", " (practice) ")]
        return FormattedText([("class:title", f" drill: {drill.exercise} "),
                              ("", f" {drill.file} ")] + kind + grading.verdict())

    def body():
        shown, _ = _window(lines(), view, body_height())
        return shown

    def footer():
        _, more = _window(lines(), view, body_height())
        return footer_lines([], view.message, more, DRILL_KEYS, width())

    def after_grade(report) -> None:
        if report.passed:
            extra = " · d diff with your previous attempt" if drill.previous else ""
            view.message = "passed: s shows the reference solution" + extra

    grading.on_grade = after_grade
    kb = KeyBindings()

    @kb.add("h")
    def _(event):
        view.message = drill.next_hint()

    @kb.add("r")
    def _(event):
        event.app.create_background_task(grading.regrade("grading…"))

    @kb.add("s")
    def _(event):
        view.message = drill.request_reference()

    @kb.add("d")
    def _(event):
        if state["diff"]:
            state["diff"], view.message = False, "diff hidden"
        elif drill.previous is None:
            view.message = "no previous attempt to compare with"
        elif drill.report is None or not drill.report.passed:
            view.message = "the diff with your previous attempt is shown after a pass"
        else:
            state["diff"], view.message = True, "diff shown (d hides it)"

    @kb.add("e")
    def _(event):
        if not editor_cmd:
            view.message = f"set $EDITOR to edit {drill.file} from here"
            return
        from prompt_toolkit.application import run_in_terminal

        def edit() -> None:
            view.message = editor.open_at(editor_cmd, drill.file, 1) or view.message

        run_in_terminal(edit)

    _common_keys(kb, view, body_height)

    app = _screen(header, body, footer, kb, color, input, output)

    def pre_run() -> None:
        _exit_on_signals(app)
        if watch:
            app.create_background_task(grading.watch())
        if grade_first:
            app.create_background_task(grading.regrade("grading…"))

    await app.run_async(pre_run=pre_run)


def _report_lines(reportmod, rep, width: int, color: bool) -> list[str]:
    import io

    from rich.console import Console

    buf = io.StringIO()
    console = Console(file=buf, width=max(40, width), force_terminal=True,
                      color_system="truecolor" if color else None, no_color=not color,
                      highlight=False, emoji=False)
    reportmod.grade_report(console, rep)
    return buf.getvalue().rstrip("\n").split("\n")


def _note_path(card: Card) -> tuple[Path | None, int]:
    src = card.source or {}
    if not src.get("file") or card.origin is None:
        return None, 1
    return (card.origin.parent / src["file"]).resolve(), int(src.get("line") or 1)


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def _note_dir(card: Card) -> Path | None:
    note, _ = _note_path(card)
    return note.parent if note else None
