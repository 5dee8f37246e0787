"""Bad input and a bad environment, found by hand: each gives a one-line error naming the file
(and line), exit 2 for a usage error, 1 for a failed check; never a traceback, an internal error
(exit 70), a hang, or a file of the user's replaced."""

from __future__ import annotations

import json
import os
import pty
import stat
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import pytest

from faultkit import PREP, PtyPrep, env_for, no_traceback, prep, wait_for
from studykit import make_decks, simple_cards

LONG = "a" * 300  # longer than NAME_MAX (255) on every common file system


def clean(r) -> None:
    text = r.stdout + r.stderr
    assert "Traceback" not in text and "internal error" not in text, text


def deck_dir(where: Path, cards: str = "  - id: x1\n    question: Q\n    answer: A\n") -> Path:
    where.mkdir(parents=True, exist_ok=True)
    (where / "a.yaml").write_text("deck: A\ncards:\n" + cards, encoding="utf-8")
    return where


# --- F3: a name longer than NAME_MAX ---------------------------------------------------------

@pytest.mark.parametrize("args", [
    ("stats", "--cards", "{L}"), ("check", "{L}"), ("sync", "{L}"),
    ("reviews", "export", "{L}.csv"), ("export", "anki", "{L}.apkg"), ("grade", "{L}.py"),
    ("import-anki", "{L}.apkg"), ("db", "restore", "--from", "{L}"),
    ("cards", "list", "--cards", "{L}")])
def test_a_name_too_long_is_a_usage_error_naming_it(run, tmp_path, args):
    long = str(tmp_path / LONG)
    r = run(*[a.replace("{L}", long) for a in args])
    clean(r)
    assert r.exit_code == 2, r.stderr
    assert r.stderr.startswith("error: " + long) and "File name too long" in r.stderr, r.stderr


def test_a_decks_setting_too_long_is_a_usage_error(run, prep_home):
    (prep_home / "config.toml").write_text(f'decks = "{LONG}"\n', encoding="utf-8")
    r = run("stats")
    clean(r)
    assert r.exit_code == 2 and LONG in r.stderr and "File name too long" in r.stderr


def test_an_unexpected_oserror_stays_a_bug(run, monkeypatch):
    """The rule for environment faults does not hide a missing file prep itself expected."""
    from prepcli.progress import stats

    def broken(*a, **kw):
        raise FileNotFoundError(2, "No such file or directory", "/prep/internal")
    monkeypatch.setattr(stats, "compute", broken)
    assert run("stats", "--json").exit_code == 70


# --- F9: an empty path ----------------------------------------------------------------------

@pytest.mark.parametrize("args", [("reviews", "export", ""), ("export", "anki", ""),
                                  ("sync", ""), ("check", ""), ("stats", "--cards", "")])
def test_an_empty_path_is_a_usage_error(run, tmp_path, monkeypatch, args):
    monkeypatch.chdir(tmp_path)
    r = run(*args)
    clean(r)
    assert r.exit_code == 2 and "an empty path" in r.stderr, r.stderr
    assert list(tmp_path.iterdir()) == []  # nothing synced or written into the cwd


@pytest.mark.parametrize("args", [("reviews", "export", "-"), ("export", "anki", "-"),
                                  ("import", "-"), ("grade", "-")])
def test_a_dash_is_no_file_name(run, tmp_path, monkeypatch, args):
    # `prep export anki -` wrote a file named `-` (fault hunt, helper 82)
    monkeypatch.chdir(tmp_path)
    r = run(*args)
    clean(r)
    assert r.exit_code == 2 and "`-` (standard input or output)" in r.stderr, r.stderr
    assert list(tmp_path.iterdir()) == []


# --- F11: exports write through a symlink and never replace what is not a file -------------

