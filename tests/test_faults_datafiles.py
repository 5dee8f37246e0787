"""Fault hunt 43 (a red team of the less used commands): the small files prep keeps in its
data folder (plan.json, device-id, the mistakes deck, its copy in the sync folder) with
something else in their place, or written so that prep refused them afterwards. Each was an
internal error, a hang, or a plan saved that every command then refused."""

from __future__ import annotations

import json
import os
import subprocess
from datetime import date, datetime, timedelta

import pytest

from faultkit import PREP, env_for, no_traceback, prep
from prepcli.review import plan

TODAY = datetime.now().astimezone().date()

MISTAKES = ("deck: Mistakes\ncards:\n  - id: mistake-0123456789\n    question: q\n"
            "    answer: a\n    tags: [mistakes, nms]\n    exercise: nms\n")


def test_a_plan_started_on_a_later_calendar_date_is_changed_into_one_prep_reads(tmp_path):
    # (set east of the date line, changed west of it: the new plan kept the later start, and
    # every command then said plan.json was not a plan prep can read)
    later = plan.Plan(TODAY + timedelta(days=10), TODAY + timedelta(days=1))
    changed = plan.updated(later, TODAY, TODAY, None)
    assert changed.start == TODAY and changed.interview == TODAY
    plan.save(tmp_path, changed)
    assert plan.load(tmp_path, today=TODAY) == changed


@pytest.mark.parametrize("content, said", [
    ("[" * 100_000 + "]" * 100_000, "not a plan prep can read"),
    (json.dumps({"interview": "9999-12-31", "start": "9999-12-30"}), "is after today"),
    ("[1, 2]", "not a plan prep can read")])
def test_a_plan_file_prep_cannot_use_is_a_clear_error(prep_home, content, said):
    # (nested arrays: RecursionError, exit 70; a start in 9999: prep plan simulated every day
    # to it, for hours)
    prep_home.mkdir(parents=True, exist_ok=True)
    (prep_home / "plan.json").write_text(content)
    for args in (("plan",), ("exercises",)):
        r = prep(prep_home, *args, timeout=30)
        no_traceback(r)
        assert r.returncode == 2 and said in r.stderr, (args, r.stderr)
    assert prep(prep_home, "plan", "--clear", timeout=30).returncode == 0


@pytest.mark.parametrize("kind", ["folder", "fifo"])
def test_a_plan_file_that_is_no_file_is_named_for_what_it_is(prep_home, kind):
    # (a folder: "Is a directory", from --clear too; a named pipe: every command hung)
    prep_home.mkdir(parents=True, exist_ok=True)
    f = prep_home / "plan.json"
    f.mkdir() if kind == "folder" else os.mkfifo(f)
    what = "a folder" if kind == "folder" else "a named pipe (FIFO)"
    for args in (("plan",), ("plan", "--clear"), ("stats",),
                 ("plan", "--interview", (TODAY + timedelta(days=9)).isoformat())):
        r = prep(prep_home, *args, timeout=30)
        no_traceback(r)
        assert r.returncode == 2 and f"the plan is {what}, not a file: move it away" in \
            r.stderr, (args, r.stderr)


def test_setting_a_plan_with_decks_that_cannot_be_read_changes_nothing(prep_home, tmp_path):
    # (it said "no such deck directory", exit 2, and had saved the plan all the same)
    day = (TODAY + timedelta(days=9)).isoformat()
    r = prep(prep_home, "plan", "--interview", day, "--cards", tmp_path / "no-such-folder")
    assert r.returncode == 2 and "no such deck directory" in r.stderr, r.stderr
    assert not (prep_home / "plan.json").exists()


def test_an_empty_interview_date_is_refused(prep_home):
    # (`--interview "$UNSET"` was ignored: "No plan", exit 0)
    r = prep(prep_home, "plan", "--interview", "")
    assert r.returncode == 2 and "give the date as YYYY-MM-DD" in r.stderr, r.stderr


def test_a_plan_with_a_file_for_a_data_folder_is_a_clear_error(tmp_path):
    home = tmp_path / "home-is-a-file"
    home.write_text("x")
    r = prep(home, "plan", "--interview", (TODAY + timedelta(days=9)).isoformat())
    no_traceback(r)  # (was: internal error (FileExistsError), exit 70)
    assert r.returncode == 2 and f"{home} is no folder" in r.stderr, r.stderr


