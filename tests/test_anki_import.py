"""prep import-anki: Anki notes become YAML cards (HTML to Markdown), the review log merges
into the store as `prep reviews import` would. The pure mapping is tested always; reading a
real package needs Anki's library (the `anki` extra), which makes the package in the test."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from prepcli.interop import anki_import as ai
from prepcli.cards import deck as deckmod
from prepcli.errors import PrepError


def test_html_becomes_markdown():
    assert ai.html_to_markdown("What is IoU?<br>Explain \\(x^2 + y_i\\)") == \
        "What is IoU?\nExplain $x^2 + y_i$"
    assert ai.html_to_markdown("<div>a</div><div><b>b</b>&nbsp;&amp; <i>c</i></div>") == \
        "a\n**b** & *c*"
    assert ai.html_to_markdown("\\[L = -\\sum_i y_i\\]<span style='x'>ok</span>") == \
        "$$L = -\\sum_i y_i$$ok"
    assert ai.html_to_markdown("<ul><li>one</li><li>two</li></ul>") == "- one\n- two"
    assert ai.html_to_markdown('<img src="a.png">a &lt; b<br/><br/><br/>c') == "a < b\n\nc"


def test_cloze_and_note_to_card():
    q, a = ai.cloze_sides("NMS keeps the {{c1::highest-scoring::score}} box, {{c2::drops}} rest")
    assert q == "NMS keeps the [score] box, […] rest"
    assert a == "NMS keeps the highest-scoring box, drops rest"
    c = ai.to_card(ai.Note("g#1", "D", ["Q<br>two", "<b>A</b>"], ["Object_Detection", "x"]))
    assert (c.id, c.question, c.answer, c.kind, c.tags) == (
        "anki-g#1", "Q\ntwo", "**A**", "qa", ["object-detection", "x"])
    assert ai.to_card(ai.Note("g2", "D", ["only a front", ""], [])).kind == "prompt"


def test_revlog_becomes_rows():
    t = 1_700_000_000_000
    log = [ai.Revlog(t, 11, 3, 5400, 0), ai.Revlog(t + 1, 11, 1, 0, 1),
           ai.Revlog(t + 2, 11, 0, 0, 4),  # a manual reschedule: not a review
           ai.Revlog(t + 3, 11, 3, 100, 5),  # rescheduled: not a review
           ai.Revlog(t + 4, 12, 4, 100, 1),  # a card not imported (a note's second card)
           ai.Revlog(5_000, 11, 3, 100, 1)]  # seconds, not ms: not a real review time
    rows, left, _ = ai.revlog_rows(log, {11: "anki-a"})
    assert [(r.card_id, r.time, r.rating, r.duration) for r in rows] == [
        ("anki-a", t, 3, 5400), ("anki-a", t + 1, 1, None)]
    assert left == 4


def test_a_card_forgotten_in_anki_is_reset_where_its_history_starts_again(tmp_path):
    """Forget in Anki, then the card learnt again: the rows start after the reset, and the
    reset is given too, so that a store holding the answers from before (an earlier package)
    replays from new there; it kept them, and disagreed with a fresh import (fault hunt 8)."""
    t = 1_700_000_000_000
    learnt = [ai.Revlog(t, 11, 3, 100, 0), ai.Revlog(t + 10, 11, 3, 100, 1)]
    forgot = ai.Revlog(t + 20, 11, 0, 0, 4, 0)
    again = ai.Revlog(t + 30, 11, 4, 100, 0)
    rows, _, resets = ai.revlog_rows(learnt + [forgot, again], {11: "anki-a"})
    assert [r.time for r in rows] == [t + 30] and resets == [("anki-a", t + 29)]
    rows, _, resets = ai.revlog_rows(learnt + [forgot], {11: "anki-a"})  # (not learnt again)
    assert rows == [] and resets == [("anki-a", t + 20)]
    assert ai.revlog_rows(learnt, {11: "anki-a"})[2] == []  # (never reset: none)


def test_missing_extra_is_named(run, tmp_path, monkeypatch):
    f = tmp_path / "d.apkg"
    f.write_bytes(b"PK")
    monkeypatch.setitem(sys.modules, "anki.collection", None)  # import fails as if absent
    r = run("import-anki", f, "--out", tmp_path / "out")
    assert r.exit_code == 2 and "pip install 'prepcli[anki]'" in r.stderr
    r = run("import-anki", tmp_path / "nope.apkg")
    assert r.exit_code == 2 and "no such file" in r.stderr
    (tmp_path / "d.txt").write_text("x")
    r = run("import-anki", tmp_path / "d.txt")
    assert r.exit_code == 2 and ".apkg or .colpkg" in r.stderr


def make_packages(tmp: Path) -> tuple[Path, Path, dict]:
    """A collection made by Anki's library: two Basic notes and a cloze in a nested deck,
    three answers given through Anki's scheduler; exported as .apkg and .colpkg."""
    from anki.collection import Collection, ExportAnkiPackageOptions

    col = Collection(str(tmp / "src.anki2"))
    did = col.decks.id("Vision::Detection")
    basic = col.models.by_name("Basic")
    for i in range(2):
        n = col.new_note(basic)
        n["Front"] = f"What is IoU {i}?<br>Explain \\(x^{i}\\)"
        n["Back"] = f"<b>Intersection</b> over union&nbsp;{i}"
        n.tags = ["metrics", "object_detection"]
        col.add_note(n, did)
    n = col.new_note(col.models.by_name("Cloze"))
    n["Text"] = "NMS keeps the {{c1::highest-scoring}} box"
    col.add_note(n, did)
    col.decks.select(did)
    answered = {}
    for ease in (3, 1, 4):
        card = col.sched.getCard()
        answered[col.get_note(card.nid).guid] = ease
        col.sched.answerCard(card, ease)
    apkg, colpkg = tmp / "d.apkg", tmp / "c.colpkg"
    col.export_anki_package(out_path=str(apkg), options=ExportAnkiPackageOptions(
        with_scheduling=True, with_media=False), limit=None)
    col.export_collection_package(str(colpkg), include_media=False, legacy=False)
    return apkg, colpkg, answered


