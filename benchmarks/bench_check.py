"""Speed of reading, of the analysis alone and of the whole check on generated tenders.

Prints milliseconds per page for our PDF reader and for `pdftotext` on the same file (the
ratio is what to compare: this machine is noisy), pages per second for the analysis of an
already extracted document (segment → subject → evidence → assessment, in-process, one core)
(CPU time) on a 100-page and a 2,000-page tender with the ratio of their costs per page (a quadratic
term shows up there), and pages per second for the full check.

    python benchmarks/bench_check.py [--pages 100] [--large 2000] [--runs 5] [--tenders 'eval/full-blind-1*/*']

With --tenders, the analysis is also timed on real tenders (the evaluation sets), whose prose
costs more per character than the generated one; a page is then 1,390 characters, the density
of the 102-page tender issue 15 was measured on.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_checkouts import CHARS_PER_PAGE, tender_paths, time_tenders  # noqa: E402  (this folder is on sys.path as a script)
from bench_read import median_seconds  # noqa: E402  (this folder is on sys.path when run as a script)
from tests.make_files import pdf  # noqa: E402

# the analysis is timed in CPU seconds of this process: on a shared machine its wall time follows
# the other users' load, its CPU time much less
CPU = time.process_time

PARAGRAPHS = [
    "De opdrachtnemer voert de werken uit volgens de regels van goed vakmanschap en het standaardbestek 250, versie 4.1. "
    "De vorderingsstaten worden maandelijks opgemaakt en binnen dertig dagen betaald.",
    "Alle natuursteen die de aannemer levert, moet afkomstig zijn uit een keten waarin due diligence wordt toegepast "
    "volgens de OESO-richtlijnen. De aannemer bezorgt per steensoort de groeve en het verwerkingsbedrijf.",
    "Wordt uitgesloten de kandidaat die werd veroordeeld voor kinderarbeid en andere vormen van mensenhandel.",
    "De borgtocht kan worden gesteld in de vorm van een bankwaarborg. De betaling gebeurt op het rekeningnummer van de opdrachtnemer.",
]


def make(path: Path, pages: int) -> Path:
    content = []
    for n in range(pages):
        lines = [f"{n + 1}. Hoofdstuk {n + 1} Uitvoeringsvoorwaarden"]
        for i in range(5):
            lines += textwrap.wrap(PARAGRAPHS[(n + i) % len(PARAGRAPHS)], 95) + [""]
        content.append(lines)
    return pdf(path, content)


def _cpu_of(fn: Callable[[], object]) -> float:
    started = CPU()
    fn()
    return CPU() - started


def _real_tenders(pattern: str, runs: int) -> None:
    """Median and best CPU of analysing every tender the glob names, in this process."""
    paths = tender_paths(pattern)
    got = time_tenders(paths, runs)
    pages = got["chars"] / CHARS_PER_PAGE
    print(f"analysis of {len(paths)} real tenders ({pages:.0f} pages of {CHARS_PER_PAGE} characters), CPU: "
          f"median {pages / got['median']:6.0f} pages/s, best {pages / got['best']:6.0f} pages/s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--large", type=int, default=2000, help="pages of the large tender for the analysis (0: skip)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--tenders", help="glob of real tenders to time the analysis on as well")
    args = parser.parse_args()
    from duediligence.library import load_library
    from duediligence.matchers import Matchers
    from duediligence.pipeline import Options, analyse, check_document
    from duediligence.read import read_document

    with tempfile.TemporaryDirectory() as tmp:
        path = make(Path(tmp) / "bench.pdf", args.pages)
        library = load_library()
        matchers = Matchers(library)
        options = Options()
        check_document(str(path), library, matchers, options)  # warm: spaCy, compiled sets, sentence cache
        ours = median_seconds(lambda: read_document(path), args.runs)
        raw = read_document(path)
        times = [_cpu_of(lambda: analyse(raw, library, matchers, options)) for _ in range(args.runs)]
        analysis = statistics.median(times)
        full = median_seconds(lambda: check_document(str(path), library, matchers, options), args.runs)
        print(f"{args.pages}-page PDF, median of {args.runs} runs")
        print(f"read (pypdfium2 + layout): {ours * 1000 / args.pages:7.2f} ms/page")
        if shutil.which("pdftotext"):
            poppler = median_seconds(lambda: subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True), args.runs)
            print(f"pdftotext (process):       {poppler * 1000 / args.pages:7.2f} ms/page   ratio ours/poppler = {ours / poppler:.2f}")
        else:
            print("pdftotext not installed (apt-get install poppler-utils) - no reference")
        print(f"analysis only (CPU):       {analysis * 1000 / args.pages:7.2f} ms/page = {args.pages / analysis:6.0f} pages/s on one core")
        # the least CPU of the runs, as timeit reports: on a shared machine the others add other jobs' cost
        print(f"analysis, best of {args.runs} (CPU): {min(times) * 1000 / args.pages:7.2f} ms/page = {args.pages / min(times):6.0f} pages/s")
        print(f"full check (5 criteria):   {full * 1000 / args.pages:7.2f} ms/page = {args.pages / full:6.0f} pages/s on one core")
        if args.tenders:
            _real_tenders(args.tenders, args.runs)
        if args.large:
            big = read_document(make(Path(tmp) / "large.pdf", args.large))
            analyse(big, library, matchers, options)  # warm the sentence cache for the new blocks
            large = median_seconds(lambda: analyse(big, library, matchers, options), max(1, args.runs // 2), CPU)
            ratio = (large / args.large) / (analysis / args.pages)
            print(f"analysis, {args.large} pages (CPU):{large * 1000 / args.large:7.2f} ms/page = {args.large / large:6.0f} pages/s"
                  f"   cost per page {args.large}/{args.pages} = {ratio:.2f}")


if __name__ == "__main__":
    main()
