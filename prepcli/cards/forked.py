"""Work done in a forked child while the parent does its own part (a big note's second half).

A child is a copy of the process: it needs nothing sent to it, and sends back its result
pickled through a pipe. Anything unusual (no fork on this system, other threads running, the
child failing or killed) gives None, and the caller does the work itself: a child can make
things faster, never different.
"""

from __future__ import annotations

import io
import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable

from prepcli.errors import stop_signals


def available() -> bool:
    # Forking with other threads running can copy a lock that one of them holds (a child
    # that hangs), so only a single-threaded process forks. Linux only: macOS's system
    # libraries are not safe to use in a forked child. And a child is of use only with a
    # second CPU to run on.
    return (sys.platform.startswith("linux") and threading.active_count() == 1
            and len(os.sched_getaffinity(0)) > 1)


class Child:
    """`fn()` running in a forked child. `result()` waits for it: its value, or None if it
    failed; `stop()` ends it (always call one of the two)."""

    def __init__(self, fn: Callable[[], object]):
        r, w = os.pipe()
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:  # the child: never returns
            code = 1
            try:
                os.close(r)
                # a signal ends the child at once, without the parent's handlers
                for s in (signal.SIGINT, *stop_signals()):
                    signal.signal(s, signal.SIG_DFL)
                _die_with(parent)
                data = _pickled(fn())
                with os.fdopen(w, "wb") as f:
                    f.write(data)
                code = 0
            except BaseException:  # noqa: BLE001 (the parent does the work instead)
                pass
            finally:
                os._exit(code)  # no atexit handlers, no flushing of the parent's buffers
        os.close(w)
        self._pid, self._r = pid, r

    def result(self):
        try:
            with os.fdopen(self._r, "rb") as f:
                self._r = -1
                data = f.read()
        except BaseException:  # a signal while waiting: the child is not waited for
            self.stop()
            raise
        # The child closes the pipe once it has written its result, then exits; the kernel
        # takes ~5-10 ms to free a big child's memory. Not waited for where the result is
        # whole: its caller reaps it later (reap_exited), going on meanwhile.
        status = self._reap(wait=False)
        value = None
        if status in (0, None) and data:
            try:
                value = pickle.loads(data)
            except Exception:  # noqa: BLE001 (a result cut short: the parent does the work)
                pass
        if value is None:
            self._reap()
        elif self._pid >= 0:
            _exiting.append(self._pid)
            self._pid = -1
        return value

    def stop(self) -> None:
        try:
            os.kill(self._pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        if self._r >= 0:
            os.close(self._r)
            self._r = -1
        self._reap()

    def _reap(self, wait: bool = True) -> int | None:
        """The child's exit status once it has ended (-1: not ours to wait for); without
        `wait`, None while it is still running."""
        if self._pid < 0:
            return -1
        while True:
            try:
                pid, status = os.waitpid(self._pid, 0 if wait else os.WNOHANG)
                break
            except InterruptedError:
                continue
            except ChildProcessError:
                pid, status = self._pid, -1
                break
        if pid == 0:
            return None
        self._pid = -1
        return status


# Children whose result was read, still exiting: reaped by the caller once it has used the
# result (reap_exited), or else when the next child starts.
_exiting: list[int] = []


def reap_exited(wait: bool = True) -> None:
    """Reap the children whose result was read (without `wait`: those that have ended)."""
    for pid in list(_exiting):
        while True:
            try:
                done, _ = os.waitpid(pid, 0 if wait else os.WNOHANG)
            except InterruptedError:
                continue
            except ChildProcessError:
                done = pid
            break
        if done:
            _exiting.remove(pid)


def _pickled(value: object) -> bytes:
    """`value` pickled without a memo: a fifth of the time for many small objects (a
    result of plain values, as a caller sends). An object seen twice is sent twice, and one
    that holds itself cannot be sent: the child fails and the parent does the work."""
    buf = io.BytesIO()
    p = pickle.Pickler(buf, protocol=pickle.HIGHEST_PROTOCOL)
    p.fast = True
    p.dump(value)
    return buf.getvalue()


_PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _die_with(parent: int) -> None:
    """Have the kernel kill this child when its parent dies, however it dies (a parent killed
    with SIGKILL runs no code that could stop it: the child would parse on for nothing)."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass  # (then it ends on its own once its work is done: the pipe is closed)
    if os.getppid() != parent:  # the parent died before the prctl: nobody to work for
        os._exit(1)


def start(fn: Callable[[], object]) -> Child | None:
    """`fn()` started in a forked child, or None where that is not available."""
    if not available():
        return None
    reap_exited(wait=False)
    try:
        return Child(fn)
    except OSError:  # no more processes, or pipes
        return None
