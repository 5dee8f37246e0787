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
