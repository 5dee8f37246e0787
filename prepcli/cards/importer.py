"""`prep import`: notes -> deck files, keeping card ids (and so review history) stable."""

from __future__ import annotations

import gc
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from prepcli.cards import deck as deckmod
from prepcli.cards import identity
from prepcli.cards import textnorm, yamlwrite
from prepcli.errors import PrepError, held_stops, is_utf8
from prepcli.paths import aside_path, not_a_file
from prepcli.catalog import EXERCISES, exercise_for
from prepcli.cards.notes import Draft, Skipped, parse_note, read_note


@dataclass
class DeckReport:
    slug: str
    name: str
    file: Path
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    vanished: list[deckmod.Card] = field(default_factory=list)
    kept: list[deckmod.Card] = field(default_factory=list)  # added to the deck by hand
    prompts: list[deckmod.Card] = field(default_factory=list)
    cards: int = 0
    written: bool = False
    deck: deckmod.Deck | None = field(default=None, repr=False)  # as written (see as_written)


@dataclass
class NoteReport:
    """What one note gave: its cards and prompts, what was skipped and why, what to check."""

    file: str
    cards: int = 0
    prompts: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    unsure: list[Skipped] = field(default_factory=list)


@dataclass
class ImportReport:
    decks: list[DeckReport]
    notes: list[NoteReport] = field(default_factory=list)
    # other decks of the folder that import wrote from notes none of which is there now (a
    # note renamed: its cards have new ids in a new deck, the old deck is studied too)
    orphans: list[tuple[Path, list[str]]] = field(default_factory=list)

    @property
    def skipped(self) -> list[tuple[str, Skipped]]:
        return [(n.file, s) for n in self.notes for s in n.skipped]


def import_notes(notes: list[Path], out: Path, deck_name: str | None = None,
                 load: Callable[[Path], tuple] | None = None) -> ImportReport:
    """Notes -> decks in `out`. `load(path)`: a deck file there as deck.load reads it (the
    default), e.g. from an index of the decks that holds it already."""
    # Parsing makes millions of short-lived objects (tokens, cards) and few reference cycles:
    # the cyclic collector would rescan them again and again (a third of the import on 20,000
    # cards). Paused while importing; the objects are freed as usual when dropped.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _import(notes, out, deck_name, load or deckmod.load)
    finally:
        if collecting:
            gc.enable()


