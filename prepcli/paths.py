"""Where the bundled decks and exercise stubs are.

A wheel carries them inside the package (`prepcli/_bundled/`); a source checkout or an
editable install uses the repository's own `cards/` and `exercises/`.
"""

from __future__ import annotations

from pathlib import Path

_PKG = Path(__file__).resolve().parent


def bundled(name: str) -> Path:
    """`cards` or `exercises` as shipped with the program."""
    inside = _PKG / "_bundled" / name
    return inside if inside.is_dir() else _PKG.parent / name


def default_cards(cwd: Path, setting: Path | None = None) -> Path:
    """The decks a command works on when none is named: the `decks` setting when set, else
    ./cards if it exists, else the bundled decks."""
    if setting is not None:
        return setting
    local = cwd / "cards"
    return local if local.is_dir() else bundled("cards")


def bundled_left_out(directory: Path) -> list[str]:
    """Bundled deck files that `directory` (a deck folder other than the bundled one) does
    not have, by name: those decks are not shown while it is in use."""
    source = bundled("cards")
    try:
        if directory.resolve() == source.resolve() or not directory.is_dir():
            return []
        have = {p.name for p in directory.iterdir()}
    except OSError:  # an unreadable folder: loading the decks reports it, with its name
        return []
    return sorted(p.name for p in source.glob("*.yaml") if p.name not in have)


def file_kind(mode: int) -> str:
    """What a file that is not a regular one is, from its `st_mode` (for a message): prep
    opens none of these as a deck or replaces one with an export (a named pipe blocks the
    read, a device may never end)."""
    import stat

    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def not_a_file(path: Path, what: str) -> str:
    """Why `path` is no `what` (e.g. "note file") to read: none there, a link to nothing or
    in a loop, a folder, a named pipe, a device."""
    import os
    import stat

    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return f"no such {what}" + (" (a link to nothing)" if path.is_symlink() else "")
    except (OSError, RuntimeError) as e:  # (a loop: RuntimeError before Python 3.13)
        return f"cannot read this {what}: {getattr(e, 'strerror', None) or e}"
    if stat.S_ISDIR(mode):
        return f"a folder, not a {what}"
    return f"not a regular file ({file_kind(mode)})"


# An exercise file is a few kilobytes; prep reads one whole (to grade it, to compare it with
# its stub): a 4 GB file, or a link to /dev/zero, took all of prep's memory.
EXERCISE_BYTES = 1 << 20


def exercise_file_problem(path: Path) -> str | None:
    """Why `path` is no exercise file prep may read whole (not a regular file, or over
    EXERCISE_BYTES), or None. (`prep grade` and `prep drill` both ask.)"""
    import os

    if not path.is_file():
        return not_a_file(path, "file")
    size = os.stat(path).st_size
    if size <= EXERCISE_BYTES:
        return None
    return (f"too large for an exercise ({size / 2**20:.1f} MiB; at most "
            f"{EXERCISE_BYTES >> 20} MiB)")


def unused(named, taken=Path.exists) -> Path:
    """The first of `named("")`, `named("-2")`, `named("-3")`, … that is not `taken`: a
    file kept beside others (a damaged copy, an attempt) never replaces one kept before."""
    n, path = 1, named("")
    while taken(path):
        n += 1
        path = named(f"-{n}")
    return path


def aside_path(path: Path) -> Path:
    """Where `write_aside` puts the text for `path`."""
    return path.with_name(path.name + ".tmp")


def write_aside(path: Path, data: bytes) -> Path:
    """`data` in a new file beside `path` (`path.tmp`), flushed to disk; that file. Nothing is
    left of it when this fails; the OSError raised then names `path`."""
    import os

    tmp = aside_path(path)
    try:
        # A new file: a .tmp left there (a link to a note, say) is removed, never written
        # through.
        tmp.unlink(missing_ok=True)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        with open(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
    except OSError as e:
        _remove(tmp)
        raise OSError(e.errno, e.strerror, str(path)) from None
    except BaseException:  # (a stop signal while writing: no half file left beside `path`)
        _remove(tmp)
        raise
    return tmp


def write_whole(path: Path, data: bytes) -> None:
    """`data` in a file at `path`, all or nothing: written aside, then renamed over it. A full
    disk leaves the old file as it was (or none), never a part of the new one; the OSError
    raised then names `path`."""
    import os

    tmp = write_aside(path, data)
    try:
        os.replace(tmp, path)
    except OSError as e:
        _remove(tmp)
        raise OSError(e.errno, e.strerror, str(path)) from None
    except BaseException:
        _remove(tmp)
        raise


def _remove(tmp: Path) -> None:
    try:
        if not tmp.is_dir():
            tmp.unlink(missing_ok=True)
    except OSError:
        pass
