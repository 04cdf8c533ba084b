"""A claim's timeline, read at a glance, as SVG.

The best estimate over time is a step line with its low-high band: it starts at the
baseline (a diamond at the baseline's own date) and moves where an observation moved the
claim's state (new, higher, lower, changed, or the same estimate told more precisely),
in publication order. "More than" and "up to" have no far side, so they are drawn as a
band fading away from the bound, with an arrow. Every observation is a point coloured by
its source; triangles are bounds (up: "more than", down: "up to"), filled points moved
the estimate, hollow ones did not (confirmations, restatements, conflicting reports).

matplotlib renders offline, so the HTML digest stays self-contained. Artists carry SVG
ids (``estimate-line``, ``estimate-band``, ``estimate-open-up``, ``estimate-open-down``,
``baseline``, ``observations``) so a page or a test can find them.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from watcher.changes import MOVES, Value, describe, is_vague
from watcher.digest.model import value_of

# Colour-blind-safe (Okabe-Ito), for sources; the estimate is drawn in ink.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#999933",
           "#882255")
INK = "#1f3b73"
BASELINE = "#6c3483"
_PROLOG = re.compile(r"^.*?(?=<svg)", re.S)
_LOWER_OPEN = ("more_than", "at_least")
_UPPER_OPEN = ("less_than", "at_most")
_FADE_STEPS = 6


def _when(text: str | None, *, start: bool = False) -> datetime | None:
    """A moment from an ISO date or time; a bare month or year means its middle (its
    first day with ``start``: a baseline "as of 2025" holds from January on)."""
    if not text:
        return None
    text = text.strip()
    if len(text) == 4 and text.isdigit():
        text += "-01-01" if start else "-07-01"
    elif len(text) == 7:
        text += "-01" if start else "-15"
    try:
        dt = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Bounds:
    """What a figure says about the true value: a line at ``mid``, a band from ``low`` to
    ``high`` (equal for a point), and whether it is open above or below."""

    mid: float
    low: float
    high: float
    open_up: bool = False
    open_down: bool = False


def bounds(v: Value) -> Bounds | None:
    """A numeric figure's line and band; None for a text figure or one without a number."""
    if v.is_text:
        return None
    if v.qualifier in _LOWER_OPEN:
        floor = v.low if v.low is not None else v.value
        return None if floor is None else Bounds(floor, floor, floor, open_up=True)
    if v.qualifier in _UPPER_OPEN:
        ceiling = v.high if v.high is not None else v.value
        return None if ceiling is None else Bounds(ceiling, ceiling, ceiling, open_down=True)
    mid = v.point()
    if mid is None:
        return None
    lo = v.low if v.low is not None else mid
    hi = v.high if v.high is not None else mid
    return Bounds(mid, min(lo, mid), max(hi, mid))


@dataclass(frozen=True, slots=True)
class Step:
    """The best estimate from ``start`` until the next step."""

    start: datetime
    value: Value
    bounds: Bounds
    baseline: bool = False


def estimate_steps(claim: dict[str, Any], observations: list[dict[str, Any]]) -> list[Step]:
    """The best estimate over time: the baseline, then each observation that moved it.

    Observations are taken in publication order. A move (new, higher, lower, changed) or
    a narrower telling of the estimate starts a step; a vague amount ("thousands") never
    does, nor does an article published before the current step (out of order). The
    baseline holds from its own date (a bare year or month from its start); an undated
    one, or one dated after the first move, starts at the first observation.
    """
    rows = sorted(observations, key=lambda r: (str(r.get("published") or ""), r.get("id") or 0))
    steps: list[Step] = []
    base = value_of(claim)
    base_b = bounds(base) if base is not None else None
    if base is not None and base_b is not None:
        since = _when(claim.get("as_of"), start=True)
        firsts = [w for w in (_when(r.get("published")) for r in rows) if w is not None]
        if firsts and (since is None or since > min(firsts)):
            since = min(firsts)
        if since is not None:
            steps.append(Step(since, base, base_b, baseline=True))
    for row in rows:
        status = row.get("status")
        if status not in MOVES and status != "narrower":
            continue
        v, when = value_of(row), _when(row.get("published"))
        if v is None or when is None or is_vague(v):
            continue
        b = bounds(v)
        if b is None or (steps and when < steps[-1].start):
            continue
        steps.append(Step(when, v, b))
    return steps


