"""Edits to config/watcher.toml that keep the user's comments, blank lines and ordering.

The file is hand-written, so edits go through tomlkit (which keeps formatting) and only ever
add or drop whole [[feeds]] entries. Every write is checked with tomllib and then swapped in
atomically, so a crash or a bug never leaves a half-written config behind.
"""

from __future__ import annotations

import contextlib
import difflib
import os
import re
import tempfile
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import tomlkit
from tomlkit.exceptions import TOMLKitError
from tomlkit.items import AoT, Array, Comment, Item, Key, Table, Whitespace
from tomlkit.toml_document import TOMLDocument

from watcher.config import check_interval, check_url, parse_duration, read_text
from watcher.errors import ConfigError
from watcher.opml import OutlineFeed, url_key

__all__ = ["add_feeds", "remove_feed", "set_feed_enabled"]

_FEED_KEYS = ("url", "name", "interval", "tags", "enabled")
_LONE_LF_RE = re.compile(r"(?<!\r)\n")
_ENABLED_LINE_RE = re.compile(r"^\s*enabled\s*=")


def _load(config_path: Path) -> tuple[str, TOMLDocument]:
    text = read_text(config_path, missing="config file not found")
    try:
        # tomllib is the reference reader; tomlkit alone accepts a few things tomllib refuses.
        tomllib.loads(text)
        return text, tomlkit.parse(text)
    except (tomllib.TOMLDecodeError, TOMLKitError) as exc:
        raise ConfigError(config_path, None, f"not valid TOML: {exc}") from None


def _lines_kept(before: str, after: str, allowed: str) -> bool:
    """True when `after` differs from `before` only by whole lines of the `allowed` kind.

    The last guard before writing: an edit that would change or move a line the user wrote
    is refused instead of saved.
    """
    matcher = difflib.SequenceMatcher(
        a=before.splitlines(), b=after.splitlines(), autojunk=False
    )
    return all(tag in ("equal", allowed) for tag, *_ in matcher.get_opcodes())


def _match_newlines(original: str, edited: str) -> str:
    """Keep a Windows-style file Windows-style: tomlkit writes new lines with a bare LF."""
    if "\r\n" in original and _LONE_LF_RE.search(original) is None:
        return _LONE_LF_RE.sub("\r\n", edited)
    return edited


