"""The command line as a whole: help, version, errors turned into messages."""

import subprocess
import sys

from conftest import REPO
from prepcli import __version__


def test_help_lists_commands(run):
    r = run("--help")
    assert r.exit_code == 0
    for cmd in ("import", "check"):
        assert cmd in r.stdout


def test_version(run):
    r = run("--version")
    assert r.exit_code == 0 and r.stdout.strip() == f"prep {__version__}"


def heavy_imports(*args: str, heavy=("numpy", "prompt_toolkit", "fsrs", "yaml", "markdown_it")):
    """The heavy modules that `prep ARGS...`, run in a new interpreter, imports. A module the
    catalog imports lazily (NumPy) is in sys.modules from the start, as a `_LazyModule` until
    its first attribute access runs it: only a module that actually ran counts."""
    code = (
        "import sys\n"
        "from prepcli.cli import app\n"
        "try:\n"
        f"    app({list(args)!r}, prog_name='prep')\n"
        "except SystemExit:\n"
        "    pass\n"
        "ran = lambda m: m in sys.modules and type(sys.modules[m]).__name__ != '_LazyModule'\n"
        f"print('HEAVY', sorted(m for m in {heavy!r} if ran(m)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return out.stdout.rsplit("HEAVY ", 1)[1].strip()


def test_help_does_not_import_numpy_or_prompt_toolkit():
    assert heavy_imports("--help") == "[]"


def test_stats_json_reads_decks_from_the_cache_without_yaml_or_fsrs():
    cards = str(REPO / "cards")
    heavy = ("numpy", "prompt_toolkit", "fsrs", "yaml", "markdown_it", "rich")
    assert "yaml" in heavy_imports("stats", "--json", "--cards", cards, heavy=heavy)  # fills it
    assert heavy_imports("stats", "--json", "--cards", cards, heavy=heavy) == "[]"


def test_user_errors_become_one_line_messages_not_tracebacks(run, tmp_path):
    r = run("import", tmp_path / "missing.md")
    assert r.exit_code == 2
    assert r.stderr.strip() == f"error: {tmp_path / 'missing.md'}: no such note file"
    r = run("import", __file__)
    assert r.exit_code == 2 and "notes must be Markdown (.md or .txt)" in r.stderr


def test_error_type_carries_location_and_code():
    from prepcli.errors import FAILED, USAGE, PrepError

    e = PrepError("bad thing", file="a.yaml", line=3)
    assert str(e) == "a.yaml:3: bad thing" and e.code == USAGE
    assert PrepError("x", code=FAILED).code == 1


def test_unknown_command_is_a_usage_error(run):
    from typer.testing import CliRunner
    from prepcli.cli import app

    r = CliRunner().invoke(app, ["frobnicate"])
    assert r.exit_code == 2


def test_dash_h_is_help_everywhere(run):
    for args in (("-h",), ("study", "-h"), ("reviews", "-h"), ("db", "restore", "-h")):
        r = run(*args)
        assert r.exit_code == 0 and "Usage:" in r.stdout, args


def test_output_in_a_legacy_encoding_never_crashes(tmp_path, prep_home):
    """`prep stats --prompts > f.txt` on a Windows code page: replacement characters, not a
    UnicodeEncodeError (the prompts are Chinese)."""
    import os
    import subprocess
    import sys

    for args in (("stats", "--prompts"), ("stats",), ("check",)):
        r = subprocess.run([sys.executable, "-m", "prepcli", *args], capture_output=True,
                           env=dict(os.environ, PYTHONIOENCODING="cp1252", PREP_HOME=str(prep_home)),
                           cwd=tmp_path)
        assert r.returncode == 0, r.stderr.decode("cp1252", "replace")
        assert b"Traceback" not in r.stderr


def test_check_and_config_as_json(run, tmp_path, prep_home):
    import json

    from studykit import make_decks, simple_cards

    d = make_decks(tmp_path / "d", {"a": simple_cards(2)})
    r = run("check", d, "--json")
    data = json.loads(r.stdout)
    assert r.exit_code == 0 and data["ok"] and data["decks"][0]["cards"] == 2
    (d / "bad.yaml").write_text("deck: b\ncards:\n- {id: x, question: q}\n")
    r = run("check", d, "--json")
    data = json.loads(r.stdout)
    assert r.exit_code == 1 and not data["ok"]
    assert data["problems"] == [{"file": str(d / "bad.yaml"), "line": 3,
                                 "message": "card x: empty answer on a qa card (write one, or "
                                            "mark it `kind: prompt`)"}]
    (prep_home / "config.toml").write_text("new_per_day = 7\n")
    data = json.loads(run("config", "--json").stdout)
    assert data["settings"]["new_per_day"] == {"value": 7, "source": str(prep_home / "config.toml")}
    assert data["settings"]["fuzz"]["source"] == "default"
    assert len(data["parameters"]["in_force"]) == 21 and data["parameters"]["fitted"] is None


def test_check_also_checks_the_mistakes_deck_study_reads(run, tmp_path, prep_home):
    from prepcli.drills import mistakes
    from studykit import make_decks, simple_cards

    d = make_decks(tmp_path / "d", {"a": simple_cards(2)})
    m = mistakes.path(prep_home)
    m.parent.mkdir(parents=True)
    m.write_text("deck: mistakes\ncards:\n- {id: m1, question: q, answer: a}\n")
    r = run("check", d)
    assert r.exit_code == 0 and "ok: 2 decks, 3 cards" in r.stdout
    m.write_text("deck: mistakes\ncards:\n- {id: m1, question: q}\n")  # edited by hand
    r = run("check", d)
    assert r.exit_code == 1 and f"{m}:3: card m1: empty answer" in r.stderr


def test_a_closed_pipe_is_not_an_error(tmp_path, prep_home):
    """`prep cards list | head -1`: prep stops quietly, no internal error, no crash
    log. (3,000 cards: far more output than a pipe holds, so prep does meet the closed pipe.)"""
    import os
    import subprocess
    import sys

    from studykit import make_decks, simple_cards

    make_decks(tmp_path / "cards", {"big": simple_cards(3000)})
    p = subprocess.run(f"'{sys.executable}' -m prepcli cards list | head -1",
                       shell=True, capture_output=True, text=True,
                       env=dict(os.environ, PREP_HOME=str(prep_home)), cwd=tmp_path)
    assert p.stdout.split() == ["c1", "big", "new", "Question", "c1?"]
    assert "internal error" not in p.stderr and "Traceback" not in p.stderr, p.stderr
    assert not (prep_home / "logs").exists()


def test_a_run_builds_only_the_command_it_names(monkeypatch):
    """main() hands Typer the one command the arguments name (building all 31 costs a tenth
    of `prep stats`); anything else gets the whole app."""
    from prepcli import cli

    def names(a):
        return [c.name or c.callback.__name__ for c in a.registered_commands] + \
            [g.name for g in a.registered_groups]

    assert names(cli._only(["stats", "--json"])) == ["stats"]
    assert names(cli._only(["import", "x.md"])) == ["import"]
    assert names(cli._only(["cards", "list"])) == ["cards"]
    assert names(cli._only(["import-anki", "x.apkg"])) == ["import-anki"]
    for argv in ([], ["--help"], ["-h"], ["--version"], ["stat"], ["frobnicate"]):
        assert cli._only(argv) is cli.app, argv
    monkeypatch.setenv("_PREP_COMPLETE", "complete_bash")
    assert cli._only(["stats"]) is cli.app
    assert len(cli.app.registered_commands) > 10  # the app itself is left whole


def test_main_runs_a_command_help_and_typos_as_before(tmp_path):
    def prep(*args):
        return subprocess.run([sys.executable, "-c", "from prepcli.cli import main; main()",
                               *args], capture_output=True, text=True,
                              env={**__import__("os").environ, "PREP_HOME": str(tmp_path)})

    r = prep("stats", "--help")
    assert r.returncode == 0 and r.stdout.startswith("Usage: prep stats [OPTIONS]")
    r = prep("--help")
    assert r.returncode == 0 and "study" in r.stdout and "import-anki" in r.stdout
    r = prep("stat")
    assert r.returncode == 2 and "Did you mean 'stats'?" in r.stderr
    r = prep("cards", "list", "--help")
    assert r.returncode == 0 and "Usage: prep cards list" in r.stdout
