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


_STATUS_STYLE = {"pass": "green", "fail": "red", "error": "red", "timeout": "red",
                 "not implemented": "yellow"}


def grade_report(console, rep) -> None:
    """The grader's verdict: a table of cases, the first failure in detail, the timing."""
    table = Table(show_edge=False, header_style="bold", pad_edge=False)
    for col in ("case", "part", "kind", "status", "time"):
        table.add_column(col, justify="right" if col == "time" else "left",
                         overflow="fold")
    for part, status in rep.parts.items():
        if status == "not implemented":  # one row for a part not started, not one per case
            n = sum(1 for c in rep.cases if c.part == part)
            table.add_row(f"({n} cases)", escape(part), "", "[yellow]not implemented[/]", "")
    for c in rep.cases:
        if rep.parts.get(c.part) == "not implemented":
            continue
        style = _STATUS_STYLE.get(c.status, "")
        status = c.status + (f" ({escape(c.reason)})" if c.reason and c.status != "pass" else "")
        secs = f"{c.seconds * 1000:.1f} ms" if c.seconds is not None else ""
        table.add_row(escape(c.name), escape(c.part), c.category,
                      f"[{style}]{status}[/]" if style else status, secs)
    console.print(table)
    f = rep.first_failure
    if f is not None:
        console.print(f"\n[bold red]First failure:[/] {escape(f.case)}")
        if f.inputs:
            console.print("[bold]Inputs[/]")
            console.print(escape(f.inputs), soft_wrap=True)
        for line in f.problem:
            console.print(escape(line), soft_wrap=True)
        if f.variant:
            console.print(f"[bold yellow]Recognised:[/] {escape(f.variant)}")
        if f.traceback:
            console.print("[bold]Your traceback[/]")
            console.print(escape(f.traceback), soft_wrap=True)
    if rep.stdout.strip():
        console.print("[dim]What your code printed (not part of the verdict):[/]")
        console.print(escape(rep.stdout.strip()), soft_wrap=True)
    if rep.timing:
        t = rep.timing
        ratio = t["ratio"]
        rel = (f"{ratio:.1f}x the reference's time" if ratio is not None else "")
        console.print(f"\nTiming ({escape(t['case'])}): yours {t['yours_s'] * 1000:.1f} ms, "
                      f"reference {t['reference_s'] * 1000:.1f} ms — {rel}")
    parts = ", ".join(f"{p}: {s}" for p, s in rep.parts.items())
    verdict = "[bold green]PASS[/]" if rep.passed else "[bold red]NOT YET[/]"
    console.print(f"\n{verdict}  {rep.parts_passed}/{len(rep.parts)} parts pass ({escape(parts)}); "
                  f"{rep.cases_passed}/{len(rep.cases)} cases; {rep.seconds:.1f} s")
    if not rep.implemented:
        console.print("Nothing implemented yet: replace `raise NotImplementedError` in "
                      f"{escape(rep.file)} with your code.")
