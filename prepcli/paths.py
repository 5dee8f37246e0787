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


def default_cards(cwd: Path) -> Path:
    """The decks a command works on when none is named: ./cards if it exists, else bundled."""
    local = cwd / "cards"
    return local if local.is_dir() else bundled("cards")
