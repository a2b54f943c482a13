"""The console command's entry point (and `python -m duediligence`): the first document starts
being read (`read.ahead`) before the command-line interface, click and the checker are
imported, then `cli.run` runs the command."""

from __future__ import annotations

import sys


def run() -> None:
    from .read.ahead import start

    start(sys.argv[1:])
    from .cli import run as run_command

    run_command()