@pytest.mark.parametrize("cmd", [("reviews", "export"), ("export", "anki")])
def test_export_writes_through_a_symlink(run, tmp_path, cmd):
    (tmp_path / "real").mkdir()
    target = tmp_path / "real" / "target.out"
    target.write_text("")  # (an empty file: what holds something else is never replaced)
    link = tmp_path / "link.out"
    link.symlink_to("real/target.out")
    r = run(*cmd, link)
    assert r.exit_code == 0, r.stderr
    assert link.is_symlink() and os.readlink(link) == "real/target.out"
    assert target.read_bytes() != b""
    assert sorted(p.name for p in (tmp_path / "real").iterdir()) == ["target.out"]  # no temp


@pytest.mark.parametrize("cmd", [("reviews", "export"), ("export", "anki")])
def test_export_refuses_a_fifo_or_a_folder(run, tmp_path, cmd):
    fifo = tmp_path / "pipe.out"
    os.mkfifo(fifo)
    r = run(*cmd, fifo)
    clean(r)
    assert r.exit_code == 2 and f"{fifo}: is a named pipe" in r.stderr, r.stderr
    assert fifo.is_fifo()
    r = run(*cmd, tmp_path)
    assert r.exit_code == 2 and "is a folder" in r.stderr, r.stderr
    r = run(*cmd, os.devnull)
    assert r.exit_code == 2 and "is a device" in r.stderr, r.stderr


@pytest.mark.parametrize("cmd", [("reviews", "export"), ("export", "anki")])
def test_an_earlier_export_keeps_its_permissions_and_a_read_only_one_is_kept(run, tmp_path,
                                                                               cmd):
    """A `chmod 444` earlier export was replaced, root or not, and came back 644 (fault hunt
    11 #3): one made read-only is refused, and one replaced keeps its mode."""
    out = tmp_path / "earlier.out"
    assert run(*cmd, out).exit_code == 0
    os.chmod(out, 0o600)
    assert run(*cmd, out).exit_code == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    os.chmod(out, 0o444)
    before = out.read_bytes()
    r = run(*cmd, out)
    clean(r)
    assert r.exit_code == 2 and f"{out}: is read-only" in r.stderr, r.stderr
    assert out.read_bytes() == before and stat.S_IMODE(out.stat().st_mode) == 0o444
    assert sorted(p.name for p in tmp_path.iterdir()) == ["earlier.out"]


def test_a_path_of_100000_characters_is_shown_cut_short(run, tmp_path, prep_home):
    """A 100,000-character `sync_dir` was taken by `prep config`, and `prep sync` printed it
    in one 100 KB line (fault hunt 11 #4); any path the system refuses is shown cut short."""
    long = "a" * 100_000
    (prep_home / "config.toml").write_text(f'sync_dir = "{long}"\n')
    for args in (("config",), ("sync",)):
        r = run(*args)
        assert r.exit_code == 2 and "`sync_dir` must be a folder path (under 4096 bytes)" \
            in r.stderr and len(r.stderr) < 1000, r.stderr[:300]
    (prep_home / "config.toml").unlink()
    r = run("reviews", "export", tmp_path / ("b" * 5000) / "x.csv")
    assert r.exit_code == 2 and "(5" in r.stderr and "characters)" in r.stderr, r.stderr[:300]
    assert len(r.stderr) < 1000 and "Traceback" not in r.stderr


# --- F12: a FIFO in the deck folder ---------------------------------------------------------

def test_a_fifo_deck_file_is_reported_not_opened(tmp_path, prep_home):
    d = deck_dir(tmp_path / "deck")
    os.mkfifo(d / "b.yaml")
    r = prep(prep_home, "check", d, timeout=20)
    assert r.returncode == 1, r.stderr
    assert f"{d / 'b.yaml'}:1: cannot read: a named pipe (FIFO)" in r.stderr
    r = prep(prep_home, "stats", "--cards", d, "--json", timeout=20)
    assert r.returncode == 0, r.stderr
    assert "1 problem(s)" in r.stderr


# --- F1: the reserved id prefix -------------------------------------------------------------

def test_a_card_id_with_the_exercise_prefix_is_refused(run, tmp_path):
    d = deck_dir(tmp_path / "deck", "  - id: exercise:nms\n    question: Q\n    answer: A\n")
    r = run("check", d)
    assert r.exit_code == 1
    assert f"{d / 'a.yaml'}:3: card id 'exercise:nms'" in r.stderr and "`exercise:`" in r.stderr
    r = run("cards", "list", "--cards", d)
    assert "exercise:nms" not in r.stdout


