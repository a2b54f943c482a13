"""Milliseconds per page for the PDF reader, next to poppler's `pdftotext` on the same file.

    python benchmarks/bench_read.py                 # a generated 100-page tender
    python benchmarks/bench_read.py --pages 300 --runs 7
    python benchmarks/bench_read.py some/bestek.pdf # a real file

The ratio is the number to watch: the machine is shared and noisy, both sides suffer alike.
`pdftotext` (Debian package poppler-utils) is timed as a process, the way a user would run it;
our reader does more (geometry, paragraphs, headings, running lines), so parity is the goal.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def median_seconds(fn: Callable[[], object], runs: int, clock: Callable[[], float] = time.perf_counter) -> float:
    """Median of `runs` calls; `clock=time.process_time` measures this process' CPU instead of wall time."""
    samples = []
    for _ in range(runs):
        started = clock()
        fn()
        samples.append(clock() - started)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdf", nargs="?", type=Path, help="a PDF to time (default: a generated tender)")
    parser.add_argument("--pages", type=int, default=100, help="pages of the generated tender")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    from duediligence.read import read_document

    with tempfile.TemporaryDirectory() as tmp:
        path = args.pdf
        if path is None:
            from tests.make_files import tender_pdf

            path = tender_pdf(Path(tmp) / "bench.pdf", args.pages)
        doc = read_document(path)  # warm: imports, pdfium initialisation
        pages = doc.pages or 1
        ours = median_seconds(lambda: read_document(path), args.runs)
        print(f"{path.name}: {pages} pages, {len(doc.blocks)} blocks, median of {args.runs} runs")
        print(f"duediligence read_document: {ours * 1000 / pages:7.2f} ms/page  ({ours * 1000:.0f} ms)")
        if shutil.which("pdftotext"):
            command = ["pdftotext", "-enc", "UTF-8", str(path), "-"]
            poppler = median_seconds(lambda: subprocess.run(command, check=True, capture_output=True), args.runs)
            print(f"pdftotext (process):        {poppler * 1000 / pages:7.2f} ms/page  ({poppler * 1000:.0f} ms)")
            print(f"ratio ours / pdftotext:     {ours / poppler:7.2f}   command: {' '.join(command[:-2])} FILE -")
        else:
            print("pdftotext not installed (apt-get install -y poppler-utils): no reference")


if __name__ == "__main__":
    main()
