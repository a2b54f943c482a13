"""Renders the HTML report of Dutch samples and saves a screenshot as docs/report.png.

    python docs/make_screenshot.py [--out docs/report.png] [--full] [SAMPLE ...]

Uses the real command line and a real browser (Chromium through Playwright; set CHROMIUM
to its path if it is not /usr/bin/chromium). Without SAMPLE arguments it picks the Dutch
samples whose findings together show ok, weak and missing: one sample if one has all three,
else the first pair that does.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WANTED = {"ok", "weak", "missing"}
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def statuses(paths: list[str]) -> dict[str, set[str]]:
    out = subprocess.run([sys.executable, "-m", "duediligence", "check", *paths, "--format", "json"], cwd=ROOT,
                         capture_output=True, text=True, check=False).stdout
    return {d["path"]: {f["status"] for f in d["findings"]} for d in json.loads(out)["documents"]}


def pick() -> list[str]:
    found = statuses(sorted(str(p.relative_to(ROOT)) for p in (ROOT / "samples").glob("nl_*.*")))
    for size in (1, 2):
        for combo in itertools.combinations(sorted(found), size):
            if WANTED <= set().union(*(found[p] for p in combo)):
                return list(combo)
    sys.exit("no Dutch samples show ok, weak and missing together")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "report.png"))
    parser.add_argument("--full", action="store_true", help="the whole page instead of the first screen")
    parser.add_argument("--width", type=int, default=1200)
    parser.add_argument("--height", type=int, default=1500)
    parser.add_argument("samples", nargs="*", help="documents to report on (default: picked, see above)")
    args = parser.parse_args()
    samples = args.samples or pick()

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        html = Path(tmp) / "report.html"
        subprocess.run([sys.executable, "-m", "duediligence", "check", *samples, "--format", "html", "-o", str(html)],
                       cwd=ROOT, check=False)
        if not html.is_file():
            sys.exit("the report was not written")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"), args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": args.width, "height": args.height}, device_scale_factor=1)
            page.goto(html.as_uri())
            page.screenshot(path=args.out, full_page=args.full)
            browser.close()
    print(f"{args.out}: {' '.join(samples)}")


if __name__ == "__main__":
    main()