def test_import_a_package_made_by_anki(run, tmp_path):
    pytest.importorskip("anki.collection", reason="Anki's library (pip install "
                                                  "'prepcli[anki]') is not installed")
    apkg, colpkg, answered = make_packages(tmp_path)
    out = tmp_path / "out"
    r = run("import-anki", apkg, "--out", out)
    assert r.exit_code == 0, r.stderr
    assert "3 note(s); added 3 review(s) to 3 card(s), 0 already there" in r.stdout
    (d,) = [deckmod.load(p)[0] for p in deckmod.deck_files(out)]
    assert d.name == "Vision::Detection" and len(d.cards) == 3
    by_q = {c.question: c for c in d.cards}
    c0 = by_q["What is IoU 0?\nExplain $x^0$"]
    assert c0.answer == "**Intersection** over union 0"
    assert c0.tags == ["metrics", "object-detection"] and c0.id.startswith("anki-")
    assert by_q["NMS keeps the […] box"].answer == "NMS keeps the highest-scoring box"
    assert run("check", out).exit_code == 0
    # the reviews are in the store, each on the card of its note, with Anki's rating
    r = run("cards", "list", "--json", "--cards", out)
    import json

    states = {c["id"]: c for c in json.loads(r.stdout)}
    from prepcli.review.store import Store
    import os

    with Store(Path(os.environ["PREP_HOME"]) / "prep.db") as st:
        got = {rv.card_id: rv.rating for rv in st.reviews()}
    assert got == {ai.card_id(g): e for g, e in answered.items()}
    assert set(got) <= set(states)
    # the whole collection package gives the same cards; its reviews are already there
    r = run("import-anki", colpkg, "--out", out)
    assert r.exit_code == 0, r.stderr
    assert "added 0 review(s) to 0 card(s), 3 already there" in r.stdout
    assert [c.id for c in deckmod.load(deckmod.deck_files(out)[0])[0].cards] == \
        [c.id for c in d.cards]


