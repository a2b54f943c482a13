"""Human documentation of a criterion, generated from its library file.

The docs come from the same data the checker runs on, so they cannot drift apart.
"""

from __future__ import annotations

import textwrap

from .eforms import code_lists
from .library import Criterion, Library
from .messages import label

def describe(crit: Criterion, library: Library, lang: str = "en", width: int = 96) -> str:
    # a line breaks between words, never inside "CPV-codes" or "TruStone-convenant"
    wrap = lambda text, indent="  ": textwrap.fill(text, width=width, initial_indent=indent, subsequent_indent=indent,  # noqa: E731
                                                   break_on_hyphens=False)
    required = {a for alts in crit.present_requires for a in alts}
    facts = label("explain-facts", lang).format(severity=label(f"severity-{crit.severity}", lang), version=crit.version)
    lines = [f"{crit.id} — {crit.name.get(lang)}  ({facts})", "",
             wrap(crit.summary.get(lang), ""), "", wrap(crit.description.get(lang), ""), "", f"{label('applies', lang)}:"]
    app = crit.applicability
    if app.always and app.always_reason:
        lines.append(wrap(f"{label('always', lang)}: {app.always_reason.get(lang)}"))
    for g in app.groups:
        # codes that apply by themselves, then codes that need the text to confirm them (a works code)
        cpv = label("explain-cpv", lang).format(codes=", ".join(g.cpv)) if g.cpv else ""
        if g.cpv_candidate:
            confirmed = label("explain-cpv-confirmed", lang).format(codes=", ".join(g.cpv_candidate))
            cpv = f"{cpv}; {confirmed}" if cpv else confirmed
        if g.cpv_by_passage:
            carried = label("explain-cpv-passage", lang).format(codes=", ".join(g.cpv_by_passage))
            cpv = f"{cpv}; {carried}" if cpv else carried
        lines.append(wrap(f"- {g.name.get(lang)}: {cpv or label('explain-cpv-none', lang)}"))
    lines += ["", f"{label('elements', lang)}:"]
    for e in crit.elements:  # by name: ids are for configuration files, not for the reader
        mark = f"  [{label('required', lang)}]" if e.id in required else ""
        lines.append(wrap(f"- {e.name.get(lang)}{mark}"))
    traps = crit.traps + library.common.traps
    if traps:
        lines += ["", f"{label('traps', lang)}:"]
        lines += [wrap(f"- {t.reason.get(lang)}") for t in traps]
    if crit.eforms:
        lists = code_lists()
        lines += ["", f"{label('notice', lang)}:"]
        lines += [wrap(f"- {field} {lists.fields[field].name.get(lang, field)}: {code} — {lists.fields[field].label(code, lang)}")
                  for field, codes in crit.eforms.items() for code in codes]
    general = label("explain-model-general", lang) if crit.model_clauses else label("model", lang)
    lines += ["", f"{general}:", wrap(crit.model_clause.get(lang))]
    names = {g.id: g.name.get(lang) for g in app.groups}
    for variant in crit.model_clauses:
        groups = " + ".join(names[g] for g in variant.groups)
        lines += ["", f"{label('explain-model-for', lang).format(groups=groups)}:", wrap(variant.text.get(lang))]
    lines += ["", f"{label('sources', lang)}:"]
    lines += [f"  - {s.title}: {s.url}" for s in crit.sources]
    return "\n".join(lines) + "\n"
