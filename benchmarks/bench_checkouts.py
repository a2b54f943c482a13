"""Analysis speed of several checkouts on the same real tenders, in alternating rounds.

A machine here runs other jobs, so a figure means something only beside a reference measured
in the same hour: this times each checkout's own code and clause library (a `git worktree` of
an older commit, or this one) on the same files, one child process per checkout and round, and
prints pages per second of CPU (a page is 1,390 characters, the density of issue 15's tender):

    git worktree add /tmp/wt-old 3149420^
    python benchmarks/bench_checkouts.py --tenders 'eval/full-blind-1[5-9]/*' /tmp/wt-old .

Run it from anywhere; the checkouts' paths are resolved first.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

# characters per page of the 102-page tender issue 15 was measured on (142k characters)
CHARS_PER_PAGE = 1390
_HERE = Path(__file__).resolve().parent

# The child loads the checkout's code (tools/run_checkout.py's `use_checkout`), then times it
# with this file's `time_tenders`: both are taken from this checkout, which older ones lack.
_CHILD = f"""
import json, sys
sys.path[:0] = [{str(_HERE.parent / "tools")!r}, {str(_HERE)!r}]
from run_checkout import use_checkout
use_checkout(sys.argv[1])
from bench_checkouts import time_tenders
print(json.dumps(time_tenders(sys.argv[3:], int(sys.argv[2]))))
"""


def time_tenders(paths: list[str], runs: int) -> dict[str, float]:
    """Characters, and median and least CPU seconds of analysing every tender of `paths` (read
    beforehand, analysed once to warm the sentence cache), with the duediligence importable now."""
    from duediligence.library import load_library
    from duediligence.matchers import Matchers
    from duediligence.pipeline import Options, analyse
    from duediligence.read import read_document

    library = load_library()
    matchers, options = Matchers(library), Options()
    raws = [read_document(Path(p)) for p in paths]
    for raw in raws:
        analyse(raw, library, matchers, options)
    times = []
    for _ in range(runs):
        started = time.process_time()
        for raw in raws:
            analyse(raw, library, matchers, options)
        times.append(time.process_time() - started)
    return {"chars": sum(len(b.text) for raw in raws for b in raw.blocks),
            "median": statistics.median(times), "best": min(times)}


def tender_paths(pattern: str) -> list[str]:
    """The tender files a glob names (not the sets' labels.json), as absolute paths."""
    return sorted(str(Path(p).resolve()) for p in glob.glob(pattern) if Path(p).is_file() and not p.endswith(".json"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("checkouts", nargs="+", help="folders holding a checkout (a git worktree)")
    parser.add_argument("--tenders", required=True, help="glob of the tenders to analyse")
    parser.add_argument("--runs", type=int, default=3, help="analyses of all tenders per round")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    paths = tender_paths(args.tenders)
    checkouts = [str(Path(c).resolve()) for c in args.checkouts]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    for round_ in range(args.rounds):
        for checkout in checkouts:
            done = subprocess.run([sys.executable, "-c", _CHILD, checkout, str(args.runs), *paths],
                                  capture_output=True, text=True, env=env, cwd="/")
            if done.returncode:
                sys.exit(f"{checkout}: the analysis failed:\n{done.stderr[-2000:]}")
            got = json.loads(done.stdout.strip().splitlines()[-1])
            pages = got["chars"] / CHARS_PER_PAGE
            print(f"round {round_ + 1}  {checkout:<40} {len(paths)} tenders, {pages:5.0f} pages: "
                  f"median {pages / got['median']:6.0f} pages/s, best {pages / got['best']:6.0f}")


if __name__ == "__main__":
    main()
