"""Deck YAML written directly (yamlwrite) is byte for byte what PyYAML/libyaml writes."""

import random
from pathlib import Path

import pytest
import yaml

from prepcli.cards import deck as deckmod
from prepcli.cards import yamlwrite
from prepcli.cards.importer import import_notes

ROOT = Path(__file__).resolve().parent.parent
TRICKY = [" ", "  ", "\n", "\n\n", ":", ": ", " #", "#", "-", "- ", "?", "'", '"', "a", "Q", "1",
          "0", ".", "...", "---", "\t", "é", "中文", "，", "🧠", "\u2028", "\x85", "\ufeff", "|",
          ">", "[", "]", "{", ",", "!", "&", "*", "%", "@", "`", "y", "n", "no", "~", "=", "<<",
          "+", "e3", "x", "null", "true", "0x1F", "1.5", "2019-01-01", "\\", "\r", "\x07", "$x^2$"]


def _text(rng: random.Random, lines: bool) -> str:
    parts = [rng.choice(TRICKY) if rng.random() < 0.5 else rng.choice(["word", "a b", "What is"])
             for _ in range(rng.randint(0, 6))]
    s = "".join(parts)
    return s if lines or rng.random() < 0.8 else s.replace("\n", " ")


def _libyaml(d: dict) -> str:
    return deckmod._emit({"deck": "d", "cards": [d]}, pure=False)


def test_generated_cards_match_libyaml():
    rng = random.Random(7)
    fast = 0
    for _ in range(4000):
        d = {"id": _text(rng, False) or "x", "question": _text(rng, False),
             "answer": _text(rng, True), "tags": [_text(rng, False) for _ in range(rng.randint(0, 2))],
             "source": {"file": _text(rng, False), "line": rng.randint(0, 10**6),
                        "path": [_text(rng, False) for _ in range(rng.randint(0, 2))]}}
        if rng.random() < 0.3:
            d = {"id": d["id"], "kind": "prompt", "question": d["question"], "answer": ""}
        text = yamlwrite.card(d)
        if text is not None:
            fast += 1
            assert deckmod._emit({"deck": "d"}, pure=False) + "cards:\n" + text == _libyaml(d), d
    assert fast > 1000  # the simple cases are common enough for the comparison to mean much


def test_types_outside_the_format_go_to_pyyaml():
    assert yamlwrite.card({"id": "a", "question": "q", "answer": "a", "flag": True}) is None
    assert yamlwrite.card({"id": "a", "question": 1.5, "answer": "a"}) is None
    assert yamlwrite.card({"id": "a", "question": "q", "answer": "a",
                           "source": {"file": "f", "line": None}}) is None
    d = deckmod.Deck(name="d", cards=[deckmod.Card(id="1", question="yes", answer="a\tb",
                                                   source={"line": 2.5})], notes=[])
    text = deckmod.dump(d)
    assert yaml.safe_load(text)["cards"][0] == d.cards[0].to_dict()
    assert "&" not in text and "*id" not in text


def test_bundled_notes_import_like_pyyaml(tmp_path):
    """Every deck the bundled notes make (and the bundled decks) is written exactly as PyYAML
    writes it, and the Python emitter writes the same data."""
    import_notes(sorted((ROOT / "cards" / "notes").glob("*.txt")), tmp_path)
    files = sorted(tmp_path.glob("*.yaml")) + sorted((ROOT / "cards").glob("*.yaml"))
    assert len(files) >= 10
    for f in files:
        d, problems = deckmod.load(f)
        assert d is not None and not problems
        text = deckmod.dump(d)
        assert text == deckmod._emit(d.to_dict(), pure=False)
        assert yaml.safe_load(text) == yaml.safe_load(deckmod.dump(d, pure=True))


@pytest.mark.skipif(not hasattr(yaml, "CSafeDumper"), reason="PyYAML without libyaml")
def test_c_and_python_emitters_agree_on_plain_text():
    d = deckmod.Deck(name="Deck", notes=["n.md"], cards=[
        deckmod.Card(id="a1", question="What is IoU?", answer="Overlap.\n\n- area\n- union",
                     tags=["t"], source={"file": "n.md", "line": 3, "path": ["H", "I"]})])
    assert deckmod.dump(d) == deckmod.dump(d, pure=True)
