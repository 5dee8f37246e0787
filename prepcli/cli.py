"""The `prep` command line: parses arguments, reads the environment and the clock, dispatches.

This is the only module that reads environment variables or the clock, and the only place
that turns a `PrepError` into a message. Heavy modules (numpy, prompt-toolkit) are imported
inside the commands that need them, so `prep --help` stays fast.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer
from typer.core import TyperGroup

from prepcli import __version__
from prepcli.errors import FAILED, PrepError


class _Group(TyperGroup):
    """Every command runs through here: a PrepError becomes `error: ...` and an exit code."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except PrepError as e:
            typer.echo(f"error: {e}", err=True)
            ctx.exit(e.code)


app = typer.Typer(
    cls=_Group,
    help="Interview prep for ML/CV engineers: flashcards from your notes (FSRS reviews) and "
         "hand-written kernels graded against NumPy references.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_show_locals=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"prep {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                 help="Show the version and exit."),
) -> None:
    pass


def _console(err: bool = False):
    from rich.console import Console

    return Console(stderr=err, highlight=False)


@app.command("import")
def import_(
    notes: list[Path] = typer.Argument(..., help="Markdown notes (.md or .txt; UTF-8 or GB18030)."),
    out: Path = typer.Option(Path("cards"), "--out", "-o", help="Directory of deck files."),
    deck: Optional[str] = typer.Option(None, "--deck", "-d",
                                       help="Put every note into one deck with this name "
                                            "(default: one deck per note, named after the file)."),
) -> None:
    """Turn Markdown notes into YAML decks, keeping the ids of cards already there."""
    from prepcli.importer import import_notes
    from prepcli import report

    rep = import_notes(notes, out, deck)
    report.import_summary(_console(), rep)


@app.command()
def check(
    directory: Optional[Path] = typer.Argument(
        None, help="Directory of deck files (default: ./cards, else the bundled decks)."),
) -> None:
    """Validate decks: YAML syntax, schema, empty answers, ids repeated across decks."""
    from prepcli import deck as deckmod
    from prepcli.exercises import EXERCISES
    from prepcli.paths import default_cards

    directory = directory or default_cards(Path.cwd())

    decks, problems = deckmod.check(directory, set(EXERCISES))
    for p in problems:
        typer.echo(str(p), err=True)
    n = sum(len(d.cards) for d in decks)
    if problems:
        raise PrepError(f"{len(problems)} problem(s) in {directory}; {n} cards in "
                        f"{len(decks)} deck(s) still load", code=FAILED)
    typer.echo(f"ok: {len(decks)} decks, {n} cards, no problems")


def main() -> None:
    app(prog_name="prep")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