@pytest.mark.parametrize("where", ["device-id", "mistakes", "copy"])
def test_sync_with_a_named_pipe_in_place_of_a_file_of_its_own_is_a_clear_error(
        prep_home, tmp_path, where):
    # (it blocked for ever reading the pipe: this machine's id, its mistakes deck, or its
    # copy of that deck in the sync folder)
    folder = tmp_path / "sync"
    folder.mkdir()
    (prep_home / "mistakes").mkdir(parents=True)
    (prep_home / "mistakes" / "mistakes.yaml").write_text(MISTAKES)
    assert prep(prep_home, "sync", folder).returncode == 0
    device = (prep_home / "device-id").read_text().strip()
    f = {"device-id": prep_home / "device-id",
         "mistakes": prep_home / "mistakes" / "mistakes.yaml",
         "copy": folder / f"prep-mistakes-{device}.yaml"}[where]
    f.unlink()
    os.mkfifo(f)
    r = prep(prep_home, "sync", folder, timeout=30)
    no_traceback(r)
    assert r.returncode == 2 and "is a named pipe (FIFO), not a file" in r.stderr, r.stderr


def test_sync_with_a_file_where_the_mistakes_folder_goes_is_a_clear_error(prep_home, tmp_path):
    # (another machine's mistakes deck to merge, and `mistakes` a file here: internal error
    # (FileExistsError), exit 70)
    folder = tmp_path / "sync"
    folder.mkdir()
    (folder / "prep-mistakes-othermachine.yaml").write_text(MISTAKES)
    prep_home.mkdir(parents=True, exist_ok=True)
    (prep_home / "mistakes").write_text("not a folder")
    r = prep(prep_home, "sync", folder, timeout=30)
    no_traceback(r)
    assert r.returncode == 2 and "mistakes is no folder" in r.stderr, r.stderr


def test_a_number_past_sqlite_integers_for_new_cards_is_taken_as_many(prep_home):
    # (`prep study --new 9223372036854775808`: internal error (OverflowError), exit 70, before
    # it even said it needs a terminal)
    r = prep(prep_home, "study", "--new", str(2**63), stdin=subprocess.DEVNULL)
    no_traceback(r)
    assert r.returncode == 2 and "interactive" in r.stderr, r.stderr
    r = prep(prep_home, "plan", "--interview", (TODAY + timedelta(days=9)).isoformat(),
             "--new", str(2**63))
    assert r.returncode == 0 and "at most 1000000" in r.stdout, r.stdout + r.stderr


def test_bashs_completion_variable_left_exported_runs_the_command(prep_home):
    # (it was a traceback: KeyError: 'COMP_WORDS')
    r = subprocess.run([*PREP, "stats", "--json"], capture_output=True, text=True, timeout=60,
                       env={**env_for(prep_home), "_PREP_COMPLETE": "complete_bash"})
    no_traceback(r)
    assert r.returncode == 0 and json.loads(r.stdout)["today"]["reviews"] == 0, r.stderr


def test_an_anki_export_leaves_no_copy_of_the_cards_in_the_temporary_folder(prep_home,
                                                                            tmp_path):
    # (genanki's collection file stayed in $TMPDIR at every export; a full one, or a file
    # size limit, was SQLite's "database or disk is full": internal error, exit 70)
    pytest.importorskip("genanki")
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    env = {**env_for(prep_home), "TMPDIR": str(tmp)}
    out = tmp_path / "out.apkg"
    r = subprocess.run([*PREP, "export", "anki", out], capture_output=True, text=True,
                       timeout=120, env=env)
    assert r.returncode == 0 and out.stat().st_size > 0, r.stderr
    assert list(tmp.iterdir()) == [] and sorted(p.name for p in tmp_path.iterdir()) == [
        "out.apkg", "tmp"]

    def small_files():
        import resource
        resource.setrlimit(resource.RLIMIT_FSIZE, (100 * 1024, 100 * 1024))

    r = subprocess.run([*PREP, "export", "anki", tmp_path / "big.apkg"], capture_output=True,
                       text=True, timeout=120, env=env, preexec_fn=small_files)
    no_traceback(r)
    assert r.returncode == 2 and "cannot write" in r.stderr, r.stderr
    assert not (tmp_path / "big.apkg").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_the_mistakes_folder_named_as_the_deck_folder_is_read_once(prep_home, tmp_path):
    # (`--cards $PREP_HOME/mistakes`: each mistake shown twice, `stats` said 2 made, and the
    # export wrote two notes of one GUID)
    folder = prep_home / "mistakes"
    folder.mkdir(parents=True)
    (folder / "mistakes.yaml").write_text(MISTAKES)
    r = prep(prep_home, "cards", "list", "--cards", folder)
    assert r.returncode == 0 and r.stdout.count("mistake-0123456789") == 1, r.stdout
    assert "Mistakes: 1 made" in prep(prep_home, "stats", "--cards", folder).stdout
    r = prep(prep_home, "export", "anki", tmp_path / "m.apkg", "--cards", folder)
    assert r.returncode == 0 and "1 note(s)" in r.stdout, r.stdout + r.stderr


