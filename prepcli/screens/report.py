"""Printed summaries for the non-interactive commands (rich, to the given console)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.markup import escape as _markup_escaped
from rich.table import Table

from prepcli.errors import safe_text

if TYPE_CHECKING:  # only a type: importing the importer would load the notes parser
    from prepcli.cards.importer import ImportReport



def escape(text: str) -> str:
    """Text from a deck, a note or a file name, as shown: no markup (`[bold]` in a question),
    no control sequences (a note's `ESC ]0;…` set the terminal's title, `ESC ]52` its
    clipboard)."""
    return _markup_escaped(safe_text(text))

def import_summary(console, rep: "ImportReport") -> None:
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
            console.print(f"  {d.slug}: {escape(_line(c.question))}  [dim]({c.id})[/]",
                          soft_wrap=True)
    for path, notes in rep.orphans:
        console.print(f"\n[yellow]note:[/] {escape(str(path))} was made from "
                      f"{escape(', '.join(notes))}, no longer there. If it was renamed, its cards "
                      "have new ids in the deck just written and both decks are studied: to keep "
                      f"their history, import it with --deck {escape(path.stem)} and delete the "
                      "new deck.", soft_wrap=True)
    kept = [(d, c) for d in rep.decks for c in d.kept]
    if kept:
        console.print("\n[bold]Kept[/] (added to the deck by hand, in no note: left as they are):")
        for d, c in kept:
            console.print(f"  {d.slug}: {escape(_line(c.question))}  [dim]({c.id})[/]",
                          soft_wrap=True)
    prompts = [(d, c) for d in rep.decks for c in d.prompts]
    if prompts:
        console.print(f"\n[bold]Prompts[/] ({len(prompts)} questions the notes do not answer yet;"
                      " not studied until answered, or with `prep study --prompts`):")
        for d, c in prompts:
            src = c.source or {}
            console.print(f"  {src.get('file')}:{src.get('line')}: {escape(_line(c.question))}",
                          soft_wrap=True)
    console.print("\n[bold]Per note[/] (cards, prompts; sections skipped and why; what to check):")
    for n in rep.notes:
        # (a line whole, as the lines under it: cut at 80 columns into a pipe, it read `8
        # cards, 0 prompts, 0` / `skipped, 0 unsure`, half of it for grep, fault hunt 44)
        console.print(f"  {escape(n.file)}: {n.cards} cards, {n.prompts} prompts, "
                      f"{len(n.skipped)} skipped, {len(n.unsure)} unsure"
                      + ("  [yellow](no studyable cards)[/]" if n.cards == n.prompts else ""),
                      soft_wrap=True)
        for label, items in (("skipped", n.skipped), ("unsure", n.unsure)):
            for s in items:
                console.print(f"    {label}: {escape(n.file)}:{s.line}: {escape(s.what)} — "
                              f"{escape(s.reason)}", soft_wrap=True)


LINE = 120  # characters of a question shown in a list (a note may hold a heading of megabytes)


def _line(text: str) -> str:
    """A question as one line of a list: its first line, cut at LINE characters."""
    first, _, more = text.partition("\n")
    if len(first) > LINE:
        return first[:LINE - 1].rstrip() + "…"
    return first + " …" if more else first


_STATUS_STYLE = {"pass": "green", "fail": "red", "error": "red", "timeout": "red",
                 "not implemented": "yellow", "not run": "yellow"}


def grade_report(console, rep) -> None:
    """The grader's verdict: a table of cases, the first failure in detail, the timing.
    Text from the user's code (its messages, traceback, output) is shown with no control
    sequence a terminal would act on (the grader cleans it already; escape does again)."""
    shown = escape
    table = Table(show_edge=False, header_style="bold", pad_edge=False)
    for col in ("case", "part", "kind", "status", "time"):
        table.add_column(col, justify="right" if col == "time" else "left",
                         overflow="fold")
    for part, status in rep.parts.items():
        if status == "not implemented":  # one row for a part not started, not one per case
            n = sum(1 for c in rep.cases if c.part == part)
            table.add_row(f"({n} cases)", shown(part), "", "[yellow]not implemented[/]", "")
    for c in rep.cases:
        if rep.parts.get(c.part) == "not implemented":
            continue
        style = _STATUS_STYLE.get(c.status, "")
        status = c.status + (f" ({shown(c.reason)})" if c.reason and c.status != "pass" else "")
        secs = f"{c.seconds * 1000:.1f} ms" if c.seconds is not None else ""
        table.add_row(shown(c.name), shown(c.part), c.category,
                      f"[{style}]{status}[/]" if style else status, secs)
    console.print(table)
    f = rep.first_failure
    if f is not None:
        console.print(f"\n[bold red]First failure:[/] {shown(f.case)}")
        if f.inputs:
            console.print("[bold]Inputs[/]")
            console.print(shown(f.inputs), soft_wrap=True)
        for line in f.problem:
            console.print(shown(line), soft_wrap=True)
        if f.variant:
            console.print(f"[bold yellow]Recognised:[/] {shown(f.variant)}")
        if f.traceback:
            console.print("[bold]Your traceback[/]")
            console.print(shown(f.traceback), soft_wrap=True)
    if rep.stdout.strip():
        console.print("[dim]What your code printed (not part of the verdict):[/]")
        console.print(shown(rep.stdout.strip()), soft_wrap=True)
    timing_line(console, rep)
    for note in rep.notes:
        console.print(f"[yellow]{shown(note)}[/]", soft_wrap=True)
    parts = ", ".join(f"{p}: {s}" for p, s in rep.parts.items())
    verdict = "[bold green]PASS[/]" if rep.passed else "[bold red]NOT YET[/]"
    console.print(f"\n{verdict}  {rep.parts_passed}/{len(rep.parts)} parts pass ({shown(parts)}); "
                  f"{rep.cases_passed}/{len(rep.cases)} cases; {rep.seconds:.1f} s")
    if not rep.implemented:
        console.print("Nothing implemented yet: replace `raise NotImplementedError` in "
                      f"{shown(rep.file)} with your code.")


def timing_line(console, rep) -> None:
    """The user's time against the reference's on the timing case (if it was timed)."""
    if rep.timing:
        t = rep.timing
        ratio = t["ratio"]
        rel = (f"{ratio:.1f}x the reference's time" if ratio is not None else "")
        console.print(f"\nTiming ({escape(t['case'])}): yours {t['yours_s'] * 1000:.1f} ms, "
                      f"reference {t['reference_s'] * 1000:.1f} ms — {rel} "
                      f"({escape(t.get('how', ''))})")


_BARS = " ▁▂▃▄▅▆▇█"
_SHADES = ("·", "░", "▒", "▓", "█")


def _pct(v) -> str:
    return "—" if v is None else f"{v:.0%}" if v >= 0.995 or v == 0 else f"{v:.1%}"


def _dur(secs: float) -> str:
    m, s = divmod(int(secs), 60)
    h, m = divmod(m, 60)
    return f"{h}h {m:02d}m" if h else f"{m}m {s:02d}s"


def stats_screen(console, d: dict) -> None:
    """`prep stats` on one screen."""
    from rich.columns import Columns
    from rich.panel import Panel

    if d["empty"]:
        c = d["counts"]
        console.print(Panel(
            f"No reviews yet{' in this deck' if d['deck'] else ''}.\n\n"
            f"[bold]prep study[/]   review the {c['total']} cards ready "
            f"({d['today']['new_available']} new today)\n"
            f"[bold]prep drill[/]   write {len(d['exercises'])} kernels by hand (NMS, conv, "
            "attention, RoIAlign, …), graded\n"
            "[bold]prep import[/]  turn your own Markdown notes into decks\n\n"
            f"{c['prompt']} questions in the notes have no answer yet "
            "(list them: prep stats --prompts).",
            title="prep stats", expand=False))
        return
    t, sk = d["today"], d["streak"]
    today = (f"reviews [bold]{t['reviews']}[/]   again {_pct(t['again_rate'])}   "
             f"time {_dur(t['seconds'])}\n"
             f"due now [bold]{t['due_now']}[/]   later today {t['due_later_today']}   "
             f"new available {t['new_available']} (of {t['new_total']})\n"
             f"streak [bold]{sk['days']}[/] day(s)   days studied {sk['days_studied']}"
             + (f"\ninterview {d['plan']['interview']}: {d['plan']['days_left']} day(s) left "
                "(due dates as the plan has them)" if d.get("plan") else ""))
    ret = Table(show_edge=False, pad_edge=False, header_style="bold", box=None)
    for col in ("true retention", "young", "mature", "all"):
        ret.add_column(col, justify="right")
    for w, v in d["retention"].items():
        ret.add_row(w, *(f"{_pct(v[k]['rate'])} ({v[k]['reviews']})"
                         for k in ("young", "mature", "all")))
    console.print(Columns([Panel(today, title="Today", expand=False),
                           Panel(ret, title="Retention (first review per day, pass = not Again)",
                                 expand=False)]))

    console.print(Panel(_forecast(d["forecast"]), title="Due, next 30 days", expand=False))
    console.print(Panel(_heatmap(d["heatmap"]), title="Reviews, last 26 weeks", expand=False))
    _more_charts(console, d)

    c = d["counts"]
    console.print(f"[bold]Cards:[/] new {c['new']} · learning {c['learning']} · young "
                  f"{c['young']} · mature {c['mature']} · suspended {c['suspended']} · buried "
                  f"{c['buried']} · [yellow]prompts {c['prompt']}[/] (questions without an "
                  "answer yet: prep stats --prompts)")
    decks = Table(show_edge=False, pad_edge=False, header_style="bold")
    for col in ("deck", "cards", "new", "due", "mature", "recall now"):
        decks.add_column(col, justify="left" if col == "deck" else "right")
    for row in d["decks"]:
        decks.add_row(escape(row["name"]), str(row["cards"]), str(row["new"]), str(row["due"]),
                      _pct(row["mature_share"]), _pct(row["retrievability"]))
    console.print(decks)
    if d["exercises"]:
        ex = Table(show_edge=False, pad_edge=False, header_style="bold")
        for col in ("exercise", "attempts", "parts (best / last)", "last graded", "next due"):
            ex.add_column(col)
        for e in d["exercises"]:
            last = "—" if e["last_parts_passed"] is None else str(e["last_parts_passed"])
            ex.add_row(e["exercise"], str(e["attempts"]),
                       f"{e['best_parts_passed']} / {last} of {e['parts']}",
                       (e["last_graded"] or "—")[:16].replace("T", " "),
                       (e["next_due"] or "new")[:16].replace("T", " "))
        console.print(ex)
    if d.get("mocks"):
        _mock_rows(console, d["mocks"])
    lc = d["leeches"]
    _card_list(console, f"[bold red]Leeches[/] ({len(lc['cards'])} cards with "
               f"{lc['threshold']}+ lapses)", "lapses",
               [(str(x["lapses"]), x) for x in lc["cards"]])
    _card_list(console, "[bold]Weakest now[/] (lowest chance of recall)", "recall",
               [(_pct(x["retrievability"]), x) for x in lc["weakest"]])


def _log_bars(values: list[int]) -> tuple[str, int]:
    """One character a value, heights on a log scale, so that a 20-card day still shows next
    to a 500-card backlog; a zero is blank."""
    import math

    top = max(values, default=0) or 1
    return "".join(_BARS[max(1, min(8, round(8 * math.log1p(v) / math.log1p(top))))] if v
                   else " " for v in values), top


def _forecast(fc: list[dict]) -> str:
    due = [f["due"] for f in fc]
    bars, top = _log_bars(due)
    weeks = [sum(due[i:i + 7]) for i in range(0, len(due), 7)]
    first = " ".join(f"{v}" for v in due[:7])
    return (f"{bars}\n{'today':<15}{'+15d':<15}log scale, max {top}/day\n"
            f"next 7 days: {first}\n"
            f"per week: {' · '.join(str(w) for w in weeks)}   ({sum(due)} in 30 days)")


def _heatmap(h: dict) -> str:
    """Rows are weekdays, columns weeks (oldest left), labelled with weekday and month."""
    from datetime import date, timedelta

    heat, first = h["reviews"], date.fromisoformat(h["first_date"])
    top = max(heat, default=0) or 1
    weeks = (len(heat) + 6) // 7
    months = [" "] * weeks
    last = None
    for w in range(weeks):
        day = first + timedelta(days=7 * w)
        if day.month == last:
            continue
        last = day.month
        # a month's name goes over its first week, when there is room (not over the one
        # before); a month that starts in the last three columns, or right after another
        # name, goes unnamed rather than be named in the wrong place
        tail_of_month = w == 0 and (day + timedelta(days=21)).month != day.month
        if not tail_of_month and w + 3 <= weeks and \
                all(m == " " for m in months[max(0, w - 1):w + 3]):
            months[w:w + 3] = list(day.strftime("%b"))
    lines = ["    " + "".join(months[:weeks])]
    for row in range(7):
        cells = heat[row::7]
        name = (first + timedelta(days=row)).strftime("%a")
        lines.append(f"{name} " + "".join(_SHADES[0] if v == 0 else
                                          _SHADES[min(4, 1 + 3 * v // top)] for v in cells))
    lines.append(f"from {h['first_date']}, one column a week, max {top}/day")
    return "\n".join(lines)


def _more_charts(console, d: dict) -> None:
    """What Anki's statistics have besides: reviews per day, answer buttons per card type,
    the interval histogram."""
    from rich.columns import Columns
    from rich.panel import Panel

    per_day = [x["reviews"] for x in d["reviews_per_day"]]
    bars, top = _log_bars(per_day)
    days = sum(1 for v in per_day if v)
    reviews = Panel(f"{bars}\n{'-30d':<27}today\nlog scale, max {top}/day; {sum(per_day)} "
                    f"reviews on {days} day(s), {sum(per_day) / len(per_day):.1f}/day",
                    title="Reviews per day, last 30 days", expand=False)
    buttons = Table(show_edge=False, pad_edge=False, header_style="bold", box=None)
    for col in ("", "Again", "Hard", "Good", "Easy", "correct"):
        buttons.add_column(col, justify="right")
    for kind, b in d["answer_buttons"].items():
        buttons.add_row(kind, str(b["again"]), str(b["hard"]), str(b["good"]), str(b["easy"]),
                        _pct(b["correct"]))
    ivl = d["intervals"]
    top_i = max((x["cards"] for x in ivl), default=0) or 1
    hist = "\n".join(f"{x['days']:>8} d {'█' * round(20 * x['cards'] / top_i):<20} {x['cards']}"
                     for x in ivl)
    console.print(Columns([reviews, Panel(buttons, title="Answer buttons, last 30 days",
                                          expand=False)]))
    console.print(Panel(hist, title="Intervals of review cards", expand=False))


LIST_ROWS = 10


def _card_list(console, title: str, figure: str, rows: list) -> None:
    """A titled table of cards, one line each, the first LIST_ROWS of them."""
    if not rows:
        return
    console.print(title)
    table = Table(show_edge=False, pad_edge=False, header_style="bold", box=None)
    table.add_column(figure, justify="right")
    table.add_column("deck")
    table.add_column("question", no_wrap=True, overflow="ellipsis")
    for value, card in rows[:LIST_ROWS]:
        table.add_row(value, escape(card["deck"]), escape(" ".join(card["question"].split())))
    console.print(table)
    if len(rows) > LIST_ROWS:
        console.print(f"[dim]… and {len(rows) - LIST_ROWS} more (all of them: "
                      "prep stats --json)[/]")


def mock_scorecard(console, card: dict) -> None:
    """The end of `prep mock`: what was recalled and passed, time per question, what next."""
    used = f"{int(card['seconds']) // 60}m {int(card['seconds']) % 60:02d}s"
    console.print(f"[bold]Mock interview[/]: {used} of {card['minutes']} min · cards recalled "
                  f"[bold]{card['cards_recalled']}/{card['cards']}[/] · exercises passed "
                  f"[bold]{card['exercises_passed']}/{card['exercises']}[/] · hints "
                  f"{card['hints']}")
    if card["questions"]:
        table = Table(show_edge=False, pad_edge=False, header_style="bold", box=None)
        for col in ("#", "question", "time", "result"):
            table.add_column(col, justify="right" if col in ("#", "time") else "left")
        for i, item in enumerate(card["questions"], 1):
            table.add_row(str(i), escape(f"{item['kind']} {item['id']}"), _dur(item["seconds"]),
                          item["result"])
        console.print(table)
    weak = card["weakest_topics"]
    console.print("Study next: " + (", ".join(escape(t) for t in weak) if weak else
                                    "nothing stood out: well done"))


def _mock_rows(console, mocks: list[dict]) -> None:
    table = Table(show_edge=False, pad_edge=False, header_style="bold")
    for col in ("mock interview", "time used", "cards recalled", "exercises passed",
                "study next"):
        table.add_column(col)
    for m in mocks:
        table.add_row(m["started"][:16].replace("T", " ") + ("" if m["finished"] else " (quit)"),
                      f"{m['minutes_used']:g} of {m['minutes']} min",
                      f"{m['cards_recalled']}/{m['cards']}",
                      f"{m['exercises_passed']}/{m['exercises']}",
                      escape(", ".join(m["weakest_topics"]) or "—"))
    console.print(table)


# --- JSON documents (schema 1, stable: documented in README.md) ----------------------------

def import_json(rep: "ImportReport") -> dict:
    """`prep import --json`: per deck what changed, per note what it gave and skipped."""
    def card(c) -> dict:
        src = c.source or {}
        return {"id": c.id, "question": c.question, "file": src.get("file"),
                "line": src.get("line")}

    return {"schema": 1,
            "decks": [{"deck": d.slug, "name": d.name, "file": str(d.file), "cards": d.cards,
                       "new": d.created, "updated": d.updated, "unchanged": d.unchanged,
                       "written": d.written, "vanished": [card(c) for c in d.vanished],
                       "kept": [card(c) for c in d.kept],
                       "prompts": [card(c) for c in d.prompts]} for d in rep.decks],
            "orphaned_decks": [{"file": str(path), "notes": notes} for path, notes in rep.orphans],
            "notes": [{"file": n.file, "cards": n.cards, "prompts": n.prompts,
                       "skipped": [{"line": s.line, "what": s.what, "reason": s.reason}
                                   for s in n.skipped],
                       "unsure": [{"line": s.line, "what": s.what, "reason": s.reason}
                                  for s in n.unsure]} for n in rep.notes]}


def exercises_json(rows, now) -> dict:
    """`prep exercises --json`: each exercise, its parts, the last grade and when it is due."""
    from prepcli.review.scheduler import from_ms

    def when(ms_):
        return from_ms(ms_).astimezone(now.tzinfo).isoformat()

    out = []
    for s in rows:
        g = s.last
        out.append({
            "exercise": s.exercise, "title": s.title, "parts": list(s.parts),
            "attempts": s.attempts, "best_parts_passed": s.best_parts,
            "last": None if g is None else {
                "graded": when(g.time), "passed": g.passed, "parts_passed": g.parts_passed,
                "parts_total": g.parts_total, "cases_passed": g.cases_passed,
                "cases_total": g.cases_total},
            "next_due": None if s.due is None else s.due.astimezone(now.tzinfo).isoformat(),
            "due_now": s.due is None or s.due <= now})
    return {"schema": 1, "generated_at": now.isoformat(), "exercises": out}
