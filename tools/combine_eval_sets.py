"""Join labelled eval folders into one, so `duediligence eval` scores them together.

Blind sets are written a few documents at a time; a figure per language needs them pooled
(`full-blind-11` and `-12` had 12 documents per language only together). The new folder holds
links to the documents and one `labels.json`; a file name already taken is renamed after its
language prefix (`nl_s3_begraafplaats.docx`), so two sets may each hold a file of that name.

    python3 tools/combine_eval_sets.py /tmp/comb eval/full-blind-11 eval/full-blind-12
    duediligence eval /tmp/comb
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path


def combine(dest: Path, sources: list[Path]) -> int:
    """Write `dest` (replacing it) from `sources`; returns the number of documents."""
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    documents: dict[str, object] = {}
    for i, source in enumerate(sources):
        labels = json.loads((source / "labels.json").read_text(encoding="utf-8"))["documents"]
        for name, label in labels.items():
            if name in documents:
                lang, rest = name.split("_", 1)
                name_in_dest = f"{lang}_s{i}_{rest}"
            else:
                name_in_dest = name
            documents[name_in_dest] = label
            (dest / name_in_dest).symlink_to((source / name).resolve())
    (dest / "labels.json").write_text(json.dumps({"schema": 1, "documents": documents}, ensure_ascii=False, indent=1),
                                      encoding="utf-8")
    return len(documents)


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit("usage: combine_eval_sets.py DEST SET [SET ...]")
    print(combine(Path(sys.argv[1]), [Path(a) for a in sys.argv[2:]]), "documents")
