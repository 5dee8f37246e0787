"""prep import-anki and prep export anki against packages made the way Anki users' collections
really are: built at test time with Anki's own library (its Collection, note types, decks and
scheduler, and its package exporters, current and legacy formats). Each test here was written
for a problem found that way, and failed before the change that fixed it. Skipped when Anki's
library (pip install 'prepcli[anki]') is not installed, except the tests of pure mappings."""

from __future__ import annotations

import json
import os
import time
import zipfile
from pathlib import Path

import pytest

from prepcli.cards import deck as deckmod
from prepcli.interop import anki_import as ai
from studykit import make_decks

T = 1_700_000_000_000  # epoch ms: a review time


def needs_anki():
    return pytest.importorskip("anki.collection", reason="Anki's library (pip install "
                                                         "'prepcli[anki]') is not installed")


def new_col(path: Path):
    from anki.collection import Collection

    return Collection(str(path))


def add(col, deck: str, front: str, back: str = "A", model: str = "Basic", **fields):
    note = col.new_note(col.models.by_name(model))
    note.fields[0], note.fields[1] = front, back
    for k, v in fields.items():
        note[k] = v
    col.add_note(note, col.decks.id(deck))
    return note


def answer(col, note, ease: int) -> None:
    card = col.get_card(note.cards()[0].id)
    card.start_timer()
    col.sched.answerCard(card, ease)


def export(col, path: Path, legacy: bool = False, limit=None) -> Path:
    from anki.collection import ExportAnkiPackageOptions

    col.export_anki_package(out_path=str(path), options=ExportAnkiPackageOptions(
        with_scheduling=True, with_media=False, legacy=legacy), limit=limit)
    return path


def stored() -> dict[str, list[int]]:
    """Card id -> the ratings of its reviews in the store, in time order."""
    from prepcli.review.store import Store

    out: dict[str, list[int]] = {}
    db = Path(os.environ["PREP_HOME"]) / "prep.db"
    if not db.exists():
        return out
    with Store(db) as st:
        for rv in sorted(st.reviews(), key=lambda r: r.time):
            out.setdefault(rv.card_id, []).append(rv.rating)
    return out


def decks_in(out: Path) -> dict[str, deckmod.Deck]:
    return {p.name: deckmod.load(p)[0] for p in deckmod.deck_files(out)}


# --- the deck files: names, moves, collisions, all or nothing ----------------------------

def test_a_deck_name_too_long_for_a_file_name(run, tmp_path):
    """An Anki deck named with 210 CJK characters (630 bytes) made a file name over the 255
    bytes a file system allows: `error: …: cannot write the deck: File name too long`, after
    the deck before it had been written (half an import on disk)."""
    needs_anki()
    col = new_col(tmp_path / "c.anki2")
    for name in ("Alpha", "日本語" * 70, "Parent::" + "x" * 150 + "::" + "y" * 150, "Zeta"):
        add(col, name, f"Q in {name[:10]}")
    pkg = export(col, tmp_path / "d.apkg")
    col.close()
    out = tmp_path / "out"
    r = run("import-anki", pkg, "--out", out)
    assert r.exit_code == 0, r.stderr
    decks = decks_in(out)
    assert sorted(d.name for d in decks.values()) == sorted(
        ("Alpha", "日本語" * 70, "Parent::" + "x" * 150 + "::" + "y" * 150, "Zeta"))
    assert all(len(n.encode()) <= 128 for n in decks)
    r = run("import-anki", pkg, "--out", out)  # again: the same files
    assert r.exit_code == 0, r.stderr
    assert decks_in(out).keys() == decks.keys()


def test_a_deck_that_cannot_be_written_leaves_no_deck_written(run, tmp_path):
    """Writing the decks is all or nothing: when one cannot be written, none is."""
    needs_anki()
    col = new_col(tmp_path / "c.anki2")
    add(col, "Alpha", "Qa")
    add(col, "Zeta", "Qz")
    answer(col, col.get_note(col.find_notes("Qa")[0]), 3)
    pkg = export(col, tmp_path / "d.apkg")
    col.close()
    out = tmp_path / "out"
    (out / "zeta.yaml.tmp").mkdir(parents=True)  # in the way of writing zeta.yaml
    r = run("import-anki", pkg, "--out", out)
    assert r.exit_code == 2 and r.stderr.startswith("error: ") and "zeta.yaml" in r.stderr
    assert "Traceback" not in r.stderr
    assert sorted(p.name for p in out.iterdir()) == ["zeta.yaml.tmp"]
    assert stored() == {}


