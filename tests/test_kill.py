"""kill -9 in the middle of `prep study`: the database is intact, every answer is there."""

import os
import pty
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from faultkit import wait_for
from studykit import make_decks, simple_cards


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pty")
def test_sigkill_during_a_session_loses_no_answer(tmp_path, prep_home):
    decks = make_decks(tmp_path / "decks", {"k": simple_cards(8)})
    db = prep_home / "prep.db"
    env = dict(os.environ, PREP_HOME=str(prep_home), TERM="xterm", COLUMNS="80", LINES="24")
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-c", "from prepcli.cli import main; main()", "study", "--cards",
         str(decks)], stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True)
    os.close(slave)
    out = bytearray()

    def drain():
        try:
            while True:
                import select
                r, _, _ = select.select([master], [], [], 0)
                if not r:
                    return
                out.extend(os.read(master, 65536))
        except OSError:
            return

    def count():
        if not db.exists():
            return 0
        with sqlite3.connect(db, timeout=5) as c:
            try:
                return c.execute("SELECT count(*) FROM reviews").fetchone()[0]
            except sqlite3.OperationalError:
                return 0

    try:
        assert wait_for(lambda: (drain(), b"Question c1?" in out)[1]), out.decode(errors="replace")
        for n in range(1, 4):
            os.write(master, b" ")
            assert wait_for(lambda: (drain(), f"Answer {n}.".encode() in out)[1])
            os.write(master, b"3")
            assert wait_for(lambda: count() == n), f"answer {n} not committed"
        os.write(master, b" ")  # a fourth card revealed, not answered
        time.sleep(0.2)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        assert proc.returncode == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        os.close(master)

    with sqlite3.connect(db) as c:
        assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        got = c.execute("SELECT card_id, rating FROM reviews ORDER BY id").fetchall()
        assert got == [("c1", 3), ("c2", 3), ("c3", 3)]
        states = dict(c.execute("SELECT id, state FROM cards").fetchall())
        assert states == {"c1": 1, "c2": 1, "c3": 1}
