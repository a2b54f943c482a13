"""Allows `python -m duediligence`."""

from .cli import main

main()
