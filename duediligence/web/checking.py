"""What a worker process does with one upload: check it, and for a DOCX make both Word copies.

This is the one place the web page calls the checker (`check_upload`); the queue runs it in
worker processes (`batch.worker`'s protocol, analyser `web_checker`), so a document that
crashes a reader costs that document, never the server. The copies are written into the
upload's own folder, which the server chose.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

if TYPE_CHECKING:
    from ..batch.settings import AuditSettings
    from ..checker import Checker
    from ..read import ReadLimits

ANNOTATED, FIXED = "annotated.docx", "fixed.docx"


def check_upload(path: Path, checker: "Checker", limits: "ReadLimits | None" = None,
                 timeout: float | None = None) -> dict[str, Any]:
    """{"document": the `check --format json` document, "copies": {"annotated"|"fixed": {"file": name}
    or {"error": why}}}; no copies for a document that is not a readable DOCX."""
    from ..report.annotate import AnnotateError, annotate_docx
    from ..report.fix import fix_docx
    from ..report.json_report import document_dict

    result = checker.check(path, limits, timeout=timeout)
    library = checker.library
    copies: dict[str, Any] = {}
    if result.error is None and result.format == "docx":
        for kind, name, make in (("annotated", ANNOTATED, annotate_docx), ("fixed", FIXED, fix_docx)):
            try:
                make(path, result, library, path.parent / name)
                copies[kind] = {"file": name}
            except AnnotateError as exc:
                copies[kind] = {"error": str(exc)}
    return {"document": document_dict(result), "copies": copies}


def web_checker(settings: "AuditSettings") -> tuple[Callable[[str], dict[str, Any]], str]:
    """The worker's analyser (see `batch.worker.load_analyser`): the upload's checker, loaded and warmed once."""
    from ..batch.worker import warmed_checker
    from .settings import read_limits_from_environment

    checker = warmed_checker(settings)
    limits = read_limits_from_environment()

    def run(path: str) -> dict[str, Any]:
        return check_upload(Path(path), checker, limits, settings.timeout)

    return run, checker.library.version
