"""`prep study` and `prep config` through the command line (not a terminal here)."""

import re
from datetime import datetime, timedelta, timezone

from prepcli.review.scheduler import Scheduler, ms
from prepcli.review.store import Store
from studykit import make_decks, simple_cards


def test_study_needs_a_terminal(run, tmp_path):
    d = make_decks(tmp_path / "d", {"x": simple_cards(2)})
    r = run("study", "--cards", d)
    assert r.exit_code == 2
    assert "error: prep study is interactive: run it in a terminal" in r.stderr
    assert "Traceback" not in r.output


def test_study_on_the_bundled_decks_needs_no_setup(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no ./cards here: the bundled decks are used
    r = run("study", "--limit", "1")
    assert r.exit_code == 2 and "interactive" in r.stderr  # it got as far as the screen


def test_nothing_due_says_when_and_how_to_study_ahead(run, tmp_path, prep_home):
    d = make_decks(tmp_path / "d", {"x": simple_cards(1)})
    now = datetime.now(timezone.utc) - timedelta(minutes=1)
    with Store(prep_home / "prep.db") as st:
        s = Scheduler()
        st.record("c1", st.state("c1"), s.review("c1", st.state("c1"), 4, now), 4, ms(now), 1)
    r = run("study", "--cards", d)
    assert r.exit_code == 0
    assert "Nothing to study now. The next card is due " in r.stdout
    assert "prep study --new 10" in r.stdout
    # the days it names reach that card, and fewer do not (it said `--ahead 1`, however far
    # the card was, and after `--ahead 10` too: README audit)
    need = int(re.search(r"prep study --ahead (\d+)", r.stdout).group(1))
    assert need > 1
    r = run("study", "--cards", d, "--ahead", str(need))
    assert r.exit_code == 2 and "interactive" in r.stderr  # a card to study: the screen
    r = run("study", "--cards", d, "--ahead", str(need - 1))
    assert r.exit_code == 0 and f"prep study --ahead {need} " in r.stdout


def test_unknown_deck_or_tag_is_a_usage_error(run, tmp_path):
    d = make_decks(tmp_path / "d", {"x": simple_cards(1)})
    r = run("study", "--cards", d, "--deck", "nope")
    assert r.exit_code == 2 and "no deck named 'nope' (decks: x)" in r.stderr
    r = run("study", "--cards", d, "--tag", "zzz")
    assert r.exit_code == 2 and "no card has the tag 'zzz'" in r.stderr


def test_config_shows_values_and_sources(run, prep_home):
    r = run("config")
    assert r.exit_code == 0
    assert "desired_retention    0.9           (default)" in r.stdout
    assert "parameters           FSRS-6 defaults:\n  0.212, 1.293, 2.307" in r.stdout
    (prep_home / "config.toml").write_text("desired_retention = 0.85\nnew_per_day = 5\n")
    r = run("config")
    src = str(prep_home / "config.toml")
    assert f"desired_retention    0.85          ({src})" in r.stdout
    assert f"new_per_day          5             ({src})" in r.stdout
    assert "maximum_interval     36500         (default)" in r.stdout


def test_bad_config_is_a_clear_error(run, prep_home):
    f = prep_home / "config.toml"
    f.write_text("desired_retention = 2\n")
    r = run("config")
    assert r.exit_code == 2
    assert f"error: {f}:1: `desired_retention` must be a number between 0.7 and 0.99, not 2" in r.stderr
    f.write_text("retention = 0.9\n")
    assert "unknown setting `retention`" in run("config").stderr
    f.write_text("desired_retention = \n")
    assert "invalid TOML" in run("config").stderr
    # (at its line, as every other message: it said `(at line 2, column 13)` after the text)
    f.write_text("new_per_day = 5\nday_starts_at = [4,x]\n")
    assert run("config").stderr == f"error: {f}:2: invalid TOML: Invalid value (column 20)\n"
