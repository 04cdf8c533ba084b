"""The ``watcher`` command line, one module per family of commands.

Every command takes ``--config`` and ``--db`` (or WATCHER_CONFIG / WATCHER_DB). Expected
failures print one line starting with ``error:`` and exit with status 2 (configuration)
or 1 (anything else); a traceback means a bug.
"""

from watcher.cli import (  # noqa: F401  (registers the commands)
    claims_edit,
    daemon,
    db,
    digest,
    feeds,
    figures,
    init,
    reprocess,
    run,
)
from watcher.cli.base import main

__all__ = ["main"]
