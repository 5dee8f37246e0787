"""Cards from your own mistakes: one per (exercise, convention), in the user's own deck."""

import json

import yaml

from conftest import REPO
from prepcli.drills import mistakes
from prepcli.drills.grader import Failure, Report
from prepcli.review.scheduler import REVIEW, CardState

LEGACY_NMS = (REPO / "tests" / "data" / "legacy_nms.py").read_text(encoding="utf-8")


def report(variant: str, case: str = "touching boxes") -> Report:
    return Report("nms", "nms.py", "h", {"nms": "fail"}, [],
                  Failure(case, "nms", "boxes=[[0,0,1,1]] scores=[0.9]",
                          ["expected [0], got [0, 1]"], variant))


def test_one_card_per_convention_not_per_attempt(prep_home):
    v = "suppresses on IoU >= t. Fix: suppress only when IoU > t."
    assert mistakes.add(prep_home, report(v), "Non-maximum suppression")
    assert not mistakes.add(prep_home, report(v, case="another case"), "NMS")  # same mistake
    assert mistakes.add(prep_home, report('"+1" pixel areas. Fix: areas are (x2-x1)*(y2-y1).'),
                        "NMS")
    assert not mistakes.add(prep_home, report(""), "NMS")  # nothing named: no card
    data = yaml.safe_load(mistakes.path(prep_home).read_text(encoding="utf-8"))
    assert [c["exercise"] for c in data["cards"]] == ["nms", "nms"]
    first = data["cards"][0]
    assert "suppresses on IoU >= t" in first["question"] and "right convention" in first["question"]
    assert first["answer"].startswith("suppress only when IoU > t.")
    assert "touching boxes" in first["answer"] and "expected [0], got [0, 1]" in first["answer"]


def test_mastered_counts_cards_in_review_with_long_stability():
    ids = ["a", "b", "c"]
    states = {"a": CardState(state=REVIEW, stability=30.0), "b": CardState(state=REVIEW,
                                                                             stability=3.0)}
    assert mistakes.counts(ids, states) == {"made": 3, "mastered": 1}


def test_a_graded_wrong_convention_becomes_a_card_seen_by_cards_and_stats(run, tmp_path,
                                                                         prep_home):
    f = tmp_path / "nms.py"
    f.write_text(LEGACY_NMS, encoding="utf-8")
    r = run("grade", f)
    assert r.exit_code == 1 and "Recognised:" in r.stdout
    deck = mistakes.path(prep_home)
    assert deck.exists()
    cards = yaml.safe_load(deck.read_text(encoding="utf-8"))["cards"]
    assert len(cards) == 1 and "+1" in cards[0]["question"]
    run("grade", f)  # the same mistake again: still one card
    assert len(yaml.safe_load(deck.read_text(encoding="utf-8"))["cards"]) == 1
    listed = run("cards", "list", "--deck", "mistakes")
    assert listed.exit_code == 0 and cards[0]["id"] in listed.stdout
    stats = json.loads(run("stats", "--json").stdout)
    assert stats["mistakes"] == {"made": 1, "mastered": 0}
