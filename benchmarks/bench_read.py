"""Time of the PDF reader next to poppler's `pdftotext` on the same files, paired in one run.

    python benchmarks/bench_read.py                 # a generated 100-page tender
    python benchmarks/bench_read.py --pages 300 --runs 7
    python benchmarks/bench_read.py some/bestek.pdf # a real file
    python benchmarks/bench_read.py --corpus /tmp/dd-corpus --rounds 5   # benchmarks/make_corpus.py's PDFs
    python benchmarks/bench_read.py --corpus samples                      # any folder of PDFs

The ratio is the number to watch: the machine is shared and noisy, both sides suffer alike.
`pdftotext` (Debian package poppler-utils) is timed as a process, the way a user would run it;
our reader does more (geometry, paragraphs, headings, running lines), so parity is the goal.
With `--corpus`, each file is read by both right after each other, so a burst of load from
another job hits both sides; each round prints its wall and CPU ratios (our CPU is this
process', pdftotext's that of its process), and the last line their medians.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

_PDFTOTEXT = ["pdftotext", "-q", "-enc", "UTF-8"]


def median_seconds(fn: Callable[[], object], runs: int, clock: Callable[[], float] = time.perf_counter) -> float:
    """Median of `runs` calls; `clock=time.process_time` measures this process' CPU instead of wall time."""
    samples = []
    for _ in range(runs):
        started = clock()
        fn()
        samples.append(clock() - started)
    return statistics.median(samples)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def corpus_rounds(pdfs: list[str], rounds: int) -> None:
    """Reader and `pdftotext` file by file, `rounds` times; wall and CPU seconds of each side per round."""
    import duediligence
    from duediligence.read import ReadLimits, read_document

    print(f"reader: {Path(duediligence.__file__).parent}")
    read_document(pdfs[0], ReadLimits())  # warm-up: imports and library set-up are not what is measured
    pages = sum(read_document(p, ReadLimits()).pages or 0 for p in pdfs)
    print(f"{len(pdfs)} PDFs, {pages} pages; pdftotext command: {' '.join(_PDFTOTEXT)} FILE -  (one process per file)")
    wall_ratios, cpu_ratios = [], []
    for number in range(1, rounds + 1):
        ours_wall = ours_cpu = theirs_wall = theirs_cpu = 0.0
        for p in pdfs:
            wall, cpu = time.perf_counter(), time.process_time()
            read_document(p, ReadLimits())
            ours_wall += time.perf_counter() - wall
            ours_cpu += time.process_time() - cpu
            wall, cpu = time.perf_counter(), _children_cpu()
            subprocess.run([*_PDFTOTEXT, p, "-"], check=True, stdout=subprocess.DEVNULL)
            theirs_wall += time.perf_counter() - wall
            theirs_cpu += _children_cpu() - cpu
        wall_ratios.append(ours_wall / theirs_wall)
        cpu_ratios.append(ours_cpu / theirs_cpu)
        print(f"round {number}: reader {ours_wall:5.2f} s wall {ours_cpu:5.2f} s CPU ({pages / ours_wall:4.0f} pages/s) · "
              f"pdftotext {theirs_wall:5.2f} s wall {theirs_cpu:5.2f} s CPU · "
              f"ratio wall {wall_ratios[-1]:.2f} CPU {cpu_ratios[-1]:.2f}")
    print(f"median ratio reader / pdftotext over {rounds} rounds: wall {statistics.median(wall_ratios):.2f}, "
          f"CPU {statistics.median(cpu_ratios):.2f} (below 1 is faster than pdftotext)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdf", nargs="?", type=Path, help="a PDF to time (default: a generated tender)")
    parser.add_argument("--pages", type=int, default=100, help="pages of the generated tender")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--corpus", type=Path,
                        help="a folder made by benchmarks/make_corpus.py (its manifest's PDFs), or any folder of PDFs")
    parser.add_argument("--rounds", type=int, default=3, help="with --corpus: how many times to read the corpus")
    args = parser.parse_args()

    if args.corpus is not None:
        if not shutil.which("pdftotext"):
            sys.exit("pdftotext not installed (apt-get install -y poppler-utils): no reference")
        listed = args.corpus / "manifest.json"
        if listed.is_file():
            pdfs = [m["path"] for m in json.loads(listed.read_text(encoding="utf-8")) if m["format"] == "pdf"]
        else:  # any folder of PDFs, e.g. samples/
            pdfs = sorted(str(p) for p in args.corpus.glob("*.pdf"))
        if not pdfs:
            sys.exit(f"{args.corpus}: no PDF in it")
        corpus_rounds(pdfs, args.rounds)
        return

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
