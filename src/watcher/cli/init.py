"""`watcher init`: an editable copy of the shipped config and baseline."""

from __future__ import annotations

from pathlib import Path

import click

from watcher.cli.base import err, fails_cleanly, main
from watcher.errors import ConfigError


def _database_setting(target: Path) -> str:
    """Where the copy keeps its database: beside it in a folder the user chose, or in
    the XDG data folder for the user's own config (``~/.config`` is not for data)."""
    from watcher.config import user_config_dir, user_data_dir

    if target.resolve() == user_config_dir().resolve():
        data = user_data_dir() / "watcher.db"
        home = Path.home()
        return "~/" + str(data.relative_to(home)) if data.is_relative_to(home) else str(data)
    return "watcher.db"


@main.command()
@click.argument("directory", required=False, type=click.Path(file_okay=False))
@click.option("--force", is_flag=True, help="Overwrite files that already exist.")
@fails_cleanly
def init(directory: str | None, force: bool) -> None:
    """Write an editable watcher.toml and baseline.toml to DIRECTORY.

    Without DIRECTORY they go to the user's config folder
    ($XDG_CONFIG_HOME/watcher, else ~/.config/watcher), where every command finds them
    from any folder. The copy keeps the shipped comments; its database path is set to a
    place the user can write.
    """
    import tomlkit

    from watcher.config import packaged_defaults, user_config_dir

    target = Path(directory) if directory else user_config_dir()
    source = packaged_defaults()
    config_file, baseline_file = target / "watcher.toml", target / "baseline.toml"
    existing = [p for p in (config_file, baseline_file) if p.exists()]
    if existing and not force:
        raise ConfigError(existing[0], None, "already exists (pass --force to overwrite)")
    doc = tomlkit.parse((source / "watcher.toml").read_text(encoding="utf-8"))
    doc["storage"]["path"] = _database_setting(target)
    try:
        target.mkdir(parents=True, exist_ok=True)
        config_file.write_text(tomlkit.dumps(doc), encoding="utf-8")
        baseline_file.write_text((source / "baseline.toml").read_text(encoding="utf-8"),
                                 encoding="utf-8")
    except OSError as e:
        raise ConfigError(target, None, f"cannot write there: {e.strerror or e}") from None
    err.print(f"wrote {config_file} and {baseline_file}")
    if directory:
        err.print(f"use it with: watcher --config {config_file} ...")
    else:
        err.print("every command now uses it when no ./config/watcher.toml is present")
