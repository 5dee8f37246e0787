"""A note that is already a deck of flashcards (`---`-separated blocks: a card's id, its
front, its back, as Mochi keeps decks in Markdown)."""
import re

import pytest

from prepcli.cards import flashdeck
from prepcli.cards.notes import parse_note

DECK = """---
card_id: aB3dE5fG
---
What is a **residual connection**?
---
A skip path: `output = F(x) + x`.
---
card_id: Hh7Jk9Lm
---
When should you use one?
---
When:
- very deep networks
- vanishing gradients
---
card_id: Nn1Pp2Qq
tags: [resnet]
---
What does this print?

```python
print("---")
```
---
`---` inside code is no separator.
---
card_id: Rr3Ss4Tt
---
What is the degradation problem?
"""


def test_a_deck_of_flashcards_is_read_as_its_cards():
    # seen in a deck nobody here wrote: 51 cards in this format gave 41 questions as empty
    # prompts and 55 false cards (`card_id: …` as questions, answers as questions): to
    # CommonMark each block is a heading underlined by the next `---`
    parsed = parse_note(DECK)
    assert [(d.question, d.answer, d.kind, d.line) for d in parsed.drafts] == [
        ("What is a residual connection?", "A skip path: `output = F(x) + x`.", "qa", 4),
        ("When should you use one?", "When:\n- very deep networks\n- vanishing gradients",
         "qa", 10),
        ('What does this print?\n\n```python\nprint("---")\n```',
         "`---` inside code is no separator.", "qa", 19),
        ("What is the degradation problem?", "", "prompt", 29)]


@pytest.mark.parametrize("text", [
    # (two cards: too few to say the note is a deck)
    "---\ncard_id: a1\n---\nQ1?\n---\nA1\n---\ncard_id: a2\n---\nQ2?\n---\nA2\n",
    # (a block that is no card's part: a note with rules between its sections)
    DECK.replace("When should you use one?\n---\n", "When should you use one?\n---\nAn aside\n---\n"),
    # (a note without ids: its `---` are rules)
    "## Q1?\n\nA1\n\n---\n\n## Q2?\n\nA2\n\n---\n\n## Q3?\n\nA3\n"])
def test_other_notes_are_no_deck(text):
    assert flashdeck.cards(text.split("\n")) is None


def test_card_id_lines_are_found_as_by_a_multiline_regex():
    # notes._has_card_ids is a faster form of this regex: the same answer on every text
    import random

    from prepcli.cards.notes import _has_card_ids

    old = re.compile(r"^(?:card[_-]?id|id)\s*:", re.MULTILINE | re.IGNORECASE)
    pieces = ["id", "ID", "Id", "card", "CARD", "_", "-", ":", " ", "\t", "\n", "\r", "x",
              "\u2028", "\x85", "\u0130", "\u0131", "i", "d", "card_id", "cardid"]
    rnd = random.Random(7)
    texts = ["".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 12)))
             for _ in range(20000)]
    found = 0
    for t in texts:
        assert _has_card_ids(t) == bool(old.search(t)), repr(t)
        found += _has_card_ids(t)
    assert 100 < found < 19900  # (both answers are tried many times)


# ankdown's format (dzackgarza/Math-Flashcards, held-out set 76): a card a block, its front,
# `%`, its back, `%`, its tags. Read as sections, each front was a heading underlined by the
# `---` after the tags, and the deck gave no card at all.
ANKDOWN = """Rouche
%
If $f$ and $g$ are holomorphic with
\\[
\\abs{f-g} < \\abs{f} + \\abs{g}
,\\]
then they have as many zeros.

%
theorem
---

Cauchy Inequalities
%
\\[
\\abs{f^{(n)} (z_0) \\over n!} \\leq R^{-n} \\sup \\abs{f(z)}
.\\]
%
formula, theorem
---

What is a residual connection?
%
A skip path: `output = F(x) + x`.

```python
print("---")
```
---
Cross-ratio map
%
"""


