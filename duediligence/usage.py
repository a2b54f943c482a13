"""Usage checks shared by `check` and `audit` (its own module: `cli` imports `batch.command`,
so the audit command may not import `cli`)."""

from __future__ import annotations

import os

import click


def writable_target(option: str, path: str) -> None:
    """A usage error, before any work, when `path` cannot be written: its folder is missing or
    it is a folder. (Found out only after the analysis, the results were lost in a traceback.)"""
    folder = os.path.dirname(os.path.abspath(path))
    if os.path.isdir(path):
        raise click.UsageError(f"{option} {path}: is a folder; give a file name")
    if not os.path.isdir(folder):
        raise click.UsageError(f"{option} {path}: the folder {folder} does not exist")
    if not os.access(folder, os.W_OK):
        raise click.UsageError(f"{option} {path}: the folder {folder} may not be written")
