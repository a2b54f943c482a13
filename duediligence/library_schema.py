"""The clause library's schema, declared once: every mapping of the YAML files and its keys.

`library.py` validates with it (which keys a mapping allows and requires, the values a key may
take, its default) and the key tables of `docs/clause-library.md` are generated from it, so the
documentation cannot drift from what the loader accepts. It also declares the sets of
`_common.yml` that the code itself looks up by name: a renamed set is refused when the library
loads, with the file and the set named, instead of failing a later check with a `KeyError`.

Regenerate the documentation after a change: `python -m duediligence.library_schema --write`.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

from .model import SectionKind

SCHEMA_VERSION = 1
SEVERITIES = ("high", "medium", "low")
WINDOWS = ("sentence", "block")
BUILTIN_CHECKS = ("binding",)
TRAP_REACHES = ("sentence", "paragraph")
TRAP_EFFECTS = ("discount", "weaken")
SECTION_KINDS = tuple(k.value for k in SectionKind)


@dataclass(frozen=True)
class Key:
    """One key of a mapping: whether it must be there, what it may hold, and what it means."""

    name: str
    meaning: str
    required: bool = False
    choices: tuple[str, ...] = ()
    default: str | int | float | bool | None = None


@dataclass(frozen=True)
class Shape:
    """One kind of mapping in the library files, named as error messages name it."""

    path: str
    about: str
    keys: tuple[Key, ...]

    @property
    def allowed(self) -> set[str]:
        return {k.name for k in self.keys}

    @property
    def required(self) -> set[str]:
        return {k.name for k in self.keys if k.required}

    def key(self, name: str) -> Key:
        return next(k for k in self.keys if k.name == name)

    def default(self, name: str) -> str | int | float | bool | None:
        return self.key(name).default


TEXT3 = "`{nl, fr, en}` texts"

SOURCE = Shape("sources[]", "where the criterion comes from", (
    Key("title", "the source's title", required=True),
    Key("url", "an `http(s)` address", required=True),
))

GROUP = Shape("applicability.groups[]", "a product group that makes the criterion apply", (
    Key("id", "the group's id, reported as the reason the criterion applies", required=True),
    Key("name", f"{TEXT3}: the group as a reader names it", required=True),
    Key("cpv", "CPV prefixes (2 to 8 digits) that make the criterion apply on their own"),
    Key("cpv_candidate", "CPV prefixes that apply only when a term of `terms` confirms them"),
    Key("cpv_main", "CPV prefixes that apply on their own when they are the document's main (first) code, and as "
        "additional codes only as `cpv_candidate` does (insurance as the subject, or beside a vehicle lease)"),
    Key("terms", "set names whose terms apply when found in the title or subject, or often enough in the body"),
    Key("body_min_hits", "how many mentions in the body apply the criterion (0: the title or subject only)",
        default=0),
    Key("body_min_hits_other_cpv", "mentions needed when the document's CPV codes all name other things "
        "(at least `body_min_hits`, which is the default)"),
    Key("unless", "sets that cancel a subject term in the same sentence (stone that is only cleaned: "
        "`reinigen`, `afstoffen`)"),
    Key("unless_subject", "sets among `unless` that, found in the title or subject statement with no word of new "
        "supply, cancel every mention (an insurance or a loan contract buys none of what it insures or finances)"),
    Key("in_place_cpv", "CPV prefixes of services about what is already there (909 cleaning, 665 insurance): with "
        "one as the document's main (first) code, a mention counts only where a word of new supply stands beside it"),
    Key("places", "set names whose terms name a place where the thing is served (a cafeteria, a canteen): a "
        "mention that names one counts only in a sentence that says the place is run or served (`place_served`)"),
    Key("cpv_by_passage", "CPV prefixes of services that carry the thing along (a catering service and its delivery "
        "vans): as the document's main (first) code, they apply when one of the criterion's own passages names a term "
        "of `terms`"),
))

APPLICABILITY = Shape("applicability", "when the criterion applies", (
    Key("always", "the criterion applies to every tender", default=False),
    Key("always_reason", f"{TEXT3}: why it always applies (required with `always: true`)"),
    Key("groups", "list of product groups (below); required unless `always: true`"),
    Key("exclude", "sets whose matches are removed before the subject is searched (look-alikes: "
        "natuursteenlook, betonklinkers)"),
))

TOPIC = Shape("topic[]", "where the criterion is addressed", (
    Key("sets", "set names that must all have a term in one window", required=True),
    Key("window", "how far apart those terms may be", choices=WINDOWS, default="sentence"),
))

ELEMENT = Shape("elements[]", "a part of a complete clause, searched in the clause around the topic passages", (
    Key("id", "the element's id, unique in the file", required=True),
    Key("name", f"{TEXT3}: the element as a reader names it", required=True),
    Key("check", "a built-in check instead of `any`", choices=BUILTIN_CHECKS),
    Key("any", "set names, a term of any of which shows the element"),
    Key("weight", "the element's share of completeness, in (0, 5]", default=1.0),
    Key("at_least", "how many of the `any` sets must each be found (an exclusion policy names several themes)",
        default=1),
))

PRESENCE = Shape("presence", "what makes the criterion present", (
    Key("present", "element ids that must all be found for `present`; `a|b` means either", required=True),
))

TRAP = Shape("traps[]", "a known look-alike", (
    Key("id", "the trap's id", required=True),
    Key("reason", f"{TEXT3}: why such a passage does not count, shown beside it", required=True),
    Key("mask", "sets whose spans never count"),
    Key("context", "sets that discount a topic sentence matching them (a trap needs `mask` or `context`)"),
    Key("except_in", "section kinds where a `context` trap does not apply", choices=SECTION_KINDS),
    Key("reach", "where `context` is looked for: the sentence, or its whole paragraph and section heading",
        choices=TRAP_REACHES, default="sentence"),
    Key("unless", "sets that keep a `context` trap from firing where they match the sentence too"),
    Key("effect", "`discount`: the passage does not count; `weaken`: it counts as weak wording at best",
        choices=TRAP_EFFECTS, default="discount"),
))

MODEL_CLAUSE = Shape("model_clauses[]", "a model clause written for some product groups", (
    Key("groups", "ids of the criterion's `applicability.groups` this clause is written for", required=True),
    Key("text", f"{TEXT3}: the clause, as `model_clause`", required=True),
))

CRITERION = Shape("(file)", "a criterion file", (
    Key("id", "stable id (`[a-z0-9-]`)", required=True),
    Key("aliases", "old ids, still accepted"),
    Key("schema", f"always `{SCHEMA_VERSION}`", required=True),
    Key("version", "the rule's own version; the library version is a hash of all files", required=True),
    Key("severity", "how much a missing clause weighs", choices=SEVERITIES, default="medium"),
    Key("name", TEXT3, required=True),
    Key("summary", TEXT3, required=True),
    Key("description", TEXT3, required=True),
    Key("sources", "non-empty list of sources (below)", required=True),
    Key("eforms", "eForms field → code, or list of codes, that a complete clause lets the buyer tick in the "
        "notice (e.g. `BT-775: hum-right`); fields BT-06, BT-774, BT-775, BT-805, codes from the eForms SDK "
        "code lists in `duediligence/data/eforms.yml`"),
    Key("vocabulary", "named term sets (`name: {nl: [..], fr: [..], en: [..], any: [..]}`); a name may not "
        "be a set of `_common.yml`", required=True),
    Key("applicability", "when the criterion applies (below)", required=True),
    Key("topic", "non-empty list of topic rules (below)", required=True),
    Key("elements", "non-empty list of clause elements (below)", required=True),
    Key("presence", "what makes the criterion present (below)", required=True),
    Key("traps", "list of traps (below)"),
    Key("model_clause", f"{TEXT3}: the clause to suggest, written for a binding place in the tender",
        required=True),
    Key("model_clauses", "clauses for product groups (below): a finding suggests the one written for exactly the "
        "groups that made the criterion apply, else `model_clause`"),
    Key("defer_to", "ids of loaded criteria whose clauses do not count for this one (a stone clause naming "
        "child labour is TruStone's, not the general human-rights clause)"),
    Key("deferred_counts_with", "sets that must each have a term in the paragraph for a passage of a clause in "
        "`defer_to` to count here after all, weak at most: a stone clause that commits to human-rights due "
        "diligence under the UN Guiding Principles carries this duty, for the stone chain only"),
    Key("subject_sets", "sets whose terms name the criterion's own subject (natuursteen, the stone): a paragraph that "
        "names it by the end of a deferring criterion's first sentence there, or a heading that names it, is this "
        "criterion's clause; by default the set that opens each topic rule"),
))

COMMON = Shape("(file)", "`_common.yml`", (
    Key("schema", f"always `{SCHEMA_VERSION}`", required=True),
    Key("vocabulary", "named term sets every criterion may refer to; must hold the sets the code relies on "
        "(below)", required=True),
    Key("traps", "traps that apply to every criterion (as `traps[]` above)"),
))

SHAPES = (CRITERION, SOURCE, APPLICABILITY, GROUP, TOPIC, ELEMENT, PRESENCE, TRAP, MODEL_CLAUSE, COMMON)

# The sets of `_common.yml` that the code looks up by name, and what it uses each for.
CODE_SETS: dict[str, str] = {
    "binding": "wording that obliges: makes a passage binding",
    "weak": "soft wording (\"bij voorkeur\", \"where possible\"): a passage is weak, never binding",
    "weak_modal": "may/kan/peut: weak when the contractor is its subject",
    "not_enclosed": "a text said to be outside the document (\"wordt niet bij dit bestek gevoegd\", \"communiquée "
                    "ultérieurement\"): the clause a sentence points to is not there",
    "wished": "wording that wishes for an element rather than setting it (\"is encouraged to\", \"de préférence\"): "
              "an element stated so does not complete a clause",
    "referral": "a sentence that sends a subject to another article (\"voor natuursteen geldt artikel 4.2\"): it "
                "names the subject without this paragraph being about it",
    "contractor": "names the contractor: a contractor-subject sentence binds",
    "authority": "names the buyer: its own statements oblige no one",
    "authority_demands": "the buyer demanding something of the contractor (binds)",
    "pronoun_lead": "a pronoun opening a sentence: its actor is the previous sentence's subject",
    "negation": "negated passages (\"niet van toepassing\") do not count",
    "elsewhere": "what another contract covers (\"dans le cadre d'un marché distinct\"): such passages oblige no one here",
    "policy": "the buyer's policy statements do not count",
    "award": "award-criterion wording: such passages are never binding",
    "absence": "says something is not there or not bought: no subject term in that sentence counts",
    "not_bought": "cancels a subject term in its sentence (the thing is not what is bought)",
    "new_supply": "the thing is supplied new, which a `not_bought` word would otherwise cancel",
    "place_served": "a place where the thing is served (a group's `places`) is run or served there",
    "tender_markers": "words that show a document is a tender, not a policy page or news item",
    "deleted": "a deleted article (\"Vervalt\"): only its title is left",
}


def check_common_sets(names: set[str]) -> str | None:
    """The problem when `_common.yml` lacks a set the code relies on, else None."""
    missing = sorted(set(CODE_SETS) - names)
    if not missing:
        return None
    return (f"missing set {missing[0]!r}, which the code relies on ({CODE_SETS[missing[0]]}); "
            f"the sets it needs: {', '.join(CODE_SETS)}")


# --- documentation -----------------------------------------------------------------------

DOC = Path(__file__).resolve().parent.parent / "docs" / "clause-library.md"
BEGIN = "<!-- generated from duediligence/library_schema.py: python -m duediligence.library_schema --write -->"
END = "<!-- end of the generated part -->"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _table(shape: Shape) -> list[str]:
    lines = [f"### `{shape.path}`: {shape.about}" if shape.path != "(file)" else f"### {shape.about}", "",
             "| key | required | values | meaning |", "|---|---|---|---|"]
    for k in shape.keys:
        values = " \\| ".join(f"`{c}`" for c in k.choices)
        if k.default is not None:
            shown = str(k.default).lower() if isinstance(k.default, bool) else k.default
            values = f"{values} (default `{shown}`)".strip()
        lines.append(f"| `{k.name}` | {'yes' if k.required else ''} | {values} | {_cell(k.meaning)} |")
    return [*lines, ""]


def markdown() -> str:
    """The generated part of docs/clause-library.md, markers included."""
    lines = [BEGIN, "", "## Keys", "",
             "Every mapping of a library file, with its keys. Any other key is an error; so is a missing "
             "required one.", ""]
    for shape in SHAPES:
        lines += _table(shape)
    lines += ["## Sets the code relies on", "",
              "`_common.yml` must define these sets (a library whose `_common.yml` lacks one is refused "
              "at load); their terms are free.", "", "| set | used for |", "|---|---|"]
    lines += [f"| `{name}` | {_cell(use)} |" for name, use in CODE_SETS.items()]
    return "\n".join([*lines, "", END])


def with_generated_part(doc: str) -> str:
    """`doc` with the text between the markers replaced by `markdown()`."""
    start, end = doc.find(BEGIN), doc.find(END)
    if start < 0 or end < start:
        raise ValueError(f"{DOC}: the markers of the generated part are missing")
    return doc[:start] + markdown() + doc[end + len(END):]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Regenerate the key tables of docs/clause-library.md.")
    parser.add_argument("--write", action="store_true", help="rewrite the file (default: print the part)")
    args = parser.parse_args(argv)
    if not args.write:
        print(markdown())
        return 0
    DOC.write_text(with_generated_part(DOC.read_text(encoding="utf-8")), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