def test_a_hand_written_deck_is_never_overwritten(run, tmp_path):
    pytest.importorskip("anki.collection")
    apkg, _, _ = make_packages(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    mine = out / "vision-detection.yaml"
    mine.write_text("deck: Mine\ncards:\n- id: a\n  question: Q\n  answer: A\n", encoding="utf-8")
    r = run("import-anki", apkg, "--out", out)
    assert r.exit_code == 2 and "not written by prep import-anki" in r.stderr
    assert "Mine" in mine.read_text(encoding="utf-8")


def test_a_prep_export_studied_in_anki_brings_its_reviews_home(run, tmp_path):
    """prep export anki -> Anki (answers given there) -> prep import-anki: the reviews land on
    the original card ids, and no second copy of those cards is written."""
    pytest.importorskip("anki.collection")
    from anki.collection import Collection, ExportAnkiPackageOptions
    from anki.import_export_pb2 import ImportAnkiPackageRequest

    from studykit import make_decks

    d = make_decks(tmp_path / "d", {"alpha": [
        {"id": f"a{i}", "question": f"Q{i}", "answer": f"A{i}"} for i in range(3)]})
    assert run("export", "anki", tmp_path / "e.apkg", "--cards", d).exit_code == 0
    col = Collection(str(tmp_path / "phone.anki2"))
    col.import_anki_package(ImportAnkiPackageRequest(package_path=str(tmp_path / "e.apkg")))
    col.decks.select(col.decks.id("prep::alpha"))
    answered = {}
    for ease in (3, 4):
        card = col.sched.getCard()
        answered[card.note()["Id"]] = ease
        col.sched.answerCard(card, ease)
    col.export_anki_package(out_path=str(tmp_path / "back.apkg"), options=ExportAnkiPackageOptions(
        with_scheduling=True, with_media=False), limit=None)
    col.close()
    out = tmp_path / "out"
    r = run("import-anki", tmp_path / "back.apkg", "--out", out)
    assert r.exit_code == 0, r.stderr
    assert "3 note(s) (3 exported by prep" in r.stdout and "added 2 review(s) to 2 card(s)" in r.stdout
    assert not list(out.glob("*.yaml"))
    import os

    from prepcli.review.store import Store

    with Store(Path(os.environ["PREP_HOME"]) / "prep.db") as st:
        assert {rv.card_id: rv.rating for rv in st.reviews()} == answered


def test_convert_keeps_prep_notes_out_of_the_decks(tmp_path):
    t = 1_700_000_000_000
    pkg = ai.Package(
        [ai.Note("g1", "A::B", ["Q", "A"], ["x"]),
         ai.Note("g2", "prep::alpha", ["<p>Q</p>", "<p>A</p>", "", "a1"], [], prep_id="a1")],
        [ai.Revlog(t, 1, 3, 10, 1), ai.Revlog(t + 1, 2, 2, 10, 1)], {1: "g1", 2: "g2"})
    got = ai.convert(pkg, tmp_path)
    decks, rows, left = got.decks, got.rows, got.left
    (d,) = decks
    assert (d.name, d.path, [c.id for c in d.cards]) == ("A::B", tmp_path / "a-b.yaml",
                                                         ["anki-g1"])
    assert [(r.card_id, r.rating) for r in rows] == [("anki-g1", 3), ("a1", 2)] and left == 0
    model = {"name": "prep (Question / Answer / Source)",
             "flds": [{"name": n} for n in ("Question", "Answer", "Source", "Id")]}
    assert ai._prep_id(model, ["q", "a", "s", "x&amp;y"]) == "x&y"
    assert ai._prep_id({"name": "Basic", "flds": []}, ["q", "a"]) is None


def test_a_copy_made_in_anki_of_a_note_prep_exported_is_a_card_of_its_own():
    """Create Copy in Anki keeps prep's Id field and gives a new GUID: the copy (edited into
    another question) is its own card with its own reviews; they went to the original's id,
    and the copy was never written (fault hunt 8)."""
    from prepcli.interop import anki_export

    model = {"name": anki_export.MODEL_NAME,
             "flds": [{"name": n} for n in ("Question", "Answer", "Source", "Id")]}
    fields = ["What is Soft-NMS?", "Decays scores.", "", "own-one"]
    assert ai._prep_id(model, fields, anki_export.note_guid("own-one")) == "own-one"
    assert ai._prep_id(model, fields, "uf^F%qLkhk") is None
    t = 1_700_000_000_000
    pkg = ai.Package(
        [ai.Note(anki_export.note_guid("own-one"), "prep::Own", ["What is NMS?", "NMS.", "",
                                                                 "own-one"], [],
                 prep_id=ai._prep_id(model, ["What is NMS?", "NMS.", "", "own-one"],
                                     anki_export.note_guid("own-one"))),
         ai.Note("uf^F%qLkhk", "prep::Own", fields, [],
                 prep_id=ai._prep_id(model, fields, "uf^F%qLkhk"))],
        [ai.Revlog(t, 1, 4, 10, 1), ai.Revlog(t + 1, 2, 1, 10, 1)],
        {1: anki_export.note_guid("own-one"), 2: "uf^F%qLkhk"})
    got = ai.convert(pkg, Path("/nonexistent"))
    decks, rows = got.decks, got.rows
    assert [(c.id, c.question) for d in decks for c in d.cards] == [
        ("anki-uf^F%qLkhk", "What is Soft-NMS?")]
    assert [(r.card_id, r.rating) for r in rows] == [("own-one", 4), ("anki-uf^F%qLkhk", 1)]


def test_suspended_notes_give_the_ids_of_their_prep_cards():
    """A note suspended in Anki (its first card's queue -1) is a prep card to suspend: its own
    id, or, for a note `prep export anki` wrote, the id of the card it came from."""
    pkg = ai.Package(
        [ai.Note("g1", "D", ["Q1", "A"], [], suspended=True), ai.Note("g2", "D", ["Q2", "A"], []),
         ai.Note("g3", "prep::alpha", ["Q", "A", "", "a1"], [], prep_id="a1", suspended=True)],
        [])
    assert ai.suspended_ids(pkg) == ["anki-g1", "a1"]
    assert ai.suspended_ids(ai.Package([ai.Note("g2", "D", ["Q2", "A"], [])], [])) == []


def test_a_card_added_by_hand_to_a_deck_import_anki_wrote_is_kept(tmp_path):
    """Importing the same package again rewrites its decks from Anki: a card added to one by
    hand (an id not `anki-…`) stays, after Anki's; it was deleted without a word (fault hunt
    8). A deck file broken by hand is not rewritten (what does not load would be lost)."""
    pkg = ai.Package([ai.Note("g1", "Conv", ["What is a stride?", "The step."], [])], [], {})
    decks = ai.convert(pkg, tmp_path).decks
    ai.write_decks(decks)
    path = tmp_path / "conv.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "- id: my-own-card\n  question: What "
                    "is dilation?\n  answer: Gaps in the kernel.\n", encoding="utf-8")
    decks = ai.convert(pkg, tmp_path).decks
    assert [c.id for d in decks for c in d.cards] == ["anki-g1", "my-own-card"]
    ai.write_decks(decks)
    d, problems = deckmod.load(path)
    assert not problems and [c.id for c in d.cards] == ["anki-g1", "my-own-card"]
    path.write_text(path.read_text(encoding="utf-8") + "- id: [broken\n", encoding="utf-8")
    with pytest.raises(PrepError, match="cannot update this deck"):
        ai.convert(pkg, tmp_path)


