"""`prep study` draws the first card before importing prompt-toolkit (~70 ms on every
start), then prompt-toolkit takes the screen over as before."""

import os
import pty
import select
import shlex
import shutil
import signal
import sys
import termios
import time

import pytest

from faultkit import PREP, PtyPrep, env_for, wait_for
from studykit import make_decks, simple_cards

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a pty")


def test_the_first_card_is_on_screen_before_prompt_toolkit_starts(tmp_path):
    home = tmp_path / "home"
    decks = make_decks(tmp_path / "decks", {"k": simple_cards(3)})
    p = PtyPrep(home, "study", "--cards", decks)
    try:
        before = termios.tcgetattr(p.slave)
        # prompt-toolkit enters the alternate screen itself: the first paint came before it
        assert wait_for(lambda: p.drain().count(b"\x1b[?1049h") >= 2), p.drain()[-400:]
        first = p.drain().split(b"\x1b[?1049h")[1]
        assert b"Question c1?" in first and b"space: show answer" in first
        assert b"\x1b[?2004h" not in first  # nothing of prompt-toolkit's yet
        assert p.wait_for_text("Question c1?")
        p.send(" ")
        assert p.wait_for_text("Answer 1.")
        p.send("3")
        p.send("q")
        assert p.finish() == 0
        screen = p.drain()
        assert screen.count(b"\x1b[?1049l") == 1  # back to the main screen, once
        assert b"Reviewed 1 card" in screen
        assert termios.tcgetattr(p.slave)[3] == before[3]  # the terminal's modes as they were
    finally:
        p.finish()


def test_a_cards_control_sequences_are_shown_not_obeyed(tmp_path):
    # the first paint writes the card itself: a question's `ESC ]0;…BEL` set the title there
    home = tmp_path / "home"
    decks = make_decks(tmp_path / "decks", {"k": simple_cards(
        1, question="Why \x1b]0;TITLE\x07 and \x1b[2J?")})
    p = PtyPrep(home, "study", "--cards", decks)
    try:
        assert wait_for(lambda: p.drain().count(b"\x1b[?1049h") >= 2), p.drain()[-400:]
        first = p.drain().split(b"\x1b[?1049h")[1]
        assert b"Why ^[]0;TITLE^G and ^[[2J?" in first, first
        assert b"\x1b]0;" not in p.drain() and b"\x07" not in first
        p.send("q")
    finally:
        p.finish()


def _state(pid: int) -> str:
    with open(f"/proc/{pid}/stat") as f:
        return f.read().rsplit(")", 1)[1].split()[0]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_ctrl_z_stops_study_and_fg_brings_the_card_back(tmp_path):
    # (Ctrl-Z did nothing: the screen reads keys raw, so the terminal sends it no SIGTSTP)
    import sqlite3

    home = tmp_path / "home"
    decks = make_decks(tmp_path / "decks", {"k": simple_cards(3)})
    p = PtyPrep(home, "study", "--cards", decks, job=True)
    try:
        assert p.wait_for_text("Question c1?")
        p.send(" ")
        assert p.wait_for_text("Answer 1.")
        p.send("3")

        def reviews() -> int:
            with sqlite3.connect(home / "prep.db", timeout=30) as db:
                return db.execute("SELECT count(*) FROM reviews").fetchone()[0]
        assert wait_for(lambda: reviews() == 1)
        time.sleep(0.3)  # (the next card drawn)
        p.send("\x1a")
        assert wait_for(lambda: _state(p.proc.pid) == "T"), _state(p.proc.pid)
        p.drain()
        p.out.clear()
        os.killpg(p.proc.pid, signal.SIGCONT)  # what `fg` sends
        assert p.wait_for_text("Question c2?"), p.drain()[-400:]  # drawn again
        p.send(" ")
        assert p.wait_for_text("Answer 2.")
        p.send("3")
        p.send("q")
        assert p.finish() == 0
        assert b"Reviewed 2 card(s)" in p.drain()
        assert reviews() == 2
    finally:
        p.close()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("n", [3, 1])
