"""The deck index (prepcli/review/index.py): the YAML decks stay the source of truth; a command
re-parses only the deck files that changed; the index can be deleted at any time; the review
history never changes because of it."""

import functools
import sqlite3
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from prepcli.cards import deck as deckmod
from prepcli.review import index
from prepcli.review.scheduler import Scheduler
from prepcli.review.session import Session
from prepcli.review.store import Store
from studykit import T0, make_decks, simple_cards


@pytest.fixture
def parsed(monkeypatch):
    """The deck files parsed, in order (the parser wrapped, not replaced)."""
    seen = []
    real = deckmod._parse

    def counting(path, known, reuse=None):
        seen.append(path.name)
        return real(path, known, reuse)

    monkeypatch.setattr(deckmod, "_parse", counting)
    return seen


def _two_decks(tmp_path):
    x = simple_cards(3, "x")
    x[0].update(tags=["t1", "T2"], exercise="nms",
                source={"file": "n.md", "line": 4, "path": ["H", "Sub"]})
    x[2].update(kind="prompt", answer="")
    return make_decks(tmp_path / "d", {"x": x, "y": simple_cards(2, "y")})


def _view(decks):
    return [(d.name, d.slug, str(d.path), [(c.to_dict(), c.line, str(c.origin), c.deck,
                                            c.deck_name) for c in d.cards]) for d in decks]


def test_the_index_gives_what_the_yaml_gives_and_reparses_only_changed_files(tmp_path, parsed):
    d = _two_decks(tmp_path)
    truth = _view(deckmod.load_dir(d)[0])
    parsed.clear()
    with Store(tmp_path / "p.db") as st:
        first, problems = index.load_dir(st, d)
        assert not problems and _view(first) == truth and parsed == ["x.yaml", "y.yaml"]
        again, _ = index.load_dir(st, d)
        assert _view(again) == truth and parsed == ["x.yaml", "y.yaml"]  # nothing re-read
        lean, _ = index.load_dir(st, d, full=False)
        assert [(c.answer, c.tags, c.source) for c in lean[0].cards] == [("", [], None)] * 3
        assert [(c.id, c.kind, c.exercise, c.question, c.line) for c in lean[0].cards] == \
            [(c.id, c.kind, c.exercise, c.question, c.line) for c in first[0].cards]
        # an edited answer: only that deck is read again
        f = d / "x.yaml"
        f.write_text(f.read_text().replace("Answer 2.", "Answer two, edited."))
        edited, _ = index.load_dir(st, d)
        assert edited[0].cards[1].answer == "Answer two, edited."
        assert parsed == ["x.yaml", "y.yaml", "x.yaml"]
        assert _view(edited) == _view(deckmod.load_dir(d)[0])


def test_a_deck_with_problems_keeps_its_good_cards_and_its_problems(tmp_path, parsed):
    d = tmp_path / "d"
    d.mkdir()
    (d / "x.yaml").write_text("deck: X\ncards:\n- id: a\n  question: q\n  answer: ''\n"
                              "- id: b\n  question: q2\n  answer: a2\n")
    (d / "y.yaml").write_text("deck: Y\ncards:\n- id: b\n  question: again\n  answer: a\n")
    want = deckmod.load_dir(d)
    with Store(tmp_path / "p.db") as st:
        for _ in range(2):  # from the YAML, then from the index alone
            decks, problems = index.load_dir(st, d)
            assert [str(p) for p in problems] == [str(p) for p in want[1]]
            assert _view(decks) == _view(want[0])
    assert parsed.count("x.yaml") == 2  # once for `want`, once into the index


def test_deleting_or_damaging_the_index_rebuilds_it(tmp_path, parsed):
    d = _two_decks(tmp_path)
    with Store(tmp_path / "p.db") as st:
        truth = _view(index.load_dir(st, d)[0])
        path = st.index_path
    assert path.exists()
    path.unlink()
    with Store(tmp_path / "p.db") as st:
        assert _view(index.load_dir(st, d)[0]) == truth
    path.write_bytes(b"not a database at all" * 500)
    with Store(tmp_path / "p.db") as st:
        assert _view(index.load_dir(st, d)[0]) == truth
        st.index_clear()  # what `prep check --reindex` does first
        assert _view(index.load_dir(st, d)[0]) == truth
    assert parsed == ["x.yaml", "y.yaml"] * 4


