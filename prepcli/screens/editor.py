"""Open a file in the user's editor at a line (the editor command comes from the CLI)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path


def open_at(editor_cmd: list[str], path: Path, line: int) -> str | None:
    """Run the editor and wait for it: None, or what went wrong, to show (an editor that
    cannot start raised through the screen's event loop: a traceback over the screen). Most
    terminal editors accept `+LINE FILE`."""
    name = os.path.basename(editor_cmd[0])
    args = [f"+{line}", str(path)] if name in ("vi", "vim", "nvim", "nano", "emacs", "micro",
                                               "kak", "hx", "helix", "joe", "ne") \
        else [str(path)]
    try:
        code = subprocess.call([*editor_cmd, *args])
    except OSError as e:
        return f"cannot start the editor {editor_cmd[0]!r} ($EDITOR): {e.strerror}"
    return None if code == 0 else f"the editor {editor_cmd[0]!r} failed (exit {code})"
