"""Grading needs Linux: elsewhere `prep grade` and `prep drill` say so, never a traceback."""

from conftest import REPO


def test_grading_elsewhere_than_linux_is_a_clear_error(run, monkeypatch):
    import sys

    monkeypatch.setattr(sys, "platform", "win32")
    for args in (("grade", REPO / "exercises" / "iou.py"), ("drill", "iou")):
        r = run(*args)
        assert r.exit_code == 2, r.output
        assert "grading runs on Linux only (this is win32)" in r.stderr and "WSL" in r.stderr