def test_a_note_moved_to_another_deck_between_two_imports_is_not_a_duplicate(run, tmp_path):
    """Deck A exported whole, then (the note moved to deck B in Anki) deck B alone: the note's
    card was in a.yaml and in b.yaml, and `prep check` failed: `duplicate card id`."""
    needs_anki()
    from anki.collection import DeckIdLimit

    col = new_col(tmp_path / "c.anki2")
    moved, stays = add(col, "A", "Q moved"), add(col, "A", "Q stays")
    first = export(col, tmp_path / "a.apkg")
    col.set_deck([c.id for c in moved.cards()], col.decks.id("B"))
    second = export(col, tmp_path / "b.apkg", limit=DeckIdLimit(col.decks.id("B")))
    col.close()
    out = tmp_path / "out"
    assert run("import-anki", first, "--out", out).exit_code == 0
    r = run("import-anki", second, "--out", out)
    assert r.exit_code == 0, r.stderr
    assert run("check", out).exit_code == 0
    decks = decks_in(out)
    assert [c.id for c in decks["a.yaml"].cards] == [ai.card_id(stays.guid)]
    assert [c.id for c in decks["b.yaml"].cards] == [ai.card_id(moved.guid)]
    # the first package again moves the card back; b.yaml, once it holds a card that does not
    # load, is not rewritten (that card would be lost), and then nothing is
    broken = (out / "b.yaml").read_text(encoding="utf-8") + "- id: mine\n  question: Q\n"
    (out / "b.yaml").write_text(broken, encoding="utf-8")
    before = (out / "a.yaml").read_text(encoding="utf-8")
    r = run("import-anki", first, "--out", out)
    assert r.exit_code == 2 and "b.yaml: holds cards of this package too" in r.stderr
    assert (out / "b.yaml").read_text(encoding="utf-8") == broken
    assert (out / "a.yaml").read_text(encoding="utf-8") == before


def _renamed_deck(tmp_path: Path, n: int):
    """n notes of deck Vision: (the notes, its package, the package once the deck is renamed
    Sight in Anki)."""
    needs_anki()
    col = new_col(tmp_path / "c.anki2")
    notes = [add(col, "Vision", f"Q{i}") for i in range(n)]
    first = export(col, tmp_path / "v.apkg")
    col.decks.rename(col.decks.get(col.decks.id("Vision")), "Sight")
    second = export(col, tmp_path / "s.apkg")
    col.close()
    return notes, first, second


def test_a_deck_renamed_in_anki_leaves_no_empty_file_behind(run, tmp_path):
    """Deck Vision imported, renamed Sight in Anki, imported again: the cards moved to
    sight.yaml and vision.yaml stayed as a deck of no cards, without a word. A file that keeps
    a hand card stays, with it."""
    notes, first, second = _renamed_deck(tmp_path, 3)
    out = tmp_path / "out"
    assert run("import-anki", first, "--out", out).exit_code == 0
    r = run("import-anki", second, "--out", out)
    assert r.exit_code == 0, r.stderr
    assert sorted(decks_in(out)) == ["sight.yaml"]
    assert f"{out / 'vision.yaml'}: 3 card(s) moved out" in r.stdout
    assert "left empty, was removed" in r.stdout
    ids = [ai.card_id(n.guid) for n in notes]
    assert [c.id for c in decks_in(out)["sight.yaml"].cards] == ids
    # back again, with a hand card in sight.yaml: that file stays, holding it
    with open(out / "sight.yaml", "a", encoding="utf-8") as f:
        f.write("- id: mine\n  question: Q mine\n  answer: A mine\n")
    r = run("import-anki", first, "--out", out)
    assert r.exit_code == 0, r.stderr
    assert f"{out / 'sight.yaml'}: 3 card(s) moved out" in r.stdout and ", 1 left" in r.stdout
    decks = decks_in(out)
    assert [c.id for c in decks["sight.yaml"].cards] == ["mine"]
    assert [c.id for c in decks["vision.yaml"].cards] == ids
    assert run("check", out).exit_code == 0


@pytest.mark.parametrize("hand", [False, True])
def test_a_renamed_decks_file_that_cannot_be_changed_leaves_everything_as_it_was(
        run, tmp_path, monkeypatch, hand):
    """vision.yaml made immutable, the deck renamed Sight in Anki: sight.yaml was written,
    then the old file could not be removed (or, holding a hand card, rewritten), and every
    card was in two files (fault hunts 12 and 13)."""
    _, first, second = _renamed_deck(tmp_path, 2)
    out = tmp_path / "out"
    assert run("import-anki", first, "--out", out).exit_code == 0
    if hand:
        with open(out / "vision.yaml", "a", encoding="utf-8") as f:
            f.write("- id: mine\n  question: Q mine\n  answer: A mine\n")
    before = (out / "vision.yaml").read_bytes()
    old = out / "vision.yaml"
    real_unlink, real_replace = Path.unlink, Path.replace

    def unlink(self, *a, **kw):
        if self == old:
            raise PermissionError(1, "Operation not permitted", str(self))
        return real_unlink(self, *a, **kw)

    def replace(self, target):
        if Path(target) == old:
            raise PermissionError(1, "Operation not permitted", str(target))
        return real_replace(self, target)
    monkeypatch.setattr(Path, "unlink", unlink)
    monkeypatch.setattr(Path, "replace", replace)
    r = run("import-anki", second, "--out", out)
    assert r.exit_code == 2 and "Operation not permitted" in r.stderr, r.stderr
    monkeypatch.setattr(Path, "unlink", real_unlink)
    monkeypatch.setattr(Path, "replace", real_replace)
    assert sorted(p.name for p in out.iterdir()) == ["vision.yaml"]
    assert old.read_bytes() == before
    assert run("import-anki", second, "--out", out).exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == (["sight.yaml", "vision.yaml"] if hand
                                                      else ["sight.yaml"])
    assert run("check", out).exit_code == 0


