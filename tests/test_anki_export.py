"""prep export anki: the package holds one note per studyable card with rendered fields,
MathJax delimiters and tags, and the same GUIDs on every export (so Anki updates, not
duplicates). Read back with SQLite always, and with Anki's own library when installed."""

from __future__ import annotations

import sqlite3
import zipfile
from pathlib import Path

import pytest

from conftest import REPO
from prepcli.interop import anki_export
from prepcli.cards import deck as deckmod
from studykit import make_decks


def notes_in(apkg: Path, tmp: Path) -> list[tuple]:
    with zipfile.ZipFile(apkg) as z:
        z.extract("collection.anki2", tmp)
    with sqlite3.connect(tmp / "collection.anki2") as c:
        return sorted(c.execute("SELECT guid, flds, tags FROM notes"))


def test_markdown_and_math_become_anki_html():
    h = anki_export.to_html("Softmax: $p_i = e^{z_i} / \\sum_j e^{z_j}$ and *emphasis*\n\n"
                            "$$L = -\\sum_i y_i \\log p_i$$\n\n```python\nx = a * b  # $not math$\n```")
    assert "\\(p_i = e^{z_i} / \\sum_j e^{z_j}\\)" in h
    assert "\\[L = -\\sum_i y_i \\log p_i\\]" in h
    assert "<em>emphasis</em>" in h
    assert "<pre><code class=\"language-python\">x = a * b  # $not math$" in h
    assert "$" not in h.replace("$not math$", "")


def test_export_of_the_bundled_decks_and_guid_stability(run, tmp_path):
    decks, problems = deckmod.load_dir(REPO / "cards")
    assert not problems
    qa = sum(1 for d in decks for c in d.cards if c.kind == "qa")
    prompts = sum(1 for d in decks for c in d.cards if c.kind == "prompt")
    first, second = tmp_path / "a.apkg", tmp_path / "b.apkg"
    r = run("export", "anki", first, "--cards", REPO / "cards")
    assert r.exit_code == 0, r.stderr
    assert f"{qa} note(s) in {len(decks)} deck(s); {prompts} prompt card(s) left out" in r.stdout
    assert run("export", "anki", second, "--cards", REPO / "cards").exit_code == 0
    a, b = notes_in(first, tmp_path / "x"), notes_in(second, tmp_path / "y")
    assert len(a) == qa
    assert [n[0] for n in a] == [n[0] for n in b]  # same GUIDs
    assert len({n[0] for n in a}) == qa
    r = run("export", "anki", tmp_path / "p.apkg", "--prompts", "--cards", REPO / "cards")
    with_prompts = notes_in(tmp_path / "p.apkg", tmp_path / "z")
    assert len(with_prompts) == qa + prompts
    assert sum("prep_prompt" in n[2] for n in with_prompts) == prompts


def test_one_deck_and_a_missing_folder(run, tmp_path):
    d = make_decks(tmp_path / "d", {"alpha": [
        {"id": "a1", "question": "What is $x^2$?", "answer": "A **square**.",
         "tags": ["math basics"]}], "beta": [{"id": "b1", "question": "Q", "answer": "A"}]})
    r = run("export", "anki", tmp_path / "o.apkg", "--deck", "alpha", "--cards", d)
    assert r.exit_code == 0, r.stderr
    (guid, flds, tags), = notes_in(tmp_path / "o.apkg", tmp_path / "x")
    q, a, source, cid = flds.split("\x1f")
    assert q == "<p>What is \\(x^2\\)?</p>" and a == "<p>A <strong>square</strong>.</p>"
    assert cid == "a1" and tags.strip() == "math_basics"
    r = run("export", "anki", tmp_path / "nope" / "o.apkg", "--cards", d)
    assert r.exit_code == 2 and "no such folder" in r.stderr
    r = run("export", "anki", tmp_path / "o.apkg", "--deck", "gamma", "--cards", d)
    assert r.exit_code == 2 and "no deck named 'gamma'" in r.stderr


def test_a_field_separator_in_a_card_keeps_the_note_whole(run, tmp_path):
    """U+001F joins a note's fields in Anki: one in a card's text made a note of 5 fields for
    a type of 4, and Anki refused the whole package (fault hunt 33)."""
    d = make_decks(tmp_path / "d", {"alpha": [
        {"id": "a1", "question": "a\x1fb", "answer": "c\x1fd"}]})
    r = run("export", "anki", tmp_path / "o.apkg", "--cards", d)
    assert r.exit_code == 0, r.stderr
    (_, flds, _), = notes_in(tmp_path / "o.apkg", tmp_path / "x")
    q, a, _, cid = flds.split("\x1f")
    assert q == "<p>a\u241fb</p>" and a == "<p>c\u241fd</p>" and cid == "a1"


def test_anki_itself_reads_the_package(tmp_path):
    anki = pytest.importorskip("anki.collection", reason="Anki's library (pip install "
                                                         "'.[bench]') is not installed")
    d = make_decks(tmp_path / "d", {"alpha": [
        {"id": f"a{i}", "question": f"Q{i} $x_{i}$", "answer": f"A{i}", "tags": ["t"]}
        for i in range(5)]})
    decks, _ = deckmod.load_dir(d)
    col = anki.Collection(str(tmp_path / "c.anki2"))
    try:
        from anki.import_export_pb2 import ImportAnkiPackageRequest

        for n in range(2):  # importing the same export twice updates, never duplicates
            anki_export.export(decks, tmp_path / f"e{n}.apkg")
            col.import_anki_package(ImportAnkiPackageRequest(package_path=str(tmp_path / f"e{n}.apkg")))
        assert col.note_count() == 5
        note = col.get_note(col.find_notes("Id:a3")[0])
        assert note["Question"] == "<p>Q3 \\(x_3\\)</p>" and note.tags == ["t"]
    finally:
        col.close()
