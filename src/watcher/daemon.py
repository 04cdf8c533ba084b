"""`watcher run`: poll every feed on its own schedule, for months, without a silent stop.

APScheduler 3.11's ``AsyncIOScheduler`` fires one job per enabled feed (interval plus
jitter, ``max_instances=1``, ``coalesce=True``). Each job body runs under a total
deadline, because a job that never returns makes APScheduler skip every later run of it.
After a job the daemon decides when the feed runs next: exponential backoff while it
fails (capped, never dropped), later when the server asks (Retry-After, or caching
hints that ask for less frequent polling), and records health, events and a per-window
``runs`` row. SIGHUP reloads the config, SIGTERM/SIGINT stop cleanly, and an advisory
lock next to the database (watcher.instance) keeps a second daemon off it.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import logging
import os
import random
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from apscheduler.events import (
    EVENT_JOB_ERROR,
    EVENT_JOB_MAX_INSTANCES,
    EVENT_JOB_MISSED,
    JobExecutionEvent,
    JobSubmissionEvent,
)
from apscheduler.jobstores.base import JobLookupError
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from watcher.config import Config, DaemonConfig, FeedConfig
from watcher.errors import WatcherError
from watcher.fetch import Fetcher
from watcher.health import health_of, parse_ts
from watcher.instance import InstanceLock
from watcher.logs import EXPECTED
from watcher.observe import FiguresHook
from watcher.pipeline import FeedOutcome, Pipeline
from watcher.store import Store, iso_utc
from watcher.store.base import DatabaseFullError, DatabaseUnavailable
from watcher.workers import WorkerPool

log = logging.getLogger("watcher.daemon")

FIRST_SPREAD = 5.0           # first polls start at once, spread over this many seconds
EVENT_MERGE = 60.0           # repeats of one event within this are counted, not added
EVENT_KEEP_DAYS = 90
DIGEST_DEADLINE = 600.0
ATOM_DEBOUNCE = 2.0          # seconds: jobs finishing within this share one Atom refresh


# --- scheduling policy -----------------------------------------------------------------

def backoff_delay(interval: float, failures: int, max_backoff: float) -> float:
    """Seconds until the next try after ``failures`` consecutive failures: the interval
    doubled per failure after the first, capped at ``max_backoff`` (never below the
    interval itself)."""
    if failures <= 1:
        return interval
    return max(interval, min(max_backoff, interval * 2.0 ** min(failures - 1, 60)))


def next_delay(feed: FeedConfig, outcome: FeedOutcome, failures: int,
               cfg: DaemonConfig) -> float | None:
    """How long to wait before the next poll when that is later than the schedule;
    None when the regular schedule stands."""
    delay = 0.0
    if outcome.status == "error":
        delay = backoff_delay(feed.interval, failures, cfg.max_backoff)
        if failures <= 1:
            delay = 0.0
    if outcome.retry_after:
        delay = max(delay, min(outcome.retry_after, cfg.max_backoff))
    if outcome.fresh_for and outcome.fresh_for > feed.interval:
        delay = max(delay, min(outcome.fresh_for, max(cfg.max_backoff, feed.interval)))
    return delay or None


def _iso(dt: datetime) -> str:
    return iso_utc(dt)


def _job_id(url: str) -> str:
    return "feed:" + url


def _expected_hooks(name: str) -> Callable[..., Any] | None:
    """``watcher.digest.<name>`` when the digest module provides it (lazy: optional)."""
    try:
        import watcher.digest as digest_module

        fn = getattr(digest_module, name)
    except (ImportError, AttributeError):
        return None
    return fn if callable(fn) else None


# --- the daemon ------------------------------------------------------------------------

@dataclass
class _Generation:
    """Fetcher, workers and pipeline built from one config; replaced when a reload
    changes [fetch] or [extract], and closed once its in-flight jobs are done."""

    fetch_key: Any
    extract_key: Any
    fetcher: Fetcher
    workers: WorkerPool
    pipeline: Pipeline
    active: int = 0
    retired: bool = False
    closers: list[asyncio.Task[None]] = field(default_factory=list)


class Daemon:
    """``await Daemon(config, reload=...).run()``; returns the exit status."""

    def __init__(self, config: Config, *, reload: Callable[[], Config] | None = None) -> None:
        self.config = config
        self._reload = reload
        self.store: Store | None = None
        self.scheduler: AsyncIOScheduler | None = None
        self._gen: _Generation | None = None
        self._old_gens: list[_Generation] = []
        self._feeds: dict[str, FeedConfig] = {}
        self._inflight: set[asyncio.Task[Any]] = set()
        self._background: set[asyncio.Task[Any]] = set()
        self._atom_pending: asyncio.TimerHandle | None = None
        self._stop = asyncio.Event()
        self._stopping = False
        self._run_id: int | None = None
        self._window_end = 0.0
        self._window_len = 3600.0
        self._db_down: DatabaseUnavailable | None = None   # polling paused while set

    # -- life cycle --

    async def run(self) -> int:
        lock = InstanceLock(self.config.db_path)
        lock.acquire()
        try:
            self.store = Store(self.config.db_path, busy_timeout=self.config.busy_timeout)
            try:
                self.store.check_at_start()     # PRAGMA quick_check: damage ends it, exit 1
                return await self._serve()
            finally:
                self.store.close()      # last: after every job has ended
                self.store = None
        finally:
            lock.release()

    async def _serve(self) -> int:
        assert self.store is not None
        loop = asyncio.get_running_loop()
        self._gen = self._build_generation(self.config, None)
        self.scheduler = AsyncIOScheduler(event_loop=loop, timezone=UTC)
        self.scheduler.add_listener(self._on_job_event,
                                    EVENT_JOB_ERROR | EVENT_JOB_MISSED | EVENT_JOB_MAX_INSTANCES)
        self._apply_feeds(self.config)
        self._schedule_digest()
        self.scheduler.add_job(self._housekeeping, IntervalTrigger(hours=1, timezone=UTC),
                               id="housekeeping", name="housekeeping", max_instances=1,
                               coalesce=True, misfire_grace_time=3600,
                               next_run_time=datetime.now(UTC) + timedelta(seconds=5))
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, self._request_stop, sig)
        loop.add_signal_handler(signal.SIGHUP, self._request_reload)
        self.scheduler.start()
        self._event("start", f"pid {os.getpid()}, {len(self._feeds)} feed(s)")
        log.info("daemon started: %d feed(s), database %s", len(self._feeds),
                 self.config.db_path, extra={"event": "daemon.start"})
        try:
            await self._stop.wait()
        finally:
            for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
                loop.remove_signal_handler(sig)
            await self._shutdown()
        return 0

    def _request_stop(self, sig: signal.Signals) -> None:
        if self._stop.is_set():
            log.warning("second %s: in-flight work is being cancelled", sig.name,
                        extra={"event": "daemon.stop"})
            for task in list(self._inflight):
                task.cancel()
            return
        log.info("%s received: stopping", sig.name, extra={"event": "daemon.stop"})
        self._stopping = True
        self._stop.set()

    async def _shutdown(self) -> None:
        assert self.scheduler is not None and self.store is not None
        self._stopping = True
        self.scheduler.pause()               # no new runs from here on
        grace = self.config.daemon.shutdown_grace
        pending = {t for t in self._inflight if not t.done()}
        if pending:
            log.info("waiting up to %g s for %d job(s) in flight", grace, len(pending),
                     extra={"event": "daemon.drain"})
            _done, pending = await asyncio.wait(pending, timeout=grace)
        if pending:
            log.warning("cancelling %d job(s) still running after %g s", len(pending), grace,
                        extra={"event": "daemon.cancel"})
            for task in pending:
                task.cancel()
            await asyncio.wait(pending, timeout=5)
        self.scheduler.shutdown(wait=False)
        await asyncio.sleep(0)               # let the scheduler's own shutdown run
        if self._atom_pending is not None:   # the last news still reaches the Atom file
            self._atom_pending.cancel()
            self._refresh_atom()
        for gen in [*self._old_gens, *([self._gen] if self._gen else [])]:
            await self._close_generation(gen)
        self._event("stop", "clean shutdown")
        log.info("daemon stopped", extra={"event": "daemon.stopped"})

    # -- generations (fetcher + workers + pipeline) --

    def _build_generation(self, config: Config, old: _Generation | None) -> _Generation:
        assert self.store is not None
        hook = FiguresHook.from_config(config)   # first: a bad baseline refuses the reload
        if old is not None and old.fetch_key == config.fetch:
            fetcher = old.fetcher
        else:
            fetcher = Fetcher(config.fetch)
        if old is not None and old.extract_key == config.extract:
            workers = old.workers
        else:
            workers = WorkerPool.from_config(config.extract)
        pipeline = Pipeline(config, self.store, fetcher, workers, hook)
        if hook is not None:
            hook.sync(self.store)
        return _Generation(config.fetch, config.extract, fetcher, workers, pipeline)

    async def _close_generation(self, gen: _Generation, keep: _Generation | None = None
                                ) -> None:
        if keep is None or gen.fetcher is not keep.fetcher:
            await gen.fetcher.aclose()
        if keep is None or gen.workers is not keep.workers:
            await asyncio.to_thread(gen.workers.close)

    async def _retire(self, gen: _Generation) -> None:
        while gen.active > 0:
            await asyncio.sleep(0.5)
        if gen in self._old_gens:
            self._old_gens.remove(gen)
            await self._close_generation(gen, keep=self._gen)

    # -- feeds and their jobs --

    def _interval_trigger(self, feed: FeedConfig, first: datetime) -> IntervalTrigger:
        jitter = feed.interval * self.config.daemon.jitter
        return IntervalTrigger(seconds=feed.interval, start_date=first,
                               jitter=jitter or None, timezone=UTC)

    def _first_run(self, feed: FeedConfig, row: dict[str, Any] | None) -> datetime:
        """First polls start at once, a few seconds apart (a user who starts the daemon
        wants results now; the interval's jitter spreads the later polls). After a
        restart, keep a stored later run (backoff, Retry-After) as long as today's
        policy would also have asked for it."""
        now = datetime.now(UTC)
        first = now + timedelta(seconds=random.uniform(0, min(feed.interval, FIRST_SPREAD)))
        stored = parse_ts(row.get("next_run_at")) if row else None
        if row is not None and stored is not None and stored > first:
            cfg = self.config.daemon
            cap = max(feed.interval, backoff_delay(feed.interval,
                                                   int(row["consecutive_errors"] or 0),
                                                   cfg.max_backoff))
            retry = parse_ts(row.get("retry_after_until"))
            limit = now + timedelta(seconds=cap)
            if retry is not None:
                limit = max(limit, min(retry, now + timedelta(seconds=cfg.max_backoff)))
            first = min(stored, limit)
        return first

    def _apply_feeds(self, config: Config) -> tuple[int, int, int]:
        """Make the jobs match ``config``'s enabled feeds; (added, removed, changed)."""
        assert self.scheduler is not None and self.store is not None
        wanted = {f.url: f for f in config.enabled_feeds}
        old = self._feeds
        added = removed = changed = 0
        for url in list(old):
            if url not in wanted:
                with contextlib.suppress(JobLookupError):
                    self.scheduler.remove_job(_job_id(url))
                removed += 1
        for url, feed in wanted.items():
            before = old.get(url)
            if before is not None and before.interval == feed.interval:
                if before != feed:
                    changed += 1
                with contextlib.suppress(JobLookupError):
                    self.scheduler.modify_job(
                        _job_id(url), name=feed.name,
                        misfire_grace_time=max(1, int(config.daemon.misfire_grace)))
                continue
            state = self.store.ensure_feed(url, feed.name)
            row = self.store.daemon_feed(url)
            start = self._first_run(feed, row)
            trigger = self._interval_trigger(feed, start)
            if before is not None:
                changed += 1
                with contextlib.suppress(JobLookupError):
                    self.scheduler.remove_job(_job_id(url))
            else:
                added += 1
            # The first run at ``start`` exactly: the trigger's jitter applies to later
            # runs only, and the time stored for `watcher status` is the real one.
            self.scheduler.add_job(
                self._feed_job, trigger, args=(url,), id=_job_id(url), name=feed.name,
                max_instances=1, coalesce=True,
                misfire_grace_time=max(1, int(config.daemon.misfire_grace)),
                replace_existing=True, next_run_time=start)
            self.store.set_next_run(state.id, _iso(start))
        self._feeds = wanted
        self._window_len = max(60.0, min(3600.0, min(
            (f.interval for f in wanted.values()), default=3600.0)))
        return added, removed, changed

    async def _feed_job(self, url: str) -> None:
        feed = self._feeds.get(url)
        gen = self._gen
        if (feed is None or gen is None or self._stopping or self.store is None
                or self._db_down is not None):
            return
        task = asyncio.current_task()
        assert task is not None
        self._inflight.add(task)
        gen.active += 1
        start = time.monotonic()
        deadline = self.config.daemon.feed_deadline
        try:
            try:
                async with asyncio.timeout(deadline):
                    outcome = await gen.pipeline.check_feed(feed)
            except TimeoutError:
                outcome = FeedOutcome(url=url, name=feed.name, status="error",
                                      error=f"job exceeded the {deadline:g} s feed deadline "
                                            "and was cancelled")
                state = self.store.ensure_feed(url, feed.name)
                self.store.record_feed_error(state.id, outcome.error or "deadline")
            outcome.elapsed = time.monotonic() - start
            self._after_job(feed, outcome)
        except DatabaseUnavailable as e:
            self._database_unavailable(e)   # the feed's state was not written: refetched
        except asyncio.CancelledError:
            if not self._stopping:
                raise
            log.warning("cancelled at shutdown", extra={"event": "feed.cancelled",
                                                         "feed": feed.name})
        finally:
            gen.active -= 1
            self._inflight.discard(task)

    def _database_unavailable(self, error: DatabaseUnavailable) -> None:
        """A full disk or a lock past the busy timeout: say so once, poll no feed, and
        retry a write on our own schedule until one succeeds."""
        if self._db_down is not None:
            return
        self._db_down = error
        kind = "full" if isinstance(error, DatabaseFullError) else "locked"
        log.error("%s; polling paused until the database takes writes again", error,
                  extra={"event": f"db.{kind}"})
        task = asyncio.get_running_loop().create_task(self._retry_database())
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def _retry_database(self) -> None:
        every = max(1.0, min(60.0, min((f.interval for f in self._feeds.values()),
                                       default=60.0)))
        while not self._stopping and self.store is not None:
            await asyncio.sleep(every)
            if self._stopping or self.store is None:
                return
            try:
                self.store.probe_write()
                self.store.add_event("db_resumed", f"database writable again after: "
                                     f"{self._db_down}")
            except DatabaseUnavailable as e:
                log.debug("database still unavailable: %s", e, extra={"event": "db.retry"})
                continue
            self._db_down = None
            log.info("database writable again: resuming polling",
                     extra={"event": "db.resumed"})
            return

    def _after_job(self, feed: FeedConfig, outcome: FeedOutcome) -> None:
        assert self.store is not None
        store = self.store
        extra = {"event": f"feed.{outcome.status}", "feed": feed.name,
                 "duration": outcome.elapsed}
        if outcome.status == "error":
            log.warning("%s", outcome.error, extra=extra)
        elif outcome.status in ("not_modified", "unchanged"):
            log.info("%s", outcome.status.replace("_", " "), extra=extra)
        else:
            log.info("%d new entr%s, %d article(s)", outcome.new_entries,
                     "y" if outcome.new_entries == 1 else "ies", outcome.articles, extra=extra)
        self._count(outcome)
        row = store.daemon_feed(feed.url)
        if row is None:
            return
        self._reschedule(feed, outcome, row)
        health = health_of(row, self.config.daemon)
        previous = store.set_health(int(row["id"]), health)
        if previous is not None:
            kind = "recovered" if health == "ok" else health
            detail = (f"{row['consecutive_errors']} consecutive failures: {row['last_error']}"
                      if health == "unhealthy" else f"was {previous}")
            level = logging.INFO if health == "ok" else logging.WARNING
            log.log(level, "feed is now %s (%s)", health, detail,
                    extra={"event": f"feed.{kind}", "feed": feed.name})
            self._event(kind, detail, feed_url=feed.url)
        if self.config.digest.atom_path is not None and (outcome.new_entries or previous):
            self._atom_soon()

    def _reschedule(self, feed: FeedConfig, outcome: FeedOutcome, row: dict[str, Any]) -> None:
        assert self.scheduler is not None and self.store is not None
        failures = int(row["consecutive_errors"] or 0)
        delay = next_delay(feed, outcome, failures, self.config.daemon)
        job = self.scheduler.get_job(_job_id(feed.url))
        if job is None:
            return
        when: datetime | None = job.next_run_time
        if delay is not None:
            later = datetime.now(UTC) + timedelta(seconds=delay)
            if when is None or later > when:
                with contextlib.suppress(JobLookupError):
                    job = self.scheduler.modify_job(job.id, next_run_time=later)
                when = later
                log.info("next poll in %.0f s", delay,
                         extra={"event": "feed.backoff" if outcome.status == "error"
                                else "feed.later", "feed": feed.name})
        self.store.set_next_run(int(row["id"]), _iso(when) if when else None)

    def _count(self, outcome: FeedOutcome) -> None:
        assert self.store is not None
        now = time.time()
        if self._run_id is None or now >= self._window_end:
            self._run_id = self.store.open_run_window()
            self._window_end = now + self._window_len
        error = f"{outcome.name}: {outcome.error}" if outcome.error else None
        self.store.add_to_run(self._run_id, outcome.counts(), error)

    # -- reload --

    def _request_reload(self) -> None:
        task = asyncio.get_running_loop().create_task(self._do_reload())
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def _do_reload(self) -> None:
        if self._reload is None or self._stopping:
            return
        try:
            new = self._reload()
            if new.db_path != self.config.db_path:
                raise WatcherError(f"[storage] path changed to {new.db_path}: restart the "
                                   "daemon to use another database")
        except WatcherError as e:
            log.error("config reload refused, the old config keeps running: %s", e,
                      extra={"event": "daemon.reload_refused"})
            self._event("reload_refused", str(e))
            return
        old_gen = self._gen
        assert old_gen is not None
        try:
            gen = self._build_generation(new, old_gen)
        except WatcherError as e:
            log.error("config reload refused, the old config keeps running: %s", e,
                      extra={"event": "daemon.reload_refused"})
            self._event("reload_refused", str(e))
            return
        self.config = new
        self._gen = gen
        if gen.fetcher is not old_gen.fetcher or gen.workers is not old_gen.workers:
            self._old_gens.append(old_gen)
            old_gen.closers.append(asyncio.get_running_loop().create_task(
                self._retire(old_gen)))
        added, removed, changed = self._apply_feeds(new)
        self._schedule_digest()
        detail = f"{added} added, {removed} removed, {changed} changed"
        log.info("config reloaded: %s", detail, extra={"event": "daemon.reload"})
        self._event("reload", detail)

    # -- digest and housekeeping --

    def _schedule_digest(self) -> None:
        assert self.scheduler is not None
        from zoneinfo import ZoneInfo

        hour, minute = (int(x) for x in self.config.digest.at.split(":"))
        trigger = CronTrigger(hour=hour, minute=minute,
                              timezone=ZoneInfo(self.config.digest.timezone))
        self.scheduler.add_job(self._digest_job, trigger, id="digest", name="daily digest",
                               max_instances=1, coalesce=True, misfire_grace_time=6 * 3600,
                               replace_existing=True)

    async def _digest_job(self) -> None:
        fn = _expected_hooks("run_daily")
        if fn is None:
            log.info("digest not available", extra={"event": "digest.skipped"})
            return
        start = time.monotonic()
        try:
            async with asyncio.timeout(DIGEST_DEADLINE):
                result = fn(self.config, self.store)
                if inspect.isawaitable(result):
                    await result
        except TimeoutError:
            log.error("digest took longer than %g s", DIGEST_DEADLINE,
                      extra={"event": "digest.error"})
            self._event("digest_error", "deadline")
            return
        except EXPECTED as e:
            log.error("digest failed: %s", e, extra={"event": "digest.error"})
            self._event("digest_error", str(e))
            return
        except Exception as e:
            log.exception("digest failed", extra={"event": "digest.error"})
            self._event("digest_error", f"{type(e).__name__}: {e}")
            return
        log.info("digest done", extra={"event": "digest.done",
                                       "duration": time.monotonic() - start})
        self._event("digest", "sent")

    def _atom_soon(self) -> None:
        """Refresh the Atom file shortly: a burst of jobs with news costs one rewrite."""
        if self._atom_pending is None and not self._stopping:
            self._atom_pending = asyncio.get_running_loop().call_later(
                ATOM_DEBOUNCE, self._refresh_atom)

    def _refresh_atom(self) -> None:
        self._atom_pending = None
        fn = _expected_hooks("refresh_atom")
        if fn is None or self.store is None:
            return
        try:
            result = fn(self.config, self.store)
            if inspect.isawaitable(result):
                task = asyncio.ensure_future(result)
                self._background.add(task)
                task.add_done_callback(self._background.discard)
        except EXPECTED as e:
            log.warning("atom feed not refreshed: %s", e, extra={"event": "atom.error"})
        except Exception:
            log.exception("atom feed not refreshed", extra={"event": "atom.error"})

    async def _housekeeping(self) -> None:
        """Hourly: flag stale feeds nobody polls successfully, and forget old events."""
        if self.store is None or self._stopping:
            return
        store = self.store
        for row in store.daemon_feeds():
            if row["url"] not in self._feeds:
                continue
            health = health_of(row, self.config.daemon)
            previous = store.set_health(int(row["id"]), health)
            if previous is not None:
                kind = "recovered" if health == "ok" else health
                log.warning("feed is now %s", health,
                            extra={"event": f"feed.{kind}", "feed": row["name"]})
                self._event(kind, f"was {previous}", feed_url=row["url"])
        cutoff = _iso(datetime.now(UTC) - timedelta(days=EVENT_KEEP_DAYS))
        store.prune_events(cutoff)

    # -- events --

    def _event(self, kind: str, detail: str, *, feed_url: str | None = None,
               merge: bool = False) -> None:
        if self.store is None:
            return
        since = None
        if merge:
            since = _iso(datetime.now(UTC) - timedelta(seconds=EVENT_MERGE))
        self.store.add_event(kind, detail, feed_url=feed_url, merge_since=since)

    def _on_job_event(self, event: JobSubmissionEvent | JobExecutionEvent) -> None:
        job_id = str(event.job_id)
        url = job_id.removeprefix("feed:") if job_id.startswith("feed:") else None
        feed = self._feeds.get(url) if url else None
        name = feed.name if feed else job_id
        if event.code == EVENT_JOB_ERROR:
            exc = getattr(event, "exception", None)
            log.error("job failed: %s: %s", type(exc).__name__, exc,
                      extra={"event": "job.error", "feed": name})
            self._event("job_error", f"{type(exc).__name__}: {exc}", feed_url=url)
        elif event.code == EVENT_JOB_MISSED:
            log.warning("run missed (later than the %g s grace)",
                        self.config.daemon.misfire_grace,
                        extra={"event": "job.missed", "feed": name})
            self._event("missed", "run time missed", feed_url=url, merge=True)
        elif event.code == EVENT_JOB_MAX_INSTANCES:
            log.warning("run skipped: the previous one is still running",
                        extra={"event": "job.max_instances", "feed": name})
            self._event("max_instances", "previous run still going", feed_url=url,
                        merge=True)


async def run_daemon(config: Config, reload: Callable[[], Config] | None = None) -> int:
    return await Daemon(config, reload=reload).run()