def test_a_deck_emptied_in_anki_is_emptied_here_from_a_whole_collection(run, tmp_path):
    """Every note of deck Vision deleted in Anki, the deck kept: from a .colpkg its cards
    are taken out (a file with a hand card keeps that; one with none is removed), as a
    deleted note's are; they stayed for good. An .apkg leaves an empty deck out, so nothing
    tells it from a deck not exported: its file stays. Its parent, Default, and a deck over
    others that hold cards are no empty decks."""
    needs_anki()
    col = new_col(tmp_path / "c.anki2")
    vision = [add(col, "Vision", f"Q{i}") for i in range(2)]
    add(col, "Other", "O1")
    add(col, "Top::Child", "C1")
    add(col, "Hand", "H1")
    col.export_collection_package(str(tmp_path / "full.colpkg"), include_media=False,
                                  legacy=False)
    col = new_col(tmp_path / "c.anki2")
    out = tmp_path / "out"
    r = run("import-anki", tmp_path / "full.colpkg", "--out", out)
    assert r.exit_code == 0, r.stderr
    with open(out / "hand.yaml", "a", encoding="utf-8") as f:
        f.write("- id: mine\n  question: Q mine\n  answer: A mine\n")
    col.remove_notes([n.id for n in vision] + list(col.find_notes("deck:Hand")))
    apkg = export(col, tmp_path / "all.apkg")
    assert run("import-anki", apkg, "--out", out).exit_code == 0
    assert sorted(decks_in(out)) == ["hand.yaml", "other.yaml", "top-child.yaml", "vision.yaml"]
    col.export_collection_package(str(tmp_path / "emptied.colpkg"), include_media=False,
                                  legacy=False)
    r = run("import-anki", tmp_path / "emptied.colpkg", "--out", out)
    assert r.exit_code == 0, r.stderr
    decks = decks_in(out)
    assert sorted(decks) == ["hand.yaml", "other.yaml", "top-child.yaml"]
    assert [c.id for c in decks["hand.yaml"].cards] == ["mine"]
    assert f"{out / 'vision.yaml'}: 0 card(s) (Anki deck Vision); 2 card(s) no longer in the " \
           "package taken out" in r.stdout and "the file was removed" in r.stdout, r.stdout
    assert run("check", out).exit_code == 0


def test_two_decks_with_one_file_name_from_two_imports_both_stay(run, tmp_path):
    """Anki deck `x/y` from one package, then `x-y` from another: both are `x-y.yaml`, and the
    second import replaced the first deck's file without a word (its cards were gone)."""
    needs_anki()
    pkgs = []
    for i, name in enumerate(("x/y", "x-y")):
        col = new_col(tmp_path / f"c{i}.anki2")
        add(col, name, f"Q in {name}")
        pkgs.append(export(col, tmp_path / f"{i}.apkg"))
        col.close()
    out = tmp_path / "out"
    for pkg in pkgs + pkgs:  # and importing each again changes nothing
        r = run("import-anki", pkg, "--out", out)
        assert r.exit_code == 0, r.stderr
    decks = decks_in(out)
    assert sorted((d.name, [c.question for c in d.cards]) for d in decks.values()) == [
        ("x-y", ["Q in x-y"]), ("x/y", ["Q in x/y"])]
    assert decks["x-y.yaml"].name == "x/y"  # the first one keeps the plain name


# --- prep's own notes come home ---------------------------------------------------------

def test_a_prep_export_whose_note_type_was_renamed_in_anki_comes_home(run, tmp_path):
    """Users rename note types. Once "prep (Question / Answer / Source)" was renamed in Anki,
    the notes prep exported came back as new cards (`prep-alpha.yaml: 2 card(s)`), copies of
    the user's own, and their Anki reviews went to the copies."""
    needs_anki()
    from anki.import_export_pb2 import ImportAnkiPackageRequest

    d = make_decks(tmp_path / "d", {"alpha": [
        {"id": f"a{i}", "question": f"Q{i}", "answer": f"A{i}"} for i in range(2)]})
    assert run("export", "anki", tmp_path / "e.apkg", "--cards", d).exit_code == 0
    col = new_col(tmp_path / "phone.anki2")
    col.import_anki_package(ImportAnkiPackageRequest(package_path=str(tmp_path / "e.apkg")))
    model = col.models.by_name("prep (Question / Answer / Source)")
    model["name"] = "prep"
    col.models.save(model)
    for nid, ease in zip(sorted(col.find_notes("")), (3, 4)):
        answer(col, col.get_note(nid), ease)
    pkg = export(col, tmp_path / "back.apkg")
    col.close()
    out = tmp_path / "out"
    r = run("import-anki", pkg, "--out", out)
    assert r.exit_code == 0, r.stderr
    assert "2 note(s) (2 exported by prep" in r.stdout
    assert not out.exists() or not list(out.iterdir())
    assert stored() == {"a0": [3], "a1": [4]}