def test_a_second_package_with_a_deck_of_the_same_name_gets_a_file_of_its_own(tmp_path):
    """Package Y's deck `Vision` shares no card with the `Vision` an import of package X wrote:
    X's cards were all taken out without a word (fault hunt 9); Y now gets a file of its own,
    and a re-import of either finds its own. Cards Anki no longer has are counted."""
    x = ai.Package([ai.Note("x1", "Vision", ["X1?", "a"], []),
                    ai.Note("x2", "Vision", ["X2?", "a"], [])], [], {})
    y = ai.Package([ai.Note("y1", "Vision", ["Y1?", "a"], [])], [], {})
    for pkg in (x, y, x, y):
        got = ai.convert(pkg, tmp_path)
        ai.write_decks(got.decks)
        assert not any(got.removed.values())
    files = {p.name: [c.id for c in deckmod.load(p)[0].cards]
             for p in deckmod.deck_files(tmp_path)}
    assert sorted(files.values()) == [["anki-x1", "anki-x2"], ["anki-y1"]]
    fewer = ai.Package([ai.Note("x1", "Vision", ["X1?", "a"], [])], [], {})
    got = ai.convert(fewer, tmp_path)
    assert list(got.removed.values()) == [1] and got.decks[0].path.name == "vision.yaml"