def _reviews(db):
    with sqlite3.connect(db) as c:
        return c.execute("SELECT * FROM reviews ORDER BY id").fetchall(), \
            c.execute("SELECT * FROM cards ORDER BY id").fetchall()


def _queue(st, scope):
    s = Session(scope, st, Scheduler(), T0 + timedelta(days=90))
    return [c.id for c in s.review_queue], [c.id for c in s.new_queue], s


def test_edits_are_seen_by_the_next_study_with_only_that_deck_read(run, tmp_path, prep_home,
                                                                    parsed):
    d = make_decks(tmp_path / "d", {"x": simple_cards(3, "x"), "y": simple_cards(3, "y")})
    r = run("study", "--cards", d)
    assert "interactive" in r.stderr and sorted(parsed) == ["x.yaml", "y.yaml"]
    db = prep_home / "prep.db"
    with Store(db) as st:  # a history: x1 reviewed, due again by the time of the session
        sched = Scheduler()
        st.record("x1", st.state("x1"), sched.review("x1", st.state("x1"), 4, T0), 4,
                  int(T0.timestamp() * 1000), 1000)
    history = _reviews(db)

    f = d / "x.yaml"
    text = f.read_text()
    text = text.replace("Answer 2.", "Answer two, edited.").replace("Question x3?", "Q3 new?")
    text = text.replace("- id: x1", "- id: x0\n  question: A new card?\n  answer: New.\n- id: x1")
    f.write_text(text)
    parsed.clear()
    r = run("study", "--cards", d)
    assert "interactive" in r.stderr
    assert parsed == ["x.yaml"]
    parsed.clear()
    run("stats", "--json", "--cards", d)
    assert parsed == []  # nothing changed since: nothing read
    with Store(db) as st:
        scope, _ = index.scope(st, [d], [], None)
        reviews, new, sess = _queue(st, scope)
        assert reviews == ["x1"] and new == ["x0", "x2", "x3", "y1", "y2", "y3"]
        shown = sess.next(T0 + timedelta(days=90))
        assert shown.id == "x1" and shown.answer == "Answer 1."
        by_id = {c.id: c for c in sess.new_queue}
        assert by_id["x3"].question == "Q3 new?"
        # a removed card leaves the queue; its history stays
        f.write_text(f.read_text().replace("- id: x2\n  question: Question x2?\n"
                                           "  answer: Answer two, edited.\n", ""))
        parsed.clear()
        scope, _ = index.scope(st, [d], [], None)
        assert parsed == ["x.yaml"]
        assert _queue(st, scope)[1] == ["x0", "x3", "y1", "y2", "y3"]
    assert _reviews(db) == history  # indexing never touches the review history


def test_the_queue_from_the_index_is_the_queue_from_the_cards(tmp_path):
    """The same session, built over the index or over a list of the same cards."""
    import random

    rng = random.Random(3)
    cards = {f"k{k}": [{"id": f"k{k}c{i}", "question": f"Q{k}.{i}?", "answer": "A.",
                        "tags": ["even"] if i % 2 == 0 else [],
                        "source": {"file": "n.md", "line": i, "path": [f"H{i // 3}"]}}
                       for i in range(40)] for k in range(3)}
    d = make_decks(tmp_path / "d", cards)
    sched = Scheduler()
    with Store(tmp_path / "p.db") as st:
        t = T0 - timedelta(days=30)
        for k in range(3):
            for i in range(0, 40, 2):
                cid = f"k{k}c{i}"
                for step in range(rng.randint(1, 4)):
                    when = t + timedelta(days=step * rng.randint(1, 6), hours=k)
                    before = st.state(cid)
                    rating = rng.choice((1, 3, 3, 4))
                    st.record(cid, before, sched.review(cid, before, rating, when), rating,
                              int(when.timestamp() * 1000), 1000)
        st.set_suspended("k0c2", True)
        for tag, deck in ((None, None), ("EVEN", None), (None, "k1")):
            scope, _ = index.scope(st, [d], [], None, deck=deck, tag=tag)
            a = Session(scope, st, sched, T0, new_limit=7)
            decks = index.load_dir(st, d)[0]
            listed = [c for dk in decks if deck in (None, dk.slug) for c in dk.cards
                      if tag is None or tag.casefold() in (x.casefold() for x in c.tags)]
            b = Session(listed, st, sched, T0, new_limit=7)
            for q in ("review_queue", "new_queue"):
                assert [c.id for c in getattr(a, q)] == [c.id for c in getattr(b, q)], (tag, deck)
            assert a.learning == b.learning and a.counts(T0) == b.counts(T0)
            assert a.summary(T0).next_due == b.summary(T0).next_due
            assert a.review_queue or a.new_queue