def test_card_ids_with_markup_characters_and_spaces_come_home_exactly(run, tmp_path):
    """A card id with blanks around it came home trimmed (`spaced`, not `  spaced  `): its
    Anki reviews went to a card id in no deck."""
    needs_anki()
    from anki.import_export_pb2 import ImportAnkiPackageRequest

    ids = ["a&b<c>\"d' e", "  spaced  ", "plain"]
    d = make_decks(tmp_path / "d", {"alpha": [
        {"id": cid, "question": f"Q{i}", "answer": "A"} for i, cid in enumerate(ids)]})
    assert run("export", "anki", tmp_path / "e.apkg", "--cards", d).exit_code == 0
    col = new_col(tmp_path / "phone.anki2")
    col.import_anki_package(ImportAnkiPackageRequest(package_path=str(tmp_path / "e.apkg")))
    for nid in col.find_notes(""):
        answer(col, col.get_note(nid), 2)
    pkg = export(col, tmp_path / "back.apkg")
    col.close()
    r = run("import-anki", pkg, "--out", tmp_path / "out")
    assert r.exit_code == 0, r.stderr
    assert stored() == {cid: [2] for cid in ids}


def test_round_trip_twice_in_both_package_formats(run, tmp_path):
    """prep export anki -> Anki (answers) -> .apkg and .colpkg -> prep import-anki, twice:
    each review comes home once, to its own card; no deck file is written."""
    needs_anki()
    from anki.import_export_pb2 import ImportAnkiPackageRequest

    d = make_decks(tmp_path / "d", {"alpha": [
        {"id": f"a{i}", "question": f"Q{i} $x_{i}$", "answer": f"A{i}"} for i in range(3)]})
    out, col_path = tmp_path / "out", tmp_path / "phone.anki2"
    for rnd, (ease, legacy) in enumerate(((3, False), (4, True))):
        assert run("export", "anki", tmp_path / "e.apkg", "--cards", d).exit_code == 0
        col = new_col(col_path)
        col.import_anki_package(ImportAnkiPackageRequest(package_path=str(tmp_path / "e.apkg")))
        assert col.note_count() == 3
        for nid in col.find_notes("Id:a1 OR Id:a2"):
            answer(col, col.get_note(nid), ease)
        apkg = export(col, tmp_path / f"r{rnd}.apkg", legacy=legacy)
        col.export_collection_package(str(tmp_path / f"r{rnd}.colpkg"), include_media=False,
                                      legacy=legacy)  # (closes the collection)
        for pkg in (apkg, tmp_path / f"r{rnd}.colpkg"):
            r = run("import-anki", pkg, "--out", out)
            assert r.exit_code == 0, r.stderr
    assert stored() == {"a1": [3, 4], "a2": [3, 4]}
    assert not out.exists()



# --- suspended cards, and a store that cannot take the history ---------------------------

def flags() -> tuple[set[str], dict[str, int]]:
    """The store's suspended card ids, and its buried ones with the time they are buried to."""
    from prepcli.review.store import Store

    with Store(Path(os.environ["PREP_HOME"]) / "prep.db") as st:
        return st.flags()


def test_a_note_suspended_in_anki_is_suspended_in_prep(run, tmp_path):
    """A note suspended in Anki came in as a card like any other, due at the next study. Its
    first card's suspension now comes along; a burial (a day's matter) does not, and does not
    fail; a note whose other card alone is suspended is not suspended; and a card suspended in
    prep, not in Anki, stays suspended."""
    needs_anki()
    from prepcli.review.store import Store

    col = new_col(tmp_path / "c.anki2")
    off, plain, buried, mine = (add(col, "S", f"Q{i}") for i in range(4))
    reverse = add(col, "S", "Q reversed", model="Basic (and reversed card)")
    answer(col, off, 3)
    col.sched.suspend_cards([off.cards()[0].id,
                             col.db.scalar("SELECT id FROM cards WHERE nid=? AND ord=1",
                                           reverse.id)])
    col.sched.bury_cards([buried.cards()[0].id], manual=True)
    assert sorted(col.db.list("SELECT queue FROM cards")) == [-3, -1, -1, 0, 0, 0]
    pkg = export(col, tmp_path / "d.apkg")
    col.close()
    with Store(Path(os.environ["PREP_HOME"]) / "prep.db") as st:
        st.set_suspended(ai.card_id(mine.guid), True)  # the user's own, in prep
    out = tmp_path / "out"
    for _ in range(2):  # and importing again changes nothing
        r = run("import-anki", pkg, "--out", out)
        assert r.exit_code == 0, r.stderr
        assert "; 1 suspended as in Anki." in r.stdout, r.stdout
        assert flags() == ({ai.card_id(off.guid), ai.card_id(mine.guid)}, {})
    assert stored() == {ai.card_id(off.guid): [3]}  # its history came along all the same
    r = run("cards", "list", "--state", "suspended", "--json", "--cards", out)
    assert sorted(c["id"] for c in json.loads(r.stdout)) == sorted(
        (ai.card_id(off.guid), ai.card_id(mine.guid)))


def _three_answered(tmp_path: Path) -> tuple[Path, list[str]]:
    """A package of three notes, each answered once (Good, Again, Easy), the first suspended;
    and their card ids in the order they were answered."""
    col = new_col(tmp_path / "c.anki2")
    notes = [add(col, "S", f"Q{i}") for i in range(3)]
    for n, ease in zip(notes, (3, 1, 4)):
        answer(col, n, ease)
    col.sched.suspend_cards([notes[0].cards()[0].id])
    pkg = export(col, tmp_path / "d.apkg")
    col.close()
    return pkg, [ai.card_id(n.guid) for n in notes]


