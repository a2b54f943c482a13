"""Load on the web page: concurrent officers uploading a 20-page tender to `duediligence serve`.

    python benchmarks/bench_web.py [--uploads 50] [--clients 10] [--workers 2] [--pages 20] [--deadline 600]

Starts the real server on 127.0.0.1 only (a free port, a temporary folder, no accounts, so
loopback access), generates one realistic tender PDF (a sample inflated like
make_corpus.py does), and lets each client upload it in turn and poll until its report is
ready. The server's sentence cache is off unless --cache: the same file uploaded 50 times
would otherwise be analysed in full only once. Bounded in count (--uploads) and time
(--deadline): it stops by itself. Prints the
time from the start of an upload to its report (p50, p95, max), the highest queue place
seen, and the peak resident memory of the server and of its worker processes.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import httpx  # noqa: E402

from duediligence.web.launch import LocalServer  # noqa: E402
from make_corpus import inflate, load_sample_builder  # noqa: E402  (this folder is on sys.path)

ROOT = Path(__file__).resolve().parent.parent


def tender(path: Path, pages: int) -> int:
    """Write a Dutch tender of at least `pages` pages; returns its page count."""
    import pypdfium2

    builder = load_sample_builder()
    meta, items = builder.parse(ROOT / "samples" / "src" / "nl_dorpsplein_01.md")
    for aim in range(pages, pages + 10):  # the inflation estimates pages; aim higher until the PDF has them
        builder.to_pdf(inflate(items, "nl", aim, random.Random(7)), meta, path)
        real = len(pypdfium2.PdfDocument(str(path)))
        if real >= pages:
            return real
    return real


def rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


class Officer(threading.Thread):
    """One client: its own session, uploading the tender `count` times, one after the other."""

    def __init__(self, url: str, data: bytes, count: int, deadline: float, places: list[int]) -> None:
        super().__init__(daemon=True)
        self.url, self.data, self.count, self.deadline, self.places = url, data, count, deadline, places
        self.times: list[float] = []
        self.failures: list[str] = []

    def run(self) -> None:
        with httpx.Client(base_url=self.url, timeout=120) as client:
            token = re.search(r'name="csrf" value="([^"]+)"', client.get("/").text)
            assert token, "no CSRF token on the upload page"
            headers = {"accept": "application/json", "x-csrf-token": token.group(1)}
            for _ in range(self.count):
                if time.monotonic() > self.deadline:
                    self.failures.append("deadline")
                    return
                started = time.monotonic()
                answer = client.post("/upload", headers=headers, files={"files": ("bestek.pdf", self.data, "application/pdf")})
                sent = answer.json()["files"][0]
                if "error" in sent:
                    self.failures.append(sent["error"]["code"])
                    continue
                self.places.append(sent["place"])
                while time.monotonic() < self.deadline:
                    state = client.get(sent["status_url"], headers=headers).json()
                    if state["state"] == "queued":
                        self.places.append(state["place"])
                    if state["state"] in ("done", "failed"):
                        if state.get("error"):
                            self.failures.append(state["error"]["code"])
                        else:
                            self.times.append(time.monotonic() - started)
                        break
                    time.sleep(0.1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--uploads", type=int, default=50)
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--pages", type=int, default=20)
    parser.add_argument("--deadline", type=float, default=600.0, help="seconds after which the run stops")
    parser.add_argument("--cache", action="store_true", help="let the server cache sentence splits (repeat uploads get faster)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        pdf = folder / "bestek.pdf"
        pages = tender(pdf, args.pages)
        env = {"DUEDILIGENCE_CACHE_DIR": str(folder / "cache")} if args.cache else {"DUEDILIGENCE_NO_CACHE": "1"}
        with LocalServer(folder, workers=args.workers, env=env) as server:
            pids = [server.proc.pid] if server.proc else []
            peaks = {"server": 0, "workers": 0}
            stop = threading.Event()

            def watch() -> None:
                while not stop.is_set():
                    health = server.health() or {}
                    peaks["server"] = max(peaks["server"], rss_kb(pids[0]))
                    peaks["workers"] = max(peaks["workers"], sum(rss_kb(p) for p in health.get("workers", [])))
                    stop.wait(0.5)

            watcher = threading.Thread(target=watch, daemon=True)
            watcher.start()
            idle_server = rss_kb(pids[0])
            deadline = time.monotonic() + args.deadline
            places: list[int] = []
            share = [args.uploads // args.clients + (i < args.uploads % args.clients) for i in range(args.clients)]
            officers = [Officer(server.url, pdf.read_bytes(), n, deadline, places) for n in share]
            started = time.monotonic()
            for o in officers:
                o.start()
            for o in officers:
                o.join(max(0.0, deadline - time.monotonic()) + 5)
            wall = time.monotonic() - started
            stop.set()
            watcher.join()
    times = sorted(t for o in officers for t in o.times)
    failures = [f for o in officers for f in o.failures]
    if not times:
        sys.exit(f"no report came back ({failures})")
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    print(f"{len(times)} reports of a {pages}-page PDF from {args.clients} concurrent clients, {args.workers} workers, "
          f"sentence cache {'on' if args.cache else 'off'}, "
          f"in {wall:.1f} s ({len(times) / wall:.2f} reports/s); failures: {len(failures)} {sorted(set(failures))}")
    print(f"time to report: p50 {statistics.median(times):.2f} s, p95 {p95:.2f} s, max {times[-1]:.2f} s; "
          f"highest queue place seen: {max(places, default=0)}")
    print(f"memory (peak RSS): server {peaks['server'] / 1024:.0f} MB (idle {idle_server / 1024:.0f} MB), "
          f"workers {peaks['workers'] / 1024:.0f} MB together ({peaks['workers'] / 1024 / args.workers:.0f} MB each)")


if __name__ == "__main__":
    main()
