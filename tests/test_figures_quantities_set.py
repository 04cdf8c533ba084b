"""The general-news quantity set (tests/data/quantities/) is well formed.

Only the committed labels are checked: the page texts live in a git-ignored cache that CI
does not have (python -m benchmarks.quantities score runs on them).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from watcher.figures import KINDS, QUALIFIERS

LABELS = Path(__file__).parent / "data" / "quantities" / "labels.jsonl"


def test_quantity_labels_are_facts_only() -> None:
    rows = [json.loads(line) for line in LABELS.read_text(encoding="utf-8").splitlines()
            if line.strip()]
    assert len(rows) >= 200
    seen: set[tuple[str, int]] = set()
    for d in rows:
        assert set(d) == {"url", "split", "sentence_sha1", "start", "lang", "quantities"}
        first = hashlib.sha1(d["url"].encode()).hexdigest()[0]
        assert d["split"] == ("dev" if first in "0123456789a" else "test")
        assert len(d["sentence_sha1"]) == 40 and isinstance(d["start"], int)
        assert (d["url"], d["start"]) not in seen
        seen.add((d["url"], d["start"]))
        for q in d["quantities"]:
            assert set(q) == {"as_written", "kind", "value", "low", "high", "qualifier"}
            assert q["kind"] in KINDS and q["qualifier"] in QUALIFIERS
            assert len(q["as_written"].split()) <= 6
            if q["value"] is None:
                assert q["low"] is not None and q["high"] is not None
