"""Text normalisation shared by the notes parser and card identity.

Cards are matched across re-imports by a *key* of their question that ignores what users fix
without changing the meaning: full-width vs half-width characters (NFKC), case, spacing and
punctuation.
"""

from __future__ import annotations

import re
import unicodedata

_DATE = re.compile(r"^\d{4}\s*[./\-年]\s*\d{1,2}\s*[./\-月]\s*\d{1,2}\s*日?$")
_TOC = {"目录", "toc", "[toc]", "contents", "table of contents", "目次"}


def key(text: str) -> str:
    """Identity key: NFKC, lower case, letters/digits only (CJK kept)."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in text if ch.isalnum())


def path_key(path: list[str] | tuple[str, ...]) -> str:
    return "/".join(key(p) for p in path)


def is_date(title: str) -> bool:
    return bool(_DATE.match(unicodedata.normalize("NFKC", title).strip()))


def is_toc(title: str) -> bool:
    return unicodedata.normalize("NFKC", title).strip().casefold() in _TOC


def tag(text: str) -> str:
    """A tag from a heading: NFKC, lower case, runs of non-word characters become '-'."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return re.sub(r"[\W_]+", "-", text).strip("-")


def slug(text: str) -> str:
    """A file-name-safe deck slug."""
    return tag(text) or "deck"


def clean_title(text: str) -> str:
    """A heading as a question: no highlight marks, single spaces, no trailing colon."""
    text = text.replace("==", " ")
    text = re.sub(r"\s+", " ", text).strip()
    return text.rstrip(":：").strip()
