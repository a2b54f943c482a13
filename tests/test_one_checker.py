"""One checker and one set of settings behind every entry point.

The same file under the same configuration gets byte-identical findings from the Python API,
`check`, `audit` with local workers and `audit` on a Dask cluster; the configuration is the
README's own example, written as `.duediligence.toml`, with a per-path override that changes
a finding, so a entry point that skipped the configuration (or read only the first path's)
would differ.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import duediligence
from duediligence.batch.store import Store
from duediligence.cli import main
from duediligence.config import ConfigError
from duediligence.report.json_report import document_dict

ROOT = Path(__file__).parent.parent
SAMPLES = ROOT / "samples"


def readme_config() -> str:
    """The `[tool.duediligence]` example of the README, as printed there."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = next(b for b in re.findall(r"```toml\n(.*?)```", text, re.S) if b.startswith("[tool.duediligence]\n"))
    return block.replace('library = ["policy/criteria"]', "library = []")  # no such folder here


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project with the README's configuration: a parking tender once under catering/ (where
    fair trade is expected) and once beside it (where it does not apply)."""
    (tmp_path / ".duediligence.toml").write_text(readme_config(), encoding="utf-8")
    (tmp_path / "catering").mkdir()
    shutil.copy(SAMPLES / "nl_parking_03.txt", tmp_path / "catering" / "parking.txt")
    shutil.copy(SAMPLES / "nl_parking_03.txt", tmp_path / "parking.txt")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _findings(document: dict) -> str:  # type: ignore[type-arg]
    return json.dumps(document["findings"], sort_keys=True, ensure_ascii=False)


def test_the_readme_example_works_as_duediligence_toml(project: Path) -> None:
    report = duediligence.check(["catering/parking.txt", "parking.txt"])
    inside, beside = ({f.criterion: f.status.value for f in d.findings} for d in report.documents)
    assert "ethical-banking" not in inside and "ethical-banking" not in beside  # ignore
    assert inside["fair-trade"] == "missing" and beside["fair-trade"] == "not-applicable"  # the override


def test_api_check_and_audit_give_byte_identical_findings(project: Path) -> None:
    paths = ["catering/parking.txt", "parking.txt"]
    api = [_findings(document_dict(d)) for d in duediligence.check(paths).documents]

    result = CliRunner().invoke(main, ["check", "--format", "json", *paths])
    assert result.exit_code == 1, result.output  # fail-on = "weak" from the configuration
    check = [_findings(d) for d in json.loads(result.stdout)["documents"]]

    audits = {"local": ["--jobs", "1"]}
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as cluster:
        audits["dask"] = ["--executor", "dask", "--scheduler", cluster.scheduler_address]
        for name, how in audits.items():
            done = CliRunner().invoke(main, ["audit", *paths, "--db", f"{name}.db", "-q", "--no-cache", *how])
            assert done.exit_code == 1, done.output
    assert api == check
    assert json.loads(api[0]) != json.loads(api[1])  # the override holds for one file only
    for name in audits:
        with Store(f"{name}.db") as store:
            (run,) = store.runs()
            by_path = {Path(d["path"]).relative_to(project).as_posix(): _findings(d) for d in store.document_dicts(run.id)}
        assert [by_path[p] for p in paths] == api, name


@pytest.mark.parametrize("key", ["ignore", "expect"])
def test_an_unknown_criterion_in_the_configuration_is_an_error(project: Path, key: str) -> None:
    (project / ".duediligence.toml").write_text(f'{key} = ["fossil"]\n', encoding="utf-8")
    for command in (["check", "parking.txt"], ["audit", "parking.txt", "--db", "a.db", "-q"]):
        result = CliRunner().invoke(main, command)
        assert result.exit_code == 2
        assert f".duediligence.toml: {key}: unknown criterion 'fossil' (known: " in result.stderr
        assert "Traceback" not in result.output
    with pytest.raises(ConfigError, match="unknown criterion 'fossil'"):
        duediligence.check(["parking.txt"])


def test_the_web_server_resolves_each_upload_under_its_own_name(project: Path) -> None:
    from duediligence.web.settings import load_serve_settings

    (project / ".duediligence.toml").write_text(readme_config().replace('paths = ["catering/*"]', 'paths = ["*.docx"]'),
                                                encoding="utf-8")
    served = load_serve_settings(project)
    assert served.settings_for("bestek.docx").expected == ("fair-trade",)
    assert served.settings_for("../../etc/bestek.pdf").expected == ()
    assert served.settings_for("bestek.pdf") == served.audit_settings()
