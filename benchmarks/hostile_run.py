"""The hostile-input run of issue 17: every reproducer through `duediligence check` with the
default limits, each in a process of its own, with its wall time and peak memory.

The small reproducers come from --crashes (the fuzzing run's folder, default
../shared/fuzz-crashes beside the checkout, else tests/data/fuzz-crashes); the large ones are
generated in a temporary folder with the builders of tests/make_files.py. A last run checks all
of them in one `check` beside a real tender, which must still get its report.

    python benchmarks/hostile_run.py [--crashes DIR] [--keep DIR]
"""

from __future__ import annotations

import argparse
import collections
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUICK = ROOT / "samples" / "nl_parking_03.txt"


def _make_files():  # type: ignore[no-untyped-def]
    """tests/make_files.py, loaded from its path (the checkout is not put on sys.path)."""
    spec = importlib.util.spec_from_file_location("make_files", ROOT / "tests" / "make_files.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def generate(folder: Path) -> list[Path]:
    """The large cases of the issue, built in `folder`."""
    make = _make_files()
    out = [make.one_baseline_pdf(folder / "gen-1M-runs-one-baseline.pdf", 1_000_000),
           make.one_baseline_pdf(folder / "gen-5M-text-objects.pdf", 5_000_000),
           make.many_pages_pdf(folder / "gen-100000-pages.pdf", 100_000)]
    lines = [ln[:95] for ln in QUICK.read_text(encoding="utf-8").splitlines() if ln.strip()]
    out.append(make.many_pages_pdf(folder / "gen-2000-pages.pdf", 2_000, lines))
    tender = QUICK.read_text(encoding="utf-8")
    big = folder / "gen-190MB.txt"
    with open(big, "w", encoding="utf-8") as fh:
        while fh.tell() < 190 * 2**20:
            fh.write(tender)
    out.append(big)
    huge = folder / "gen-1GB.txt"
    with open(huge, "wb") as fh:
        fh.write(tender.encode())
        fh.truncate(2**30)
    out.append(huge)
    (folder / "gen-20M-paragraphs.txt").write_bytes(b"a\n\n" * 20_000_000)
    (folder / "gen-random-high-bytes.txt").write_bytes(bytes(128 + b % 128 for b in os.urandom(2_000_000)))
    (folder / "gen-5MB-line.txt").write_text("Bestek\n\n" + "x" * 5_000_000 + "\n", encoding="utf-8")
    sentence = "De opdrachtnemer respecteert de mensenrechten in de hele keten en levert fairtrade koffie. "
    (folder / "gen-spacy-E088-1000001.txt").write_text(
        "Bestek\n\n" + (sentence * (1_000_001 // len(sentence) + 1))[:1_000_001] + "\n", encoding="utf-8")
    (folder / "gen-20MB-paragraph.txt").write_text("Bestek\n\n" + "woord-\n" * 2_000_000, encoding="utf-8")
    (folder / "gen-10000-spaces-atx.md").write_text("# Bestek\n\n# a" + " " * 10_000 + "b\n", encoding="utf-8")
    out += [folder / n for n in ("gen-20M-paragraphs.txt", "gen-random-high-bytes.txt", "gen-5MB-line.txt",
                                 "gen-spacy-E088-1000001.txt", "gen-20MB-paragraph.txt", "gen-10000-spaces-atx.md")]
    out.append(make.zeros_docx(folder / "gen-zip-bomb.docx", 600))
    out.append(make.padded_docx(folder / "gen-padded-docx-420MB-xml.docx", 420, 3))
    os.mkfifo(folder / "gen-fifo.txt")
    (folder / "gen-link-to-dev-zero.txt").symlink_to("/dev/zero")
    (folder / "gen-loop-a.md").symlink_to(folder / "gen-loop-b.md")
    (folder / "gen-loop-b.md").symlink_to(folder / "gen-loop-a.md")
    out += [folder / n for n in ("gen-fifo.txt", "gen-link-to-dev-zero.txt", "gen-loop-a.md")]
    return out


def check(paths: list[Path], cwd: Path) -> tuple[float, int, str, dict[str, str], int]:
    """(seconds, peak resident KB of the check process and the children it reaped, stderr,
    answer per file, exit code)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.monotonic()
        proc = subprocess.Popen([sys.executable, "-P", "-m", "duediligence", "check", "--format", "json",
                                 *map(str, paths)], cwd=cwd, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)  # the rusage of a process counts the children it reaped
        seconds = time.monotonic() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read().decode("utf-8", "replace")
    codes = {}
    try:
        for doc in json.loads(stdout)["documents"]:
            codes[Path(doc["path"]).name] = (doc["error"] or {}).get("code") or "report"
    except (ValueError, KeyError):
        pass
    return seconds, int(usage.ru_maxrss), stderr, codes, proc.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    shared = ROOT.parent / "shared" / "fuzz-crashes"
    parser.add_argument("--crashes", default=str(shared if shared.is_dir() else ROOT / "tests" / "data" / "fuzz-crashes"))
    parser.add_argument("--keep", help="generate the large cases here and keep them")
    parser.add_argument("--generate", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.generate:  # in a process of its own: a process's peak memory is inherited by what it starts
        print(json.dumps([str(p) for p in generate(Path(args.generate))]))
        return
    folder = Path(args.keep or tempfile.mkdtemp(prefix="dd-hostile-"))
    folder.mkdir(parents=True, exist_ok=True)
    crashes = sorted(p for p in Path(args.crashes).iterdir() if p.suffix.lower() in (".pdf", ".docx", ".md", ".txt")
                     and p.name != "README.md")
    made = subprocess.run([sys.executable, "-P", __file__, "--generate", str(folder)], capture_output=True, text=True,
                          check=True)
    cases = crashes + [Path(p) for p in json.loads(made.stdout)]
    print(f"| input | size | answer | seconds | peak MB |\n|---|---:|---|---:|---:|")
    worst_seconds, worst_peak, tracebacks = 0.0, 0, 0
    for case in cases:
        seconds, peak, err, codes, _code = check([case], folder)
        size = case.lstat().st_size if not case.is_symlink() else 0
        tracebacks += "Traceback" in err
        worst_seconds, worst_peak = max(worst_seconds, seconds), max(worst_peak, peak)
        print(f"| {case.name} | {size / 2**20:,.1f} MB | {codes.get(case.name, 'no answer')} | {seconds:.1f} | "
              f"{peak / 1024:,.0f} |", flush=True)
    seconds, peak, err, codes, code = check([*cases, QUICK], folder)
    print(f"\nall {len(cases)} in one check beside {QUICK.name}: {seconds:.0f} s, peak {peak / 1024:,.0f} MB, "
          f"exit {code}, {QUICK.name}: {codes.get(QUICK.name)}; answers: "
          f"{dict(sorted(collections.Counter(codes.values()).items()))}")
    print(f"slowest {worst_seconds:.1f} s, largest {worst_peak / 1024:,.0f} MB, tracebacks {tracebacks}")
    if not args.keep:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