def test_two_processes_indexing_at_once_both_succeed(tmp_path):
    d = make_decks(tmp_path / "d", {f"k{k}": simple_cards(300, f"k{k}c") for k in range(6)})
    db = tmp_path / "p.db"
    Store(db).close()
    code = ("import sys; from pathlib import Path; from prepcli.review import index; "
            "from prepcli.review.store import Store\n"
            "with Store(Path(sys.argv[1])) as st:\n"
            "    decks, problems = index.load_dir(st, Path(sys.argv[2]))\n"
            "    assert not problems and sum(len(x.cards) for x in decks) == 1800\n")
    procs = [subprocess.Popen([sys.executable, "-c", code, str(db), str(d)],
                              stderr=subprocess.PIPE) for _ in range(2)]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err.decode()
    with Store(db) as st:
        decks, problems = index.load_dir(st, d)
        assert not problems and sum(len(x.cards) for x in decks) == 1800
        assert st.db.execute("SELECT count(*) FROM idx.deck_cards").fetchone()[0] == 1800


def test_check_reindex_rebuilds_the_index(run, tmp_path, parsed):
    d = _two_decks(tmp_path)
    run("stats", "--json", "--cards", d)
    parsed.clear()
    r = run("check", "--reindex", d)
    assert r.exit_code == 0 and "deck index rebuilt" in r.stdout
    # parsed into the index, and once more by the check itself (which reads the YAML)
    assert sorted(parsed) == ["x.yaml", "x.yaml", "y.yaml", "y.yaml"]
    parsed.clear()
    run("stats", "--json", "--cards", d)
    assert parsed == []


@pytest.mark.parametrize("text", ["deck: X\ncards: [&c [*c]]\n",
                                  "deck: X\ncards:\n- &c [*c]\n",
                                  "{deck: X, cards: [1,&c [*c]]}\n",
                                  "deck: X\ncards: {k: &c [*c]}\n",
                                  # (after a JSON-like key's colon, no space: fault hunt 43)
                                  'deck: X\ncards: {"k":&c [*c]}\n'])
def test_an_anchor_in_any_position_still_gets_the_alias_check(tmp_path, text):
    """The alias walk is skipped only for a text with no anchor (see deck._ANCHOR)."""
    f = tmp_path / "x.yaml"
    f.write_text(text)
    deck, problems = deckmod.load(f)
    assert deck is None and "refers to itself" in problems[0].message, problems


def test_markdown_ampersands_load_as_before(tmp_path):
    cards = simple_cards(2)
    cards[0]["answer"] = "R&D, `a && b`, &amp; and *emphasis* & more"
    d = make_decks(tmp_path / "d", {"x": cards})
    (deck,), problems = deckmod.load_dir(d)
    assert not problems and deck.cards[0].answer == cards[0]["answer"]


# --- a changed deck: only its changed card entries parsed (deck._entries, deck._delta) -----

@pytest.fixture
def entries_parsed(monkeypatch):
    """How many card entries each parse of a deck's text was given (the parser wrapped)."""
    counts = []
    real = deckmod._parse_text

    def counting(path, text, known):
        counts.append(text.count("\n- "))  # the items of `cards:` (written at column 0)
        return real(path, text, known)

    monkeypatch.setattr(deckmod, "_parse_text", counting)
    return counts


def _indexed(st):
    """Every indexed row of every deck file (rowids aside)."""
    return (st.db.execute("SELECT path, dir, mtime_ns, size, key, name, notes, description, "
                          "problems FROM idx.deck_files ORDER BY path").fetchall(),
            st.db.execute("SELECT file, pos, id, line, kind, question, tags, exercise, grp, hash, "
                          "dropped, src FROM idx.deck_cards ORDER BY file, pos").fetchall(),
            st.db.execute("SELECT * FROM idx.deck_bodies ORDER BY file, pos").fetchall())


def _as_if_reindexed(st, d, known=None):
    """The index after the delta, then after a full re-parse of everything: must be equal."""
    index.load_dir(st, d, known)
    delta = _indexed(st)
    st.index_clear()
    index.load_dir(st, d, known)
    full = _indexed(st)
    assert delta == full
    return full


