"""Small files prep keeps in its data folder (the plan, this machine's id, the mistakes deck):
the folder made, and what is in a file's place said before it is read (a named pipe would
block the read for ever, a folder fail with a bare errno)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from prepcli.errors import PrepError
from prepcli.paths import file_kind


def data_folder(home: Path, error: type[PrepError] = PrepError) -> Path:
    """`home` made where it is not yet (raises `error`, with what to do, where it cannot be:
    a file of that name, a folder not writable)."""
    try:
        home.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise error(f"cannot create the data folder {home}: {e.strerror} (set PREP_HOME to a "
                    "folder you can write)") from None
    return home


def regular_file(path: Path, what: str, fix: str) -> bool:
    """Whether `path` is there; PrepError when it is something other than a regular file (a
    folder; a named pipe, which would block a read for ever): `what` it should be, and `fix`."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return False
    except NotADirectoryError:
        raise PrepError(f"cannot read {what}: {path.parent} is no folder (something else is "
                        "in its place: move it away, or set PREP_HOME to another folder)",
                        file=str(path)) from None
    except OSError as e:
        raise PrepError(f"cannot read {what}: {e.strerror}", file=str(path)) from None
    if not stat.S_ISREG(mode):
        raise PrepError(f"{what} is {file_kind(mode)}, not a file: {fix}", file=str(path))
    return True
