"""deck._construct builds a deck's plain strings, lists and mappings itself, and must give
exactly what PyYAML's own `construct_document` gives (values, types, errors)."""
import datetime

import pytest
import yaml

from conftest import REPO
from prepcli.cards import deck

TRICKY = [
    "deck: d\ncards:\n  - id: a\n    question: q\n    answer: |\n      line\n",
    "a: 1\nb: 1.5\nc: true\nd: null\ne: ~\nf: 2026-12-05\ng: 2026-12-05 10:00:00\nh: 0x1f\n",
    "'1': quoted\n1: int key\ntrue: bool key\nnull: null key\n",
    "base: {x: 1}\nmerged:\n  <<: {x: 2, y: 3}\n  z: 4\n",  # a merge key
    "'<<': {x: 1}\n",  # a quoted `<<` is a plain key
    "= : value key\nk: v\n",  # the `=` value key
    "dup: 1\ndup: 2\n",  # last wins (the duplicate is reported by the deck's checks)
    "s: !!set {a, b}\no: !!omap [{a: 1}, {b: 2}]\np: !!pairs [{a: 1}]\n",
    "bin: !!binary aGVsbG8=\nf: !!float 1\ni: !!int '7'\ns: !!str 7\n",
    "nested: [[1, [2, {k: [v]}]], {a: {b: {c: d}}}]\n",
    "? [a, b]\n: unhashable key\n",
    "x: !custom tag\n",
    "x: !!str {a: b}\n",
    "- just\n- a\n- list\n",
    "plain scalar\n",
    "cards:\n  - {id: 7, question: 'q', answer: \"a\\tb\", tags: [x, 'y', 3]}\n",
    "k: .inf\nn: .nan\nm: -.Inf\nbig: 123456789012345678901234567890\n",
]


def _theirs(text):
    loader = yaml.CSafeLoader(text) if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader(text)
    try:
        return loader.construct_document(loader.get_single_node())
    finally:
        loader.dispose()


def _ours(text):
    loader = yaml.CSafeLoader(text) if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader(text)
    try:
        return deck._construct(loader, loader.get_single_node())
    finally:
        loader.dispose()


def _typed(v):
    """The value with the type of every part in it (1 == 1.0 == True in Python)."""
    if isinstance(v, dict):
        return ("dict", [(_typed(k), _typed(x)) for k, x in v.items()])
    if isinstance(v, (list, tuple, set)):
        items = sorted(v, key=repr) if isinstance(v, set) else v
        return (type(v).__name__, [_typed(x) for x in items])
    if isinstance(v, float) and v != v:
        return ("float", "nan")
    return (type(v).__name__, v)


def _outcome(build, text):
    try:
        return "ok", _typed(build(text))
    except yaml.YAMLError as e:
        return "error", type(e).__name__, str(e)


@pytest.mark.parametrize("text", TRICKY)
def test_same_as_pyyaml_on_tricky_documents(text):
    assert _outcome(_ours, text) == _outcome(_theirs, text)


def test_the_checks_above_can_tell_types_apart():
    assert _typed({"a": 1}) != _typed({"a": 1.0}) != _typed({"a": True})
    assert _outcome(_theirs, TRICKY[1])[1] != _outcome(_theirs, TRICKY[1].replace("1.5", "'1.5'"))[1]


def test_same_as_pyyaml_on_every_bundled_deck():
    decks = sorted((REPO / "cards").glob("*.yaml"))
    assert decks
    for path in decks:
        text = path.read_text(encoding="utf-8")
        assert _outcome(_ours, text) == _outcome(_theirs, text), path


def test_a_deck_with_other_types_loads_as_before(tmp_path):
    """Through the deck loader: an int id, a date, a merge key reach the checks as PyYAML
    gives them (an int id is accepted as text, a date answer is not text)."""
    path = tmp_path / "d.yaml"
    path.write_text("deck: D\ncards:\n  - id: 12\n    question: q\n    answer: a\n"
                    "  - id: b\n    question: q2\n    answer: 2026-12-05\n"
                    "  - <<: {id: c, question: q3}\n    answer: a3\n", encoding="utf-8")
    d, problems = deck.load(path)
    assert [c.id for c in d.cards] == ["12", "c"]
    assert [(p.line, "answer" in p.message) for p in problems] == [(8, True)]
    assert isinstance(_ours(path.read_text())["cards"][1]["answer"], datetime.date)


@pytest.mark.parametrize("depth", [100, 990])
def test_a_deeply_nested_value_is_a_problem_not_a_crash(tmp_path, depth):
    # (the direct walk recursed: 500 nested lists were a RecursionError; PyYAML's own walk,
    # which it falls back to, takes any depth libyaml does, 1,000)
    path = tmp_path / "d.yaml"
    path.write_text("deck: D\ncards:\n  - id: a\n    question: q\n    answer: a\n    tags: "
                    + "[" * depth + "]" * depth + "\n", encoding="utf-8")
    d, problems = deck.load(path)
    assert d is not None and d.cards == []
    assert [(p.line, p.message) for p in problems] == [
        (6, "card a: `tags` must be a list of strings")]


def test_deep_nesting_under_a_tag_the_loader_builds_falls_back_too(tmp_path):
    # (the loader's own recursive build of a tagged node: a RecursionError, then its walk)
    path = tmp_path / "d.yaml"
    path.write_text("deck: D\ncards:\n  - id: a\n    question: q\n    answer: a\n    tags: "
                    "!!omap " + "[{a: " * 400 + "1" + "}]" * 400 + "\n", encoding="utf-8")
    d, problems = deck.load(path)
    assert d is not None and [p.line for p in problems] == [6]
