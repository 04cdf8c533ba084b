"""The ``watcher`` command line: the group, shared options and output helpers.

Every command takes ``--config`` and ``--db`` (or WATCHER_CONFIG / WATCHER_DB). Expected
failures print one line starting with ``error:`` and exit with status 2 (configuration)
or 1 (anything else); a traceback means a bug.
"""

from __future__ import annotations

import functools
import logging
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click
from rich.console import Console

from watcher.config import Config, load_config
from watcher.errors import ConfigError, WatcherError
from watcher.store import Store
from watcher.text import clean_text

F = TypeVar("F", bound=Callable[..., Any])

out = Console(highlight=False, soft_wrap=False)
err = Console(stderr=True, highlight=False)


class Context:
    def __init__(self, config_path: str | None, db_path: str | None) -> None:
        self.config_path = config_path
        self.db_path = db_path
        self._config: Config | None = None

    @property
    def config(self) -> Config:
        if self._config is None:
            self._config = load_config(self.config_path, db=self.db_path)
        return self._config

    def store(self, *, create: bool = True) -> Store:
        return Store(self.config.db_path, create=create)


def fails_cleanly(fn: F) -> F:
    """Turn watcher's expected errors into one line on stderr and an exit status."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except ConfigError as e:
            err.print(f"[bold red]error:[/] {clean_text(str(e))}", markup=True)
            sys.exit(2)
        except WatcherError as e:
            err.print(f"[bold red]error:[/] {clean_text(str(e))}", markup=True)
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


def safe(s: object) -> str:
    """A stranger's string, fit for the terminal and for rich (no markup, no escapes)."""
    from rich.markup import escape

    return escape(clean_text("" if s is None else str(s)))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--config", "config_path", envvar="WATCHER_CONFIG", type=click.Path(),
              help="Config file [default: config/watcher.toml; env WATCHER_CONFIG].")
@click.option("--db", "db_path", envvar="WATCHER_DB", type=click.Path(),
              help="Database file, overriding [storage] path [env WATCHER_DB].")
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug).")
@click.version_option(package_name="watcher")
@click.pass_context
def main(ctx: click.Context, config_path: str | None, db_path: str | None,
         verbose: int) -> None:
    """Watch news feeds for the figures of a story, and record when they change."""
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(level=level, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    ctx.obj = Context(config_path, db_path)


