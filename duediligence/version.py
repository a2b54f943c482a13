"""The tool version: its own module so any stage can name it without importing the package API."""

__version__ = "0.2.0"
