"""Helpers for driving review sessions in tests: decks on disk, a pinned clock, the screen."""

from __future__ import annotations

import io
from datetime import datetime, timedelta, timezone
from pathlib import Path

from prompt_toolkit.data_structures import Size
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output.vt100 import Vt100_Output

from prepcli.cards import deck as deckmod
from prepcli.screens import ui
from prepcli.review.scheduler import Scheduler, Settings
from prepcli.review.session import Session
from prepcli.review.store import Store

# A Sunday at 10:00 UTC: the study day began at 04:00.
T0 = datetime(2026, 11, 22, 10, 0, tzinfo=timezone.utc)


class Clock:
    """A pinned clock that moves only when told to, or by `tick` each time it is read."""

    def __init__(self, t: datetime = T0, tick: timedelta = timedelta(seconds=2)):
        self.t, self.tick = t, tick

    def __call__(self) -> datetime:
        self.t += self.tick
        return self.t

    def advance(self, **kw) -> None:
        self.t += timedelta(**kw)


def make_decks(directory: Path, decks: dict[str, list[dict]]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for name, cards in decks.items():
        d = deckmod.Deck(name=name, cards=[deckmod.Card.from_dict(c) for c in cards])
        deckmod.write(d, directory / f"{name}.yaml")
    return directory


def simple_cards(n: int, prefix: str = "c", **extra) -> list[dict]:
    return [{"id": f"{prefix}{i}", "question": f"Question {prefix}{i}?",
             "answer": f"Answer {i}.", **extra} for i in range(1, n + 1)]


def load(directory: Path) -> list[deckmod.Card]:
    decks, problems = deckmod.load_dir(directory)
    assert not problems, problems
    return [c for d in decks for c in d.cards]


def session(cards, store: Store, now: datetime, **kw) -> Session:
    settings = kw.pop("settings", Settings())
    return Session(cards, store, Scheduler(settings), now, **kw)


def drive(sess: Session, keys: str, clock: Clock, *, rows: int = 24, cols: int = 80,
          color: bool = False, editor_cmd: list[str] | None = None):
    """Run the review screen on `keys` (typed ahead); returns (summary, screen text)."""
    buf = io.StringIO()
    out = Vt100_Output(buf, lambda: Size(rows=rows, columns=cols), term="xterm")
    with create_pipe_input() as inp:
        inp.send_text(keys)
        summary = ui.run(sess, clock, color=color, input=inp, output=out,
                         editor_cmd=editor_cmd)
    return summary, buf.getvalue()
