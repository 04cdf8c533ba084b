"""Adding a claim to the baseline file without disturbing what a person wrote there.

The baseline is hand-written and heavily commented, so a new claim is rendered with tomlkit
and inserted after the last claim (usually the end of the file) as whole new lines: every
existing line stays as it was, and a check that the file reads as before plus one claim
guards against tomlkit's quirks. The
result is checked by the real loader (watcher.claims.load_baseline) from a temp file in the
same directory before it replaces the original atomically, so a claim the loader would
refuse never reaches the file, and a crash leaves either the old file or the new one.
"""

from __future__ import annotations

import contextlib
import math
import os
import re
import tempfile
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import tomlkit
from tomlkit.items import AoT, Array, Table, Whitespace
from tomlkit.toml_document import TOMLDocument

from watcher.claims import Claim, load_baseline
from watcher.config import read_text
from watcher.config_edit import (
    _detach_trailer,
    _lines_kept,
    _load,
    _match_newlines,
    _write_atomic,
)
from watcher.errors import ConfigError

__all__ = ["CLAIM_ID_RE", "KEY_ORDER", "add_claim", "claim_ids", "render_claim"]

# The loader's rule for ids, checked here too so a bad id is refused before anything else.
CLAIM_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")

# The order keys are written in: the hand-written entries' order, so new ones read alike.
KEY_ORDER = (
    "id", "statement", "subject", "metric", "kind", "event", "counted", "value", "low", "high",
    "qualifier", "value_text", "unit", "per", "as_of", "source", "attributed_to",
    "subject_terms", "metric_terms", "exclude_terms",
)


def _clean_value(path: Path, key: str, raw: Any) -> Any:
    """A value fit for TOML, or None to leave the key out (unset, blank or empty list)."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise ConfigError(path, key, "must not be true/false")
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float):
        if not math.isfinite(raw):
            raise ConfigError(path, key, f"must be a finite number, not {raw}")
        # 11000.0 from the command line is written as 11000, like the hand-written claims.
        return int(raw) if raw.is_integer() and abs(raw) < 2**63 else raw
    if isinstance(raw, str):
        return raw.strip() or None
    if isinstance(raw, Sequence):
        if not all(isinstance(item, str) for item in raw):
            raise ConfigError(path, key, "must be a list of strings")
        terms = list(dict.fromkeys(item.strip() for item in raw if item.strip()))
        return terms or None
    raise ConfigError(path, key, f"cannot be written to the baseline: {raw!r}")


def _claim_values(path: Path, claim: Mapping[str, Any]) -> dict[str, Any]:
    """The keys to write, in KEY_ORDER (unknown keys after, for the loader to judge)."""
    values: dict[str, Any] = {}
    for key in (*KEY_ORDER, *(k for k in claim if k not in KEY_ORDER)):
        if key in claim:
            cleaned = _clean_value(path, key, claim[key])
            if cleaned is not None:
                values[key] = cleaned
    claim_id = values.get("id")
    if not isinstance(claim_id, str) or not CLAIM_ID_RE.match(claim_id):
        raise ConfigError(path, "id", f"{claim_id!r} is not a valid claim id: use lower-case "
                          "letters, digits and '-', starting with a letter or digit")
    return values


def _claim_tables(path: Path, doc: TOMLDocument) -> AoT | Array | None:
    if "claims" not in doc:
        return None
    tables = doc["claims"]
    if isinstance(tables, AoT | Array):
        return tables
    raise ConfigError(path, "claims", "must be an array of tables ([[claims]])")


def claim_ids(tables: AoT | Array | None) -> list[str]:
    """The ids already in the file, read leniently: the loader judges the rest."""
    ids = []
    for table in tables or []:
        if isinstance(table, Mapping) and isinstance(table.get("id"), str):
            ids.append(str(table["id"]).strip())
    return ids


def render_claim(values: Mapping[str, Any]) -> str:
    """One [[claims]] table as TOML text (tomlkit does the quoting and escaping)."""
    block = tomlkit.document()
    aot = tomlkit.aot()
    table = tomlkit.table()
    table.update(values)
    aot.append(table)
    block.append("claims", aot)
    return tomlkit.dumps(block).lstrip("\n")


def _last_table(table: Table) -> Table:
    """The table rendered last within `table`: its last nested [[claims.values]], if any.

    tomlkit files the blank lines and comments that end a claim under that innermost
    table, so that is where the lines introducing whatever follows must be taken from.
    """
    while True:
        items = [item for key, item in table.value.body if key is not None]
        last = items[-1] if items else None
        if isinstance(last, AoT) and len(last) > 0:
            table = last[-1]
        elif isinstance(last, Table):
            table = last
        else:
            return table


def _insert_after_last(doc: TOMLDocument, tables: AoT, values: Mapping[str, Any]) -> str:
    """The document with a new table right after the last claim (when others follow it)."""
    innermost = _last_table(tables[-1])
    trailer = _detach_trailer(innermost)
    innermost.value.body.append((None, Whitespace("\n")))
    table = tomlkit.table()
    table.update(values)
    tables.append(table)
    table.value.body.extend(trailer)
    return str(tomlkit.dumps(doc))


def _append_at_end(text: str, values: Mapping[str, Any]) -> str:
    """A new [[claims]] table after the file's last byte; every existing line untouched."""
    rendered = render_claim(values)
    if not text.strip():
        return text + rendered
    return text + ("" if text.endswith("\n") else "\n") + "\n" + rendered


