"""The layering stays true: which module may import or read what.

cli: the only reader of environment variables and the clock; ui and ui_mock (the mock
interview screen): the only importers of prompt-toolkit; store: the only importer of sqlite3;
sandbox/grader: the only subprocess users;
anki_import: the only importer of Anki's library (an optional extra).
"""

import ast
from pathlib import Path

PKG = Path(__file__).resolve().parent.parent / "prepcli"

RULES = {
    # imported name -> modules allowed to import it
    "sqlite3": {"store"},
    "prompt_toolkit": {"ui", "ui_mock"},
    "subprocess": {"sandbox", "editor"},
    "prepcli": set(),  # checked below: the sandbox child never imports the package
    "fsrs": {"scheduler"},
    "fsrs_rs_python": {"optimizer"},
    "markdown_it": {"notes", "render", "anki_export"},
    "genanki": {"anki_export"},
    "anki": {"anki_import"},  # the optional extra: nothing else may need it
}


def modules():
    for p in sorted(PKG.rglob("*.py")):
        if "_bundled" in p.parts:
            continue
        yield p.relative_to(PKG).with_suffix("").as_posix().replace("/", "."), ast.parse(
            p.read_text(encoding="utf-8"))


def test_imports_respect_layers():
    bad = []
    for name, tree in modules():
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            for n in names:
                top = n.split(".")[0]
                if top == "prepcli" and name != "_runner":
                    continue
                if top in RULES and name not in RULES[top]:
                    bad.append(f"{name} imports {n}")
    assert not bad, bad


def test_only_cli_reads_environment_or_clock():
    bad = []
    for name, tree in modules():
        # _runner is the sandbox child's own program: its result pipe comes in the environment
        if name in ("cli", "_runner"):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute):
                base = getattr(node.value, "id", None) or getattr(node.value, "attr", None)
                if (base, node.attr) in {("os", "environ"), ("os", "getenv"),
                                         ("datetime", "now"), ("datetime", "utcnow"),
                                         ("date", "today"), ("time", "time")}:
                    bad.append(f"{name}: {base}.{node.attr} (line {node.lineno})")
    assert not bad, bad


def test_cli_imports_nothing_heavy_at_module_level():
    tree = ast.parse((PKG / "cli.py").read_text(encoding="utf-8"))
    top = [n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))]
    names = {(n.module or "") if isinstance(n, ast.ImportFrom) else a.name
             for n in top for a in getattr(n, "names", [])}
    assert not {m for m in names if m.split(".")[0] in ("numpy", "prompt_toolkit", "yaml")}


def test_modules_in_subfolders_are_checked_by_their_dotted_name():
    names = {name for name, _ in modules()}
    assert {"catalog.base", "catalog.nms", "catalog.pool", "_runner", "cli"} <= names


def _np_uses(nodes) -> list[int]:
    """Lines where `np.` runs when `nodes` run (not inside a lambda or function body)."""
    out, todo = [], list(nodes)
    while todo:
        n = todo.pop()
        if isinstance(n, ast.Attribute) and getattr(n.value, "id", None) == "np":
            out.append(n.lineno)
        todo += [c for c in ast.iter_child_nodes(n)
                 if not isinstance(c, (ast.Lambda, ast.FunctionDef, ast.AsyncFunctionDef))]
    return sorted(out)


def test_catalog_modules_touch_numpy_only_inside_functions():
    """`prep stats` and the importer read the catalog without running NumPy (base.py's lazy
    `np`): no NumPy import at module level, no `np.` in module-level code or defaults."""
    bad = []
    for name, tree in modules():
        if not name.startswith("catalog."):
            continue
        for node in tree.body:
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                mods = [a.name for a in node.names] if isinstance(node, ast.Import) else [
                    node.module or ""]
                bad += [f"{name}: imports {m} (line {node.lineno})" for m in mods
                        if m.split(".")[0] == "numpy"]
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                args = node.args
                bad += [f"{name}: np. in a default of {node.name}() (line {ln})"
                        for ln in _np_uses(args.defaults + [d for d in args.kw_defaults if d])]
            elif isinstance(node, ast.ClassDef):
                continue  # method bodies run later; class-level np. is caught at run time
            else:
                bad += [f"{name}: np. at module level (line {ln})" for ln in _np_uses([node])]
    assert not bad, bad