# --- F10: the mistakes deck -----------------------------------------------------------------

def test_a_mistakes_card_sharing_a_deck_id_is_reported(run, tmp_path, prep_home):
    d = deck_dir(tmp_path / "deck")
    (prep_home / "mistakes").mkdir()
    m = prep_home / "mistakes" / "mistakes.yaml"
    m.write_text("deck: Mistakes\ncards:\n  - id: x1\n    question: Q\n    answer: A\n")
    r = run("check", d)
    assert r.exit_code == 1
    assert f"{m}:3: duplicate card id 'x1' (first at {d / 'a.yaml'}:3)" in r.stderr
    assert f"1 problem(s) in your mistakes deck {m};" in r.stderr
    assert f"problem(s) in {d}" not in r.stderr  # the decks folder is not blamed


# --- F5: --ahead ----------------------------------------------------------------------------

@pytest.mark.parametrize("n", ["3000000", "1000000000"])
def test_study_ahead_is_bounded(run, n):
    r = run("study", "--ahead", n)
    clean(r)
    assert r.exit_code == 2 and "--ahead" in r.stderr, r.stderr


# --- F6: the interview date -----------------------------------------------------------------

def test_an_interview_years_ahead_is_refused_before_saving(run, prep_home):
    r = run("plan", "--interview", "9999-12-31")
    assert r.exit_code == 2 and "more than two years ahead" in r.stderr, r.stderr
    assert not (prep_home / "plan.json").exists()


def test_a_saved_plan_years_ahead_is_an_error_not_a_hang(prep_home):
    today = date.today()
    (prep_home / "plan.json").write_text(json.dumps(
        {"interview": "9999-12-31", "start": today.isoformat()}))
    for args in (("plan",), ("stats", "--json")):
        r = prep(prep_home, *args, timeout=20)
        assert r.returncode == 2, r.stderr
        assert "plan.json: not a plan prep can read" in r.stderr and "--clear" in r.stderr
    soon = (today + timedelta(days=30)).isoformat()
    (prep_home / "plan.json").write_text(json.dumps({"interview": soon,
                                                     "start": today.isoformat()}))
    from prepcli.review import plan as planmod

    assert planmod.load(prep_home).interview.isoformat() == soon  # within range: read as before


# --- F8: ~user in the settings ---------------------------------------------------------------

@pytest.mark.parametrize("key,cmd", [("decks", "stats"), ("sync_dir", "sync")])
def test_a_tilde_of_no_user_is_a_config_error(run, prep_home, key, cmd):
    cfg = prep_home / "config.toml"
    cfg.write_text(f'# settings\n{key} = "~no_such_user_here/x"\n', encoding="utf-8")
    r = run(cmd)
    clean(r)
    assert r.exit_code == 2
    assert r.stderr.startswith(f"error: {cfg}:2: `{key}`") and "~no_such_user_here" in r.stderr


def test_a_settings_file_that_is_a_named_pipe_is_named_not_waited_on(prep_home):
    """config.toml a FIFO: every command blocked on its read (fault hunt 8)."""
    os.mkfifo(prep_home / "config.toml")
    for args in (("config",), ("stats",)):
        r = prep(prep_home, *args, timeout=20)
        assert r.returncode == 2, r.stderr
        assert "config.toml: not a regular file (a named pipe (FIFO))" in r.stderr


def test_a_long_wrong_setting_is_cut_short_in_the_message(run, prep_home):
    """A list of a million numbers was printed whole: a 3 MB line (fault hunt 8)."""
    (prep_home / "config.toml").write_text("learning_steps = [" + "1, " * 100_000 + "0]\n")
    r = run("config")
    clean(r)
    assert r.exit_code == 2 and "… (100,001 items)" in r.stderr and len(r.stderr) < 400


