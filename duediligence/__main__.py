"""Allows `python -m duediligence`."""

from .cli import run

run()
