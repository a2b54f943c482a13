"""The "in the notice" section: eForms codes from the SDK's code lists, justified by the findings.

Expectations are read from the findings of the same run (which clause is ok, weak or missing),
never from today's verdict on a sample: these tests check how findings become codes.
"""

from __future__ import annotations

import html
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from duediligence.cli import main
from duediligence.eforms import code_lists
from duediligence.library import load_library

ROOT = Path(__file__).resolve().parent.parent
DUTCH, FRENCH = ROOT / "samples" / "nl_werkkledij_07.docx", ROOT / "samples" / "fr_cantine_16.docx"
STATE = {"ok": "tick", "weak": "not-yet", "missing": "once-inserted"}

# Coffee (fair trade applies, weakly worded), electricity (fossil-free applies, no clause) and a
# complete human-rights clause.
TENDER = """# Bestek – Levering van koffie en thee voor het stadhuis

## 1. Voorwerp van de opdracht

De opdracht omvat de levering van koffie en thee en van de elektriciteit voor de koffieautomaten van het stadhuis. CPV 15861000-1, 09310000-5.

## 4. Uitvoeringsvoorwaarden

### 4.1 Mensenrechten

De opdrachtnemer respecteert de Universele Verklaring van de Rechten van de Mens en de kernverdragen van de IAO en legt die verplichting op aan zijn onderaannemers en leveranciers.

Hij voert een risicoanalyse uit en bezorgt op eenvoudig verzoek een verslag met bewijsstukken.

Bij een ernstige schending kan de aanbestedende overheid de opdracht verbreken.

### 4.2 Eerlijke handel

{fair_trade}
"""
WEAK_FAIR_TRADE = "De opdrachtnemer levert bij voorkeur koffie en thee uit eerlijke handel."


def check(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["check", *args])
    return result.exit_code, result.stdout


def json_doc(path: Path, *args: str) -> dict[str, Any]:
    return json.loads(check(str(path), "--format", "json", *args)[1])["documents"][0]  # type: ignore[no-any-return]


def tender(tmp_path: Path, fair_trade: str = WEAK_FAIR_TRADE) -> Path:
    path = tmp_path / "koffie.md"
    path.write_text(TENDER.format(fair_trade=fair_trade), encoding="utf-8")
    return path


def test_code_lists_are_the_sdks_with_labels_in_three_languages() -> None:
    lists = code_lists()
    raw = yaml.safe_load((ROOT / "duediligence" / "data" / "eforms.yml").read_text(encoding="utf-8"))
    assert raw["sdk"]["version"] == lists.sdk_version and raw["sdk"]["repository"].endswith("OP-TED/eForms-SDK")
    assert "codelists/social-objective.gc" in lists.files and "translations/business-term_nl.xml" in lists.files
    assert list(lists.fields) == ["BT-06", "BT-774", "BT-775", "BT-805", "BT-777"]
    assert lists.fields["BT-777"].codes is None  # free text
    for field in lists.fields.values():
        assert all(field.name[lang] for lang in ("nl", "fr", "en")), field.id
        for code, labels in (field.codes or {}).items():
            assert all(labels[lang] for lang in ("nl", "fr", "en")), (field.id, code)
    assert lists.fields["BT-775"].label("hum-right", "fr").startswith("Devoir de diligence")
    assert {"env-imp", "soc-obj", "inn-pur", "none"} == set(lists.fields["BT-06"].codes or ())


def test_every_code_a_criterion_names_is_in_the_code_lists() -> None:
    lists = code_lists()
    named = [(c.id, f, code) for c in load_library().criteria for f, codes in c.eforms.items() for code in codes]
    assert named and all(lists.problem(f, code) is None for _, f, code in named)
    assert {("human-rights", "BT-775", "hum-right"), ("fossil-free", "BT-774", "clim-mitig")} <= set(named)


