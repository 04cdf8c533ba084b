"""The digest as text, Markdown, JSON and a self-contained HTML page.

Every string that came from a feed or a page is escaped for its output: HTML-escaped in
the page, stripped of terminal escapes in text, with Markdown's table pipes escaped.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable

from watcher.digest.model import ClaimSection, Digest, Report
from watcher.text import clean_text

SIGN = {"higher": "▲", "lower": "▼", "new": "●", "changed": "◆", "confirmed": "=",
        "narrower": "=", "wider": "≈", "conflicting": "≠",
        "restated": "↺"}


SIGN.update({"earlier": "◀", "later": "▶"})


def _was(r: Report) -> str:
    """" (was more than 3,000, +1,000)", " (was dozens)", or "" with nothing before."""
    return f" ({_t(r.was)})" if r.was else ""


def _single(r: Report) -> str:
    return " [single source]" if r.single_source else ""


def _t(s: object) -> str:
    return clean_text("" if s is None else str(s)).replace("\n", " ")


def _outlets(r: Report) -> str:
    names = list(dict.fromkeys(_t(s.feed or s.title or s.url) for s in r.sources))
    return ", ".join(names)


def render_text(d: Digest) -> str:
    c = d.counts
    lines = [_t(d.title), f"{d.start} to {d.end}",
             f"{c['changes']} change(s), {c['observations']} observation(s), "
             f"{c['articles']} new article(s), {c['candidates']} candidate figure(s)", ""]
    if not d.claims:
        lines += ["No figure of a watched claim was reported in this period.", ""]
    for section in d.claims:
        lines.append(f"{_t(section.heading)} [{_t(section.id)}]")
        if section.statement != section.heading:
            lines.append(f"  {_t(section.statement)}")
        lines.append(f"  baseline: {_t(section.baseline)}")
        for r in section.changes:
            lines.append(f"  {SIGN.get(r.says, SIGN.get(r.status, '*'))} {r.says.upper()}: "
                         f"{_t(r.value)}{_was(r)}{_single(r)}")
            lines.append(f"    \"{_t(r.sentence)}\"")
            for s in r.sources:
                who = f"{_t(s.attribution)}, " if s.attribution else ""
                lines.append(f"    {who}{_t(s.feed or s.title)} "
                             f"({_t((s.published or '')[:10])}): {_t(s.url)}")
        if section.confirmations:
            n = sum(len(r.sources) for r in section.confirmations)
            vals = "; ".join(_t(r.value) for r in section.confirmations)
            lines.append(f"  = confirmed by {n} report(s): {vals} "
                         f"[{'; '.join(_outlets(r) for r in section.confirmations)}]")
        for r in section.restatements:
            lines.append(f"  ↺ restated: {_t(r.value)} [{_outlets(r)}]")
        lines.append("")
    if d.candidates:
        lines.append("Figures that matched no claim:")
        for cand in d.candidates[:20]:
            lines.append(f"  {_t(cand['text'])} {_t(cand.get('unit') or '')}: "
                         f"\"{_t(cand['sentence'])[:160]}\" ({_t(cand['url'])})")
        lines.append("")
    if d.health:
        lines.append("Feed health:")
        for h in d.health:
            lines.append(f"  {h.state}: {_t(h.name)}: {_t(h.detail)[:200]}")
        lines.append("")
    return "\n".join(lines)


def _md(s: object) -> str:
    return _t(s).replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")


def render_markdown(d: Digest) -> str:
    c = d.counts
    out = [f"# {_md(d.title)}", "", f"{d.start} to {d.end}: **{c['changes']} change(s)**, "
           f"{c['observations']} observation(s), {c['articles']} new article(s).", ""]
    for section in d.claims:
        out += [f"## {_md(section.heading)}", ""]
        if section.statement != section.heading:
            out.append(f"{_md(section.statement)}  ")
        out += [f"`{_md(section.id)}` · Baseline: {_md(section.baseline)}", ""]
        if section.reports:
            out += ["| status | value | was | change | said by | sources |",
                    "|---|---|---|---|---|---|"]
        for r in section.reports:
            links = ", ".join(f"[{_md(s.feed or s.title or 'link')}]({_md(s.url)})"
                              for s in r.sources)
            out.append(f"| {r.says}{_single(r)} | {_md(r.value)} | {_md(r.previous or '')} | "
                       f"{_md(r.change)} | {_md(r.attribution or '')} | {links} |")
        for r in section.changes:
            out += ["", f"> {_md(r.sentence)}"]
        out.append("")
    if d.candidates:
        out += ["## Figures that matched no claim", ""]
        out += [f"- {_md(x['text'])}: {_md(x['sentence'])[:200]}" for x in d.candidates[:20]]
        out.append("")
    if d.health:
        out += ["## Feed health", ""]
        out += [f"- **{h.state}** {_md(h.name)}: {_md(h.detail)[:200]}" for h in d.health]
        out.append("")
    return "\n".join(out)


def render_json(d: Digest) -> str:
    return json.dumps(d.to_dict(), ensure_ascii=False, indent=2)


_CSS = """
body{font:15px/1.5 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;max-width:52rem;
margin:2rem auto;padding:0 1rem;color:#1c2833}
h1{font-size:1.5rem;margin-bottom:.2rem}h2{font-size:1.15rem;margin:1.8rem 0 .3rem}
.meta{color:#5d6d7e}.claim{border-top:1px solid #d5d8dc;padding-top:.5rem}
.status{display:inline-block;min-width:5.5rem;font-weight:600;text-transform:uppercase;
font-size:.8rem}.higher{color:#c0392b}.lower{color:#2471a3}.new,.changed{color:#8e44ad}
.confirmed,.narrower{color:#27ae60}.restated,.wider{color:#7f8c8d}
.conflicting{color:#b9770e}
blockquote{margin:.3rem 0 .3rem 1rem;padding-left:.7rem;border-left:3px solid #d5d8dc;
color:#34495e}.sources{font-size:.85rem;color:#5d6d7e}
.chart svg{width:100%;max-width:46rem;height:auto}
details{margin:.3rem 0}table{border-collapse:collapse}td{padding:.1rem .6rem .1rem 0}
"""


def _h(s: object) -> str:
    return html.escape(_t(s), quote=True)


def _link(url: str, label: str) -> str:
    safe_url = url if url.startswith(("http://", "https://")) else "#"
    return f'<a href="{_h(safe_url)}">{_h(label)}</a>'


def _report_html(r: Report) -> str:
    was = f" <span class=meta>({_h(r.was)})</span>" if r.was else ""
    sources = "; ".join(
        (f"{_h(s.attribution)}, " if s.attribution else "")
        + _link(s.url, s.feed or s.title or s.url) + f" {_h((s.published or '')[:10])}"
        for s in r.sources)
    return (f'<p><span class="status {_h(r.status)}">{_h(r.says)}</span> '
            f"<strong>{_h(r.value)}</strong>{was}{_h(_single(r))}</p><blockquote>{_h(r.sentence)}"
            f'</blockquote><p class="sources">{sources}</p>')


def render_html(d: Digest, charts: dict[str, str] | None = None) -> str:
    """One page, inline CSS and SVG, no external requests."""
    charts = charts or {}
    c = d.counts
    body = [f"<h1>{_h(d.title)}</h1>",
            f'<p class="meta">{_h(d.start)} to {_h(d.end)} · {c["changes"]} change(s) · '
            f'{c["observations"]} observation(s) · {c["articles"]} new article(s)</p>']
    if not d.claims:
        body.append("<p>No figure of a watched claim was reported in this period.</p>")
    for section in d.claims:
        body.append(_section_html(section, charts.get(section.id)))
    if d.candidates:
        body.append("<h2>Figures that matched no claim</h2><ul>")
        body += [f"<li><strong>{_h(x['text'])}</strong> {_h(x.get('unit') or '')}: "
                 f"{_h(str(x['sentence'])[:240])} {_link(str(x['url']), 'source')}</li>"
                 for x in d.candidates[:30]]
        body.append("</ul>")
    if d.health:
        body.append("<h2>Feed health</h2><ul>")
        body += [f"<li><strong>{_h(h.state)}</strong> {_h(h.name)}: {_h(h.detail[:240])}</li>"
                 for h in d.health]
        body.append("</ul>")
    return ("<!DOCTYPE html><html lang=en><head><meta charset=utf-8>"
            '<meta name="viewport" content="width=device-width,initial-scale=1">'
            f"<title>{_h(d.title)}</title><style>{_CSS}</style></head><body>"
            + "\n".join(body) + "</body></html>")


def _section_html(section: ClaimSection, chart: str | None) -> str:
    statement = f"{_h(section.statement)}<br>" if section.statement != section.heading \
        else ""
    parts = [f'<div class="claim" id="{_h(section.id)}"><h2>{_h(section.heading)}</h2>',
             f"<p>{statement}<span class=meta>baseline: {_h(section.baseline)} · "
             f"<code>{_h(section.id)}</code></span></p>"]
    parts += [_report_html(r) for r in section.changes]
    folded = section.confirmations + section.restatements
    if folded:
        parts.append(f"<details><summary>{len(section.confirmations)} confirmation(s), "
                     f"{len(section.restatements)} restatement(s)</summary>")
        parts += [_report_html(r) for r in folded]
        parts.append("</details>")
    if chart:
        parts.append(f'<div class="chart">{chart}</div>')
    parts.append("</div>")
    return "\n".join(parts)


RENDERERS: dict[str, Callable[[Digest], str]] = {
    "text": render_text, "md": render_markdown, "json": render_json,
}