def _damage(db: Path) -> None:
    """Garbage in the middle of the file, as a failing disk or a bad copy leaves it."""
    size = db.stat().st_size
    with open(db, "r+b") as f:
        f.seek(size // 2)
        f.write(bytes((i * 7919) % 251 for i in range(8 * 4096)))


def test_a_damaged_store_stops_the_import_before_any_deck_is_written(run, tmp_path, prep_home):
    """The decks were written first, then the store was found damaged: deck files on disk
    and no history merged into them. Now the store is checked first, and nothing is written."""
    needs_anki()
    import sqlite3

    pkg, _ = _three_answered(tmp_path)
    rows = [f"c{i},{T + k * 3 * 86_400_000 + i},{1 + (i + k) % 4},4000"
            for i in range(300) for k in range(8)]
    (tmp_path / "h.csv").write_text("card_id,review_time,review_rating,review_duration\n"
                                    + "".join(r + "\n" for r in rows), encoding="utf-8")
    assert run("reviews", "import", tmp_path / "h.csv").exit_code == 0
    assert run("stats", "--json").exit_code == 0  # (the day's backup: the store opens as usual)
    db = prep_home / "prep.db"
    with sqlite3.connect(db) as c:
        c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    _damage(db)
    before = db.read_bytes()
    out = tmp_path / "out"
    r = run("import-anki", pkg, "--out", out)
    assert r.exit_code == 2, r.stdout  # as every command says a damaged store
    assert r.stderr.startswith("error: ") and "damaged" in r.stderr, r.stderr
    assert "prep db restore" in r.stderr and "Traceback" not in r.stderr
    assert not out.exists()
    assert db.read_bytes() == before


def test_a_full_disk_while_merging_says_the_decks_are_written_and_again_adds_the_rest(
        run, tmp_path, prep_home, monkeypatch):
    """The disk filled up while the history went in, after the deck files were written: the
    error must say so, and importing again must add what is missing, nothing twice."""
    needs_anki()
    import sqlite3

    from prepcli.review import store as storemod

    pkg, ids = _three_answered(tmp_path)
    # the same package into a fresh store: what a clean import gives
    monkeypatch.setenv("PREP_HOME", str(tmp_path / "clean"))
    assert run("import-anki", pkg, "--out", tmp_path / "clean-out").exit_code == 0
    clean = stored(), flags()
    with storemod.Store(tmp_path / "clean" / "prep.db") as st:
        clean_states = st.states()
    monkeypatch.setenv("PREP_HOME", str(prep_home))

    merge = storemod.Store.merge_histories

    def full_after_one_card(self, card_ids, how, batch=200, resets=None):
        merge(self, list(card_ids)[:1], how, resets=resets)  # (each batch commits as it goes)
        raise storemod._explain(sqlite3.OperationalError("database or disk is full"),
                                self.path)

    monkeypatch.setattr(storemod.Store, "merge_histories", full_after_one_card)
    out = tmp_path / "out"
    r = run("import-anki", pkg, "--out", out)
    assert r.exit_code == 2, r.stdout
    assert r.stderr.startswith("error: ") and "disk is full" in r.stderr, r.stderr
    assert "deck file(s) were written" in r.stderr and "history was not" in r.stderr
    assert "run the same command again" in r.stderr and "Traceback" not in r.stderr
    assert [p.name for p in out.iterdir()] == ["s.yaml"]
    assert stored() == {ids[0]: [3]}
    monkeypatch.setattr(storemod.Store, "merge_histories", merge)
    r = run("import-anki", pkg, "--out", out)
    assert r.exit_code == 0, r.stderr
    assert "added 2 review(s) to 2 card(s), 1 already there" in r.stdout
    assert (stored(), flags()) == clean == ({ids[0]: [3], ids[1]: [1], ids[2]: [4]},
                                            ({ids[0]}, {}))
    with storemod.Store(prep_home / "prep.db") as st:
        assert st.states() == clean_states
    r = run("import-anki", pkg, "--out", out)  # and once more: nothing twice
    assert r.exit_code == 0, r.stderr
    assert "added 0 review(s) to 0 card(s), 3 already there" in r.stdout
    assert stored() == clean[0]

# --- the review log: what Anki itself counts ----------------------------------------------

def test_cram_answers_and_resets_count_as_anki_counts_them(run, tmp_path):
    """Anki's FSRS leaves out answers given in a filtered deck that does not reschedule (revlog
    type 3, factor 0: cramming) and starts a card's history again when it is reset to new
    (Forget: a manual entry with factor 0). prep counted the cram answer as a review, and kept
    the reviews before a reset, so a card Anki shows as new was scheduled days ahead."""
    needs_anki()
    col = new_col(tmp_path / "c.anki2")
    crammed, reset, relearnt = (add(col, "S", f"Q{i}") for i in range(3))
    answer(col, crammed, 4)
    fd = col.sched.get_or_create_filtered_deck(0)
    fd.name = "Cram"
    del fd.config.search_terms[:]
    fd.config.search_terms.add(search="Front:Q0", limit=10, order=0)
    fd.config.reschedule = False
    col.sched.add_or_update_filtered_deck(fd)
    answer(col, crammed, 1)
    answer(col, reset, 4)
    col.sched.schedule_cards_as_new([reset.cards()[0].id], restore_position=True,
                                    reset_counts=False)
    answer(col, relearnt, 4)
    col.sched.schedule_cards_as_new([relearnt.cards()[0].id], restore_position=True,
                                    reset_counts=False)
    answer(col, relearnt, 3)
    kinds = col.db.list("SELECT type || ':' || ease || ':' || factor FROM revlog ORDER BY id")
    assert kinds == ["0:4:2500", "3:1:0", "0:4:2500", "4:0:0", "0:4:2500", "4:0:0", "0:3:0"]
    pkg = export(col, tmp_path / "d.apkg")
    col.close()
    r = run("import-anki", pkg, "--out", tmp_path / "out")
    assert r.exit_code == 0, r.stderr
    assert "added 2 review(s) to 2 card(s)" in r.stdout
    assert stored() == {ai.card_id(crammed.guid): [4], ai.card_id(relearnt.guid): [3]}


def test_revlog_rules_follow_ankis():
    """The rules of Anki's reviews_for_fsrs (rslib), on hand-made logs of one card."""
    def rows(*log):
        got, left, _ = ai.revlog_rows([ai.Revlog(T + i, 1, e, 0, k, f)
                                    for i, (k, e, f) in enumerate(log)], {1: "c"})
        return [r.rating for r in got], left

    learn, review, relearn, early, cram = (0, 3, 2500), (1, 3, 2500), (2, 1, 2500), \
        (3, 2, 2500), (3, 4, 0)
    due, reset, resched = (4, 0, 2500), (4, 0, 0), (5, 0, 2500)
    assert rows(learn, review, cram, due, review, relearn, early, resched) == ([3, 3, 3, 1, 2], 3)
    assert rows(learn, review, reset) == ([], 3)  # new again: no history
    assert rows(learn, review, reset, learn, review) == ([3, 3], 3)
    assert rows(learn, review, reset, review) == ([3], 3)  # graded after a reset, no learning
    assert rows(review, review) == ([3, 3], 0)  # no learning steps logged: all kept
    # an older Anki logged no reset: the last run of learning steps starts the history
    assert rows(learn, learn, review, learn, cram, learn, review) == ([3, 3, 3], 4)


# --- packages that are not what they should be -----------------------------------------

def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path


def test_damaged_and_foreign_packages_say_what_to_fix(run, tmp_path):
    """Each was refused with Anki's own words, which say nothing a user can act on:
    `specified file not found in archive`, `invalid Zip archive: Could not find EOCD`,
    `Failed to copy from 'collection.anki21b' to '/tmp/.tmpXXXX': Invalid checksum`."""
    needs_anki()
    col = new_col(tmp_path / "c.anki2")
    add(col, "D", "Q")
    good = export(col, tmp_path / "good.apkg").read_bytes()
    col.close()
    cut = tmp_path / "cut.apkg"
    cut.write_bytes(good[: len(good) // 2])
    with zipfile.ZipFile(tmp_path / "good.apkg") as z:
        members = {n: z.read(n) for n in z.namelist()}
        info = z.getinfo("collection.anki21b")
    bad = bytearray(good)  # bytes of the collection's data changed: its checksum fails
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra) + 8
    bad[start:start + 32] = bytes(b ^ 0x5A for b in bad[start:start + 32])
    (tmp_path / "bad.apkg").write_bytes(bytes(bad))
    (tmp_path / "empty.apkg").write_bytes(b"")
    cases = {
        cut: "not a complete zip archive",
        tmp_path / "empty.apkg": "empty file",
        _zip(tmp_path / "notes.apkg", {"notes.txt": b"hi"}): "holds no Anki collection",
        _zip(tmp_path / "media.apkg", {"media": b'{"0": "a.png"}', "0": b"PNG"}):
            "only media files",
        tmp_path / "bad.apkg": "damaged",
        _zip(tmp_path / "new.colpkg", {**members, "meta": b"\x08\x09"}): "newer version of Anki",
    }
    out = tmp_path / "out"
    for pkg, what in cases.items():
        r = run("import-anki", pkg, "--out", out)
        assert r.exit_code == 2, (pkg, r.stdout)
        assert r.stderr.startswith(f"error: {pkg}: ") and r.stderr.count("\n") == 1, r.stderr
        assert what in r.stderr, r.stderr
        assert "export" in r.stderr or "pip install" in r.stderr, r.stderr  # what to do
    assert not out.exists() and stored() == {}


# --- what a note's HTML becomes ---------------------------------------------------------

@pytest.mark.parametrize("html, markdown", [
    # a table kept its cells apart (was "h1h2\n12")
    ("<table><tr><th>h1</th><th>h2</th></tr><tr><td>1 &amp; 2</td><td>a<br>b</td></tr></table>",
     "| h1 | h2 |\n| --- | --- |\n| 1 & 2 | a<br>b |"),
    ('<table><tr><td><code>a|b</code></td><td><img src="x.png"></td></tr>'
     "<tr><td>\\(x\\)</td></tr></table>", "| `a\\|b` | ![](x.png) |\n| --- | --- |\n| $x$ |  |"),
    # an image-only field said nothing (was "", so the question read "(empty)"); beside
    # text an image is still left out (its file is not copied)
    ('<img src="paris 1.jpg">', "![](paris%201.jpg)"),
    ('<div><img alt="map [old]" src="m.png"></div>', "![map old](m.png)"),
    ('<div>Where?<img alt="map" src="m.png"></div>', "Where?"),
    # code kept its lines and indentation only as a fenced block (was plain paragraph lines)
    ("<pre><code>def f(x):\n    return x &lt; 2</code></pre>",
     "```\ndef f(x):\n    return x < 2\n```"),
    ("<pre><div>def f():</div><div>&nbsp; &nbsp; return 1</div></pre>",
     "```\ndef f():\n    return 1\n```"),
    ("Call <code>a_b*c</code> now", "Call `a_b*c` now"),
    # numbered lists stayed numbered (were bullets)
    ("<ol><li>first</li><li>second</li></ol>", "1. first\n1. second"),
    # a <style> sheet was shown as text (was ".x{color:red}visible")
    ("<style>.x{color:red}</style>visible", "visible"),
    # Anki's LaTeX became prep's math (was kept as "[$]\\alpha[/$]")
    ("[$]\\alpha[/$] and [$$]\\beta[/$$]", "$\\alpha$ and $$\\beta$$"),
    ("[latex]\\begin{equation}x\\end{equation}[/latex]",
     "$$\\begin{equation}x\\end{equation}$$"),
    ("[latex]Let $x$ be[/latex]", "Let $x$ be"),
    # decoded once only: an escaped entity stays escaped
    ("a &amp;lt; b", "a &lt; b"),
])
def test_field_html_becomes_markdown(html, markdown):
    assert ai.html_to_markdown(html) == markdown


def test_nested_clozes_and_back_extra():
    """Nested clozes (Anki 2.1.56+) came out as '[inner] text}} end' and
    'outer {{c2 text}} end'; the cloze note's Back Extra field was dropped."""
    assert ai.cloze_sides("{{c1::outer {{c2::inner}} text}} end") == (
        "[…] end", "outer inner text end")
    assert ai.cloze_sides("{{c2::a {{c1::b::hint}}}} and {{c3::c}}") == (
        "[…] and […]", "a b and c")
    card = ai.to_card(ai.Note("g", "D", ["{{c1::Paris}} is in France", "Since 508"], [],
                              cloze=True))
    assert (card.question, card.answer) == ("[…] is in France",
                                            "Paris is in France\n\nSince 508")


def test_real_notes_of_every_common_kind(run, tmp_path):
    """Cloze with five gaps and hints, reversed and optional-reversed notes, an empty front,
    an image or audio only front, a table: every note gives one card `prep check` accepts."""
    needs_anki()
    col = new_col(tmp_path / "c.anki2")
    add(col, "K", "{{c1::Paris::city}} is in {{c2::France}}; {{c3::Berlin}} in "
                  "{{c4::Germany::country}}, {{c5::Rome}}", "Capitals", model="Cloze")
    add(col, "K", "front r", "back r", model="Basic (and reversed card)")
    add(col, "K", "front o", "back o", model="Basic (optional reversed card)",
        **{"Add Reverse": "y"})
    add(col, "K", '<img src="eiffel.jpg">', "Paris")
    add(col, "K", "[sound:bonjour.mp3]", "Hello")
    add(col, "K", "<table><tr><td>2</td><td>4</td></tr></table>", "squares")
    pkg = export(col, tmp_path / "d.apkg", legacy=True)
    col.close()
    out = tmp_path / "out"
    r = run("import-anki", pkg, "--out", out)
    assert r.exit_code == 0, r.stderr
    assert run("check", out).exit_code == 0
    got = [(c.question, c.answer) for c in decks_in(out)["k.yaml"].cards]
    assert got == [
        ("[city] is in […]; […] in [country], […]",
         "Paris is in France; Berlin in Germany, Rome\n\nCapitals"),
        ("front r", "back r"), ("front o", "back o"), ("![](eiffel.jpg)", "Paris"),
        ("[sound:bonjour.mp3]", "Hello"), ("| 2 | 4 |\n| --- | --- |", "squares")]


# --- a large collection -----------------------------------------------------------------

@pytest.mark.slow
def test_a_collection_of_20000_notes(run, tmp_path):
    """20,000 notes, 2,000 answered, FSRS on. Import and import again, timed. Before: 2.0 s
    and 5.1 s: the second parsed the whole 20,000-card deck file only to see who wrote it."""
    needs_anki()
    from anki.collection import AddNoteRequest

    col = new_col(tmp_path / "c.anki2")
    col.set_config("fsrs", True)
    basic, did = col.models.by_name("Basic"), col.decks.id("Big::Deck")
    reqs = []
    for i in range(20_000):
        n = col.new_note(basic)
        n["Front"], n["Back"] = f"Question {i} <b>x</b>", f"Answer {i}<br>line"
        reqs.append(AddNoteRequest(n, did))
    col.add_notes(reqs)
    for cid in col.db.list("SELECT id FROM cards ORDER BY id LIMIT 2000"):
        card = col.get_card(cid)
        card.start_timer()
        col.sched.answerCard(card, 3)
    pkg = export(col, tmp_path / "d.apkg")
    col.close()
    out, times, parsed = tmp_path / "out", [], []
    load = deckmod.load
    # (a MonkeyPatch of its own: undoing the test's would undo its PREP_HOME too, and the
    # commands after it wrote 20,000 cards into the real data folder's deck index)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(deckmod, "load", lambda p, *a, **k: parsed.append(p) or load(p, *a, **k))
        for _ in range(2):
            t0 = time.perf_counter()
            r = run("import-anki", pkg, "--out", out)
            times.append(time.perf_counter() - t0)
            assert r.exit_code == 0, r.stderr
    assert parsed == []  # the deck file written first is known by its head
    assert "20000 note(s); added 0 review(s) to 0 card(s), 2000 already there" in r.stdout
    (d,) = decks_in(out).values()
    assert len(d.cards) == 20_000 and d.cards[5].answer == "Answer 5\nline"
    print(f"import-anki of 20,000 notes: {times[0]:.2f} s, again {times[1]:.2f} s")
    r = run("cards", "list", "--json", "--cards", out)
    assert len(json.loads(r.stdout)) == 20_000


def test_note_types_come_in_as_their_cards_show_them(run, tmp_path):
    """A note type whose card shows its third field and then its fifth (a `Source` first),
    `Basic (type in the answer)`, and Image Occlusion (shapes over an image): the question is
    what the card's front shows (it was `(empty)`, a prompt with the note's reviews), and an
    occlusion is left out and said (it was `[…][…]`, coordinates as the answer) (fault hunt 8)."""
    needs_anki()
    col = new_col(tmp_path / "c.anki2")
    mm = col.models
    m = mm.new("Vocab")
    for f in ["Source", "Notes", "Word", "Example", "Meaning"]:
        mm.add_field(m, mm.new_field(f))
    t = mm.new_template("Card 1")
    t["qfmt"], t["afmt"] = "{{Word}}", "{{FrontSide}}<hr id=answer>{{Meaning}}"
    mm.add_template(m, t)
    mm.add(m)
    n = col.new_note(mm.by_name("Vocab"))
    n.fields = ["", "", "Stride", "", "Step of the sliding window"]
    col.add_note(n, col.decks.id("Custom"))
    answer(col, n, 3)
    add(col, "Custom", "What is 2+2?", "4", model="Basic (type in the answer)")
    io = mm.by_name("Image Occlusion")
    if io is not None:
        n2 = col.new_note(io)
        n2.fields[0] = "{{c1::image-occlusion:rect:left=.1:top=.2:width=.3:height=.1:oi=1}}"
        n2.fields[1], n2.fields[2] = '<img src="a.png">', "Label the bones"
        col.add_note(n2, col.decks.id("Custom"))
    pkg = export(col, tmp_path / "v.apkg")
    col.close()
    r = run("import-anki", pkg, "--out", tmp_path / "out")
    assert r.exit_code == 0, r.stderr
    cards = decks_in(tmp_path / "out")["custom.yaml"].cards
    assert sorted((c.question, c.answer, c.kind) for c in cards) == [
        ("Stride", "Step of the sliding window", "qa"), ("What is 2+2?", "4", "qa")]
    if io is not None:
        assert "1 Image Occlusion note(s) left out" in r.stdout
    assert stored() == {ai.card_id(n.guid): [3]}


def test_a_package_of_a_deck_named_default_comes_in_as_default_every_time(run, tmp_path):
    """genanki's package holds its own empty `Default` (id 1) beside the user's `Default`;
    Anki renames whichever it meets second to `Default_`, so the same package came in under
    one name or the other at random, its cards moving between two files (fault hunt 9)."""
    needs_anki()
    import genanki

    m = genanki.Model(1607392319, "Simple", fields=[{"name": "Question"}, {"name": "Answer"}],
                      templates=[{"name": "Card 1", "qfmt": "{{Question}}",
                                  "afmt": "{{FrontSide}}<hr id=answer>{{Answer}}"}])
    d = genanki.Deck(2059400111, "Default")
    for q in ("What is X1?", "What is X2?"):
        d.add_note(genanki.Note(model=m, fields=[q, "a"], guid=genanki.guid_for(q)))
    pkg = tmp_path / "x.apkg"
    genanki.Package(d).write_to_file(str(pkg))
    said = set()
    for _ in range(6):
        r = run("import-anki", pkg, "--out", tmp_path / "out")
        assert r.exit_code == 0, r.stderr
        said.add(r.stdout.splitlines()[0])
    assert said == {f"{tmp_path / 'out' / 'default.yaml'}: 2 card(s) (Anki deck Default)"}
    assert [p.name for p in deckmod.deck_files(tmp_path / "out")] == ["default.yaml"]
    assert ai._unclashed({1: "Default", 7: "Default_", 8: "Vision_"}, {7, 8}) == {
        1: "Default", 7: "Default", 8: "Vision_"}