def _source(row: dict[str, Any]) -> str:
    """Who gave the figure, short enough for a legend."""
    from urllib.parse import urlsplit

    name = str(row.get("source") or row.get("feed") or
               (urlsplit(str(row.get("url") or "")).hostname or "unknown"))
    name = " ".join(name.split())
    if name[:4].lower() == "the ":
        name = name[4:]
    name = name[:1].upper() + name[1:]
    return name if len(name) <= 34 else name[:33] + "…"


def _percent(claim: dict[str, Any]) -> bool:
    unit = str(claim.get("unit") or "").strip().lower()
    return claim.get("kind") in ("share", "percent") or unit in ("percent", "%")


def _number(x: float, pct: bool) -> str:
    if pct:
        return f"{x:g}%"
    if abs(x) >= 1_000_000:
        return f"{x / 1_000_000:g}M"
    return f"{x:,.0f}" if float(x).is_integer() or abs(x) >= 100 else f"{x:g}"


def timeline_svg(claim: dict[str, Any], observations: list[dict[str, Any]],
                 *, width: float = 6.4, height: float = 3.3, title: bool = True) -> str | None:
    """An inline SVG (no XML prolog, no DOCTYPE), or None for claims without numbers.

    ``title``: head the chart with the claim's label (a page that already heads the
    chart with it passes False)."""
    pct = _percent(claim)
    points: list[tuple[datetime, Bounds, dict[str, Any]]] = []
    for row in observations:
        v, when = value_of(row), _when(row.get("published"))
        b = bounds(v) if v is not None else None
        if b is not None and when is not None:
            points.append((when, b, row))
    steps = estimate_steps(claim, observations)
    if not points and not steps:
        return None
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch
    from matplotlib.ticker import FuncFormatter

    plt.rcParams.update({"svg.fonttype": "none", "svg.hashsalt": "watcher",
                         "font.size": 8, "font.family": "DejaVu Sans"})
    times = [p[0] for p in points] + [s.start for s in steps]
    base_at = _when(claim.get("as_of"), start=True) if steps and steps[0].baseline else None
    if base_at is not None:
        times.append(base_at)
    start, end = min(times), max(times)
    pad = max(timedelta(days=4), (end - start) * 0.06)
    right = end + pad
    # The y range: every finite bound, with room above a floor (and below a ceiling) for
    # the fade that says "and more".
    finite = [x for _, b, _ in points for x in (b.low, b.high)] + \
        [x for s in steps for x in (s.bounds.low, s.bounds.high)]
    lo_y, hi_y = min(finite), max(finite)
    span = (hi_y - lo_y) or abs(hi_y) * 0.5 or 1.0
    fade = span * 0.45
    top = max([hi_y + span * 0.12] + [b.high + fade * 1.1 for _, b, _ in points if b.open_up]
              + [s.bounds.high + fade * 1.1 for s in steps if s.bounds.open_up])
    # Counts and shares start at zero, so a move's size reads true.
    bottom = 0.0 if lo_y >= 0 else lo_y - span * 0.12
    if bottom == 0.0 and fade < hi_y * 0.15:
        fade = hi_y * 0.15
        top = max([top] + [b.high + fade * 1.1 for _, b, _ in points if b.open_up]
                  + [s.bounds.high + fade * 1.1 for s in steps if s.bounds.open_up])
    if bottom == 0.0:
        top = max(top, hi_y * 1.12)
    if pct:
        top = min(max(top, hi_y + 5), 100.0 if hi_y <= 100 else top)

    def num(dt: datetime) -> float:
        """Matplotlib's day number for a moment (the axis is formatted as dates)."""
        return float(mdates.date2num(dt))  # type: ignore[no-untyped-call]

    fig, ax = plt.subplots(figsize=(width, height))
    try:
        legend: list[Any] = []
        # The estimate: a band per step, the step line over it, open ends fading away.
        ends = [s.start for s in steps[1:]] + [right]
        has_band = has_open = False
        for s, stop in zip(steps, ends, strict=True):
            b = s.bounds
            xs = [num(s.start), num(stop)]
            if b.high > b.low:
                band = ax.fill_between(xs, b.low, b.high, color=INK, alpha=0.16, lw=0,
                                       step=None)
                band.set_gid("estimate-band")
                has_band = True
            if b.open_up or b.open_down:
                has_open = True
                sign = 1 if b.open_up else -1
                limit = top if b.open_up else bottom
                reach = min(fade, abs(limit - b.mid) * 0.95)
                for i in range(_FADE_STEPS):
                    y0 = b.mid + sign * reach * i / _FADE_STEPS
                    y1 = b.mid + sign * reach * (i + 1) / _FADE_STEPS
                    part = ax.fill_between(xs, min(y0, y1), max(y0, y1), color=INK, lw=0,
                                           alpha=0.22 * (1 - i / _FADE_STEPS))
                    part.set_gid("estimate-open-up" if b.open_up else "estimate-open-down")
                x_mid = (xs[0] + xs[1]) / 2
                ax.annotate("", xy=(x_mid, b.mid + sign * reach * 0.9), xytext=(x_mid, b.mid),
                            arrowprops={"arrowstyle": "-|>", "color": INK, "lw": 1.2})
        if steps:
            xs_line = [num(s.start) for s in steps] + [num(right)]
            ys_line = [s.bounds.mid for s in steps] + [steps[-1].bounds.mid]
            (line,) = ax.plot(xs_line, ys_line, drawstyle="steps-post",
                              color=INK, lw=2.0, solid_joinstyle="miter")
            line.set_gid("estimate-line")
            legend.append(Line2D([], [], color=INK, lw=2, label="best estimate"))
            last = steps[-1]
            ax.annotate(describe(last.value, "percent" if pct else None),
                        xy=(num(right), last.bounds.mid),
                        xytext=(4, 0), textcoords="offset points", va="center",
                        fontsize=8, fontweight="bold", color=INK, annotation_clip=False)
        if has_band:
            legend.append(Patch(color=INK, alpha=0.16, lw=0, label="low–high"))
        if has_open:
            legend.append(Patch(color=INK, alpha=0.12, lw=0,
                                label="open-ended (more than / up to)"))
        # The baseline at its own date.
        first = steps[0] if steps and steps[0].baseline else None
        if first is not None:
            b = first.bounds
            at = _when(claim.get("as_of"), start=True) or first.start
            mark = ax.errorbar([num(at)], [b.mid],
                               yerr=[[b.mid - b.low], [b.high - b.mid]], fmt="D", ms=6,
                               color=BASELINE, capsize=3, zorder=5)
            mark[0].set_gid("baseline")
            dated = claim.get("as_of")
            legend.append(Line2D([], [], marker="D", ls="none", color=BASELINE,
                                 label=f"baseline ({dated})" if dated else
                                 "baseline (undated)"))
        # Every observation, coloured by source.
        colours: dict[str, str] = {}
        for when, b, row in points:
            who = _source(row)
            colour = colours.setdefault(who, PALETTE[len(colours) % len(PALETTE)])
            marker = "^" if b.open_up else "v" if b.open_down else "o"
            moved = row.get("status") in MOVES or row.get("status") == "narrower"
            if b.high > b.low:
                ax.vlines([num(when)], b.low, b.high, color=colour, lw=1.2,
                          alpha=0.8, zorder=6)
            (dot,) = ax.plot([num(when)], [b.mid], marker=marker, ms=7,
                             ls="none", color=colour, zorder=7,
                             markerfacecolor=colour if moved else "white",
                             markeredgewidth=1.4)
            dot.set_gid("observations")
        legend += [Line2D([], [], marker="o", ls="none", color=c, label=who)
                   for who, c in colours.items()]
        if points:
            legend.append(Line2D([], [], marker="o", ls="none", color="#777777",
                                 markerfacecolor="white", label="did not move it"))

        ax.set_xlim(num(start - pad), num(right))
        ax.set_ylim(bottom, top)
        locator = mdates.AutoDateLocator(maxticks=7)  # type: ignore[no-untyped-call]
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(
            mdates.ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]
        ax.yaxis.set_major_formatter(FuncFormatter(lambda x, _p: _number(x, pct)))
        unit = str(claim.get("unit") or "").strip()
        ax.set_ylabel("percent" if pct else unit or "count")
        label = str(claim.get("label") or claim.get("statement") or claim.get("id") or "")
        if title:
            ax.set_title(label if len(label) <= 90 else label[:89] + "…", loc="left",
                         fontsize=10, fontweight="bold")
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        ax.grid(axis="y", alpha=0.3)
        ax.legend(handles=legend, loc="upper center", bbox_to_anchor=(0.5, -0.14),
                  ncol=min(3, max(1, len(legend))), fontsize=7, frameon=False)
        fig.tight_layout()
        buf = io.StringIO()
        fig.savefig(buf, format="svg", bbox_inches="tight")
    finally:
        plt.close(fig)
    return _PROLOG.sub("", buf.getvalue(), count=1)


__all__ = ["Bounds", "Step", "bounds", "estimate_steps", "timeline_svg"]
