"""OPML import/export and the comment-preserving edits of the feeds config."""

from __future__ import annotations

import difflib
import tomllib
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from watcher.config_edit import add_feeds, remove_feed
from watcher.errors import ConfigError
from watcher.opml import OutlineFeed, parse_opml, render_opml

# --------------------------------------------------------------------------- fixtures

NESTED_OPML = b"""<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head><title>Reader export</title></head>
  <body>
    <outline text="Korea">
      <outline text="Wires">
        <outline type="rss" text="Wire one" xmlUrl="https://wire-one.example/feed.xml"
                 htmlUrl="https://wire-one.example/"/>
      </outline>
      <outline type="atom" title="Peninsula desk" text="ignored text"
               xmlUrl="https://desk.example/atom" category="/analysis/russia,front"/>
    </outline>
    <outline text="Loose feed" xmlUrl="http://loose.example/rss"/>
    <outline text="Elsewhere">
      <outline type="rss" text="Wire one again" xmlUrl=" https://wire-one.example/feed.xml/ "/>
    </outline>
  </body>
</opml>
"""

OPML_1_0 = b"""<?xml version="1.0" encoding="ISO-8859-1"?>
<opml version="1.0">
  <head><title>Old style list</title><ownerName>Somebody</ownerName></head>
  <body>
    <outline text="Kursk front r\xe9sum\xe9" type="rss" xmlurl="https://front.example/index.rss"/>
    <outline title="No text attribute" xmlUrl="https://second.example/rss.xml"/>
  </body>
</opml>
"""

BAD_SCHEMES_OPML = b"""<opml version="2.0"><head/><body>
  <outline type="rss" text="local file" xmlUrl="file:///etc/passwd"/>
  <outline type="rss" text="script" xmlUrl="javascript:alert(1)"/>
  <outline type="rss" text="ftp" xmlUrl="ftp://files.example/feed.xml"/>
  <outline type="link" text="a web page" xmlUrl="https://page.example/"/>
  <outline type="rss" text="blank" xmlUrl="  "/>
  <outline type="rss" text="good one" xmlUrl="https://good.example/rss"/>
</body></opml>
"""

ENTITY_OPML = """<?xml version="1.0"?>
<!DOCTYPE opml [
  <!ENTITY boom "boomboomboomboom">
  <!ENTITY bigger "&boom;&boom;&boom;&boom;">
]>
<opml version="2.0"><head/><body>
  <outline type="rss" text="&bigger;" xmlUrl="https://x.example/rss"/>
</body></opml>
"""

CONFIG_TEXT = """\
# watcher configuration - edited by hand, keep the notes
[daemon]
poll = "5m"   # how often the scheduler wakes

# Feeds we follow. Order matters for the report.
[[feeds]]
url = "https://first.example/rss"  # the main wire
name = "First"
interval = "30m"

[[feeds]]
# this one is slow to update
url = "https://second.example/feed/"
tags = ["korea"]

# Where observations are kept
[store]
path = "watcher.db"
"""


