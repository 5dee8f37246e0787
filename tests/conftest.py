import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

REPO = Path(__file__).resolve().parent.parent
NOTES = REPO / "cards" / "notes"

# The benchmark scripts (bench/) are imported by a few smoke tests. The repository goes at the
# END of the path, so `prepcli` stays the installed package, as CI installs it.
if str(REPO) not in sys.path:
    sys.path.append(str(REPO))


def _files_of(folder: Path) -> dict:
    """Each file under `folder` and its size and time (empty if there is none)."""
    if not folder.is_dir():
        return {}
    return {str(p): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in folder.rglob("*") if p.is_file()}


@pytest.fixture(scope="session", autouse=True)
def _real_data_folder_untouched():
    """No test writes into the real data folder (a test's `monkeypatch.undo()` once undid its
    PREP_HOME too, and its commands indexed 20,000 cards there on every run)."""
    import platformdirs

    real = Path(platformdirs.user_data_dir("prep", appauthor=False))
    before = _files_of(real)
    yield
    assert _files_of(real) == before, f"a test wrote into the real data folder {real}"


@pytest.fixture(autouse=True)
def prep_home(tmp_path_factory, monkeypatch):
    """Every test gets its own data directory: nothing touches the user's real history."""
    home = tmp_path_factory.mktemp("prep_home")
    monkeypatch.setenv("PREP_HOME", str(home))
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.delenv("EDITOR", raising=False)
    return home


@pytest.fixture(autouse=True)
def _no_background_measurement_left():
    """A drill or mock started in a test measures its reference in a background thread
    (reftiming.prefetch) until the screen is left; a test that never leaves it must not let
    the thread run on into later tests."""
    yield
    reftiming = sys.modules.get("prepcli.drills.reftiming")
    if reftiming is not None:
        reftiming.stop_background()


@pytest.fixture
def run():
    """Invoke `prep ARGS...` in-process; returns the click Result (stdout, stderr, exit_code)."""
    from prepcli.cli import app

    runner = CliRunner()

    def _run(*args, input=None):
        return runner.invoke(app, [str(a) for a in args], input=input, catch_exceptions=False)

    return _run


def note(name_prefix: str) -> Path:
    (path,) = NOTES.glob(f"{name_prefix}_*.txt")
    return path
