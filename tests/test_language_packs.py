"""Adding a language is adding files: a German pack from a temporary folder, end to end.

The pack (tests/data is not used: it is written here, as a user would write it) holds German
stop words, reader and subject words, heading cues for sections.yml's rules and German terms
for the clause-library sets of the human-rights criterion. Named by DUEDILIGENCE_LANGUAGES, it
makes a German tender detected as German, its headings placed in their sections and its
complete human-rights clause found; without it the same tender finds nothing. A broken pack
stops the run with one line naming the file and the key.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from duediligence import languages
from duediligence.library import load_library
from duediligence.model import SectionKind
from duediligence.read import read_document
from duediligence.segment import segment

GERMAN = """\
schema: 1
name: Deutsch
priority: 4
sentences: en  # no spaCy rules of its own shipped: English punctuation rules split it
tesseract: deu
stopwords: [der, die, das, und, ist, für, mit, von, zu, den, dem, des, nicht, eine, ein, wird, werden, muss, auftrag,
            auftragnehmer, auftraggeber]
patterns:
  chapter: [teil, kapitel, abschnitt, anhang, anlage]
  article: [art, artikel]
  lot: [los, lose]
  page: [seite]
  page_abbreviation: ['s\\.']
  page_of: [von]
  cpv_denied_before: ['fällt\\s+nicht\\s+unter']
  cpv_denied_after: ['nicht\\s+anwendbar', entfällt]
  subject_cue: ['gegenstand des (?:auftrags|vertrags)']
  generic_title: [lastenheft, unbenannt]
  subject_lead: [der, die, das, jeder, jede, jedes, alle, ein, eine]
  first_person: [wir]
  abbreviation: ['z\\.b', bzw, ggf, abs, usw]
sections:
  title: ['^\\W*lastenheft', '^\\W*leistungsbeschreibung']
  exclusion: ['ausschlussgr[üu]nde?']
  award: ['zuschlagskriteri']
  execution: ['ausführungsbedingung', 'vertragsbedingung', 'vertragsstrafe']
  technical: ['technische (?:spezifikation|anforderung)']
  general: ['gegenstand des auftrags', 'allgemeine bestimmungen']
placement:
  best: ['ausführungsbedingung']
  avoid: ['frist|preis|zahlung|rechnung']
vocabulary:
  binding: [muss, müssen, "verpflichtet sich", "ist verpflichtet", "sind verpflichtet"]
  weak: ["nach möglichkeit", vorzugsweise, "wenn möglich", "wird empfohlen"]
  weak_modal: [kann, können, darf, dürfen]
  contractor: ["auftragnehmer*", "lieferant*", "bieter*"]
  authority: ["öffentliche auftraggeber*", "auftraggeber*", "wir"]
  negation: ["nicht anwendbar", "nicht erforderlich"]
  tender_markers: [lastenheft, leistungsbeschreibung, "auftragnehmer*", zuschlag*, ausführungsbedingung*]
  chain: [lieferkette*, "unterauftragnehmer*", "zulieferer*", "gesamte kette"]
  verification: ["audit*", "nachweis*", "prüfung durch unabhängige dritte"]
  remedy: ["abhilfeplan*", "korrekturmaßnahme*", "vertragsstrafe*", "kündigung des vertrags"]
  due_diligence: ["sorgfaltspflicht*", "risikoanalyse*", "sorgfaltsprüfung*"]
  hr_core: ["menschenrecht*", "kernarbeitsnorm*", "kinderarbeit", "zwangsarbeit", "vereinigungsfreiheit"]
  hr_instruments: ["un-leitprinzipien", "oecd-leitsätze", "ilo-kernarbeitsnorm*", "iao-übereinkommen*"]
"""

TENDER = """\
Lastenheft Nr. 2026-07 – Lieferung von Arbeitskleidung

1. Gegenstand des Auftrags

Der Auftrag betrifft die Lieferung von Arbeitskleidung aus Baumwolle für die Stadtwerke und die Wartung der Kleidung.

2. Ausschlussgründe

Bieter, die wegen Kinderarbeit verurteilt wurden, werden ausgeschlossen.

3. Ausführungsbedingungen

Der Auftragnehmer muss in der gesamten Lieferkette die Menschenrechte und die ILO-Kernarbeitsnormen einhalten, auch bei seinen Unterauftragnehmern und Zulieferern. Der Auftragnehmer muss jedes Jahr eine Risikoanalyse der Lieferkette vorlegen. Der Auftragnehmer muss auf Verlangen Nachweise und Audits durch unabhängige Dritte vorlegen. Bei einem Verstoß muss der Auftragnehmer innerhalb von drei Monaten einen Abhilfeplan umsetzen; sonst folgt eine Vertragsstrafe oder die Kündigung des Vertrags.

4. Zuschlagskriterien

