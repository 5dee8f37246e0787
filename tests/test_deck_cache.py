"""The parsed-deck cache: used while a deck file is unchanged, never after it changes."""

from prepcli import deck as deckmod
from studykit import make_decks, simple_cards


def test_cache_is_reused_and_invalidated_by_edits(tmp_path):
    cards = simple_cards(3)
    cards[0].update(tags=["t1", "t2"], exercise="nms",
                    source={"file": "n.md", "line": 4, "path": ["H", "Sub"]})
    cards[2].update(kind="prompt", answer="")
    d = make_decks(tmp_path / "d", {"x": cards})
    cache = tmp_path / "cache"
    first, _ = deckmod.load_dir(d, cache_dir=cache)
    assert len(list(cache.rglob("*.json"))) == 1 and len(list(cache.rglob("*.rest"))) == 1
    again, _ = deckmod.load_dir(d, cache_dir=cache)
    assert [c.to_dict() for c in again[0].cards] == [c.to_dict() for c in first[0].cards]
    assert [(c.line, c.origin, c.deck_name) for c in again[0].cards] == \
        [(c.line, c.origin, c.deck_name) for c in first[0].cards]
    lean, _ = deckmod.load_dir(d, cache_dir=cache, full=False)
    assert [c.answer for c in lean[0].cards] == ["", "", ""]
    assert [(c.kind, c.exercise) for c in lean[0].cards] == \
        [("qa", "nms"), ("qa", None), ("prompt", None)]
    assert [(c.tags, c.source) for c in lean[0].cards] == [([], None)] * 3
    assert [(c.id, c.kind, c.exercise, c.line, c.deck, c.deck_name) for c in lean[0].cards] == \
        [(c.id, c.kind, c.exercise, c.line, c.deck, c.deck_name) for c in first[0].cards]
    assert [c.question for c in lean[0].cards] == [c.question for c in first[0].cards]
    assert first[0].cards[0].source["path"] == ["H", "Sub"]  # the full load has it all
    f = d / "x.yaml"
    f.write_text(f.read_text().replace("Answer 2.", "Answer two, edited."))
    edited, _ = deckmod.load_dir(d, cache_dir=cache)
    assert edited[0].cards[1].answer == "Answer two, edited."


def test_a_deck_with_problems_is_never_cached(tmp_path):
    d = tmp_path / "d"
    d.mkdir()
    (d / "x.yaml").write_text("deck: X\ncards:\n- id: a\n  question: q\n  answer: ''\n")
    cache = tmp_path / "cache"
    _, problems = deckmod.load_dir(d, cache_dir=cache)
    assert problems and not list(cache.rglob("*.json"))
    _, problems = deckmod.load_dir(d, cache_dir=cache)
    assert problems  # still reported on the next load


def test_a_damaged_cache_is_ignored(tmp_path):
    d = make_decks(tmp_path / "d", {"x": simple_cards(2)})
    cache = tmp_path / "cache"
    deckmod.load_dir(d, cache_dir=cache)
    for f in cache.rglob("*.rest"):
        f.write_text("{not json")
    decks, problems = deckmod.load_dir(d, cache_dir=cache)
    assert not problems and len(decks[0].cards) == 2


def test_an_older_cache_version_is_cleared_away(tmp_path):
    d = make_decks(tmp_path / "d", {"x": simple_cards(2)})
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "0123456789abcdef.json").write_text("{}")  # version 2 kept files here
    (cache / "0123456789abcdef.answers").write_text("[]")
    (cache / "decks-v1").mkdir()
    (cache / "decks-v1" / "x-00000000.json").write_text("{}")
    decks, problems = deckmod.load_dir(d, cache_dir=cache)
    assert not problems and len(decks[0].cards) == 2
    left = sorted(str(p.relative_to(cache)) for p in cache.rglob("*"))
    assert len(left) == 3 and left[0] == f"decks-v{deckmod.CACHE_VERSION}", left
    assert {p.rsplit(".", 1)[1] for p in left[1:]} == {"json", "rest"}
