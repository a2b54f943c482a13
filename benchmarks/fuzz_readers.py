"""Bounded mutation fuzzing of the readers (PDF, DOCX, text, Markdown), and optionally of the
whole pipeline behind them.

Takes the sample documents, mutates their bytes (flips, truncation, chunk duplication, long
runs of one chunk; for DOCX also the bytes of the XML inside the zip, and the XML tree itself,
kept well-formed), and checks that every input ends in a document or an `InputError`. Anything else is a finding, saved for replay:

- `bug`: another exception (a bug of ours: it would be reported as `internal`);
- `crash`: the process died (a native crash in a library) and `check`, which reads every file in a
  child process, did not answer it either; when it did (a report read by pdfium after a pdf_oxide
  segfault, or an error code), the input counts as `native`: a library bug the product survives;
- `hang`: one input took longer than --hang-seconds;
- `memory`: the process grew more than --max-memory-mb over its start.

Inputs run in worker processes (one per format at a time, --jobs at once), so a crash, hang
or blow-up costs one input, and each worker restarts after --restart-every inputs. Prints
executions per format, their rate and their outcomes.

    python benchmarks/fuzz_readers.py --seconds 180 [--executions 100000] [--formats pdf,docx]
                                      [--jobs 2] [--analyse] [--ocr auto] [--seed 1] [--out /tmp/dd-fuzz]
"""

from __future__ import annotations

import argparse
import collections
import copy
import io
import json
import os
import random
import select
import signal
import sys
import time
import traceback
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

SAMPLES = Path(__file__).resolve().parent.parent / "samples"  # data only: duediligence is imported as installed
FORMATS = {"pdf": (".pdf",), "docx": (".docx",), "text": (".txt",), "markdown": (".md",)}
_SUFFIX = {"pdf": ".pdf", "docx": ".docx", "text": ".txt", "markdown": ".md"}


def mutate_bytes(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 40)):
        op = rng.random()
        pos = rng.randrange(len(out)) if out else 0
        if op < 0.45 and out:
            out[pos] = rng.randrange(256)
        elif op < 0.6:
            out[pos:pos] = out[pos : pos + rng.randint(1, 200)]
        elif op < 0.7:  # a long run of one small chunk: what backtracking patterns and quadratic joins need
            out[pos:pos] = bytes(out[pos : pos + rng.randint(1, 4)]) * rng.randint(100, 20_000)
        elif op < 0.85 and out:
            del out[pos : pos + rng.randint(1, 200)]
        else:
            out = out[: rng.randint(0, len(out))]
    return bytes(out)


_MEMBERS: dict[bytes, list[tuple[zipfile.ZipInfo, bytes]]] = {}


def _members(data: bytes) -> list[tuple[zipfile.ZipInfo, bytes]]:
    """A seed's zip members, inflated once per worker: inflating every member of every seed for
    every input was most of a DOCX execution's time."""
    if data not in _MEMBERS:
        source = zipfile.ZipFile(io.BytesIO(data))
        _MEMBERS[data] = [(item, source.read(item.filename)) for item in source.infolist()]
    return _MEMBERS[data]


def _zipped(members: list[tuple[zipfile.ZipInfo, bytes]]) -> bytes:
    """Members deflated at the fastest level: the reader sees an ordinary deflated zip."""
    target = io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        for item, content in members:
            z.writestr(item.filename, content)
    return target.getvalue()


def mutate_docx_xml(data: bytes, rng: random.Random) -> bytes:
    return _zipped([(item, mutate_bytes(content, rng) if item.filename.endswith(".xml") and rng.random() < 0.5
                     else content) for item, content in _members(data)])


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_TAGS = [f"{_W}{t}" for t in ("p", "r", "t", "tbl", "tr", "tc", "sdt", "sdtContent", "ins", "del", "pPr", "pStyle", "rPr",
                                "b", "tab", "br", "fldSimple", "hyperlink", "numPr", "ilvl", "numId", "commentReference")]
_VALUES = ["", "0", "-1", "999999999999", "Heading1", "Kop 9", "x" * 1000, "\u00e9", "true", "NaN"]


def mutate_docx_tree(data: bytes, rng: random.Random) -> bytes:
    """Well-formed but odd WordprocessingML: elements deleted, copied, moved, renamed, nested
    deeply, attributes given odd values. Byte flips rarely get past the zip and XML parsers;
    these reach the reader's own walk over the XML."""
    from lxml import etree

    members = []
    for item, content in _members(data):
        if item.filename.startswith("word/") and item.filename.endswith(".xml") and rng.random() < 0.7:
            root = etree.fromstring(content)
            # elements, not comments; listed once (a removed one stays listed: an edit of a detached
            # node is a wasted draw, and listing a 400 KB styles part after every edit cost 40 ms)
            nodes = [n for n in root.iter() if isinstance(n.tag, str)] or [root]
            for _ in range(rng.randint(1, 12)):
                node = rng.choice(nodes)
                parent = node.getparent()
                op = rng.random()
                if op < 0.2 and parent is not None:
                    parent.remove(node)
                elif op < 0.35 and parent is not None:
                    parent.insert(parent.index(node), copy.deepcopy(node))
                elif op < 0.5:
                    rng.choice(nodes).append(copy.deepcopy(node))
                elif op < 0.6:
                    node.tag = rng.choice(_TAGS)
                elif op < 0.7:
                    for _ in range(rng.randint(1, 300)):
                        node = etree.SubElement(node, rng.choice(_TAGS))
                        nodes.append(node)
                elif op < 0.85:
                    node.set(f"{_W}val" if rng.random() < 0.7 else rng.choice(list(node.attrib) or [f"{_W}val"]),
                             rng.choice(_VALUES))
                else:
                    node.text = rng.choice(_VALUES) * rng.randint(1, 50)
            content = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        members.append((item, content))
    return _zipped(members)


