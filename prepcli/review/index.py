"""The deck index: the YAML decks, as SQLite rows in the review store (schema 7).

The YAML files stay the source of truth. The index holds what commands need of them (each
card's id, kind, question, answer, tags, exercise, source, sibling group and a content hash,
and per deck file its path, modification time in ns and size), so that:
- a command re-parses only the deck files whose mtime or size changed (or that are new), and
  forgets the removed ones, all in one transaction;
- `prep study` asks SQLite for the due cards (prepcli/review/session.py) instead of reading every
  card of every deck, and loads the answer of the card on screen only.

The index can be deleted at any time (`prep check --reindex` does, or DELETE the rows): it is
rebuilt from the YAML on the next command, and INDEX_VERSION makes a newer prep rebuild it.
Two prep processes indexing at once: each parses outside the lock, then writes inside one
write transaction only the files still stale at that moment (the other may have done them).
"""

from __future__ import annotations

import functools
import gc
import json
import zlib
from dataclasses import dataclass
from pathlib import Path

from prepcli.cards import deck as deckmod
from prepcli.cards.deck import Card, Deck, Problem
from prepcli.errors import PrepError
from prepcli.review.store import IndexDamaged, IndexPatch, Store, StoreError, index_damaged

INDEX_VERSION = 2  # raise when what is indexed, or how a deck is checked, changes


def _key(known_exercises) -> str:
    return json.dumps([INDEX_VERSION, sorted(known_exercises or [])])


def _stat(path: Path) -> tuple[int, int]:
    try:
        st = path.stat()
        return st.st_mtime_ns, st.st_size
    except OSError:  # a dangling link, a loop: indexed as a file that does not load
        return -1, -1


def _rows(deck: Deck | None, cards: list[Card] | None = None, groups: dict | None = None,
          at: list[int] | None = None) -> list[tuple]:
    """deck_cards rows (see Store.index_write) of a parsed deck's cards, or of some of them:
    `cards`, at positions `at`, with the sibling `groups` of the whole deck."""
    if deck is None:
        return []
    cards = deck.cards if cards is None else cards
    if groups is None:
        from prepcli.review.session import sibling_groups

        groups = sibling_groups(cards)
    dumps, crc = json.dumps, zlib.crc32
    src = deck.hashes or {}
    rows = []
    for pos, c in zip(at or range(len(cards)), cards):
        tags = dumps(c.tags, ensure_ascii=False) if c.tags else None
        source = dumps(c.source, ensure_ascii=False) if c.source else None
        content = "\x1f".join((c.id, c.kind, c.question, c.answer, tags or "", c.exercise or "",
                               source or ""))
        rows.append((pos, c.id, c.line, c.kind, c.question, c.answer, tags, c.exercise, source,
                     groups.get(c.id), crc(content.encode()), src.get(c.line)))
    return rows


