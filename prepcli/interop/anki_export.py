"""`prep export anki`: the decks as an Anki package (.apkg), built with genanki.

One note type, "prep (Question / Answer / Source)"; Markdown rendered to HTML with the same
CommonMark parser the importer uses; `$…$` and `$$…$$` become Anki's MathJax delimiters
`\\(…\\)` and `\\[…\\]` (taken out before Markdown so that `_` and `*` inside formulas stay as
written); code stays `<pre><code>`; tags kept (spaces become underscores, as Anki's tags have
none). A note's GUID is derived from the card id, and the deck and note type ids from fixed
names, so exporting again and importing into Anki updates the notes instead of duplicating
them.
"""

from __future__ import annotations

import errno

import html
import re
import zlib
from dataclasses import dataclass
from pathlib import Path


MODEL_ID = 1607392319  # fixed forever: Anki matches the note type by id on re-import
MODEL_NAME = "prep (Question / Answer / Source)"
_CSS = """.card { font-family: -apple-system, "Segoe UI", "Noto Sans CJK SC", sans-serif;
 font-size: 18px; text-align: left; color: #222; background: #fff; }
pre { background: #f5f5f5; padding: 8px; overflow-x: auto; font-size: 14px; }
table { border-collapse: collapse; } td, th { border: 1px solid #ccc; padding: 2px 6px; }
.source { color: #888; font-size: 12px; margin-top: 12px; }"""

# $$…$$ first (it may span lines), then $…$ on one line; a `\$` is a literal dollar.
_DISPLAY = re.compile(r"(?<!\\)\$\$(.+?)(?<!\\)\$\$", re.S)
_INLINE = re.compile(r"(?<![\\$])\$(?!\s)([^$\n]+?)(?<![\s\\])\$(?!\$)")


def _markdown():
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False}).enable("table")


def to_html(text: str, md=None) -> str:
    """Markdown to Anki HTML, math to MathJax delimiters."""
    md = md or _markdown()
    math: list[str] = []

    def keep(m, opening: str, closing: str) -> str:
        math.append(opening + html.escape(m.group(1).strip(), quote=False) + closing)
        return f"\ue000{len(math) - 1}\ue001"  # private-use marks: Markdown leaves them

    # Code is Markdown's own: formulas are looked for only outside fenced and inline code.
    parts = re.split(r"(```.*?```|`[^`\n]*`)", text, flags=re.S)
    for i in range(0, len(parts), 2):
        parts[i] = _DISPLAY.sub(lambda m: keep(m, r"\[", r"\]"), parts[i])
        parts[i] = _INLINE.sub(lambda m: keep(m, r"\(", r"\)"), parts[i])
    out = md.render("".join(parts)).strip()
    return re.sub("\ue000(\\d+)\ue001", lambda m: math[int(m.group(1))], out)


def _field(text: str) -> str:
    """A note's field as Anki stores it: its fields are joined with U+001F, so one in the text
    would split it (the note then has more fields than its type, and Anki refuses the whole
    package: fault hunt 33). Shown as U+241F, its visible symbol, instead."""
    return text.replace("\x1f", "\u241f")


def _id(name: str) -> int:
    return 1 << 30 | zlib.crc32(name.encode("utf-8"))  # stable, positive, fits Anki's ids


def note_guid(card_id: str) -> str:
    """The GUID of the note of a card: the same on every export (Anki then updates the note),
    and how `prep import-anki` knows a note it wrote whatever the note type is called."""
    import genanki

    return genanki.guid_for("prep", card_id)


# The zip comment of a package `export` wrote
EXPORT_MARK = b"prep export anki"


def _an_earlier_export(path: Path) -> bool:
    """A package `export` wrote (its zip comment says so), which an export may replace; any
    other file is the user's: a .docx, Anki's own backup of a whole collection, a deck that
    someone else made with genanki (whose files are named as prep's). (An export of a prep
    from before the mark is refused too: delete it, and export again.)"""
    import zipfile

    try:
        with zipfile.ZipFile(path) as z:
            return z.comment == EXPORT_MARK
    except (OSError, zipfile.BadZipFile, ValueError):
        return False


def _tag(t: str) -> str:
    return re.sub(r"\s+", "_", t.strip())


def _source(card) -> str:
    s = card.source or {}
    where = " › ".join(s.get("path") or [])
    file = s.get("file")
    line = f":{s['line']}" if s.get("line") else ""
    return html.escape(" — ".join(x for x in (where, f"{file}{line}" if file else "") if x))


@dataclass
class ExportReport:
    file: Path
    decks: int
    notes: int
    prompts_left_out: int


def export(decks, path: Path, include_prompts: bool = False) -> ExportReport:
    import genanki

    model = genanki.Model(
        MODEL_ID, MODEL_NAME,
        fields=[{"name": "Question"}, {"name": "Answer"}, {"name": "Source"}, {"name": "Id"}],
        templates=[{"name": "Card 1", "qfmt": "{{Question}}",
                    "afmt": '{{FrontSide}}<hr id="answer">{{Answer}}'
                            '<div class="source">{{Source}}</div>'}],
        css=_CSS, sort_field_index=0)
    md = _markdown()
    packages, notes, skipped = [], 0, 0
    for deck in decks:
        adeck = genanki.Deck(_id("prep::" + deck.name), f"prep::{deck.name}")
        for card in deck.cards:
            if card.kind == "prompt" and not include_prompts:
                skipped += 1
                continue
            tags = [_tag(t) for t in card.tags if t.strip()]
            if card.kind == "prompt":
                tags.append("prep_prompt")
            adeck.add_note(genanki.Note(
                model=model, guid=note_guid(card.id),
                fields=[_field(f) for f in (to_html(card.question, md),
                                            to_html(card.answer or "", md), _source(card),
                                            html.escape(card.id))],
                tags=sorted(set(tags))))
            notes += 1
        packages.append(adeck)
    from prepcli.interop.output import replace_file

    def write(tmp: Path) -> None:
        import tempfile
        import zipfile

        # genanki builds the collection in a file of its own in the temporary folder and never
        # removes it (a copy of every card, at each export): here it is made in a folder of
        # ours beside the package, removed after, and a full disk there is said as such (it
        # was SQLite's "database or disk is full", internal error, exit 70)
        with tempfile.TemporaryDirectory(prefix=".prep-export-", dir=tmp.parent) as room:
            before, tempfile.tempdir = tempfile.tempdir, room
            try:
                genanki.Package(packages).write_to_file(str(tmp))
            except Exception as e:  # noqa: BLE001 (SQLite's own error: its module not ours)
                if type(e).__module__ != "sqlite3":
                    raise
                raise OSError(errno.ENOSPC if "full" in str(e) else errno.EIO,
                              f"no room to build the package ({e})") from None
            finally:
                tempfile.tempdir = before
        with zipfile.ZipFile(tmp, "a") as z:  # (how the next export knows it: _an_earlier_export)
            z.comment = EXPORT_MARK

    replace_file(path, write, "a package prep exported", _an_earlier_export)
    return ExportReport(path, len(packages), notes, skipped)