def _big_deck(tmp_path, n=400):
    cards = simple_cards(n, "b")
    for i, c in enumerate(cards):
        c.update(tags=["big"], answer=f"Answer {i}:\n\n- point\n- `x * 2`\n",
                 source={"file": "n.md", "line": i, "path": [f"H{i // 3}"]})
    return make_decks(tmp_path / "d", {"big": cards, "small": simple_cards(3, "s")})


EDITS = [
    ("an answer, one line longer", lambda t: t.replace("Answer 200:\n", "Answer 200:\n    more\n")),
    ("a question", lambda t: t.replace("Question b7?", "Question b7, edited?")),
    ("a new card", lambda t: t.replace("- id: b10\n", "- id: new\n  question: New?\n"
                                        "  answer: Yes.\n  source: {file: n.md, line: 1, "
                                        "path: [H3]}\n- id: b10\n")),
    ("a removed card", lambda t: t.replace(t[t.index("- id: b30\n"):t.index("- id: b31\n")], "")),
    ("two cards swapped", lambda t: t.replace(
        t[t.index("- id: b1\n"):t.index("- id: b3\n")],
        t[t.index("- id: b2\n"):t.index("- id: b3\n")] + t[t.index("- id: b1\n"):
                                                         t.index("- id: b2\n")])),
    ("a duplicate id", lambda t: t.replace("- id: b50\n", "- id: b5\n")),
    ("a card moved to another heading", lambda t: t.replace(
        "    line: 15\n    path:\n    - H5\n", "    line: 15\n    path:\n    - H6\n")),
    ("a new card at the top", lambda t: t.replace(
        "cards:\n- id: b1\n", "cards:\n- id: top\n  question: Top?\n  answer: Yes.\n- id: b1\n")),
    ("a card moved to the end", lambda t: t.replace(
        t[t.index("- id: b5\n"):t.index("- id: b6\n")], "") + t[t.index("- id: b5\n"):
                                                              t.index("- id: b6\n")]),
]
# all of the above at once but the duplicate: two entries parsed (the answer, the new card)
EDITS.append(("several changes at once", lambda t: functools.reduce(
    lambda text, name: dict(EDITS)[name](text), [
        "a new card at the top", "an answer, one line longer", "a removed card",
        "two cards swapped", "a card moved to the end"], t)))
PARSED = {"a removed card": 0, "two cards swapped": 0, "a card moved to the end": 0,
          "several changes at once": 2}


@pytest.mark.parametrize("what,edit", EDITS, ids=[e[0] for e in EDITS])
def test_editing_one_card_of_a_large_deck_parses_that_entry_only(tmp_path, entries_parsed,
                                                                 what, edit):
    d = _big_deck(tmp_path)
    f = d / "big.yaml"
    with Store(tmp_path / "p.db") as st:
        index.load_dir(st, d)
        assert entries_parsed == [400, 3]
        entries_parsed.clear()
        rowids = _rowids(st, f)
        f.write_text(edit(f.read_text()))
        decks, problems = index.load_dir(st, d)
        changed = PARSED.get(what, 1)
        assert entries_parsed == [changed]  # the deck file's other entries: not parsed
        # a patch: the rows of the cards not changed are the same rows (a rewrite of the
        # file's rows would give every one a new rowid)
        assert len(rowids & _rowids(st, f)) >= 400 - 3
        want = deckmod.load_dir(d)
        assert _view(decks) == _view(want[0])
        assert [str(p) for p in problems] == [str(p) for p in want[1]]
        _as_if_reindexed(st, d)


def _rowids(st, f: Path) -> set[tuple]:
    return set(st.db.execute("SELECT rowid, id FROM idx.deck_cards WHERE file = ?",
                             (str(f.absolute()),)).fetchall())


def test_an_entry_repeated_word_for_word_is_indexed_by_a_full_parse(tmp_path, entries_parsed):
    d = _big_deck(tmp_path)
    f = d / "big.yaml"
    with Store(tmp_path / "p.db") as st:
        index.load_dir(st, d)
        text = f.read_text()
        entry = text[text.index("- id: b7\n"):text.index("- id: b8\n")]
        f.write_text(text.replace(entry, entry * 2))  # both skipped: one row to keep for two
        entries_parsed.clear()
        decks, problems = index.load_dir(st, d)
        assert entries_parsed == [0, 401]  # the delta parse gave up; the whole deck parsed
        want = deckmod.load_dir(d)
        assert _view(decks) == _view(want[0])
        assert [str(p) for p in problems] == [str(p) for p in want[1]]
        assert any("duplicate card id 'b7'" in p.message for p in problems)
        _as_if_reindexed(st, d)


