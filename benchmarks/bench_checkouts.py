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
import subprocess
import sys
from pathlib import Path

CHARS_PER_PAGE = 1390

# The child: the checkout's own code first on the path, the editable finder of whatever is
# installed dropped (it would map the clause library to the installed checkout's), and the
# `duediligence/clause_library` link an installed package has.
_CHILD = r"""
import json, os, statistics, sys, time
checkout, runs, paths = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
link = os.path.join(checkout, "duediligence", "clause_library")
if not os.path.exists(link):
    os.symlink(os.path.join(checkout, "clause_library"), link)
sys.meta_path[:] = [f for f in sys.meta_path if "editable" not in repr(f).lower()]
sys.path.insert(0, checkout)
from pathlib import Path
from duediligence.library import load_library
from duediligence.matchers import Matchers
from duediligence.pipeline import Options, analyse
from duediligence.read import read_document
library = load_library(); matchers = Matchers(library); options = Options()
raws = [read_document(Path(p)) for p in paths]
chars = sum(len(b.text) for r in raws for b in r.blocks)
for r in raws:
    analyse(r, library, matchers, options)
times = []
for _ in range(runs):
    started = time.process_time()
    for r in raws:
        analyse(r, library, matchers, options)
    times.append(time.process_time() - started)
print(json.dumps({"chars": chars, "median": statistics.median(times), "best": min(times)}))
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("checkouts", nargs="+", help="folders holding a checkout (a git worktree)")
    parser.add_argument("--tenders", required=True, help="glob of the tenders to analyse")
    parser.add_argument("--runs", type=int, default=3, help="analyses of all tenders per round")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    paths = sorted(str(Path(p).resolve()) for p in glob.glob(args.tenders) if Path(p).is_file() and not p.endswith(".json"))
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