Der Preis zählt für 60 Punkte und die Qualität für 40 Punkte.
"""


@pytest.fixture
def german(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "languages"
    folder.mkdir()
    (folder / "de.yml").write_text(GERMAN, encoding="utf-8")
    monkeypatch.setenv(languages.ENV_VAR, str(folder))
    return folder


def _tender(tmp_path: Path) -> Path:
    path = tmp_path / "lastenheft.txt"
    path.write_text(TENDER, encoding="utf-8")
    return path


def _check(path: Path, env_folder: Path | None, *args: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k != languages.ENV_VAR}
    if env_folder is not None:
        env[languages.ENV_VAR] = str(env_folder)
    out = subprocess.run([sys.executable, "-m", "duediligence", "check", str(path), "--no-config",
                          "--format", "json", *args], capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode in (0, 1), out.stderr
    return json.loads(out.stdout)


def _human_rights(report: dict) -> dict:
    (doc,) = report["documents"]
    return next(f for f in doc["findings"] if f["criterion"] == "human-rights")


def test_a_german_pack_detects_places_and_finds_the_clause(german: Path, tmp_path: Path) -> None:
    assert languages.codes() == ("nl", "fr", "en", "de")
    doc = segment(read_document(_tender(tmp_path)))
    assert doc.language == "de"
    kinds = {b.block.text.split(" ", 1)[1]: b.section_kind for b in doc.blocks if b.is_heading and b.block.text[0].isdigit()}
    assert kinds == {"Gegenstand des Auftrags": SectionKind.GENERAL, "Ausschlussgründe": SectionKind.EXCLUSION,
                     "Ausführungsbedingungen": SectionKind.EXECUTION, "Zuschlagskriterien": SectionKind.AWARD}

    report = _check(_tender(tmp_path), german)
    assert report["documents"][0]["language"] == "de"
    finding = _human_rights(report)
    assert finding["presence"] == "present", finding
    assert "Lieferkette" in json.dumps(finding["evidence"], ensure_ascii=False)
    # the exclusion ground's "Kinderarbeit" is law, not the clause: no evidence from there
    assert "verurteilt" not in json.dumps(finding["evidence"], ensure_ascii=False)


def test_without_the_pack_the_german_tender_is_not_understood(tmp_path: Path) -> None:
    report = _check(_tender(tmp_path), None)
    assert report["documents"][0]["language"] != "de"
    assert _human_rights(report)["presence"] != "present"


def test_the_language_can_be_forced(german: Path, tmp_path: Path) -> None:
    path = tmp_path / "kurz.txt"
    path.write_text("Lieferung von Arbeitskleidung.", encoding="utf-8")
    assert _check(path, german, "--lang", "de")["documents"][0]["language"] == "de"


def test_the_pack_changes_the_library_version(german: Path) -> None:
    with_pack = load_library().version
    os.environ.pop(languages.ENV_VAR)
    assert load_library().version != with_pack


@pytest.mark.parametrize(("edit", "where"), [
    (lambda t: t.replace("priority: 4", "priority: four"), "de.yml: priority: expected a whole number"),
    (lambda t: t.replace("  lot: [los, lose]", "  lots: [los, lose]"), "de.yml: patterns.lots: unknown key"),
    (lambda t: t.replace("'nicht\\s+anwendbar'", "'nicht(anwendbar'"), "de.yml: patterns.cpv_denied_after[0]:"),
    (lambda t: t.replace("  award: ['zuschlagskriteri']", "  awards: ['zuschlagskriteri']"),
     "de.yml: sections.awards: no rule of that name in data/sections.yml"),
    (lambda t: t.replace("  remedy:", "  remedies:"), "de.yml: vocabulary.remedies: no set of that name"),
    (lambda t: t.replace("sentences: en", "sentences: de"), "de.yml: sentences: no sentence rules for 'de'"),
    (lambda t: t.replace("stopwords: [der,", "stopwords: [no,"), "de.yml: stopwords[0]: expected a non-empty string"),
])
def test_a_broken_pack_is_one_line_naming_file_and_key(german: Path, tmp_path: Path, edit, where: str) -> None:
    pack = german / "de.yml"
    assert edit(GERMAN) != GERMAN
    pack.write_text(edit(GERMAN), encoding="utf-8")
    env = {**os.environ, languages.ENV_VAR: str(german)}
    out = subprocess.run([sys.executable, "-m", "duediligence", "check", str(_tender(tmp_path)), "--no-config",
                          "--format", "json"], capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 2
    assert "Traceback" not in out.stderr
    assert where in out.stderr, out.stderr
    assert str(pack) in out.stderr


def test_every_pattern_key_is_documented_and_given_by_every_shipped_language() -> None:
    doc = (Path(__file__).resolve().parent.parent / "docs" / "languages.md").read_text(encoding="utf-8")
    for key in languages.PATTERN_KEYS:
        assert f"`{key}`" in doc, key
    for shipped in languages.builtin_packs():
        assert set(shipped.patterns) == set(languages.PATTERN_KEYS), shipped.path


def test_a_lowered_pattern_finds_what_the_case_insensitive_one_finds() -> None:
    from duediligence.languages import language_pattern, lowered_pattern

    text = ("Artikel 2 – VOORWERP VAN DE OPDRACHT. De opdracht betreft de levering van koffie. "
            "Le marché a pour objet la fourniture de café. The contract covers the supply of coffee.")
    fast = lowered_pattern("«subject_cue»")
    assert fast is not None and not fast.flags & re.IGNORECASE
    assert [m.span() for m in fast.finditer(text.lower())] == [m.span() for m in language_pattern("«subject_cue»").finditer(text)]
    # a capital in the source (a letter, or an escape such as \S that lower-casing would change) keeps IGNORECASE
    assert lowered_pattern(r"«subject_cue»\S") is None
