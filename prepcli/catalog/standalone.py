"""An exercise module as one self-contained Python file: the reference written the way a
user would write it, for the grader's tests and the benchmarks.

The module's own source, with each top-level `from prepcli.catalog.X import ...` replaced by
X's source (once, recursively), so the file imports nothing from prepcli and can be graded
in the sandbox. Works for any catalog module, bundled or not.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

from prepcli.catalog.base import Exercise

_PACKAGE = "prepcli.catalog"
_DIR = Path(__file__).resolve().parent
_FUTURE = "from __future__ import annotations"


def module_file(exercise: Exercise) -> Path:
    """The file of the module an exercise is defined in."""
    return Path(sys.modules[exercise.make_cases.__module__].__file__)


def source(module: Path) -> str:
    """The module at `module` with its catalog imports inlined."""
    return _FUTURE + "\n" + _inline(Path(module), set())


def for_exercise(exercise: Exercise) -> str:
    return source(module_file(exercise))


def _inline(path: Path, done: set[Path]) -> str:
    done.add(path.resolve())
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    # Replaced from the bottom up, so the line numbers of earlier imports stay valid.
    for node in reversed(ast.parse(text).body):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module == "__future__":
            lines[node.lineno - 1:node.end_lineno] = []
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and (
                node.module or "").startswith(_PACKAGE + "."):
            dep = _DIR / (node.module[len(_PACKAGE) + 1:].replace(".", "/") + ".py")
            inlined = "" if dep.resolve() in done else _inline(dep, done)
            lines[node.lineno - 1:node.end_lineno] = inlined.split("\n")
    return "\n".join(lines)