def test_the_extraction_script_reads_genericode_and_translations(tmp_path: Path) -> None:
    """tools/extract_eforms_codes.py on a miniature SDK folder with the real file layouts."""
    sdk = tmp_path / "sdk"
    (sdk / "codelists").mkdir(parents=True)
    (sdk / "translations").mkdir()
    (sdk / "fields").mkdir()
    fields = [{"id": f"{bt}-Lot", "type": "code", "codeList": {"value": {"id": name}}}
              for bt, name in (("BT-06", "strategic-procurement"), ("BT-774", "environmental-impact"),
                               ("BT-775", "social-objective"), ("BT-805", "gpp-criteria"))]
    fields.append({"id": "BT-777-Lot", "type": "text-multilingual"})
    (sdk / "fields" / "fields.json").write_text(json.dumps({"sdkVersion": "eforms-sdk-9.9.9", "fields": fields}))
    for name in ("strategic-procurement", "environmental-impact", "social-objective", "gpp-criteria"):
        (sdk / "codelists" / f"{name}.gc").write_text(f"""<?xml version="1.0" encoding="UTF-8"?>
<gc:CodeList xmlns:gc="http://docs.oasis-open.org/codelist/ns/genericode/1.0/">
 <Identification><ShortName>X</ShortName><Version>2024-{name}</Version></Identification>
 <SimpleCodeList><Row>
  <Value ColumnRef="code"><SimpleValue>{name[:3]}-a</SimpleValue></Value>
  <Value ColumnRef="eng_label"><SimpleValue>A {name}</SimpleValue></Value>
  <Value ColumnRef="fra_label"><SimpleValue>Un {name}</SimpleValue></Value>
  <Value ColumnRef="nld_label"><SimpleValue>Een {name}</SimpleValue></Value>
  <Value ColumnRef="deu_label"><SimpleValue>Ein {name}</SimpleValue></Value>
 </Row></SimpleCodeList></gc:CodeList>""", encoding="utf-8")
    for suffix, word in (("nl", "Doel"), ("fr", "Objectif"), ("en", "Aim")):
        entries = "".join(f'<entry key="business-term|name|{bt}">{word} {bt}</entry>'
                          for bt in ("BT-06", "BT-774", "BT-775", "BT-805", "BT-777"))
        (sdk / "translations" / f"business-term_{suffix}.xml").write_text(
            f'<?xml version="1.0" encoding="UTF-8"?><properties>{entries}</properties>', encoding="utf-8")
    out = tmp_path / "eforms.yml"
    done = subprocess.run([sys.executable, str(ROOT / "tools" / "extract_eforms_codes.py"), str(sdk), "-o", str(out)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert data["sdk"]["version"] == "9.9.9" and data["sdk"]["commit"] is None
    assert data["fields"]["BT-775"]["codes"] == {"soc-a": {"nl": "Een social-objective", "fr": "Un social-objective",
                                                         "en": "A social-objective"}}
    assert data["fields"]["BT-775"]["file"] == "codelists/social-objective.gc"
    assert data["fields"]["BT-06"]["name"] == {"nl": "Doel BT-06", "fr": "Objectif BT-06", "en": "Aim BT-06"}
    assert "codes" not in data["fields"]["BT-777"]


def test_ok_ticks_weak_is_not_yet_missing_is_once_inserted_each_with_its_clause(tmp_path: Path) -> None:
    doc = json_doc(tender(tmp_path))
    findings = {f["criterion"]: f for f in doc["findings"]}
    # the tender is written for these three verdicts; the codes below follow from them
    assert [findings[c]["status"] for c in ("human-rights", "fair-trade", "fossil-free")] == ["ok", "weak", "missing"]
    library = load_library()
    codes = {(c["field"], c["code"]): c for c in doc["eforms"]["codes"]}
    for criterion in ("human-rights", "fair-trade", "fossil-free"):
        status = findings[criterion]["status"]
        for field, wanted in library.get(criterion).eforms.items():
            for code in wanted:
                entry = codes[(field, code)]
                best = min((s for s in entry["sources"]), key=lambda s: list(STATE).index(s["status"]))
                assert entry["state"] == STATE[best["status"]]
                assert list(STATE).index(best["status"]) <= list(STATE).index(status)
    hum = codes[("BT-775", "hum-right")]
    assert hum["state"] == "tick" and [s["criterion"] for s in hum["sources"]] == ["human-rights"]
    first = next(e for e in findings["human-rights"]["evidence"] if e["role"] == "topic")
    assert hum["sources"][0]["paragraph"] == first["paragraph"] and hum["sources"][0]["section"].endswith("4.1 Mensenrechten")
    assert codes[("BT-775", "work-cond")]["state"] == "not-yet"
    assert codes[("BT-774", "clim-mitig")]["state"] == "once-inserted"
    assert codes[("BT-805", "other")]["sources"] == [{"criterion": "fossil-free", "status": "missing"}]
    assert codes[("BT-06", "soc-obj")]["state"] == "tick" and codes[("BT-06", "env-imp")]["state"] == "once-inserted"
    assert codes[("BT-775", "hum-right")]["label"] == "Zorgvuldigheid inzake de mensenrechten in wereldwijde toeleveringsketens"
    (description,) = doc["eforms"]["descriptions"]
    assert description["field"] == "BT-777" and description["aim"] == "soc-obj" and description["language"] == "nl"
    assert "Mensenrechtenclausule (4.1 Mensenrechten)" in description["text"]


def test_strengthening_the_weak_clause_turns_not_yet_into_a_tick(tmp_path: Path) -> None:
    """Directional: the same tender with the fair-trade model clause instead of 'bij voorkeur'."""
    strong = load_library().get("fair-trade").model_clause.nl
    doc = json_doc(tender(tmp_path, strong))
    assert next(f for f in doc["findings"] if f["criterion"] == "fair-trade")["status"] == "ok"
    work = next(c for c in doc["eforms"]["codes"] if (c["field"], c["code"]) == ("BT-775", "work-cond"))
    assert work["state"] == "tick" and work["sources"][0]["section"].endswith("4.2 Eerlijke handel")
    (description,) = doc["eforms"]["descriptions"]
    assert "Eerlijke handel (fair trade) (4.2 Eerlijke handel)" in description["text"]


def test_the_text_report_ends_with_the_section_grouped_by_state(tmp_path: Path) -> None:
    _code, out = check(str(tender(tmp_path)))
    section = out[out.index("In de aankondiging (eForms)"):]
    assert out.rstrip().endswith(section.rstrip())  # the last thing the document block says
    tick, not_yet, once = (section.index(h) for h in ("aan te vinken:", "nog niet (zwakke clausule):",
                                                       "na invoegen van de ontbrekende clausule:"))
    assert tick < not_yet < once
    assert "hum-right" in section[tick:not_yet] and "work-cond" in section[not_yet:once]
    assert "clim-mitig" in section[once:] and "BT-805" in section[once:]
    assert "uit: Mensenrechtenclausule (par. " in section and "4.1 Mensenrechten)" in section
    assert "eForms SDK " + code_lists().sdk_version in section
    assert "BT-777 Beschrijving (soc-obj), voorstel:" in section
    quiet = check(str(tender(tmp_path)), "--quiet")[1]
    assert "In de aankondiging" not in quiet  # the hook's short report keeps to the findings


@pytest.mark.parametrize(("sample", "words"), [
    (DUTCH, ("In de aankondiging (eForms)", "Verwezenlijking van sociale doelstellingen")),
    (FRENCH, ("Dans l'avis de marché (eForms)", "Réalisation d’objectifs sociaux")),
])
def test_every_format_ends_with_the_section_in_the_documents_language(sample: Path, words: tuple[str, str],
                                                                      tmp_path: Path) -> None:
    doc = json_doc(sample)
    ticked = [c for c in doc["eforms"]["codes"] if c["state"] == "tick"]
    assert ticked, "the samples are chosen for a clause that is ok"
    for fmt in ("text", "markdown", "html"):
        out = tmp_path / f"report.{fmt}"
        check(str(sample), "--format", fmt, "-o", str(out))
        text = html.unescape(out.read_text(encoding="utf-8")) if fmt == "html" else out.read_text(encoding="utf-8")
        tail = " ".join(text[text.rindex(words[0]):].split())  # wrapped lines joined
        assert words[1] in tail, fmt
        for c in ticked:
            assert c["code"] in tail and c["label"] in tail, (fmt, c["code"])
        # nothing of the document's findings comes after the section
        for f in doc["findings"]:
            if f["suggestion"]:
                assert " ".join(f["suggestion"]["model_clause"].split()[:8]) not in tail, fmt
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert page.count('data-state="tick"') == len(ticked)


def test_english_labels_on_request() -> None:
    _code, out = check(str(FRENCH), "--ui-lang", "en")
    section = out[out.index("In the notice (eForms)"):]
    assert "to tick:" in section and "Fulfilment of social objectives" in section
    # BT-777 goes into the notice beside the tender: drafted in the document's language
    assert "Les documents du marché imposent des conditions contraignantes" in section