def test_a_settings_table_and_a_setting_given_twice_are_named_at_their_line(run, prep_home):
    """`[study]` had no line; a key set twice was tomllib's `Cannot overwrite a value`."""
    cfg = prep_home / "config.toml"
    cfg.write_text("new_per_day = 5\n\n[study]\nnew_per_day = 10\n")
    r = run("config")
    clean(r)
    assert r.exit_code == 2 and r.stderr.startswith(f"error: {cfg}:3: unknown setting `study`")
    cfg.write_text("new_per_day = 5\nnew_per_day = 10\n")
    r = run("config")
    assert r.exit_code == 2 and f"{cfg}:2: invalid TOML: a setting given twice" in r.stderr


@pytest.mark.parametrize("args", [("export", "anki"), ("reviews", "export")])
def test_an_export_never_replaces_a_file_it_did_not_write(run, tmp_path, args):
    """`prep export anki notes.md` replaced the user's note with a package (fault hunt 8): an
    export replaces only an earlier export."""
    note = tmp_path / "notes.md"
    note.write_text("# my notes\n", encoding="utf-8")
    r = run(*args, note)
    clean(r)
    assert r.exit_code == 2 and "holds something other than" in r.stderr
    assert note.read_text(encoding="utf-8") == "# my notes\n"
    again = tmp_path / "out.bin"
    for _ in range(2):  # (its own earlier export: replaced)
        r = run(*args, again)
        assert r.exit_code == 0, r.stderr
    # (and any zip that is no package of prep's: a .docx, Anki's backup of a collection)
    import zipfile

    import genanki

    with zipfile.ZipFile(tmp_path / "thesis.docx", "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
    # (and a deck someone else made with genanki: its files are named as prep's)
    model = genanki.Model(1607392319, "Simple", fields=[{"name": "Q"}, {"name": "A"}],
                          templates=[{"name": "1", "qfmt": "{{Q}}", "afmt": "{{A}}"}])
    deck = genanki.Deck(2059400111, "Theirs")
    deck.add_note(genanki.Note(model=model, fields=["q", "a"]))
    genanki.Package(deck).write_to_file(str(tmp_path / "theirs.apkg"))
    for name in ("thesis.docx", "theirs.apkg"):
        before = (tmp_path / name).read_bytes()
        r = run(*args, tmp_path / name)
        assert r.exit_code == 2 and (tmp_path / name).read_bytes() == before


# --- F4: CSV import ---------------------------------------------------------------------------

def test_a_long_csv_header_field_is_named_at_line_1(run, tmp_path):
    f = tmp_path / "h.csv"
    f.write_text("card_id,review_rating,review_time" + "x" * 5000 + "\n")
    r = run("reviews", "import", f)
    clean(r)
    assert r.exit_code == 2 and f"{f}:1: a field longer than 4096" in r.stderr, r.stderr


def test_a_csv_of_one_huge_line_is_refused_early(run, tmp_path):
    f = tmp_path / "big.csv"
    f.write_bytes(b"card_id,review_time,review_rating\n" + b"x" * (8 << 20))
    r = run("reviews", "import", f)
    assert r.exit_code == 2 and f"{f}:2: a line longer than 1 MB" in r.stderr, r.stderr


def test_a_csv_import_refuses_a_device_or_fifo(run, tmp_path):
    fifo = tmp_path / "p.csv"
    os.mkfifo(fifo)
    for f in (fifo, Path("/dev/zero")):
        r = run("reviews", "import", f)
        assert r.exit_code == 2 and f"{f}: not a regular file" in r.stderr, r.stderr


def test_a_csv_over_a_megabyte_of_short_lines_is_read_whole(tmp_path):
    from prepcli.interop import history

    f = tmp_path / "many.csv"
    rows = "".join(f"c{i},{1700000000000 + i * 1000},3\n" for i in range(60_000))
    f.write_text("card_id,review_time,review_rating\n" + rows)
    assert f.stat().st_size > 1 << 20  # more than one read
    assert len(history.read_csv(f)) == 60_000


# --- F13: kill -INT during study ---------------------------------------------------------------

@pytest.mark.skipif(sys.platform == "win32", reason="needs a pty")
def test_an_external_sigint_ends_study_with_answers_saved(tmp_path, prep_home):
    decks = make_decks(tmp_path / "decks", {"k": simple_cards(5)})
    p = PtyPrep(prep_home, "study", "--cards", decks)
    db = prep_home / "prep.db"

    def reviews() -> int:
        with sqlite3.connect(db, timeout=30) as c:
            return c.execute("SELECT count(*) FROM reviews").fetchone()[0]
    try:
        assert p.wait_for_text("Question c1?"), p.drain()
        p.send(" ")
        assert p.wait_for_text("Answer 1.")
        p.send("3")
        assert wait_for(lambda: db.exists() and reviews() == 1)
        time.sleep(0.3)
        p.signal(signal.SIGINT)
        code = p.finish(timeout=10)
        screen = p.drain()
        assert code == 128 + signal.SIGINT, screen[-400:]
        assert b"stopped by SIGINT" in screen and b"Traceback" not in screen
    finally:
        p.close()
    assert reviews() == 1


# --- a file's name is shown, never obeyed ----------------------------------------------------

def test_control_characters_in_a_name_reach_no_terminal(run, tmp_path):
    # ESC in a file name went to the terminal as it was: `\e[2J` cleared the screen
    r = run("import", str(tmp_path / "a\x1b[2Jb\x07.md"))
    clean(r)
    assert r.exit_code == 2 and "\x1b" not in r.stderr and "\x07" not in r.stderr, r.stderr
    assert "a^[[2Jb^G.md: no such note file" in r.stderr, r.stderr  # (as sandbox output is)


def test_a_graded_file_name_is_no_markup(run, tmp_path, monkeypatch):
    # `c[bold red]d.py` was printed as `cd.py`: rich read the name as markup
    monkeypatch.chdir(tmp_path)
    (tmp_path / "c[bold red]d.py").write_text("# exercise: iou\n", encoding="utf-8")
    r = run("grade", "c[bold red]d.py")
    clean(r)
    assert "Grading c[bold red]d.py (iou)" in " ".join(r.stdout.split()), r.stdout


def test_a_note_that_is_no_file_says_what_it_is(run, tmp_path):
    # a folder, a pipe or a link in a loop were each "no such note file"
    (tmp_path / "notes").mkdir()
    os.mkfifo(tmp_path / "pipe.md")
    (tmp_path / "loop.md").symlink_to(tmp_path / "loop.md")
    for name, said in (("notes", "a folder, not a note file"), ("pipe.md", "not a regular file"),
                       ("loop.md", "cannot read this note"), ("gone.md", "no such note file")):
        r = run("import", tmp_path / name, "--out", tmp_path / "out")
        clean(r)
        assert r.exit_code == 2 and said in r.stderr, (name, r.stderr)


# --- a closed stdin ---------------------------------------------------------------------------

@pytest.mark.parametrize("args", [("study",), ("mock",), ("drill", "nms")])
def test_a_closed_stdin_is_no_terminal(tmp_path, prep_home, args):
    # `prep study <&-`: sys.stdin is None, and `.isatty()` was an internal error (exit 70)
    make_decks(tmp_path / "cards", {"a": simple_cards(3)})
    r = prep(prep_home, *args, cwd=tmp_path, preexec_fn=lambda: os.close(0))
    no_traceback(r)
    assert r.returncode == 2 and "is interactive: run it in a terminal" in r.stderr, r.stderr


@pytest.mark.parametrize("args", [("study",), ("mock",), ("drill", "nms")])
def test_a_dumb_terminal_or_one_stream_piped_is_said_as_it_is(tmp_path, prep_home, args):
    # fault hunt 19: TERM=dumb (Emacs's shell) got the full screen's escapes, shown as text;
    # `prep study | cat` said "stdin and stdout are not a terminal" with stdin one
    make_decks(tmp_path / "cards", {"a": simple_cards(3)})
    p = PtyPrep(prep_home, *args, cwd=tmp_path, TERM="dumb")
    try:
        assert p.finish() == 2
        out = p.drain().decode()
        assert "this terminal cannot show (TERM=dumb)" in out and "\x1b[?1049h" not in out, out
    finally:
        p.close()
    master, slave = pty.openpty()
    try:
        r = subprocess.run([*PREP, *args], stdin=slave, capture_output=True, text=True,
                           env=env_for(prep_home), cwd=tmp_path, timeout=60)
    finally:
        os.close(master)
        os.close(slave)
    no_traceback(r)
    assert r.returncode == 2 and "(stdout is not a terminal here" in r.stderr, r.stderr


# --- output to a full disk -------------------------------------------------------------------

@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full here")
@pytest.mark.parametrize("args", [("stats",), ("config",), ("exercises",), ("cards", "list")])
def test_output_to_a_full_disk_is_an_error_not_a_bug(tmp_path, prep_home, args):
    # `prep stats > /dev/full`: a write to stdout names no file, and was an internal error
    make_decks(tmp_path / "cards", {"a": simple_cards(3)})
    with open("/dev/full", "w") as full:
        r = subprocess.run([*PREP, *args], env=env_for(prep_home), cwd=tmp_path, text=True,
                           stdout=full, stderr=subprocess.PIPE, timeout=60)
    assert "Traceback" not in r.stderr and "internal error" not in r.stderr, r.stderr
    assert r.returncode == 2, r.stderr
    assert r.stderr.endswith("\nerror: cannot write the output: No space left on device (free "
                             "some space, or send it elsewhere)\n") or r.stderr.startswith(
        "error: cannot write the output: No space left on device"), r.stderr


# --- a note's control sequences are shown, not obeyed ----------------------------------------

def test_control_sequences_in_a_note_reach_no_terminal(run, tmp_path, monkeypatch):
    # `ESC ]0;…BEL` set the terminal's title, `ESC ]52;c;…BEL` wrote its clipboard, from
    # someone else's note through `prep cards list` and `cards show` (fault hunt, helper 82)
    monkeypatch.chdir(tmp_path)
    evil = "\x1b]0;TITLE\x07 \x1b]52;c;ZWNobyBwd25lZA==\x07 \x1b[2J\x9b31m"
    (tmp_path / "hostile.md").write_text(f"# N\n\n## Why {evil} here?\n\nAn answer {evil}.\n\n"
                                         f"## What is {evil} unanswered?\n", encoding="utf-8")
    r = run("import", "hostile.md", "--out", "cards")
    assert r.exit_code == 0
    listed = run("cards", "list")
    cid = listed.stdout.split()[0]
    outputs = [r, listed, run("cards", "show", cid), run("stats", "--prompts")]
    for out in outputs:
        clean(out)
        text = out.stdout + out.stderr
        assert not any(c in text for c in "\x1b\x07\x9b"), text
    assert "^[]0;TITLE^G" in listed.stdout and "^[]0;TITLE^G" in outputs[2].stdout
    assert "^[]0;TITLE^G" in r.stdout and "^[]0;TITLE^G" in outputs[3].stdout


# --- a file size limit -------------------------------------------------------------------------

def test_a_file_size_limit_is_named(tmp_path, prep_home):
    # `ulimit -f` (or a quota) under the database's size: "disk I/O error: check that its
    # folder exists, is a folder and is writable" for every command (fault hunt, helper 82)
    import resource

    assert prep(prep_home, "cards", "list", cwd=tmp_path).returncode == 0
    limit = 20 * 1024

    def small_files():
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    r = prep(prep_home, "cards", "list", cwd=tmp_path, preexec_fn=small_files)
    no_traceback(r)
    assert r.returncode == 2, r.stderr
    assert f"files are limited to {limit} bytes here (`ulimit -f`); raise the limit" in r.stderr


# --- fault hunt 33: paths that are not UTF-8 -------------------------------------------------

@pytest.mark.skipif(sys.platform != "linux", reason="file names as raw bytes: Linux")
def test_paths_that_are_not_utf8_are_named_not_a_crash(tmp_path):
    """A data folder, deck folder or deck file whose name holds bytes that are no UTF-8 (kept
    by Python as lone surrogates, which SQLite cannot take) made `prep stats`, `cards list`,
    `export anki` and `study` exit 70 with an internal error."""
    odd = os.fsdecode(b"\xff\xfe")
    home = tmp_path / f"home{odd}"
    home.mkdir()
    for args in (["stats"], ["cards", "list"], ["config"]):
        r = prep(home, *args)
        no_traceback(r)
        assert r.returncode == 2 and "path is not UTF-8 text" in r.stderr, (args, r.stderr)
    good = tmp_path / "home"
    r = prep(good, "cards", "list", "--cards", deck_dir(tmp_path / f"decks{odd}"))
    no_traceback(r)
    assert r.returncode == 2 and "deck folder's path is not UTF-8 text" in r.stderr, r.stderr
    # a deck file so named in a folder of good ones: that deck left out and said, the rest read
    decks = deck_dir(tmp_path / "decks2")
    (decks / f"x{odd}.yaml").write_text("deck: X\ncards:\n  - id: x2\n    question: Q2\n"
                                        "    answer: A2\n", encoding="utf-8")
    r = prep(good, "cards", "list", "--cards", decks)
    no_traceback(r)
    assert r.returncode == 0 and "x1" in r.stdout and "x2" not in r.stdout, r.stdout
    assert "1 problem(s)" in r.stderr, r.stderr
    r = prep(good, "export", "anki", tmp_path / "o.apkg", "--cards", decks)
    no_traceback(r)
    assert r.returncode == 0 and (tmp_path / "o.apkg").exists(), r.stderr
    r = prep(good, "check", decks)
    no_traceback(r)
    assert r.returncode == 1 and "the file name is not UTF-8 text" in r.stdout + r.stderr
    # one verdict for such a folder: `check` refuses it as the rest do, and `import` writes
    # nothing there (fault hunt 34: it wrote the deck, then said so)
    r = prep(good, "check", tmp_path / f"decks{odd}")
    assert r.returncode == 2 and "not UTF-8 text" in r.stderr, r.stderr
    note = tmp_path / "n.md"
    note.write_text("## What is NMS?\n\nIt keeps the best box.\n", encoding="utf-8")
    # (a note reached through a link into such a folder crashed, exit 70: fault hunt 35)
    (tmp_path / f"notes{odd}").mkdir()
    (tmp_path / f"notes{odd}" / "m.md").write_text("## Why?\n\nBecause.\n", encoding="utf-8")
    (tmp_path / "link").symlink_to(tmp_path / f"notes{odd}")
    r = prep(good, "import", tmp_path / "link" / "m.md", "--out", tmp_path / "out2")
    no_traceback(r)
    assert r.returncode == 2 and "not UTF-8 text" in r.stderr, r.stderr
    out = tmp_path / f"out{odd}"
    r = prep(good, "import", note, "--out", out)
    no_traceback(r)
    assert r.returncode == 2 and "not UTF-8 text" in r.stderr and not out.exists(), r.stderr


def test_a_line_printed_into_a_pipe_is_written_whole(tmp_path, prep_home):
    # (fault hunt 44) cut at the console's width into a pipe, a note's summary read `8 cards,
    # 0 prompts, 0` / `skipped, 0 unsure`: a script's grep found half of it
    import subprocess

    from faultkit import PREP, env_for

    folder = tmp_path / ("a-long-folder-name-" * 3)
    folder.mkdir()
    n = folder / "notes.md"
    n.write_text("## What is IoU?\nOverlap over union.\n", encoding="utf-8")
    r = subprocess.run([*PREP, "import", str(n), "--out", str(tmp_path / "decks")],
                       env=env_for(prep_home, COLUMNS="40"), text=True, capture_output=True,
                       timeout=60)
    assert r.returncode == 0, r.stderr
    assert f"  {n}: 1 cards, 0 prompts, 0 skipped, 0 unsure\n" in r.stdout, r.stdout
    # (while a panel's text still wraps inside it, none of it cut off at its edge)
    r = subprocess.run([*PREP, "stats"], env=env_for(prep_home, COLUMNS="60"), text=True,
                       capture_output=True, timeout=60)
    assert r.returncode == 0 and "graded" in r.stdout and "--prompts" in r.stdout, r.stdout
