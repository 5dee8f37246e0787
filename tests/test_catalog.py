"""The exercise catalog's layout: one module per exercise plus the table. A dummy exercise,
written as its own module outside the package and added with one `register` call, is
listed, graded and drilled like the bundled ones."""

import importlib.util
import json

import pytest

from prepcli import catalog

from prepcli.drills import attempts as drills
from prepcli.catalog import standalone

DUMMY = '''"""A dummy exercise: split an array into its positive and negative parts."""

from __future__ import annotations

from prepcli.catalog.base import Case, Exercise, Variant, np, pattern


def _pos(x):
    return np.clip(x, 0, None)


def split(x):
    x = np.asarray(x, dtype=np.float64)
    return _pos(x), x - _pos(x)


def split_cases():
    rng = np.random.default_rng(7)
    return [Case(name, "split", "split", cat, (x,), arg_names=("x",)) for name, cat, x in (
        ("random", "random", rng.normal(size=(3, 4))),
        ("example", "example", np.array([-1.0, 2.0])),
        ("zeros", "edge", np.zeros(5)),
    )]


def _swapped(c):
    pos, neg = split(*c.args)
    return neg, pos


EXERCISE = Exercise(
    "dummy", "Positive and negative parts", ("split",), pattern(r"dummy-?split"),
    ("clip at 0", "the rest is x minus that"), {"split": split}, split_cases,
    (Variant("parts swapped", "return (positive, negative)", _swapped),),
    outputs={"split": ("pos", "neg")})
'''

STUB = '''"""Split x into (positive part, negative part)."""

import numpy as np


def split(x):
    raise NotImplementedError
'''


@pytest.fixture
def dummy(tmp_path):
    """The dummy exercise registered (the module and its stub in tmp_path); the table is
    restored afterwards."""
    module = tmp_path / "dummy_exercise.py"
    module.write_text(DUMMY, encoding="utf-8")
    stub = tmp_path / "stub" / "dummy.py"
    stub.parent.mkdir()
    stub.write_text(STUB, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("dummy_exercise", module)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    saved = dict(catalog.EXERCISES)
    ex = catalog.register(mod.EXERCISE, stub)  # the one call that adds an exercise
    yield ex, module, stub
    catalog.EXERCISES.clear()
    catalog.EXERCISES.update(saved)


def test_the_bundled_table_is_in_order():
    assert list(catalog.EXERCISES)[:5] == ["nms", "iou", "conv", "bn", "pool"]


def test_a_registered_exercise_is_listed_graded_and_drilled(run, tmp_path, dummy):
    ex, module, stub = dummy
    assert ex.stub_path == stub and catalog.exercise_for("How does dummy-split work?") == "dummy"

    r = run("exercises")
    assert r.exit_code == 0 and "dummy" in r.stdout and "Positive and negative parts" in r.stdout

    work = tmp_path / "work"
    work.mkdir()
    (work / "dummy.py").write_text(STUB, encoding="utf-8")
    r = run("grade", work / "dummy.py")
    assert r.exit_code == 1 and "Nothing implemented yet" in r.stdout

    (work / "dummy.py").write_text(standalone.source(module), encoding="utf-8")
    r = run("grade", work / "dummy.py", "--json")
    data = json.loads(r.stdout)
    assert r.exit_code == 0 and data["cases_passed"] == data["cases_total"] == 3
    assert [c["category"] for c in data["cases"]] == ["example", "edge", "random"]

    # a known wrong convention is named; a wrong item of the tuple by its output name
    (work / "dummy.py").write_text("import numpy as np\n\ndef split(x):\n"
                                   "    return np.minimum(x, 0), np.maximum(x, 0)\n",
                                   encoding="utf-8")
    data = json.loads(run("grade", work / "dummy.py", "--json").stdout)
    assert data["first_failure"]["variant"].startswith("parts swapped")
    assert data["first_failure"]["problem"][0].startswith("pos: values")

    assert "def split(x)" in drills.reference_source("dummy")
    assert "def _pos(x)" in drills.reference_source("dummy")

    # prep drill writes the dummy's own stub (then stops: the test has no terminal)
    r = run("drill", "dummy", "--dir", tmp_path / "drill")
    assert (tmp_path / "drill" / "dummy.py").read_text(encoding="utf-8") == STUB
    assert "written from the stub" in r.stdout and r.exit_code == 2


def test_an_id_cannot_be_registered_twice(dummy):
    ex, _, _ = dummy
    with pytest.raises(ValueError, match="already registered"):
        catalog.register(ex)


def test_the_exercise_list_fits_80_columns_without_wrapping_every_row(run, monkeypatch):
    """At 80 columns the part names used to wrap each row into up to five lines; `best`
    already counts the parts, so the names show only where they fit (150 columns)."""
    monkeypatch.setenv("COLUMNS", "80")
    lines = run("exercises").stdout.splitlines()
    assert all(len(line) <= 80 for line in lines)
    rows = lines[2:-1]  # header, rule, ..., the closing hint
    assert len(rows) <= 2 * len(catalog.EXERCISES)  # a long title may take a second line
    assert "box_iou" not in "\n".join(rows)
    monkeypatch.setenv("COLUMNS", "160")
    assert "box_iou, generalized_box_iou" in run("exercises").stdout
