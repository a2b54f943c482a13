"""SARIF 2.1.0: findings as results that code-scanning tools (GitHub, VS Code, Azure DevOps) show.

Tender templates kept in a repository get review annotations the same way code does. The
mapping, and why:

- one rule per criterion of the clause library, so a viewer can show the model clause and the
  sources without knowing this tool;
- one result per weak or missing finding (missing → error, weak → warning). A suppressed
  finding stays a result with an `inSource` suppression: the directive lives in the document,
  and SARIF consumers hide suppressed results themselves while keeping the audit trail;
- SARIF regions are lines/columns or character offsets of the *file*, which only exist for
  text and Markdown. PDF and DOCX passages are placed at file level; page, paragraph and section
  go in `physicalLocation.properties`, the location message and a logical location (a region
  without `startLine`/`charOffset` would not be valid, and offsets into extracted text would
  point at the wrong bytes);
- documents that could not be read are tool execution notifications, not results: nothing
  was judged.
"""

from __future__ import annotations

import hashlib
import json
import re
from importlib import metadata
from pathlib import Path, PurePath
from typing import Any
from urllib.parse import quote

from ..baseline import WORSE, reported, state
from ..library import Criterion, Library
from ..messages import label
from ..model import DocumentResult, Evidence, Finding, Presence, Report, Status
from ..read.text import decode, unix_newlines
from .localize import localize, text_language

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "duediligenceFinding/v1"
_LEVEL = {Status.MISSING: "error", Status.WEAK: "warning"}
_SEVERITY_LEVEL = {"high": "error", "medium": "warning", "low": "note"}
_MIME = {"pdf": "application/pdf", "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         "text": "text/plain", "markdown": "text/markdown"}
_RELATED_MAX = 5
# Characters the readers straighten (normalize.py) may be curly in the file.
_CHAR_CLASS = {"'": "['\u2018\u2019\u201a\u201b\u2032]", '"': '["\u201c\u201d\u201e\u201f\u2033]', "-": "[-\u2010\u2011]"}
# Between two words of a quote the file may hold any whitespace, a line end, or Markdown emphasis.
_GAP = r"[*_`]*\s+[*_`]*"


def render(report: Report, library: Library, ui_lang: str | None = None, **_options: Any) -> str:
    lang = ui_lang or next((d.language for d in report.documents if d.language), None) or "nl"
    rule_index = {c.id: i for i, c in enumerate(library.criteria)}
    artifacts: list[dict[str, Any]] = []
    results: list[dict[str, Any]] = []
    notifications: list[dict[str, Any]] = []
    for d in report.documents:
        if d.error is not None:
            notifications.append(_notification("error", d.error.code, d.error.message, d.path))
            continue
        d = localize(d, library, ui_lang)
        notifications += [_notification("warning", n.code, n.message, d.path) for n in d.notices]
        artifacts.append(_artifact(d))
        where = _artifact_location(d.path, len(artifacts) - 1)
        lines = _source_lines(d)
        results += [_result(d, f, library, rule_index, where, lines, ui_lang) for f in reported(d) if _judged(f) in _LEVEL]
    run: dict[str, Any] = {
        "tool": {"driver": _driver(report, library, lang)},
        "invocations": [{
            "executionSuccessful": not any(d.error is not None for d in report.documents),
            "toolExecutionNotifications": notifications,
        }],
        "language": lang,
        "originalUriBaseIds": {SRCROOT: {"uri": Path.cwd().as_uri().rstrip("/") + "/"}},
        "artifacts": artifacts,
        "columnKind": "unicodeCodePoints",  # columns are counted in Python str characters
        "results": results,
    }
    log = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    return json.dumps(log, ensure_ascii=False, indent=2) + "\n"


def _driver(report: Report, library: Library, lang: str) -> dict[str, Any]:
    driver: dict[str, Any] = {"name": "duediligence", "version": report.tool_version,
                              "properties": {"libraryVersion": report.library_version},
                              "rules": [_rule(c, lang) for c in library.criteria]}
    uri = _homepage()
    if uri:
        driver["informationUri"] = uri
    return driver


def _homepage() -> str | None:
    """The project URL from the installed metadata; none is invented when the package declares none."""
    try:
        meta = metadata.metadata("duediligence")
    except metadata.PackageNotFoundError:
        return None
    for entry in meta.get_all("Project-URL") or []:
        name, _, url = str(entry).partition(",")
        if name.strip().lower() in ("homepage", "home", "repository", "source") and url.strip():
            return str(url).strip()
    home = str((meta.get_all("Home-page") or [""])[0]).strip()
    return home if home not in ("", "UNKNOWN") else None


def _rule(c: Criterion, lang: str) -> dict[str, Any]:
    sources = "\n".join(f"- [{s.title}]({s.url})" for s in c.sources)
    model = c.model_clause.get(lang)
    rule: dict[str, Any] = {
        "id": c.id,
        "name": c.name.get(lang),
        "shortDescription": {"text": c.summary.get(lang)},
        "fullDescription": {"text": c.description.get(lang)},
        "help": {"text": f"{label('model', lang)}: {model}",
                 "markdown": f"**{label('model', lang)}**\n\n> {model}" + (f"\n\n**{label('sources', lang)}**\n\n{sources}" if sources else "")},
        "defaultConfiguration": {"level": _SEVERITY_LEVEL.get(c.severity, "warning")},
        "properties": {"severity": c.severity, "version": c.version, "tags": ["sustainability", "procurement"]},
    }
    if c.sources:
        rule["helpUri"] = c.sources[0].url
    return rule


def _judged(f: Finding) -> Status:
    """The status before suppression: a suppressed result keeps its level and only gains a suppression."""
    if f.status is Status.SUPPRESSED:
        return Status.WEAK if f.presence is Presence.WEAK else Status.MISSING
    return f.status


def _result(d: DocumentResult, f: Finding, library: Library, rule_index: dict[str, int],
            where: dict[str, Any], lines: tuple[str, ...], ui_lang: str | None = None) -> dict[str, Any]:
    lang = text_language(d, ui_lang)
    status = _judged(f)
    name = library.get(f.criterion).name.get(lang)
    text = f"{name}: {f.suggestion.text}" if f.suggestion else name
    passages = ([e for e in f.evidence if e.role == "topic"] or list(f.evidence)) if status is Status.WEAK else []
    result: dict[str, Any] = {
        "ruleId": f.criterion,
        "level": _LEVEL[status],
        "message": {"text": text},
        "locations": [_location(d, where, passages[0] if passages else None, lang, lines)],
        "partialFingerprints": {FINGERPRINT_KEY: _fingerprint(f.criterion, where["uri"], status)},
        "properties": {"status": status.value, "presence": f.presence.value, "confidence": f.confidence,
                       "missingElements": list(f.suggestion.missing_elements) if f.suggestion else []},
    }
    if f.criterion in rule_index:
        result["ruleIndex"] = rule_index[f.criterion]
    if len(passages) > 1:
        result["relatedLocations"] = [dict(_location(d, where, e, lang, lines), id=i)
                                      for i, e in enumerate(passages[1:_RELATED_MAX + 1], 1)]
    if f.status is Status.SUPPRESSED:
        result["suppressions"] = [{"kind": "inSource", "status": "accepted", "justification": f.suppressed_reason or ""}]
    if d.baseline is not None:  # covered findings are left out; what remains is new or got worse
        result["baselineState"] = "updated" if state(f, d.baseline) == WORSE else "new"
    return result


def _fingerprint(criterion: str, uri: str, status: Status) -> str:
    """Stable across runs and edits elsewhere in the document, so code scanning keeps one alert per gap."""
    return hashlib.sha256(f"{criterion}\0{uri}\0{status.value}".encode()).hexdigest()[:32]


def _artifact_location(path: str, index: int | None = None) -> dict[str, Any]:
    """A relative path stays relative to %SRCROOT% (the directory it was given from), so CI logs are portable."""
    p = PurePath(path)
    loc: dict[str, Any] = {"uri": Path(path).as_uri()} if p.is_absolute() else {
        "uri": quote(p.as_posix()), "uriBaseId": SRCROOT}
    if index is not None:
        loc["index"] = index
    return loc


def _artifact(d: DocumentResult) -> dict[str, Any]:
    artifact: dict[str, Any] = {"location": _artifact_location(d.path),
                                "properties": {"language": d.language, "pages": d.pages}}
    if d.format in _MIME:
        artifact["mimeType"] = _MIME[d.format]
    if d.sha256:
        artifact["hashes"] = {"sha-256": d.sha256}
    return artifact


def _notification(level: str, code: str, message: str, path: str) -> dict[str, Any]:
    return {"level": level, "descriptor": {"id": code}, "message": {"text": message},
            "locations": [{"physicalLocation": {"artifactLocation": _artifact_location(path)}}]}


def _location(d: DocumentResult, where: dict[str, Any], e: Evidence | None, lang: str,
              lines: tuple[str, ...]) -> dict[str, Any]:
    """Where a finding sits: the passage when there is one, else the document, named by its subject."""
    physical: dict[str, Any] = {"artifactLocation": where}
    if e is None:
        subject = d.statement or (d.subject.title if d.subject else None) or d.path
        return {"physicalLocation": physical, "message": {"text": subject}}
    place = [f"{label('page', lang)} {e.page}" if e.page else None, f"{label('par', lang)} {e.paragraph}"]
    physical["properties"] = {k: v for k, v in (("page", e.page), ("paragraph", e.paragraph), ("section", e.section)) if v}
    if e.line is not None:
        physical["region"] = _text_region(lines, e)
    location: dict[str, Any] = {"physicalLocation": physical,
                                "message": {"text": ", ".join(p for p in (*place, e.section) if p)}}
    if e.section:
        location["logicalLocations"] = [{"name": e.section.split(" > ")[-1], "fullyQualifiedName": e.section,
                                         "kind": "section"}]
    return location


def _text_region(lines: tuple[str, ...], e: Evidence) -> dict[str, Any]:
    """Line and columns of the quote in the file as written; the paragraph's line when it cannot be found.

    Evidence.line is where the paragraph starts, and the quote is normalised text (whitespace
    collapsed, quotes straightened, words hyphenated at a line end joined), so the quote is
    searched word by word from that line on; failing that its first words give the start.
    """
    assert e.line is not None
    region: dict[str, Any] = {"startLine": e.line}
    if not 0 < e.line <= len(lines):
        return region
    block = lines[e.line - 1:]
    end = next((i for i, ln in enumerate(block) if i and not ln.strip()), len(block))
    para = "\n".join(block[:end])
    words = e.quote.rstrip("…").split()
    whole = None if e.quote.endswith("…") else _search(words, para)
    match = whole or _search(words[:3], para)
    if match is None:
        return region
    line, column = _line_col(para, match.start())
    region.update(startLine=e.line + line, startColumn=column)
    if whole is not None:
        line, column = _line_col(para, whole.end())
        region.update(endLine=e.line + line, endColumn=column)
    return region


def _search(words: list[str], text: str) -> re.Match[str] | None:
    if not words:
        return None
    pattern = _GAP.join("".join(_CHAR_CLASS.get(ch, re.escape(ch)) for ch in w) for w in words)
    return re.search(pattern, text)


def _line_col(text: str, offset: int) -> tuple[int, int]:
    """0-based line within `text` and 1-based column of `offset`."""
    before = text[:offset]
    return before.count("\n"), offset - (before.rfind("\n") + 1) + 1


def _source_lines(d: DocumentResult) -> tuple[str, ...]:
    """The lines of a text file as the reader split them; none when it changed since it was checked."""
    if d.format not in ("text", "markdown"):
        return ()
    try:
        data = Path(d.path).read_bytes()
    except OSError:
        return ()
    if d.sha256 and hashlib.sha256(data).hexdigest() != d.sha256:
        return ()
    decoded = decode(data)  # the text reader's own decoding, so lines count alike
    return tuple(unix_newlines(decoded[0]).split("\n")) if decoded else ()
