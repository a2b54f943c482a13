"""The web page's check queue: real worker processes, a bounded queue with places, and a server
that outlives a worker crashing or hanging on a document.

The analysers are small stand-ins loaded by the real worker protocol (as in the audit tests),
so a crash and a hang can be made on purpose; the real checker runs in tests/test_web.py.
"""

from __future__ import annotations

import textwrap
import time
from pathlib import Path
from typing import Any

import pytest

from duediligence.batch.settings import AuditSettings
from duediligence.web.queue import CheckQueue, QueueFull, Upload

from .test_batch_audit import FAKE_ANALYSERS

# The audit tests' stand-ins (hang, crash), answering in the web worker's shape; "slow" takes half a second.
ANALYSERS = FAKE_ANALYSERS + '''

def web_factory(settings):
    run, version = factory(settings)

    def web_run(path):
        if "slow" in os.path.basename(path):
            time.sleep(0.5)
        return {"document": run(path), "copies": {}}
    return web_run, version
'''


@pytest.fixture()
def make_queue(tmp_path: Path) -> Any:
    modules = tmp_path / "modules"
    modules.mkdir()
    (modules / "stand_in.py").write_text(textwrap.dedent(ANALYSERS), encoding="utf-8")
    made: list[CheckQueue] = []
    answers: dict[str, dict[str, Any]] = {}

    def finish(upload: Upload, answer: dict[str, Any]) -> int:
        answers[upload.file_name] = answer
        return len(answers)

    def make(workers: int = 1, capacity: int = 10, timeout: float | None = 5.0,
             record: Any = finish) -> tuple[CheckQueue, dict[str, Any]]:
        queue = CheckQueue(AuditSettings(analyser="stand_in:web_factory").to_json(), workers, capacity, timeout, record,
                           env={"PYTHONPATH": str(modules)})
        queue.start()
        made.append(queue)
        return queue, answers

    yield make
    for queue in made:
        queue.stop()


def upload(tmp_path: Path, name: str) -> Upload:
    path = tmp_path / name
    path.write_text("# x\n", encoding="utf-8")
    return Upload(id=name, account="officer", file_name=name, path=str(path), size=4)


def wait_done(uploads: list[Upload], seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if all(u.state in ("done", "failed") for u in uploads):
            return
        time.sleep(0.05)
    raise AssertionError([(u.file_name, u.state) for u in uploads])


def test_a_crash_and_a_hang_cost_their_document_only(make_queue: Any, tmp_path: Path) -> None:
    queue, answers = make_queue(workers=1, timeout=1.5)
    items = [upload(tmp_path, n) for n in ("a.md", "crash.md", "b.md", "hang.md", "c.md")]
    for item in items:
        queue.submit(item)
    wait_done(items)
    assert all(u.state == "done" for u in items)  # each got an answer, the crash and the hang as errors
    assert answers["crash.md"]["error"]["code"] == "internal" and "exited with code 3" in answers["crash.md"]["error"]["message"]
    assert answers["hang.md"]["error"]["code"] == "timeout"
    assert all(answers[n]["document"]["findings"][0]["status"] == "ok" for n in ("a.md", "b.md", "c.md"))
    assert queue.restarts == 2 and queue.ready_workers() <= 1
    later = upload(tmp_path, "d.md")  # and the queue goes on
    queue.submit(later)
    wait_done([later])
    assert answers["d.md"]["document"]["error"] is None


def test_places_in_the_queue_and_its_bound(make_queue: Any, tmp_path: Path) -> None:
    queue, _answers = make_queue(workers=1, capacity=3)
    while queue.ready_workers() < 1:
        time.sleep(0.05)
    first = upload(tmp_path, "slow-1.md")
    queue.submit(first)
    deadline = time.monotonic() + 10
    while first.state != "checking" and time.monotonic() < deadline:
        time.sleep(0.01)
    waiting = [upload(tmp_path, f"slow-{i}.md") for i in (2, 3, 4)]
    assert [queue.submit(u) for u in waiting] == [1, 2, 3]
    assert [queue.place(u) for u in waiting] == [1, 2, 3] and queue.place(first) == 0
    with pytest.raises(QueueFull):
        queue.submit(upload(tmp_path, "slow-5.md"))
    assert {u.file_name for u in queue.pending("officer")} == {"slow-1.md", "slow-2.md", "slow-3.md", "slow-4.md"}
    assert queue.pending("someone-else") == []
    wait_done([first, *waiting])
    order = sorted([first, *waiting], key=lambda u: u.finished or 0)
    assert [u.file_name for u in order] == ["slow-1.md", "slow-2.md", "slow-3.md", "slow-4.md"]


def test_a_failing_record_is_reported_and_the_queue_goes_on(make_queue: Any, tmp_path: Path) -> None:
    def finish(item: Upload, _answer: dict[str, Any]) -> int:
        if item.file_name == "a.md":
            raise OSError("disk full")
        return 7

    queue, _answers = make_queue(record=finish)
    items = [upload(tmp_path, "a.md"), upload(tmp_path, "b.md")]
    for item in items:
        queue.submit(item)
    wait_done(items)
    assert items[0].state == "failed" and items[0].error and "disk full" in items[0].error["message"]
    assert items[1].state == "done" and items[1].check_id == 7