def test_the_anchor_test_is_the_regex_it_replaced():
    import re

    regex = re.compile(r"(?:^|[\s\[{,])&")
    for text in ["&a", "a&b", "x: &a 1", "[&a]", "{&a", ",&a", "R & D", "a\t&", "a\u2003&b",
                 "&&", "no sign", "", "x:\n  &a"]:
        assert deckmod._may_anchor(text) == bool(regex.search(text)), text


def test_a_change_that_breaks_a_card_is_reported_at_its_line(tmp_path, entries_parsed):
    d = _big_deck(tmp_path)
    f = d / "big.yaml"
    with Store(tmp_path / "p.db") as st:
        index.load_dir(st, d)
        text = f.read_text()
        text = text.replace("Answer 200:\n", "Answer 200:\n    more\n")  # lines shift below
        text = text.replace("  question: Question b300?\n", "  question: Question b300?\n"
                                                             "  hint: unknown key\n")
        f.write_text(text)
        line = text.splitlines().index("  hint: unknown key") + 1
        decks, problems = index.load_dir(st, d)
        assert [(p.file, p.line, p.message) for p in problems] == \
            [(str(f), line, "unknown card key `hint` (allowed: answer, exercise, id, kind, "
                            "question, source, tags)")]
        assert "b300" not in {c.id for c in decks[0].cards} and len(decks[0].cards) == 399
        assert [str(p) for p in problems] == [str(p) for p in deckmod.load(f)[1]]
        # fixed again: only the fixed entry is parsed, and the problem is gone
        f.write_text(text.replace("  hint: unknown key\n", ""))
        entries_parsed.clear()
        decks, problems = index.load_dir(st, d)
        assert not problems and len(decks[0].cards) == 400 and entries_parsed == [1]


def test_a_yaml_error_in_a_changed_entry_is_the_full_parse_error(tmp_path):
    d = _big_deck(tmp_path)
    f = d / "big.yaml"
    with Store(tmp_path / "p.db") as st:
        index.load_dir(st, d)
        f.write_text(f.read_text().replace("Question b20?", '"Question b20?'))  # unclosed quote
        _, problems = index.load_dir(st, d)
        assert [str(p) for p in problems] == [str(p) for p in deckmod.load(f)[1]]
        assert problems and "YAML syntax" in problems[0].message


@pytest.mark.parametrize("unusual", [
    lambda t: t.replace("- id: b9\n", "# a comment\n- id: b9\n"),  # a line outside the items
    lambda t: t.replace("- id: b9\n", "- question: Question b9 moved up?\n  id: b9\n"),
    lambda t: t + "deck: Again\n",  # a key after `cards:`
    lambda t: t.replace("- id: b9\n", "- id: &a b9\n").replace("- id: b10\n", "- id: *a\n"),
], ids=["comment", "id-not-first", "key-after-cards", "anchor"])
def test_an_unusual_deck_is_parsed_whole(tmp_path, entries_parsed, unusual):
    d = _big_deck(tmp_path)
    f = d / "big.yaml"
    with Store(tmp_path / "p.db") as st:
        index.load_dir(st, d)
        f.write_text(unusual(f.read_text()))
        entries_parsed.clear()
        decks, problems = index.load_dir(st, d)
        want = deckmod.load_dir(d)
        assert _view(decks) == _view(want[0])
        assert [str(p) for p in problems] == [str(p) for p in want[1]]
        assert entries_parsed[0] in (2, 400)  # the anchor and alias entries only, or all