def test_an_ankdown_deck_is_read_as_its_cards():
    drafts = parse_note(ANKDOWN).drafts
    assert [(d.question, d.line, d.tags, d.kind) for d in drafts] == [
        ("Rouche", 1, ["theorem"], "qa"), ("Cauchy Inequalities", 13, ["formula", "theorem"], "qa"),
        ("What is a residual connection?", 22, [], "qa"), ("Cross-ratio map", 30, [], "prompt")]
    assert drafts[0].answer == ("If $f$ and $g$ are holomorphic with\n\\[\n\\abs{f-g} < \\abs{f} + "
                                "\\abs{g}\n,\\]\nthen they have as many zeros.")
    assert drafts[2].answer.endswith('```python\nprint("---")\n```')


@pytest.mark.parametrize("text", [
    ANKDOWN.replace("---\nCross-ratio map", "---\nSome text of my own.\n---\nCross-ratio map"),
    # (a block that is no card, after the first card)
    "# Notes\n\nA\n%\nB\n---\nC\n%\nD\n"])  # two cards only
def test_notes_with_percent_lines_that_are_no_ankdown_deck_are_read_as_notes(text):
    assert flashdeck.percent_cards(text.split("\n")) is None


def test_an_ankdown_decks_percent_in_code_or_maths_is_theirs():
    # fault hunt 30: a `%` line in a code fence or a `$$` formula (a comment) was read as the
    # tags' separator: the closing fence or `$$` became a tag and was lost
    deck = ("What is the softmax?\n%\n$$\n\\sigma(z)_i\n%\n$$\n---\nWhat is the Matlab comment?\n%\n"
            "```matlab\nx = 1;\n%\n```\n%\nmatlab\n---\nWhat is clc?\n%\nClears it.\n")
    drafts = parse_note(deck).drafts
    assert [(d.question, d.answer, d.tags) for d in drafts] == [
        ("What is the softmax?", "$$\n\\sigma(z)_i\n%\n$$", []),
        ("What is the Matlab comment?", "```matlab\nx = 1;\n%\n```", ["matlab"]),
        ("What is clc?", "Clears it.", [])]
    # (a Matlab note whose fences open with `%`, its sections between rules: no deck)
    note = "".join(f"## Step {k}\nText.\n```matlab\n%\nx = {k};\n```\n---\n" for k in range(3))
    assert flashdeck.percent_cards(note.split("\n")) is None


def test_an_ankdown_deck_with_an_introduction_or_front_matter():
    # fault hunt 30: a deck with a first block that is no card was no deck: one card of its
    # introduction, or none at all under a front matter
    cards = "".join(f"---\nWhat is {w}?\n%\nIt is {w}.\n%\nactivations\n" for w in ("ReLU", "tanh", "GELU"))
    for head in ("# My activation deck\n", "---\ntitle: acts\n"):
        parsed = parse_note(head + cards)
        assert [d.question for d in parsed.drafts] == ["What is ReLU?", "What is tanh?", "What is GELU?"]
        assert [s.reason for s in parsed.skipped] == ["the deck's introduction (before its first card)"]


def test_a_sentence_after_an_ankdown_cards_second_percent_is_more_of_its_back():
    # fault hunt 30: `See the Bishop book, chapter 4, for more.` became three tags
    deck = ("What is the sigmoid?\n%\nA squashing function.\n%\nSee the Bishop book, chapter 4, for more.\n"
            + "".join(f"---\nWhat is {w}?\n%\nIt is {w}.\n%\nactivations\n" for w in ("ReLU", "tanh")))
    first = parse_note(deck).drafts[0]
    assert (first.answer, first.tags) == (
        "A squashing function.\n\nSee the Bishop book, chapter 4, for more.", [])


def test_an_ankdown_deck_after_front_matter_and_an_introduction():
    # fault hunt 31: front matter and an introduction, two blocks before the first card
    cards = "".join(f"---\nWhat is {w}?\n%\nIt is {w}.\n" for w in ("ReLU", "tanh", "GELU"))
    parsed = parse_note("---\ntitle: acts\n---\nMy deck of activations.\n" + cards)
    assert [d.question for d in parsed.drafts] == ["What is ReLU?", "What is tanh?", "What is GELU?"]
    assert [(s.line, s.reason) for s in parsed.skipped] == [
        (2, "the deck's introduction (before its first card)")]
