"""The parsed-deck cache: used while a deck file is unchanged, never after it changes."""

from prepcli import deck as deckmod
from studykit import make_decks, simple_cards


def test_cache_is_reused_and_invalidated_by_edits(tmp_path):
    d = make_decks(tmp_path / "d", {"x": simple_cards(3)})
    cache = tmp_path / "cache"
    first, _ = deckmod.load_dir(d, cache_dir=cache)
    assert len(list(cache.glob("*.json"))) == 1 and len(list(cache.glob("*.answers"))) == 1
    again, _ = deckmod.load_dir(d, cache_dir=cache)
    assert [c.to_dict() for c in again[0].cards] == [c.to_dict() for c in first[0].cards]
    assert [(c.line, c.origin, c.deck_name) for c in again[0].cards] == \
        [(c.line, c.origin, c.deck_name) for c in first[0].cards]
    lean, _ = deckmod.load_dir(d, cache_dir=cache, answers=False)
    assert [c.answer for c in lean[0].cards] == ["", "", ""]
    assert [c.question for c in lean[0].cards] == [c.question for c in first[0].cards]
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
    assert problems and not list(cache.glob("*.json"))
    _, problems = deckmod.load_dir(d, cache_dir=cache)
    assert problems  # still reported on the next load


def test_a_damaged_cache_is_ignored(tmp_path):
    d = make_decks(tmp_path / "d", {"x": simple_cards(2)})
    cache = tmp_path / "cache"
    deckmod.load_dir(d, cache_dir=cache)
    for f in cache.glob("*.answers"):
        f.write_text("{not json")
    decks, problems = deckmod.load_dir(d, cache_dir=cache)
    assert not problems and len(decks[0].cards) == 2