def test_the_corpus_decks_after_an_edit_are_indexed_as_a_full_parse_would(tmp_path,
                                                                       entries_parsed):
    import shutil

    from prepcli.catalog import EXERCISES

    d = tmp_path / "cards"
    d.mkdir()
    for f in (Path(__file__).parent.parent / "cards").glob("*.yaml"):
        shutil.copy(f, d / f.name)
    known = set(EXERCISES)
    with Store(tmp_path / "p.db") as st:
        index.load_dir(st, d, known)
        total = sum(entries_parsed)
        for f in sorted(d.glob("*.yaml")):
            text = f.read_text()
            at = text.index("\n  answer: ", len(text) // 2) + len("\n  answer: ")
            f.write_text(text[:at] + "Edited. " + text[at:])
        entries_parsed.clear()
        _as_if_reindexed(st, d, known)
        assert entries_parsed[:5] != [] and sum(entries_parsed[:5]) < total / 4


def test_prep_import_indexes_the_decks_it_writes(run, tmp_path, parsed):
    notes = tmp_path / "n.md"
    notes.write_text("# Notes\n\n## What is NMS?\n\nIt keeps the best box.\n\n"
                     "## What is IoU?\n\nOverlap over union.\n")
    d = tmp_path / "cards"
    assert run("import", notes, "--out", d).exit_code == 0
    assert parsed == []  # indexed in the same step that wrote it, from the cards it wrote
    parsed.clear()
    r = run("stats", "--json", "--cards", d)
    assert r.exit_code == 0 and parsed == []  # the next command finds it indexed
    notes.write_text(notes.read_text() + "\n## What is mAP?\n\nMean average precision.\n")
    assert run("import", notes, "--out", d).exit_code == 0
    # the importer reads the deck it updates from the index (not parsed); the index patches
    # it once written (its changed entries parsed, see deck.reparse)
    assert parsed == ["n.yaml"]
    parsed.clear()
    run("stats", "--json", "--cards", d)
    assert parsed == []


def test_a_reimport_reads_the_decks_as_deck_load_would(run, tmp_path, parsed):
    """`prep import` takes the decks it updates from the index, but a deck with a problem the
    index saw is read by deck.load (the index leaves out a card with an unknown exercise; the
    importer keeps it, and so its id), and a deck edited by hand is read as edited."""
    notes = tmp_path / "n.md"
    notes.write_text("## What is NMS?\n\nIt keeps the best box.\n\n"
                     "## What is IoU?\n\nOverlap over union.\n")
    d = tmp_path / "cards"
    assert run("import", notes, "--out", d).exit_code == 0
    deck = d / "n.yaml"
    ids = [c.id for c in deckmod.load(deck)[0].cards]
    text = deck.read_text(encoding="utf-8")
    # by hand: an id of one's own and an exercise prep does not know on the first card, a new
    # question on the second
    edited = text.replace(f"- id: {ids[0]}\n", "- id: my-nms\n", 1).replace(
        "  exercise: nms\n", "  exercise: no-such\n", 1).replace(
        "question: What is IoU?", "question: What is IoU exactly?")
    assert edited.count("my-nms") == edited.count("no-such") == 1 and "IoU exactly" in edited
    ids[0] = "my-nms"
    deck.write_text(edited, encoding="utf-8")
    parsed.clear()
    r = run("import", notes, "--out", d, "--json")
    assert r.exit_code == 0, r.output
    assert "n.yaml" in parsed  # read by deck.load, not taken from the index
    after = deckmod.load(deck)[0]
    assert [c.id for c in after.cards] == ids  # both cards kept their ids
    assert [c.question for c in after.cards] == ["What is NMS?", "What is IoU?"]
    assert after.cards[0].exercise == "nms"


@pytest.mark.parametrize("halves", [False, True])
def test_the_decks_import_writes_are_indexed_as_a_parse_of_them_would_be(tmp_path, parsed,
                                                                          monkeypatch, halves):
    """`prep import` indexes the decks it writes from its own cards (deck.as_written), not
    parsing them again: the index rows are those a parse of the files gives, for the bundled
    notes and every corpus file. (`halves`: each note parsed in two halves at once, its
    cards' text and hashes made there, notes.parse_note's `then`.)"""
    from prepcli.cards import notes as notesmod
    from prepcli.cards.importer import import_notes
    from prepcli.catalog import EXERCISES

    if halves:
        monkeypatch.setattr(notesmod, "SPLIT_LINES", 40)

    repo = Path(__file__).resolve().parent.parent
    notes = sorted((repo / "cards" / "notes").glob("*.txt"))
    corpus = repo.parent / "shared" / "corpus"
    notes += sorted(corpus.glob("*.md")) if corpus.is_dir() else []
    known, out = set(EXERCISES), tmp_path / "cards"
    rep = import_notes(notes, out)
    assert len(rep.decks) == len(notes) and all(d.written and d.deck for d in rep.decks)
    with Store(tmp_path / "p.db") as st:
        for d in rep.decks:
            index.update(st, d.file, known, d.deck)
        assert parsed == []
        given = _indexed(st)
        assert len(given[1]) == sum(d.cards for d in rep.decks) > 100
        st.index_clear()
        index.load_dir(st, out, known)
        assert len(parsed) == len(notes)
        assert _indexed(st) == given


def test_a_deck_as_written_that_would_not_load_is_parsed_instead(tmp_path):
    from prepcli.cards.deck import Card, Deck, as_written, dump

    cards = [Card(id="a1", question="Q?", answer="A."), Card(id="a2", question="P?", answer="")]
    d, f = Deck(name="n", cards=cards, notes=[]), tmp_path / "n.yaml"
    assert as_written(d, dump(d), f) is None  # no such file (call it once it is written)
    f.write_text(dump(d), encoding="utf-8")
    assert as_written(d, dump(d), f) is None  # an empty answer on a qa card
    cards[1].kind = "prompt"
    f.write_text(dump(d), encoding="utf-8")
    got = as_written(d, dump(d), f)
    assert [(c.id, c.line, c.deck) for c in got.cards] == [("a1", 4, "n"), ("a2", 7, "n")]
    assert got.stat == (f.stat().st_mtime_ns, f.stat().st_size)
    cards[0].exercise = "no-such"
    assert as_written(d, dump(d), f, {"nms"}) is None


def test_a_deck_changed_between_its_import_and_its_index_is_read_again(tmp_path, parsed):
    """The index made from the importer's cards keeps the file's stat from when it was
    written: an edit made before the index was written is seen by the next command."""
    from prepcli.cards.importer import import_notes
    from prepcli.catalog import EXERCISES

    notes = tmp_path / "n.md"
    notes.write_text("## What is NMS?\n\nIt keeps the best box.\n\n## What is IoU?\n\n"
                     "Overlap over union.\n", encoding="utf-8")
    out, known = tmp_path / "cards", set(EXERCISES)
    (d,) = import_notes([notes], out).decks
    text = d.file.read_text(encoding="utf-8")
    d.file.write_text(text.replace("Overlap over union.", "Edited by hand."), encoding="utf-8")
    with Store(tmp_path / "p.db") as st:
        index.update(st, d.file, known, d.deck)
        assert parsed == []
        decks, _ = index.load_dir(st, out, known)
        assert parsed == ["n.yaml"]  # seen as changed: read again
        assert [c.answer for c in decks[0].cards] == ["It keeps the best box.",
                                                      "Edited by hand."]


def test_a_damaged_page_of_the_index_is_rebuilt_and_never_blamed_on_the_reviews(
        run, tmp_path, prep_home):
    # 10 kB of garbage in the middle of prep.index.db: every command that reads decks said
    # the review database was damaged, `prep db restore` (its advice) moved the sound one
    # aside, and `prep check --reindex` failed the same way (fault hunt, helper 82)
    d = make_decks(tmp_path / "d", {"big": simple_cards(600, "b", answer="x" * 200)})
    assert run("cards", "list", "--cards", d).exit_code == 0
    db = prep_home / "prep.db"
    with Store(db) as st:  # (a history that must not change)
        sched = Scheduler()
        for cid in ("b1", "b2", "b3"):
            before = st.state(cid)
            st.record(cid, before, sched.review(cid, before, 3, T0), 3,
                      int(T0.timestamp()), 1000)
    before = _reviews(db)
    assert len(before[0]) == 3
    idx = prep_home / "prep.index.db"
    assert idx.stat().st_size > 100_000
    with open(idx, "r+b") as f:
        f.seek(50_000)
        f.write(bytes(range(256)) * 40)
    for args in (("cards", "list", "--cards", d), ("check", "--reindex", d),
                 ("stats", "--cards", d)):
        r = run(*args)
        assert r.exit_code == 0, (args, r.stdout, r.stderr)
        assert "damaged" not in r.stdout + r.stderr
        with open(idx, "r+b") as f:  # damaged again for the next command
            f.seek(50_000)
            f.write(bytes(range(256)) * 40)
    assert _reviews(db) == before
    assert sorted(p.name for p in prep_home.iterdir() if "damaged" in p.name) == []


def test_a_damaged_index_found_where_nothing_rebuilds_it_is_deleted_and_said(
        run, tmp_path, prep_home, monkeypatch):
    # (found damaged twice in a row: the command stops, says so, and the file is gone)
    from prepcli.progress import stats
    from prepcli.review.store import IndexDamaged

    d = make_decks(tmp_path / "d", {"x": simple_cards(3, "x")})
    assert run("stats", "--cards", d).exit_code == 0
    idx = prep_home / "prep.index.db"
    assert idx.exists()

    def damaged(*a, **k):
        raise IndexDamaged("the deck index is damaged (database disk image is malformed); it "
                           "holds nothing of yours, and prep builds it again from your decks",
                           file=str(idx))
    monkeypatch.setattr(stats, "compute", damaged)
    r = run("stats", "--cards", d)
    assert r.exit_code == 2
    assert r.stderr == (f"error: {idx}: the deck index is damaged (database disk image is "
                        "malformed); it holds nothing of yours, and prep builds it again from "
                        "your decks: it is deleted now; run the command again\n")
    assert not idx.exists()


def test_any_one_page_of_the_index_zeroed_is_repaired_and_blamed_on_nothing_of_yours(
        run, tmp_path, prep_home):
    # a page zeroed where SQLite notices nothing left a value no JSON (internal error) or
    # text no UTF-8 ("the review database failed: Could not decode…", naming prep.db);
    # fault hunt 5, helper 93. Each page in turn: the listing is the same, nothing is said.
    from prepcli.paths import bundled

    d = bundled("cards")  # (long answers, links, tags: values that span pages)
    good = run("cards", "list", "--cards", d)
    assert good.exit_code == 0
    idx = prep_home / "prep.index.db"
    pages = idx.stat().st_size // 4096
    assert pages > 10
    for page in range(1, pages):
        with open(idx, "r+b") as f:
            f.seek(4096 * page)
            f.write(b"\0" * 4096)
        r = run("cards", "list", "--cards", d)
        assert (r.exit_code, r.stdout) == (0, good.stdout), (page, r.stderr)
        assert "damaged" not in r.stderr and "failed" not in r.stderr, (page, r.stderr)


def test_a_damaged_index_that_cannot_be_deleted_says_so(run, tmp_path, prep_home, monkeypatch):
    # a read-only mount or an immutable file: the delete failed, an internal error (helper 94)
    import pathlib

    d = _two_decks(tmp_path)
    assert run("cards", "list", "--cards", d).exit_code == 0
    idx = prep_home / "prep.index.db"
    idx.write_bytes(b"not a database at all" * 500)
    unlink = pathlib.Path.unlink

    def busy(self, *a, **k):
        if self.name.startswith("prep.index.db"):
            raise OSError(16, "Device or resource busy", str(self))
        return unlink(self, *a, **k)
    monkeypatch.setattr(pathlib.Path, "unlink", busy)
    assert run("cards", "list", "--cards", d).exit_code == 0  # (read from the YAML itself)
    r = run("stats", "--cards", d)  # (asks the index)
    assert r.exit_code == 2, r.stderr
    assert "the deck index is damaged and cannot be deleted (Device or resource busy): delete "\
        "it yourself" in r.stderr


def test_a_session_shows_its_cards_own_answers_after_the_index_is_rebuilt(tmp_path):
    # (fault hunt 43) a session keeps each card's row of the index and loads the answer when
    # the card is shown; another command that rebuilt the index meanwhile (a re-import, `prep
    # check --reindex`) gave those rows to other cards: q4 was shown with q7's answer, and
    # rated so
    d = make_decks(tmp_path / "d", {"x": simple_cards(8, "x")})
    with Store(tmp_path / "prep.db") as st:
        scope, _ = index.scope(st, [d], [], None)
        sess = Session(scope, st, Scheduler(), T0)
        first = sess.next(T0)
        assert first.answer == f"Answer {first.id[1:]}."
        # the deck reordered and one card removed, then the index rebuilt from nothing
        f = d / "x.yaml"
        entries = f.read_text().split("\n- id: ")
        gone = next(c.id for c in sess.new_queue if c.id not in (first.id, "x8"))
        kept = [e for e in entries[1:] if not e.startswith(gone + "\n")]
        f.write_text(entries[0] + "".join("\n- id: " + e for e in reversed(kept)))
        st.index_clear()
        index.scope(st, [d], [], None)
        seen = {}
        while (card := sess.next(T0)) is not None:
            seen[card.id] = card.answer
            sess.answer(card, 3, T0, 1000)
        assert seen[gone] == index.GONE
        assert all(a == f"Answer {i[1:]}." for i, a in seen.items() if i != gone), seen
