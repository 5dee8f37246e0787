"""`prep import-anki`: an Anki package (.apkg or .colpkg) into YAML decks, and its review log
into the store, so the FSRS state the user built in Anki comes along.

The package is read with Anki's own Python library (the optional `anki` extra), so every
package version Anki writes reads correctly: it is imported into a temporary collection and
read back from there. This is the only module that imports `anki`.

Each note becomes one card: first field the question, second the answer (HTML turned into
Markdown), note tags kept, id `anki-<note guid>` (stable: importing again updates the same
cards, and review history already merged is not added twice). The reviews of the note's first
card (ord 0) become its history; manual reschedules (ease 0, types 4 and 5) are not reviews.

A note of prep's own note type (`prep export anki`) is a card the user already has: no new card
is written for it, and its reviews go to the card named in its Id field, so studying an export
in Anki (on a phone, say) and importing it back brings that history home.
"""

from __future__ import annotations

import html
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from prepcli.interop import anki_export
from prepcli.cards import deck as deckmod
from prepcli.interop import history
from prepcli.cards import textnorm
from prepcli.errors import PrepError

EXTRA_HINT = "pip install 'prepcli[anki]'"
MARK = "Imported from Anki by prep import-anki"  # the description: such a deck may be rewritten

_CLOZE = re.compile(r"\{\{c\d+::(.*?)(?:::(.*?))?\}\}", re.S)


