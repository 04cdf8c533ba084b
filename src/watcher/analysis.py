"""What runs in a worker process after extraction: one article's analysis, or a batch
of stored articles' for ``watcher reprocess``.

Kept apart from recording (``observe``) so that a worker imports the analysis engine
and nothing of the store: the forkserver preloads this module for every worker.
"""

from __future__ import annotations

import json
import zlib
from dataclasses import fields
from pathlib import Path

from watcher.claims import Baseline, Finding, load_baseline
from watcher.figures import Figure

__all__ = ["BatchItem", "analyse_batch_task", "analyse_task", "decode_findings",
           "encode_findings", "is_candidate"]

_BASELINES: dict[tuple[str, float], Baseline] = {}
_CANDIDATE_KINDS = ("number", "percent", "share", "money")


def _baseline(path: str) -> Baseline:
    """The baseline, loaded once per worker process (and again if the file changes)."""
    key = (path, Path(path).stat().st_mtime)
    if key not in _BASELINES:
        _BASELINES.clear()
        _BASELINES[key] = load_baseline(Path(path))
    return _BASELINES[key]


def analyse_task(text: str, language: str | None, published: str | None,
                 baseline_path: str) -> list[Finding]:
    """Runs in a worker: the figures of the text that recording can use, with their
    context and claim; none when the text does not name the story (every figure of such
    a text would match no claim and be no candidate). An article stored without a
    language gets the text's own, not English: it decides how numbers are read."""
    from watcher.claims import analyze, names_the_story
    from watcher.language import detect_language

    baseline = _baseline(baseline_path)
    if not names_the_story(text, baseline):
        return []
    lang = detect_language(text, language)
    return analyze(text, baseline, lang=lang, published=published)


def is_candidate(f: Finding) -> bool:
    """An on-topic quantity that matched no claim: kept as a candidate figure."""
    return f.claim is None and f.on_topic and f.figure.kind in _CANDIDATE_KINDS


# (article id, text, language, published): one article of a batch
BatchItem = tuple[int, str, str | None, str | None]

_FIGURE_FIELDS = tuple(f.name for f in fields(Figure))
_FINDING_FIELDS = tuple(f.name for f in fields(Finding) if f.name != "figure")


def encode_findings(findings: list[Finding]) -> bytes:
    """Findings as compressed JSON: plain data a database may hold (no pickle)."""
    rows = [[[getattr(f.figure, k) for k in _FIGURE_FIELDS],
             [getattr(f, k) for k in _FINDING_FIELDS]] for f in findings]
    return zlib.compress(json.dumps(rows, ensure_ascii=False, separators=(",", ":")
                                    ).encode(), 1)


def decode_findings(blob: bytes) -> list[Finding]:
    return [Finding(Figure(**dict(zip(_FIGURE_FIELDS, fig, strict=True))),
                    **dict(zip(_FINDING_FIELDS, rest, strict=True)))
            for fig, rest in json.loads(zlib.decompress(blob))]


def analyse_batch_task(items: list[BatchItem], baseline_path: str
                       ) -> list[tuple[int, bytes | None]]:
    """Runs in a worker: each article's findings that recording uses (claims and
    candidates), encoded, or None when it has none (most articles of a feed)."""
    _leave_interrupts_to_parent()
    out: list[tuple[int, bytes | None]] = []
    for article_id, text, language, published in items:
        kept = [f for f in analyse_task(text, language, published, baseline_path)
                if f.claim is not None or is_candidate(f)]
        out.append((article_id, encode_findings(kept) if kept else None))
    return out


def _leave_interrupts_to_parent() -> None:
    """Ctrl-C reaches every process of the terminal's group: a reprocess worker lets
    its parent stop the run cleanly instead of dying with a traceback mid-batch."""
    import multiprocessing
    import signal
    import threading

    if multiprocessing.parent_process() is not None \
            and threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)
