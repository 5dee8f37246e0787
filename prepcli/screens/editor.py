"""Open a file in the user's editor at a line (the editor command comes from the CLI)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path


def open_at(editor_cmd: list[str], path: Path, line: int) -> int:
    """Run the editor and wait for it. Most terminal editors accept `+LINE FILE`."""
    name = os.path.basename(editor_cmd[0])
    args = [f"+{line}", str(path)] if name in ("vi", "vim", "nvim", "nano", "emacs", "micro",
                                               "kak", "hx", "helix", "joe", "ne") \
        else [str(path)]
    return subprocess.call([*editor_cmd, *args])
