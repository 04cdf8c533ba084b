"""Timeline charts of a claim: the baseline and every observed value, as SVG.

matplotlib renders offline, so the HTML digest stays self-contained.
"""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta
from typing import Any

from watcher.digest.model import value_of

COLOURS = {"higher": "#c0392b", "lower": "#2471a3", "new": "#8e44ad", "changed": "#8e44ad",
           "confirmed": "#27ae60", "restated": "#7f8c8d"}
_PROLOG = re.compile(r"^.*?(?=<svg)", re.S)


def _when(text: str | None) -> datetime | None:
    """A moment from an ISO date or time; a bare month or year means its middle."""
    if not text:
        return None
    text = text.strip()
    if len(text) == 4 and text.isdigit():
        text += "-07-01"
    elif len(text) == 7:
        text += "-15"
    try:
        dt = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def timeline_svg(claim: dict[str, Any], observations: list[dict[str, Any]],
                 *, width: float = 6.0, height: float = 2.4) -> str | None:
    """An inline SVG (no XML prolog, no DOCTYPE), or None for claims without numbers."""
    points = []
    for row in observations:
        v = value_of(row)
        when = _when(row.get("published"))
        if v is None or when is None or v.is_text:
            continue
        mid = v.point()
        if mid is None:
            continue
        lo = v.low if v.low is not None else mid
        hi = v.high if v.high is not None else mid
        points.append((when, mid, mid - lo, hi - mid, row["status"]))
    if not points:
        return None
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update({"svg.fonttype": "none", "svg.hashsalt": "watcher",
                         "font.size": 8})
    fig, ax = plt.subplots(figsize=(width, height))
    try:
        base = value_of(claim)
        if base is not None and not base.is_text:
            b_lo = base.low if base.low is not None else base.value
            b_hi = base.high if base.high is not None else base.value
            if b_lo is not None and b_hi is not None and b_lo != b_hi:
                ax.axhspan(b_lo, b_hi, color="#f5b041", alpha=0.25, label="baseline")
            else:
                level = b_lo if b_lo is not None else b_hi
                if level is not None:
                    ax.axhline(level, color="#f5b041", lw=1.5, label="baseline")
        for status in dict.fromkeys(p[4] for p in points):
            sel = [p for p in points if p[4] == status]
            ax.errorbar([p[0] for p in sel], [p[1] for p in sel],  # type: ignore[arg-type]
                        yerr=[[p[2] for p in sel], [p[3] for p in sel]], fmt="o", ms=4,
                        capsize=2, color=COLOURS.get(status, "#333333"), label=status)
        import matplotlib.dates as mdates

        times = [p[0] for p in points]
        since = _when(claim.get("as_of"))
        if since is not None and base is not None and not base.is_text:
            mid = base.point()
            if mid is not None:
                ax.plot([since], [mid], marker="D", ms=5,  # type: ignore[arg-type]
                        color="#f5b041", ls="none")
                times.append(since)
        pad = max(timedelta(days=3), (max(times) - min(times)) * 0.08)
        ax.set_xlim(min(times) - pad, max(times) + pad)  # type: ignore[arg-type]
        locator = mdates.AutoDateLocator(maxticks=6)  # type: ignore[no-untyped-call]
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(
            mdates.ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]
        ax.set_title(str(claim.get("id", "")), loc="left")
        ax.grid(alpha=0.3)
        ax.legend(loc="best", fontsize=7, frameon=False)
        fig.tight_layout()
        buf = io.StringIO()
        fig.savefig(buf, format="svg")
    finally:
        plt.close(fig)
    return _PROLOG.sub("", buf.getvalue(), count=1)
