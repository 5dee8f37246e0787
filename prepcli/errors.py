"""The one error type meant for users.

Everything that goes wrong because of the user's input (a bad file, an unknown option value,
a deck that does not validate) raises `PrepError`. The CLI turns it into `error: ...` on stderr
and an exit code, in one place (`prepcli.cli`). Anything else that escapes is a bug.
"""

from __future__ import annotations

from contextlib import contextmanager

USAGE = 2  # the command was used wrongly: bad arguments, unreadable file, unknown id
FAILED = 1  # the command ran and a check or grade failed
INTERNAL = 70  # a bug in prep (EX_SOFTWARE): the traceback goes to a log file


def is_utf8(path) -> bool:
    """Whether a path's name is text: not bytes the file system holds that are no UTF-8 (Python
    keeps them as lone surrogates, which SQLite, the decks and the terminal cannot take)."""
    try:
        str(path).encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False


class PrepError(Exception):
    def __init__(self, message: str, *, code: int = USAGE, file: str | None = None,
                 line: int | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.file = file
        self.line = line

    def __str__(self) -> str:
        where = ""
        if self.file:
            file = shown_path(self.file)
            where = f"{file}:{self.line}: " if self.line else f"{file}: "
        return where + self.message


SHOWN_PATH = 1000  # characters: a longer path (a setting of 100,000) is shown cut in the middle


def shown_path(path: str) -> str:
    """A path as a message shows it: whole, or its start and end around `…` when longer than
    a message should be (a 100,000-character `sync_dir` was one line of 100 KB)."""
    path = safe_text(path)  # (a name that is not UTF-8, or holds control characters)
    if len(path) <= SHOWN_PATH:
        return path
    return f"{path[:600]}…{path[-200:]} ({len(path):,} characters)"


class Stopped(BaseException):
    """The process was told to stop (SIGTERM, SIGHUP) and did so cleanly. Not an Exception,
    as KeyboardInterrupt is not: an `except Exception` on its way (a fallback that does the
    work another way) would swallow it, and the command went on to the end and exited 0."""

    def __init__(self, signum: int):
        import signal

        name = signal.Signals(signum).name
        super().__init__(f"stopped by {name}")
        self.message, self.code = f"stopped by {name}", 128 + signum

    def __str__(self) -> str:
        return self.message


def stop_signals() -> list:
    """The signals that end prep by default (SIGTERM, SIGHUP, and those whose default action
    also ends a program: SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM), handled so that it ends as it
    does for SIGTERM: its terminal given back, 128 + the signal. (Ended by their default
    action, prep left a study screen's terminal in the alternate screen, line wrap off:
    fault hunt 33.)"""
    import signal

    return [getattr(signal, n) for n in ("SIGTERM", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2",
                                         "SIGALRM") if hasattr(signal, n)]


def stop_on_signals(stop_with=Stopped, over: bool = False):
    """SIGTERM, SIGHUP and the other stop_signals raise `stop_with(signum)` in the main
    thread, as Ctrl-C raises KeyboardInterrupt: the command unwinds through its `finally`s (a
    file written aside is removed, a transaction rolled back) and exits 128 + the signal.
    Returns what undoes it.
    A handler already set (by whoever runs prep) is kept, unless `over` (the grader's own,
    for its time: sandbox.signals_stop_grading)."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        return lambda: None

    def stop(signum, frame):
        # One stop at a time: a second signal (as `timeout` and service managers send, or
        # Ctrl-C pressed twice) while the first unwinds or is said was raised again wherever
        # it came, a traceback. (After the command, prepcli.__main__ ignores Ctrl-C.)
        for s in old:
            signal.signal(s, signal.SIG_IGN)
        raise KeyboardInterrupt if signum == signal.SIGINT else stop_with(signum)

    old = {}
    for s in stop_signals():
        if over or signal.getsignal(s) is signal.SIG_DFL:
            old[s] = signal.signal(s, stop)
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:  # (Ctrl-C, as Python's)
        old[signal.SIGINT] = signal.signal(signal.SIGINT, stop)

    def restore():
        for s, h in old.items():
            signal.signal(s, h)
    return restore


@contextmanager
def held_stops():
    """Ctrl-C, SIGTERM and SIGHUP held off for a few steps that must all be done or none (the
    renames that put new files in place): they arrive once the block is left."""
    import signal

    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    stops = {signal.SIGINT, *stop_signals()}
    before = signal.pthread_sigmask(signal.SIG_BLOCK, stops)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


# What a terminal would act on, made visible: C0 controls but tab and newline (ESC shows as
# ^[), DEL, C1 controls (some terminals take U+009B as CSI), the bidirectional overrides.
_SHOWN = {c: "^" + chr(c + 64) for c in range(32) if c not in (9, 10)}
_SHOWN[0x7F] = "^?"
_SHOWN.update({c: f"<U+{c:04X}>" for c in [*range(0x80, 0xA0), *range(0x202A, 0x202F),
                                            *range(0x2066, 0x206A)]})


def safe_text(text: str) -> str:
    """Text as it may be shown or written (from user code in the sandbox, a file's name, a
    deck's words in a message): valid Unicode (a lone surrogate cannot be printed or encoded:
    it becomes U+FFFD), no control sequences (see _SHOWN)."""
    text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return text.replace("\r\n", "\n").translate(_SHOWN)
