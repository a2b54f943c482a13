"""Machine outputs of one run: CSV (a row per document and criterion) and JSON Lines.

Both are written from the stored document JSON, so a resumed or cached run gives exactly
what a single uninterrupted run would. JSON Lines objects have the shape of the documents
of `check --format json`.
"""

from __future__ import annotations

import csv
import json
from typing import Any, Iterable, TextIO

CSV_COLUMNS = ("path", "format", "language", "pages", "title", "cpv", "error", "criterion", "applies", "presence",
               "status", "confidence", "evidence", "missing_elements", "sha256")


def write_jsonl(documents: Iterable[dict[str, Any]], out: TextIO) -> int:
    n = 0
    for doc in documents:
        out.write(json.dumps(doc, ensure_ascii=False) + "\n")
        n += 1
    return n


def csv_rows(doc: dict[str, Any]) -> list[dict[str, Any]]:
    subject = doc.get("subject") or {}
    base = {
        "path": doc["path"], "format": doc.get("format"), "language": doc.get("language"), "pages": doc.get("pages"),
        "title": subject.get("title"), "cpv": " ".join(subject.get("cpv_codes") or ()),
        "error": (doc.get("error") or {}).get("code"), "sha256": doc.get("sha256"),
    }
    if not doc.get("findings"):
        return [base]
    rows = []
    for f in doc["findings"]:
        suggestion = f.get("suggestion") or {}
        rows.append({**base, "criterion": f["criterion"], "applies": int(f["applies"]), "presence": f["presence"],
                     "status": f["status"], "confidence": f["confidence"], "evidence": len(f.get("evidence") or ()),
                     "missing_elements": " ".join(suggestion.get("missing_elements") or ())})
    return rows


def write_csv(documents: Iterable[dict[str, Any]], out: TextIO) -> int:
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    n = 0
    for doc in documents:
        for row in csv_rows(doc):
            writer.writerow(row)
            n += 1
    return n
