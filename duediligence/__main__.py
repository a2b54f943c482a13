"""Allows `python -m duediligence`."""

from .command import run

run()