def test_fg_skips_the_card_on_screen_that_another_prep_answered_meanwhile(tmp_path, n):
    # fault hunt 24: prep A stopped on a card, prep B answered it; `fg` A asked it again and
    # recorded a second review of it, not due. (Fault hunt 25: the session's last card came
    # back at once as a learning step ahead of time: now the session ends.)
    import sqlite3
    from datetime import datetime, timezone

    from prepcli.review.scheduler import GOOD, Scheduler, ms
    from prepcli.review.store import Store

    home = tmp_path / "home"
    decks = make_decks(tmp_path / "decks", {"k": simple_cards(n)})
    p = PtyPrep(home, "study", "--cards", decks, job=True)
    try:
        assert p.wait_for_text("Question c1?")
        assert wait_for(lambda: b"\x1b[?2004h" in p.drain())  # (prompt-toolkit reads keys)
        p.send("\x1a")
        assert wait_for(lambda: _state(p.proc.pid) == "T"), _state(p.proc.pid)
        now = datetime.now(timezone.utc)
        with Store(home / "prep.db") as other:  # prep B answers c1
            st = other.state("c1")
            other.record("c1", st, Scheduler().review("c1", st, GOOD, now), GOOD, ms(now), 900)
        p.drain()
        p.out.clear()
        os.killpg(p.proc.pid, signal.SIGCONT)  # what `fg` sends
        if n == 1:
            assert p.finish() == 0
            assert b"Question c1?" not in p.drain().split(b"\x1b[?1049h")[-1]
            with sqlite3.connect(home / "prep.db", timeout=30) as db:
                assert db.execute("SELECT card_id FROM reviews").fetchall() == [("c1",)]
            return
        assert p.wait_for_text("Question c2?"), p.drain()[-400:]
        assert b"answered in another prep meanwhile" in p.drain()
        p.send(" ")
        assert p.wait_for_text("Answer 2.")
        p.send("3")
        p.send("q")
        assert p.finish() == 0
        with sqlite3.connect(home / "prep.db", timeout=30) as db:
            rows = db.execute("SELECT card_id FROM reviews ORDER BY id").fetchall()
        assert rows == [("c1",), ("c2",)]
    finally:
        p.close()


@pytest.mark.slow  # (seconds each: in the slow set, which CI runs too)
@pytest.mark.skipif(not sys.platform.startswith("linux") or not shutil.which("bash"),
                    reason="a shell with job control on a pty")
def test_a_stopped_study_ends_on_kill_and_waits_in_the_background(tmp_path):
    """In a shell with job control: Ctrl-Z, `bg` leaves prep stopped (drawing in the
    background would take the terminal from the shell), `fg` brings it back; Ctrl-Z, `kill %1`
    ends it (it stopped again on taking the terminal back, SIGTTOU, and stayed so)."""
    home = tmp_path / "home"
    decks = make_decks(tmp_path / "decks", {"k": simple_cards(3)})
    pid, fd = pty.fork()
    if pid == 0:  # (a session of its own, the pty its terminal: a login shell's setting)
        os.execvpe("bash", ["bash", "--norc", "--noprofile", "-i"],
                   dict(env_for(home), PS1="$ ", PATH=os.environ["PATH"]))
    out = bytearray()

    def read_until(text: bytes, timeout: float = 20) -> bool:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if select.select([fd], [], [], 0.1)[0]:
                try:
                    out.extend(os.read(fd, 65536))
                except OSError:
                    return False
            if text in out:
                return True
        return False

    def run(line: str, then: bytes) -> bool:
        out.clear()
        os.write(fd, line.encode() + b"\r")
        return read_until(then)
    try:
        assert read_until(b"$ ")
        prep = " ".join(shlex.quote(a) for a in PREP)
        assert run(f"{prep} study --cards {shlex.quote(str(decks))}", b"Question c1?")
        time.sleep(0.5)
        out.clear()
        os.write(fd, b"\x1a")
        assert read_until(b"Stopped"), bytes(out)
        assert run("bg; sleep 1; jobs", b"Stopped"), bytes(out)  # (stopped again)
        assert run("fg", b"Question c1?"), bytes(out)
        time.sleep(0.5)
        out.clear()
        os.write(fd, b"\x1a")
        assert read_until(b"Stopped"), bytes(out)
        # (the markers echoed, `d""one`, are not the line typed)
        assert run('kill %1; sleep 2; jobs; echo d""one', b"done"), bytes(out)
        assert b"Exit 143" in out or b"Terminated" in out, bytes(out)
        assert run('jobs; echo n""one', b"none")
        assert b"Stopped" not in out, bytes(out)
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(fd)
