"""Loads and validates the clause library: one YAML file per criterion, plus `_common.yml`.

Criteria are data. Every file is checked when it is loaded, and a broken file stops the run
with one message naming the file, the key and the problem (like pre-commit's config check),
instead of surfacing later as a wrong finding. Unknown keys are errors, because a typo such
as `cpv_candiate` would otherwise silently switch a rule off.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any

from .eforms import code_lists
from .errors import LibraryError
from .library_schema import (
    APPLICABILITY, BUILTIN_CHECKS, COMMON, CRITERION, ELEMENT, GROUP, MODEL_CLAUSE, PRESENCE, SCHEMA_VERSION, SECTION_KINDS,
    SEVERITIES, SOURCE, TOPIC, TRAP, TRAP_EFFECTS, TRAP_REACHES, WINDOWS, Shape, check_common_sets,
)
from .languages import TEXT_LANGUAGES, LanguageError, codes, extras_digest, packs
from .yaml_files import read_yaml

# The report texts' languages: names, reasons and model clauses are written in these (a text in
# another language pack's language is optional and falls back to English).
LANGUAGES = TEXT_LANGUAGES
COMMON_FILE = "_common.yml"
_ID = re.compile(r"^[a-z][a-z0-9-]*$")
_SET_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_CPV_PREFIX = re.compile(r"^\d{2,8}$")


@dataclass(frozen=True)
class Text3:
    """A text in the three report languages, and in any other language pack's that gives it."""

    nl: str
    fr: str
    en: str
    more: tuple[tuple[str, str], ...] = ()  # (language, text) for added languages

    def get(self, lang: str) -> str:
        if lang in LANGUAGES:
            return str(getattr(self, lang))
        return next((text for code, text in self.more if code == lang), self.en)


@dataclass(frozen=True)
class TermSet:
    """Named vocabulary: terms per language (see docs/clause-library.md for the term syntax)."""

    name: str
    terms: dict[str, tuple[str, ...]]

    def all_terms(self) -> tuple[tuple[str, str], ...]:
        return tuple((lang, t) for lang, ts in self.terms.items() for t in ts)


@dataclass(frozen=True)
class Group:
    """A product group that makes a criterion apply (CPV prefixes and subject terms)."""

    id: str
    name: Text3
    cpv: tuple[str, ...] = ()
    cpv_candidate: tuple[str, ...] = ()
    terms: tuple[str, ...] = ()
    body_min_hits: int = 0
    # mentions needed when the buyer's CPV codes name other things only (a vending-machine or a
    # cleaning tender that mentions the marble hall): the codes say what is bought
    body_min_hits_other_cpv: int = 0
    unless: tuple[str, ...] = ()  # a term in a sentence with one of these sets does not count
    # sets of `unless` that, naming the contract itself (title, subject), cancel every mention
    unless_subject: tuple[str, ...] = ()
    # CPV prefixes that make the criterion apply as the main (first) code only; among the
    # additional codes they are candidates (insurance beside a vehicle lease)
    cpv_main: tuple[str, ...] = ()
    # CPV prefixes of services about what is already there (cleaning, upkeep, insurance): with
    # one as the main code, a mention counts only beside a word of new supply
    in_place_cpv: tuple[str, ...] = ()
    # sets naming places where the thing is served (a cafeteria, a canteen): a mention of `terms`
    # that names one counts only in a sentence that says the place is run or served there
    places: tuple[str, ...] = ()
    # CPV prefixes of services that carry the thing along (a catering service brings the meals in
    # its vans): they apply when the criterion's own passage names a term of `terms`, for the
    # buyer writing about those vans says the transport is part of what is bought
    cpv_by_passage: tuple[str, ...] = ()


@dataclass(frozen=True)
class Applicability:
    always: bool
    always_reason: Text3 | None
    groups: tuple[Group, ...]
    exclude: tuple[str, ...]


@dataclass(frozen=True)
class TopicRule:
    """A passage addresses the criterion when terms of all `sets` occur in one window."""

    sets: tuple[str, ...]
    window: str = "sentence"


