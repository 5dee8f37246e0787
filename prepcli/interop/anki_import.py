"""`prep import-anki`: an Anki package (.apkg or .colpkg) into YAML decks, and its review log
into the store, so the FSRS state the user built in Anki comes along.

The package is read with Anki's own Python library (the optional `anki` extra), so every
package version Anki writes reads correctly: it is imported into a temporary collection and
read back from there. This is the only module that imports `anki`.

Each note becomes one card: first field the question, second the answer (HTML turned into
Markdown; a cloze's gaps hidden in the question, filled in the answer, Back Extra after it),
note tags kept, id `anki-<note guid>` (stable: importing again updates the same cards, and
review history already merged is not added twice). The reviews of the note's first card
(lowest ord) become its history, the ones Anki's FSRS counts: manual reschedules (ease 0,
types 4 and 5) and cram answers (type 3, factor 0) are not reviews, and a card reset to new
starts its history again. Deck files are written all or none, one per Anki deck; a card whose
note moved to another Anki deck since an earlier import moves with it.

A note `prep export anki` wrote (its GUID is prep's for one of its fields, or it is of prep's
note type) is a card the user already has: no new card is written for it, and its reviews go
to the card of that id, so studying an export in Anki (on a phone, say) and importing it back
brings that history home, also after the note type was renamed in Anki.

A note whose first card is suspended in Anki (queue -1) is suspended in prep too (see
`suspended_ids`); a buried one is not buried (burying lasts a day), and nothing is unsuspended.
"""

from __future__ import annotations

import contextlib
import errno
import html
import re
import stat
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from prepcli import paths
from prepcli.interop import anki_export
from prepcli.cards import deck as deckmod
from prepcli.interop import history
from prepcli.cards import textnorm
from prepcli.errors import PrepError
from prepcli.paths import file_kind

EXTRA_HINT = "pip install 'prepcli[anki]'"
MARK = "Imported from Anki by prep import-anki"  # the description: such a deck may be rewritten

