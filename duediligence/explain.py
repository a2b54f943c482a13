"""Human documentation of a criterion, generated from its library file.

The docs come from the same data the checker runs on, so they cannot drift apart.
"""

from __future__ import annotations

import textwrap

from .library import Criterion, Library
from .messages import label

def describe(crit: Criterion, library: Library, lang: str = "en", width: int = 96) -> str:
    wrap = lambda text, indent="  ": textwrap.fill(text, width=width, initial_indent=indent, subsequent_indent=indent)  # noqa: E731
    required = {a for alts in crit.present_requires for a in alts}
    lines = [f"{crit.id} — {crit.name.get(lang)}  (severity {crit.severity}, version {crit.version})", "",
             wrap(crit.summary.get(lang), ""), "", wrap(crit.description.get(lang), ""), "", f"{label('applies', lang)}:"]
    app = crit.applicability
    if app.always and app.always_reason:
        lines.append(wrap(f"{label('always', lang)}: {app.always_reason.get(lang)}"))
    for g in app.groups:
        cpv = ", ".join(g.cpv + tuple(f"{c}?" for c in g.cpv_candidate))
        lines.append(wrap(f"- {g.name.get(lang)}: CPV {cpv or '—'}"))
    lines += ["", f"{label('elements', lang)}:"]
    for e in crit.elements:
        mark = f"  [{label('required', lang)}]" if e.id in required else ""
        lines.append(wrap(f"- {e.id}: {e.name.get(lang)}{mark}"))
    traps = crit.traps + library.common.traps
    if traps:
        lines += ["", f"{label('traps', lang)}:"]
        lines += [wrap(f"- {t.id}: {t.reason.get(lang)}") for t in traps]
    lines += ["", f"{label('model', lang)}:", wrap(crit.model_clause.get(lang)), "", f"{label('sources', lang)}:"]
    lines += [f"  - {s.title}: {s.url}" for s in crit.sources]
    return "\n".join(lines) + "\n"