def mutate(fmt: str, data: bytes, rng: random.Random) -> bytes:
    if fmt == "docx":
        choice = rng.random()
        if choice < 0.5:
            return mutate_docx_tree(data, rng)
        if choice < 0.75:
            return mutate_docx_xml(data, rng)
    return mutate_bytes(data, rng)


# --- the worker: runs inputs in a loop, one answer line per input ------------------------------


def worker(fmt: str, seed: int, count: int, out: Path, analyse: bool, ocr: str, answers: int) -> None:
    """Runs `count` mutated inputs of `fmt`; writes the input about to run to `current`, then
    one JSON line per input to the `answers` file descriptor."""
    from duediligence.errors import InputError
    from duediligence.read import ReadLimits, read_document

    limits = ReadLimits(ocr=ocr)
    check = None
    if analyse:
        from duediligence.library import load_library
        from duediligence.matchers import Matchers
        from duediligence.pipeline import Options, analyse as run

        library = load_library()
        matchers = Matchers(library)
        options = Options()

        def check(raw):  # type: ignore[no-untyped-def]
            run(raw, library, matchers, options)

    rng = random.Random(seed)
    seeds = [p.read_bytes() for p in sorted(SAMPLES.iterdir()) if p.suffix in FORMATS[fmt]]
    current = out / f"current-{fmt}{_SUFFIX[fmt]}"
    channel = os.fdopen(answers, "w", buffering=1)
    channel.write(json.dumps({"ready": True}) + "\n")
    for _ in range(count):
        try:
            data = mutate(fmt, rng.choice(seeds), rng)
        except ValueError:  # lxml refused to build what a tree mutation asked for: draw again
            data = mutate_bytes(rng.choice(seeds), rng)
        current.write_bytes(data)
        answer: dict[str, object] = {}
        try:
            raw = read_document(current, limits)
            if check is not None:
                check(raw)
            answer["outcome"] = "ok"
        except InputError as exc:
            answer["outcome"] = exc.code
        except Exception as exc:  # what this script exists to find
            answer.update(outcome="bug", error=f"{type(exc).__name__}: {exc}", trace=traceback.format_exc())
        channel.write(json.dumps(answer) + "\n")
    channel.close()
    os._exit(0)


