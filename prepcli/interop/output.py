"""Files the user names as an output (`prep reviews export F`, `prep export anki F`)."""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path
from typing import Callable, TypeVar

from prepcli.errors import PrepError
from prepcli.paths import file_kind

T = TypeVar("T")


def replace_file(path: Path, write: Callable[[Path], T], what: str,
                 same_kind: Callable[[Path], bool]) -> T:
    """Write a file the user named as an output (an export), atomically: `write` fills a
    temporary file beside it, which then replaces it. A symbolic link is written through (its
    target replaced, the link kept); what is not a regular file (a folder, a named pipe, a
    device) is refused, never replaced, and so is a file that is no `what` (an earlier
    export): `same_kind(the file)` false, or one made read-only. A file replaced keeps its
    permissions. Returns what `write` returns."""
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    try:
        st = target.stat()
    except FileNotFoundError:
        st = None
    if st is not None and not stat.S_ISREG(st.st_mode):
        raise PrepError(f"is {file_kind(st.st_mode)}: prep writes only regular files (name a "
                        "file to create or replace)", file=str(path))
    # (`prep export anki notes.md` replaced the user's note with a package, without a word)
    if st is not None and st.st_size and not same_kind(target):
        raise PrepError(f"holds something other than {what}, and an export replaces only an "
                        "earlier one: name a new file, or delete this one first",
                        file=str(path))
    # (a file made read-only is one its owner means to keep as it is: a rename replaced it,
    # root or not, and it came back writable)
    if st is not None and not st.st_mode & 0o222:
        raise PrepError("is read-only: make it writable (chmod u+w) to replace it, or name "
                        "another file", file=str(path))
    if not target.parent.is_dir():
        raise PrepError(f"no such folder: {target.parent} (create it first)", file=str(path))
    # a short name, whatever the target's length, and one per process
    tmp = target.with_name(f".{target.name[:64]}.{os.getpid()}.tmp")
    try:
        out = write(tmp)
        if st is not None:  # (the earlier export's permissions, not the umask's)
            os.chmod(tmp, stat.S_IMODE(st.st_mode))
        tmp.replace(target)
    except OSError as e:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        raise PrepError(f"cannot write: {e.strerror}", file=str(path)) from None
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        raise
    return out


def head(path: Path) -> bytes:
    """The first bytes of a file (for a `same_kind` of replace_file)."""
    try:
        with open(path, "rb") as f:
            return f.read(4096)
    except OSError as e:
        raise PrepError(f"cannot read: {e.strerror}", file=str(path)) from None
