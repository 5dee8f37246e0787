"""The second-set exercises through the grader: the stub and its doctests, the reference
written as a user file and a loop-style solution, each known wrong convention failing and
named, an unknown bug not named; in-process (the grader's comparison and variant rule) and
end to end (the real grader and its sandbox).

Each exercise's test module provides EX, CASES, STUB, reference_source(), LOOP (a correct
loop-style solution), WRONG (variant name -> code appended to LOOP) and UNKNOWN_BUG.
"""

import importlib

import pytest

import catalogkit as kit
import test_ex_losses
import test_ex_softmax

MODULES = {"softmax": test_ex_softmax, "losses": test_ex_losses}
VARIANTS = [(ex, name) for ex, m in MODULES.items() for name in m.WRONG]


def _registered(ex, *marks):
    return pytest.param(ex, marks=[*marks, pytest.mark.skipif(
        not kit.registered(ex), reason=f"{ex} is not in the catalog table (_MODULES) yet")])


# --- in-process -------------------------------------------------------------------------

@pytest.mark.parametrize("ex", MODULES)
def test_stub_signatures_not_implemented_and_doctests_against_the_reference(ex):
    m = MODULES[ex]
    kit.assert_stub_fits(m.EX, m.STUB, m.CASES)


@pytest.mark.parametrize("ex", MODULES)
def test_loop_solution_and_reference_as_user_files_pass_every_case(ex):
    m = MODULES[ex]
    for source in (m.LOOP, m.reference_source()):
        assert kit.failures(kit.module_from(source), m.CASES) == []


@pytest.mark.parametrize("ex", MODULES)
def test_every_variant_differs_from_the_reference_on_some_case(ex):
    kit.assert_each_variant_differs(MODULES[ex].EX, MODULES[ex].CASES)


@pytest.mark.parametrize("ex,name", VARIANTS)
def test_a_file_with_a_known_variant_fails_and_the_variant_is_named(ex, name):
    m = MODULES[ex]
    assert kit.first_failure_named(m.EX, m.LOOP + m.WRONG[name], m.CASES).startswith(name)


@pytest.mark.parametrize("ex", MODULES)
def test_a_correct_file_and_an_unknown_bug_are_never_told_about_a_variant(ex):
    m = MODULES[ex]
    assert kit.first_failure_named(m.EX, m.LOOP + m.UNKNOWN_BUG, m.CASES) == ""
    kit.assert_no_variant_explains(m.EX, m.LOOP, m.CASES)


@pytest.mark.parametrize("ex", MODULES)
def test_benchmark_rows_smoke_run(ex):
    rows = importlib.import_module(f"bench.refs_{ex}").rows(quick=True)
    assert {r[0].split()[0] for r in rows} == set(MODULES[ex].EX.functions)
    assert all(t > 0 and base > 0 for _, t, _, base in rows)


# --- end to end -------------------------------------------------------------------------
# Each grade of a loop-style file takes seconds (its timing cases run in pure Python), so the
# default run grades the reference and the stub; the loop solution and the user files with a
# wrong convention, one grade each, are catalogue runs (slow, run by .ci/run).

@pytest.mark.parametrize("ex", [_registered(ex) for ex in MODULES])
def test_array_results_of_the_reference_pass(tmp_path, ex):
    """What the sandbox carries today: the reference's array results pass through the real
    grader (the floats wait for the sandbox change)."""
    m = MODULES[ex]
    report = kit.grade(tmp_path, ex, m.reference_source())
    assert [c.name for c in report.cases] == [c.name for c in m.CASES]
    assert kit.array_cases_pass(report, m.CASES) == []


@pytest.mark.parametrize("ex", [_registered(ex) for ex in MODULES])
def test_reference_passes_and_stub_is_not_implemented(tmp_path, ex):
    m = MODULES[ex]
    report = kit.grade(tmp_path, ex, m.reference_source())
    assert report.passed and report.cases_passed == len(report.cases) == len(m.CASES), \
        report.first_failure
    report = kit.grade(tmp_path, ex, m.STUB.read_text(encoding="utf-8"))
    assert report.exit_code == 1 and set(report.parts.values()) == {"not implemented"}


@pytest.mark.slow
@pytest.mark.parametrize("ex", [_registered(ex) for ex in MODULES])
def test_loop_solution_passes(tmp_path, ex):
    report = kit.grade(tmp_path, ex, MODULES[ex].LOOP)
    assert report.passed and report.cases_passed == len(report.cases), report.first_failure


@pytest.mark.slow
@pytest.mark.parametrize("ex,name", VARIANTS)
def test_each_variant_fails_and_is_named(tmp_path, ex, name):
    report = kit.grade(tmp_path, ex, MODULES[ex].LOOP + MODULES[ex].WRONG[name])
    assert report.exit_code == 1
    assert report.first_failure.variant.startswith(name), report.first_failure


@pytest.mark.slow
@pytest.mark.parametrize("ex", [_registered(ex) for ex in MODULES])
def test_an_unknown_bug_is_not_named(tmp_path, ex):
    report = kit.grade(tmp_path, ex, MODULES[ex].LOOP + MODULES[ex].UNKNOWN_BUG)
    assert report.exit_code == 1 and report.first_failure.variant == ""
