"""What one exercise is made of. Each exercise is one module in `prepcli/catalog/` that
defines its reference functions, its cases, its known wrong variants, its hints and its
metadata, and ends with one `EXERCISE = Exercise(...)`; `prepcli/catalog/__init__.py` lists
the modules in one table. The grader, `prep drill`, `prep exercises` and the importer only
ever read `Exercise` objects, so adding an exercise touches its module and the table.

Expected outputs are computed in the grading process from `Exercise.references`; only the
inputs ever reach the sandbox.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable


def _lazy(name: str):
    """`name` imported on first attribute access: `prep stats` and the importer read the
    catalog's metadata without paying for NumPy. So catalog modules take NumPy as
    `from prepcli.catalog.base import np` and touch `np.` only inside functions (not in
    default arguments or at module level): tests/test_boundaries.py checks the source,
    tests/test_cli.py that `prep stats --json` never runs NumPy."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.find_spec(name)
    spec.loader = importlib.util.LazyLoader(spec.loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


np = _lazy("numpy")

CATEGORY_ORDER = {"example": 0, "edge": 1, "random": 2, "timing": 3}


@dataclass
class Case:
    name: str
    part: str  # the part it belongs to (a function, or a level of one, like conv's advanced)
    fn: str  # the function called
    category: str  # example, edge, random or timing
    args: tuple
    kwargs: dict = field(default_factory=dict)
    arg_names: tuple = ()
    exact: bool = False  # indices and max pooling compare exactly
    # A random or timing case: the seed its inputs come from. `Exercise.cases()` gives every
    # other hidden case one too (its place in the list): `prep grade FILE --seed N` replays
    # the cases with seed N.
    seed: int | None = None
    # Set by `Exercise.cases()`: the reference function for `fn`.
    reference: Callable | None = field(default=None, repr=False, compare=False)
    _expected: object = field(default=None, repr=False, compare=False)

    def expected(self):
        """The reference output, computed once (verdicts and variant matching both need it)."""
        if self._expected is None:
            self._expected = self.reference(*self.args, **self.kwargs)
        return self._expected

    def describe_inputs(self, limit: int = 60) -> str:
        """The inputs, written out if small, else their shapes."""
        parts = []
        for name, v in list(zip(self.arg_names, self.args)) + list(self.kwargs.items()):
            if isinstance(v, np.ndarray) and v.size > limit:
                parts.append(f"{name}: array{v.shape} {v.dtype}")
            elif isinstance(v, np.ndarray):
                parts.append(f"{name} = np.{np.array_repr(v, precision=6)}")
            else:
                parts.append(f"{name} = {v!r}")
        return "\n".join(parts)


@dataclass(frozen=True)
class Variant:
    """A known wrong convention: what it is called, how to fix it, and what it computes for a
    case (None where it does not apply; it then behaves like the reference)."""
    name: str
    fix: str
    compute: Callable[[Case], object]


@dataclass(frozen=True)
class Exercise:
    id: str
    title: str
    parts: tuple[str, ...]
    # A card whose question matches this pattern is about this exercise (`exercise: <id>`).
    card_pattern: re.Pattern
    hints: tuple[str, ...]  # from gentle to specific
    references: dict[str, Callable]  # function name -> reference implementation
    make_cases: Callable[[], list[Case]]
    variants: tuple[Variant, ...] = ()
    # Names of the items of a tuple result, per function, for messages ("dx: shape ...").
    outputs: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # The pristine stub `prep drill` starts from; None: the bundled exercises/<id>.py.
    stub: Path | None = None

    @property
    def file(self) -> str:
        return f"{self.id}.py"

    @property
    def stub_path(self) -> Path:
        if self.stub is not None:
            return self.stub
        # Imported here: a catalog module made standalone (standalone.py) inlines this file
        # and runs in the sandbox, where `import prepcli` is refused.
        from prepcli.paths import bundled

        return bundled("exercises") / self.file

    @property
    def functions(self) -> tuple[str, ...]:
        """The functions to write (a part may be a level of one function, like conv's)."""
        return tuple(dict.fromkeys(p.split(" (")[0] for p in self.parts))

    def cases(self) -> list[Case]:
        """Visible examples first, then hidden cases by category, the sweep, the timing case.
        Every hidden case has a seed to replay it by: its own, else its place in this list
        (the cases are the same on every run). Edge cases are often random numbers too, and
        neither their shapes nor values printed to 6 digits give them back exactly."""
        out = sorted(self.make_cases(), key=lambda c: CATEGORY_ORDER[c.category])
        for i, c in enumerate(out):
            c.reference = self.references[c.fn]
            if c.seed is None and c.category != "example":
                c.seed = i + 1
        return out


def pattern(regex: str) -> re.Pattern:
    return re.compile(regex, re.IGNORECASE)