def test_a_hand_card_that_does_not_load_stops_the_rewrite(tmp_path):
    """A card added by hand with `answer: yes` (YAML's true, no text): the deck loads without
    it, and the rewrite dropped it while saying it kept the cards added by hand (fault hunt
    10). A deck with any card that does not load is not rewritten."""
    pkg = ai.Package([ai.Note("g1", "Conv", ["What is a stride?", "The step."], [])], [], {})
    ai.write_decks(ai.convert(pkg, tmp_path).decks)
    path = tmp_path / "conv.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "- id: my-card\n  question: Is it?\n"
                    "  answer: yes\n", encoding="utf-8")
    with pytest.raises(PrepError, match="cannot update this deck"):
        ai.convert(pkg, tmp_path)


def _patched_package(tmp: Path, sql: list[tuple[str, tuple]], n: int = 3) -> tuple[Path, list]:
    """An .apkg of `n` notes (`question i`) whose collection `sql` changed as a tool other than
    Anki may write it; and its card ids, in note order."""
    import sqlite3
    import zipfile

    import genanki

    m = genanki.Model(1607392319, "Simple", fields=[{"name": "Q"}, {"name": "A"}],
                      templates=[{"name": "c1", "qfmt": "{{Q}}",
                                  "afmt": "{{FrontSide}}<hr id=answer>{{A}}"}])
    d = genanki.Deck(2059400110, "Base Deck")
    for i in range(n):
        d.add_note(genanki.Note(model=m, fields=[f"question {i}", f"answer {i}"],
                                guid=f"g{i}xyz"))
    base, col, pkg = tmp / "base.apkg", tmp / "col.anki2", tmp / "pkg.apkg"
    genanki.Package(d).write_to_file(str(base))
    col.write_bytes(zipfile.ZipFile(base).read("collection.anki2"))
    with sqlite3.connect(col) as db:
        cids = [r[0] for r in db.execute("SELECT id FROM cards ORDER BY nid")]
        for q, args in sql:
            db.execute(q, args(cids) if callable(args) else args)
    with zipfile.ZipFile(pkg, "w") as z:
        z.write(col, "collection.anki2")
        z.writestr("media", "{}")
    return pkg, cids


_REVIEW = "INSERT INTO revlog (id, cid, usn, ease, ivl, lastIvl, factor, time, type) " \
    "VALUES (?, ?, -1, ?, 1, 0, 2500, 5000, 1)"


def _reviews() -> list[tuple[str, int, int]]:
    import os

    from prepcli.review.store import Store

    with Store(Path(os.environ["PREP_HOME"]) / "prep.db") as st:
        return [(r.card_id, r.time, r.rating) for r in st.reviews()]


