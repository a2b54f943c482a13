"""A finding's model clause fits what made the criterion apply: a cotton workwear tender gets
a fair-trade clause on cotton, not one on coffee and fruit juice; a festival gets a fossil-free
clause on events, a credit line one on money. The variants are data (`model_clauses` in the
criterion's YAML); each is a complete clause by the library's own rules, in every language."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from duediligence import check
from duediligence.errors import LibraryError
from duediligence.library import COMMON_FILE, Criterion, builtin_library_dir, load_common, load_criterion, load_library
from duediligence.model import Finding, Status

ROOT = Path(__file__).resolve().parent.parent
LIBRARY = load_library()
LANGS = ("nl", "fr", "en")


def finding(path: Path, criterion: str) -> Finding:
    doc = check([str(path)], read_config=False).documents[0]
    assert doc.error is None, doc.error
    return next(f for f in doc.findings if f.criterion == criterion)


@pytest.mark.parametrize(
    ("sample", "criterion", "groups", "says", "never"),
    [
        ("samples/nl_werkkledij_28.txt", "fair-trade", ("cotton-textiles",), "katoen", "koffie"),
        ("samples/nl_werkkledij_07.docx", "fair-trade", ("cotton-textiles",), "katoen", "koffie"),
        ("samples/nl_koffie_21.txt", "fair-trade", None, "koffie", "katoen"),
        ("samples/fr_festival_31.docx", "fossil-free", ("events",), "événement", "véhicules qu'il fournit"),
        ("samples/nl_energie_09.txt", "fossil-free", ("energy",), "garanties van oorsprong", "reclame"),
        ("samples/nl_wagenpark_41.docx", "fossil-free", ("vehicles",), "0 g CO2/km", "verwarmingsinstallaties"),
        ("samples/en_credit-line_47.md", "fossil-free", ("money",), "investments", "vehicles"),
        ("eval/full-blind/nl_concessie_reclame_abris_roeselare.txt", "fossil-free", ("advertising",), "adverteerders",
         "voertuigen"),
        # energy and vehicles: no single-group clause covers both; the general one names them all
        ("samples/en_police-fleet_34.docx", "fossil-free", None, "Vehicles", "funds"),
    ],
)
def test_the_suggested_clause_is_the_one_for_the_groups_that_made_the_criterion_apply(
        sample: str, criterion: str, groups: tuple[str, ...] | None, says: str, never: str) -> None:
    found = finding(ROOT / sample, criterion)
    assert found.status in (Status.WEAK, Status.MISSING) and found.suggestion is not None
    crit = LIBRARY.get(criterion)
    applied = tuple(dict(r.args)["group"] for r in found.reasons if "group" in dict(r.args))
    lang = found.suggestion.language
    if groups is None:
        assert found.suggestion.model_clause == crit.model_clause.get(lang)
    else:
        assert applied == groups
        variant = next(v for v in crit.model_clauses if v.groups == groups)
        assert found.suggestion.model_clause == variant.text.get(lang) != crit.model_clause.get(lang)
    assert says in found.suggestion.model_clause
    assert never not in found.suggestion.model_clause


@pytest.mark.parametrize(
    ("sample", "criterion"),
    [
        ("samples/nl_werkkledij_28.txt", "fair-trade"),  # cotton, missing
        ("samples/fr_marche-noel_44.txt", "fair-trade"),  # food, the general clause, in French
        ("samples/nl_energie_09.txt", "fossil-free"),  # energy, weak
        ("samples/nl_thesaurie_22.md", "fossil-free"),  # money, missing
        ("samples/fr_credit_17.txt", "fossil-free"),  # money, weak, in French
        ("eval/full-dev/nl_kerstmarkt_foodtrucks.md", "fossil-free"),  # events, weak
    ],
)
def test_the_suggested_clause_pasted_where_the_report_says_makes_the_finding_ok(
        tmp_path: Path, sample: str, criterion: str) -> None:
    source = ROOT / sample
    before = finding(source, criterion)
    suggestion = before.suggestion
    assert suggestion is not None and suggestion.heading is not None
    lines = source.read_text(encoding="utf-8").split("\n")
    at = next(i for i, line in enumerate(lines) if line.strip().lstrip("#").strip() == suggestion.heading.strip())
    _title, text = suggestion.model_clause.split(". ", 1)  # the heading is the document's own
    lines[at + 1:at + 1] = ["", text, ""]
    pasted = tmp_path / source.name
    pasted.write_text("\n".join(lines), encoding="utf-8")
    after = finding(pasted, criterion)
    assert after.status is Status.OK, (after.status, [e for e, shown in after.elements.items() if not shown])


def _tender(crit: Criterion, groups: tuple[str, ...], lang: str, clause: str) -> str:
    """The smallest tender that buys `groups` (by a CPV code of each) with `clause` as its performance condition."""
    named = {g.id: g for g in crit.applicability.groups}
    cpv = ", ".join(f"{(named[g].cpv[0] + '0' * 8)[:8]}-0" for g in groups)
    subject = ", ".join(named[g].name.get(lang) for g in groups)
    parts = {"nl": (f"Bestek voor {subject}", "Voorwerp van de opdracht", f"CPV-code: {cpv}", "1. Uitvoeringsvoorwaarden"),
             "fr": (f"Cahier spécial des charges : {subject}", "Objet du marché", f"Code CPV : {cpv}",
                    "1. Conditions d'exécution"),
             "en": (f"Tender specifications: {subject}", "Subject of the contract", f"CPV code: {cpv}",
                    "1. Performance conditions")}[lang]
    return "\n\n".join([*parts, clause]) + "\n"


VARIANTS = [(c.id, v.groups) for c in LIBRARY.criteria for v in c.model_clauses]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("criterion", "groups"), VARIANTS, ids=[f"{c}:{'+'.join(g)}" for c, g in VARIANTS])
def test_every_variant_is_a_complete_clause_in_every_language(tmp_path: Path, criterion: str, groups: tuple[str, ...],
                                                              lang: str) -> None:
    crit = LIBRARY.get(criterion)
    clause = crit.model_clause_for(groups).get(lang)
    path = tmp_path / f"{criterion}.txt"
    path.write_text(_tender(crit, groups, lang, clause), encoding="utf-8")
    found = finding(path, criterion)
    assert found.applies
    assert found.status is Status.OK, (found.status, [e for e, shown in found.elements.items() if not shown])


def test_the_choice_is_the_variant_for_exactly_the_groups_that_applied() -> None:
    fair, fossil = LIBRARY.get("fair-trade"), LIBRARY.get("fossil-free")
    both = fair.model_clause_for(("food-and-drinks", "cotton-textiles"))
    assert fair.model_clause_for(("cotton-textiles",)) not in (both, fair.model_clause)
    assert both != fair.model_clause and "katoen" in both.nl and "koffie" in both.nl
    assert fair.model_clause_for(("food-and-drinks",)) == fair.model_clause
    assert fossil.model_clause_for(()) == fossil.model_clause  # applied by configuration: no group
    assert fossil.model_clause_for(("energy", "vehicles")) == fossil.model_clause
    assert {v.groups for v in fossil.model_clauses} == {(g.id,) for g in fossil.applicability.groups}


@pytest.mark.parametrize(
    ("variants", "expected"),
    [
        ([{"groups": ["coffee"], "text": "x"}], "model_clauses[0].groups: 'coffee' is not a group of applicability.groups"),
        ([{"groups": [], "text": "x"}], "model_clauses[0].groups: needs at least one group id"),
        ([{"groups": ["energy"]}], "model_clauses[0]: missing required key 'text'"),
        ([{"groups": ["energy"], "text": {"nl": "a", "fr": "b"}}], "model_clauses[0].text: missing required key 'en'"),
        ([{"groups": ["energy"], "text": {"nl": "a", "fr": "b", "en": "c"}},
          {"groups": ["energy"], "text": {"nl": "a", "fr": "b", "en": "c"}}],
         "model_clauses[1].groups: another model clause is written for the same groups"),
    ],
)
def test_a_broken_variant_is_refused_naming_file_and_key(tmp_path: Path, variants: list[object], expected: str) -> None:
    data = yaml.safe_load((builtin_library_dir() / "fossil-free.yml").read_text(encoding="utf-8"))
    data["model_clauses"] = variants
    path = tmp_path / "fossil.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(LibraryError) as info:
        load_criterion(path, load_common(builtin_library_dir() / COMMON_FILE))
    assert str(info.value).startswith(f"{path}: {expected}"), str(info.value)