def _only_insertions(before: str, after: str) -> bool:
    """True when `after` is `before` with lines added and none changed, removed or moved."""
    matcher = difflib.SequenceMatcher(
        a=before.splitlines(keepends=True), b=after.splitlines(keepends=True), autojunk=False
    )
    return all(tag in ("equal", "insert") for tag, *_ in matcher.get_opcodes())


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "watcher.toml"
    path.write_text(text, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- OPML parsing


def test_nested_categories_become_tags_and_duplicates_merge() -> None:
    result = parse_opml(NESTED_OPML)
    assert [feed.url for feed in result.feeds] == [
        "https://wire-one.example/feed.xml",
        "https://desk.example/atom",
        "http://loose.example/rss",
    ]
    wire, desk, loose = result.feeds
    assert wire.name == "Wire one"
    assert wire.site_url == "https://wire-one.example/"
    # The second copy of wire one lives under "Elsewhere": its tags are merged into the first.
    assert wire.tags == ("Korea", "Wires", "Elsewhere")
    assert desk.name == "Peninsula desk"  # title wins over text
    assert desk.tags == ("Korea", "analysis", "russia", "front")
    assert loose == OutlineFeed("http://loose.example/rss", "Loose feed", (), None)
    assert [url for url, _ in result.skipped] == ["https://wire-one.example/feed.xml/"]
    assert "duplicate" in result.skipped[0][1]


def test_opml_1_0_sample_with_latin1_and_missing_type() -> None:
    result = parse_opml(OPML_1_0)
    assert result.feeds == [
        OutlineFeed("https://front.example/index.rss", "Kursk front résumé"),
        OutlineFeed("https://second.example/rss.xml", "No text attribute"),
    ]
    assert result.skipped == []


def test_non_http_urls_and_non_feed_outlines_are_skipped_and_reported() -> None:
    result = parse_opml(BAD_SCHEMES_OPML)
    assert [feed.url for feed in result.feeds] == ["https://good.example/rss"]
    reasons = dict(result.skipped)
    assert set(reasons) == {
        "file:///etc/passwd",
        "javascript:alert(1)",
        "ftp://files.example/feed.xml",
        "https://page.example/",
        "blank",
    }
    assert "http" in reasons["file:///etc/passwd"]
    assert "link" in reasons["https://page.example/"]
    assert "empty" in reasons["blank"]


@pytest.mark.parametrize(
    "encoding", ["utf-8", "utf-16", "utf-16-le", "utf-16-be", "utf-32"], ids=str
)
def test_entity_declarations_are_refused_in_any_encoding(encoding: str) -> None:
    text = ENTITY_OPML
    if encoding != "utf-8":
        text = text.replace('<?xml version="1.0"?>', f'<?xml version="1.0" encoding="{encoding}"?>')
    with pytest.raises(ConfigError, match="entit") as info:
        parse_opml(text.encode(encoding), source="import.opml")
    assert info.value.path == "import.opml"


def test_entity_declaration_is_refused_before_parsing() -> None:
    # Broken XML, so only the byte scan (not the parser) can spot the declaration.
    data = '<!DOCTYPE opml [<!ENTITY a "b">]><opml><body'.encode("utf-16-be")
    with pytest.raises(ConfigError, match="entit"):
        parse_opml(data)


def test_plain_doctype_without_entities_is_fine() -> None:
    data = b'<!DOCTYPE opml><opml version="2.0"><head/><body/></opml>'
    assert parse_opml(data).feeds == []


def test_external_doctype_is_not_fetched_or_loaded() -> None:
    data = (
        b'<?xml version="1.0"?>\n<!DOCTYPE opml SYSTEM "file:///nonexistent/evil.dtd">\n'
        b'<opml version="2.0"><head/><body>'
        b'<outline type="rss" text="ok" xmlUrl="https://ok.example/rss"/></body></opml>'
    )
    assert [feed.url for feed in parse_opml(data).feeds] == ["https://ok.example/rss"]


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"", "XML"),
        (b"this is not markup at all", "XML"),
        (b"<opml><body><outline text='x'></body></opml>", "XML"),
        (b"<rss version='2.0'><channel/></rss>", "OPML"),
        (b"<opml version='2.0'><head><title>t</title></head></opml>", "body"),
    ],
    ids=["empty", "text", "unclosed", "rss-not-opml", "no-body"],
)
def test_unreadable_opml_raises_config_error(data: bytes, fragment: str) -> None:
    with pytest.raises(ConfigError, match=fragment) as info:
        parse_opml(data, source="feeds.opml")
    assert str(info.value).startswith("feeds.opml: ")


# --------------------------------------------------------------------------- OPML rendering


def test_round_trip_with_awkward_characters() -> None:
    feeds = [
        OutlineFeed(
            "https://a.example/rss?x=1&y=2",
            'Tom & "Jerry" <news>',
            ("korea", "wires"),
            "https://a.example/",
        ),
        OutlineFeed("http://b.example/feed", None, (), None),
        OutlineFeed("https://c.example/atom", "Κурск 쿠르스크", ("러시아",), None),
    ]
    created = datetime(2025, 1, 15, 9, 30, tzinfo=UTC)
    text = render_opml(feeds, title="Mine & yours", created=created)
    assert 'xmlUrl="https://a.example/rss?x=1&amp;y=2"' in text
    assert "<title>Mine &amp; yours</title>" in text
    assert "<dateCreated>Wed, 15 Jan 2025 09:30:00 GMT</dateCreated>" in text
    assert 'category="korea,wires"' in text
    assert parse_opml(text.encode()).feeds == feeds