def test_a_review_dated_days_ahead_is_left_out_not_added_on_every_import(run, tmp_path):
    # fault hunt 37: Anki's library dates a log entry more than a day ahead (a device whose
    # clock ran fast) at the moment it reads the package: each import added it again
    pytest.importorskip("anki.collection", reason="Anki's library is not installed")
    import time

    now = int(time.time() * 1000)
    pkg, _ = _patched_package(tmp_path, [
        (_REVIEW, lambda c: (now - 3 * 86_400_000, c[0], 3)),
        (_REVIEW, lambda c: (now + 2 * 86_400_000, c[0], 4))], n=1)
    for k in range(3):
        r = run("import-anki", pkg, "--out", tmp_path / "out")
        assert r.exit_code == 0, r.stderr
        assert "1 review(s) dated in the future left out" in r.stdout
        assert f"added {1 - min(k, 1)} review(s)" in r.stdout, r.stdout
    assert [(t, g) for _, t, g in _reviews()] == [(now - 3 * 86_400_000, 3)]


def test_notes_sharing_a_guid_are_cards_of_their_own_with_their_own_reviews(run, tmp_path):
    # fault hunt 37: three notes of one GUID (or of none) were three cards of one id, which
    # `prep check` refused, and every review went to the first
    pytest.importorskip("anki.collection", reason="Anki's library is not installed")
    t = 1_764_000_000_000
    for guid in ("same", ""):
        pkg, cids = _patched_package(tmp_path, [
            ("UPDATE notes SET guid = ?", (guid,)),
            (_REVIEW, lambda c: (t, c[2], 1)), (_REVIEW, lambda c: (t + 1000, c[1], 4))])
        out = tmp_path / f"out{guid}"
        r = run("import-anki", pkg, "--out", out)
        assert r.exit_code == 0, r.stderr
        assert run("check", out).exit_code == 0
        (d,) = [deckmod.load(p)[0] for p in deckmod.deck_files(out)]
        ids = {c.question: c.id for c in d.cards}
        assert len(set(ids.values())) == 3, ids
        # (the first note keeps the GUID's id, as it had before another came to share it:
        # fault hunt 38; an empty GUID is no id)
        assert (ids["question 0"] == "anki-same") if guid else ids["question 0"].startswith("anki-n")
        assert all(ids[f"question {k}"].startswith(f"anki-{guid}-n" if guid else "anki-n")
                   for k in (1, 2))
        got = {(c, g) for c, _, g in _reviews() if c in ids.values()}
        assert got == {(ids["question 2"], 1), (ids["question 1"], 4)}, got
        # importing it again adds nothing and keeps the ids
        r = run("import-anki", pkg, "--out", out)
        assert "added 0 review(s)" in r.stdout and "2 already there" in r.stdout
        assert [c.id for c in deckmod.load(deckmod.deck_files(out)[0])[0].cards] == \
            [c.id for c in d.cards]


def test_a_note_keeps_its_id_when_another_comes_to_share_its_guid(run, tmp_path):
    # fault hunt 38: a copy of a note with its GUID, in a later package, changed the first
    # note's card id, and its reviews were stored again under the new one
    pytest.importorskip("anki.collection", reason="Anki's library is not installed")
    t = 1_764_000_000_000
    first, cids = _patched_package(tmp_path, [(_REVIEW, lambda c: (t, c[0], 3))], n=2)
    (tmp_path / "first.apkg").write_bytes(first.read_bytes())
    later, _ = _patched_package(tmp_path, [(_REVIEW, lambda c: (t, c[0], 3)),
                                           ("UPDATE notes SET guid = 'g0xyz' WHERE guid = 'g2xyz'",
                                            ()), (_REVIEW, lambda c: (t + 5, c[2], 1))], n=3)
    out = tmp_path / "out"
    for pkg in (tmp_path / "first.apkg", later, later, tmp_path / "first.apkg"):
        r = run("import-anki", pkg, "--out", out)
        assert r.exit_code == 0, r.stderr
        ids = [c.id for c in deckmod.load(deckmod.deck_files(out)[0])[0].cards]
        assert ids[:2] == ["anki-g0xyz", "anki-g1xyz"], ids
    assert sorted((c, tt) for c, tt, _ in _reviews()) == [
        ("anki-g0xyz", t), (next(i for i in _ids_ever(out) if i.startswith("anki-g0xyz-n")), t + 5)]


