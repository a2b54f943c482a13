"""The HTML report: one self-contained page a purchasing officer can read, print and pass on.

Everything is inline (CSS, SVG icons, a few lines of JS for the copy buttons); the page never
fetches anything. The content comes from `view.build`, shared with the Markdown report.
"""

from __future__ import annotations

from typing import Any

import jinja2

from ..library import Library
from ..model import Report
from . import view

TEMPLATE = "report.html.j2"


def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("duediligence.report", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )


def render(report: Report, library: Library, ui_lang: str | None = None, **_options: Any) -> str:
    v = view.build(report, library, ui_lang)
    template = _environment().get_template(TEMPLATE)
    return template.render(r=v, r_status=lambda status: view.status_label(status, v.lang))
