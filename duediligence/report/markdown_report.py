"""The Markdown report (GitHub-flavoured): for a wiki page, a ticket or a pull-request comment.

Same content as the HTML report, from the same `view.build`; document text is escaped so a
quote can never break a table, start a list or smuggle in HTML.
"""

from __future__ import annotations

import re
from typing import Any

from ..library import Library
from ..model import Report
from . import view

_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&#!])")
_LINE_START = re.compile(r"^(\d+)([.)])|^([-+=])")
_STATUS_ICON = {"ok": "✅", "weak": "⚠️", "missing": "❌", "not-applicable": "➖", "suppressed": "🔕"}
_NOTICE_ICON = {"tick": "✅", "not-yet": "⚠️", "once-inserted": "➕"}


def inline(text: str) -> str:
    """Document text as literal Markdown inside a line: specials backslash-escaped, whitespace folded."""
    return _SPECIAL.sub(r"\\\1", re.sub(r"\s+", " ", text))


def escape(text: str) -> str:
    """Document text as a literal Markdown line (or table cell): also safe at the start of a line."""
    return _line_start(inline(text.strip()))


def _line_start(line: str) -> str:
    """Escape what would turn a line into a list item or heading underline ('1. ', '- ', '=')."""
    return _LINE_START.sub(lambda m: f"{m.group(1)}\\{m.group(2)}" if m.group(1) else f"\\{m.group(3)}", line)


def _status(status: str, text: str) -> str:
    return f"{_STATUS_ICON[status]} {text}"


def _highlighted(p: view.Passage) -> str:
    """The quote on one line with the matched words in bold (spaces stay outside the asterisks)."""
    parts = []
    for s in p.segments:
        core = s.text.strip()
        if s.mark and core:
            lead = " " if s.text[:1].isspace() else ""
            trail = " " if s.text[-1:].isspace() else ""
            parts.append(f"{lead}**{inline(core)}**{trail}")
        else:
            parts.append(inline(s.text))
    return _line_start("".join(parts).strip())


def _caption(p: view.Passage, labels: dict[str, str]) -> str:
    bits = [p.where]
    if p.section:
        bits.append(f"_{escape(p.section)}_")
    if p.modality:
        bits.append(escape(p.modality))
    if p.shows:
        bits.append(f"{labels['shows']}: {escape(', '.join(p.shows))}")
    return " · ".join(bits)


def _fence(text: str) -> str:
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    return "`" * max(3, longest + 1)


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _overview(v: view.ReportView) -> list[str]:
    L = v.labels
    out = [f"## {L['overview']}", "", _row([L["document"], *(escape(name) for _, name in v.criteria)]),
           _row(["---"] * (len(v.criteria) + 1))]
    for d in v.documents:
        first = f"{d.number}. {escape(d.path)}"
        if d.error_code:
            cells = [f"{L['error']} `{d.error_code}`"] + [""] * (len(v.criteria) - 1)
        else:
            cells = [_status(c.status, view.status_label(c.status, v.lang)) if (c := d.criterion(i)) else ""
                     for i, _ in v.criteria]
        out.append(_row([first, *cells]))
    totals = [f"**{len(v.documents)}** {L['documents']}"]
    if v.failed:
        totals.append(f"**{v.failed}** {L['unreadable']}")
    totals += [f"{_STATUS_ICON[s]} **{n}** {text}" for s, text, n in v.totals]
    out += ["", f"**{L['totals']}:** " + " · ".join(totals), ""]
    return out


