"""Suppressions written in the document: `duediligence: ignore ID[,ID] -- reason`.

A template team records a reasoned exception where the exception lives, in the tender text
or in a Word comment, instead of silencing the tool for everybody. A suppression needs a
reason and known criterion ids; one that breaks either rule, or that suppresses nothing, is
reported (ruff's RUF100, sqlfluff's warn_unused_ignores), so exceptions do not rot.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .library import Library
from .model import Finding, Notice, Status

# A directive ends at a line end or where the next one starts: two directive lines in a row of a
# text file are joined into one paragraph, and the second must not become the first's reason.
_NEXT = r"duediligence\s*:\s*ignore\b"
DIRECTIVE = re.compile(
    rf"{_NEXT}(?P<ids>(?:(?!{_NEXT})[^\n])*?)(?:\s(?:--|—|–)\s*(?P<reason>(?:(?!{_NEXT})[^\n])*))?(?=\n|$|{_NEXT})",
    re.IGNORECASE,
)
_SUPPRESSIBLE = (Status.MISSING, Status.WEAK)


@dataclass(frozen=True)
class Suppression:
    criteria: tuple[str, ...]
    reason: str
    where: str  # "paragraph 12" or "comment 2": for messages


def strip_directives(text: str) -> tuple[str, list[str]]:
    """The text without its directives, and the directives."""
    found = [m.group(0) for m in DIRECTIVE.finditer(text)]
    return (DIRECTIVE.sub("", text).strip() if found else text), found


def parse(directives: list[tuple[str, str]], library: Library) -> tuple[list[Suppression], list[Notice]]:
    """Valid suppressions from (directive text, where) pairs, and notices for the invalid ones."""
    valid: list[Suppression] = []
    notices: list[Notice] = []
    for text, where in directives:
        m = DIRECTIVE.search(text)
        if m is None:
            continue
        ids = tuple(i for i in re.split(r"[\s,]+", m.group("ids").strip()) if i)
        reason = (m.group("reason") or "").strip()
        if not ids:
            notices.append(Notice("suppression-invalid", f"{where}: a suppression must name the criteria it ignores",
                                  (("where", where),)))
            continue
        unknown = [i for i in ids if not _known(library, i)]
        if unknown:
            known = ", ".join(c.id for c in library.criteria)
            notices.append(Notice("suppression-unknown-criterion", f"{where}: unknown criterion {unknown[0]!r} (known: {known})",
                                  (("where", where), ("criterion", unknown[0]), ("known", known))))
            continue
        if len(reason) < 3:
            notices.append(Notice("suppression-without-reason", f"{where}: a suppression needs a reason after ' -- '",
                                  (("where", where),)))
            continue
        valid.append(Suppression(tuple(library.get(i).id for i in ids), reason, where))
    return valid, notices


def _known(library: Library, ident: str) -> bool:
    try:
        library.get(ident)
    except KeyError:
        return False
    return True


def apply(findings: tuple[Finding, ...], suppressions: list[Suppression]) -> tuple[tuple[Finding, ...], list[Notice]]:
    """Mark suppressed findings; report suppressions that matched no weak or missing finding."""
    out = []
    used: set[int] = set()
    for f in findings:
        hit = next((i for i, s in enumerate(suppressions) if f.criterion in s.criteria), None)
        if hit is not None and f.status in _SUPPRESSIBLE:
            used.add(hit)
            s = suppressions[hit]
            f = replace(f, status=Status.SUPPRESSED, suppressed_reason=f"{s.reason} ({s.where})",
                        suppressed_at=s.where)
        out.append(f)
    notices = [
        Notice("suppression-unused", f"{s.where}: suppression of {', '.join(s.criteria)} matches no weak or missing finding",
               (("where", s.where), ("criteria", ", ".join(s.criteria))))
        for i, s in enumerate(suppressions)
        if i not in used
    ]
    return tuple(out), notices