def _followed(doc: TOMLDocument, tables: AoT) -> bool:
    """True when a table such as [[actors]] comes after the claims in the file."""
    found = False
    for key, item in doc.body:
        if found and key is not None:
            return True
        found = found or item is tables
    return False


def _adds_exactly(before: str, after: str, values: Mapping[str, Any]) -> bool:
    """True when `after` reads as `before` plus this one claim at the end, nothing else."""
    try:
        old, new = tomllib.loads(before), tomllib.loads(after)
    except tomllib.TOMLDecodeError:
        return False
    expected = tomllib.loads(render_claim(values))["claims"]
    return (new.pop("claims", None) == [*old.pop("claims", []), *expected]
            and new == old)


def _with_claim(path: Path, text: str, doc: TOMLDocument, tables: AoT | Array | None,
                values: Mapping[str, Any]) -> str:
    """The file's text with the claim added after the last claim, other lines as they were."""
    new_text: str | None = None
    if isinstance(tables, Array):
        # `claims = [...]` inline: the only place a new entry can go is inside that array.
        if tomlkit.dumps(doc) != text:
            raise ConfigError(path, "claims", "cannot add to this inline array without "
                              "rewriting the file; use [[claims]] tables instead")
        was_empty = len(tables) == 0
        inline = tomlkit.inline_table()
        inline.update(values)
        tables.append(inline)
        if was_empty:
            tables.multiline(True)
        new_text = str(tomlkit.dumps(doc))
    elif (isinstance(tables, AoT) and len(tables) > 0 and _followed(doc, tables)
          and tomlkit.dumps(doc) == text):
        new_text = _insert_after_last(doc, tables, values)
        if not _lines_kept(text, new_text, "insert") or not _adds_exactly(text, new_text,
                                                                          values):
            new_text = None
    if new_text is None:
        # Claims last (the usual layout), or a layout tomlkit cannot edit in place: a
        # [[claims]] table at the very end still adds to the same array.
        new_text = _append_at_end(text, values)
    if not _adds_exactly(text, new_text, values):
        raise ConfigError(path, "claims", "adding the claim would change other entries; "
                          "add it by hand")
    return new_text


def _checked(path: Path, text: str, claim_id: str) -> Claim:
    """Load `text` with the real loader from a temp file beside `path`; the new claim.

    Same directory so the check sees what the final file will be, on the same file system.
    Errors are reported against `path`, which has not been touched.
    """
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".check")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        try:
            claim = load_baseline(Path(tmp_name)).get(claim_id)
        except ConfigError as e:
            raise ConfigError(path, e.key, f"{e.detail} (claim {claim_id!r} not added; "
                              "the file is unchanged)") from None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
    if claim is None:  # a loader that drops the entry silently would be a bug: say so
        raise ConfigError(path, "claims", f"claim {claim_id!r} did not load back; not added")
    return claim


def add_claim(baseline_path: Path, claim: Mapping[str, Any]) -> Claim:
    """Append one [[claims]] table to the baseline file; returns the claim as loaded.

    `claim` maps baseline keys to values; None, blank strings and empty lists are left out.
    A malformed or duplicate id, or anything the loader refuses, is a ConfigError and
    the file is left exactly as it was.
    """
    path = Path(baseline_path)
    if not path.is_file():
        raise ConfigError(path, None, "no such baseline file (set baseline = ... in the "
                          "config, or pass --baseline)")
    text, doc = _load(path)
    tables = _claim_tables(path, doc)
    values = _claim_values(path, claim)
    claim_id = str(values["id"])
    if claim_id in claim_ids(tables):
        raise ConfigError(path, "id", f"a claim {claim_id!r} already exists; choose another "
                          "id (or edit that claim by hand)")
    new_text = _match_newlines(text, _with_claim(path, text, doc, tables, values))
    loaded = _checked(path, new_text, claim_id)
    # Someone else's edit between our read and our write would be lost: refuse instead.
    if read_text(path) != text:
        raise ConfigError(path, None, "the file changed while the claim was being added; "
                          "nothing written, try again")
    _write_atomic(path, new_text)
    return loaded
