"""`watcher reprocess`: analyse the stored articles again after the baseline changed."""

from __future__ import annotations

import os
import sys
import time
from typing import TYPE_CHECKING

import click

from watcher.cli.base import Context, err, fails_cleanly, main
from watcher.cli.figures import _known_claim

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

    from watcher.reprocess import ReprocessResult

# Test-only: articles per batch, and a way to stop a run at a chosen point as a kill or a
# Ctrl-C would: "K" (SIGKILL after K batches are committed), "K:INT" (SIGINT instead),
# "record" (SIGKILL midway through recording, inside its transaction).
TEST_BATCH_ENV = "WATCHER_TEST_REPROCESS_BATCH"
TEST_STOP_ENV = "WATCHER_TEST_REPROCESS_STOP"

_PHASE_UNITS = {"analysing": "articles", "recording": "articles with findings"}


class _Report:
    """Progress on stderr: a live bar on a terminal, a line every few seconds otherwise
    (``--progress`` into a pipe or a log); notes always."""

    LINE_EVERY = 2.0

    def __init__(self, show: bool) -> None:
        self.show = show
        self.tty = sys.stderr.isatty()
        self.bar: Progress | None = None
        self.tasks: dict[str, TaskID] = {}
        self.phase = ""
        self.total = self.done = self.first = 0
        self.t0 = self.last_line = 0.0
        self.stop = _TestStop.from_env()

    def note(self, message: str) -> None:
        if self.bar is not None:
            self.bar.console.print(message, markup=False, highlight=False)
        else:
            err.print(message)

    def start(self, phase: str, total: int, done: int = 0) -> None:
        self.phase, self.total, self.done, self.first = phase, total, done, done
        self.t0 = time.monotonic()
        self.last_line = 0.0
        if not self.show:
            return
        if not self.tty:
            self._line(force=True)
            return
        if self.bar is None:
            self.bar = _bar()
            self.bar.start()
        if phase in self.tasks:
            self.bar.update(self.tasks[phase], total=total, completed=done)
        else:
            self.tasks[phase] = self.bar.add_task(phase, total=total, completed=done)

    def advance(self, n: int) -> None:
        self.done += n
        if self.show:
            if self.bar is not None:
                self.bar.update(self.tasks[self.phase], completed=self.done)
            else:
                self._line(force=self.done >= self.total)
        self.stop.check(self.phase)

    def _line(self, *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self.last_line < self.LINE_EVERY:
            return
        self.last_line = now
        elapsed = now - self.t0
        rate = (self.done - self.first) / elapsed if elapsed > 0 else 0.0
        pct = 100 * self.done / self.total if self.total else 100.0
        eta = _clock((self.total - self.done) / rate) if rate > 0 else "-:--:--"
        err.print(f"{self.phase}: {self.done:,}/{self.total:,} "
                  f"{_PHASE_UNITS.get(self.phase, '')} ({pct:.0f}%), {rate:,.1f}/s, "
                  f"ETA {eta}")

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None


def _bar() -> Progress:
    """A live bar on stderr: what, how far, how fast, how long still."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        ProgressColumn,
        Task,
        TextColumn,
        TimeRemainingColumn,
    )
    from rich.text import Text

    class Rate(ProgressColumn):
        def render(self, task: Task) -> Text:
            return Text(f"{task.speed:,.0f}/s" if task.speed else "",
                        style="progress.data.speed")

    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                    Rate(), TextColumn("ETA"), TimeRemainingColumn(),
                    console=Console(stderr=True))


def _clock(seconds: float) -> str:
    s = int(seconds + 0.5)
    return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}"


class _TestStop:
    """The test-only stop of TEST_STOP_ENV (see there); inert when it is not set."""

    def __init__(self, phase: str, after: int, sig: int) -> None:
        self.phase, self.after, self.sig = phase, after, sig
        self.seen = 0

    @classmethod
    def from_env(cls) -> _TestStop:
        import signal

        spec = os.environ.get(TEST_STOP_ENV, "").strip()
        if spec == "record":
            return cls("recording", 1, signal.SIGKILL)
        count, _, how = spec.partition(":")
        if not count.isdigit():
            return cls("", 0, 0)
        return cls("analysing", int(count), signal.SIGINT if how == "INT" else signal.SIGKILL)

    def check(self, phase: str) -> None:
        if phase != self.phase or not self.sig:
            return
        self.seen += 1
        if self.seen == self.after:
            os.kill(os.getpid(), self.sig)


@main.command()
@click.option("--claim", callback=_known_claim,
              help="Only this claim: its observations, candidates and state are rebuilt "
                   "from the articles the search index finds with its words; other "
                   "claims' are left as they are.")
@click.option("--progress/--no-progress", default=None,
              help="Progress with an ETA on stderr [default: when stderr is a terminal].")
@click.pass_obj
@fails_cleanly
def reprocess(obj: Context, claim: str | None, progress: bool | None) -> None:
    """Analyse the stored articles again (after the baseline or the extractor changed)
    and rebuild observations, candidates and claim states.

    Analysis uses every worker process and is saved batch by batch: an interrupted run
    (Ctrl-C, kill) resumes where it stopped when run again. Observations are replaced
    only at the end, in one transaction, oldest article first.
    """
    import asyncio

    from watcher.reprocess import BATCH_ARTICLES
    from watcher.reprocess import reprocess as run

    config = obj.config
    batch = os.environ.get(TEST_BATCH_ENV, "")
    report = _Report(sys.stderr.isatty() if progress is None else progress)
    with obj.store(create=False) as store:
        try:
            result = asyncio.run(run(
                config, store, claim=claim, report=report,
                batch_articles=int(batch) if batch.isdigit() else BATCH_ARTICLES))
        except KeyboardInterrupt:
            report.close()
            err.print("interrupted: observations are unchanged; the articles analysed so "
                      "far are kept, and `watcher reprocess` resumes from there")
            sys.exit(130)
        finally:
            report.close()
    click.echo(_summary(result))


def _summary(r: ReprocessResult) -> str:
    what = (f"reprocessed {r.articles} article(s)" if r.claim is None
            else f"reprocessed {r.articles} of {r.archive} article(s) for claim {r.claim}")
    line = f"{what}: {r.observations} observation(s), {r.changes} change(s)"
    if r.failed:
        line += f"; {r.failed} article(s) could not be analysed and have none"
    return line
