"""The import's shortcuts give what the full parse gives: inline Markdown parsed only where a
rule reads it, and the content test without a parse when the text has no links or markup."""

from pathlib import Path

from markdown_it import MarkdownIt

from prepcli.cards import notes

ROOT = Path(__file__).resolve().parent.parent
TRICKY = ["参考：[link](https://x.org)", "see https://a.b/c", "**参考**", "`code`", "li*nk*",
          "<https://x.org>", "&amp;", "\\*", "![img](a.png)", "[^1]: x", "_see_ also", "`` ` ``",
          "详情查看 https://x", "a [b][ref]\n\n[ref]: https://r", "*  *", "blog: https://b"]


def _notes() -> list[str]:
    """The bundled notes, and the corpus of other people's notes when it is there."""
    files = sorted((ROOT / "cards" / "notes").glob("*.txt"))
    files += sorted((ROOT.parent / "shared" / "corpus").glob("*.md"))
    return [p.read_text(encoding="utf-8") for p in files]


def _inline_tokens(text: str):
    return [t for t in notes._parse_blocks(text) if t.type == "inline"]


def test_lazy_children_equal_a_full_parse():
    full = MarkdownIt("commonmark").enable("table")
    texts = _notes()
    for text in texts + ["\n\n".join(TRICKY)]:
        want = [t for t in full.parse(text) if t.type == "inline"]
        got = _inline_tokens(text)
        assert len(got) == len(want)
        for g, w in zip(got, want):
            assert notes._children(g) == w.children


def test_content_shortcut_agrees_with_the_parse():
    texts = _notes()
    checked = 0
    for text in texts + ["\n\n".join(TRICKY)] + TRICKY:
        for t in _inline_tokens(text):
            slow = notes._tokens_have_content(notes._children(t))
            t.children = None
            assert notes._inline_has_content(t) == slow, t.content
            checked += 1
    assert checked > 500


def test_plain_text_shortcut_agrees_with_the_parse():
    full = MarkdownIt("commonmark").enable("table")
    lines = []
    for text in _notes() + ["\n\n".join(TRICKY)]:
        for t in _inline_tokens(text):
            slow = notes._plain_tokens(notes._children(t))
            t.children = None
            assert notes._plain(t) == slow, t.content
            lines += t.content.split("\n")
    for ln in lines + ["  lead and trail  ", " 3.1 what？ ", "a  b"]:
        inline = full.parseInline(ln)
        assert notes._plain(inline[0]) == notes._plain_tokens(inline[0].children), ln
