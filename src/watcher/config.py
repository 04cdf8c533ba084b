"""Load and validate ``watcher.toml`` into typed, frozen settings.

Validation is strict (unknown keys are errors) because a misspelt key that is silently
ignored is a setting the user believes in but does not have.
"""

from __future__ import annotations

import ipaddress
import os
import re
import tomllib
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from watcher.errors import ConfigError

DEFAULT_CONFIG = Path("config/watcher.toml")     # relative to the current folder
DEFAULTS = "data/defaults"                       # inside the package: config and baseline
USER_AGENT = "watcher/0.1 (+https://github.com/watcher-news/watcher; news figure monitor)"

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|m|h|d|w)\s*$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_duration(text: str) -> float:
    """Seconds in a duration such as ``"30m"``, ``"2h"``, ``"1.5d"``; ValueError otherwise."""
    m = _DURATION.match(text)
    if not m:
        raise ValueError(f"{text!r} is not a duration like '90s', '30m', '2h', '1d' or '1w'")
    seconds = float(m.group(1)) * _UNIT_SECONDS[m.group(2)]
    if seconds <= 0:
        raise ValueError(f"{text!r} must be longer than zero")
    return seconds


@dataclass(frozen=True, slots=True)
class FeedConfig:
    url: str
    name: str
    interval: float = 3600.0
    enabled: bool = True
    tags: tuple[str, ...] = ()
    own_server: bool = False        # lifts the MIN_INTERVAL floor


@dataclass(frozen=True, slots=True)
class FetchConfig:
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    deadline: float = 60.0          # total wall-clock per request, body included
    max_bytes: int = 10_000_000     # decoded body cap
    concurrency: int = 32           # requests in flight, all hosts
    per_host: int = 4               # requests in flight to one host
    retries: int = 2                # extra attempts for network errors and 5xx
    backoff: float = 1.0            # first retry delay, doubled each time, with jitter
    max_redirects: int = 5
    user_agent: str = USER_AGENT
    allow_private_links: bool = False


@dataclass(frozen=True, slots=True)
class ExtractConfig:
    max_html_bytes: int = 3_000_000   # trafilatura is super-linear beyond this
    item_timeout: float = 60.0        # wall clock for one parse or extraction
    workers: int = 2                  # worker processes for parsing and extraction (0: inline)
    worker_memory_mb: int = 1024      # address-space limit of each worker process
    articles_per_feed: int = 50       # newest entries fetched per feed and cycle


@dataclass(frozen=True, slots=True)
class DaemonConfig:
    feed_deadline: float = 300.0        # one feed's whole job: fetch, articles, store
    max_backoff: float = 86400.0        # failing feeds back off up to this
    unhealthy_after: int = 5            # consecutive failures before a feed is unhealthy
    stale_after: float = 3 * 86400.0    # no new entry for this long: the feed is stale
    misfire_grace: float = 600.0        # a run late by up to this still runs
    shutdown_grace: float = 20.0        # in-flight work may finish for this long on SIGTERM
    jitter: float = 0.1                 # share of the interval used to spread runs


@dataclass(frozen=True, slots=True)
class DigestConfig:
    at: str = "07:00"                   # local time of the daily digest
    timezone: str = "UTC"
    notify: tuple[str, ...] = ()        # Apprise URLs
    title: str = "watcher digest"
    atom_path: Path | None = None       # refreshed after each cycle when set
    html_path: Path | None = None       # the last digest as a page, when set
    send_empty: bool = False            # deliver a digest with no change in it
    link: str | None = None             # where the page is published: in short messages


@dataclass(frozen=True, slots=True)
class Config:
    path: Path
    baseline: Path
    db_path: Path
    feeds: tuple[FeedConfig, ...]
    fetch: FetchConfig = field(default_factory=FetchConfig)
    extract: ExtractConfig = field(default_factory=ExtractConfig)
    daemon: DaemonConfig = field(default_factory=DaemonConfig)
    digest: DigestConfig = field(default_factory=DigestConfig)
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)
    # [storage] busy_timeout: how long a write waits for another process's lock
    busy_timeout: float = 30.0

    @property
    def enabled_feeds(self) -> tuple[FeedConfig, ...]:
        return tuple(f for f in self.feeds if f.enabled)


