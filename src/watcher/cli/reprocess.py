"""`watcher reprocess`: analyse the stored articles again after the baseline changed."""

from __future__ import annotations

import asyncio

import click

from watcher.cli.base import Context, fails_cleanly, main


@main.command()
@click.pass_obj
@fails_cleanly
def reprocess(obj: Context) -> None:
    """Re-run figure extraction over every stored article (after the baseline or the
    extractor changed). Old observations are replaced in one transaction."""
    from watcher.observe import reprocess_all

    config = obj.config
    with obj.store(create=False) as store:
        articles, observations, changes = asyncio.run(reprocess_all(config, store))
    click.echo(f"reprocessed {articles} article(s): {observations} observation(s), "
               f"{changes} change(s)")


