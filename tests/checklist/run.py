"""Runs the behavioural suite and prints pass rates per language, kind and move.

    python -m tests.checklist.run [--failures] [--limit N]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

from duediligence.library import Library, load_library
from duediligence.matchers import Matchers
from duediligence.pipeline import Options, check_document

from .generate import Case, build, cases


def model_clauses(library: Library) -> dict[str, dict[str, str]]:
    return {c.id: {lang: c.model_clause.get(lang) for lang in ("nl", "fr", "en")} for c in library.criteria}


def outcome(case: Case, library: Library, matchers: Matchers, folder: Path) -> tuple[bool, str]:
    """Whether the finding is what the case expects, and what was said."""
    path = build(case, folder)
    result = check_document(str(path), library, matchers, Options())
    if result.error is not None:
        return False, f"error {result.error.code}"
    finding = next(f for f in result.findings if f.criterion == case.criterion)
    said = finding.presence.value
    return said == case.expect and finding.applies, f"{said}{'' if finding.applies else ' (not applicable)'}"


def run(all_cases: list[Case], library: Library) -> list[tuple[Case, bool, str]]:
    matchers = Matchers(library)
    with tempfile.TemporaryDirectory() as tmp:
        return [(c, *outcome(c, library, matchers, Path(tmp))) for c in all_cases]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--failures", action="store_true", help="list every failing case")
    parser.add_argument("--only", help="criterion id to run alone")
    args = parser.parse_args()
    library = load_library()
    chosen = [c for c in cases(model_clauses(library)) if not args.only or c.criterion == args.only]
    started = time.perf_counter()
    results = run(chosen, library)
    seconds = time.perf_counter() - started
    by: dict[str, Counter[bool]] = defaultdict(Counter)
    for case, ok, _said in results:
        for key in (case.lang, f"{case.lang} {case.criterion}", f"{case.kind}->{case.place}", case.layout.fmt):
            by[key][ok] += 1
    print(f"{len(results)} cases in {seconds:.0f} s")
    for key in sorted(by):
        c = by[key]
        print(f"  {key:<32} {c[True]:>5}/{c[True] + c[False]:<5} {c[True] / (c[True] + c[False]):.1%}")
    if args.failures:
        for case, ok, said in results:
            if not ok:
                print(f"FAIL {case.id}: expected {case.expect}, said {said}")


if __name__ == "__main__":
    main()