def _resident(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", "rb") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


@dataclass
class Worker:
    fmt: str
    pid: int
    reading: int
    born: float = field(default_factory=time.monotonic)
    buffer: bytes = b""
    started_input: float = field(default_factory=time.monotonic)
    base_memory: int = 0
    left: int = 0


@dataclass
class Tally:
    executions: collections.Counter[str] = field(default_factory=collections.Counter)
    outcomes: dict[str, collections.Counter[str]] = field(default_factory=lambda: collections.defaultdict(collections.Counter))
    findings: list[str] = field(default_factory=list)


def _start(fmt: str, seed: int, count: int, out: Path, analyse: bool, ocr: str) -> Worker:
    reading, writing = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(reading)
        try:
            worker(fmt, seed, count, out, analyse, ocr, writing)
        except BaseException:  # noqa: B036 - a fault of this script, not of the input: show it
            traceback.print_exc()
        finally:
            os._exit(1)
    os.close(writing)
    os.set_blocking(reading, False)
    return Worker(fmt, pid, reading, left=count)


def _keep(w: Worker, kind: str, tally: Tally, out: Path, detail: str = "") -> None:
    """Save the input the worker was on as a finding."""
    current = out / f"current-{w.fmt}{_SUFFIX[w.fmt]}"
    kept = out / f"{kind}-{w.fmt}-{len(tally.findings) + 1}{_SUFFIX[w.fmt]}"
    if current.exists():
        current.replace(kept)
    tally.findings.append(f"{kind}: {kept}" + (f"\n{detail}" if detail else ""))
    tally.executions[w.fmt] += 1
    tally.outcomes[w.fmt][kind] += 1


def _stop(w: Worker) -> None:
    try:
        os.kill(w.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    os.waitpid(w.pid, 0)
    os.close(w.reading)


def _read_answers(w: Worker, tally: Tally, out: Path) -> bool:
    """Take the worker's complete answers; False when it ended (answered all, or died)."""
    while True:
        try:
            chunk = os.read(w.reading, 1 << 16)
        except BlockingIOError:
            return True
        if not chunk:
            break
        w.buffer += chunk
        *lines, w.buffer = w.buffer.split(b"\n")
        for line in lines:
            answer = json.loads(line)
            if answer.get("ready"):
                w.base_memory, w.started_input = _resident(w.pid), time.monotonic()
                continue
            w.left -= 1
            w.started_input = time.monotonic()
            if answer["outcome"] == "bug":
                _keep(w, "bug", tally, out, answer["trace"])
            else:
                tally.executions[w.fmt] += 1
                tally.outcomes[w.fmt][answer["outcome"]] += 1
    _, status = os.waitpid(w.pid, 0)
    os.close(w.reading)
    if w.left > 0:  # died before answering all its inputs: the one it was on crashed it
        how = f"signal {os.WTERMSIG(status)}" if os.WIFSIGNALED(status) else f"exit {os.WEXITSTATUS(status)}"
        contained = _contained(out / f"current-{w.fmt}{_SUFFIX[w.fmt]}")
        _keep(w, "native" if contained else "crash", tally, out, f"{how}; check answers {contained or 'nothing'}")
    return False


def _contained(path: Path) -> str | None:
    """The error code `check` gives the input that crashed a worker in-process, reading it in its
    own child process as the product does; None when it cannot answer it either."""
    from duediligence.errors import InputError
    from duediligence.read import ReadLimits
    from duediligence.read.isolated import read_isolated

    try:
        read_isolated(str(path), ReadLimits(ocr="never"), None, time.monotonic() + 60)
    except InputError as exc:
        return exc.code
    except Exception:  # a bug of ours (`internal`): not contained
        return None
    return "a report"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=180, help="stop after this long (all formats)")
    parser.add_argument("--executions", type=int, default=0, help="stop a format after this many inputs (0: no limit)")
    parser.add_argument("--formats", default=",".join(FORMATS), help="comma-separated: pdf,docx,text,markdown")
    parser.add_argument("--jobs", type=int, default=1, help="worker processes at once")
    parser.add_argument("--analyse", action="store_true", help="also run the pipeline on what was read")
    parser.add_argument("--ocr", choices=("never", "auto"), default="never",
                        help="OCR mutated PDFs without text (tesseract takes seconds a page)")
    parser.add_argument("--hang-seconds", type=float, default=10.0)
    parser.add_argument("--max-memory-mb", type=int, default=1024)
    parser.add_argument("--restart-every", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", default="/tmp/dd-fuzz")
    args = parser.parse_args()
    formats = [f for f in args.formats.split(",") if f]
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        parser.error(f"unknown format {unknown[0]!r} (known: {', '.join(FORMATS)})")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    import duediligence.read  # noqa: F401 - imported once here, inherited by every worker

    tally = Tally()
    started = time.monotonic()
    deadline = started + args.seconds
    rng = random.Random(args.seed)
    workers: list[Worker] = []
    turn = 0
    # With fewer workers than formats, each format's worker gives way after a time slice, so
    # every format gets about the same time.
    time_slice = max(1.0, args.seconds * args.jobs / len(formats) / 4)

    def wanted(fmt: str) -> int:
        running = sum(w.left for w in workers if w.fmt == fmt)
        left = args.executions - tally.executions[fmt] - running if args.executions else args.restart_every
        return max(0, min(left, args.restart_every))

    while True:
        now = time.monotonic()
        if now < deadline:
            for _ in range(len(formats)):
                if len(workers) >= args.jobs:
                    break
                fmt = formats[turn % len(formats)]
                turn += 1
                count = wanted(fmt)
                if count and not any(w.fmt == fmt for w in workers):
                    workers.append(_start(fmt, rng.randrange(2**32), count, out, args.analyse, args.ocr))
        if not workers:
            break
        readable, _, _ = select.select([w.reading for w in workers], [], [], 0.1)
        for w in list(workers):
            if w.reading in readable and not _read_answers(w, tally, out):
                workers.remove(w)
                continue
            if time.monotonic() - w.started_input > args.hang_seconds:
                _stop(w)
                _keep(w, "hang", tally, out, f"more than {args.hang_seconds:g} s")
                workers.remove(w)
            elif w.base_memory and _resident(w.pid) - w.base_memory > args.max_memory_mb * 2**20:
                _stop(w)
                _keep(w, "memory", tally, out, f"more than {args.max_memory_mb} MB")
                workers.remove(w)
            elif time.monotonic() > deadline or (len(formats) > args.jobs and time.monotonic() - w.born > time_slice):
                _stop(w)
                workers.remove(w)
    seconds = time.monotonic() - started
    for finding in tally.findings:
        print(finding, file=sys.stderr)
    bad = sum(1 for f in tally.findings if not f.startswith("native"))
    native = len(tally.findings) - bad
    print(f"{sum(tally.executions.values())} executions in {seconds:.0f} s, {bad} crashes "
          f"(bugs, native crashes, hangs, memory blow-ups), {native} native library crashes check answers")
    for fmt in formats:
        n = tally.executions[fmt]
        outcomes = ", ".join(f"{k} {v}" for k, v in tally.outcomes[fmt].most_common())
        print(f"  {fmt:<9} {n:>8} executions ({n / seconds:,.0f}/s): {outcomes}")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