def _ids_ever(out: Path) -> list[str]:
    import os

    from prepcli.review.store import Store

    with Store(Path(os.environ["PREP_HOME"]) / "prep.db") as st:
        return sorted({r.card_id for r in st.reviews()})


def _repacked(pkg: Path, out: Path, sql: list[str]) -> Path:
    """A legacy package (.apkg or .colpkg) with its collection changed by `sql`, as another
    tool or a bad copy may leave it."""
    import sqlite3
    import zipfile

    with zipfile.ZipFile(pkg) as z:
        names = z.namelist()
        inner = next(n for n in ("collection.anki21", "collection.anki2") if n in names)
        col = out.with_suffix(".anki2")
        col.write_bytes(z.read(inner))
        with sqlite3.connect(col) as db:
            for q in sql:
                db.execute(q)
        db.close()
        with zipfile.ZipFile(out, "w") as w:
            for n in names:
                if n == inner:
                    w.write(col, n)
                elif n != "collection.anki21b":
                    w.writestr(n, z.read(n))
    return out


def test_a_damaged_collection_package_is_a_clear_error(run, tmp_path):
    # fault hunt 42: a .colpkg is read as it is (no import step fails first): a table it lacks,
    # or fields stored as bytes, was "internal error" and exit 70
    pytest.importorskip("anki.collection", reason="Anki's library is not installed")
    from anki.collection import Collection, ExportAnkiPackageOptions

    col = Collection(str(tmp_path / "src.anki2"))
    n = col.new_note(col.models.by_name("Basic"))
    n["Front"], n["Back"] = "What is IoU?", "Overlap over union"
    col.add_note(n, col.decks.id("Vision"))
    apkg, base = tmp_path / "base.apkg", tmp_path / "base.colpkg"
    col.export_anki_package(out_path=str(apkg), options=ExportAnkiPackageOptions(
        with_scheduling=True, with_media=False, legacy=True), limit=None)
    col.export_collection_package(str(base), include_media=False, legacy=True)  # (closes it)
    for k, sql in enumerate(["DROP TABLE revlog", "UPDATE notes SET flds = X'fffe00'",
                             "UPDATE notes SET tags = X'ff'", "DROP TABLE cards"]):
        r = run("import-anki", _repacked(base, tmp_path / f"bad{k}.colpkg", [sql]),
                "--out", tmp_path / "out")
        assert r.exit_code == 2 and "Anki cannot read this package" in r.stderr, (sql, r.stderr)
        assert "Traceback" not in r.stderr and "internal error" not in r.stderr
    assert not (tmp_path / "out").exists()
    # a collection of a newer schema than the library reads: Anki says FileTooNew
    r = run("import-anki", _repacked(apkg, tmp_path / "newer.apkg", ["UPDATE col SET ver = 19"]),
            "--out", tmp_path / "out")
    assert r.exit_code == 2 and "made by a newer version of Anki" in r.stderr, r.stderr
    r = run("import-anki", base, "--out", tmp_path / "out")  # (the undamaged one reads)
    assert r.exit_code == 0 and "1 note(s)" in r.stdout, r.stderr


