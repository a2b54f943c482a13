"""One worker process: `python -P -m duediligence.batch.worker` (see `slot.worker_command`), spoken to over stdin/stdout.

Protocol, one JSON object per line. The parent sends the run's settings first; the worker loads the
library and compiled matchers once, checks a small built-in Dutch tender so the lazy parts
(term sets, spaCy) are ready before any time limit runs, and answers `{"ready": ...}`. Then, for each
`{"id": n, "path": p}`, it answers `{"id": n, "result": <document JSON>, "rss_kb": peak}`. A request
may carry the file's own `"settings"` (its configuration differs from the run's): the worker builds
and keeps one analyser per distinct settings.
A worker is a plain process, not a multiprocessing child, so it can be killed at any moment
(time limit) and also be started from a daemonic Dask worker.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from importlib import import_module
from typing import TYPE_CHECKING, Any, Callable

from ..limits import DEFAULT_MEMORY_BYTES, cap_address_space
from .settings import AuditSettings

if TYPE_CHECKING:
    from ..checker import Checker

Analyse = Callable[[str], dict[str, Any]]
# A factory returns the per-document function and the version of the library it checks with.
Factory = Callable[[AuditSettings], tuple[Analyse, str]]

# Touches every criterion's vocabulary.
_WARM_UP = """# Bestek – levering van koffie, werkkledij en natuursteen
## Voorwerp van de opdracht
Levering van fairtrade koffie, katoenen werkkledij, boordstenen in blauwe hardsteen en groene stroom. CPV 15861000.
## Uitvoeringsvoorwaarden
De opdrachtnemer respecteert de mensenrechten en de IAO-conventies in de hele keten, met due diligence en herstel.
Le prestataire garantit le commerce équitable et une pierre naturelle issue d'une carrière sous diligence raisonnable.
The contractor shall not use fossil fuels and shall respect human rights in the supply chain.
"""


def warmed_checker(settings: AuditSettings) -> "Checker":
    """The checker of `settings`, after one small check has loaded the lazy parts, so no time
    limit pays for them."""
    from ..model import Block, Format, RawDocument

    checker = settings.checker()
    blocks = tuple(Block(text=t, paragraph=i + 1) for i, t in enumerate(_WARM_UP.splitlines()) if t)
    # Dutch only: most tenders here are Flemish, and spaCy's French tokenizer alone takes ~3 s to
    # build, which a worker should pay only when a French document actually needs sentences.
    warm = RawDocument(path="warm-up.md", format=Format.MARKDOWN, blocks=blocks, sha256="", size=0)
    checker.analyse(warm, language="nl")
    return checker


def document_checker(settings: AuditSettings) -> tuple[Analyse, str]:
    """The real analysis: the file's checker, loaded once, and its `check --format json` document."""
    from ..report.json_report import document_dict

    checker = warmed_checker(settings)

    def run(path: str) -> dict[str, Any]:
        return document_dict(checker.check(path, password=settings.password, timeout=settings.timeout), checker.library)

    return run, checker.library.version


def load_analyser(settings: AuditSettings) -> tuple[Analyse, str]:
    module, _, name = settings.analyser.partition(":")
    factory: Factory = getattr(import_module(module), name)
    return factory(settings)


def internal_error(path: str, message: str, code: str = "internal", seconds: float = 0.0) -> dict[str, Any]:
    """A document result for a failure outside the pipeline (crash, time limit), in the JSON shape."""
    return {"path": path, "sha256": None, "format": None, "language": None, "pages": None, "subject": None,
            "findings": [], "error": {"code": code, "message": message}, "notices": [], "seconds": round(seconds, 3)}


def peak_rss_kb() -> int:
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def main() -> None:
    # Keep the protocol on a private copy of stdout: stray prints from libraries go to stderr.
    protocol = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    requests = sys.stdin

    def send(message: dict[str, Any]) -> None:
        protocol.write(json.dumps(message, ensure_ascii=False) + "\n")
        protocol.flush()

    first = requests.readline()
    from ..version import __version__

    analysers = {first: load_analyser(AuditSettings.from_json(first))}
    # A ceiling for each document's analysis from here (its reading has its own, in a child):
    # past it an allocation fails and the document is `too-large`, the worker goes on.
    cap_address_space(2 * DEFAULT_MEMORY_BYTES)
    send({"ready": True, "pid": os.getpid(), "tool_version": __version__, "library_version": analysers[first][1],
          "rss_kb": peak_rss_kb()})
    for line in requests:
        request = json.loads(line)
        started = time.perf_counter()
        try:
            own = request.get("settings") or first
            if own not in analysers:
                analysers[own] = load_analyser(AuditSettings.from_json(own))
            result = analysers[own][0](request["path"])
        except MemoryError:
            result = internal_error(request["path"], f"{os.path.basename(request['path'])}: needs more memory than a "
                                    "worker may take", code="too-large", seconds=time.perf_counter() - started)
        except Exception as exc:  # a bug in a stage must cost one document, not the run
            result = internal_error(request["path"], f"{os.path.basename(request['path'])}: {type(exc).__name__}: {exc}",
                                    seconds=time.perf_counter() - started)
        send({"id": request["id"], "result": result, "rss_kb": peak_rss_kb()})


if __name__ == "__main__":
    main()
