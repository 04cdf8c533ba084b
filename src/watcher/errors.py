"""The exceptions watcher raises on purpose.

Every expected failure (bad config, refused URL, network trouble, bad feed) is one of
these, so the CLI and the daemon can print one clear line instead of a traceback.
"""

from __future__ import annotations


class WatcherError(Exception):
    """Base class: an expected failure with a message meant for people."""


class ConfigError(WatcherError):
    """A configuration or baseline file that cannot be used.

    The message names the file, the key and what is allowed.
    """

    def __init__(self, path: object, key: str | None, message: str) -> None:
        self.path = str(path)
        self.key = key
        self.detail = message
        where = f"{self.path}: {key}" if key else self.path
        super().__init__(f"{where}: {message}")


class FetchError(WatcherError):
    """A URL could not be fetched within the rules (network, status, size, policy)."""

    def __init__(self, url: str, reason: str, *, status: int | None = None,
                 retry_after: float | None = None, kind: str = "network") -> None:
        self.url = url
        self.reason = reason
        self.status = status
        self.retry_after = retry_after
        self.kind = kind
        super().__init__(f"{url}: {reason}")


class BlockedURLError(FetchError):
    """A URL refused by policy: scheme, or an address that is not public."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(url, reason, kind="blocked")


class FeedError(WatcherError):
    """A fetched body that is not a usable feed."""


class StoreError(WatcherError):
    """The database cannot be opened or has an unknown schema."""
