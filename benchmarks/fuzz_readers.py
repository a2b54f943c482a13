"""Bounded mutation fuzzing of the PDF and DOCX readers (and the whole pipeline behind them).

Takes the sample PDFs and DOCX files, mutates their bytes (flips, truncation, chunk
duplication, and for DOCX also mutations of the XML inside the zip), and checks that every
input ends in a result or an `InputError` — never another exception. Prints executions,
outcomes per error code and any crash with the input saved for replay.

    python benchmarks/fuzz_readers.py --seconds 180 [--seed 1] [--out /tmp/dd-fuzz]
"""

from __future__ import annotations

import argparse
import collections
import io
import random
import sys
import time
import traceback
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def mutate_bytes(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 40)):
        op = rng.random()
        pos = rng.randrange(len(out)) if out else 0
        if op < 0.5 and out:
            out[pos] = rng.randrange(256)
        elif op < 0.7:
            chunk = out[pos : pos + rng.randint(1, 200)]
            out[pos:pos] = chunk
        elif op < 0.85 and out:
            del out[pos : pos + rng.randint(1, 200)]
        else:
            out = out[: rng.randint(0, len(out))]
    return bytes(out)


def mutate_docx_xml(data: bytes, rng: random.Random) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    target = io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename.endswith(".xml") and rng.random() < 0.5:
                content = mutate_bytes(content, rng)
            z.writestr(item, content)
    return target.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=180)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", default="/tmp/dd-fuzz")
    args = parser.parse_args()
    from duediligence.errors import InputError
    from duediligence.library import load_library
    from duediligence.matchers import Matchers
    from duediligence.pipeline import Options, analyse
    from duediligence.read import read_document

    rng = random.Random(args.seed)
    seeds = [p for p in sorted((ROOT / "samples").iterdir()) if p.suffix in (".pdf", ".docx")]
    library = load_library()
    matchers = Matchers(library)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    outcomes: collections.Counter[str] = collections.Counter()
    crashes = 0
    runs = 0
    deadline = time.monotonic() + args.seconds
    while time.monotonic() < deadline:
        seed = rng.choice(seeds)
        data = seed.read_bytes()
        mutated = mutate_docx_xml(data, rng) if seed.suffix == ".docx" and rng.random() < 0.5 else mutate_bytes(data, rng)
        path = out / f"input{seed.suffix}"
        path.write_bytes(mutated)
        runs += 1
        try:
            analyse(read_document(path), library, matchers, Options())
            outcomes["ok"] += 1
        except InputError as exc:
            outcomes[exc.code] += 1
        except Exception:  # a crash: what this script exists to find
            crashes += 1
            kept = out / f"crash-{crashes}{seed.suffix}"
            kept.write_bytes(mutated)
            print(f"CRASH on {kept}:\n{traceback.format_exc()}", file=sys.stderr)
    print(f"{runs} executions in {args.seconds:.0f} s, {crashes} crashes")
    for outcome, n in outcomes.most_common():
        print(f"  {outcome:<20} {n}")


if __name__ == "__main__":
    main()