def test_a_relative_sync_folder_is_taken_from_the_settings_files_folder(prep_home, tmp_path):
    # (as `decks` is; it was taken from wherever prep was run: the folder beside config.toml
    # "does not exist", and run elsewhere, sync files went into any ./syncrel there)
    prep_home.mkdir(parents=True, exist_ok=True)
    (prep_home / "config.toml").write_text('sync_dir = "syncrel"\n')
    (prep_home / "syncrel").mkdir()
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "syncrel").mkdir(parents=True)
    r = prep(prep_home, "sync", cwd=elsewhere)
    assert r.returncode == 0 and str(prep_home / "syncrel") in r.stdout, r.stdout + r.stderr
    assert list((elsewhere / "syncrel").iterdir()) == []


@pytest.mark.parametrize("how", ["--cards", "check", "config"])
def test_a_deck_folder_that_is_a_file_is_named_for_what_it_is(prep_home, tmp_path, how):
    # (it was "no such deck directory", and the setting's case named neither config.toml
    # nor its line)
    note = tmp_path / "notes.md"
    note.write_text("# notes\n")
    prep_home.mkdir(parents=True, exist_ok=True)
    if how == "config":
        (prep_home / "config.toml").write_text(f'decks = "{note}"\n')
        r = prep(prep_home, "cards", "list")
        want = f"config.toml:1: `decks` = '{note}': {note} is not a folder"
    else:
        r = prep(prep_home, *(["cards", "list", "--cards"] if how == "--cards" else ["check"]),
                 note)
        want = f"{note}: a file, not a deck folder"
    no_traceback(r)
    assert r.returncode == 2 and want in r.stderr, r.stderr


def test_a_stop_in_the_middle_of_a_reviews_import_says_what_is_kept(run, prep_home, tmp_path,
                                                                    monkeypatch):
    # (SIGTERM after 68,000 of 120,000 rows were in: "stopped by SIGTERM", nothing more)
    import signal

    from prepcli.errors import Stopped
    from prepcli.review.store import Store

    rows = [f"c{i},{1735732800000 + k * 86_400_000},3,1000" for i in range(500) for k in range(2)]
    f = tmp_path / "h.csv"
    f.write_text("card_id,review_time,review_rating,review_duration\n" + "\n".join(rows) + "\n")
    merge_histories = Store.merge_histories

    def stopped_after_a_batch(self, card_ids, merge, batch=200, resets=None):
        seen = []

        def merge_until(cid, *a):
            seen.append(cid)
            if len(seen) > batch:  # (the first batch committed, then the signal)
                raise Stopped(signal.SIGTERM)
            return merge(cid, *a)
        return merge_histories(self, card_ids, merge_until, batch, resets)

    monkeypatch.setattr(Store, "merge_histories", stopped_after_a_batch)
    r = run("reviews", "import", f)
    assert r.exit_code == 128 + signal.SIGTERM
    assert "stopped by SIGTERM (the reviews merged before the stop are saved; run it again" \
        in r.stderr, r.stderr
    monkeypatch.setattr(Store, "merge_histories", merge_histories)
    r = run("reviews", "import", f)  # (again: the rest, none twice)
    assert r.exit_code == 0 and "added 600 review(s)" in r.stdout and "400 already there" in \
        r.stdout, r.stdout


def test_a_reviews_export_says_the_card_resets_it_leaves_out(run, prep_home, tmp_path):
    # (imported elsewhere, a card reset to new came back in review, with no word of it)
    f = tmp_path / "h.csv"
    f.write_text("card_id,review_time,review_rating,review_duration\n"
                 "c1,2026-01-01T00:00:00Z,3,1000\nc2,2026-01-01T00:00:00Z,3,1000\n")
    assert run("reviews", "import", f).exit_code == 0
    r = run("reviews", "export", tmp_path / "out.csv")
    assert r.exit_code == 0 and "reset" not in r.stdout, r.stdout
    assert run("cards", "reset", "c1").exit_code == 0
    r = run("reviews", "export", tmp_path / "out.csv")
    assert r.exit_code == 0 and "note: 1 card reset(s) (prep cards reset) are not in it" in \
        r.stdout, r.stdout