def _patch(store: Store, path: str, deck: Deck, entries: list[deckmod.Entry], old: list[tuple],
           base: tuple) -> IndexPatch | None:
    """The index rows of a re-parsed deck (deck.reparse: its cards are those of the entries
    parsed) as a patch of its `old` rows (Store.index_entries): a skipped entry keeps the
    row of the old entry with the same hash, at its new position and line; the rows of the
    old entries no longer in the file are removed; the cards parsed are added. None when an
    old row would be kept twice (an entry's text repeated): a full parse is made instead."""
    at: dict[int, list[int]] = {}  # entry hash -> old positions (the same text may repeat)
    for pos in range(len(old) - 1, -1, -1):
        at.setdefault(old[pos][0], []).append(pos)
    kept, added = [], {}  # (old position, new position, line); new position -> card
    for new, (line, h, card) in enumerate(entries):
        if card is None:
            if not at.get(h):
                return None
            kept.append((at[h].pop(), new, line))
        else:
            added[new] = card
    gone = sorted(set(range(len(old))) - {pos for pos, _, _ in kept})
    moves = [(pos, new) for pos, new, _ in kept if pos != new]
    lines = [(line, new) for pos, new, line in kept if line != old[pos][2]]
    if not moves and gone == list(added) and all(_same_place(store, path, old[j], c)
                                                 for j, c in added.items()):
        # each card edited in place, its id, question and source as they were: the sibling
        # groups (made of those) are as they were too, and the other rows stay untouched
        groups = {c.id: old[j][3] for j, c in added.items()}
        return IndexPatch(gone, [], lines, [], _rows(deck, list(added.values()), groups,
                                                     list(added)), base)
    from prepcli.review.session import sibling_groups

    # every card's id, question and source, for the sibling groups (one JSON parse in all)
    places = store.index_places(path)
    sources = json.loads("[" + ",".join([p[1] or "null" for p in places]) + "]")
    slug, cards = deck.slug, [None] * len(entries)
    for pos, new, _ in kept:
        cards[new] = Card(old[pos][1], places[pos][0], "", "qa", [], None, sources[pos], slug)
    for new, card in added.items():
        cards[new] = card
    groups = sibling_groups(cards)
    grp = [(groups.get(cards[new].id), new) for pos, new, _ in kept
           if groups.get(cards[new].id) != old[pos][3]]
    return IndexPatch(gone, moves, lines, grp, _rows(deck, list(added.values()), groups,
                                                     list(added)), base)


def _same_place(store: Store, path: str, row: tuple, card: Card) -> bool:
    """Whether an indexed row (Store.index_entries) has the card's id, question and source."""
    if row[1] != card.id:
        return False
    source = json.dumps(card.source, ensure_ascii=False) if card.source else None
    return store.index_places(path, row[4]) == [(card.question, source)]


def refresh(store: Store, folder: str, files: list[Path], known_exercises,
            written: dict[Path, Deck] | None = None) -> list[Path]:
    """Bring the index of `folder` (a deck folder, or one deck file) up to date with `files`,
    the deck files it has now: only new and changed files are parsed. Returns those parsed.
    `written`: decks as just written to their files (deck.as_written), used instead of a
    parse of a file not indexed before (one indexed before is patched, as usual)."""
    key = _key(known_exercises)
    indexed = store.index_files(folder)
    now = {str(p.absolute()): (p, _stat(p)) for p in files}
    stale = [a for a, (_, st) in now.items() if indexed.get(a) != (*st, key)]
    removed = [a for a in indexed if a not in now]
    if not stale and not removed:
        return []
    given = {str(p.absolute()): d for p, d in (written or {}).items()}
    rows, cards = [], {}
    collecting = gc.isenabled()
    gc.disable()  # many long-lived objects and no cycles (see deck.load_dir)
    try:
        for a in stale:
            path, st = now[a]
            # indexed before, under the same key: its unchanged card entries are not parsed
            old = store.index_entries(a) if a in indexed and indexed[a][2] == key else []
            if not old and a in given and given[a].stat is not None:
                # its stat when written: were the file changed since, the next command sees it
                deck, problems, entries = given[a], [], None
                st = deck.stat
            else:
                deck, problems, entries = deckmod.reparse(
                    path, known_exercises, {r[0] for r in old if r[0] is not None})
            patch = entries and _patch(store, a, deck, entries, old, indexed[a])
            if entries and patch is None:  # see _patch: parsed whole
                deck, problems = deckmod.load(path, known_exercises)
            cards[a] = patch or _rows(deck)
            rows.append((a, *st, key, deck.name if deck else None,
                         json.dumps(deck.notes) if deck and deck.notes is not None else None,
                         deck.description if deck else None,
                         json.dumps([[p.line, p.message] for p in problems],
                                    ensure_ascii=False)))
        # inside the write lock: what another prep indexed meanwhile is not written again
        # (the rows' tuples made there are no cycles either: a collection then walked every
        # card and row, 0.1 s of 0.35 for 20,000 cards)
        store.index_write(folder, rows, cards, removed, lambda fresh: [
            r[0] for r in rows if fresh.get(r[0]) != (r[1], r[2], key)])
    finally:
        if collecting:
            gc.enable()
    return [now[a][0] for a in stale]