def test_render_defaults_to_current_rfc822_date() -> None:
    text = render_opml([])
    start = text.index("<dateCreated>") + len("<dateCreated>")
    stamp = parsedate_to_datetime(text[start : text.index("</dateCreated>")])
    assert abs((datetime.now(UTC) - stamp).total_seconds()) < 300
    assert parse_opml(text.encode()).feeds == []


_word = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs", "Cc", "Zs", "Zl", "Zp"), blacklist_characters=",/"
    ),
    min_size=1,
    max_size=12,
)
_feed = st.builds(
    OutlineFeed,
    url=st.from_regex(r"https://[a-z]{1,10}\.example/[a-z0-9]{0,8}\.xml", fullmatch=True),
    name=st.none() | _word,
    tags=st.lists(_word, max_size=3, unique=True).map(tuple),
    site_url=st.none() | st.just("https://site.example/"),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(_feed, max_size=6, unique_by=lambda feed: feed.url))
def test_round_trip_property(feeds: list[OutlineFeed]) -> None:
    assert parse_opml(render_opml(feeds).encode()).feeds == feeds


# --------------------------------------------------------------------------- config edits


def test_add_feeds_keeps_every_comment_and_skips_duplicates(tmp_path: Path) -> None:
    path = _write(tmp_path, CONFIG_TEXT)
    added = add_feeds(
        path,
        [
            OutlineFeed("https://first.example/rss/", "dup with slash"),
            OutlineFeed("  https://second.example/feed  "),
            OutlineFeed("https://third.example/atom", "Third", ("korea", "front")),
            {"url": "https://fourth.example/rss", "interval": "2h"},
            {"url": "https://third.example/atom/"},
        ],
        interval="1h",
    )
    assert added == ["https://third.example/atom", "https://fourth.example/rss"]
    after = path.read_text(encoding="utf-8")
    assert _only_insertions(CONFIG_TEXT, after)
    # The comment that introduces [store] still sits right above it.
    assert "# Where observations are kept\n[store]\n" in after
    parsed = tomllib.loads(after)
    assert [feed["url"] for feed in parsed["feeds"]] == [
        "https://first.example/rss",
        "https://second.example/feed/",
        "https://third.example/atom",
        "https://fourth.example/rss",
    ]
    assert parsed["feeds"][2] == {
        "url": "https://third.example/atom",
        "name": "Third",
        "interval": "1h",
        "tags": ["korea", "front"],
    }
    assert parsed["feeds"][3] == {"url": "https://fourth.example/rss", "interval": "2h"}
    assert parsed["store"] == {"path": "watcher.db"}
    assert [p.name for p in tmp_path.iterdir()] == ["watcher.toml"]  # no temp files left


def test_add_feeds_only_writes_keys_that_are_set(tmp_path: Path) -> None:
    path = _write(tmp_path, "# nothing yet\n")
    assert add_feeds(path, [OutlineFeed("https://bare.example/rss")]) == [
        "https://bare.example/rss"
    ]
    after = path.read_text(encoding="utf-8")
    assert after.startswith("# nothing yet\n")
    assert tomllib.loads(after) == {"feeds": [{"url": "https://bare.example/rss"}]}


def test_add_feeds_with_nothing_new_leaves_file_untouched(tmp_path: Path) -> None:
    path = _write(tmp_path, CONFIG_TEXT)
    before = path.stat().st_mtime_ns
    assert add_feeds(path, [{"url": "https://FIRST.example/rss"}]) == []
    assert path.read_text(encoding="utf-8") == CONFIG_TEXT
    assert path.stat().st_mtime_ns == before


def test_add_feeds_without_feeds_section(tmp_path: Path) -> None:
    original = '# daemon only\n[daemon]\npoll = "5m"  # keep me'
    path = _write(tmp_path, original)
    assert add_feeds(path, [OutlineFeed("https://one.example/rss", "One")]) == [
        "https://one.example/rss"
    ]
    after = path.read_text(encoding="utf-8")
    assert after.startswith(original)
    assert tomllib.loads(after)["feeds"] == [{"url": "https://one.example/rss", "name": "One"}]


