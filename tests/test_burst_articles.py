"""The shortcuts extraction takes for speed give the answers of the slow paths."""

from __future__ import annotations

import codecs

import pytest

from watcher.articles import (
    MAX_ELEMENTS,
    MAX_INLINE_RUN,
    _decode,
    _tree,
    decode_html,
    extract_page,
    page_garbage_share,
)
from watcher.text import garbage_share


def test_page_garbage_share_counts_every_character_as_garbage_share_does() -> None:
    for c in range(0x110000):
        ch = chr(c)
        assert page_garbage_share(ch) == garbage_share(ch), hex(c)


@pytest.mark.parametrize("text", [
    "", "plain text", "tab\tand\nnewline\r\n", "\x00\x01 binary \x7f\x1b[31m",
    "caf\u00e9 \u2019quoted\u2019 \ufffd\ufffd \u00a0", "lone \ud800 surrogate",
    "\u4e2d\u6587 \U0001f600 " * 1000, "x" * 299_999 + "\x00", "\x00" + "y" * 400_000,
])
def test_page_garbage_share_equals_garbage_share(text: str) -> None:
    assert page_garbage_share(text) == garbage_share(text)


@pytest.mark.parametrize("data,encoding", [
    ("caf\u00e9 ".encode() * 100, "utf-8"),
    ("caf\u00e9 ".encode() * 100 + "\u00e9".encode()[:1], "utf-8"),   # cut by the cap
    (b"\xff\xfe not utf-8", "utf-8"),
    ("\u00e9t\u00e9".encode("cp1252"), "cp1252"),
    (b"abc", "no-such-codec"),
])
def test_decode_answers_as_the_incremental_decoder(data: bytes, encoding: str) -> None:
    try:
        expected: str | None = codecs.getincrementaldecoder(encoding)("strict").decode(
            data, final=False)
    except (LookupError, UnicodeDecodeError):
        expected = None
    assert _decode(data, encoding) == expected


def test_tree_refuses_too_many_elements_and_flattens_inline_runs() -> None:
    tree, problem = _tree("<html><body>" + "<p>x</p>" * (MAX_ELEMENTS + 1) + "</body></html>")
    assert tree is None and problem and "elements" in problem
    runs = "<span>a</span>" * (MAX_INLINE_RUN + 1)
    tree, problem = _tree(f"<html><body><p>{runs}</p><div>{'<div>b</div>' * 400}</div>"
                          "</body></html>")
    assert problem is None and tree is not None
    assert not tree.xpath("//span")                 # the run was flattened
    assert len(tree.xpath("//div/div")) == 400     # block children are kept
    at_limit = "<span>a</span>" * MAX_INLINE_RUN
    tree, problem = _tree(f"<html><body><p>{at_limit}</p></body></html>")
    assert tree is not None and len(tree.xpath("//span")) == MAX_INLINE_RUN   # kept


def test_ascii_page_still_refused_when_binary() -> None:
    page = extract_page(b"<html><body>" + bytes(range(32)) * 500 + b"</body></html>",
                        "http://example.org/a")
    assert page.text == "" and page.problem and "binary or garbled" in page.problem
    assert decode_html(b"\xef\xbb\xbfok")[0] == "ok"
