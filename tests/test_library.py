"""The clause library loads, and broken files are refused with file, key and problem named."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from duediligence.errors import LibraryError
from duediligence.library import COMMON_FILE, builtin_library_dir, load_common, load_criterion, load_library
from duediligence.terms import CompiledSet, validate_term

BUILTIN = builtin_library_dir()
CORE = {"human-rights", "trustone", "fair-trade", "fossil-free", "ethical-banking"}


def test_builtin_library_has_the_five_core_criteria() -> None:
    lib = load_library()
    assert CORE <= {c.id for c in lib.criteria}
    for c in lib.criteria:
        for lang in ("nl", "fr", "en"):
            assert len(c.model_clause.get(lang)) > 200, (c.id, lang)
        assert c.sources and all(s.url.startswith("https://") or s.url.startswith("http://") for s in c.sources)


def test_every_term_compiles() -> None:
    lib = load_library()
    for c in lib.criteria:
        for ts in c.vocabulary.values():
            assert CompiledSet(ts).regex.pattern
    for ts in lib.common.vocabulary.values():
        assert CompiledSet(ts).regex.pattern


def _broken(tmp_path: Path, mutate) -> Path:  # type: ignore[no-untyped-def]
    data = yaml.safe_load((BUILTIN / "human-rights.yml").read_text(encoding="utf-8"))
    mutate(data)
    path = tmp_path / "broken.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda d: d.update(cpv_candiate=["45"]), "(file): unknown key 'cpv_candiate'"),
        (lambda d: d.pop("model_clause"), "missing required key 'model_clause'"),
        (lambda d: d["model_clause"].pop("fr"), "model_clause: missing required key 'fr'"),
        (lambda d: d["topic"][0].update(sets=["no_such_set"]), "topic[0].sets: unknown vocabulary set 'no_such_set'"),
        (lambda d: d["vocabulary"]["hr_core"]["nl"].append("re:(unclosed"), "vocabulary.hr_core.nl"),
        (lambda d: d["vocabulary"]["hr_core"]["nl"].append("a**b"), "* must follow a letter"),
        (lambda d: d["presence"].update(present=["obligation|nothing"]), "unknown element 'nothing'"),
        (lambda d: d["applicability"]["groups"][0].update(cpv=["45A"]), "CPV prefix '45A' must be 2 to 8 digits"),
        # a set that cancels every mention from the subject must also cancel it in a sentence
        (lambda d: d["applicability"]["groups"][0].update(unless_subject=["insured_only"]),
         "applicability.groups[0].unless_subject: 'insured_only' is not listed in unless"),
        (lambda d: d.update(severity="urgent"), "severity: 'urgent' is not one of"),
        (lambda d: d["sources"][0].update(url="stad.gent"), "sources[0].url: must be an http(s) URL"),
        (lambda d: d["vocabulary"].update(remedy={"nl": ["x y"]}), "already a set in _common.yml"),
        # eForms codes must be codes of the SDK's code list for that field (duediligence/data/eforms.yml)
        (lambda d: d["eforms"].update({"BT-775": "hum-rights"}),
         "eforms.BT-775: 'hum-rights' is not a code of social-objective (codelists/social-objective.gc, eForms SDK"),
        (lambda d: d["eforms"].update({"BT-06": ["soc-obj", "social"]}), "eforms.BT-06: 'social' is not a code of"),
        (lambda d: d["eforms"].update({"BT-777": "mensenrechten"}), "eforms.BT-777: BT-777 is free text, not a code"),
        (lambda d: d["eforms"].update({"BT-99": "x"}), "eforms.BT-99: 'BT-99' is not a strategic-procurement field"),
        (lambda d: d.update(eforms=["BT-775"]), "eforms: expected a mapping of eForms field -> code"),
        (lambda d: d["eforms"].update({"BT-775": []}), "eforms.BT-775: expected a code or a non-empty list"),
    ],
)
def test_broken_criterion_is_refused_with_a_precise_message(tmp_path: Path, mutate, expected: str) -> None:  # type: ignore[no-untyped-def]
    common = load_common(BUILTIN / COMMON_FILE)
    path = _broken(tmp_path, mutate)
    with pytest.raises(LibraryError) as info:
        load_criterion(path, common)
    message = str(info.value)
    assert message.startswith(str(path)), message
    assert expected in message


def test_eforms_codes_may_be_a_list(tmp_path: Path) -> None:
    def both(d: dict) -> None:  # type: ignore[type-arg]
        d["eforms"]["BT-775"] = ["hum-right", "work-cond"]

    crit = load_criterion(_broken(tmp_path, both), load_common(BUILTIN / COMMON_FILE))
    assert crit.eforms == {"BT-06": ("soc-obj",), "BT-775": ("hum-right", "work-cond")}


def test_invalid_yaml_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.yml"
    path.write_text("id: x\nname: [unclosed\n", encoding="utf-8")
    with pytest.raises(LibraryError, match=r"bad.yml: invalid YAML \(line \d+"):
        load_criterion(path, load_common(BUILTIN / COMMON_FILE))


def test_duplicate_id_across_folders_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "hr.yml").write_text((BUILTIN / "human-rights.yml").read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(LibraryError, match="already defined"):
        load_library([tmp_path])


def test_an_organisation_can_add_a_criterion(tmp_path: Path) -> None:
    data = yaml.safe_load((BUILTIN / "human-rights.yml").read_text(encoding="utf-8"))
    data["id"] = "city-workwear"
    data["aliases"] = []
    (tmp_path / "city.yml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    lib = load_library([tmp_path])
    assert lib.get("city-workwear").path.endswith("city.yml")
    assert lib.version != load_library().version


@pytest.mark.parametrize(
    ("term", "text", "hit"),
    [
        ("fair trade", "fairtradekoffie", False),
        ("fair trade*", "fairtradekoffie", True),
        ("fair trade", "fairtrade-koffie", True),
        ("fair trade", "Fair-Trade", True),
        ("bank", "parkbank", False),
        ("bank", "de bank verbindt zich", True),
        ("mensenrecht*", "Mensenrechtenclausule", True),
        ("*kinderarbeid", "tegenkinderarbeid", True),
        ("analyse* de risque*", "analyses de risques", True),
        ("l'homme", "droits de l’homme", True),
        ("lemma:engager", "ils s'engagent", True),
    ],
)
def test_term_syntax(term: str, text: str, hit: bool) -> None:
    from duediligence.library import TermSet

    lang = "fr" if term.startswith("lemma:") else "nl"
    assert validate_term(term, lang) is None
    assert CompiledSet(TermSet("t", {lang: (term,)})).search(text) is hit
