"""ANSI colour for the text report, and the lines it is written into.

The report uses eight styles and no wrapping of its own (it wraps with `textwrap`), so a few
SGR codes do what `rich` did here; importing `rich` cost the pre-commit hook about 30 ms at
every commit, a tenth of its warm start. Without colour the text is written as it is: no
markup language stands between a quote from a tender and the terminal, so brackets in a
quote need no escaping.
"""

from __future__ import annotations

_SGR = {"bold": "1", "dim": "2", "italic": "3", "red": "31", "green": "32", "yellow": "33",
        "blue": "34", "magenta": "35", "cyan": "36"}


class Lines:
    """A report being written line by line, coloured when `color` is set."""

    def __init__(self, color: bool) -> None:
        self.color = color
        self._lines: list[str] = []

    def style(self, style: str, text: str) -> str:
        """`text` in `style` (space-separated names of `_SGR`, e.g. "bold red")."""
        if not self.color or not text:
            return text
        return f"\x1b[{';'.join(_SGR[s] for s in style.split())}m{text}\x1b[0m"

    def print(self, line: str = "") -> None:
        self._lines.append(line + "\n")

    def text(self) -> str:
        return "".join(self._lines)
