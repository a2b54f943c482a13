"""Every word a report says exists in Dutch, French and English, and `--ui-lang` words a tender
of any language wholly in the reader's language (what is quoted from the document and the
model clause to paste into it excepted)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from string import Formatter

import pytest
from click.testing import CliRunner

from duediligence import messages
from duediligence.cli import main
from duediligence.library import load_library
from duediligence.model import Presence, Reason

SAMPLES = Path(__file__).parent.parent / "samples"
LANGS = ("nl", "fr", "en")


def catalogues() -> dict[str, dict[str, dict[str, str]]]:
    """Every message table of `messages`: a dict of id -> {language: text}."""
    found = {}
    for name, value in vars(messages).items():
        if isinstance(value, dict) and value and all(isinstance(v, dict) for v in value.values()) \
                and all(set(v) <= {"nl", "fr", "en"} for v in value.values()):
            found[name] = value
        elif isinstance(value, dict) and set(value) == set(LANGS) and all(isinstance(v, str) for v in value.values()):
            found[name] = {name: value}
    return found


def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in Formatter().parse(text) if f}


def test_the_catalogues_are_found() -> None:
    found = catalogues()
    assert {"LABELS", "REASONS", "_DISCOUNTS", "_WEAK_REASONS", "_ADD", "_MISSING"} <= set(found)


@pytest.mark.parametrize("table", sorted(catalogues()))
def test_every_message_exists_in_every_language_with_the_same_placeholders(table: str) -> None:
    for ident, texts in catalogues()[table].items():
        assert set(texts) == set(LANGS), (table, ident)
        assert all(texts[lang].strip() for lang in LANGS), (table, ident)
        assert _fields(texts["nl"]) == _fields(texts["fr"]) == _fields(texts["en"]), (table, ident)


def test_every_reason_kind_and_presence_has_words() -> None:
    library = load_library()
    crit = library.get("trustone")
    group = crit.applicability.groups[0]
    for kind, args in (("cpv", {"code": "45262510", "group": group.id}),
                       ("cpv-confirmed", {"code": "45233000", "group": group.id, "term": "porphyre"}),
                       ("subject", {"term": "kasseien", "group": group.id}), ("configured", {}), ("clause", {}),
                       ("body", {"term": "natuursteen", "count": "4", "group": group.id})):
        for lang in LANGS:
            text = messages.reason_text(Reason(kind, tuple(args.items())), crit, lang)
            assert text and (group.name.get(lang) in text or kind in ("configured", "clause")), (kind, lang)
            assert group.id not in text or group.id == group.name.get(lang)
    assert messages.reason_text(Reason("always"), library.get("human-rights"), "fr") == \
        library.get("human-rights").applicability.always_reason.get("fr")  # type: ignore[union-attr]
    for p in Presence:
        assert all(messages.label(f"presence-{p.value}", lang) for lang in LANGS)


def _check(*args: str, code: tuple[int, ...] = (0, 1)) -> str:
    result = CliRunner().invoke(main, ["check", *args])
    assert result.exit_code in code, result.output
    return result.stdout


def _analysis_texts(doc: dict) -> list[str]:  # type: ignore[type-arg]
    """What analysis words: reasons, discount reasons, suggestions."""
    out = []
    for f in doc["findings"]:
        out += f["applies_because"]
        out += [e["discounted"] for e in f["discounted"]]
        if f["suggestion"]:
            out.append(f["suggestion"]["text"])
    return out


FRENCH_WORDS = re.compile(r"\b(clause type|ajoutez|renforcez|éléments manquants|figure dans|relève de|confirmé par|"
                          r"code CPV|s'applique|tout cahier)\b", re.I)
DUTCH_WORDS = re.compile(r"\b(modelclausule|voeg|versterk|ontbrekende elementen|staat bij|hoort bij|bevestigd door|"
                         r"CPV-code|van toepassing|elk bestek)\b", re.I)


@pytest.mark.parametrize(("sample", "reader", "foreign"), [
    ("fr_place_15.pdf", "nl", FRENCH_WORDS), ("nl_gemeentehuis_24.docx", "fr", DUTCH_WORDS)])
def test_ui_lang_words_a_foreign_tender_wholly_in_the_readers_language(sample: str, reader: str, foreign: re.Pattern[str]) -> None:
    path = str(SAMPLES / sample)
    own = json.loads(_check(path, "--format", "json"))["documents"][0]
    read = json.loads(_check(path, "--format", "json", "--ui-lang", reader))["documents"][0]
    assert read["text_language"] == reader and own["text_language"] == own["language"] != reader
    # the same decisions: ids, codes, statuses and offsets
    strip = ("applies_because", "discounted", "suggestion")
    assert [{k: v for k, v in f.items() if k not in strip} for f in own["findings"]] == \
           [{k: v for k, v in f.items() if k not in strip} for f in read["findings"]]
    assert [[e["discount_code"] for e in f["discounted"]] for f in own["findings"]] == \
           [[e["discount_code"] for e in f["discounted"]] for f in read["findings"]]
    texts = _analysis_texts(read)
    assert texts and not [t for t in texts if foreign.search(t)]
    assert any(foreign.search(t) for t in _analysis_texts(own))  # the check can fail
    text = _check(path, "--ui-lang", reader)
    lines = [line for line in text.splitlines() if not line.startswith("        ")]  # model clause lines stay
    quoted = re.compile(r'"[^"]*"|\'[^\']*\'|« [^»]* »')
    assert not [line for line in lines[3:] if foreign.search(quoted.sub("", line))]


def test_notices_errors_and_suppressions_follow_the_reader(tmp_path: Path) -> None:
    doc = tmp_path / "bestek.md"
    doc.write_text("# Bestek levering van koffie\n\nCPV 15861000.\n\n"
                   "duediligence: ignore trustone -- geen steen in deze opdracht\n", encoding="utf-8")
    missing = str(tmp_path / "weg.pdf")
    said = {lang: _check(str(doc), missing, "--no-config", "--ui-lang", lang, code=(2,)) for lang in LANGS}
    assert "regel 5: de onderdrukking van trustone treft geen zwakke" in said["nl"]
    assert "ligne 5 : la suppression de trustone ne touche aucun constat" in said["fr"]
    assert "line 5: suppression of trustone matches no weak or missing finding" in said["en"]
    assert "fout [not-found] Het bestand bestaat niet." in said["nl"]
    assert "erreur [not-found] Le fichier n'existe pas." in said["fr"]
    data = json.loads(_check(str(doc), missing, "--no-config", "--format", "json", "--ui-lang", "fr", code=(2,)))
    notice = data["documents"][0]["notices"][0]
    assert notice["code"] == "suppression-unused" and notice["args"] == {"where": "line 5", "criteria": "trustone"}
    assert notice["message"].startswith("line 5: suppression") and notice["text"].startswith("ligne 5 : ")
    assert data["documents"][1]["error"]["text"] == "Le fichier n'existe pas."


def test_a_suppressed_finding_says_where_in_the_readers_words(tmp_path: Path) -> None:
    doc = tmp_path / "bestek.md"
    doc.write_text("# Bestek levering van koffie\n\nCPV 15861000.\n\n"
                   "duediligence: ignore fair-trade -- raamcontract 2024/7\n", encoding="utf-8")
    data = json.loads(_check(str(doc), "--no-config", "--format", "json", "--ui-lang", "fr"))
    ft = next(f for f in data["documents"][0]["findings"] if f["criterion"] == "fair-trade")
    assert ft["status"] == "suppressed" and ft["suppressed_at"] == "line 5"
    assert ft["suppressed_reason"] == "raamcontract 2024/7 (ligne 5)"


@pytest.mark.parametrize("lang", LANGS)
def test_explain_speaks_the_readers_language(lang: str) -> None:
    result = CliRunner().invoke(main, ["explain", "trustone", "--lang", lang])
    assert result.exit_code == 0
    crit = load_library().get("trustone")
    assert "?" not in result.stdout.split(messages.label("elements", lang))[0]  # no CPV patterns like 45233?
    # the wrapped text, read as words: where a line breaks depends on the codes listed before
    assert messages.label("explain-cpv-confirmed", lang).split("{codes}")[0] in " ".join(result.stdout.split()) + " "
    assert not [e.id for e in crit.elements if f"- {e.id}: {e.name.get(lang)}" in result.stdout]
    assert all(e.name.get(lang) in " ".join(result.stdout.split()) for e in crit.elements)


def test_the_error_log_line_follows_ui_lang(tmp_path: Path) -> None:
    missing = str(tmp_path / "weg.pdf")
    result = CliRunner().invoke(main, ["check", missing, "--no-config", "--ui-lang", "nl"])
    assert result.exit_code == 2 and f"duediligence: {missing}: Het bestand bestaat niet. [not-found]" in result.stderr
    plain = CliRunner().invoke(main, ["check", missing, "--no-config"])
    assert "no such file [not-found]" in plain.stderr  # without --ui-lang the log keeps its English detail
