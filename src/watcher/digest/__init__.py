"""The daily digest, the Atom feed of changes, and their delivery.

``build_digest`` reads the store; the renderers turn a ``Digest`` into text, Markdown,
JSON or HTML; ``run_daily`` is what the daemon's daily job calls.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from watcher.config import Config
from watcher.digest.atom import render_atom, write_atomically
from watcher.digest.charts import timeline_svg
from watcher.digest.deliver import Message, deliver
from watcher.digest.model import Digest, build_digest, iso, parse_when
from watcher.digest.render import RENDERERS, render_html, render_markdown, render_text
from watcher.store import Store

log = logging.getLogger("watcher.digest")

__all__ = [
    "Digest",
    "after_cycle",
    "build_digest",
    "charts_of",
    "daily_digest",
    "default_start",
    "html_with_charts",
    "is_empty",
    "message",
    "parse_when",
    "refresh_atom",
    "render",
    "render_html",
    "render_text",
    "retry_failed",
    "run_daily",
    "send",
]


def default_start(store: Store, now: datetime) -> datetime:
    """Since the last digest that was sent, else the last 24 hours."""
    last = store.last_sent_digest()
    if last:
        return parse_when(str(last["period_end"]))
    return now - timedelta(hours=24)


def charts_of(store: Store, d: Digest) -> dict[str, str]:
    """One SVG timeline per changed claim, by claim id (rendering them is costly)."""
    charts = {}
    for section in d.changed_claims:
        claim = store.claim_row(section.id) or {"id": section.id}
        # The section's heading already names the claim: the chart goes without one.
        svg = timeline_svg(claim, store.claim_timeline(section.id), title=False)
        if svg:
            charts[section.id] = svg
    return charts


def html_with_charts(store: Store, d: Digest) -> str:
    return render_html(d, charts_of(store, d))


def is_empty(d: Digest) -> bool:
    """Nothing changed: such a digest is delivered only with ``[digest] send_empty``."""
    return d.counts["changes"] == 0


def message(config: Config, d: Digest, charts: dict[str, str]) -> Message:
    """The digest in every form a delivery target may take. In the email the charts are
    image parts the page shows by cid, so its plain-text part carries no SVG."""
    import html as html_module

    images: dict[str, str] = {}
    refs: dict[str, str] = {}
    for i, (claim_id, svg) in enumerate(charts.items(), 1):
        name = f"chart-{i}.svg"
        images[name] = svg
        refs[claim_id] = (f'<img src="cid:{name}" alt="timeline of '
                          f'{html_module.escape(claim_id)}">')
    lines = []
    for section in d.changed_claims:
        for r in section.changes:
            was = f" ({r.was})" if r.was else ""
            lines.append(f"{r.says.upper()}: {section.heading}: {r.value}{was}")
    c = d.counts
    return Message(
        title=f"{d.title}: {c['changes']} change(s)", html=render_html(d, refs),
        text=render_text(d), markdown=render_markdown(d),
        headline=f"{c['changes']} change(s), {c['observations']} observation(s), "
                 f"{c['articles']} new article(s), {d.start[:16]} to {d.end[:16]}",
        summary=tuple(lines), link=config.digest.link, images=images)


def render(store: Store, config: Config, d: Digest, fmt: str) -> str:
    if fmt == "html":
        return html_with_charts(store, d)
    if fmt == "atom":
        return atom_text(store, config)
    return RENDERERS[fmt](d)


def atom_text(store: Store, config: Config) -> str:
    changes = store.recent_changes()
    metric_types = {}
    for cid in {str(r["claim_id"]) for r in changes}:
        claim = store.claim_row(cid) or {}
        if claim.get("metric_type"):
            metric_types[cid] = str(claim["metric_type"])
    return render_atom(changes, title=f"{config.digest.title}: changes",
                       updated=iso(datetime.now(UTC)), metric_types=metric_types)


def _record(store: Store, d: Digest) -> int:
    return store.record_digest(d.start, d.end, d.counts["changes"], d.counts["observations"])


def send(store: Store, config: Config, d: Digest, charts: dict[str, str] | None = None
         ) -> str | None:
    """Record the digest and deliver it; marked sent only when every target took it.
    ``charts`` when the caller has already rendered them (they are costly)."""
    digest_id = _record(store, d)
    error = deliver(config.digest.notify,
                    message(config, d, charts if charts is not None else charts_of(store, d)))
    store.mark_digest(digest_id, sent=error is None, error=error)
    return error


def daily_digest(config: Config, store: Store) -> None:
    """The daily digest since the last one sent, written and delivered."""
    now = datetime.now(UTC)
    d = build_digest(store, config, default_start(store, now), now)
    charts = charts_of(store, d) if config.digest.html_path or config.digest.notify \
        else None
    if config.digest.html_path and charts is not None:
        write_atomically(config.digest.html_path, render_html(d, charts))
    if config.digest.notify and is_empty(d) and not config.digest.send_empty:
        store.mark_digest(_record(store, d), sent=True)
        log.info("digest not delivered: nothing changed ([digest] send_empty is off)")
    elif config.digest.notify:
        error = send(store, config, d, charts)
        if error:
            log.warning("digest not delivered (retried after the next cycle): %s", error)
        else:
            log.info("digest delivered: %s change(s)", d.counts["changes"])
    else:
        store.mark_digest(_record(store, d), sent=True)
        log.info("digest ready (no notify URLs):\n%s", render_text(d))


def retry_failed(config: Config, store: Store) -> None:
    """After a cycle: deliver again a digest whose delivery failed."""
    if not config.digest.notify:
        return
    pending = store.failed_digest()
    if pending is None:
        return
    now = datetime.now(UTC)
    d = build_digest(store, config, default_start(store, now), now)
    if is_empty(d) and not config.digest.send_empty:
        store.mark_digest(pending, sent=False, error=None)    # nothing left to tell
        return
    error = send(store, config, d)
    if error is None:
        store.mark_digest(pending, sent=False, error=None)
    else:
        log.warning("digest still not delivered: %s", error)


def after_cycle(config: Config, store: Store) -> None:
    """After a cycle: rewrite the Atom file of changes, retry a failed delivery."""
    if config.digest.atom_path:
        write_atomically(config.digest.atom_path, atom_text(store, config))
    retry_failed(config, store)


async def _off_loop(fn: Callable[[Config, Store], None], config: Config) -> None:
    """Run ``fn`` in a thread with its own connection: delivery does network I/O, which
    must not stall the daemon's feeds, and an SQLite connection stays in its thread."""

    def work() -> None:
        with Store(config.db_path) as own:
            fn(config, own)

    await asyncio.to_thread(work)


async def run_daily(config: Config, store: Store) -> None:
    """The daemon's daily job (``store`` is the daemon's; a thread opens its own)."""
    await _off_loop(daily_digest, config)


async def refresh_atom(config: Config, store: Store) -> None:
    """The daemon's after-cycle hook, off the event loop."""
    await _off_loop(after_cycle, config)
