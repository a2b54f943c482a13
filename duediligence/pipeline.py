"""The whole check for one document: read → segment → subject → evidence → assessment.

`check_document` never raises for a problem with the input: it returns a result carrying an
error code, so a batch goes on and every computed result is kept.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .applicability import by_own_clause, decide, expected_by_configuration, is_tender
from .assess import assess
from .errors import InputError
from .evidence import defer_to_more_specific, find_passages
from .index import DocumentIndex
from .library import Library
from .limits import DEFAULT_SECONDS
from .matchers import Matchers
from .model import DocumentError, DocumentResult, Finding, Notice, Presence, Report, SectionKind, Subject
from .segment import segment

if TYPE_CHECKING:
    from .read import ReadLimits
    from .read.isolated import Reading
from .subject import find_subject
from .suppress import apply as apply_suppressions
from .suppress import parse as parse_suppressions


def _limits() -> "ReadLimits":
    from .read import ReadLimits

    return ReadLimits()


@dataclass(frozen=True)
class Options:
    language: str = "auto"  # auto | nl | fr | en: the document language, when detection should be overridden
    suppress: bool = True  # honour `duediligence: ignore ... -- reason` in documents
    expected: tuple[str, ...] = ()  # criteria that apply whatever the subject (per-path configuration)
    timeout: float | None = DEFAULT_SECONDS  # seconds per document, reading and analysis; None: no limit
    limits: "ReadLimits" = field(default_factory=lambda: _limits())
    password: str | None = None


def analyse(raw_doc, library: Library, matchers: Matchers, options: Options) -> DocumentResult:  # type: ignore[no-untyped-def]
    """Everything after reading; split out so callers that already hold a RawDocument can reuse it."""
    doc = segment(raw_doc)
    if options.language != "auto":
        from dataclasses import replace

        doc = replace(doc, language=options.language)
    lang = doc.language
    index = DocumentIndex(doc)
    subject_text = find_subject(doc)
    tender = is_tender(doc, subject_text, matchers)
    findings: list[Finding] = []
    groups: list[str] = []
    searched = {c.id: c for c in (*library.criteria, *library.deferred)}
    passages = {i: find_passages(index, c, matchers, tender) for i, c in searched.items()}
    for criterion in library.criteria:
        own = passages[criterion.id]
        specific = [(searched[i], passages[i]) for i in criterion.defer_to if i in passages]
        own = passages[criterion.id] = defer_to_more_specific(doc, criterion, own, specific, matchers)
        app = decide(index, subject_text, criterion, matchers, [(p.start, p.end) for p in own], tender)
        if criterion.id in options.expected and not app.applies:
            app = expected_by_configuration(app)
        finding = assess(index, criterion, own, app, matchers, lang)
        if tender and not finding.applies and finding.presence is Presence.PRESENT:
            finding = assess(index, criterion, own, by_own_clause(app), matchers, lang)
        groups.extend(g for g in app.groups if g not in groups)
        findings.append(finding)
    subject = Subject(subject_text.title, subject_text.cpv_codes, subject_text.lots, tuple(groups))
    # What the reader could not do (a partly scanned PDF, an embedded document, a guessed
    # encoding, a file that is not what its name says) is said, never dropped.
    notices: list[Notice] = list(raw_doc.warnings)
    if options.suppress and doc.directives:
        suppressions, invalid = parse_suppressions(list(doc.directives), library)
        checked, unused = apply_suppressions(tuple(findings), suppressions)
        findings, notices = list(checked), notices + invalid + unused
    return DocumentResult(
        path=raw_doc.path,
        sha256=raw_doc.sha256,
        format=raw_doc.format.value,
        language=lang,
        pages=raw_doc.pages,
        subject=subject,
        findings=tuple(findings),
        statement=subject_text.statement,
        notices=tuple(notices),
        reads_as_tender=tender,
    )


_expired: list[bool] = []


class _Overtime(BaseException):
    """Raised by the timer; a BaseException so readers' broad error handling cannot swallow it."""


@contextmanager
def _time_limit(seconds: float | None) -> Iterator[None]:
    """Interrupt the document after `seconds` (main thread of a Unix process only)."""
    usable = seconds and hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def stop(_signum: int, _frame: object) -> None:
        _expired.append(True)  # remembered: inside a C call the exception can surface as another one
        raise _Overtime

    _expired.clear()
    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)  # type: ignore[arg-type]
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def check_document(path: str, library: Library, matchers: Matchers, options: Options,
                   reading: "Reading | None" = None) -> DocumentResult:
    """The result for one document; reading happens in a child process (`read.isolated`), so a
    reader that crashes, hangs or bloats on a hostile file costs this document only. A `reading`
    of this file started earlier is used, and the time limit counts from its start; a reading of
    another file (or already collected) is left alone."""
    if reading is not None and not reading.serves(path, options.limits, options.password):
        reading = None
    started = reading.started if reading is not None else time.perf_counter()
    if reading is not None:
        deadline = reading.deadline
    else:
        deadline = None if options.timeout is None else time.monotonic() + options.timeout
    left = None if deadline is None else deadline - time.monotonic()
    if left is not None and left <= 0:
        return _timed_out(path, options, started)
    try:
        from .read.isolated import read_isolated  # readers import their libraries lazily

        with _time_limit(left):
            raw_doc = read_isolated(path, options.limits, options.password, deadline, reading)
            result = analyse(raw_doc, library, matchers, options)
    except _Overtime:
        return _timed_out(path, options, started)
    except InputError as exc:
        if _expired or exc.code == "timeout":
            return _timed_out(path, options, started)
        return _failed(path, exc.code, exc.message, started)
    except MemoryError:
        return _failed(path, "too-large", f"{os.path.basename(path)}: not enough memory to check this document", started)
    except Exception as exc:  # a bug of ours (also `ReaderCrashed`) must not end the run or lose other results
        if _expired:
            return _timed_out(path, options, started)
        return _failed(path, "internal", f"{os.path.basename(path)}: unexpected {type(exc).__name__} ({exc}); please report it", started)
    from dataclasses import replace

    return replace(result, seconds=round(time.perf_counter() - started, 3))


def _timed_out(path: str, options: Options, started: float) -> DocumentResult:
    limit = f"{options.timeout:g} s" if options.timeout is not None else "its time limit"
    return _failed(path, "timeout", f"{os.path.basename(path)}: took longer than {limit} (--timeout)", started)


def _failed(path: str, code: str, message: str, started: float) -> DocumentResult:
    return DocumentResult(
        path=path, sha256=None, format=None, language=None, pages=None, subject=None,
        error=DocumentError(code, message), seconds=round(time.perf_counter() - started, 3),
    )


def check_paths(paths: list[str], library: Library, options: Options | None = None) -> Report:
    from .version import __version__

    options = options or Options()
    matchers = Matchers(library)
    results = tuple(check_document(p, library, matchers, options) for p in paths)
    return Report(__version__, library.version, tuple(c.id for c in library.criteria), results)


def _document_text(path: str) -> str:
    """The segmented text of a document, for tools that compare against plain search."""
    from .read import read_document

    return segment(read_document(path, _limits())).text
