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


def test_implicit_types_are_pyyamls():
    """yamlwrite's table of YAML 1.1 implicit types (so that writing a deck needs no
    `import yaml`) reads plain text as PyYAML's resolver does."""
    pyyaml = yaml.resolver.Resolver.yaml_implicit_resolvers
    assert set(pyyaml) - set("!&*") - {""} == set(yamlwrite._IMPLICIT)
    rng = random.Random(3)
    pieces = ["0", "1", "9", "_", ".", "e", "E", "+", "-", ":", "5", "x", "b", "o", "a", "F",
              "inf", "Inf", "nan", "NaN", "yes", "No", "ON", "off", "true", "null", "~", "<<",
              "=", "2019-01-01", " ", "T", "t", "Z", "\t", "12:30:45", "2001-12-14", "中"]
    samples = set(TRICKY) | {"1_000", "0b101", "0x1F", "0o7", "017", "1:30", "1:30.5",
                             "2001-12-14t21:59:43.10-05:00", "2001-12-14 21:59:43.10 -5",
                             "2002-12-14", ".5e+3", "-.inf", ".NaN", "+12", "190:20:30"}
    for _ in range(50_000):
        samples.add("".join(rng.choice(pieces) for _ in range(rng.randint(1, 6))))
    for s in samples:
        if not s or "\n" in s or s[0] in yamlwrite._FIRST:  # (never plain: quoted first)
            continue
        theirs = any(rx.match(s) for _, rx in pyyaml.get(s[0], []))
        ours = s[0] in yamlwrite._IMPLICIT and yamlwrite._IMPLICIT[s[0]].fullmatch(s) is not None
        assert ours == theirs, s


def test_generated_deck_heads_match_libyaml():
    rng = random.Random(11)
    fast = 0
    for _ in range(3000):
        d = {"deck": _text(rng, False)}
        if rng.random() < 0.5:
            d["description"] = _text(rng, True)
        if rng.random() < 0.8:
            d["notes"] = [_text(rng, False) for _ in range(rng.randint(0, 3))]
        text = yamlwrite.head(d)
        if text is not None:
            fast += 1
            assert text == deckmod._emit(d, pure=False), d
    assert fast > 1000


def test_ascii_shortcuts_are_the_character_regexes():
    """On ASCII text yamlwrite asks str.isprintable instead of its _LINE and _TEXT."""
    for c in map(chr, range(128)):
        assert c.isprintable() == (yamlwrite._LINE.fullmatch(c) is not None), repr(c)
        assert (c == "\n" or c.isprintable()) == (yamlwrite._TEXT.fullmatch(c) is not None), c


def test_runs_of_blank_lines_in_literals_match_libyaml():
    for n in range(1, 5):
        d = {"id": "x", "question": "q", "answer": "a" + "\n" * n + "b\n  c" + "\n" * n + "d",
             "source": {"file": "f", "line": 1, "path": ["a", "b"]}}
        for card in (d, {**d, "source": {"file": "f\n" * n + "g"}}):
            text = yamlwrite.card(card)
            assert text is not None
            assert deckmod._emit({"deck": "d"}, pure=False) + "cards:\n" + text == _libyaml(card)
