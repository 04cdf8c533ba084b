"""watcher: reads news feeds and records when the figures of a story change."""

from watcher.errors import ConfigError, FetchError, WatcherError

__version__ = "0.1.0"
__all__ = ["ConfigError", "FetchError", "WatcherError", "__version__"]
