"""The terminal report: one block per document, one line per criterion, readable at a glance.

Colour follows the terminal (the command asks for it on a terminal without NO_COLOR), in
ANSI codes written by `paint`. This format is for people; scripts use JSON.
"""

from __future__ import annotations

import textwrap
from typing import Any

from ..baseline import reported, was_worse
from ..library import Library
from ..messages import error_text, label, notice_text
from ..model import DocumentResult, Evidence, Finding, Report, Status
from .localize import localize
from .paint import Lines
from .view import (NoticeView, baseline_lines, better_lines, by_urgency, notice_view, renamed_line, short_section,
                   status_label, where)

_STATUS = {
    Status.OK: ("✓", "green"),
    Status.WEAK: ("~", "yellow"),
    Status.MISSING: ("✗", "red"),
    Status.NOT_APPLICABLE: ("·", "dim"),
    Status.SUPPRESSED: ("-", "blue"),
}
_SECTION_DEPTH = 2  # a terminal line has room for the last two headings of a path
_NOTICE_ICON = {"tick": ("✓", "green"), "not-yet": ("~", "yellow"), "once-inserted": ("+", "cyan")}


def _place(e: Evidence, title: str | None, lang: str) -> str:
    section = short_section(e.section, title, _SECTION_DEPTH)
    return f"{where(e, lang)}, {section}" if section else where(e, lang)


def _finding(con: Lines, f: Finding, library: Library, lang: str, width: int, title: str | None,
             was: str | None = None) -> None:
    icon, colour = _STATUS[f.status]
    s = con.style
    crit = library.get(f.criterion)
    status = f"{icon} {status_label(f.status, lang):<11}"
    presence = f"({label('presence-' + f.presence.value, lang)}, {f.confidence:.2f})"
    worse = " " + s(colour, label("baseline-worse", lang).format(was=status_label(was, lang))) if was else ""
    con.print(f"  {s(colour, status)} {s('bold', crit.name.get(lang))} {s('dim', presence)}{worse}")
    if f.status is Status.NOT_APPLICABLE:
        return
    indent = " " * 6
    if f.suppressed_reason:
        con.print(indent + s("blue", f.suppressed_reason))
        return
    if f.applies_because:
        con.print(indent + s("dim", f"{label('because', lang)}: {'; '.join(f.applies_because[:3])}"))
    for e in [e for e in f.evidence if e.role == "topic"][:2]:
        quote = textwrap.shorten(e.quote, width=max(40, width - 30), placeholder=" …")
        con.print(f"{indent}{label('found', lang)} ({_place(e, title, lang)}): " + s("italic", f'"{quote}"'))
    for e in f.discounted[:2]:
        quote = textwrap.shorten(e.quote, width=max(40, width - 50), placeholder=" …")
        con.print(indent + s("dim", f"{label('ignored', lang)}: \"{quote}\" — {e.discounted or ''}"))
    if f.suggestion is not None:
        for line in textwrap.wrap("→ " + f.suggestion.text, width=width - 6):
            con.print(indent + line)
        con.print(indent + s("bold", f"{label('model', lang)}:"))
        for line in textwrap.wrap(f.suggestion.model_clause, width=width - 8):
            con.print(f"{indent}  " + s("cyan", line))


def _document(con: Lines, d: DocumentResult, library: Library, ui_lang: str | None, width: int, quiet: bool) -> None:
    lang = ui_lang or d.language or "nl"
    d = localize(d, library, lang)
    s = con.style
    if d.error is not None:
        con.print(f"{s('bold red', '✗ ' + d.path)}: {label('error', lang)} [{d.error.code}] {error_text(d.error, lang)}")
        return
    facts = ", ".join(str(x) for x in (d.format, d.language, f"{d.pages} p." if d.pages else None) if x)
    con.print(f"{s('bold', d.path)} {s('dim', f'({facts})')}")
    if d.subject is not None:
        if d.subject.title:
            con.print("  " + textwrap.shorten(d.subject.title, width=width - 4))
        if d.subject.cpv_codes:
            con.print("  " + s("dim", f"CPV {', '.join(d.subject.cpv_codes[:6])}"))
    if d.reads_as_tender is False:
        con.print("  " + s("magenta", "! " + label("not-a-tender", lang)))
    for n in d.notices:
        con.print(f"  {s('magenta', '! ' + notice_text(n, lang))} {s('dim', f'[{n.code}]')}")
    renamed = renamed_line(d, lang)
    if renamed:
        con.print("  " + s("dim", renamed))
    findings = reported(d)
    shown = [f for f in by_urgency(findings) if not quiet or f.status in (Status.MISSING, Status.WEAK)]
    for f in shown:
        _finding(con, f, library, lang, width, d.subject.title if d.subject else None, was_worse(d, f))
    for line in better_lines(d, library, lang):
        con.print("  " + s("green", f"↑ {label('baseline-better', lang)}: {line}"))
    counts = {status: sum(1 for f in findings if f.status is status) for status in _STATUS}
    parts = [f"{n} {status_label(status, lang)}" for status, n in counts.items() if n]
    if len(findings) < len(d.findings):
        parts.append(f"{len(d.findings) - len(findings)} {label('baselined', lang)}")
    con.print("  " + s("dim", f"{label('summary', lang)}: {' · '.join(parts)}"))
    notice = None if quiet else notice_view(d, library, lang)
    if notice is not None:
        _notice(con, notice, width)
    con.print()


def _notice(con: Lines, n: NoticeView, width: int) -> None:
    """The eForms codes the clauses justify, grouped by state, each with the clause it comes from."""
    s = con.style
    con.print(f"  {s('bold', n.title)} {s('dim', '· ' + n.sdk)}")
    if not n.ticked:
        con.print(f"    {n.nothing_yet}")
    for state, heading, codes in n.groups:
        icon, colour = _NOTICE_ICON[state]
        con.print(f"    {heading}:")
        for c in codes:
            line = f"{c.field} {c.field_name}: {c.code} — {c.label}"
            for i, part in enumerate(textwrap.wrap(line, width=width - 8)):
                con.print(f"      {s(colour, icon if i == 0 else ' ')} {part}")
            for source in c.sources:
                con.print("          " + s("dim", f"{n.from_word}: {source}"))
    for dv in n.descriptions:
        con.print(f"    {n.description_field} ({dv.aim}), {s('dim', n.draft_word)}:")
        for part in textwrap.wrap(f'"{dv.text}"', width=width - 8):
            con.print("        " + s("cyan", part))


def render(report: Report, library: Library, color: bool = False, width: int = 100,
           ui_lang: str | None = None, quiet: bool = False, **_options: Any) -> str:
    con = Lines(color)
    for d in report.documents:
        _document(con, d, library, ui_lang, width, quiet)
    lang = ui_lang or next((d.language for d in report.documents if d.language), None) or "en"
    for line in baseline_lines(report, lang):
        con.print(con.style("bold", line))
    return con.text()