@dataclass(frozen=True)
class Element:
    id: str
    name: Text3
    check: str | None = None  # builtin check, e.g. "binding"
    any: tuple[str, ...] = ()  # term sets, any term of which shows the element
    weight: float = 1.0
    # how many of the `any` sets must show up: an exclusion policy that names only weapons is
    # partial (domain brief 7.2); it takes weapons and fossil fuels and tax havens, each a set
    at_least: int = 1


@dataclass(frozen=True)
class Trap:
    """Known look-alike: `mask` spans never count; `context` discounts a whole sentence."""

    id: str
    reason: Text3
    mask: tuple[str, ...] = ()
    context: tuple[str, ...] = ()
    except_in: tuple[str, ...] = ()  # section kinds where a `context` trap does not apply
    # How far a `context` set reaches: the topic sentence itself, or its whole paragraph and the
    # heading of its section ("Ter informatie" above a note, "à titre informatif :" opening it).
    reach: str = "sentence"
    unless: tuple[str, ...] = ()  # a `context` trap does not fire where one of these sets matches too
    # discount: the passage does not count; weaken: it counts, but as weak wording at best
    # ("elektrisch of hybride" leaves a fossil option: a partial clause, not no clause)
    effect: str = "discount"


@dataclass(frozen=True)
class Source:
    title: str
    url: str


@dataclass(frozen=True)
class ModelClause:
    """A model clause written for some of the criterion's product groups (textiles, not coffee)."""

    groups: tuple[str, ...]
    text: Text3


@dataclass(frozen=True)
class Criterion:
    id: str
    path: str
    version: str
    severity: str
    aliases: tuple[str, ...]
    name: Text3
    summary: Text3
    description: Text3
    sources: tuple[Source, ...]
    vocabulary: dict[str, TermSet]
    applicability: Applicability
    topic: tuple[TopicRule, ...]
    elements: tuple[Element, ...]
    present_requires: tuple[tuple[str, ...], ...]  # each entry: alternatives, one must hold
    traps: tuple[Trap, ...]
    model_clause: Text3
    eforms: dict[str, tuple[str, ...]] = field(default_factory=dict)  # notice field -> codes (eforms.py)
    defer_to: tuple[str, ...] = ()  # passages that are these criteria's clauses do not count here
    # ... unless their paragraph has a term of each of these sets: then the clause carries this
    # criterion's own duty for that chain, and counts here, weak at most
    deferred_counts_with: tuple[str, ...] = ()
    # sets whose terms name the criterion's own subject (the stone), for criteria that defer to it;
    # by default the set that opens each topic rule
    subject_sets: tuple[str, ...] = ()
    model_clauses: tuple[ModelClause, ...] = ()

    def subject_set_names(self) -> tuple[str, ...]:
        """The sets that name this criterion's subject: a paragraph or heading that names it by
        them is this criterion's clause for the criteria that defer to it."""
        return self.subject_sets or tuple(dict.fromkeys(rule.sets[0] for rule in self.topic))

    def model_clause_for(self, groups: Iterable[str]) -> Text3:
        """The model clause for what made the criterion apply (its groups' ids, from the reasons).

        The variant written for exactly those groups, so a cotton workwear tender gets the textile
        clause and a catering tender never one that also asks for cotton; otherwise the general
        `model_clause` (no group: applied always or by configuration; energy and vehicles together
        get the clause that names both).
        """
        applied = set(groups)
        return next((v.text for v in self.model_clauses if set(v.groups) == applied), self.model_clause)


@dataclass(frozen=True)
class Common:
    """Shared vocabulary (modality, actors, sections cues, generic traps) used by all criteria."""

    path: str
    vocabulary: dict[str, TermSet]
    traps: tuple[Trap, ...]