def _heals(fn):
    """`fn` run again, once, after a damaged index file was made again: it holds nothing
    that is not in the decks (a damaged page made every command that reads decks fail; one
    that SQLite did not notice left a value no JSON, an internal error)."""
    @functools.wraps(fn)
    def run(store: Store, *args, **kwargs):
        try:
            return fn(store, *args, **kwargs)
        except (IndexDamaged, json.JSONDecodeError):
            store.index_rebuild()
            return fn(store, *args, **kwargs)
    return run


def _loads(store: Store, text: str):
    """A JSON value of the index; one that cannot be read is a damaged index (IndexDamaged:
    the command says so, and the file is deleted to be built again)."""
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        raise index_damaged(store.index_path, "a value in it cannot be read") from None


@_heals
def update(store: Store, path: Path, known_exercises, written: Deck | None = None) -> None:
    """Index one deck file right after it was written (for `prep import`), so that the next
    command finds it indexed. The folder's files not indexed yet are left to that command.
    `written`: the deck as written there (deck.as_written), not parsed again."""
    deckmod.text_path(path.parent)
    folder = str(path.parent.absolute())
    indexed = store.index_files(folder)
    others = [p for p in deckmod.named(deckmod.deck_files(path.parent))[0]
              if p != path and str(p.absolute()) in indexed]
    refresh(store, folder, others + [path], known_exercises,
            {path: written} if written is not None else None)


@_heals
def load_dir(store: Store, directory: Path, known_exercises=None, full: bool = True
             ) -> tuple[list[Deck], list[Problem]]:
    """Every deck of a folder and every problem found, as deck.load_dir returns them, from the
    index (brought up to date first). `full=False` leaves answers, tags and sources out."""
    deckmod.need_folder(directory)
    deckmod.text_path(directory)
    folder = str(directory.absolute())
    files, unnamed = deckmod.named(deckmod.deck_files(directory))
    try:
        refresh(store, folder, files, known_exercises)
    except IndexDamaged:
        raise
    except StoreError:
        # the index cannot be written (a read-only database): read the YAML itself
        return deckmod.load_dir(directory, known_exercises)
    decks, problems = _decks(store, folder, lambda a: directory / Path(a).name, full)
    return decks, problems + unnamed


@_heals
def load_file(store: Store, file: Path, known_exercises=None, full: bool = True
              ) -> tuple[Deck | None, list[Problem]]:
    """One deck file (the mistakes deck), through the index."""
    deckmod.text_path(file, "deck file")
    folder = str(file.absolute())
    try:
        refresh(store, folder, [file] if file.exists() else [], known_exercises)
    except IndexDamaged:
        raise
    except StoreError:
        return deckmod.load(file, known_exercises)
    decks, problems = _decks(store, folder, lambda a: file, full)
    return (decks[0] if decks else None), problems


def _decks(store: Store, folder: str, shown, full: bool) -> tuple[list[Deck], list[Problem]]:
    """Decks and problems of an indexed folder; `shown(path)`: the path to show for a file."""
    decks, by_file = [], {}
    for path, name, notes, description, _ in store.index_decks(folder):
        if name is not None:
            d = Deck(name=name, cards=[], notes=json.loads(notes) if notes else None,
                     description=description, path=shown(path))
            decks.append(d)
            by_file[path] = d
    problems = _problems(store, folder, shown)
    loads = json.loads
    collecting = gc.isenabled()
    gc.disable()
    try:
        deck = None
        for row in store.index_cards(folder, full):
            if deck is None or row[0] != current:
                current, deck = row[0], by_file[row[0]]
                slug, origin, name, cards = deck.slug, deck.path, deck.name, deck.cards
            # positional arguments, in Card's field order: twice as fast as keywords
            if full:
                cards.append(Card(row[1], row[4], row[6], row[3],
                                  loads(row[7]) if row[7] else [], row[5],
                                  loads(row[8]) if row[8] else None, slug, row[2], origin, name))
            else:
                cards.append(Card(row[1], row[4], "", row[3], [], row[5], None, slug, row[2],
                                  origin, name))
    finally:
        gc.freeze()  # long-lived: exempt from later collections
        if collecting:
            gc.enable()
    return decks, problems


