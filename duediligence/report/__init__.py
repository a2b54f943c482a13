"""Report formats: one module per format, each exposing `render(report, ...) -> str`."""

from __future__ import annotations

from typing import Callable

from ..model import Report

Renderer = Callable[..., str]


def renderer(name: str) -> Renderer:
    """The `render` function of format `name` (imported on use: formats pull in their own libraries)."""
    from importlib import import_module

    module = import_module(f"{__name__}.{FORMATS[name]}")
    return module.render  # type: ignore[no-any-return]


FORMATS = {"json": "json_report", "text": "text_report", "html": "html_report", "sarif": "sarif_report",
           "markdown": "markdown_report"}
# What `-o FILE` writes when --format does not say: the format its name ends in.
EXTENSIONS = {".html": "html", ".htm": "html", ".json": "json", ".md": "markdown", ".markdown": "markdown",
              ".sarif": "sarif", ".txt": "text"}


def format_of(path: str) -> str | None:
    """The report format a file name asks for, or None when its extension names none."""
    import os

    return EXTENSIONS.get(os.path.splitext(path)[1].lower())


__all__ = ["EXTENSIONS", "FORMATS", "Renderer", "Report", "format_of", "renderer"]
