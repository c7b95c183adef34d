"""``advisor web init|serve``: the web application, when the ``web`` extra is installed."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import click

from .common import handles_errors

INSTALL_HINT = "the web application needs its extra: pip install '.[web]' (or pip install 'advisor[web]')"


def _web():  # type: ignore[no-untyped-def]
    """Import the web layer only now: the CLI works without Django."""
    if importlib.util.find_spec("django") is None:
        err = click.ClickException(INSTALL_HINT)
        err.exit_code = 2
        raise err
    from ..web import commands
    return commands


@click.group()
def web() -> None:
    """The web application: project offices fill in assessments, consultants produce roadmaps."""


@web.command()
@click.option("--demo", is_flag=True, help="Also create demo bodies (from examples/) and users of every role.")
def init(demo: bool) -> None:
    """Create or upgrade the database; with --demo, add demo bodies and print their logins."""
    logins = _web().init(demo)
    click.echo("database ready")
    if logins:
        click.echo("demo logins (user / password / role); new passwords on every run:")
        for name, password, role in logins:
            click.echo(f"  {name:<32} {password:<16} {role}")


@web.command()
@click.option("--dev", is_flag=True, help="Django's development server (reloads, debug pages) instead of gunicorn.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
def serve(dev: bool, host: str, port: int) -> None:
    """Serve the application (gunicorn on 127.0.0.1:8000)."""
    _web().serve(dev, host, port)


@web.command()
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@handles_errors
def backup(out: Path) -> None:
    """Back the site's database up into OUT, a new file (SQLite's backup API, or pg_dump on PostgreSQL)."""
    kind = _web().backup(out)
    click.echo(f"backup written: {out} ({kind})")


@web.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@handles_errors
def restore(file: Path) -> None:
    """Restore FILE (made by `advisor web backup`) into the configured database, which must be new or empty."""
    target = _web().restore(file)
    click.echo(f"restored into {target}; run `advisor web init` to apply migrations newer than the backup")