def _write_atomic(config_path: Path, text: str) -> None:
    """Temp file in the same directory, fsync, rename over: readers see old or new, never half."""
    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:  # a tomlkit bug must not corrupt the user's file
        raise ConfigError(
            config_path, None, f"edit produced invalid TOML, not written: {exc}"
        ) from None
    directory = config_path.parent
    try:
        mode = config_path.stat().st_mode & 0o7777
    except OSError:
        mode = 0o644
    fd, tmp_name = tempfile.mkstemp(dir=directory, prefix=f".{config_path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(text.encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp_name, mode)
        os.replace(tmp_name, config_path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    # Make the rename itself durable; not every platform lets a directory be opened.
    with contextlib.suppress(OSError):
        dir_fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def _feed_values(
    config_path: Path, feed: OutlineFeed | Mapping[str, Any], interval: str | None
) -> dict[str, Any]:
    """The keys to write for one feed, validated; unset keys are left out entirely."""
    if isinstance(feed, OutlineFeed):
        given: dict[str, Any] = {"url": feed.url, "name": feed.name, "tags": list(feed.tags),
                                 "interval": feed.interval, "enabled": feed.enabled}
    elif isinstance(feed, Mapping):
        unknown = sorted(str(key) for key in feed if key not in _FEED_KEYS)
        if unknown:
            raise ConfigError(
                config_path, "feeds", f"unknown feed keys {unknown}; allowed: {list(_FEED_KEYS)}"
            )
        given = dict(feed)
    else:
        raise ConfigError(config_path, "feeds", f"a feed must be a table, not {type(feed)!r}")
    url = given.get("url")
    if not isinstance(url, str):
        raise ConfigError(config_path, "feeds.url", f"{url!r} is not an http or https URL")
    problem = check_url(url.strip())
    if problem:
        raise ConfigError(config_path, "feeds.url", problem)
    values: dict[str, Any] = {"url": url.strip()}
    name = given.get("name")
    if name is not None:
        if not isinstance(name, str):
            raise ConfigError(config_path, "feeds.name", f"{name!r} is not a string")
        if name.strip():
            values["name"] = name.strip()
    every = given.get("interval", interval)
    if every is None:
        every = interval
    if every is not None:
        if not isinstance(every, str):
            raise ConfigError(config_path, "feeds.interval", "must be a string like 30m or 2h")
        try:
            seconds = parse_duration(every)
        except ValueError as e:
            raise ConfigError(config_path, "feeds.interval", str(e)) from None
        too_fast = check_interval(seconds, values["url"])
        if too_fast:
            raise ConfigError(config_path, "feeds.interval", too_fast)
        values["interval"] = every.strip()
    tags = given.get("tags")
    if tags:
        if isinstance(tags, str) or not all(isinstance(tag, str) for tag in tags):
            raise ConfigError(config_path, "feeds.tags", f"{tags!r} is not a list of strings")
        cleaned = list(dict.fromkeys(tag.strip() for tag in tags if tag.strip()))
        if cleaned:
            values["tags"] = cleaned
    enabled = given.get("enabled", True)
    if not isinstance(enabled, bool):
        raise ConfigError(config_path, "feeds.enabled", f"{enabled!r} is not true or false")
    if not enabled:     # on is the default, so only "off" is worth a line
        values["enabled"] = False
    return values


def _existing_feeds(config_path: Path, doc: TOMLDocument) -> AoT | Array | None:
    if "feeds" not in doc:
        return None
    feeds = doc["feeds"]
    if isinstance(feeds, AoT):
        return feeds
    if isinstance(feeds, Array) and all(isinstance(item, Mapping) for item in feeds):
        return feeds
    raise ConfigError(config_path, "feeds", "must be an array of tables ([[feeds]])")


def _entry_url(entry: object) -> str | None:
    if isinstance(entry, Mapping):
        url = entry.get("url")
        if isinstance(url, str):
            return url
    return None


def _detach_trailer(table: Table) -> list[tuple[Key | None, Item]]:
    """Blank lines and comments at the end of a table's body.

    tomlkit files a comment that introduces the *next* section under the table before it, so
    new tables are slotted in ahead of these lines to keep each comment beside its section.
    """
    body = table.value.body
    trailer: list[tuple[Key | None, Item]] = []
    while body and body[-1][0] is None and isinstance(body[-1][1], (Whitespace, Comment)):
        trailer.insert(0, body.pop())
    return trailer


def _strip_trailing_blank(table: Table) -> None:
    body = table.value.body
    while body and body[-1][0] is None and isinstance(body[-1][1], Whitespace):
        body.pop()


def _drop_table(doc: TOMLDocument, aot: AoT, index: int) -> None:
    """Delete one [[feeds]] table but keep the comments that introduce whatever follows it."""
    trailer = _detach_trailer(aot[index])
    del aot[index]
    if not trailer or not any(isinstance(item, Comment) for _, item in trailer):
        if index > 0 and trailer:
            _strip_trailing_blank(aot[index - 1])
            aot[index - 1].value.body.extend(trailer)
        return
    holder = aot[index - 1] if index > 0 else _table_before(doc, aot)
    if holder is not None:
        _strip_trailing_blank(holder)
        holder.value.body.extend(trailer)
        return
    # Nothing above can hold the comments, so they go in front of the next header instead.
    following = aot[index] if index < len(aot) else _item_after(doc, aot)
    if isinstance(following, Table):
        lines = "".join(item.as_string() for _, item in trailer).lstrip("\r\n")
        following.trivia.indent = lines + following.trivia.indent
    else:
        for _, item in trailer:
            doc.add(item)


def _item_after(doc: TOMLDocument, aot: AoT) -> object:
    found = False
    for _key, item in doc.body:
        if found:
            return item
        found = item is aot
    return None


def _table_before(doc: TOMLDocument, aot: AoT) -> Table | None:
    """The table rendered just above the [[feeds]] block, if there is one to hold comments."""
    previous: object = None
    for _key, item in doc.body:
        if item is aot:
            return previous if isinstance(previous, Table) else None
        previous = item
    return None


def add_feeds(
    config_path: Path,
    feeds: Sequence[OutlineFeed | Mapping[str, Any]],
    *,
    interval: str | None = None,
) -> list[str]:
    """Append [[feeds]] entries for URLs not yet in the config; returns the URLs added.

    `interval` is used for feeds that do not carry their own. Nothing is written when every
    URL is already present.
    """
    config_path = Path(config_path)
    text, doc = _load(config_path)
    existing = _existing_feeds(config_path, doc)
    seen = {url_key(url) for url in map(_entry_url, existing or []) if url is not None}
    new: list[dict[str, Any]] = []
    for feed in feeds:
        values = _feed_values(config_path, feed, interval)
        key = url_key(values["url"])
        if key in seen:
            continue
        seen.add(key)
        new.append(values)
    if not new:
        return []

    # tomlkit cannot reproduce every layout (e.g. [[feeds]] split by other tables) unchanged.
    round_trips = tomlkit.dumps(doc) == text
    if isinstance(existing, Array):
        if not round_trips:
            raise ConfigError(
                config_path, "feeds", "cannot add to this inline array without rewriting the "
                "file; use [[feeds]] tables instead"
            )
        was_empty = len(existing) == 0
        for values in new:
            inline = tomlkit.inline_table()
            inline.update(values)
            existing.append(inline)
        if was_empty:
            existing.multiline(True)
        new_text = tomlkit.dumps(doc)
    else:
        new_text = ""
        if round_trips:
            _append_tables(doc, existing, new)
            new_text = tomlkit.dumps(doc)
        if not round_trips or not _lines_kept(text, new_text, "insert"):
            new_text = _append_as_text(text, new)
    _write_atomic(config_path, _match_newlines(text, new_text))
    return [values["url"] for values in new]


def _new_tables(new: Sequence[Mapping[str, Any]]) -> list[Table]:
    tables = []
    for values in new:
        table = tomlkit.table()
        table.update(values)
        tables.append(table)
    return tables


def _append_tables(
    doc: TOMLDocument, existing: AoT | None, new: Sequence[Mapping[str, Any]]
) -> None:
    """Add tables right after the last [[feeds]] entry, or a new [[feeds]] block at the end."""
    tables = _new_tables(new)
    if existing is None or len(existing) == 0:
        aot = tomlkit.aot()
        for table in tables:
            aot.append(table)
        if existing is not None:
            del doc["feeds"]
        doc.append("feeds", aot)
        return
    trailer = _detach_trailer(existing[-1])
    for table in tables:
        existing[-1].value.body.append((None, Whitespace("\n")))
        existing.append(table)
    existing[-1].value.body.extend(trailer)


def _append_as_text(text: str, new: Sequence[Mapping[str, Any]]) -> str:
    """Fallback: new [[feeds]] tables at the very end, leaving every existing byte alone."""
    block = tomlkit.document()
    aot = tomlkit.aot()
    for table in _new_tables(new):
        aot.append(table)
    block.append("feeds", aot)
    rendered = tomlkit.dumps(block).lstrip("\n")
    if not text:
        return rendered
    return text + ("" if text.endswith("\n") else "\n") + "\n" + rendered


def remove_feed(config_path: Path, url: str) -> bool:
    """Drop every [[feeds]] entry with this URL (same comparison as add_feeds).

    Comments inside the removed entry go with it; everything else is kept as written.
    """
    config_path = Path(config_path)
    text, doc = _load(config_path)
    existing = _existing_feeds(config_path, doc)
    if not existing:
        return False
    key = url_key(url)
    doomed = [
        index
        for index, entry in enumerate(existing)
        if (entry_url := _entry_url(entry)) is not None and url_key(entry_url) == key
    ]
    if not doomed:
        return False
    if tomlkit.dumps(doc) != text:
        raise ConfigError(
            config_path, "feeds", "tomlkit cannot edit this file without reordering it (are the "
            "[[feeds]] tables split by other tables?); remove the entry by hand"
        )
    if isinstance(existing, AoT):
        for index in reversed(doomed):
            _drop_table(doc, existing, index)
        if len(existing) == 0:
            # An empty AoT would come back as an inline `feeds = []` at the top of the file.
            del doc["feeds"]
    else:
        for index in reversed(doomed):
            del existing[index]
    new_text = tomlkit.dumps(doc)
    if isinstance(existing, AoT) and not _lines_kept(text, new_text, "delete"):
        raise ConfigError(
            config_path, "feeds", "removing the entry would rewrite other lines; edit by hand"
        )
    _write_atomic(config_path, _match_newlines(text, new_text))
    return True


def _without_enabled(data: Mapping[str, Any]) -> list[Any]:
    feeds = data.get("feeds", [])
    return [{k: v for k, v in f.items() if k != "enabled"} for f in feeds]


def set_feed_enabled(config_path: Path, url: str, enabled: bool) -> bool:
    """Switch the feed with this URL off or on in place; False when it already was so.

    Off is an `enabled = false` line after the feed's own keys; on drops that line (on is
    the default), so disable then enable gives back the file exactly as it was.
    """
    config_path = Path(config_path)
    text, doc = _load(config_path)
    existing = _existing_feeds(config_path, doc)
    key = url_key(url)
    entries = [
        entry
        for entry in existing or []
        if (entry_url := _entry_url(entry)) is not None and url_key(entry_url) == key
    ]
    if not entries:
        raise ConfigError(config_path, "feeds", f"no feed with URL {url}")
    todo = [entry for entry in entries if entry.get("enabled", True) is not enabled]
    if not todo:
        return False
    if tomlkit.dumps(doc) != text:
        raise ConfigError(
            config_path, "feeds", "tomlkit cannot edit this file without reordering it (are the "
            "[[feeds]] tables split by other tables?); set enabled by hand"
        )
    for entry in todo:
        trailer = _detach_trailer(entry) if isinstance(entry, Table) else []
        if enabled:
            del entry["enabled"]
        else:
            entry["enabled"] = False
        if trailer:
            entry.value.body.extend(trailer)
    new_text = tomlkit.dumps(doc)
    old_lines, new_lines = text.splitlines(), new_text.splitlines()
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    touched = [
        line
        for tag, a1, a2, b1, b2 in matcher.get_opcodes() if tag != "equal"
        for line in (*old_lines[a1:a2], *new_lines[b1:b2])
    ]
    own = [entry_url for entry in todo if (entry_url := _entry_url(entry)) is not None]
    # Only `enabled` lines may change (or, for inline tables, the feed's own line).
    lines_ok = all(
        _ENABLED_LINE_RE.match(line) or any(u in line for u in own) for line in touched
    )
    try:
        same = _without_enabled(tomllib.loads(text)) == _without_enabled(tomllib.loads(new_text))
    except tomllib.TOMLDecodeError:
        same = False
    if not (lines_ok and same):
        raise ConfigError(
            config_path, "feeds", "switching the feed would rewrite other lines; edit by hand"
        )
    _write_atomic(config_path, _match_newlines(text, new_text))
    return True
