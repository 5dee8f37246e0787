"""Notes written to hurt the importer: it gives cards or a clear error, never a traceback,
and its time grows with the note's size, not its square (an importer-hunting helper's
inputs; each pattern here once took quadratic time in one of the parser's regexes)."""

import signal
import sys

import pytest

from prepcli.cards.notes import parse_note


@pytest.mark.parametrize("text", ["\x85\nQ: what?\nA: x\n", "\xa0\n1、+ (\nQ1. > ",
                                  "\x1c\n## Q?\n\nA.\n"])
def test_a_first_line_of_unicode_spaces_is_no_crash(text):
    # a line markdown-it reads as text and str.strip() empties was an IndexError
    parsed = parse_note(text)
    assert all(s.what for s in parsed.skipped)


# (each: the pattern, repeated to about 200 KB, where it sits in a note)
RUNS = {
    "bold then brackets": "**a**" + "[" * 200_000,  # _BOLD_ONLY: ~180 s
    "asked, then brackets": "## Questions\n\n- " + "a?(" * 66_000,  # _SAID_AFTER
    "link openings": "[a](" * 50_000,  # _CONTENT_NOISE, _LINK
    "image openings": "![" * 100_000,
    "tags never closed": "<" * 200_000,
    "summaries never closed": "<details>" + "<summary>x" * 20_000,  # _SUMMARY
    "comments never closed": "a <!--" * 33_000,  # _HTML_NOISE
    "anchors never closed": "[a](#" * 40_000,  # _ANCHOR_LINK
    "spans never closed": "x <span" * 28_000,  # notefile._SPAN
    "questions in brackets": "**Check.** Why? *(" + "a" * 200_000,  # _self_check
    "highlights never closed": "## Why" + " ==x" * 50_000,  # textnorm._HIGHLIGHT
}


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="uses SIGALRM")
@pytest.mark.parametrize("name", list(RUNS))
def test_a_long_run_of_one_pattern_takes_no_quadratic_time(name):
    # A hang guard, not a timing: 200 KB of each takes 0.01-5 s here; the quadratic versions
    # took 0.8-6 s at 40 KB, 25 times that at this size (bold then brackets: ~150 s).
    def stop(*_):
        raise TimeoutError(f"{name}: over 30 s")
    old = signal.signal(signal.SIGALRM, stop)
    signal.alarm(30)
    try:
        parse_note("# T\n\n" + RUNS[name] + "\n")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