# A cloze with no cloze inside it (Anki 2.1.56+ nests them): the innermost are replaced first.
_CLOZE = re.compile(r"\{\{c\d+::((?:(?!\{\{c\d+::).)*?)(?:::((?:(?!\{\{c\d+::).)*?))?\}\}", re.S)
_DROPPED = re.compile(r"<(style|script)\b[^>]*>.*?</\1\s*>|<!--.*?-->", re.I | re.S)
_PRE = re.compile(r"<pre\b[^>]*>(.*?)</pre\s*>", re.I | re.S)
_CODE = re.compile(r"<code\b[^>]*>(.*?)</code\s*>", re.I | re.S)
_TABLE = re.compile(r"<table\b[^>]*>(.*?)</table\s*>", re.I | re.S)
_ROW = re.compile(r"<tr\b[^>]*>(.*?)</tr\s*>", re.I | re.S)
_CELL = re.compile(r"<t[dh]\b[^>]*>(.*?)</t[dh]\s*>", re.I | re.S)
_IMG = re.compile(r"<img\b[^>]*>", re.I)
_ATTR = re.compile(r"""\b(src|alt)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)
_OL = re.compile(r"<ol\b[^>]*>(.*?)</ol\s*>", re.I | re.S)
_BR = re.compile(r"<br\s*/?>", re.I)
_BLOCK_END = re.compile(r"</(div|p|li|tr|h[1-6]|ul|ol|table)\s*>", re.I)
_LI = re.compile(r"<li\b[^>]*>", re.I)
_BOLD = re.compile(r"<(b|strong)\b[^>]*>(.*?)</\1\s*>", re.I | re.S)
_ITALIC = re.compile(r"<(i|em)\b[^>]*>(.*?)</\1\s*>", re.I | re.S)
_TAG = re.compile(r"<[^>]+>")
_MATH_INLINE = re.compile(r"\\\((.*?)\\\)", re.S)
_MATH_DISPLAY = re.compile(r"\\\[(.*?)\\\]", re.S)
# Anki's own LaTeX (made into images by Anki): [$]…[/$], [$$]…[/$$], and [latex]…[/latex]
_LATEX = re.compile(r"\[\$\](.*?)\[/\$\]|\[\$\$\](.*?)\[/\$\$\]|\[latex\](.*?)\[/latex\]", re.S)
_KEPT = re.compile("\ue000(\\d+)\ue001")  # private-use marks: text already converted
_IMAGE_MARK = re.compile("\ue002(\\d+)\ue003")
_MARKS = dict.fromkeys(range(0xE000, 0xE004))  # (a field's own are dropped first)


def html_to_markdown(text: str) -> str:
    """Anki field HTML to Markdown, reasonably: line breaks and blocks become newlines, tables
    Markdown tables, `<pre>` fenced code and `<code>` inline code, images `![alt](src)` (their
    media files are not copied, so they are kept only in a field that holds nothing else),
    numbered lists numbered; MathJax `\\(…\\)` / `\\[…\\]` and
    Anki's LaTeX `[$]…[/$]` / `[$$]…[/$$]` / `[latex]…[/latex]` become `$…$` / `$$…$$`; style
    sheets, scripts and other tags are dropped, entities decoded (once)."""
    kept: list[str] = []
    images: list[str] = []

    def keep(markdown: str) -> str:
        kept.append(markdown)
        return f"\ue000{len(kept) - 1}\ue001"

    def image(tag: str) -> str:
        images.append(_image(tag))
        return f"\ue002{len(images) - 1}\ue003"

    t = _DROPPED.sub("", text.replace("\r\n", "\n").translate(_MARKS))
    t = _TABLE.sub(lambda m: keep(_table(m.group(1))), t)  # (each cell converted on its own)
    t = _PRE.sub(lambda m: keep(f"\n\n```\n{_code_text(m.group(1)).strip(chr(10))}\n```\n\n"), t)
    t = _CODE.sub(lambda m: keep(_inline_code(_code_text(m.group(1)))), t)
    t = _IMG.sub(lambda m: image(m.group(0)), t)
    t = _OL.sub(lambda m: "<ol>" + _LI.sub("1. ", m.group(1)) + "</ol>", t)
    t = _BR.sub("\n", t)
    t = _BLOCK_END.sub("\n", t)
    t = _LI.sub("- ", t)
    t = _BOLD.sub(r"**\2**", t)
    t = _ITALIC.sub(r"*\2*", t)
    t = html.unescape(_TAG.sub("", t)).replace("\xa0", " ")
    t = _MATH_INLINE.sub(lambda m: f"${m.group(1).strip()}$", t)
    t = _MATH_DISPLAY.sub(lambda m: f"$${m.group(1).strip()}$$", t)
    t = _LATEX.sub(_latex, t)
    t = _KEPT.sub(lambda m: kept[int(m.group(1))], t)
    alone = not _IMAGE_MARK.sub("", t).strip()  # images only: they say what the field showed
    t = _IMAGE_MARK.sub(lambda m: images[int(m.group(1))] if alone else "", t)
    t = "\n".join(line.rstrip() for line in t.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", t).strip()


def _code_text(inner: str) -> str:
    """The text of code: its lines kept (Anki's editor writes them as <br> or <div>s)."""
    inner = _BLOCK_END.sub("\n", _BR.sub("\n", inner))
    return html.unescape(_TAG.sub("", inner)).replace("\xa0", " ")


def _inline_code(code: str) -> str:
    code = code.replace("\n", " ").strip()
    return f"`` {code} ``" if "`" in code else f"`{code}`"


def _table(inner: str) -> str:
    rows = []
    for row in _ROW.findall(inner):
        cells = [html_to_markdown(c).replace("\n", "<br>").replace("|", "\\|")
                 for c in _CELL.findall(row)]
        if cells:
            rows.append(cells)
    if not rows:
        return "\n"
    width = max(len(r) for r in rows)
    lines = ["| " + " | ".join(r + [""] * (width - len(r))) + " |" for r in rows]
    lines.insert(1, "|" + " --- |" * width)
    return "\n\n" + "\n".join(lines) + "\n\n"


def _image(tag: str) -> str:
    attrs = {m.group(1).lower(): html.unescape(m.group(2) or m.group(3) or m.group(4) or "")
             for m in _ATTR.finditer(tag)}
    src = attrs.get("src", "").strip()
    if not src:
        return ""
    for c, enc in ((" ", "%20"), ("(", "%28"), (")", "%29")):
        src = src.replace(c, enc)
    alt = " ".join(re.sub(r"[\[\]]", " ", attrs.get("alt", "")).split())
    return f"![{alt}]({src})"


def _latex(m: re.Match) -> str:
    inline, display, body = m.groups()
    if inline is not None:
        return f"${inline.strip()}$"
    if display is not None:
        return f"$${display.strip()}$$"
    body = body.strip()
    return body if "$" in body else f"$${body}$$"


def cloze_sides(text: str) -> tuple[str, str]:
    """A cloze field as (question with the gaps shown as […] or their hint, answer). Nested
    clozes are taken from the inside out: an outer gap hides the inner ones."""
    question = answer = text
    for _ in range(50):  # nesting depth: Anki's own editor never gets near it
        q = _CLOZE.sub(lambda m: f"[{m.group(2) or '…'}]", question)
        a = _CLOZE.sub(lambda m: m.group(1), answer)
        if (q, a) == (question, answer):
            break
        question, answer = q, a
    return question, answer


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
    factor: int | None = None  # the ease factor logged; 0 on cram answers and resets

    @property
    def cram(self) -> bool:
        """An answer in a filtered deck that does not reschedule: changes nothing in Anki."""
        return self.type == 3 and self.factor == 0

    @property
    def reset(self) -> bool:
        """The card was reset to new (Forget): a manual entry with factor 0."""
        return self.type == 4 and self.factor == 0


def revlog_rows(revlog: list[Revlog], card_for: dict[int, str]
                ) -> tuple[list[history.Row], int, list[tuple[str, int]]]:
    """The reviews as history rows for the cards in `card_for` (Anki card id -> prep card
    id), how many log entries were left out: not a review (manual reschedules, cram
    answers, what came before a reset), or of a card not imported; and the cards reset
    (card id, time): where a card's history starts again after answers it had (a reviews
    import of an earlier package holds those, and they counted again). A card's reviews are
    the ones Anki's FSRS counts for its memory state (`reviews_for_fsrs` in Anki's rslib)."""
    rows, left, resets = [], 0, []
    by_card: dict[int, list[Revlog]] = {}
    for r in revlog:
        by_card.setdefault(r.cid, []).append(r)
    for acid, log in by_card.items():
        cid = card_for.get(acid)
        log = sorted(log, key=lambda r: r.id)
        counted = _counted(log) if cid is not None else []
        left += len(log) - len(counted)
        rows += [history.Row(cid, r.id, r.ease, max(0, r.time) if r.time else None)
                 for r in counted]
        before = log[:log.index(counted[0])] if counted else log
        if cid is not None and any(1 <= r.ease <= 4 and not r.cram for r in before):
            # (reset since those answers: just before the first answer counted, or at the
            # last reset of a card not answered since)
            at = counted[0].id - 1 if counted else max(r.id for r in log if r.reset) \
                if any(r.reset for r in log) else None
            if at is not None:
                resets.append((cid, at))
    rows.sort(key=lambda r: r.time)
    return rows, left, resets


def _counted(log: list[Revlog]) -> list[Revlog]:
    """Of one card's log (time order), the answers that make its state, as Anki counts them:
    cram answers never; the history starts at the first answer of the card's last run of
    learning steps (a card reset to new and learnt again starts again there, and so does one
    an older Anki reset without logging it), or after its last reset when it was answered
    since without learning steps; a card reset and not answered since has none."""
    start, answered, learning = 0, False, None
    for i in range(len(log) - 1, -1, -1):
        r = log[i]
        if r.cram:
            continue
        graded = 1 <= r.ease <= 4
        if graded and r.type == 0:
            learning = i
        elif r.reset:
            if learning is None:
                if not answered:
                    return []
                start = i + 1
            break
        elif learning is not None:
            break
        answered = answered or graded
    if learning is not None:
        start = learning
    return [r for r in log[start:] if 1 <= r.ease <= 4 and r.type <= 3 and not r.cram
            and r.id >= history.EARLIEST_MS]


@dataclass
class Note:
    guid: str
    deck: str  # Anki deck name of its first card, e.g. "Vision::Detection"
    fields: list[str]
    tags: list[str]
    cloze: bool = False
    prep_id: str | None = None  # the card id, for a note `prep export anki` wrote
    suspended: bool = False  # its first card is suspended in Anki (queue -1)
    # the fields its first card shows on the front, and then on the back (by index); None:
    # the first field is the question, the second the answer
    sides: tuple[list[int], list[int]] | None = None
    occlusion: bool = False  # an Image Occlusion note: shapes over an image, no text card
    nid: int | None = None  # its Anki note id

    @property
    def prep_card(self) -> str:
        """The id of the prep card it is: the one prep exported it from, or its own."""
        return self.prep_id or card_id(self.guid)


def to_card(note: Note) -> deckmod.Card:
    first = note.fields[0] if note.fields else ""
    if note.cloze:  # its second field (Back Extra) is shown with the answer
        q, a = cloze_sides(first)
        extra = html_to_markdown(note.fields[1]) if len(note.fields) > 1 else ""
        question, answer = html_to_markdown(q), html_to_markdown(a)
        answer = f"{answer}\n\n{extra}" if answer and extra else answer
    elif note.sides is not None:  # (`Source` first, the question third: as its card shows)
        question, answer = (html_to_markdown("<br>".join(
            note.fields[i] for i in side if i < len(note.fields) and note.fields[i].strip()))
            for side in note.sides)
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
    # of a whole collection (.colpkg): its decks that hold no card (not Default, nor a deck
    # over others that do). An .apkg leaves such decks out: none is known from one.
    empty_decks: list[str] = field(default_factory=list)
    # review log entries dated in the future, left out (see _read)
    future: int = 0


SUSPENDED = -1  # Anki's cards.queue of a suspended card (-2 and -3: buried, for a day)
DEFAULT_DECK = 1  # Anki's own deck, in every collection
AGAIN = "export it from Anki again (File → Export)"
COLLECTIONS = ("collection.anki21b", "collection.anki21", "collection.anki2")


def read_package(path: Path) -> Package:
    """Every note and review of an .apkg or .colpkg, read by Anki's library."""
    _a_file(path)
    if path.suffix.lower() not in (".apkg", ".colpkg"):
        raise PrepError("not an Anki package: the file must end in .apkg or .colpkg",
                        file=str(path))
    try:
        from anki.collection import Collection
    except ImportError:
        raise PrepError("reading Anki packages needs Anki's library, an optional extra: "
                        f"{EXTRA_HINT}") from None
    check_archive(path)
    with tempfile.TemporaryDirectory(prefix="prep-anki-") as tmp:
        col_path = Path(tmp) / "collection.anki2"
        started = time.time_ns() // 1_000_000
        col = None
        try:
            if path.suffix.lower() == ".colpkg":
                col = _open_colpkg(path, col_path)
            else:
                col = Collection(str(col_path))
                _import_apkg(col, path)
            # (in here: a .colpkg is read as it is, with no import to fail first on a table
            # it lacks or a field stored as bytes: fault hunt 42)
            pkg = _read(col, whole=path.suffix.lower() == ".colpkg",
                        read_during=(started, time.time_ns() // 1_000_000))
            if not pkg.notes:
                _not_foreign(path, Path(tmp))
            return pkg
        except PrepError:
            raise
        except Exception as e:  # Anki's own errors: a damaged or foreign file
            said = " ".join(str(e).split()) or type(e).__name__
            if "DiskFull" in said or "No space left" in said or \
                    getattr(e, "errno", None) in (errno.ENOSPC, errno.EDQUOT):
                # (not named: Python falls back to /tmp when TMPDIR is full, Anki does not)
                raise PrepError("no room left in the temporary folder (TMPDIR, else /tmp) to "
                                "open the package in: free some space there, or point TMPDIR "
                                "at a folder with room", file=str(path)) from None
            if "newer version" in said or "FileTooNew" in said:
                from anki.buildinfo import version

                raise PrepError(f"made by a newer version of Anki than the library installed "
                                f"here (anki {version}) reads: pip install -U anki, or in Anki "
                                "export it again with \"Support older Anki versions\" ticked",
                                file=str(path)) from None
            raise PrepError(f"Anki cannot read this package ({said}): {AGAIN}",
                            file=str(path)) from None
        finally:
            if col is not None:
                try:
                    col.close()
                except Exception:  # noqa: BLE001 (a damaged copy in a folder about to go)
                    pass


# What each collection file starts with: SQLite's header; anki21b is zstd-compressed SQLite
_MAGIC = {"collection.anki2": b"SQLite format 3\x00", "collection.anki21": b"SQLite format 3\x00",
          "collection.anki21b": b"\x28\xb5\x2f\xfd"}


def _a_file(path: Path) -> None:
    """A package to read is a regular file: say what it is otherwise."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise PrepError("no such file", file=str(path)) from None
    except OSError as e:
        raise PrepError(f"cannot read: {e.strerror}", file=str(path)) from None
    if stat.S_ISDIR(mode):
        raise PrepError("a folder, not an Anki package: name the .apkg file", file=str(path))
    if not stat.S_ISREG(mode):
        raise PrepError(f"not a regular file ({file_kind(mode)}): give an .apkg or .colpkg "
                        "file", file=str(path))


def check_archive(path: Path) -> None:
    """A package is a zip archive holding a collection: say what is wrong in words a user can
    act on (Anki's own are about EOCD records and checksums) before Anki reads it."""
    import zipfile
    import zlib

    where = str(path)
    try:
        if path.stat().st_size == 0:
            raise PrepError(f"an empty file, not an Anki package: {AGAIN}", file=where)
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
            inside = [n for n in COLLECTIONS if n in names]
            if not inside:
                if "media" in names:
                    raise PrepError("holds only media files, no notes: in Anki, export the "
                                    "deck (File → Export, Anki Deck Package)", file=where)
                raise PrepError("a zip archive that holds no Anki collection, so not an Anki "
                                f"package: {AGAIN}", file=where)
            for name in inside:  # read through: a changed byte fails its checksum here
                with z.open(name) as f:
                    head = f.read(16)
                    while f.read(1 << 20):
                        pass
                if not head.startswith(_MAGIC[name]):
                    # (an empty or cut collection is read by SQLite as a new, empty one: a
                    # package of no notes, not the damaged file it is)
                    raise PrepError(f"damaged: its collection ({name}) is "
                                    f"{'empty' if not head else 'not a collection'}; {AGAIN}",
                                    file=where)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as e:
        if not zipfile.is_zipfile(path):
            raise PrepError("not a complete zip archive, so not a readable Anki package (a "
                            f"download cut short, or another kind of file): {AGAIN}",
                            file=where) from None
        raise PrepError(f"damaged: {' '.join(str(e).split())}; {AGAIN}", file=where) from None
    except OSError as e:
        raise PrepError(f"cannot read: {e.strerror}", file=where) from None


def _not_foreign(path: Path, tmp: Path) -> None:
    """A package of no notes is one (an empty deck exported), unless its collection is an
    SQLite database of some other program: Anki imports nothing from it and says nothing, and
    neither did prep ("0 note(s)", exit 0)."""
    import zipfile

    from prepcli.review.store import table_names

    with zipfile.ZipFile(path) as z:
        name = next((n for n in COLLECTIONS[1:] if n in z.namelist()), None)
        if name is None:  # (only a compressed collection: Anki read it as one)
            return
        copy = tmp / "as-packed.sqlite"
        import shutil

        # (copied in pieces: read whole, a package's collection is all in memory at once)
        with z.open(name) as src, open(copy, "wb") as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
    tables = table_names(copy)
    if tables is None:
        return  # (Anki read it: what it is, it can say better)
    if not {"col", "notes", "cards"} <= tables:
        raise PrepError(f"its collection ({name}) is an SQLite database with no Anki tables "
                        f"(notes, cards), made by some other program: {AGAIN}", file=str(path))


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


def _read(col, whole: bool = False, read_during: tuple[int, int] | None = None) -> Package:
    """The package's notes and review log. `read_during`: the span (epoch ms) in which Anki
    read the package: Anki dates a log entry more than a day in the future (a device whose
    clock ran fast) there, at the time it reads it, and so at another time on each import:
    such an entry would be added again each time (fault hunt 37). It is left out and counted
    (Package.future); `prep import-anki` leaves out the rest dated in the future, as it
    counts the clock."""
    decks = {d.id: d.name for d in col.decks.all_names_and_ids()}
    models = {m["id"]: m for m in col.models.all()}
    cloze_models = {i for i, m in models.items() if m.get("type") == 1}
    sides = {i: _sides(m) for i, m in models.items() if i not in cloze_models}
    # (Anki's Image Occlusion type: its cloze is shapes' coordinates, `[…][…]` as text)
    occlusion = {i for i, m in models.items() if m.get("originalStockKind") == 6
                 or [f.get("name") for f in m.get("flds", [])][:2] == ["Occlusion", "Image"]}
    # note id -> (card id, deck id, suspended) of its ord 0 card
    first: dict[int, tuple[int, int, bool]] = {}
    for cid, nid, did, odid, ord_, queue in col.db.execute(
            "SELECT id, nid, did, odid, ord, queue FROM cards ORDER BY ord, id"):
        if nid not in first:  # a card in a filtered deck: its home deck
            first[nid] = (cid, odid or did, queue == SUSPENDED)
    used = {did for _, did, _ in first.values()}
    decks = _unclashed(decks, used)
    notes, first_card = [], {}
    # (a GUID two notes share, or an empty one, as a tool other than Anki may write: the
    # card of each such note but the first (the lowest note id, which keeps the id an
    # earlier package gave it) takes its note id too, and so does every note of an empty
    # GUID; one id for all made a deck `prep check` refuses, and put their reviews on one
    # card: fault hunts 37, 38. A GUID that is no printable text gives no id (`prep check`
    # refused the deck, and so its cards: fault hunt 42): the note id alone.)
    seen: set[str] = set()
    for nid, guid, mid, flds, tags in col.db.execute(
            "SELECT id, guid, mid, flds, tags FROM notes ORDER BY id"):
        if nid not in first:
            continue
        cid, did, is_suspended = first[nid]
        fields = flds.split("\x1f")
        if not (isinstance(guid, str) and guid.isprintable() and guid.strip()):
            key = f"n{nid}"
        elif guid in seen:
            key = f"{guid.strip()}-n{nid}"
        else:
            key = guid
        seen.add(guid)
        notes.append(Note(key, decks.get(did, "Default"), fields, tags.split(),
                          mid in cloze_models, _prep_id(models.get(mid), fields, guid),
                          is_suspended, sides.get(mid), mid in occlusion, nid))
        first_card[cid] = key
    revlog = [Revlog(*r) for r in col.db.execute(
        "SELECT id, cid, ease, time, type, factor FROM revlog ORDER BY id")]
    future = 0
    if read_during is not None:
        # (past its end by one millisecond an entry: unique ids, taken one after another)
        start, end = read_during[0], read_during[1] + len(revlog)
        ids = {r.id for r in revlog}
        late = min((i for i in ids if i >= start), default=None)
        # (but answers given faster than one a millisecond apart are dated so, one after
        # another, ahead of the clock: a run of them that began before the read went on
        # into it, and is no entry moved there: 2,000 answered in 0.4 s, a test's)
        moved = late is not None and late - 1 not in ids
        if moved:
            kept = [r for r in revlog if not start <= r.id <= end]
            future, revlog = len(revlog) - len(kept), kept
    empty = []
    if whole:
        held = {decks[did] for did in used if did in decks}
        empty = [name for did, name in decks.items() if did not in used and did != DEFAULT_DECK
                 and not any(h.startswith(name + "::") for h in held)]
    return Package(notes, revlog, first_card, empty, future)


_FIELD_REF = re.compile(r"\{\{([^{}]+)\}\}")


def _sides(model) -> tuple[list[int], list[int]] | None:
    """The fields (by index) the note type's first card shows on its front, and those its
    back adds, from its templates (`{{Front}}`, `{{type:Back}}`, `{{hint:Notes}}`; not
    `{{FrontSide}}` or a `{{#Field}}` condition); None where that is the first field and
    then the second (Basic and its kin), or the templates name none."""
    try:
        names = [f["name"] for f in model["flds"]]
        tmpl = model["tmpls"][0]
        refs = [[m.strip() for m in _FIELD_REF.findall(tmpl[k] or "")] for k in ("qfmt", "afmt")]
    except (KeyError, IndexError, TypeError):
        return None
    def index(ref: str, typed: bool) -> int | None:
        if ref[:1] in "#/^!" or (ref.startswith("type:") and not typed):
            return None
        name = ref.rsplit(":", 1)[-1].strip()
        return names.index(name) if name in names else None
    front = list(dict.fromkeys(i for r in refs[0] if (i := index(r, False)) is not None))
    back = list(dict.fromkeys(i for r in refs[1] if (i := index(r, True)) is not None
                              and i not in front))
    if not front or (front, back[:1]) == ([0], [1]):
        return None
    return front, back


def _unclashed(decks: dict[int, str], used: set[int]) -> dict[int, str]:
    """Deck names as the package gave them: two decks of one name in it (genanki's own empty
    `Default`, id 1, beside the user's `Default`) are told apart by Anki with a `_` after one,
    whichever it meets second, so the same package came in as `Default` or as `Default_`
    and its cards moved between two files on each import. A deck with cards named so after
    an empty one takes its name back."""
    empty = {name for i, name in decks.items() if i not in used}
    out = dict(decks)
    for i in used:
        name = decks.get(i, "")
        base = name.rstrip("_")
        if name != base and base in empty:
            out[i] = base
    return out


def _prep_id(model, fields: list[str], guid: str | None = None) -> str | None:
    """The card id of a note written by `prep export anki`: a field whose value gives the
    note's GUID as prep makes it (whatever the note type and its fields are called in Anki
    by now), or the Id field of prep's note type."""
    if guid and len(fields) >= 4:  # (prep's note type has four fields: Basic two, Cloze two)
        for f in fields:
            if len(f) <= 512 and "<" not in f:  # (an id is short, and written escaped)
                value = html.unescape(f)
                for v in dict.fromkeys((value, value.strip())):  # (as exported, or trimmed)
                    if v.strip() and anki_export.note_guid(v) == guid:
                        return v
    if not model or model.get("name") != anki_export.MODEL_NAME:
        return None
    names = [f["name"] for f in model.get("flds", [])]
    if "Id" not in names or names.index("Id") >= len(fields):
        return None
    value = html.unescape(fields[names.index("Id")]).strip() or None
    # A note of prep's type whose GUID is not the one prep gives its Id is a note made in Anki
    # (Create Copy of one, then edited): a card of its own. Taken for the original, its reviews
    # went to that card and the copy was never written.
    if value is not None and guid is not None and anki_export.note_guid(value) != guid:
        return None
    return value


@dataclass
class Converted:
    """A package as prep takes it (convert)."""

    decks: list[deckmod.Deck]  # to write under the folder
    rows: list[history.Row]  # the review history
    left: int  # log entries left out (see revlog_rows)
    resets: list[tuple[str, int]]  # cards reset (see revlog_rows)
    # deck files an earlier import wrote: how many of their Anki cards the package no longer
    # has (deleted in Anki), taken out when they are written
    removed: dict[Path, int] = field(default_factory=dict)


def convert(pkg: Package, out: Path) -> Converted:
    """The package as decks (one per Anki deck, to be written under `out`), history rows,
    log entries left out and resets. Notes that prep exported are not made into cards again:
    their reviews go to their ids."""
    existing = written_here(out)
    written = {p: _ids_in(p) for p, n in existing.items() if n is not None}
    _earlier_ids(pkg, set().union(*written.values()))
    by_deck: dict[str, list[deckmod.Card]] = {}
    for n in pkg.notes:
        if n.prep_id is None and not n.occlusion:
            by_deck.setdefault(n.deck, []).append(to_card(n))
    decks, used, removed = [], set(), {}
    for name, cards in by_deck.items():
        ids = {c.id for c in cards}
        # the file an earlier import wrote this deck to: of those of its name, the one that
        # holds its cards (another package's deck of the same name, sharing none of them, is
        # not it: its cards were all taken out without a word)
        here = {p: written[p] for p, n in existing.items() if n == name}
        path = max(here, key=lambda p: len(here[p] & ids), default=None)
        if path is not None and not here[path] & ids and any(map(_from_anki, here[path])):
            path = out / f"{deck_slug(name)}-{_digest(name + min(ids))}.yaml"
        if path is None:
            path = out / f"{deck_slug(name)}.yaml"
            if path in used or existing.get(path) is not None:  # another Anki deck's file
                path = out / f"{deck_slug(name)}-{_digest(name)}.yaml"
        used.add(path)
        if existing.get(path) is not None:  # (written by an earlier import: cards added to
            # it by hand are the user's, kept after Anki's; Anki's it no longer has, counted)
            had = here[path] if path in here else written[path]
            removed[path] = sum(_from_anki(i) and i not in ids for i in had)
            cards = cards + _hand_cards(path, had)
        decks.append(deckmod.Deck(name=name, cards=cards, description=MARK, path=path))
    for name in pkg.empty_decks:
        # a deck an earlier import wrote, all of whose notes were deleted in Anki: its Anki
        # cards are taken out, as a deleted note's are (a file left with none is removed).
        # Not where two files hold decks of that name (not known which it is).
        files = [p for p, n in existing.items() if n == name]
        if name in by_deck or len(files) != 1:
            continue
        had = written[files[0]]
        gone = sum(map(_from_anki, had))
        if gone:
            removed[files[0]] = gone
            decks.append(deckmod.Deck(name=name, cards=_hand_cards(files[0], had),
                                      description=MARK, path=files[0]))
    ids = {n.guid: n.prep_card for n in pkg.notes if not n.occlusion}
    rows, left, resets = revlog_rows(pkg.revlog, {c: ids[g] for c, g in pkg.first_card.items()
                                                  if g in ids})
    return Converted(decks, rows, left, resets, removed)


def _earlier_ids(pkg: Package, earlier: set[str]) -> None:
    """A note whose GUID another note shared when an earlier import read it has the id it
    was given then (`-n<note id>`), now that the GUID is its own: else it took the id of
    the one that kept the GUID's, and that card's history, when that note was deleted in
    Anki (fault hunt 42). `earlier`: the card ids import-anki wrote into the folder."""
    renamed = {}
    for n in pkg.notes:
        if n.nid is not None and not n.guid.endswith(f"-n{n.nid}") and \
                card_id(own := f"{n.guid.strip()}-n{n.nid}") in earlier:
            renamed[n.guid], n.guid = own, own
    if renamed:
        pkg.first_card = {c: renamed.get(g, g) for c, g in pkg.first_card.items()}


def _hand_cards(path: Path, ids: set[str]) -> list[deckmod.Card]:
    """The cards added by hand to a deck file an earlier import wrote (`ids`: its card ids).
    (The file is read whole only when it has one: 20,000 cards take 1.6 s.)"""
    if all(map(_from_anki, ids)):
        return []
    return [c for c in _loaded(path).cards if not _from_anki(c.id)]


def _from_anki(card_id: str) -> bool:
    return card_id.startswith("anki-")


def added_by_hand(card: deckmod.Card) -> bool:
    """A card of a deck file import-anki wrote that no Anki note made (its id not `anki-…`)."""
    return not _from_anki(card.id)


def _loaded(path: Path) -> deckmod.Deck:
    """A deck file an earlier import wrote, to be written again. One that does not load, or
    has a card that does not (a hand card's `answer: yes`), is not: what does not load would
    be lost."""
    old, problems = deckmod.load(path)
    if problems:
        raise PrepError(f"cannot update this deck: {problems[0].message}; fix it (prep check) "
                        "or delete it first", file=str(path), line=problems[0].line)
    return old


def suspended_ids(pkg: Package) -> list[str]:
    """The prep card ids of the notes whose first card is suspended in Anki."""
    return list(dict.fromkeys(n.prep_card for n in pkg.notes if n.suspended))


SLUG_BYTES = 96  # a file name is at most 255 bytes: a deck's is far shorter


def deck_slug(name: str) -> str:
    """The file name (without .yaml) of an Anki deck: `Vision::Detection` vision-detection;
    a long one cut short, with a digest of the whole name so that it stays its own."""
    slug = textnorm.slug(name.replace("::", "-")) or "anki"
    if len(slug.encode("utf-8")) <= SLUG_BYTES:
        return slug
    cut = slug.encode("utf-8")[:SLUG_BYTES - 9].decode("utf-8", "ignore").rstrip("-")
    return f"{cut}-{_digest(name)}"


def _digest(name: str) -> str:
    import hashlib

    return hashlib.sha1(name.encode("utf-8")).hexdigest()[:8]


def written_here(out: Path) -> dict[Path, str | None]:
    """Each deck file in `out`: the Anki deck name of one prep import-anki wrote, else None
    (a deck of the user's own, never replaced). Read from the file's head, not its cards."""
    if not out.is_dir():
        return {}
    return {p: _imported_deck(p) for p in deckmod.deck_files(out)}


_HEAD = re.compile(r"^cards:", re.M)


def _imported_deck(path: Path) -> str | None:
    import yaml

    try:
        with open(path, encoding="utf-8-sig") as f:
            text = f.read(1 << 16)
    except (OSError, UnicodeDecodeError):
        return None
    m = _HEAD.search(text)
    head = None
    if m:
        try:
            head = yaml.load(text[:m.start()], Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        except yaml.YAMLError:
            head = None
    if not isinstance(head, dict):  # not the shape prep writes: read it all
        old, _ = deckmod.load(path)
        head = {"deck": old.name, "description": old.description} if old else {}
    if head.get("description") != MARK or not isinstance(head.get("deck"), str):
        return None
    return head["deck"]


_ID_LINE = re.compile(r"^- id: (.*)$", re.M)


def _ids_in(path: Path) -> set[str]:
    """The card ids of a deck file (one prep import-anki wrote): its `- id:` lines read as
    prep writes them (plain, or in single quotes), else from the whole file loaded."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return set()
    found = set()
    for raw in _ID_LINE.findall(text):
        raw = raw.rstrip()
        if raw.startswith("'") and raw.endswith("'") and len(raw) > 1:
            found.add(raw[1:-1].replace("''", "'"))
        elif raw[:1] in ("\"", "!", "&", "*", "|", ">", "{", "["):
            return {c.id for c in _loaded(path).cards}
        else:
            found.add(raw)
    return found


@dataclass(frozen=True)
class Moved:
    """Cards taken out of a deck file an earlier import wrote: their notes are in another
    Anki deck now (one of this package's), whose file has them."""
    path: Path
    cards: int  # taken out
    left: int  # cards the file still has (0: it was removed)


def write_decks(decks: list[deckmod.Deck]) -> list[Moved]:
    """Write the decks, all or none; a deck file that prep import-anki did not write is never
    replaced. A card that an earlier import wrote into another deck file of the folder (its
    note moved to another deck in Anki since) is taken out of that one: one card, one id.
    Such a file left with no card (the deck was renamed in Anki) is removed, as is the file of
    a deck given with no card (emptied in Anki). Returns what was moved out of which file."""
    if not decks:
        return []
    out = decks[0].path.parent
    existing = written_here(out)
    seen: dict[Path, str] = {}
    for d in decks:
        if d.path in seen:
            raise PrepError(f"Anki decks {seen[d.path]!r} and {d.name!r} would both be "
                            "written to this file; rename one in Anki", file=str(d.path))
        seen[d.path] = d.name
        if d.path.exists() and existing.get(d.path) is None:
            raise PrepError("a deck file not written by prep import-anki is already here "
                            "and would be overwritten; choose another --out",
                            file=str(d.path))
    ids = {c.id for d in decks for c in d.cards}
    # (a deck of no card, emptied in Anki: its file is removed, not written empty)
    updates, moved = [d for d in decks if d.cards or d.path not in existing], []
    emptied = [d.path for d in decks if not d.cards and d.path in existing]
    for path, name in existing.items():
        if name is not None and path not in seen and not _ids_in(path).isdisjoint(ids):
            old, problems = deckmod.load(path)
            if problems:  # rewritten, it would lose what does not load: never
                raise PrepError(f"holds cards of this package too (their notes moved to "
                                f"another Anki deck), and cannot be rewritten: {problems[0]}; "
                                "fix it (prep check) or remove it", file=str(path))
            if old is not None:
                kept = [c for c in old.cards if c.id not in ids]
                moved.append(Moved(path, len(old.cards) - len(kept), len(kept)))
                if kept:
                    updates.append(deckmod.Deck(name=old.name, description=old.description,
                                                cards=kept, path=path))
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise PrepError(f"cannot create the folder: {e.strerror}", file=str(out)) from None
    removed = [m.path for m in moved if not m.left] + emptied
    # All or none: files that replace or remove one already there go first (what fails is
    # most likely there: an immutable or unwritable file), new files last; on a failure, what
    # was done is undone from the files' bytes read before. (A file removed after the new one
    # was placed could not be, and every card was in two files: fault hunts 12 and 13.)
    before: dict[Path, bytes] = {}
    for path in [d.path for d in updates] + removed:
        try:
            before[path] = path.read_bytes()
        except FileNotFoundError:
            pass
        except OSError as e:
            raise PrepError(f"cannot read: {e.strerror}; nothing was written",
                            file=str(path)) from None
    aside: list[tuple[Path, Path]] = []
    done: list[Path] = []
    try:
        for d in updates:
            aside.append((deckmod.write_aside(d, d.path), d.path))
        aside.sort(key=lambda x: x[1] not in before)  # (replacements first, as said)
        while aside and aside[0][1] in before:
            tmp, path = aside.pop(0)
            deckmod.put_in_place(tmp, path)
            done.append(path)
        for path in removed:
            try:
                path.unlink()
            except FileNotFoundError:
                continue
            except OSError as e:
                raise PrepError(f"it is left with no card (its deck renamed or emptied in "
                                f"Anki), and cannot be removed: {e.strerror}; nothing was "
                                "written", file=str(path)) from None
            done.append(path)
        while aside:
            tmp, path = aside.pop(0)
            deckmod.put_in_place(tmp, path)
            done.append(path)
    except BaseException:
        for path in reversed(done):  # (back as they were)
            with contextlib.suppress(OSError, PrepError):
                if path in before:
                    deckmod.put_in_place(paths.write_aside(path, before[path]), path)
                else:
                    path.unlink()
        raise
    finally:
        for tmp, _ in aside:
            deckmod.discard(tmp)
    return moved