def test_add_feeds_into_inline_empty_array(tmp_path: Path) -> None:
    original = 'title = "mine"\nfeeds = []  # filled in later\n\n[daemon]\npoll = "1h"\n'
    path = _write(tmp_path, original)
    added = add_feeds(path, [OutlineFeed("https://a.example/rss"), {"url": "https://b.example/"}])
    assert added == ["https://a.example/rss", "https://b.example/"]
    after = path.read_text(encoding="utf-8")
    assert "# filled in later" in after
    assert after.endswith('\n\n[daemon]\npoll = "1h"\n')
    parsed = tomllib.loads(after)
    assert parsed["feeds"] == [{"url": "https://a.example/rss"}, {"url": "https://b.example/"}]
    assert parsed["daemon"] == {"poll": "1h"}


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("[[feeds]\nurl = 1\n", "not valid TOML"),
        ('feeds = "https://x.example/"\n', "array of tables"),
        ("[feeds]\nurl = 'https://x.example/'\n", "array of tables"),
    ],
    ids=["broken", "string", "plain-table"],
)
def test_add_feeds_rejects_unusable_config(tmp_path: Path, text: str, fragment: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(ConfigError, match=fragment):
        add_feeds(path, [OutlineFeed("https://x.example/rss")])
    assert path.read_text(encoding="utf-8") == text


def test_add_feeds_when_feeds_are_split_by_other_tables(tmp_path: Path) -> None:
    # tomlkit would regroup these tables; the new entry must go at the end instead.
    original = (
        '[[feeds]]\nurl = "https://a.example/rss"\n\n[store]\npath = "w.db"\n\n'
        '[[feeds]]\nurl = "https://b.example/rss"\n# closing note'
    )
    path = _write(tmp_path, original)
    assert add_feeds(path, [{"url": "https://c.example/rss"}]) == ["https://c.example/rss"]
    after = path.read_text(encoding="utf-8")
    assert after.startswith(original + "\n")
    assert [feed["url"] for feed in tomllib.loads(after)["feeds"]] == [
        "https://a.example/rss",
        "https://b.example/rss",
        "https://c.example/rss",
    ]
    with pytest.raises(ConfigError, match="by hand"):
        remove_feed(path, "https://a.example/rss")
    assert path.read_text(encoding="utf-8") == after


def test_windows_line_endings_are_kept(tmp_path: Path) -> None:
    original = b'# crlf\r\n[[feeds]]\r\nurl = "https://a.example/"\r\n\r\n[store]\r\np = 1\r\n'
    path = tmp_path / "watcher.toml"
    path.write_bytes(original)
    assert add_feeds(path, [{"url": "https://b.example/", "name": "B"}])
    assert remove_feed(path, "https://a.example/")
    after = path.read_bytes()
    assert b"\n" not in after.replace(b"\r\n", b"")
    assert tomllib.loads(after.decode())["feeds"] == [{"url": "https://b.example/", "name": "B"}]


def test_add_feeds_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found") as info:
        add_feeds(tmp_path / "absent.toml", [OutlineFeed("https://x.example/rss")])
    assert info.value.path.endswith("absent.toml")


@pytest.mark.parametrize(
    "feed",
    [
        {"url": "file:///etc/passwd"},
        {"url": "https://x.example/", "colour": "red"},
        {"url": "https://x.example/", "interval": "soon"},
        {"url": "https://x.example/", "interval": "0m"},
        {"url": "https://x.example/", "tags": "korea"},
    ],
    ids=["scheme", "unknown-key", "interval", "zero-interval", "tags-string"],
)
def test_add_feeds_rejects_bad_entries_without_writing(
    tmp_path: Path, feed: dict[str, object]
) -> None:
    path = _write(tmp_path, CONFIG_TEXT)
    with pytest.raises(ConfigError):
        add_feeds(path, [feed])
    assert path.read_text(encoding="utf-8") == CONFIG_TEXT


def test_opml_import_into_config(tmp_path: Path) -> None:
    path = _write(tmp_path, CONFIG_TEXT)
    added = add_feeds(path, parse_opml(NESTED_OPML).feeds, interval="2h")
    assert added == [
        "https://wire-one.example/feed.xml",
        "https://desk.example/atom",
        "http://loose.example/rss",
    ]
    parsed = tomllib.loads(path.read_text(encoding="utf-8"))
    assert parsed["feeds"][2]["tags"] == ["Korea", "Wires", "Elsewhere"]
    assert "site_url" not in parsed["feeds"][2]


# --------------------------------------------------------------------------- remove_feed


def test_remove_feed_keeps_comments(tmp_path: Path) -> None:
    path = _write(tmp_path, CONFIG_TEXT)
    assert remove_feed(path, "https://second.example/feed") is True
    after = path.read_text(encoding="utf-8")
    removed = [
        line
        for line in CONFIG_TEXT.splitlines()
        if line not in after.splitlines()
    ]
    assert removed == [
        "# this one is slow to update",
        'url = "https://second.example/feed/"',
        'tags = ["korea"]',
    ]
    assert "# Where observations are kept\n[store]\n" in after
    assert [feed["url"] for feed in tomllib.loads(after)["feeds"]] == [
        "https://first.example/rss"
    ]


def test_remove_feed_unknown_url_changes_nothing(tmp_path: Path) -> None:
    path = _write(tmp_path, CONFIG_TEXT)
    assert remove_feed(path, "https://nowhere.example/") is False
    assert path.read_text(encoding="utf-8") == CONFIG_TEXT


def test_remove_last_feed_drops_the_key_but_not_the_comments(tmp_path: Path) -> None:
    path = _write(tmp_path, CONFIG_TEXT)
    assert remove_feed(path, "https://first.example/rss")
    assert remove_feed(path, "https://second.example/feed/")
    after = path.read_text(encoding="utf-8")
    assert "feeds" not in tomllib.loads(after)
    assert "# Feeds we follow. Order matters for the report." in after
    assert "# Where observations are kept\n[store]\n" in after
    assert after.startswith(
        '# watcher configuration - edited by hand, keep the notes\n[daemon]\npoll = "5m"'
    )
    # And the file can take feeds again afterwards.
    assert add_feeds(path, [OutlineFeed("https://back.example/rss")])
    assert tomllib.loads(path.read_text(encoding="utf-8"))["feeds"] == [
        {"url": "https://back.example/rss"}
    ]


@pytest.mark.parametrize("url", ["https://a.example/", "https://b.example/"])
def test_remove_feed_without_a_table_above_keeps_comments(tmp_path: Path, url: str) -> None:
    original = (
        '# top note\nlabel = "mine"\n\n'
        '[[feeds]]\nurl = "https://a.example/"\n\n'
        "# b reports from the front\n"
        '[[feeds]]\nurl = "https://b.example/"\n\n'
        "# where data lives\n[store]\npath = 'w.db'\n"
    )
    path = _write(tmp_path, original)
    assert remove_feed(path, url)
    after = path.read_text(encoding="utf-8")
    kept = [line for line in original.splitlines() if line.startswith("#")]
    assert [line for line in after.splitlines() if line.startswith("#")] == kept
    assert "# b reports from the front\n[[feeds]]" in after or url.startswith("https://b")
    assert "# where data lives\n[store]" in after
    remaining = [feed["url"] for feed in tomllib.loads(after)["feeds"]]
    assert remaining == [u for u in ("https://a.example/", "https://b.example/") if u != url]
    assert remove_feed(path, remaining[0])
    final = path.read_text(encoding="utf-8")
    assert [line for line in final.splitlines() if line.startswith("#")] == kept
    assert "feeds" not in tomllib.loads(final)
    assert "# where data lives\n[store]" in final


def test_remove_feed_from_inline_array(tmp_path: Path) -> None:
    original = (
        "feeds = [\n"
        '  {url = "https://a.example/rss"},  # first\n'
        '  {url = "https://b.example/rss"},  # second\n'
        "]\n"
    )
    path = _write(tmp_path, original)
    assert remove_feed(path, "https://a.example/rss/")
    after = path.read_text(encoding="utf-8")
    assert tomllib.loads(after)["feeds"] == [{"url": "https://b.example/rss"}]
    assert "# second" in after


def test_remove_feed_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        remove_feed(tmp_path / "absent.toml", "https://x.example/")
