"""`audit --executor dask` against a real `distributed.LocalCluster` with worker processes on loopback."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from duediligence.batch.runner import AuditRequest, audit
from duediligence.batch.store import Store
from duediligence.cli import main
from duediligence.library import load_library
from duediligence.pipeline import Options, check_paths

distributed = pytest.importorskip("distributed")
SAMPLES = Path(__file__).parent.parent / "samples"


def test_audit_on_a_local_dask_cluster_matches_a_local_check(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    (corpus / "sub").mkdir(parents=True)
    for name in ("nl_dorpsplein_01.pdf", "nl_werkkledij_07.docx", "nl_energie_09.txt"):
        shutil.copy(SAMPLES / name, corpus / "sub" / name)
    (corpus / "broken.pdf").write_bytes(b"%PDF-1.7\n1 0 obj <<")
    db = tmp_path / "dask.db"
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as cluster:
        result = CliRunner().invoke(main, ["audit", str(corpus), "--db", str(db), "--executor", "dask",
                                           "--scheduler", cluster.scheduler_address, "-q"])
        assert result.exit_code == 2, result.output  # the broken PDF
        assert "failures: 1 corrupt-pdf" in result.stdout

        # a document past its time limit on a Dask worker is recorded as such; the run still finishes
        slow = audit(AuditRequest(inputs=(str(corpus / "sub" / "nl_dorpsplein_01.pdf"),), db_path=str(tmp_path / "t.db"),
                                  executor="dask", scheduler=cluster.scheduler_address, timeout=0.001))
        assert slow.totals.failures == {"timeout": 1} and slow.run.status == "finished"

    library = load_library()
    with Store(str(db)) as store:
        (run,) = store.runs()
        assert run.executor == "dask" and run.status == "finished"
        docs = {Path(d["path"]).name: d for d in store.document_dicts(run.id)}
    assert set(docs) == {"nl_dorpsplein_01.pdf", "nl_werkkledij_07.docx", "nl_energie_09.txt", "broken.pdf"}
    assert docs["broken.pdf"]["error"]["code"] == "corrupt-pdf"
    for name in ("nl_dorpsplein_01.pdf", "nl_werkkledij_07.docx", "nl_energie_09.txt"):
        path = corpus / "sub" / name
        local = check_paths([str(path)], library, Options()).documents[0]
        assert docs[name]["path"] == str(path)
        assert docs[name]["sha256"] == local.sha256
        assert [(f["criterion"], f["status"]) for f in docs[name]["findings"]] == \
               [(f.criterion, f.status.value) for f in local.findings]