@dataclass(frozen=True)
class Library:
    common: Common
    criteria: tuple[Criterion, ...]
    version: str  # content hash of every loaded file: changes whenever any rule changes
    # Criteria left out of a selection that a selected one defers to ("human-rights" defers to
    # "trustone"): still searched, never reported, so a finding does not depend on the selection.
    deferred: tuple[Criterion, ...] = ()

    def selecting(self, keep: Callable[[Criterion], bool]) -> Library:
        """This library with only the criteria `keep` accepts, and what they defer to kept aside."""
        every = (*self.criteria, *self.deferred)
        chosen = tuple(c for c in every if keep(c))
        needed = {i for c in chosen for i in c.defer_to}
        return replace(self, criteria=chosen, deferred=tuple(c for c in every if c not in chosen and c.id in needed))

    def without(self, ignored: list[str] | tuple[str, ...]) -> Library:
        """This library less the criteria a project ignores (by id or alias)."""
        drop = set(ignored)
        return self.selecting(lambda c: c.id not in drop and not drop & set(c.aliases))

    def get(self, ident: str) -> Criterion:
        for c in self.criteria:
            if c.id == ident or ident in c.aliases:
                return c
        known = ", ".join(c.id for c in self.criteria)
        raise KeyError(f"unknown criterion {ident!r} (known: {known})")

    def term_set(self, criterion: Criterion, name: str) -> TermSet:
        return criterion.vocabulary.get(name) or self.common.vocabulary[name]


# --- validation helpers -------------------------------------------------------------------


