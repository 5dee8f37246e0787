"""The layering stays true: which module may import or read what.

The package's folders are its layers, lowest first (a module may import its own folder and
the layers below it, never one above):

    errors, paths            what every layer uses
    catalog/                 the exercise table: one module per exercise (pure data + NumPy)
    cards/                   notes into decks, the decks
    review/                  scheduler, store, session, plan
    drills/                  grading, drills as scheduled items, the mock interview, mistakes
    interop/  progress/      data in and out (sync carries the mistakes deck); statistics and
                             card management (side by side)
    screens/                 full-screen UIs and printed reports
    config, cli, __main__    the settings, and the command line on top

cli: the only reader of environment variables and the clock; screens.ui and screens.ui_mock:
the only importers of prompt-toolkit; review.store: the only importer of sqlite3;
drills.sandbox (and screens.editor): the only subprocess users; interop.anki_import: the only
importer of Anki's library (an optional extra).
"""

import ast
from pathlib import Path

PKG = Path(__file__).resolve().parent.parent / "prepcli"

LAYERS = {"__init__": 0, "errors": 0, "paths": 0, "catalog": 1, "cards": 2, "review": 3,
          "drills": 4, "interop": 5, "progress": 5, "screens": 6, "config": 7, "cli": 8,
          "__main__": 9}

RULES = {
    # imported name -> modules allowed to import it
    "sqlite3": {"review.store"},
    "prompt_toolkit": {"screens.ui", "screens.ui_mock"},
    "subprocess": {"drills.sandbox", "screens.editor"},
    "prepcli": set(),  # checked below: the sandbox child never imports the package
    "fsrs": {"review.scheduler"},
    "fsrs_rs_python": {"review.optimizer"},
    "markdown_it": {"cards.notes", "cards.blockscan", "screens.render", "interop.anki_export"},
    "genanki": {"interop.anki_export"},
    "anki": {"interop.anki_import"},  # the optional extra: nothing else may need it
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
                if top == "prepcli" and name != "drills._runner":
                    continue
                if top in RULES and name not in RULES[top]:
                    bad.append(f"{name} imports {n}")
    assert not bad, bad


def test_only_cli_reads_environment_or_clock():
    bad = []
    for name, tree in modules():
        # _runner is the sandbox child's own program: its result pipe comes in the environment
        if name in ("cli", "drills._runner"):
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
    assert {"catalog.base", "catalog.nms", "catalog.pool", "drills._runner", "review.store",
            "cli"} <= names


def _layer(name: str) -> tuple[str, int]:
    folder = name.split(".")[0]
    assert folder in LAYERS, f"prepcli/{folder} has no layer in LAYERS: add it"
    return folder, LAYERS[folder]


def test_no_import_runs_up_a_layer():
    bad = []
    for name, tree in modules():
        folder, level = _layer(name)
        for node in ast.walk(tree):
            targets = []
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                if node.module == "prepcli":  # `from prepcli import __version__` is __init__
                    targets = [a.name if a.name in LAYERS or (PKG / a.name).is_dir()
                               else "__init__" for a in node.names]
                elif node.module.startswith("prepcli."):
                    targets = [node.module.removeprefix("prepcli.")]
            elif isinstance(node, ast.Import):
                targets = [a.name.removeprefix("prepcli.") for a in node.names
                           if a.name.startswith("prepcli.")]
            for t in targets:
                other, other_level = _layer(t)
                if other != folder and other_level >= level:
                    bad.append(f"{name} (layer {level}) imports {t} (layer {other_level})")
    assert not bad, bad


def test_no_flat_modules_left_outside_the_layers():
    flat = {p.stem for p in PKG.glob("*.py")}
    assert flat <= {"errors", "paths", "cli", "config", "__main__", "__init__"}, flat


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
