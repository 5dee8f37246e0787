"""Every hidden case prints a seed with its failure, and `prep grade FILE --seed N` replays
exactly that case, with the same failure."""

import json
import re

import numpy as np
import pytest

from prepcli.catalog import EXERCISES
from prepcli.catalog.standalone import for_exercise

# Wrong only on larger inputs: the first failure is a hidden case, not a visible example.
WRONG = {
    # an edge case of random numbers (its seed is its place in the list)
    "conv": "_ref_c = conv2d\ndef conv2d(x, weight, bias=None, **kw):\n"
            "    out = _ref_c(x, weight, bias, **kw)\n"
            "    return out + 1e-3 if x.size > 300 else out\n",
    # a random case (its seed is the one its inputs come from)
    "bn": "_ref_bn = batchnorm\ndef batchnorm(x, g, b, rm, rv, training=True, momentum=0.1, "
          "eps=1e-5):\n    y, m, v = _ref_bn(x, g, b, rm, rv, training, momentum, eps)\n"
          "    return (y + 1e-3 if x.ndim == 2 and x.shape[0] > 2 else y), m, v\n",
}


@pytest.mark.parametrize("ex", sorted(WRONG))
def test_a_failed_hidden_case_prints_its_seed_and_the_seed_replays_it(run, tmp_path, ex):
    f = tmp_path / f"{ex}.py"
    f.write_text(for_exercise(EXERCISES[ex]) + "\n" + WRONG[ex], encoding="utf-8")
    full = json.loads(run("grade", f, "--json").stdout)
    first = full["first_failure"]
    case = next(c for c in full["cases"] if c["name"] == first["case"])
    assert case["category"] != "example" and case["status"] == "fail"
    m = re.search(r"\(seed (\d+): `prep grade (.+) --seed \1` replays this case\)",
                  first["inputs"])
    assert m and m.group(2) == str(f), first["inputs"]
    r = run("grade", f, "--seed", m.group(1), "--json")
    assert r.exit_code == 1
    again = json.loads(r.stdout)
    assert again["first_failure"] == first
    assert [c["name"] for c in again["cases"]][0] == first["case"]
    assert len(again["cases"]) < len(full["cases"])
    assert any(n.startswith(f"replayed seed {m.group(1)}:") for n in again["notes"])


def test_a_replay_is_not_recorded_and_an_unknown_seed_is_a_usage_error(run, tmp_path):
    f = tmp_path / "conv.py"
    f.write_text(for_exercise(EXERCISES["conv"]) + "\n" + WRONG["conv"], encoding="utf-8")
    assert run("grade", f, "--seed", "17").exit_code == 1
    data = json.loads(run("exercises", "--json").stdout)
    assert next(e for e in data["exercises"] if e["exercise"] == "conv")["attempts"] == 0
    r = run("grade", f, "--seed", "123456789")
    assert r.exit_code == 2 and "no case of conv has seed 123456789" in r.output


@pytest.mark.parametrize("ex", sorted(EXERCISES))
def test_every_hidden_case_has_a_seed_that_gives_it_back_exactly(ex):
    cases, again = EXERCISES[ex].cases(), EXERCISES[ex].cases()  # what --seed selects from
    for c in cases:
        if c.category == "example":
            assert c.seed is None
            continue
        # a seed shared by several cases (one generator for several functions) replays them
        # all, in order: the first of them that fails is still the one that failed first
        (twin,) = [d for d in again if d.seed == c.seed and d.name == c.name]
        assert len(twin.args) == len(c.args) and all(
            np.array_equal(a, b, equal_nan=True) if isinstance(a, np.ndarray) else a == b
            for a, b in zip(c.args, twin.args)), c.name
        assert twin.kwargs.keys() == c.kwargs.keys()
