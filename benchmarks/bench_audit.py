"""Batch audit figures on a generated corpus (benchmarks/make_corpus.py). Prints figures; not a test.

    python benchmarks/make_corpus.py --out /tmp/dd-corpus
    python benchmarks/bench_audit.py --corpus /tmp/dd-corpus [--limit 60] [--jobs 1,2]

1. PDF text extraction: duediligence's reader, plain pdf_oxide and plain pypdfium2 against poppler's `pdftotext`
   (one process per file, as a batch tool would call it) on the same PDFs.
2. Full audits without cache for each job count: pages per second per core, scaling, and the
   peak resident memory of each worker process.
3. The cached re-run of the same corpus, timed as a user runs it: `duediligence audit` in a
   fresh process.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any


def _plain_pdf_oxide(pdfs: list[str]) -> None:
    import pdf_oxide

    for p in pdfs:
        doc = pdf_oxide.PdfDocument(p)
        for number in range(doc.page_count()):
            doc.extract_spans(number)


def _plain_pypdfium2(pdfs: list[str]) -> None:
    import pypdfium2

    for p in pdfs:
        doc = pypdfium2.PdfDocument(p)
        for page in doc:
            page.get_textpage().get_text_range()
        doc.close()


def _pdftotext(pdfs: list[str]) -> None:
    for p in pdfs:
        subprocess.run(["pdftotext", "-q", "-enc", "UTF-8", p, "-"], check=True, stdout=subprocess.DEVNULL)


def extraction(pdfs: list[str]) -> None:
    from duediligence.read import ReadLimits, read_document

    def timed(run: Any) -> float:
        started = time.perf_counter()
        run(pdfs)
        return time.perf_counter() - started

    read_document(pdfs[0], ReadLimits())  # warm-up: imports and library set-up are not what is measured
    pages = 0
    started = time.perf_counter()
    for p in pdfs:
        pages += read_document(p, ReadLimits()).pages or 0
    reader = time.perf_counter() - started
    oxide, pdfium = timed(_plain_pdf_oxide), timed(_plain_pypdfium2)
    poppler = timed(_pdftotext) if shutil.which("pdftotext") else None
    print(f"\n## PDF text extraction: {len(pdfs)} PDFs, {pages} pages")
    print(f"  duediligence reader (pdf_oxide spans, lines, headings, running lines)  {reader:6.2f} s  {pages / reader:6.0f} pages/s")
    print(f"  pdf_oxide extract_spans, plain                                          {oxide:6.2f} s  {pages / oxide:6.0f} pages/s")
    print(f"  pypdfium2 get_text_range, plain                                         {pdfium:6.2f} s  {pages / pdfium:6.0f} pages/s")
    if poppler is not None:
        print(f"  poppler pdftotext, one process per file                                 {poppler:6.2f} s  {pages / poppler:6.0f} pages/s")
        print(f"  reader / pdftotext time ratio: {reader / poppler:.2f} (below 1 is faster than pdftotext)")
    else:
        print("  pdftotext not installed (apt-get install -y poppler-utils)")


def run_audit(inputs: list[str], db: str, jobs: int, pages_of: dict[str, int]) -> dict[str, Any]:
    from duediligence.batch.runner import AuditRequest, audit
    from duediligence.batch.store import Store

    request = AuditRequest(inputs=tuple(inputs), db_path=db, jobs=jobs, use_cache=False, timeout=600)
    started = time.perf_counter()
    outcome = audit(request)
    wall = time.perf_counter() - started
    with Store(db) as store:
        rows = store.document_rows(outcome.run.id)
        pages = sum(pages_of.get(r["path"]) or r["pages"] or 0 for r in rows)
        analysis = sum(r["seconds"] or 0 for r in rows)
    return {"wall": wall, "pages": pages, "documents": len(rows), "failed": outcome.totals.failed, "analysis": analysis,
            "peak_mb": [round(kb / 1024) for kb in outcome.peak_rss_kb]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default="/tmp/dd-corpus")
    parser.add_argument("--limit", type=int, default=0, help="Use the first N documents of the manifest (default: all).")
    parser.add_argument("--jobs", default="1,2", help="Job counts to compare, e.g. 1,2.")
    parser.add_argument("--skip-extraction", action="store_true")
    args = parser.parse_args()

    corpus = Path(args.corpus)
    manifest = json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))
    if args.limit:
        manifest = manifest[: args.limit]
    files = [m["path"] for m in manifest]
    inputs = [str(corpus)] if not args.limit else files
    pages_of = {m["path"]: m["pages"] for m in manifest}
    print(f"# corpus {corpus}: {len(files)} documents, {sum(pages_of.values())} pages "
          f"({sum(1 for m in manifest if m['format'] == 'pdf')} PDF; DOCX pages estimated), {os.cpu_count()} cores")

    if not args.skip_extraction:
        extraction([m["path"] for m in manifest if m["format"] == "pdf"])

    work = Path(tempfile.mkdtemp(prefix="dd-bench-"))
    results = {}
    for jobs in [int(j) for j in args.jobs.split(",")]:
        db = str(work / f"jobs{jobs}.db")
        r = results[jobs] = run_audit(inputs, db, jobs, pages_of)
        print(f"\n## audit --jobs {jobs} --no-cache: {r['documents']} documents, {r['pages']} pages, {r['failed']} failed")
        print(f"  wall {r['wall']:.1f} s (worker start-up included) · {r['pages'] / r['wall']:.0f} pages/s"
              f" · {r['pages'] / r['wall'] / jobs:.0f} pages/s per core")
        print(f"  analysis time per document summed: {r['analysis']:.1f} s · {r['pages'] / r['analysis']:.0f} pages/s of analysis")
        print(f"  peak resident memory per worker process: {r['peak_mb']} MB")
    if 1 in results and len(results) > 1:
        base = results[1]["wall"]
        print("\n## scaling: " + ", ".join(f"{j} jobs {base / r['wall']:.2f}x" for j, r in sorted(results.items())))

    last_db = str(work / f"jobs{max(results)}.db")
    command = [sys.executable, "-m", "duediligence", "audit", *inputs, "--db", last_db, "-q"]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    cached = time.perf_counter() - started
    print(f"\n## cached re-run, a fresh `duediligence audit` process: {cached:.2f} s (target < 5 s)")
    print("  " + "\n  ".join(done.stdout.splitlines()[:2]))
    print(f"\ndatabases in {work}")


if __name__ == "__main__":
    main()
