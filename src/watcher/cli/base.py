"""The ``watcher`` command line: the group, shared options and output helpers.

Every command takes ``--config`` and ``--db`` (or WATCHER_CONFIG / WATCHER_DB), before or
after its name. Expected
failures print one line starting with ``error:`` and exit with status 2 (configuration)
or 1 (anything else); a traceback means a bug.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar, cast

import click

from watcher.errors import ConfigError, WatcherError
from watcher.text import clean_text

if TYPE_CHECKING:
    from rich.console import Console

    from watcher.config import Config
    from watcher.store import Store

# Heavy modules (rich, watcher.config, watcher.store and with it sqlite_utils and numpy)
# are imported where they are used, not here: every command, `watcher --help` included,
# imports this module, and most need few of them (tests/test_cli_imports.py checks).

F = TypeVar("F", bound=Callable[..., Any])


def _piped_width() -> int | None:
    """The width for a stream that is not a terminal: ``$COLUMNS`` when set, else wide
    enough that a table keeps its natural width (rich would cut it to 80 columns)."""
    if sys.stdout.isatty():
        return None
    columns = os.environ.get("COLUMNS", "")
    return int(columns) if columns.isdigit() and int(columns) > 0 else 10_000


def _make_out() -> Console:
    """stdout: a line of text is never broken (a URL in it must stay whole), while a
    table still fits the width, cropping its cells rather than its lines."""
    from rich.console import Console
    from rich.text import Text

    class _Output(Console):
        def print(self, *objects: Any, **kwargs: Any) -> None:
            if "soft_wrap" not in kwargs and all(isinstance(o, str | Text) for o in objects):
                kwargs["soft_wrap"] = True
            super().print(*objects, **kwargs)

    return _Output(highlight=False, width=_piped_width())


def _make_err() -> Console:
    """stderr carries messages only, never wrapped; no markup: they carry user text."""
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True, markup=False)


class _LazyConsole:
    """A rich Console made on first use: importing rich costs every command (``--help``,
    ``extract --format json``) tens of milliseconds that most never need."""

    def __init__(self, make: Callable[[], Console]) -> None:
        self._make = make
        self._console: Console | None = None

    def _real(self) -> Console:
        if self._console is None:
            self._console = self._make()
        return self._console

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real(), name)

    # Special methods are looked up on the type, not through __getattr__: rich's Live
    # (a Progress given ``console=err``) enters its console with ``with``.
    def __enter__(self) -> Console:
        return self._real().__enter__()

    def __exit__(self, *exc: Any) -> None:
        self._real().__exit__(*exc)


# Typed as the Consoles they stand for: every attribute is the real Console's.
out = cast("Console", _LazyConsole(_make_out))
err = cast("Console", _LazyConsole(_make_err))


class Context:
    """The options every command shares, given before or after the subcommand."""

    def __init__(self, config_path: str | None, db_path: str | None) -> None:
        self.config_path = config_path
        self.db_path = db_path
        self._config: Config | None = None

    @property
    def config(self) -> Config:
        if self._config is None:
            from watcher.config import load_config

            self._config = load_config(self.config_path, db=self.db_path)
        return self._config

    def store(self, *, create: bool = False) -> Store:
        """The database; only commands that write new data pass ``create=True``."""
        from watcher.store import Store

        if create:
            self.prepare_db_folder()
        return Store(self.config.db_path, create=create, busy_timeout=self.config.busy_timeout)

    def prepare_db_folder(self) -> None:
        """Make the database's folder when it is the configured default, and say so.

        A folder named through ``--db``/``WATCHER_DB`` must exist: a typo there should
        not grow a tree of folders. The configured path gets its own folder only; the
        packaged config's user data folder is made whole, as XDG expects.
        """
        from watcher.config import user_data_dir
        from watcher.store.base import DatabasePathError

        folder = self.config.db_path.parent
        if folder.is_dir():
            return
        if self.db_path or os.environ.get("WATCHER_DB"):
            raise DatabasePathError(f"{folder}: no such folder for the database named by "
                                    "--db (create it first)")
        try:
            folder.mkdir(parents=folder == user_data_dir())
        except FileNotFoundError:
            raise DatabasePathError(
                f"{folder}: no such folder for the database named by [storage] path in "
                f"{self.config.path}, and its parent {folder.parent} does not exist "
                "either") from None
        except OSError as e:
            raise DatabasePathError(f"{folder}: cannot create the database's folder: "
                                    f"{e.strerror or e}") from None
        err.print(f"created folder {clean_text(str(folder))} for the database")


def fails_cleanly(fn: F) -> F:
    """Turn watcher's expected errors into one line on stderr and an exit status."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except WatcherError as e:
            _fail(e, 2 if _usage_error(e) else 1)

    return wrapper  # type: ignore[return-value]


def _usage_error(e: WatcherError) -> bool:
    """A bad config or database path (exit status 2) rather than any other failure.

    watcher.store is not imported for this: a DatabasePathError can only have been
    raised if its module was loaded already.
    """
    if isinstance(e, ConfigError):
        return True
    store_base = sys.modules.get("watcher.store.base")
    return store_base is not None and isinstance(e, store_base.DatabasePathError)


def _fail(e: Exception, code: int) -> NoReturn:
    """One line, brackets and all: the message is text, never markup."""
    from rich.text import Text

    err.print(Text.assemble(("error:", "bold red"), " ", clean_text(str(e))))
    sys.exit(code)


def safe(s: object) -> str:
    """A stranger's string, fit for the terminal and for rich (no markup, no escapes)."""
    from rich.markup import escape

    return escape(clean_text("" if s is None else str(s)))


# --- --config and --db, before or after the subcommand ---------------------------------

def _set_config(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value is not None:
        ctx.ensure_object(Context).config_path = value


def _set_db(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value is not None:
        ctx.ensure_object(Context).db_path = value


def _shared_options() -> list[click.Parameter]:
    """The subcommand's copies of --config and --db: they override the group's."""
    return [
        click.Option(["--config"], type=click.Path(), expose_value=False, is_eager=True,
                     callback=_set_config, help="Config file (as before the command)."),
        click.Option(["--db"], type=click.Path(), expose_value=False, is_eager=True,
                     callback=_set_db, help="Database file (as before the command)."),
    ]


class WatcherGroup(click.Group):
    """A group whose every command, subgroups' included, accepts --config and --db.

    The README promises that every command takes them; a user writes them where the
    command's other options are, so both places work, and the later one wins.
    """

    group_class = type          # subgroups are WatcherGroups too

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        taken = {o for p in cmd.params for o in getattr(p, "opts", [])}
        cmd.params.extend(p for p in _shared_options() if not set(p.opts) & taken)
        super().add_command(cmd, name)


@click.group(cls=WatcherGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--config", "config_path", envvar="WATCHER_CONFIG", type=click.Path(),
              help="Config file [searched: --config, WATCHER_CONFIG, ./config/watcher.toml, "
                   "$XDG_CONFIG_HOME/watcher/watcher.toml, the packaged default].")
@click.option("--db", "db_path", envvar="WATCHER_DB", type=click.Path(),
              help="Database file, overriding [storage] path [env WATCHER_DB].")
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug).")
@click.version_option(package_name="watcher")
@click.pass_context
def main(ctx: click.Context, config_path: str | None, db_path: str | None,
         verbose: int) -> None:
    """Watch news feeds for the figures of a story, and record when they change."""
    import logging

    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(level=level, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    ctx.obj = Context(config_path, db_path)
