"""Helpers for the fault-injection suite: prep as a separate process (in a pty when it needs
a terminal), a tiny file system that can be filled or made read-only, and running a command
as an unprivileged user (root reads and writes through permission bits)."""

from __future__ import annotations

import os
import pty
import select
import shutil
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

PREP = [sys.executable, "-m", "prepcli"]


def env_for(home: Path, **extra) -> dict:
    env = dict(os.environ, PREP_HOME=str(home), NO_COLOR="1", COLUMNS="120", TERM="xterm",
               LINES="24")
    env.pop("EDITOR", None)
    env.update(extra)
    return env


def prep(home: Path, *args, cwd: Path | None = None, timeout: float = 60, user=None,
         **kw) -> subprocess.CompletedProcess:
    """`prep ARGS` in a child process; its output as text."""
    return subprocess.run([*PREP, *map(str, args)], env=env_for(home), cwd=cwd, text=True,
                          capture_output=True, timeout=timeout, user=user, **kw)


def no_traceback(r) -> None:
    text = (r.stdout or "") + (r.stderr or "")
    assert "Traceback" not in text and "internal error" not in text, text


def wait_for(pred, timeout: float = 20.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if pred():
            return True
        time.sleep(0.05)
    return False


class PtyPrep:
    """`prep ARGS` on a pseudo-terminal: type keys, read the screen bytes, signal it. The
    slave side stays open here so its terminal modes can be read after the child exits."""

    def __init__(self, home: Path, *args, cwd: Path | None = None, job: bool = False, **env):
        # (`job`: a process group of its own in this session, as a shell's job is: one that
        # Ctrl-Z can stop. A new session's only group is orphaned, and Linux discards
        # SIGTSTP sent to it.)
        self.master, self.slave = pty.openpty()
        self.out = bytearray()
        self.proc = subprocess.Popen([*PREP, *map(str, args)], stdin=self.slave,
                                     stdout=self.slave, stderr=self.slave,
                                     env=env_for(home, **env), cwd=cwd,
                                     start_new_session=not job, process_group=0 if job else None)

    def drain(self) -> bytes:
        while True:
            r, _, _ = select.select([self.master], [], [], 0)
            if not r:
                return bytes(self.out)
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                return bytes(self.out)
            if not chunk:
                return bytes(self.out)
            self.out.extend(chunk)

    def wait_for_text(self, text: str, timeout: float = 20.0) -> bool:
        return wait_for(lambda: text.encode() in self.drain(), timeout)

    def send(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def signal(self, sig: int) -> None:
        os.kill(self.proc.pid, sig)

    def finish(self, timeout: float = 20.0) -> int:
        end = time.monotonic() + timeout
        while self.proc.poll() is None and time.monotonic() < end:
            self.drain()
            time.sleep(0.05)
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        self.drain()
        return self.proc.returncode

    def close(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        for fd in (self.master, self.slave):
            try:
                os.close(fd)
            except OSError:
                pass


def can_mount() -> bool:
    return sys.platform.startswith("linux") and os.geteuid() == 0 and shutil.which("mount")


@contextmanager
def tmpfs(where: Path, size: str = "1m"):
    """A small tmpfs at `where` (root only; the test is skipped otherwise)."""
    if not can_mount():
        pytest.skip("needs root to mount a small tmpfs (disk full / read-only file system)")
    where.mkdir(parents=True, exist_ok=True)
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
                       capture_output=True, text=True)
    if r.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {r.stderr.strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], capture_output=True)


def remount_ro(where: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(where)], check=True)


def fill(where: Path) -> None:
    """Fill the file system at `where` to the last byte."""
    for name, block in (("filler", 65536), ("filler2", 512), ("filler3", 1)):
        f = open(where / name, "wb", buffering=0)
        try:
            while True:
                f.write(b"\0" * block)
        except OSError:
            pass
        finally:
            try:
                f.close()
            except OSError:
                pass
