"""Screenshots of the web page for the README: docs/web-upload.png and docs/web-report.png.

    python docs/make_web_screenshots.py [--out docs] [--lang nl]

Starts the real `duediligence serve` on loopback in a temporary folder (no accounts, so open to
this computer only), uploads two Dutch samples through the page in headless Chromium (set
CHROMIUM if it is not /usr/bin/chromium), waits for their reports, and photographs the upload
page and the report of the first sample.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from duediligence.web.launch import LocalServer

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = [ROOT / "samples" / "nl_gemeentehuis_24.docx", ROOT / "samples" / "nl_dorpsplein_01.pdf"]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs"))
    parser.add_argument("--lang", default="nl", choices=["nl", "fr", "en"])
    args = parser.parse_args()
    out = Path(args.out)

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp, LocalServer(Path(tmp), workers=2) as server, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1200, "height": 820}, device_scale_factor=1)
        page.goto(f"{server.url}/language/{args.lang}?next=/")
        page.set_input_files("#files", [str(s) for s in SAMPLES])
        page.wait_for_function(f"() => document.querySelectorAll('#upload-list .upload[data-state=done]').length === {len(SAMPLES)}",
                               timeout=120_000)
        page.screenshot(path=str(out / "web-upload.png"))
        page.locator("#upload-list .upload", has_text=SAMPLES[0].name).locator("a.open-report").click()
        page.wait_for_load_state()
        page.set_viewport_size({"width": 1200, "height": 1400})
        page.screenshot(path=str(out / "web-report.png"))
        browser.close()
    print(f"{out / 'web-upload.png'}, {out / 'web-report.png'}: {' '.join(s.name for s in SAMPLES)}")


if __name__ == "__main__":
    main()