# --- validation helpers -------------------------------------------------------------

class _Checker:
    """Reads one table, remembering the path of keys for error messages."""

    def __init__(self, path: Path, table: Mapping[str, Any], prefix: str) -> None:
        self.path = path
        self.table = table
        self.prefix = prefix
        self.seen: set[str] = set()

    def _key(self, key: str) -> str:
        return f"{self.prefix}{key}" if self.prefix else key

    def fail(self, key: str, message: str) -> ConfigError:
        return ConfigError(self.path, self._key(key), message)

    def get(self, key: str, kind: type | tuple[type, ...], default: Any, what: str) -> Any:
        self.seen.add(key)
        if key not in self.table:
            return default
        value = self.table[key]
        kinds = kind if isinstance(kind, tuple) else (kind,)
        # bool is an int in Python; a TOML `true` is never a valid number here
        if isinstance(value, bool) and bool not in kinds:
            raise self.fail(key, f"must be {what}, not {value!r}")
        if not isinstance(value, kinds):
            raise self.fail(key, f"must be {what}, not {type(value).__name__} {value!r}")
        return value

    def number(self, key: str, default: float, *, minimum: float = 0.0,
               integer: bool = False) -> Any:
        what = "a whole number" if integer else "a number"
        value = self.get(key, int if integer else (int, float), default, what)
        if value < minimum:
            raise self.fail(key, f"must be at least {minimum:g}, not {value}")
        return value

    def duration(self, key: str, default: float) -> float:
        value = self.get(key, (str, int, float), None, "a duration like '30m' or seconds")
        if value is None:
            return default
        if isinstance(value, str):
            try:
                return parse_duration(value)
            except ValueError as e:
                raise self.fail(key, str(e)) from None
        if value <= 0:
            raise self.fail(key, f"must be longer than zero, not {value}")
        return float(value)

    def finish(self) -> None:
        unknown = sorted(set(self.table) - self.seen)
        if unknown:
            allowed = ", ".join(sorted(self.seen))
            raise self.fail(unknown[0], f"unknown key (allowed here: {allowed})")


# Characters RFC 3986 never allows unescaped; clients differ on what they do with them.
_NOT_IN_URLS = '"<>\\^`{|}'
_LABEL = re.compile(r"^(?!-)[a-z0-9_-]{1,63}(?<!-)$")


def check_url(url: str) -> str | None:
    """Why ``url`` is not a usable feed URL, or None when it is.

    Checked in full when the config loads, so a typo is reported with the file and the
    feed instead of as a fetch failure hours later in the daemon's log.
    """
    url = url.strip()
    for i, ch in enumerate(url):
        if ch.isspace() or unicodedata.category(ch).startswith("C"):
            what = {" ": "a space", "\t": "a tab", "\n": "a line break"}.get(
                ch, f"the character U+{ord(ch):04X}")
            return (f"contains {what} at position {i + 1}, which a URL cannot hold "
                    f"(write a space as %20): {url!r}")
        if ch in _NOT_IN_URLS:
            return (f"contains {ch!r}, which a URL cannot hold unescaped (write it as "
                    f"%{ord(ch):02X}): {url!r}")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError as e:
        return f"is not a valid URL ({e}): {url!r}"
    if parts.scheme not in ("http", "https"):
        return f"must start with http:// or https://, not {url!r}"
    if not parts.hostname:
        return f"has no host name: {url!r}"
    if not _valid_host(parts.hostname, bracketed="[" in parts.netloc):
        return f"has an invalid host name {parts.hostname!r}: {url!r}"
    return None


def _valid_host(host: str, *, bracketed: bool) -> bool:
    """A DNS name (IDN allowed), an IPv4 address, or a bracketed IPv6 address."""
    if bracketed:
        return True     # urlsplit has already checked the address between the brackets
    if re.fullmatch(r"[\d.]+", host):
        try:
            ipaddress.IPv4Address(host)
        except ValueError:
            return False
        return True
    name = host[:-1] if host.endswith(".") else host
    try:
        ascii_name = name.encode("idna").decode("ascii")
    except UnicodeError:
        return False
    return len(ascii_name) <= 253 and all(_LABEL.match(x) for x in ascii_name.split("."))


