"""Progress on stderr: a rich bar with counts and ETA on a terminal, plain periodic lines otherwise."""

from __future__ import annotations

import sys
import time
from typing import Any, TextIO


def _clock(seconds: float) -> str:
    seconds = int(round(seconds))
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


class Progress:
    """Counts only; subclasses decide how to show them. Also the silent choice for library use."""

    def __init__(self) -> None:
        self.total = 0
        self.done = 0
        self.failed = 0
        self.cached = 0
        self.pages = 0
        self.started = time.monotonic()
        self._session_done = 0

    def start(self, total: int, already_done: int) -> None:
        self.total, self.done = total, already_done
        self.started = time.monotonic()

    def advance(self, failed: bool, cached: bool, pages: int | None) -> None:
        self.done += 1
        self._session_done += 1
        self.failed += failed
        self.cached += cached
        self.pages += pages or 0
        self.show()

    def eta(self) -> float | None:
        elapsed = time.monotonic() - self.started
        if not self._session_done or elapsed <= 0:
            return None
        return (self.total - self.done) / (self._session_done / elapsed)

    def show(self) -> None:
        pass

    def tick(self) -> None:
        pass

    def finish(self) -> None:
        pass


class LineProgress(Progress):
    """For logs and CI: one line every `interval` seconds, and one at the end."""

    def __init__(self, stream: TextIO | None = None, interval: float = 5.0) -> None:
        super().__init__()
        self.stream = stream or sys.stderr
        self.interval = interval
        self._last = time.monotonic()

    def line(self) -> str:
        elapsed = time.monotonic() - self.started
        eta = self.eta()
        parts = [f"audit: {self.done}/{self.total} documents", f"{self.failed} failed", f"{self.cached} from cache",
                 f"{self.pages / elapsed:.0f} pages/s" if elapsed > 0 else "", f"elapsed {_clock(elapsed)}",
                 f"ETA {_clock(eta)}" if eta is not None and self.done < self.total else ""]
        return " · ".join(p for p in parts if p)

    def tick(self) -> None:
        if time.monotonic() - self._last >= self.interval:
            self._last = time.monotonic()
            print(self.line(), file=self.stream, flush=True)

    show = tick

    def finish(self) -> None:
        print(self.line(), file=self.stream, flush=True)


class BarProgress(Progress):
    """For a terminal: rich's live bar, redrawn by its own thread."""

    def __init__(self) -> None:
        super().__init__()
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn, TimeRemainingColumn
        from rich.progress import Progress as RichProgress

        self._bar = RichProgress(
            TextColumn("[bold]audit"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[status]}"),
            TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(), console=Console(stderr=True), transient=False)
        self._task: Any = None

    def start(self, total: int, already_done: int) -> None:
        super().start(total, already_done)
        self._bar.start()
        self._task = self._bar.add_task("audit", total=total, completed=already_done, status="")

    def show(self) -> None:
        if self._task is not None:
            status = f"{self.failed} failed · {self.cached} cached · {self.pages} pages"
            self._bar.update(self._task, completed=self.done, status=status)

    def finish(self) -> None:
        self.show()
        self._bar.stop()


def for_stream(stream: TextIO | None = None, quiet: bool = False) -> Progress:
    stream = stream or sys.stderr
    if quiet:
        return Progress()
    return BarProgress() if stream.isatty() else LineProgress(stream)
