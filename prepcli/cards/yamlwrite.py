"""A deck's cards written as YAML text directly, as libyaml writes them.

PyYAML spends ~70 µs a card between its Python representer, resolver and the C emitter's
node walk (1.4 s on 20,000 cards, where json.dumps of the same data takes 0.1 s). A card made
by `prep import` has a fixed shape (text, a line number, lists of text), and for text that
is plain, single-quoted or a literal block the output of libyaml's emitter is simple to state
exactly. So each card is written here when every value is such a case, and `card` returns
None for anything else (escapes, tabs, leading blanks, block indicators in odd places, very
long lines, keys or types the deck format does not have): the caller then lets PyYAML write
the whole deck. The rules are libyaml's `yaml_emitter_analyze_scalar` and
`yaml_emitter_select_scalar_style`, for a value in block context at deck width 10,000;
tests/test_yamlwrite.py compares the two writers on the corpus and on generated text.
"""

from __future__ import annotations

import functools
import re

# libyaml's printable characters without its line breaks (CR, NEL, LS, PS), tab and BOM.
_LINE = re.compile("[\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd]*")
_TEXT = re.compile("[\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd]*")
_FIRST = frozenset("#,[]{}&*!|>'\"%@`")  # indicators that may not start a plain scalar
_WIDE = 9_000  # past this many characters libyaml may fold a line at width 10,000
_CARD_KEYS = frozenset(("id", "kind", "question", "answer", "tags", "exercise", "source"))
_SOURCE_KEYS = frozenset(("file", "line", "path"))


@functools.cache
def _implicit() -> dict:
    """PyYAML's implicit resolvers by first character (what plain text would read as)."""
    import yaml

    return yaml.resolver.Resolver.yaml_implicit_resolvers


def _plain(s: str) -> bool:
    """Whether libyaml writes this one-line printable text plain (else single-quoted)."""
    c = s[0]
    if c == " " or s[-1] == " " or c in _FIRST or s.startswith(("---", "...")):
        return False
    if c in "?:-" and (len(s) == 1 or s[1] == " "):
        return False
    if ": " in s or s[-1] == ":" or " #" in s:
        return False
    resolvers = _implicit().get(c)
    return not (resolvers and any(rx.match(s) for _, rx in resolvers))


@functools.lru_cache(maxsize=4096)  # a deck's tags, note files and headings repeat
def _scalar(s: str) -> str | None:
    """One line of text as written after `key: ` or `- `, or None if not a simple case."""
    if len(s) > _WIDE or not _LINE.fullmatch(s):
        return None
    if not s:
        return "''"  # plain, it would read as null
    return s if _plain(s) else "'" + s.replace("'", "''") + "'"


def _literal(s: str, indent: str) -> str | None:
    """Multi-line text as a `|-` block (lines at `indent`), or None if not a simple case:
    a leading blank or break (libyaml adds an indentation indicator), a space before a
    break or at the end (libyaml double-quotes), a final break (another chomping)."""
    if s[0] in " \n" or s[-1] in " \n" or " \n" in s or not _TEXT.fullmatch(s):
        return None
    lines = s.split("\n")
    if len(s) > _WIDE and max(map(len, lines)) > _WIDE:
        return None
    return "|-\n" + "".join(f"{indent}{ln}\n" if ln else "\n" for ln in lines)


def _entry(out: list[str], lead: str, key: str, value, col: str) -> bool:
    """Append `key: value` (the key at column len(col), after `lead`); False if not simple."""
    t = type(value)
    if t is str:
        if "\n" in value:
            text = _literal(value, col + "  ")
            if text is None:
                return False
            out.append(f"{lead}{key}: {text}")
            return True
        text = _scalar(value)
        if text is None:
            return False
        out.append(f"{lead}{key}: {text}\n")
    elif t is int:
        out.append(f"{lead}{key}: {value}\n")
    elif t is list:
        if not value:
            out.append(f"{lead}{key}: []\n")
            return True
        out.append(f"{lead}{key}:\n")
        for item in value:  # a sequence in a mapping is not indented further
            text = _scalar(item) if type(item) is str and "\n" not in item else None
            if text is None:
                return False
            out.append(f"{col}- {text}\n")
    elif t is dict and key == "source" and value and _SOURCE_KEYS.issuperset(value):
        out.append(f"{lead}{key}:\n")
        inner = col + "  "
        for k, v in value.items():
            if not _entry(out, inner, k, v, inner):
                return False
    else:
        return False
    return True


def card(d: dict) -> str | None:
    """A card's mapping (Card.to_dict) as an item of a deck's `cards:` list, or None."""
    out: list[str] = []
    lead = "- "
    for key, value in d.items():
        if key not in _CARD_KEYS or not _entry(out, lead, key, value, "  "):
            return None
        lead = "  "
    return "".join(out)
