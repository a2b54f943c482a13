"""Run the `duediligence` command of another checkout with that checkout's own code and clause
library, to score older code on the same evaluation sets:

    python3 tools/run_checkout.py /tmp/wt-old eval eval/full-blind-14

Run from a folder other than this checkout (its current directory would be imported first).
`PYTHONPATH=/tmp/wt-old` alone is not enough where this checkout is installed in editable mode:
the editable finder maps `duediligence.clause_library` to this checkout's `clause_library/`, so
the old code would run with today's criteria. Here that finder is dropped, and the old
checkout gets the `duediligence/clause_library` link its installed form would have.
"""

from __future__ import annotations

import os
import runpy
import sys


def use_checkout(checkout: str) -> None:
    """Make `import duediligence` in this process load `checkout`'s code and clause library
    (also for benchmarks/bench_checkouts.py): call it before anything imports duediligence."""
    checkout = os.path.abspath(checkout)
    link = os.path.join(checkout, "duediligence", "clause_library")
    if not os.path.exists(link):
        os.symlink(os.path.join(checkout, "clause_library"), link)
    sys.meta_path[:] = [f for f in sys.meta_path if "editable" not in repr(f).lower()]
    sys.path.insert(0, checkout)


def main() -> None:
    use_checkout(sys.argv[1])
    sys.argv = ["duediligence", *sys.argv[2:]]
    runpy.run_module("duediligence", run_name="__main__")


if __name__ == "__main__":
    main()
