"""Settings: defaults, overridden by a TOML file. `prep config` shows each value and its source.

    # config.toml
    desired_retention = 0.9
    learning_steps = [1, 10]        # minutes
    relearning_steps = [10]         # minutes
    maximum_interval = 36500        # days
    fuzz = true
    new_per_day = 20
    day_starts_at = 4               # hour (local time) at which a new study day begins
    learn_ahead_minutes = 20        # show learning cards this early when nothing else is due
    sync_dir = "~/Sync/prep"        # prep study syncs with it at its start and end
                                    # (relative to this file's folder too)
    decks = "~/prep-cards"          # the deck folder every command uses when given none;
                                    # relative to this file's folder ("" = ./cards if it
                                    # exists, else the bundled decks)
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from prepcli.errors import PrepError
from prepcli.paths import not_a_file
from prepcli.review.scheduler import Settings

DEFAULTS: dict = {
    "desired_retention": 0.9,
    "learning_steps": [1.0, 10.0],
    "relearning_steps": [10.0],
    "maximum_interval": 36500,
    "fuzz": True,
    "new_per_day": 20,
    "day_starts_at": 4,
    "learn_ahead_minutes": 20,
    "sync_dir": "",  # a folder kept in sync between machines; "" = no syncing
    "decks": "",
}


@dataclass
class Config:
    values: dict
    sources: dict[str, str]  # key -> "default" or the file it came from
    file: Path
    parameters: tuple[float, ...] | None = None  # fitted FSRS parameters, when saved
    extra: dict = field(default_factory=dict)

    def __getitem__(self, key: str):
        return self.values[key]

    def scheduler_settings(self) -> Settings:
        kw = dict(desired_retention=float(self["desired_retention"]),
                  learning_steps=tuple(float(x) for x in self["learning_steps"]),
                  relearning_steps=tuple(float(x) for x in self["relearning_steps"]),
                  maximum_interval=int(self["maximum_interval"]), fuzz=bool(self["fuzz"]))
        if self.parameters:
            kw["parameters"] = tuple(self.parameters)
        return Settings(**kw)


def load(file: Path) -> Config:
    values, sources = dict(DEFAULTS), {k: "default" for k in DEFAULTS}
    if file.exists():
        if not file.is_file():  # (a named pipe blocked every command on its read)
            raise PrepError(f"{not_a_file(file, 'settings file')}: config.toml must be a "
                            "text file", file=str(file))
        try:
            # (utf-8-sig: Windows editors start a UTF-8 file with a byte-order mark)
            data = tomllib.loads(file.read_text(encoding="utf-8-sig"))
        except tomllib.TOMLDecodeError as e:
            # (`file:line:`, as every other message: tomllib says `(at line 1, column 21)`)
            m = re.search(r" \(at line (\d+), column (\d+)\)$", str(e))
            why = str(e)[:m.start()] if m else str(e)
            if why == "Cannot overwrite a value":  # (tomllib's words for a key set twice)
                why = "a setting given twice (keep one of the lines)"
            raise PrepError(f"invalid TOML: {why}"
                            + (f" (column {m.group(2)})" if m else ""), file=str(file),
                            line=int(m.group(1)) if m else None) from None
        except UnicodeDecodeError:
            raise PrepError("not UTF-8 text: save the settings file as UTF-8",
                            file=str(file)) from None
        except (ValueError, RecursionError):
            raise PrepError("a value too large or too deeply nested to read (a number of "
                            "thousands of digits, or arrays inside arrays thousands deep)",
                            file=str(file)) from None
        except OSError as e:
            raise PrepError(f"cannot read the settings file: {e.strerror}",
                            file=str(file)) from None
        for key, value in data.items():
            if key not in DEFAULTS:
                raise PrepError(f"unknown setting `{key}` (known: {', '.join(DEFAULTS)})",
                                file=str(file), line=_line_of(file, key))
            _validate(key, value, file)
            values[key], sources[key] = value, str(file)
    return Config(values, sources, file)


def _number(v, low: float, high: float, whole: bool = False) -> bool:
    """A real number (not a bool, not inf or NaN) in [low, high]."""
    import math

    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return False
    if whole and not isinstance(v, int):
        return False
    return math.isfinite(v) and low <= v <= high


# learning steps: at most 30 days each (longer waits are what review intervals are for)
_STEP_MAX = 30 * 24 * 60

PATH_MAX = 4096  # bytes: Linux's longest path (a longer one was taken, then refused by the OS)


def _a_path(v) -> bool:
    return isinstance(v, str) and "\0" not in v and len(v.encode("utf-8", "replace")) < PATH_MAX


RULES = {
    "desired_retention": (lambda v: _number(v, 0.7, 0.99), "a number between 0.7 and 0.99"),
    "learning_steps": (lambda v: isinstance(v, list) and len(v) <= 20 and all(
        _number(x, 0.01, _STEP_MAX) for x in v),
        f"a list of minutes, each from 0.01 to {_STEP_MAX} (30 days), e.g. [1, 10]"),
    "relearning_steps": (lambda v: isinstance(v, list) and len(v) <= 20 and all(
        _number(x, 0.01, _STEP_MAX) for x in v),
        f"a list of minutes, each from 0.01 to {_STEP_MAX} (30 days), e.g. [10]"),
    "maximum_interval": (lambda v: _number(v, 1, 36500, whole=True), "whole days, 1 to 36500"),
    "fuzz": (lambda v: isinstance(v, bool), "true or false"),
    "new_per_day": (lambda v: _number(v, 0, 100_000, whole=True), "a whole number, 0 to 100000"),
    "day_starts_at": (lambda v: _number(v, 0, 23, whole=True), "an hour, 0 to 23"),
    "learn_ahead_minutes": (lambda v: _number(v, 0, 1440), "minutes, 0 to 1440"),
    "sync_dir": (_a_path, 'a folder path (under 4096 bytes), e.g. "~/Sync/prep" ("" for none)'),
    "decks": (_a_path,
              'a folder (under 4096 bytes), e.g. "~/prep-cards" ("" for ./cards, else the '
              'bundled decks)'),
}


def _validate(key: str, value, file: Path) -> None:
    ok, hint = RULES[key]
    if not ok(value):
        raise PrepError(f"`{key}` must be {hint}, not {_shown(value)}", file=str(file),
                        line=_line_of(file, key))
    if key in ("sync_dir", "decks") and value.startswith("~"):
        try:
            Path(value).expanduser()  # what the commands do with it
        except RuntimeError:  # ~name of no user here, or no home folder to take ~ from
            user = value.split("/", 1)[0]
            raise PrepError(f"`{key}` = {value!r}: {user} names no home folder here (no "
                            "such user, or $HOME unset): write the folder out in full",
                            file=str(file), line=_line_of(file, key)) from None


def _shown(value, limit: int = 80) -> str:
    """`value` as TOML-ish text for a message, cut short (a list of a million numbers was
    printed whole: a 3 MB line)."""
    text = repr(value)
    if len(text) <= limit:
        return text
    what = f" ({len(value):,} items)" if isinstance(value, (list, dict)) else ""
    return f"{text[:limit]} …{what}"


def line_of(file: Path, key: str) -> int | None:
    """The line that sets `key` in the settings file (for a message about its value)."""
    return _line_of(file, key)


def _line_of(file: Path, key: str) -> int | None:
    """The line that sets `key` in the TOML file, for the message."""
    import re

    try:
        for n, line in enumerate(file.read_text(encoding="utf-8").splitlines(), 1):
            # (or a table of that name, `[study]`: settings are top-level keys)
            if re.match(rf"\s*(?:{re.escape(key)}\s*=|\[+\s*{re.escape(key)}\s*[\].])", line):
                return n
    except (OSError, UnicodeDecodeError):
        pass
    return None
