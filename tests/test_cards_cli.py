"""`prep cards`: list and search, show one card in full, suspend/unsuspend/bury/unbury/reset."""

import json
from datetime import timedelta

import pytest

from studykit import T0, make_decks

NOW = T0


@pytest.fixture
def decks(tmp_path, monkeypatch):
    import prepcli.cli as cli

    monkeypatch.setattr(cli, "_now", lambda: NOW)
    return make_decks(tmp_path / "cards", {
        "conv": [
            {"id": "conv0001", "question": "参数量怎么算？", "answer": "(K*K*Cin)*Cout",
             "tags": ["cnn"], "source": {"file": "notes/a.md", "line": 7, "path": ["卷积"]}},
            {"id": "conv0002", "question": "What is a 1x1 conv?", "answer": "Channel mixing.",
             "tags": ["cnn", "basics"]},
        ],
        "loss": [
            {"id": "loss0001", "question": "Focal loss?", "answer": "Down-weights easy ones."},
            {"id": "loss0002", "question": "Smooth L1?", "answer": "L1 far, L2 near."},
        ],
    })


def _history(tmp_path, run):
    """conv0001 reviewed once (due well before NOW); loss0001 lapsed 8 times (a leech)."""
    day = NOW - timedelta(days=200)
    lines = ["card_id,review_time,review_rating,review_duration",
             f"conv0001,{(NOW - timedelta(days=100)).isoformat()},3,5000"]
    lines.append(f"loss0001,{day.isoformat()},3,1000")
    for i in range(1, 9):
        lines.append(f"loss0001,{(day + timedelta(days=2 * i)).isoformat()},3,1000")
        lines.append(f"loss0001,{(day + timedelta(days=2 * i + 1)).isoformat()},1,1000")
    f = tmp_path / "h.csv"
    f.write_text("\n".join(lines) + "\n")
    r = run("reviews", "import", f)
    assert r.exit_code == 0, r.output


def test_list_filters_by_text_deck_tag_and_state(run, decks, tmp_path):
    _history(tmp_path, run)
    ids = lambda *a: [c["id"] for c in json.loads(run("cards", "list", *a, "--json",  # noqa: E731
                                                        "--cards", decks).stdout)]
    assert ids() == ["conv0001", "conv0002", "loss0001", "loss0002"]
    assert ids("k*k") == ["conv0001"]  # any case, and a * is literal
    assert ids("--deck", "loss") == ["loss0001", "loss0002"]
    assert ids("--tag", "basics") == ["conv0002"]
    assert ids("--state", "new") == ["conv0002", "loss0002"]
    assert ids("--state", "due") == ["conv0001", "loss0001"]
    assert ids("--state", "leech") == ["loss0001"]
    r = run("cards", "list", "参数", "--cards", decks)
    assert "conv0001" in r.stdout and "1 card(s)." in r.stdout


def test_show_has_source_history_and_fsrs_state(run, decks, tmp_path):
    _history(tmp_path, run)
    r = run("cards", "show", "conv0001", "--cards", decks)
    assert r.exit_code == 0, r.output
    assert "source: notes/a.md:7  卷积" in r.stdout
    assert "(K*K*Cin)*Cout" in r.stdout and "1 review(s):" in r.stdout
    info = json.loads(run("cards", "show", "loss0001", "--json", "--cards", decks).stdout)
    assert len(info["reviews"]) == 17 and info["fsrs"]["lapses"] == 8
    assert info["reviews"][-1]["rating"] == "Again"
    assert info["fsrs"]["stability"] > 0 and "leech" in info["state"]


def test_suspend_unsuspend_bury_unbury_reset(run, decks, tmp_path):
    _history(tmp_path, run)
    state = lambda cid: json.loads(run("cards", "show", cid, "--json",  # noqa: E731
                                       "--cards", decks).stdout)
    r = run("cards", "suspend", "conv0001", "loss", "--cards", decks)
    assert r.exit_code == 2 and "is the start of 2 card ids" in r.output
    assert not state("conv0001")["suspended"]  # nothing changed when one id was bad
    assert "suspended 2 card(s)" in run("cards", "suspend", "conv0001", "loss0002",
                                        "--cards", decks).stdout
    assert state("conv0001")["suspended"] and "suspended" in state("loss0002")["state"]
    run("cards", "unsuspend", "conv0001", "--cards", decks)
    assert not state("conv0001")["suspended"]
    run("cards", "bury", "conv0002", "--cards", decks)
    assert state("conv0002")["buried_until"] == "2026-11-23T04:00:00+00:00"
    run("cards", "unbury", "conv0002", "--cards", decks)
    assert state("conv0002")["buried_until"] is None
    run("cards", "reset", "loss0001", "--cards", decks)
    info = state("loss0001")
    assert info["state"] == ["new"] and len(info["reviews"]) == 17  # history kept
    assert info["resets"] == ["2026-11-22T10:00:00+00:00"]
    lines = run("cards", "show", "loss0001", "--cards", decks).stdout.splitlines()
    assert "17 review(s), 1 reset(s) (the card started again as new):" in lines
    assert lines[-1] == "  2026-11-22T10:00:00+00:00  reset"  # after every review, in time


def test_unknown_card_or_state_is_a_usage_error(run, decks):
    r = run("cards", "show", "nope", "--cards", decks)
    assert r.exit_code == 2 and "no card with id 'nope'" in r.output
    r = run("cards", "list", "--state", "late", "--cards", decks)
    assert r.exit_code == 2 and "unknown state 'late'" in r.output


def test_an_id_in_capitals_is_found_and_an_exercise_id_is_named(run, decks):
    # `prep cards show CONV0001` was "no card", though `cards list` matches any case; and
    # `exercise:nms` got no word of what it is (fault hunt 4, helper 91)
    r = run("cards", "show", "CONV0001", "--cards", decks)
    assert r.exit_code == 0 and r.output.startswith("conv0001"), r.output
    r = run("cards", "show", "exercise:nms", "--cards", decks)
    assert r.exit_code == 2 and "an exercise's schedule, not a card" in r.output
    assert "prep drill nms" in r.output


def test_unsuspending_a_card_that_is_not_suspended_says_so(run, decks):
    # it said "unsuspended 1 card(s)" of a card never suspended (fault hunt 4, helper 91)
    r = run("cards", "unsuspend", "conv0001", "--cards", decks)
    assert r.exit_code == 0 and r.output == "not suspended, left as it is: conv0001\n"
    run("cards", "suspend", "conv0001", "--cards", decks)
    r = run("cards", "unsuspend", "conv0001", "conv0002", "--cards", decks)
    assert r.output == ("unsuspended 1 card(s): conv0001\n"
                        "not suspended, left as it is: conv0002\n")
    r = run("cards", "unbury", "conv0002", "--cards", decks)
    assert r.output == "not buried, left as it is: conv0002\n"


def test_a_card_named_twice_is_changed_and_counted_once(run, decks):
    # `prep cards suspend conv0001 CONV0001 conv000` said "suspended 3 card(s)" (helper 94)
    r = run("cards", "suspend", "conv0001", "CONV0001", "--cards", decks)
    assert r.output == "suspended 1 card(s): conv0001\n"
