"""Typed answers: `prep study --type` compares what was typed with the card's answer."""

import io

from prompt_toolkit.data_structures import Size
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output.vt100 import Vt100_Output

from prepcli.screens import ui
from prepcli.review.scheduler import GOOD
from prepcli.review.store import Store
from prepcli.screens.typed import compare, expected_text, marked
from studykit import T0, Clock, load, make_decks, session


def test_compare_marks_wrong_and_missing_text():
    pieces, ratio = compare("chanel  mixing!", expected_text("- **Channel** mixing."))
    assert marked(pieces, color=False) == "cha{+n+}nel mixing[-!-]{+.+}"
    assert 0.8 < ratio < 1
    assert compare("anything", "")[1] == 0
    assert marked(compare("Exactly so", "exactly so")[0], False) == "Exactly so"


def test_expected_text_drops_layout_not_content():
    assert expected_text("- 归一化：\n  (x-min)\n\n```\ncode()\n```") == "归一化： (x-min) code()"


def _typed_run(sess, *keys):
    buf = io.StringIO()
    out = Vt100_Output(buf, lambda: Size(rows=24, columns=80), term="xterm")
    with create_pipe_input() as inp:
        for k in keys:
            inp.send_text(k)
        summary = ui.run(sess, Clock(), color=False, input=inp, output=out, typed=True)
    return summary, buf.getvalue()


def test_typed_answer_through_the_study_screen(tmp_path, prep_home):
    cards = load(make_decks(tmp_path / "cards", {"d": [
        {"id": "a1", "question": "参数量?", "answer": "(K*K*Cin)*Cout"},
        {"id": "a2", "question": "Second?", "answer": "two"}]}))
    with Store(prep_home / "prep.db") as store:
        # letters that are keys elsewhere (s suspend, b bury, q quit) are typed text here;
        # enter shows the answer marked against what was typed; Ctrl-C quits
        summary, screen = _typed_run(session(cards, store, T0), "sb(K*K*Cinq)*Cout\r", "\x03")
        assert summary.reviewed == 0 and not store.flags()[0] and not store.flags()[1]
        assert "[-sb-](K*K*Cin[-q-])*Cout" in screen
        # then 3 answers Good as usual; "tw", backspace, "wo" is "two"
        summary, screen = _typed_run(session(cards, store, T0), "x\r3tw\x7fwo\r", "\x03")
        assert summary.reviewed == 1 and [r.rating for r in store.reviews()] == [GOOD]
        assert "(100% alike)" in screen


def test_a_pasted_answer_is_typed_text(tmp_path, prep_home):
    """A paste comes as one bracketed key holding the text: its line breaks made it no
    printable text, and the paste was dropped (fault hunt 33)."""
    cards = load(make_decks(tmp_path / "cards", {"d": [
        {"id": "a1", "question": "Why BN?", "answer": "stable training faster convergence"}]}))
    with Store(prep_home / "prep.db") as store:
        summary, screen = _typed_run(
            session(cards, store, T0),
            "\x1b[200~stable training\r\nfaster convergence\x1b[201~", "\r", "\x03")
        assert "(100% alike)" in screen, screen[-600:]
        assert summary.reviewed == 0  # (a paste answers nothing: its enter is a space)


def test_study_has_a_type_option(run):
    r = run("study", "--help")
    assert "--type" in r.stdout
