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
_HEAD_KEYS = frozenset(("deck", "description", "notes"))


# YAML 1.1's implicit types (yaml.org/type: bool, null, float, int, timestamp, merge), the
# plain scalars PyYAML reads as something other than text, by their first character as its
# resolver looks them up. Written here so that writing a deck needs no `import yaml` (30 ms,
# a tenth of a big import's card writing); tests/test_yamlwrite.py checks them against
# PyYAML's table. ("!&*", its `yaml` type, start no plain scalar here: see _FIRST.)
_BOOL = "yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF"
_NULL = "~|null|Null|NULL"
_FLOAT = (r"[-+]?[0-9][0-9_]*\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?"
          r"|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)"
          r"|\.(?:nan|NaN|NAN)")
_INT = (r"[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+"
        r"|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+")
_TIMESTAMP = (r"[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)"
              r"[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?"
              r"(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?")
_TYPES_BY_FIRST = {"yYtTfFoO": (_BOOL,), "nN": (_BOOL, _NULL), "~": (_NULL,),
                   "0123456789": (_FLOAT, _INT, _TIMESTAMP), "+-": (_FLOAT, _INT),
                   ".": (_FLOAT,), "<": ("<<",), "=": ("=",)}
_IMPLICIT = {c: re.compile("|".join(types))
             for chars, types in _TYPES_BY_FIRST.items() for c in chars}


# The first characters that make _plain look further than the rest of the text: indicators,
# a blank, "?:-" (an indicator before a blank), "." (for "..."), and the implicit types'.
_ODD_FIRST = _FIRST | frozenset(" ?:-.") | frozenset(_IMPLICIT)


def _plain(s: str) -> bool:
    """Whether libyaml writes this one-line printable text plain (else single-quoted)."""
    c = s[0]
    if c in _ODD_FIRST:  # most text starts with a letter: one set look-up decides
        if c == " " or c in _FIRST or s.startswith(("---", "...")):
            return False
        if c in "?:-" and (len(s) == 1 or s[1] == " "):
            return False
        typed = _IMPLICIT.get(c)
        if typed is not None and typed.fullmatch(s) is not None:
            return False
    return not (s[-1] in " :" or ": " in s or " #" in s)


def _line(s: str) -> str | None:
    """One line of text as written after `key: ` or `- `, or None if not a simple case."""
    # for ASCII text str.isprintable is exactly _LINE's test (" " to "~"), at half the cost
    if len(s) > _WIDE or not (s.isprintable() if s.isascii() else _LINE.fullmatch(s)):
        return None
    if not s:
        return "''"  # plain, it would read as null
    return s if _plain(s) else "'" + s.replace("'", "''") + "'"


# A deck's tags, note files and headings repeat. Ids and questions do not, and card writes
# them with _line itself: a cache miss (~0.3 µs) costs about as much as writing the line.
_scalar = functools.lru_cache(maxsize=4096)(_line)


def _literal(s: str, indent: str) -> str | None:
    """Multi-line text as a `|-` block (lines at `indent`), or None if not a simple case:
    a leading blank or break (libyaml adds an indentation indicator), a space before a
    break or at the end (libyaml double-quotes), a final break (another chomping)."""
    if s[0] in " \n" or s[-1] in " \n" or " \n" in s or not (  # (isprintable: see _line)
            s.replace("\n", " ").isprintable() if s.isascii() else _TEXT.fullmatch(s)):
        return None
    if len(s) > _WIDE and max(map(len, s.split("\n"))) > _WIDE:
        return None
    # Every line at `indent`, but for blank ones: as no line of s ends in a blank, `indent`
    # before a break is one put on a blank line. (Two replaces cost less than a regex sub.)
    return "|-\n" + indent + s.replace("\n", "\n" + indent).replace(indent + "\n", "\n") + "\n"


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
    # _entry's cases for text and the source written out, with no call per value (through
    # _entry a card cost ~8 µs, a tenth of importing 20,000 cards); the rest goes to _entry.
    out: list[str] = []
    lead = "- "
    for key, value in d.items():
        if key not in _CARD_KEYS:
            return None
        t = type(value)
        if t is str:
            if "\n" in value:
                text = _literal(value, "    ")
                if text is None:
                    return None
                out.append(f"{lead}{key}: {text}")
            else:
                text = _line(value)
                if text is None:
                    return None
                out.append(f"{lead}{key}: {text}\n")
        elif t is dict and key == "source" and value and _SOURCE_KEYS.issuperset(value):
            out.append(f"{lead}source:\n")
            for k, v in value.items():
                t = type(v)
                if t is int:
                    out.append(f"    {k}: {v}\n")
                elif t is str and "\n" not in v and (text := _scalar(v)) is not None:
                    out.append(f"    {k}: {text}\n")
                elif not _entry(out, "    ", k, v, "    "):
                    return None
        elif not _entry(out, lead, key, value, "  "):
            return None
        lead = "  "
    return "".join(out)


def head(d: dict) -> str | None:
    """A deck's keys before `cards:` (Deck's name, description and notes), or None."""
    out: list[str] = []
    for key, value in d.items():
        if key not in _HEAD_KEYS or not _entry(out, "", key, value, ""):
            return None
    return "".join(out)
