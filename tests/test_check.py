"""`prep check`: each problem as file:line: message, exit 1, the other decks still load."""

from conftest import REPO
from prepcli.catalog import EXERCISES

GOOD = """deck: Good
cards:
- id: g1
  question: What is NMS?
  answer: Greedy suppression.
- id: g2
  kind: prompt
  question: What is Soft-NMS?
  answer: ''
"""


def write(d, name, text):
    d.mkdir(exist_ok=True)
    (d / name).write_text(text, encoding="utf-8")
    return str(d / name)


def test_bundled_and_repo_decks_are_clean(run):
    r = run("check", REPO / "cards")
    assert r.exit_code == 0, r.output
    assert r.stdout.strip() == "ok: 5 decks, 162 cards, no problems"


def test_each_problem_has_file_line_and_message(run, tmp_path):
    d = tmp_path / "decks"
    good = write(d, "a_good.yaml", GOOD)
    bad = write(d, "b_bad.yaml", """deck: Bad
cards:
- id: b1
  question: Fine card
  answer: Fine answer
- id: b2
  question: Misspelt key
  anwser: oops
- id: b3
  question: ''
  answer: no question
- id: b4
  question: Empty answer on a qa card
  answer: ''
- id: g1
  question: Same id as in a_good.yaml
  answer: dup
- id: b6
  question: Bad kind
  answer: x
  kind: flashcard
- id: b7
  question: Unknown exercise
  answer: x
  exercise: fft
""")
    broken = write(d, "c_broken.yaml", "deck: Broken\ncards:\n- id: x\n  question: [unclosed\n")
    r = run("check", d)
    assert r.exit_code == 1
    err = r.stderr.splitlines()
    assert f"{bad}:8: unknown card key `anwser` (allowed: answer, exercise, id, kind, question, source, tags)" in err
    assert f"{bad}:6: card b2: empty answer on a qa card (write one, or mark it `kind: prompt`)" in err
    assert f"{bad}:10: card b3: missing `question`" in err
    assert f"{bad}:14: card b4: empty answer on a qa card (write one, or mark it `kind: prompt`)" in err
    assert f"{bad}:15: duplicate card id 'g1' (first at {good}:3)" in err
    assert f"{bad}:21: card b6: `kind` must be qa or prompt, not 'flashcard'" in err
    known = ", ".join(sorted(EXERCISES))
    assert f"{bad}:25: card b7: unknown exercise 'fft' (known: {known})" in err
    assert any(line.startswith(f"{broken}:5: YAML syntax:") for line in err), err
    # 2 good + 1 good card in the bad deck load; the broken file loads nothing
    assert err[-1] == f"error: 8 problem(s) in {d}; 3 cards in 2 deck(s) still load"
    assert "Traceback" not in r.output


def test_deck_level_problems(run, tmp_path):
    d = tmp_path / "decks"
    f = write(d, "x.yaml", "name: oops\ncards: 3\n")
    r = run("check", d)
    assert r.exit_code == 1
    assert f"{f}:1: unknown deck key `name` (allowed: cards, deck, description, notes)" in r.stderr
    assert f"{f}:1: missing `deck:` (the deck's display name)" in r.stderr
    assert f"{f}:2: missing `cards:` (a list of cards)" in r.stderr


def test_usage_errors_exit_2(run, tmp_path):
    r = run("check", tmp_path / "nope")
    assert r.exit_code == 2 and f"error: no such deck directory: {tmp_path / 'nope'}" in r.stderr
    (tmp_path / "empty").mkdir()
    r = run("check", tmp_path / "empty")
    assert r.exit_code == 1 and "no deck files (*.yaml)" in r.stderr


def test_a_question_of_the_wrong_type_and_an_unprintable_id_are_named(run, tmp_path):
    # `question: [a, b]` was "missing `question`"; an id holding a NUL passed (helper 82)
    d = tmp_path / "decks"
    bad = write(d, "a.yaml", 'deck: A\ncards:\n- id: a1\n  question: [x, y]\n  answer: A\n'
                             '- id: "nul\\0id"\n  question: Q\n  answer: A\n'
                             '- id: 5\n  question: Q5\n  answer: A\n')
    r = run("check", d)
    assert r.exit_code == 1
    err = r.stderr.splitlines()
    assert f"{bad}:4: card a1: `question` must be text, not list" in err
    assert f"{bad}:6: card id 'nul\\x00id': an id is one line of printable text" in err
    assert err[-1] == f"error: 2 problem(s) in {d}; 1 cards in 1 deck(s) still load"