def html_to_markdown(text: str) -> str:
    """Anki field HTML to Markdown, reasonably: line breaks and blocks become newlines,
    MathJax `\\(…\\)` / `\\[…\\]` become `$…$` / `$$…$$`, other tags are dropped, entities
    decoded."""
    t = text.replace("\r\n", "\n")
    t = re.sub(r"<br\s*/?>", "\n", t, flags=re.I)
    t = re.sub(r"</(div|p|li|tr|h[1-6])\s*>", "\n", t, flags=re.I)
    t = re.sub(r"<li[^>]*>", "- ", t, flags=re.I)
    t = re.sub(r"<(b|strong)>(.*?)</\1>", r"**\2**", t, flags=re.I | re.S)
    t = re.sub(r"<(i|em)>(.*?)</\1>", r"*\2*", t, flags=re.I | re.S)
    t = re.sub(r"<[^>]+>", "", t)
    t = html.unescape(t).replace("\xa0", " ")
    t = re.sub(r"\\\((.*?)\\\)", lambda m: f"${m.group(1).strip()}$", t, flags=re.S)
    t = re.sub(r"\\\[(.*?)\\\]", lambda m: f"$${m.group(1).strip()}$$", t, flags=re.S)
    t = "\n".join(line.rstrip() for line in t.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", t).strip()


def cloze_sides(text: str) -> tuple[str, str]:
    """A cloze field as (question with the gaps shown as […] or their hint, answer)."""
    question = _CLOZE.sub(lambda m: f"[{m.group(2) or '…'}]", text)
    return question, _CLOZE.sub(lambda m: m.group(1), text)


def card_id(guid: str) -> str:
    return f"anki-{guid}"


@dataclass(frozen=True)
class Revlog:
    """One row of Anki's revlog table (the fields used here)."""
    id: int  # epoch ms of the review
    cid: int  # Anki card id
    ease: int  # 1 Again .. 4 Easy; 0 for a manual change
    time: int  # ms spent answering
    type: int  # 0 learn, 1 review, 2 relearn, 3 filtered, 4 manual, 5 rescheduled


def revlog_rows(revlog: list[Revlog], card_for: dict[int, str]) -> tuple[list[history.Row], int]:
    """The reviews as history rows for the cards in `card_for` (Anki card id -> prep card
    id), and how many log entries were left out (not a review, or of a card not imported)."""
    rows, left = [], 0
    for r in revlog:
        cid = card_for.get(r.cid)
        if cid is None or r.ease not in (1, 2, 3, 4) or r.type > 3 or r.id < history.EARLIEST_MS:
            left += 1
            continue
        rows.append(history.Row(cid, r.id, r.ease, max(0, r.time) if r.time else None))
    return rows, left


@dataclass
class Note:
    guid: str
    deck: str  # Anki deck name of its first card, e.g. "Vision::Detection"
    fields: list[str]
    tags: list[str]
    cloze: bool = False
    prep_id: str | None = None  # the card id, for a note `prep export anki` wrote


def to_card(note: Note) -> deckmod.Card:
    first = note.fields[0] if note.fields else ""
    if note.cloze:
        q, a = cloze_sides(first)
        question, answer = html_to_markdown(q), html_to_markdown(a)
    else:
        question = html_to_markdown(first)
        answer = html_to_markdown(note.fields[1]) if len(note.fields) > 1 else ""
    tags = list(dict.fromkeys(t for t in (textnorm.tag(x) for x in note.tags) if t))
    return deckmod.Card(id=card_id(note.guid), question=question or "(empty)", answer=answer,
                        kind="qa" if answer else "prompt", tags=tags)


@dataclass
class Package:
    notes: list[Note]
    revlog: list[Revlog]
    first_card: dict[int, str] = field(default_factory=dict)  # Anki card id -> note guid


def read_package(path: Path) -> Package:
    """Every note and review of an .apkg or .colpkg, read by Anki's library."""
    if not path.is_file():
        raise PrepError("no such file", file=str(path))
    if path.suffix.lower() not in (".apkg", ".colpkg"):
        raise PrepError("not an Anki package: the file must end in .apkg or .colpkg",
                        file=str(path))
    try:
        from anki.collection import Collection
    except ImportError:
        raise PrepError("reading Anki packages needs Anki's library, an optional extra: "
                        f"{EXTRA_HINT}") from None
    with tempfile.TemporaryDirectory(prefix="prep-anki-") as tmp:
        col_path = Path(tmp) / "collection.anki2"
        try:
            if path.suffix.lower() == ".colpkg":
                col = _open_colpkg(path, col_path)
            else:
                col = Collection(str(col_path))
                _import_apkg(col, path)
        except PrepError:
            raise
        except Exception as e:  # Anki's own errors: a damaged or foreign file
            raise PrepError(f"Anki cannot read this package: {e}", file=str(path)) from None
        try:
            return _read(col)
        finally:
            col.close()


def _import_apkg(col, path: Path) -> None:
    from anki.import_export_pb2 import ImportAnkiPackageOptions, ImportAnkiPackageRequest

    col.import_anki_package(ImportAnkiPackageRequest(
        package_path=str(path), options=ImportAnkiPackageOptions(with_scheduling=True)))


def _open_colpkg(path: Path, col_path: Path):
    from anki.collection import Collection

    from anki._backend import RustBackend

    # A whole-collection package replaces a collection: Anki does it with no collection open.
    RustBackend().import_collection_package(
        col_path=str(col_path), backup_path=str(path),
        media_folder=str(col_path.parent / "media"), media_db=str(col_path.parent / "m.db"))
    return Collection(str(col_path))


def _read(col) -> Package:
    decks = {d.id: d.name for d in col.decks.all_names_and_ids()}
    models = {m["id"]: m for m in col.models.all()}
    cloze_models = {i for i, m in models.items() if m.get("type") == 1}
    first: dict[int, tuple[int, int]] = {}  # note id -> (card id, deck id) of its ord 0 card
    for cid, nid, did, odid, ord_ in col.db.execute(
            "SELECT id, nid, did, odid, ord FROM cards ORDER BY ord, id"):
        if nid not in first:
            first[nid] = (cid, odid or did)  # a card in a filtered deck: its home deck
    notes, first_card = [], {}
    for nid, guid, mid, flds, tags in col.db.execute(
            "SELECT id, guid, mid, flds, tags FROM notes ORDER BY id"):
        if nid not in first:
            continue
        cid, did = first[nid]
        fields = flds.split("\x1f")
        notes.append(Note(guid, decks.get(did, "Default"), fields, tags.split(),
                          mid in cloze_models, _prep_id(models.get(mid), fields)))
        first_card[cid] = guid
    revlog = [Revlog(*r) for r in col.db.execute(
        "SELECT id, cid, ease, time, type FROM revlog ORDER BY id")]
    return Package(notes, revlog, first_card)


def _prep_id(model, fields: list[str]) -> str | None:
    """The card id of a note written by `prep export anki` (its note type, its Id field)."""
    if not model or model.get("name") != anki_export.MODEL_NAME:
        return None
    names = [f["name"] for f in model.get("flds", [])]
    if "Id" not in names or names.index("Id") >= len(fields):
        return None
    return html.unescape(fields[names.index("Id")]).strip() or None


def convert(pkg: Package, out: Path) -> tuple[list[deckmod.Deck], list[history.Row], int]:
    """The package as decks (one per Anki deck, to be written under `out`) and history rows.
    Notes that prep exported are not made into cards again: their reviews go to their ids."""
    by_deck: dict[str, list[deckmod.Card]] = {}
    for n in pkg.notes:
        if n.prep_id is None:
            by_deck.setdefault(n.deck, []).append(to_card(n))
    decks = []
    for name, cards in by_deck.items():
        slug = textnorm.slug(name.replace("::", "-")) or "anki"
        decks.append(deckmod.Deck(name=name, cards=cards, description=MARK,
                                  path=out / f"{slug}.yaml"))
    ids = {n.guid: n.prep_id or card_id(n.guid) for n in pkg.notes}
    rows, left = revlog_rows(pkg.revlog, {c: ids[g] for c, g in pkg.first_card.items()})
    return decks, rows, left


def write_decks(decks: list[deckmod.Deck]) -> None:
    """Write the decks; a deck file that prep import-anki did not write is never replaced."""
    seen: dict[Path, str] = {}
    for d in decks:
        if d.path in seen:
            raise PrepError(f"Anki decks {seen[d.path]!r} and {d.name!r} would both be "
                            "written to this file; rename one in Anki", file=str(d.path))
        seen[d.path] = d.name
        if d.path.exists():
            old, _ = deckmod.load(d.path)
            if old is None or old.description != MARK:
                raise PrepError("a deck file not written by prep import-anki is already here "
                                "and would be overwritten; choose another --out",
                                file=str(d.path))
    for d in decks:
        d.path.parent.mkdir(parents=True, exist_ok=True)
        deckmod.write(d, d.path)
