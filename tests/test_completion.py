"""Shell completion: exercise ids for `prep drill`, deck names for --deck, tags for --tag;
the functions themselves, and the same answers through the shell's completion protocol."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from typer.testing import CliRunner

from prepcli import cli
from prepcli.catalog import EXERCISES
from studykit import make_decks


@pytest.fixture
def decks(tmp_path):
    return make_decks(tmp_path / "d", {
        "metrics": [{"id": "m1", "question": "Q", "answer": "A", "tags": ["iou", "map"]},
                    {"id": "m2", "question": "Q", "answer": "A", "tags": ["iou"]}],
        "mlp": [{"id": "p1", "question": "Q", "answer": "A", "tags": ["backprop"]}],
        "vision": [{"id": "v1", "question": "Q", "answer": "A"}]})


def ctx_with(**params):
    return SimpleNamespace(params=params)  # what the functions read of the click context


def test_exercise_ids():
    assert {v for v, _ in cli.complete_exercise("")} == set(EXERCISES)
    got = cli.complete_exercise("N")  # any case
    assert got and all(v.startswith("n") for v, _ in got)
    assert ("nms", EXERCISES["nms"].title) in got
    assert cli.complete_exercise("zzz") == []


def test_deck_names_and_tags(decks):
    ctx = ctx_with(cards=decks)
    assert [v for v, _ in cli.complete_deck(ctx, "m")] == ["metrics", "mlp"]
    assert cli.complete_deck(ctx, "v") == [("vision", "vision, 1 cards")]
    assert cli.complete_tag(ctx, "") == [("backprop", "1 cards"), ("iou", "2 cards"),
                                         ("map", "1 cards")]
    assert [v for v, _ in cli.complete_tag(ctx, "i")] == ["iou"]


def test_a_broken_deck_folder_completes_nothing(tmp_path):
    assert cli.complete_deck(ctx_with(cards=tmp_path / "missing"), "") == []
    assert cli.complete_tag(ctx_with(cards=tmp_path / "missing"), "") == []


def complete(words: str) -> list[str]:
    """What bash would offer for the last word of `words`."""
    parts = words.split(" ")
    r = CliRunner().invoke(cli.app, [], prog_name="prep", env={
        "_PREP_COMPLETE": "complete_bash", "COMP_WORDS": words,
        "COMP_CWORD": str(len(parts) - 1)})
    assert r.exit_code == 0, r.output
    return r.output.split()


def test_through_the_shell_protocol(decks):
    assert "nms" in complete("prep drill n")
    assert complete(f"prep study --cards {decks} --deck m") == ["metrics", "mlp"]
    assert complete(f"prep mock --cards {decks} --tag b") == ["backprop"]
    assert complete(f"prep stats --cards {decks} --deck vi") == ["vision"]
    assert complete(f"prep export anki x.apkg --cards {decks} --deck me") == ["metrics"]
    assert complete(f"prep cards list --cards {decks} --tag m") == ["map"]