class _Ctx:
    """Carries the file name so every error message can name file and key."""

    def __init__(self, path: str) -> None:
        self.path = path

    def fail(self, key: str, problem: str) -> LibraryError:
        return LibraryError(f"{self.path}: {key}: {problem}")

    def shaped(self, value: Any, key: str, shape: Shape) -> dict[str, Any]:
        """`value` as a mapping of `shape`: only its keys, all its required ones."""
        return self.mapping(value, key, shape.allowed, shape.required)

    def choice(self, value: Any, key: str, choices: tuple[str, ...]) -> str:
        text = self.string(value, key)
        if text not in choices:
            raise self.fail(key, f"{text!r} is not one of {', '.join(choices)}")
        return text

    def mapping(self, value: Any, key: str, allowed: set[str], required: set[str]) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(key, f"expected a mapping, got {type(value).__name__}")
        odd = [k for k in value if not isinstance(k, str)]
        if odd:
            raise self.fail(key, f"key {odd[0]!r} is not a name ({type(odd[0]).__name__})")
        unknown = sorted(set(value) - allowed)
        if unknown:
            raise self.fail(key, f"unknown key {unknown[0]!r} (allowed: {', '.join(sorted(allowed))})")
        missing = sorted(required - set(value))
        if missing:
            raise self.fail(key, f"missing required key {missing[0]!r}")
        return value

    def string(self, value: Any, key: str) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, "expected a non-empty string")
        return value.strip()

    def strings(self, value: Any, key: str) -> tuple[str, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            raise self.fail(key, "expected a list of strings")
        return tuple(self.string(v, f"{key}[{i}]") for i, v in enumerate(value))

    def text3(self, value: Any, key: str) -> Text3:
        m = self.mapping(value, key, set(codes()), set(LANGUAGES))
        more = tuple((lang, self.string(m[lang], f"{key}.{lang}")) for lang in codes() if lang in m and lang not in LANGUAGES)
        return Text3(*(self.string(m[lang], f"{key}.{lang}") for lang in LANGUAGES), more=more)


def _term_sets(ctx: _Ctx, raw: Any, key: str) -> dict[str, TermSet]:
    from .terms import validate_term  # local: terms imports nothing from here at load

    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ctx.fail(key, "expected a mapping of set name -> {nl: [...], fr: [...], en: [...]}")
    sets: dict[str, TermSet] = {}
    for name, langs in raw.items():
        skey = f"{key}.{name}"
        if not isinstance(name, str) or not _SET_NAME.match(name):
            raise ctx.fail(skey, "set names use lower case letters, digits and _")
        langs = ctx.mapping(langs, skey, set(codes()) | {"any"}, set())
        if not langs:
            raise ctx.fail(skey, "a term set needs terms in at least one language")
        terms: dict[str, tuple[str, ...]] = {}
        for lang, values in langs.items():
            lst = ctx.strings(values, f"{skey}.{lang}")
            for i, term in enumerate(lst):
                problem = validate_term(term, lang)
                if problem:
                    shown = term if len(term) <= 60 else term[:59] + "…"
                    raise ctx.fail(f"{skey}.{lang}[{i}]", f"{shown!r}: {problem}")
            terms[lang] = lst
        sets[name] = TermSet(name, terms)
    return sets


def _set_refs(ctx: _Ctx, value: Any, key: str, known: set[str]) -> tuple[str, ...]:
    refs = ctx.strings(value, key)
    for r in refs:
        if r not in known:
            raise ctx.fail(key, f"unknown vocabulary set {r!r}")
    return refs


def _traps(ctx: _Ctx, raw: Any, known: set[str]) -> tuple[Trap, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise ctx.fail("traps", "expected a list")
    out = []
    for i, t in enumerate(raw):
        key = f"traps[{i}]"
        m = ctx.shaped(t, key, TRAP)
        reach = ctx.choice(m.get("reach", TRAP.default("reach")), f"{key}.reach", TRAP_REACHES)
        effect = ctx.choice(m.get("effect", TRAP.default("effect")), f"{key}.effect", TRAP_EFFECTS)
        except_in = ctx.strings(m.get("except_in"), f"{key}.except_in")
        for kind in except_in:
            if kind not in SECTION_KINDS:
                raise ctx.fail(f"{key}.except_in", f"{kind!r} is not a section kind ({', '.join(sorted(SECTION_KINDS))})")
        trap = Trap(
            id=ctx.string(m["id"], f"{key}.id"),
            reason=ctx.text3(m["reason"], f"{key}.reason"),
            mask=_set_refs(ctx, m.get("mask"), f"{key}.mask", known),
            context=_set_refs(ctx, m.get("context"), f"{key}.context", known),
            except_in=except_in,
            reach=reach,
            unless=_set_refs(ctx, m.get("unless"), f"{key}.unless", known),
            effect=effect,
        )
        if not trap.mask and not trap.context:
            raise ctx.fail(key, "a trap needs `mask` or `context` sets")
        out.append(trap)
    return tuple(out)


def load_common(path: Path) -> Common:
    ctx = _Ctx(str(path))
    m = ctx.shaped(read_yaml(path), "(file)", COMMON)
    if m["schema"] != SCHEMA_VERSION:
        raise ctx.fail("schema", f"unsupported schema {m['schema']!r}, expected {SCHEMA_VERSION}")
    vocab = _term_sets(ctx, m["vocabulary"], "vocabulary")
    problem = check_common_sets(set(vocab))
    if problem:
        raise ctx.fail("vocabulary", problem)
    return Common(str(path), vocab, _traps(ctx, m.get("traps"), set(vocab)))


def load_criterion(path: Path, common: Common) -> Criterion:
    ctx = _Ctx(str(path))
    m = ctx.shaped(read_yaml(path), "(file)", CRITERION)
    if m["schema"] != SCHEMA_VERSION:
        raise ctx.fail("schema", f"unsupported schema {m['schema']!r}, expected {SCHEMA_VERSION}")
    ident = ctx.string(m["id"], "id")
    if not _ID.match(ident):
        raise ctx.fail("id", f"{ident!r}: ids use lower case letters, digits and -")
    severity = ctx.choice(m.get("severity", CRITERION.default("severity")), "severity", SEVERITIES)

    vocab = _term_sets(ctx, m["vocabulary"], "vocabulary")
    clash = sorted(set(vocab) & set(common.vocabulary))
    if clash:
        raise ctx.fail(f"vocabulary.{clash[0]}", "this name is already a set in _common.yml; choose another")
    known = set(vocab) | set(common.vocabulary)

    sources = []
    if not isinstance(m["sources"], list) or not m["sources"]:
        raise ctx.fail("sources", "expected a non-empty list of {title, url}")
    for i, s in enumerate(m["sources"]):
        sm = ctx.shaped(s, f"sources[{i}]", SOURCE)
        url = ctx.string(sm["url"], f"sources[{i}].url")
        if not url.startswith(("https://", "http://")):
            raise ctx.fail(f"sources[{i}].url", "must be an http(s) URL")
        sources.append(Source(ctx.string(sm["title"], f"sources[{i}].title"), url))

    applicability = _applicability(ctx, m["applicability"], known)

    if not isinstance(m["topic"], list) or not m["topic"]:
        raise ctx.fail("topic", "expected a non-empty list of {sets, window}")
    topic = []
    for i, t in enumerate(m["topic"]):
        tm = ctx.shaped(t, f"topic[{i}]", TOPIC)
        window = ctx.choice(tm.get("window", TOPIC.default("window")), f"topic[{i}].window", WINDOWS)
        sets = _set_refs(ctx, tm["sets"], f"topic[{i}].sets", known)
        if not sets:
            raise ctx.fail(f"topic[{i}].sets", "needs at least one set")
        topic.append(TopicRule(sets, window))

    if not isinstance(m["elements"], list) or not m["elements"]:
        raise ctx.fail("elements", "expected a non-empty list")
    elements = []
    for i, e in enumerate(m["elements"]):
        key = f"elements[{i}]"
        em = ctx.shaped(e, key, ELEMENT)
        check = None if em.get("check") is None else ctx.choice(em["check"], f"{key}.check", BUILTIN_CHECKS)
        anys = _set_refs(ctx, em.get("any"), f"{key}.any", known)
        if bool(check) == bool(anys):
            raise ctx.fail(key, "give exactly one of `check` or `any`")
        weight = em.get("weight", ELEMENT.default("weight"))
        if not isinstance(weight, (int, float)) or not 0 < weight <= 5:
            raise ctx.fail(f"{key}.weight", "expected a number in (0, 5]")
        at_least = em.get("at_least", ELEMENT.default("at_least"))
        if not isinstance(at_least, int) or isinstance(at_least, bool) or not 1 <= at_least <= max(1, len(anys)):
            raise ctx.fail(f"{key}.at_least", f"expected a whole number from 1 to the number of `any` sets ({len(anys)})")
        elements.append(Element(ctx.string(em["id"], f"{key}.id"), ctx.text3(em["name"], f"{key}.name"), check, anys,
                                float(weight), at_least))
    element_ids = [e.id for e in elements]
    if len(set(element_ids)) != len(element_ids):
        raise ctx.fail("elements", "element ids must be unique")

    pm = ctx.shaped(m["presence"], "presence", PRESENCE)
    present = []
    for i, req in enumerate(ctx.strings(pm["present"], "presence.present")):
        alts = tuple(a.strip() for a in req.split("|"))
        for a in alts:
            if a not in element_ids:
                raise ctx.fail(f"presence.present[{i}]", f"unknown element {a!r}")
        present.append(alts)

    eforms = _eforms(ctx, m.get("eforms"))
    if m.get("deferred_counts_with") and not m.get("defer_to"):
        raise ctx.fail("deferred_counts_with", "needs `defer_to`: it names when a deferred clause counts after all")
    model_clauses = _model_clauses(ctx, m.get("model_clauses"), {g.id for g in applicability.groups})

    return Criterion(
        id=ident,
        path=str(path),
        version=ctx.string(str(m["version"]), "version"),
        severity=severity,
        aliases=ctx.strings(m.get("aliases"), "aliases"),
        name=ctx.text3(m["name"], "name"),
        summary=ctx.text3(m["summary"], "summary"),
        description=ctx.text3(m["description"], "description"),
        sources=tuple(sources),
        vocabulary=vocab,
        applicability=applicability,
        topic=tuple(topic),
        elements=tuple(elements),
        present_requires=tuple(present),
        traps=_traps(ctx, m.get("traps"), known),
        model_clause=ctx.text3(m["model_clause"], "model_clause"),
        eforms=eforms,
        defer_to=ctx.strings(m.get("defer_to"), "defer_to"),
        deferred_counts_with=_set_refs(ctx, m.get("deferred_counts_with"), "deferred_counts_with", known),
        subject_sets=_set_refs(ctx, m.get("subject_sets"), "subject_sets", known),
        model_clauses=model_clauses,
    )


def _model_clauses(ctx: _Ctx, raw: Any, group_ids: set[str]) -> tuple[ModelClause, ...]:
    out: list[ModelClause] = []
    for i, v in enumerate(_listed(ctx, raw, "model_clauses")):
        key = f"model_clauses[{i}]"
        vm = ctx.shaped(v, key, MODEL_CLAUSE)
        groups = ctx.strings(vm["groups"], f"{key}.groups")
        if not groups:
            raise ctx.fail(f"{key}.groups", "needs at least one group id")
        for g in groups:
            if g not in group_ids:
                known = ", ".join(sorted(group_ids)) or "none"
                raise ctx.fail(f"{key}.groups", f"{g!r} is not a group of applicability.groups (groups: {known})")
        if any(set(o.groups) == set(groups) for o in out):
            raise ctx.fail(f"{key}.groups", "another model clause is written for the same groups")
        out.append(ModelClause(groups, ctx.text3(vm["text"], f"{key}.text")))
    return tuple(out)


def _listed(ctx: _Ctx, value: Any, key: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise ctx.fail(key, f"expected a list, got {type(value).__name__}")
    return value


def _eforms(ctx: _Ctx, raw: Any) -> dict[str, tuple[str, ...]]:
    """Notice field -> codes (one code or a list), each a code of the SDK's code list for that field."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ctx.fail("eforms", "expected a mapping of eForms field -> code or list of codes (e.g. BT-775: hum-right)")
    lists = code_lists()
    out: dict[str, tuple[str, ...]] = {}
    for field_id, value in raw.items():
        key = f"eforms.{field_id}"
        codes = ctx.strings(value, key) if isinstance(value, list) else (ctx.string(value, key),)
        if not codes:
            raise ctx.fail(key, "expected a code or a non-empty list of codes")
        for code in codes:
            problem = lists.problem(str(field_id), code)
            if problem:
                raise ctx.fail(key, problem)
        out[str(field_id)] = codes
    return out


def _applicability(ctx: _Ctx, raw: Any, known: set[str]) -> Applicability:
    m = ctx.shaped(raw, "applicability", APPLICABILITY)
    always = m.get("always", APPLICABILITY.default("always"))
    if not isinstance(always, bool):
        raise ctx.fail("applicability.always", "expected true or false")
    reason = ctx.text3(m["always_reason"], "applicability.always_reason") if "always_reason" in m else None
    if always and reason is None:
        raise ctx.fail("applicability.always_reason", "required when always is true")
    groups = []
    for i, g in enumerate(_listed(ctx, m.get("groups"), "applicability.groups")):
        key = f"applicability.groups[{i}]"
        gm = ctx.shaped(g, key, GROUP)
        cpv, cand, main, in_place, by_passage = (
            ctx.strings([str(c) for c in _listed(ctx, gm.get(name), f"{key}.{name}")], f"{key}.{name}")
            for name in ("cpv", "cpv_candidate", "cpv_main", "in_place_cpv", "cpv_by_passage"))
        for c in cpv + cand + main + in_place + by_passage:
            if not _CPV_PREFIX.match(c):
                raise ctx.fail(key, f"CPV prefix {c!r} must be 2 to 8 digits")
        hits = gm.get("body_min_hits", GROUP.default("body_min_hits"))
        if not isinstance(hits, int) or isinstance(hits, bool) or hits < 0:
            raise ctx.fail(f"{key}.body_min_hits", "expected a whole number >= 0")
        other = gm.get("body_min_hits_other_cpv", hits)
        if not isinstance(other, int) or isinstance(other, bool) or other < hits:
            raise ctx.fail(f"{key}.body_min_hits_other_cpv", f"expected a whole number >= body_min_hits ({hits})")
        groups.append(
            Group(
                id=ctx.string(gm["id"], f"{key}.id"),
                name=ctx.text3(gm["name"], f"{key}.name"),
                cpv=cpv,
                cpv_candidate=cand,
                terms=_set_refs(ctx, gm.get("terms"), f"{key}.terms", known),
                body_min_hits=hits,
                body_min_hits_other_cpv=other,
                unless=(unless := _set_refs(ctx, gm.get("unless"), f"{key}.unless", known)),
                unless_subject=_subset(ctx, _set_refs(ctx, gm.get("unless_subject"), f"{key}.unless_subject", known),
                                       unless, f"{key}.unless_subject", "unless"),
                cpv_main=main,
                in_place_cpv=in_place,
                places=_set_refs(ctx, gm.get("places"), f"{key}.places", known),
                cpv_by_passage=by_passage,
            )
        )
    if not always and not groups:
        raise ctx.fail("applicability", "give `always: true` or at least one group")
    return Applicability(always, reason, tuple(groups), _set_refs(ctx, m.get("exclude"), "applicability.exclude", known))


def _subset(ctx: _Ctx, names: tuple[str, ...], of: tuple[str, ...], key: str, other: str) -> tuple[str, ...]:
    """`names`, each of which must also be listed under `other`."""
    for name in names:
        if name not in of:
            raise ctx.fail(key, f"{name!r} is not listed in {other}")
    return names


def check_deferrals(criteria: tuple[Criterion, ...] | list[Criterion], known: set[str]) -> None:
    """Refuse a `defer_to` naming no criterion id among `known`, or its own: the pipeline looks
    deferred passages up by id, so an alias or a typo would silently defer to nothing."""
    for crit in criteria:
        for target in crit.defer_to:
            if target == crit.id:
                raise LibraryError(f"{crit.path}: defer_to: {target!r} is this criterion itself")
            if target not in known:
                raise LibraryError(f"{crit.path}: defer_to: unknown criterion {target!r} (known: {', '.join(sorted(known))})")


def _with_pack_terms(common: Common, criteria: list[Criterion]) -> tuple[Common, list[Criterion]]:
    """The library with the terms language packs add to its sets, each under the pack's language."""
    from .terms import validate_term  # local: terms imports nothing from here at load

    owners: list[dict[str, TermSet]] = [dict(common.vocabulary), *(dict(c.vocabulary) for c in criteria)]
    for lang in packs():
        for name, terms in lang.vocabulary.items():
            owner = next((o for o in owners if name in o), None)
            if owner is None:
                raise LanguageError(f"{lang.path}: vocabulary.{name}: no set of that name in the clause library")
            for i, term in enumerate(terms):
                problem = validate_term(term, lang.code)
                if problem:
                    raise LanguageError(f"{lang.path}: vocabulary.{name}[{i}]: {term!r}: {problem}")
            old = owner[name]
            owner[name] = TermSet(name, {**old.terms, lang.code: (*old.terms.get(lang.code, ()), *terms)})
    return (replace(common, vocabulary=owners[0]),
            [replace(c, vocabulary=v) for c, v in zip(criteria, owners[1:])])


def builtin_library_dir() -> Path:
    return Path(str(resources.files("duediligence.clause_library")))


def load_library(dirs: list[Path] | None = None, only: list[str] | None = None) -> Library:
    """Load `_common.yml` and every criterion file from the built-in folder and `dirs`.

    Later folders may add criteria; a criterion id defined twice is an error, so an
    organisation's file can never silently shadow a built-in rule.
    """
    folders = [builtin_library_dir(), *(dirs or [])]
    common_path = next((d / COMMON_FILE for d in folders if (d / COMMON_FILE).is_file()), None)
    if common_path is None:
        raise LibraryError(f"{folders[0]}: {COMMON_FILE} not found")
    common = load_common(common_path)
    digest = hashlib.sha256(common_path.read_bytes())
    criteria: list[Criterion] = []
    seen: dict[str, str] = {}
    for folder in folders:
        if not folder.is_dir():
            raise LibraryError(f"{folder}: not a folder")
        for path in sorted(folder.glob("*.yml")) + sorted(folder.glob("*.yaml")):
            if path.name.startswith("_"):
                continue
            crit = load_criterion(path, common)
            for name in (crit.id, *crit.aliases):
                if name in seen:
                    raise LibraryError(f"{path}: id: {name!r} is already defined in {seen[name]}")
                seen[name] = str(path)
            digest.update(path.read_bytes())
            criteria.append(crit)
    check_deferrals(criteria, {c.id for c in criteria})
    common, criteria = _with_pack_terms(common, criteria)
    if extras_digest():
        digest.update(extras_digest().encode())
    if only:
        wanted = set(only)
        unknown = wanted - set(seen)
        if unknown:
            raise LibraryError(f"unknown criterion {sorted(unknown)[0]!r} (known: {', '.join(c.id for c in criteria)})")
        return Library(common, tuple(criteria), digest.hexdigest()[:12]).selecting(
            lambda c: c.id in wanted or bool(wanted & set(c.aliases)))
    return Library(common, tuple(criteria), digest.hexdigest()[:12])
