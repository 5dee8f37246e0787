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
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from prepcli.errors import PrepError
from prepcli.scheduler import Settings

DEFAULTS: dict = {
    "desired_retention": 0.9,
    "learning_steps": [1.0, 10.0],
    "relearning_steps": [10.0],
    "maximum_interval": 36500,
    "fuzz": True,
    "new_per_day": 20,
    "day_starts_at": 4,
    "learn_ahead_minutes": 20,
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
    if file.is_file():
        try:
            data = tomllib.loads(file.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
            raise PrepError(f"invalid TOML: {e}", file=str(file)) from None
        for key, value in data.items():
            if key not in DEFAULTS:
                raise PrepError(f"unknown setting `{key}` (known: {', '.join(DEFAULTS)})",
                                file=str(file))
            _validate(key, value, file)
            values[key], sources[key] = value, str(file)
    return Config(values, sources, file)


def _validate(key: str, value, file: Path) -> None:
    ok = {
        "desired_retention": lambda v: isinstance(v, (int, float)) and 0.7 <= v <= 0.99,
        "learning_steps": lambda v: isinstance(v, list) and all(
            isinstance(x, (int, float)) and x > 0 for x in v),
        "relearning_steps": lambda v: isinstance(v, list) and all(
            isinstance(x, (int, float)) and x > 0 for x in v),
        "maximum_interval": lambda v: isinstance(v, int) and 1 <= v <= 36500,
        "fuzz": lambda v: isinstance(v, bool),
        "new_per_day": lambda v: isinstance(v, int) and v >= 0,
        "day_starts_at": lambda v: isinstance(v, int) and 0 <= v <= 23,
        "learn_ahead_minutes": lambda v: isinstance(v, (int, float)) and v >= 0,
    }[key]
    if not ok(value):
        hint = {"desired_retention": "a number between 0.7 and 0.99",
                "learning_steps": "a list of minutes, e.g. [1, 10]",
                "relearning_steps": "a list of minutes, e.g. [10]",
                "maximum_interval": "whole days, 1 to 36500",
                "fuzz": "true or false", "new_per_day": "a whole number ≥ 0",
                "day_starts_at": "an hour, 0 to 23",
                "learn_ahead_minutes": "minutes ≥ 0"}[key]
        raise PrepError(f"`{key}` must be {hint}, not {value!r}", file=str(file))