MIN_INTERVAL = 60.0     # seconds between polls of one feed, unless own_server = true


def is_loopback_url(url: str) -> bool:
    """Whether the feed is on this machine (no one else's server to be polite to)."""
    host = (urlsplit(url).hostname or "").rstrip(".")
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_interval(seconds: float, url: str, *, own_server: bool = False) -> str | None:
    """Why polling ``url`` every ``seconds`` is refused, or None when it is allowed.

    Faster than once a minute is unkind to a publisher and gets the poller blocked, so it
    needs the feed's own say-so; a feed on this machine needs none.
    """
    if seconds >= MIN_INTERVAL or own_server or is_loopback_url(url):
        return None
    return (f"{seconds:g}s is below the floor of 1 minute per feed; if you run this "
            "server, set own_server = true in its [[feeds]] table")


def _resolve(base: Path, value: str) -> Path:
    p = Path(os.path.expanduser(value))
    return (p if p.is_absolute() else (base / p)).resolve()


def _feeds(path: Path, items: Any) -> tuple[FeedConfig, ...]:
    if not isinstance(items, list):
        raise ConfigError(path, "feeds", "must be an array of tables ([[feeds]])")
    feeds: list[FeedConfig] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(items):
        key = f"feeds[{i}]"
        if not isinstance(item, dict):
            raise ConfigError(path, key, "must be a table with at least url = \"...\"")
        c = _Checker(path, item, key + ".")
        given_name = item.get("name")
        which = (f" (feed {given_name.strip()!r})"
                 if isinstance(given_name, str) and given_name.strip() else "")
        url = c.get("url", str, None, "a string")
        if url is None:
            raise c.fail("url", "is required" + which)
        url = url.strip()
        problem = check_url(url)
        if problem:
            raise c.fail("url", problem + which)
        if url in seen:
            raise c.fail("url", f"repeats feeds[{seen[url]}] ({url})")
        seen[url] = i
        name = c.get("name", str, None, "a string") or urlsplit(url).hostname or url
        interval = c.duration("interval", 3600.0)
        own_server = c.get("own_server", bool, False, "true or false")
        too_fast = check_interval(interval, url, own_server=own_server)
        if too_fast:
            raise c.fail("interval", too_fast + which)
        enabled = c.get("enabled", bool, True, "true or false")
        tags = c.get("tags", list, [], "a list of strings")
        if not all(isinstance(t, str) for t in tags):
            raise c.fail("tags", "must be a list of strings")
        c.finish()
        feeds.append(FeedConfig(url=url, name=name, interval=interval, enabled=enabled,
                                tags=tuple(tags), own_server=own_server))
    return tuple(feeds)


def _fetch(path: Path, table: Any) -> FetchConfig:
    if not isinstance(table, dict):
        raise ConfigError(path, "fetch", "must be a table ([fetch])")
    c = _Checker(path, table, "fetch.")
    d = FetchConfig()
    cfg = FetchConfig(
        connect_timeout=c.duration("connect_timeout", d.connect_timeout),
        read_timeout=c.duration("read_timeout", d.read_timeout),
        deadline=c.duration("deadline", d.deadline),
        max_bytes=c.number("max_bytes", d.max_bytes, minimum=1024, integer=True),
        concurrency=c.number("concurrency", d.concurrency, minimum=1, integer=True),
        per_host=c.number("per_host", d.per_host, minimum=1, integer=True),
        retries=c.number("retries", d.retries, integer=True),
        backoff=c.duration("backoff", d.backoff),
        max_redirects=c.number("max_redirects", d.max_redirects, integer=True),
        user_agent=c.get("user_agent", str, d.user_agent, "a string"),
        allow_private_links=c.get("allow_private_links", bool, d.allow_private_links,
                                  "true or false"),
    )
    c.finish()
    return cfg


def _extract(path: Path, table: Any) -> ExtractConfig:
    if not isinstance(table, dict):
        raise ConfigError(path, "extract", "must be a table ([extract])")
    c = _Checker(path, table, "extract.")
    d = ExtractConfig()
    cfg = ExtractConfig(
        max_html_bytes=c.number("max_html_bytes", d.max_html_bytes, minimum=1024, integer=True),
        item_timeout=c.duration("item_timeout", d.item_timeout),
        workers=c.number("workers", d.workers, integer=True),
        worker_memory_mb=c.number("worker_memory_mb", d.worker_memory_mb, minimum=256,
                                  integer=True),
        articles_per_feed=c.number("articles_per_feed", d.articles_per_feed, minimum=1,
                                   integer=True),
    )
    c.finish()
    return cfg