def _import(notes: list[Path], out: Path, deck_name: str | None,
            load: Callable[[Path], tuple]) -> ImportReport:
    if not notes:
        raise PrepError("no notes given: prep import NOTE.md [NOTE.md ...]")
    # (one note named twice, `prep import a.md ./a.md`, is one note: it was "two notes would
    # make the same deck … use --deck")
    unique: dict = {}
    for n in notes:
        unique.setdefault(_same_file_key(n), n)
    notes = list(unique.values())
    for n in notes:
        # (a deck names its notes, in UTF-8 text, by their real paths: a link to a folder not so
        # named crashed, fault hunt 35)
        if not (is_utf8(n) and is_utf8(_real(n))):
            raise PrepError("the note's file name is not UTF-8 text: rename it",
                            file=str(n).encode("utf-8", "replace").decode())
        if not n.is_file():
            raise PrepError(_not_a_note(n), file=str(n))
        if n.suffix.lower() not in (".md", ".markdown", ".txt"):
            raise PrepError("notes must be Markdown (.md or .txt)", file=str(n))
    try:
        out.resolve()
    except (OSError, RuntimeError) as e:  # a symlink loop (RuntimeError before Python 3.13)
        raise PrepError(f"cannot use this folder: {e}", file=str(out)) from None
    deckmod.text_path(out)  # (its decks could be written, not studied: fault hunt 34)
    if deck_name is not None and not (deck_name.strip() and deck_name.isprintable()):
        raise PrepError(f"--deck {deck_name!r}: a deck needs a name made of printable text")

    groups: dict[str, tuple[str, list[Path]]] = {}
    if deck_name:
        groups[textnorm.slug(deck_name)] = (deck_name, list(notes))
    else:
        for n in notes:
            s = textnorm.slug(n.stem)
            if s in groups:
                raise PrepError(f"two notes would make the same deck {s!r} "
                                f"({groups[s][1][0]} and {n}); use --deck NAME", file=str(n))
            groups[s] = (n.stem, [n])

    existing: dict[str, deckmod.Deck] = {}
    taken: set[str] = set()
    orphans: list[tuple[Path, list[str]]] = []
    if out.exists():
        if not out.is_dir():
            raise PrepError("--out must be a directory", file=str(out))
        for path in deckmod.deck_files(out):
            d, problems = load(path)
            if path.stem in groups:
                if d is None:
                    raise PrepError(f"cannot update this deck: {problems[0].message}; fix or "
                                    "delete it first", file=str(path), line=problems[0].line)
                if not d.generated:
                    raise PrepError("this deck was written by hand (it has no `notes:` list) "
                                    "and import would overwrite it; use another --deck",
                                    file=str(path))
                if path.stem in existing:
                    raise PrepError(f"two deck files for one deck ({existing[path.stem].path} "
                                    "and this one): delete one", file=str(path))
                twice = deckmod.drop_repeated([deckmod.Deck(d.name, list(d.cards), path=path)])
                if twice:  # (a hand edit: import would keep both, sharing one history)
                    raise PrepError(f"cannot update this deck: {twice[0].message}; fix or "
                                    "delete it first", file=str(path), line=twice[0].line)
                existing[path.stem] = d
                # (the ids of cards added to it by hand, kept below, are no new card's)
                rels = {Path(os.path.relpath(p.resolve(), out.resolve())).as_posix()
                        for p in groups[path.stem][1]}
                taken |= {c.id for c in d.cards if _by_hand(c, set(d.notes or []) | rels)}
            elif d is not None:
                taken |= {c.id for c in d.cards}
                if d.generated and d.notes and not any((out / n).exists() for n in d.notes):
                    orphans.append((path, list(d.notes)))

    # Parse every note first: a note that fails leaves every deck untouched.
    drafts = []
    per_note: list[NoteReport] = []
    for slug, (name, paths) in groups.items():
        for p in paths:
            rel = Path(os.path.relpath(p.resolve(), out.resolve())).as_posix()
            parsed = parse_note(read_note(p), then=_make_cards(slug, rel))
            per_note.append(NoteReport(str(p), len(parsed.drafts),
                                       sum(d.kind == "prompt" for d in parsed.drafts),
                                       parsed.skipped, parsed.unsure))
            drafts += [(slug, rel, dr) for dr in parsed.drafts]

    old_cards = [(slug, c) for slug, d in existing.items() for c in d.cards]
    old = [identity.Old(c.id, c.question, list((c.source or {}).get("path") or []))
           for _, c in old_cards]
    first = [dr.made and dr.made[0] for _, _, dr in drafts]  # (see _make_cards)
    if identity.first_ids_hold(first, old, taken):
        ids: list[tuple[str, identity.Old | None]] = [(cid, None) for cid in first]
    else:
        ids = identity.assign([identity.Fresh(slug, dr.question, dr.path, dr.stem, dr.key)
                               for slug, _, dr in drafts], old, taken)
    by_old_id = {c.id: c for _, c in old_cards}

    new_cards: dict[str, list[deckmod.Card]] = {slug: [] for slug in groups}
    # each card's text in its deck and that text's hash, where made already (_make_cards)
    texts: dict[str, list[tuple[str, int] | None]] = {slug: [] for slug in groups}
    matched: set[str] = set()
    # (a deck file may be `.yml`: it is the one updated)
    reports = {slug: DeckReport(slug, name, existing[slug].path if slug in existing else
                                out / f"{slug}.yaml") for slug, (name, _) in groups.items()}
    for (slug, rel, dr), (cid, prev) in zip(drafts, ids):
        if dr.made is not None and dr.made[0] == cid:
            _, tags, exercise, written, card = dr.made
            card = card or _card(slug, rel, dr, cid, tags, exercise)
        else:
            tags, exercise, written = _tags(slug, dr), exercise_for(dr.question), None
            card = _card(slug, rel, dr, cid, tags, exercise)
        new_cards[slug].append(card)
        texts[slug].append(written)
        rep = reports[slug]
        if prev is None:
            rep.created += 1
        else:
            matched.add(prev.id)
            before = by_old_id[prev.id]
            same = before.to_dict() == card.to_dict() and before.deck == slug
            if same:
                rep.unchanged += 1
            else:
                rep.updated += 1
        if card.kind == "prompt":
            rep.prompts.append(card)

    out.mkdir(parents=True, exist_ok=True)
    to_write: list[tuple[DeckReport, deckmod.Deck, str, list]] = []
    for slug, (name, paths) in groups.items():
        rep = reports[slug]
        rels = [Path(os.path.relpath(p.resolve(), out.resolve())).as_posix() for p in paths]
        prev = existing.get(slug)
        gone = [c for c in prev.cards if c.id not in matched] if prev else []
        # A card no note made (added to the deck by hand: no source, or another file's) is
        # the user's: kept, after the notes' cards. (It was deleted as "no longer in the
        # notes", its text gone and its history on no card.)
        rep.kept = [c for c in gone if _by_hand(c, set(prev.notes or []) | set(rels))]
        rep.vanished = [c for c in gone if c not in rep.kept]
        new_cards[slug] += rep.kept
        texts[slug] += [None] * len(rep.kept)
        d = deckmod.Deck(name=name if deck_name or prev is None else prev.name,
                         cards=new_cards[slug], notes=rels,
                         description=prev.description if prev else None)
        rep.cards = len(d.cards)
        written = [w or _written(c) for c, w in zip(d.cards, texts[slug])]
        text = deckmod.dump(d, texts=[w and w[0] for w in written])
        if not rep.file.exists() or rep.file.read_text(encoding="utf-8") != text:
            to_write.append((rep, d, text, written))
        else:  # (one left aside by an import killed after its rename: kill -9, power loss)
            deckmod.discard(aside_path(rep.file))
    # Every deck, or none: each is written aside first; one that cannot be (a name too long,
    # a full disk) leaves every deck as it was.
    aside: list[Path] = []
    try:
        for rep, _, text, _ in to_write:
            aside.append(deckmod.write_aside(text, rep.file))
    except BaseException:  # (a stop signal too: by name, one written but not yet listed)
        for rep, *_ in to_write:
            deckmod.discard(aside_path(rep.file))
        raise
    # (a stop signal between two renames would leave some decks new and the rest as they
    # were, their new text aside: held off until every one is in place)
    with held_stops():
        for (rep, d, text, written), tmp in zip(to_write, aside):
            deckmod.put_in_place(tmp, rep.file)
            rep.written = True
            rep.deck = deckmod.as_written(d, text, rep.file, KNOWN_EXERCISES,
                                          None if None in written else written)
    return ImportReport(list(reports.values()), per_note, orphans)


