"""`duediligence serve` and `duediligence users`: the web page and its local accounts.

Imports stay inside the commands, so `check` never loads the web server's libraries.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click


def _settings(config_dir: str, db: str | None):  # type: ignore[no-untyped-def]
    from ..config import ConfigError
    from .settings import load_serve_settings

    try:
        return load_serve_settings(Path(config_dir), db)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None


def _store(config_dir: str, db: str | None):  # type: ignore[no-untyped-def]
    from ..batch.store import StoreError
    from .store import WebStore

    settings = _settings(config_dir, db)
    try:
        return WebStore(settings.database), settings
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None


_CONFIG_DIR = click.option("--config-dir", default=".", show_default=True, type=click.Path(exists=True, file_okay=False),
                           help="Folder whose configuration (.duediligence.toml, pyproject.toml) applies.")
_PASSWORD_STDIN = click.option("--password-stdin", is_flag=True, help="Read the password from standard input (one line).")
_DB = click.option("--db", type=click.Path(dir_okay=False),
                   help="SQLite database of checks, accounts and audits (default: serve.database, duediligence.db).")


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on; anything but loopback needs accounts or a proxy.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--workers", default=min(2, os.cpu_count() or 1), show_default=True, type=click.IntRange(1, 64),
              help="Worker processes that check documents.")
@_CONFIG_DIR
@_DB
def serve(host: str, port: int, workers: int, config_dir: str, db: str | None) -> None:
    """Serve the web page: drop a tender, read the report, download the Word copies."""
    from ..config import ConfigError
    from ..errors import LibraryError
    from ..library import load_library
    from ..settings import Settings, select
    from .settings import Binding

    store, settings = _store(config_dir, db)
    binding = Binding(host, port, workers)
    if not binding.loopback and settings["auth"] == "accounts" and not store.accounts():
        raise click.ClickException(
            f"refusing to listen on {host} without accounts: create one with `duediligence users add NAME`, "
            "or set auth = \"proxy\" behind a reverse proxy that authenticates")
    try:  # unknown criterion ids in the configuration are refused here, naming the file they come from
        own = Settings.from_config(settings.check_config)
        library = select(load_library([Path(d) for d in own.library]), own)
    except (LibraryError, ConfigError) as exc:
        raise click.ClickException(str(exc)) from None
    import uvicorn

    from .app import create_app

    app = create_app(settings, binding, library)
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"duediligence: serving http://{shown}:{port}/ with {workers} worker{'s' * (workers != 1)}; "
               f"checks in {settings.database}", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning", proxy_headers=False, server_header=False,
                date_header=False, timeout_graceful_shutdown=5)


@click.group()
def users() -> None:
    """Local accounts of the web page (duediligence serve)."""


def _new_password(from_stdin: bool) -> str:
    from .accounts import MIN_PASSWORD

    if from_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    if len(password) < MIN_PASSWORD:
        raise click.ClickException(f"the password needs at least {MIN_PASSWORD} characters")
    return password


@users.command("add")
@click.argument("name")
@_PASSWORD_STDIN
@_CONFIG_DIR
@_DB
def users_add(name: str, password_stdin: bool, config_dir: str, db: str | None) -> None:
    """Create an account; the password is asked twice (or read from stdin)."""
    from .accounts import hash_password, valid_name

    if not valid_name(name):
        raise click.ClickException(f"{name!r}: use lower-case letters, digits and . _ - @ (at most 64)")
    store, settings = _store(config_dir, db)
    if not store.add_account(name, hash_password(_new_password(password_stdin))):
        raise click.ClickException(f"the account {name!r} exists already (duediligence users passwd {name})")
    click.echo(f"duediligence: account {name} added to {settings.database}", err=True)


@users.command("passwd")
@click.argument("name")
@_PASSWORD_STDIN
@_CONFIG_DIR
@_DB
def users_passwd(name: str, password_stdin: bool, config_dir: str, db: str | None) -> None:
    """Set a new password for an account."""
    from .accounts import hash_password

    store, _settings_ = _store(config_dir, db)
    if not store.set_password(name, hash_password(_new_password(password_stdin))):
        raise click.ClickException(f"no account {name!r}")
    click.echo(f"duediligence: password of {name} changed", err=True)


@users.command("remove")
@click.argument("name")
@_CONFIG_DIR
@_DB
def users_remove(name: str, config_dir: str, db: str | None) -> None:
    """Remove an account and end its sessions (its checks stay in the history)."""
    store, _settings_ = _store(config_dir, db)
    if not store.remove_account(name):
        raise click.ClickException(f"no account {name!r}")
    click.echo(f"duediligence: account {name} removed", err=True)


@users.command("list")
@_CONFIG_DIR
@_DB
def users_list(config_dir: str, db: str | None) -> None:
    """The accounts and when they were created."""
    store, _settings_ = _store(config_dir, db)
    for name, created in store.accounts():
        click.echo(f"{name}\t{created}")
