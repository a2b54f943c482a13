"""Wall time of one `duediligence check` on a 10-page DOCX template, as a pre-commit hook runs it.

Median of several runs, beside the bare interpreter and `import duediligence`, with the
sentence cache cold (first check of a template) and warm (re-check after an edit):

    python benchmarks/bench_startup.py [--runs 7]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def make_template(path: Path) -> Path:
    import docx

    sources = sorted((Path(__file__).resolve().parent.parent / "samples" / "src").glob("nl_*.md"))
    document = docx.Document()
    paragraphs = 0
    for src in sources:
        for line in src.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if not line or line.startswith(("---", "{{", "|", "target:", "title:", "authority:", "ref:")):
                continue
            if line.startswith("#"):
                document.add_heading(line.lstrip("# "), level=min(line.count("#"), 3))
            else:
                document.add_paragraph(line)
                paragraphs += 1
        if paragraphs > 130:  # about ten pages of tender prose
            break
    document.save(str(path))
    return path


CPU: list[float] = []  # CPU seconds (user + system) of the last median_seconds' runs


def median_seconds(cmd: list[str], runs: int, env: dict[str, str]) -> float:
    """Median wall time; the median CPU time of the same runs is left in CPU (a loaded
    machine stretches the wall time, much less the CPU time)."""
    samples, cpu = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(cmd, capture_output=True, env=env)
        samples.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    CPU[:] = [statistics.median(cpu)]
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        template = make_template(Path(tmp) / "template.docx")
        env = {**os.environ, "DUEDILIGENCE_CACHE_DIR": str(Path(tmp) / "cache")}
        # an installed package has its byte code compiled; a hook must not be timed compiling ours
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        subprocess.run([sys.executable, "-c", "import duediligence.cli, duediligence.pipeline"], env=env, check=True)
        bare = median_seconds([sys.executable, "-c", "pass"], args.runs, env)
        bare_cpu = CPU[0]
        imported = median_seconds([sys.executable, "-c", "import duediligence"], args.runs, env)
        check = [sys.executable, "-m", "duediligence", "check", "--quiet", str(template)]
        cold_samples, cold_cpu = [], []
        for i in range(args.runs):
            cold_env = {**env, "DUEDILIGENCE_CACHE_DIR": str(Path(tmp) / f"cold{i}")}
            cold_samples.append(median_seconds(check, 1, cold_env))
            cold_cpu.append(CPU[0])
        cold = statistics.median(cold_samples)
        median_seconds(check, 1, env)  # fill the cache
        warm = median_seconds(check, args.runs, env)
        warm_cpu = CPU[0]
        print(f"10-page DOCX template, median of {args.runs} runs (wall, and CPU user+system)")
        print(f"bare interpreter             {bare:6.3f} s   cpu {bare_cpu:6.3f} s")
        print(f"import duediligence          {imported:6.3f} s")
        print(f"check, cold cache            {cold:6.3f} s   cpu {statistics.median(cold_cpu):6.3f} s  ({cold / bare:5.1f}x bare)")
        print(f"check, warm cache            {warm:6.3f} s   cpu {warm_cpu:6.3f} s  ({warm / bare:5.1f}x bare)")


if __name__ == "__main__":
    main()