def _real(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # (named below for what it is)
        return path


def _same_file_key(path: Path):
    try:
        st = path.stat()
        return (st.st_dev, st.st_ino)
    except OSError:  # (named below for what it is)
        return str(path)


def _by_hand(card: deckmod.Card, notes: set[str]) -> bool:
    """A card of a deck that import wrote, put there by hand: not from one of its notes."""
    return (card.source or {}).get("file") not in notes


def _card(slug: str, rel: str, dr: Draft, cid: str, tags: list[str], exercise: str | None
          ) -> deckmod.Card:
    return deckmod.Card(id=cid, question=dr.question, answer=dr.answer, kind=dr.kind,
                        tags=tags, exercise=exercise,
                        source={"file": rel, "line": dr.line, "path": dr.path}, deck=slug)


def _tags(slug: str, dr: Draft) -> list[str]:
    if not (dr.topics or dr.tags):  # (most cards of a note with one level of headings)
        return [slug] if slug else []
    return [t for t in _unique([slug] + [textnorm.tag(t) for t in dr.topics] + dr.tags) if t]


def _make_cards(slug: str, rel: str) -> Callable[[list[Draft]], None]:
    """For parse_note: what each draft's card needs beyond the draft (the id a first import
    gives it, its tags and exercise, its text in the deck), made while the note is parsed:
    both halves of a big note at once. Kept where identity.assign gives that id (almost
    always); made again where it does not. (Plain values: a child sends them back pickled,
    and cards would cost four times as much to send. The card itself is kept only where it
    was made in this process.)"""
    here = os.getpid()

    def then(drafts: list[Draft]) -> None:
        keep = os.getpid() == here
        for dr in drafts:
            cid = identity.first_id(identity.Fresh(slug, dr.question, dr.path, dr.stem, dr.key))
            tags, exercise = _tags(slug, dr), exercise_for(dr.question)
            card = _card(slug, rel, dr, cid, tags, exercise)
            dr.made = (cid, tags, exercise, _written(card), card if keep else None)
    return then


def _written(card: deckmod.Card) -> tuple[str, int] | None:
    """The card's text in its deck and that text's hash (None: PyYAML writes the deck)."""
    text = yamlwrite.card(card.to_dict())  # (deck.card_text, without its import a card)
    return None if text is None else (text, deckmod.entry_hash(text))


def _not_a_note(path: Path) -> str:
    """What `path` is, when it is no note file to read."""
    why = not_a_file(path, "note file")
    if why.startswith("a folder"):
        return f"{why}: name the notes in it (prep import {path}/*.md)"
    return f"{why}: give a Markdown file" if why.startswith("not a regular") else why


def _unique(items: list[str]) -> list[str]:
    seen, out = set(), []
    for i in items:
        if i not in seen:
            seen.add(i)
            out.append(i)
    return out


KNOWN_EXERCISES = set(EXERCISES)