# --- the scope of a study session --------------------------------------------------------

@dataclass
class Scope:
    """The cards a session may show, as indexed deck files (in deck order) and filters: what
    `Session` queries instead of a list of cards."""
    files: list[str]
    prompts: bool = False
    tag: str | None = None

    def apply(self, store: Store) -> None:
        store.scope_index(self.files, self.prompts, self.tag)

    def cards(self, store: Store, rids: list[int]) -> dict[int, Card]:
        """rid -> card, without answer and source (see `fill`)."""
        out, paths = {}, {}
        for rid, file, cid, line, kind, question, exercise, tags, name in store.index_rows(rids):
            path = paths.get(file) or paths.setdefault(file, Path(file))
            out[rid] = Card(cid, question, "", kind, _loads(store, tags) if tags else [],
                            exercise, None, path.stem, line, path, name)
        return out

    def fill(self, store: Store, card: Card, rid: int) -> None:
        """Load the answer and source of the card about to be shown."""
        row = store.index_body(rid, card.id)
        if row is not None:
            card.answer = row[0]
            card.source = _loads(store, row[2]) if row[2] else None
        else:  # (its deck changed while the session was open: said, not "no answer yet")
            card.answer = GONE


# What a card's answer reads when its deck lost it while a session was open
GONE = "*(This card is no longer in its deck: it was removed since this session began.)*"


@_heals
def scope(store: Store, directories: list[Path], files: list[Path], known_exercises,
          deck: str | None = None, tag: str | None = None, prompts: bool = False
          ) -> tuple[Scope, list[Problem]]:
    """The study scope over these deck folders and single deck files, the index brought up
    to date first; the problems of the decks. Raises PrepError for an unknown deck or tag
    (as session.select does)."""
    chosen: list[tuple[str, str, str]] = []  # (path, slug, name)
    problems: list[Problem] = []
    for directory in directories:
        deckmod.need_folder(directory)
        folder = str(directory.absolute())
        refresh(store, folder, deckmod.deck_files(directory), known_exercises)
        problems += _problems(store, folder, lambda a, d=directory: d / Path(a).name)
        chosen += [(p, Path(p).stem, n) for p, n, *_ in store.index_decks(folder) if n is not None]
    for file in files:
        folder = str(file.absolute())
        refresh(store, folder, [file] if file.exists() else [], known_exercises)
        problems += _problems(store, folder, lambda a, f=file: f)
        chosen += [(p, Path(p).stem, n) for p, n, *_ in store.index_decks(folder) if n is not None]
    if deck:
        wanted = deck.casefold()
        names = ", ".join(slug for _, slug, _ in chosen) or "none"
        chosen = [c for c in chosen if wanted in (c[1].casefold(), c[2].casefold())]
        if not chosen:
            raise PrepError(f"no deck named {deck!r} (decks: {names})")
    result = Scope([p for p, _, _ in chosen], prompts, tag)
    if tag:
        Scope(result.files, True, tag).apply(store)
        if store.scope_empty():
            raise PrepError(f"no card has the tag {tag!r}")
    return result, problems


def _problems(store: Store, folder: str, shown) -> list[Problem]:
    """The problems of an indexed folder's decks, duplicate ids across its files included."""
    problems = []
    for path, _, _, _, probs in store.index_decks(folder):
        problems += [Problem(str(shown(path)), line, msg) for line, msg in json.loads(probs)]
    for path, line, cid, first in store.index_dropped(folder):
        f, ln = first.split("\0") if first else ("?", "0")
        problems.append(Problem(str(shown(path)), line, f"duplicate card id {cid!r} "
                                                        f"(first at {shown(f)}:{ln})"))
    return problems