def _criterion(c: view.CriterionView, L: dict[str, str], level: str) -> list[str]:
    worse = f" — {escape(c.worse_than)}" if c.worse_than else ""
    out = [f"{level} {_STATUS_ICON[c.status]} {escape(c.name)}: {c.status_label}{worse}", ""]
    if c.suppressed_reason:
        out += [f"**{L['suppressed-because']}:** {escape(c.suppressed_reason)}", ""]
    if c.applies_because:
        out += [f"**{L['why-applies']}:** " + "; ".join(escape(r) for r in c.applies_because), ""]
    if c.missing_elements:
        out += [f"**{L['elements-missing']}:**", ""] + [f"- ❌ {escape(e.name)}" for e in c.missing_elements] + [""]
    if c.found_elements:
        out += [f"**{L['elements-found']}:** " + "; ".join(escape(e.name) for e in c.found_elements), ""]
    out += [f"**{L['evidence']}:**", ""]
    if not c.passages:
        out += [f"_{L['no-evidence']}_", ""]
    for p in c.passages:
        out += [f"> {_highlighted(p)}", ">", f"> — {_caption(p, L)}", ""]
    if c.discounted:
        out += ["<details>", f"<summary>{L['discounted']} ({len(c.discounted)})</summary>", ""]
        for p in c.discounted:
            out += [f"> {_highlighted(p)}", ">", f"> — {_caption(p, L)}: _{escape(p.reason or '')}_", ""]
        out += ["</details>", ""]
    if c.suggestion:
        out += [f"**{L['suggestion']}:** {escape(c.suggestion)}", ""]
    if c.model_clause:
        fence = _fence(c.model_clause)
        out += [f"**{L['model']}** ({c.clause_lang}):", "", f"{fence}text", c.model_clause.strip(), fence, ""]
    if c.sources:
        out += [f"**{L['sources']}:** " + " · ".join(f"[{escape(s.title)}](<{s.url}>)" for s in c.sources), ""]
    return out


def _document(d: view.DocumentView, several: bool) -> list[str]:
    L = d.labels
    head = "##" if several else "#"
    out = [f"{head} {f'{d.number}. ' if several else ''}{escape(d.title or d.path)}", ""]
    facts = [f"`{d.path}`" if "`" not in d.path else escape(d.path)]
    facts += [f"{L[key]}: {value}" for key, value in
              (("language", d.language), ("format", d.format), ("pages", d.pages)) if value]
    if d.cpv_codes:
        facts.append(f"{L['cpv']}: {', '.join(d.cpv_codes)}")
    out += [" · ".join(facts), ""]
    if d.statement:
        out += [f"**{L['subject']}:** {escape(d.statement)}", ""]
    if d.renamed:
        out += [f"_{escape(d.renamed)}_", ""]
    if d.error_code:
        return out + [f"**{L['error']} `{d.error_code}`:** {escape(d.error_message or '')}", ""]
    for n in d.notices:
        out += [f"- **{L['notices']}:** {escape(n)}"]
    if d.notices:
        out.append("")
    out += [_row([L["criterion"], L["status"]]), _row(["---", "---"])]
    out += [_row([escape(c.name), _status(c.status, c.status_label) + (f" ({L['baselined']})" if c.baselined else "")])
            for c in d.criteria]
    out.append("")
    if d.better:
        out += [f"- ⬆️ {escape(L['baseline-better'])}: {escape(line)}" for line in d.better] + [""]
    for c in d.sections:
        if c.needs_action or c.status == "suppressed":
            out += _criterion(c, L, "###" if several else "##")
    if d.notice is not None:
        out += _notice(d.notice, "###" if several else "##")
    return out


def _notice(n: view.NoticeView, level: str) -> list[str]:
    """The eForms codes to tick, grouped by state, each with the clause it comes from."""
    out = [f"{level} {escape(n.title)}", "", f"_{escape(n.sdk)}_", ""]
    if not n.ticked:
        out += [escape(n.nothing_yet), ""]
    for state, heading, codes in n.groups:
        out += [f"**{escape(heading)}:**", ""]
        out += [f"- {_NOTICE_ICON[state]} **{c.field}** {escape(c.field_name)}: `{c.code}` — {escape(c.label)}"
                f" · {escape(n.from_word)}: {escape('; '.join(c.sources))}" for c in codes]
        out.append("")
    for dv in n.descriptions:
        fence = _fence(dv.text)
        out += [f"**{escape(n.description_field)}** (`{dv.aim}`), {escape(n.draft_word)}:", "", f"{fence}text", dv.text, fence, ""]
    return out


def render(report: Report, library: Library, ui_lang: str | None = None, **_options: Any) -> str:
    v = view.build(report, library, ui_lang)
    out = [f"# {v.labels['report-title']}", ""] if v.several else []
    if v.several:
        out += _overview(v)
    for d in v.documents:
        out += _document(d, v.several)
    out += [f"**{escape(line)}**  " for line in v.baseline] + ([""] if v.baseline else [])
    out += [f"<sub>{escape(v.generated)}</sub>", ""]
    return "\n".join(out)