def test_a_guid_that_is_no_printable_text_gives_no_id(run, tmp_path):
    # fault hunt 42: a tab, a newline or a zero-width space in a GUID made ids `prep check`
    # refused: the cards never loaded, their reviews stored under ids of no card
    pytest.importorskip("anki.collection", reason="Anki's library is not installed")
    guids = ["a\tb", "c\nd", "e\u200bf"]
    pkg, _ = _patched_package(tmp_path, [(f"UPDATE notes SET guid = ? WHERE guid = 'g{k}xyz'",
                                          (g,)) for k, g in enumerate(guids)], n=4)
    out = tmp_path / "out"
    r = run("import-anki", pkg, "--out", out)
    assert r.exit_code == 0, r.stderr
    assert run("check", out).exit_code == 0
    ids = [c.id for c in deckmod.load(deckmod.deck_files(out)[0])[0].cards]
    assert len(ids) == 4 and ids[3] == "anki-g3xyz", ids
    assert all(i.startswith("anki-n") and i[6:].isdigit() for i in ids[:3]), ids


def test_a_note_keeps_its_id_when_the_note_that_shared_its_guid_is_deleted(run, tmp_path):
    # fault hunt 42: two notes of one GUID: the first kept the GUID's id, the second took
    # `-n<note id>`; once the first was deleted in Anki the second took the GUID's id, and
    # with it the deleted note's history
    pytest.importorskip("anki.collection", reason="Anki's library is not installed")
    t = 1_764_000_000_000
    both, _ = _patched_package(tmp_path, [
        ("UPDATE notes SET guid = 'same'", ()),
        (_REVIEW, lambda c: (t, c[0], 1)), (_REVIEW, lambda c: (t + 1000, c[1], 4))], n=2)
    (tmp_path / "both.apkg").write_bytes(both.read_bytes())
    one = _repacked(tmp_path / "both.apkg", tmp_path / "one.apkg", [
        "DELETE FROM revlog WHERE cid IN (SELECT id FROM cards WHERE nid = "
        "(SELECT min(id) FROM notes))",
        "DELETE FROM cards WHERE nid = (SELECT min(id) FROM notes)",
        "DELETE FROM notes WHERE id = (SELECT min(id) FROM notes)"])
    out = tmp_path / "out"
    assert run("import-anki", tmp_path / "both.apkg", "--out", out).exit_code == 0
    (d,) = [deckmod.load(p)[0] for p in deckmod.deck_files(out)]
    second = next(c.id for c in d.cards if c.question == "question 1")
    assert second.startswith("anki-same-n"), second
    r = run("import-anki", one, "--out", out)
    assert r.exit_code == 0, r.stderr
    assert "added 0 review(s)" in r.stdout and "1 card(s) no longer in the package" in r.stdout
    (d,) = [deckmod.load(p)[0] for p in deckmod.deck_files(out)]
    assert [(c.id, c.question) for c in d.cards] == [(second, "question 1")]
    assert sorted((c, g) for c, _, g in _reviews()) == [("anki-same", 1), (second, 4)]


def test_a_package_holding_another_programs_database_is_a_clear_error(run, tmp_path):
    # (a zip whose collection.anki2 is some other program's SQLite file: Anki imports nothing
    # and says nothing; prep said "0 note(s)", exit 0)
    pytest.importorskip("anki.collection", reason="Anki's library is not installed")
    import sqlite3
    import zipfile

    from anki.collection import Collection

    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, path TEXT)")
    db.close()
    pkg = tmp_path / "photos.apkg"
    with zipfile.ZipFile(pkg, "w") as z:
        z.write(other, "collection.anki2")
    r = run("import-anki", pkg, "--out", tmp_path / "out")
    assert r.exit_code == 2 and "no Anki tables" in r.stderr, r.stderr
    assert "Traceback" not in r.stderr and not (tmp_path / "out").exists()
    # an Anki collection with no notes is a package of no notes
    empty = tmp_path / "empty.colpkg"
    Collection(str(tmp_path / "empty.anki2")).export_collection_package(
        str(empty), include_media=False, legacy=True)
    r = run("import-anki", empty, "--out", tmp_path / "out")
    assert r.exit_code == 0 and "0 note(s)" in r.stdout, r.stderr