def _daemon(path: Path, table: Any) -> DaemonConfig:
    if not isinstance(table, dict):
        raise ConfigError(path, "daemon", "must be a table ([daemon])")
    c = _Checker(path, table, "daemon.")
    d = DaemonConfig()
    cfg = DaemonConfig(
        feed_deadline=c.duration("feed_deadline", d.feed_deadline),
        max_backoff=c.duration("max_backoff", d.max_backoff),
        unhealthy_after=c.number("unhealthy_after", d.unhealthy_after, minimum=1,
                                 integer=True),
        stale_after=c.duration("stale_after", d.stale_after),
        misfire_grace=c.duration("misfire_grace", d.misfire_grace),
        shutdown_grace=c.duration("shutdown_grace", d.shutdown_grace),
        jitter=c.number("jitter", d.jitter),
    )
    if cfg.jitter > 1:
        raise c.fail("jitter", f"must be a share of the interval from 0 to 1, not {cfg.jitter}")
    c.finish()
    return cfg


_CLOCK = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


def _digest(path: Path, table: Any) -> DigestConfig:
    if not isinstance(table, dict):
        raise ConfigError(path, "digest", "must be a table ([digest])")
    c = _Checker(path, table, "digest.")
    d = DigestConfig()
    at = c.get("at", str, d.at, "a time like \"07:00\"")
    if not _CLOCK.match(at):
        raise c.fail("at", f"must be a 24-hour time like \"07:00\", not {at!r}")
    tz = c.get("timezone", str, d.timezone, "a time zone name like \"Europe/Kyiv\"")
    try:
        from zoneinfo import ZoneInfo

        ZoneInfo(tz)
    except (KeyError, ValueError, OSError):
        raise c.fail("timezone", f"unknown time zone {tz!r} (use names like "
                     "\"Europe/Kyiv\" or \"UTC\")") from None
    notify = c.get("notify", list, [], "a list of Apprise URLs")
    if not all(isinstance(u, str) and "://" in u for u in notify):
        raise c.fail("notify", "must be a list of Apprise URLs such as "
                     "\"mailtos://user:pass@example.org\"")
    title = c.get("title", str, d.title, "a string")
    atom = c.get("atom_path", str, None, "a path string")
    page = c.get("html_path", str, None, "a path string")
    send_empty = c.get("send_empty", bool, d.send_empty, "true or false")
    link = c.get("link", str, None, "an http(s) URL string")
    if link is not None and not re.match(r"^https?://\S+$", link):
        raise c.fail("link", f"must be an http(s) URL such as "
                     f"\"https://example.org/digest.html\", not {link!r}")
    c.finish()
    base = path.parent
    return DigestConfig(at=at, timezone=tz, notify=tuple(notify), title=title,
                        atom_path=_resolve(base, atom) if atom else None,
                        html_path=_resolve(base, page) if page else None,
                        send_empty=send_empty, link=link)


def parse_config(data: Mapping[str, Any], path: Path, *, db_override: Path | None = None,
                 ) -> Config:
    """Validate an already-decoded TOML document."""
    base = path.parent
    top = _Checker(path, data, "")
    baseline = top.get("baseline", str, "baseline.toml", "a path string")
    storage = top.get("storage", dict, {}, "a table ([storage])")
    s = _Checker(path, storage, "storage.")
    db = s.get("path", str, "../db/watcher.db", "a path string")
    busy_timeout = s.duration("busy_timeout", 30.0)
    s.finish()
    feeds = _feeds(path, top.get("feeds", list, [], "an array of tables ([[feeds]])"))
    fetch = _fetch(path, top.get("fetch", dict, {}, "a table ([fetch])"))
    extract = _extract(path, top.get("extract", dict, {}, "a table ([extract])"))
    daemon = _daemon(path, top.get("daemon", dict, {}, "a table ([daemon])"))
    digest = _digest(path, top.get("digest", dict, {}, "a table ([digest])"))
    top.finish()
    return Config(
        path=path,
        baseline=_resolve(base, baseline),
        db_path=db_override if db_override is not None else _resolve(base, db),
        feeds=feeds,
        fetch=fetch,
        extract=extract,
        daemon=daemon,
        digest=digest,
        raw=dict(data),
        busy_timeout=busy_timeout,
    )


