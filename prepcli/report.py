"""Printed summaries for the non-interactive commands (rich, to the given console)."""

from __future__ import annotations

from rich.markup import escape
from rich.table import Table

from prepcli.importer import ImportReport


def import_summary(console, rep: ImportReport) -> None:
    table = Table(show_edge=False, header_style="bold", pad_edge=False)
    for col in ("deck file", "cards", "new", "updated", "same", "vanished", "prompts"):
        table.add_column(col, justify="left" if col == "deck file" else "right")
    for d in rep.decks:
        table.add_row(escape(str(d.file)), str(d.cards), str(d.created), str(d.updated),
                      str(d.unchanged), str(len(d.vanished)), str(len(d.prompts)))
    console.print(table)
    written = [d for d in rep.decks if d.written]
    console.print(f"{len(written)} deck file(s) written, {len(rep.decks) - len(written)} "
                  "already up to date.")
    vanished = [(d, c) for d in rep.decks for c in d.vanished]
    if vanished:
        console.print("\n[bold]Vanished[/] (no longer in the notes; their review history is kept):")
        for d, c in vanished:
            console.print(f"  {d.slug}: {escape(c.question)}  [dim]({c.id})[/]")
    prompts = [(d, c) for d in rep.decks for c in d.prompts]
    if prompts:
        console.print(f"\n[bold]Prompts[/] ({len(prompts)} questions the notes do not answer yet;"
                      " not studied until answered, or with `prep study --prompts`):")
        for d, c in prompts:
            src = c.source or {}
            console.print(f"  {src.get('file')}:{src.get('line')}: {escape(c.question)}", soft_wrap=True)
    if rep.skipped:
        console.print(f"\n[bold]Skipped[/] ({len(rep.skipped)}):")
        for f, s in rep.skipped:
            console.print(f"  {escape(f)}:{s.line}: {escape(s.what)} — {s.reason}")
