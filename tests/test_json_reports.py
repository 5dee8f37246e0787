"""`--json` on `prep import` and `prep exercises`: the documented schema 1 documents."""

from __future__ import annotations

import json

from conftest import REPO
from prepcli.catalog import EXERCISES

NOTE = "# Detection\n\n## What is IoU?\n\nIntersection over union.\n\n## What is NMS?\n\n"


def test_import_json(run, tmp_path):
    note = tmp_path / "detection.md"
    note.write_text(NOTE, encoding="utf-8")
    out = tmp_path / "cards"
    r = run("import", note, "--out", out, "--json")
    assert r.exit_code == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["schema"] == 1
    (d,) = data["decks"]
    assert (d["deck"], d["name"], d["file"]) == ("detection", "detection",
                                                  str(out / "detection.yaml"))
    assert (d["cards"], d["new"], d["updated"], d["unchanged"], d["written"]) == (
        2, 2, 0, 0, True)
    assert [p["question"] for p in d["prompts"]] == ["What is NMS?"]
    assert d["prompts"][0]["file"] and d["prompts"][0]["line"] == 7
    (n,) = data["notes"]
    assert (n["file"], n["cards"], n["prompts"]) == (str(note), 2, 1)
    # again, with one question gone: nothing new, one vanished, the deck rewritten
    note.write_text(NOTE.replace("## What is NMS?\n\n", ""), encoding="utf-8")
    d = json.loads(run("import", note, "--out", out, "--json").stdout)["decks"][0]
    assert (d["cards"], d["new"], d["unchanged"], d["written"]) == (1, 0, 1, True)
    assert [v["question"] for v in d["vanished"]] == ["What is NMS?"]


def test_exercises_json(run):
    data = json.loads(run("exercises", "--json").stdout)
    assert data["schema"] == 1 and data["generated_at"]
    rows = {e["exercise"]: e for e in data["exercises"]}
    assert list(rows) == list(EXERCISES)
    nms = rows["nms"]
    assert nms["title"] == EXERCISES["nms"].title and nms["parts"] == list(EXERCISES["nms"].parts)
    assert (nms["attempts"], nms["last"], nms["next_due"], nms["due_now"]) == (0, None, None, True)
    # a grade of the pristine stub is an attempt with nothing passed
    assert run("grade", REPO / "exercises" / "iou.py").exit_code == 1
    iou = {e["exercise"]: e for e in json.loads(run("exercises", "--json").stdout)["exercises"]}["iou"]
    assert iou["attempts"] == 1 and iou["best_parts_passed"] == 0
    last = iou["last"]
    assert last["passed"] is False and last["parts_passed"] == 0
    assert last["parts_total"] == len(EXERCISES["iou"].parts) and last["cases_total"] > 0
    assert last["graded"].startswith("20")