def read_text(path: Path, *, missing: str = "no such file") -> str:
    """A config-like file's text; unreadable or not UTF-8 is a ConfigError naming it."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(path, None, missing) from None
    except OSError as e:
        raise ConfigError(path, None, f"cannot be read: {e.strerror or e}") from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ConfigError(path, None, "is not UTF-8 text") from None


def read_toml(path: Path, *, missing: str = "no such file") -> dict[str, Any]:
    """A TOML file as a dict; every way it can fail is a ConfigError naming the file."""
    text = read_text(path, missing=missing)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(path, None, f"is not valid TOML: {e}") from None


def packaged_defaults() -> Path:
    """The folder of the shipped config and baseline, inside the installed package."""
    from importlib import resources

    return Path(str(resources.files("watcher").joinpath(DEFAULTS)))


def editable(path: Path) -> Path:
    """``path``, unless it is a file shipped inside the package: editing that would change
    every user's defaults and be lost on the next upgrade."""
    try:
        inside = Path(path).resolve().is_relative_to(packaged_defaults().resolve())
    except OSError:
        inside = False
    if inside:
        raise ConfigError(path, None, "is the copy shipped with watcher and is not edited; "
                          "run `watcher init` to write your own config and baseline, then "
                          "edit those")
    return Path(path)


def user_config_dir() -> Path:
    """``$XDG_CONFIG_HOME/watcher``, or ``~/.config/watcher`` when it is unset."""
    base = os.environ.get("XDG_CONFIG_HOME") or ""
    root = Path(base) if os.path.isabs(base) else Path.home() / ".config"
    return root / "watcher"


def user_data_dir() -> Path:
    """``$XDG_DATA_HOME/watcher``, or ``~/.local/share/watcher``: where the database goes
    when the packaged config is used, since the package folder is no place for data."""
    base = os.environ.get("XDG_DATA_HOME") or ""
    root = Path(base) if os.path.isabs(base) else Path.home() / ".local" / "share"
    return root / "watcher"


@dataclass(frozen=True, slots=True)
class ConfigChoice:
    """Which config file is used and why, so messages can say where it came from."""

    path: Path
    source: str          # "--config", "WATCHER_CONFIG", "./config", "user", "packaged"

    @property
    def packaged(self) -> bool:
        return self.source == "packaged"


def find_config(path: Path | str | None = None) -> ConfigChoice:
    """The config to use, searched in the documented order.

    ``--config``, then ``$WATCHER_CONFIG`` (either must exist), then
    ``./config/watcher.toml``, then the user's ``watcher.toml`` in the XDG config
    folder, then the copy shipped in the package, so every command works from any folder.
    """
    if path:
        return ConfigChoice(Path(path), "--config")
    env = os.environ.get("WATCHER_CONFIG")
    if env:
        return ConfigChoice(Path(env), "WATCHER_CONFIG")
    if DEFAULT_CONFIG.is_file():
        return ConfigChoice(DEFAULT_CONFIG, "./config")
    user = user_config_dir() / "watcher.toml"
    if user.is_file():
        return ConfigChoice(user, "user")
    return ConfigChoice(packaged_defaults() / "watcher.toml", "packaged")


def load_config(path: Path | str | None = None, *, db: Path | str | None = None) -> Config:
    """Read the config found by :func:`find_config`; ``db`` (or ``$WATCHER_DB``) overrides
    its database path. The packaged config keeps its database in the user data folder."""
    choice = find_config(path)
    chosen = choice.path
    db_choice = db or os.environ.get("WATCHER_DB")
    override = Path(db_choice) if db_choice else None
    if override is None and choice.packaged:
        override = user_data_dir() / "watcher.db"
    data = read_toml(chosen, missing=f"no such file (named by {choice.source})")
    return parse_config(data, chosen.resolve().absolute() if chosen.exists() else chosen,
                        db_override=override)
