"""What a tender's clauses let the buyer tick in its eForms notice, from the SDK's code lists.

Above the EU thresholds the contract notice is an eForms notice, and it asks whether the
procurement is strategic: BT-06 (aim), BT-774 (environmental approach), BT-775 (social
objective), BT-805 (green procurement criteria) and BT-777 (a free-text description). Each
criterion file names the codes its clause stands for (`eforms:` in clause_library/*.yml); the
codes and their official labels are the SDK's (data/eforms.yml, extracted by
tools/extract_eforms_codes.py), so a typo in a criterion is an error at load, not a code the
notice refuses.

Only a clause that is there and binding (`ok`) justifies a code. A weak one is "not yet"; a
missing one says what the code would need. The same rule counts codes per audit run.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from .model import DocumentResult, Evidence, Status
from .yaml_files import read_yaml

DESCRIPTION_FIELD = "BT-777"  # free text, one per BT-06 aim; the report drafts it
AIM_FIELD = "BT-06"

TICK, NOT_YET, ONCE_INSERTED = "tick", "not-yet", "once-inserted"
STATES = (TICK, NOT_YET, ONCE_INSERTED)  # best first: a code takes the best state any clause gives it
_STATE_OF = {Status.OK: TICK, Status.WEAK: NOT_YET, Status.MISSING: ONCE_INSERTED}


@dataclass(frozen=True)
class Field:
    """One notice field: its SDK name in nl/fr/en and, for a code field, its code list."""

    id: str  # BT-775
    sdk_field: str  # BT-775-Lot
    name: dict[str, str]
    codelist: str | None = None
    file: str | None = None
    codes: Mapping[str, dict[str, str]] | None = None  # code -> {nl, fr, en}

    def label(self, code: str, lang: str) -> str:
        labels = (self.codes or {}).get(code, {})
        return labels.get(lang) or labels.get("en", code)


@dataclass(frozen=True)
class CodeLists:
    sdk_version: str
    files: tuple[str, ...]
    fields: Mapping[str, Field]

    @property
    def code_fields(self) -> tuple[str, ...]:
        return tuple(f for f, v in self.fields.items() if v.codes is not None)

    def position(self, key: tuple[str, str]) -> tuple[int, int, str]:
        """Sort key of a (field, code): fields in notice order, codes in code-list order."""
        fields = list(self.fields)
        codes = list(self.fields[key[0]].codes or ()) if key[0] in self.fields else []
        return (fields.index(key[0]) if key[0] in fields else len(fields),
                codes.index(key[1]) if key[1] in codes else len(codes), key[1])

    def problem(self, field: str, code: str) -> str | None:
        """Why `field: code` cannot be ticked in a notice, or None when it can."""
        if field not in self.fields:
            return f"{field!r} is not a strategic-procurement field of eForms SDK {self.sdk_version} ({', '.join(self.fields)})"
        entry = self.fields[field]
        if entry.codes is None:
            return f"{field} is free text, not a code; the report drafts it from the clauses"
        if code not in entry.codes:
            return (f"{code!r} is not a code of {entry.codelist} ({entry.file}, eForms SDK {self.sdk_version}):"
                    f" {', '.join(entry.codes)}")
        return None


@lru_cache(maxsize=1)
def code_lists() -> CodeLists:
    """The extracted SDK code lists shipped in data/eforms.yml (read once)."""
    raw: dict[str, Any] = read_yaml(Path(str(resources.files("duediligence") / "data" / "eforms.yml")))
    fields = {
        bt: Field(id=bt, sdk_field=f["sdk_field"], name=dict(f["name"]), codelist=f.get("codelist"), file=f.get("file"),
                  codes={str(c): dict(labels) for c, labels in f["codes"].items()} if "codes" in f else None)
        for bt, f in raw["fields"].items()
    }
    return CodeLists(str(raw["sdk"]["version"]), tuple(raw["sdk"]["files"]), fields)


# --- what a document's findings justify --------------------------------------------------------


@dataclass(frozen=True)
class CodeSource:
    """A finding that gives a code its state, with the passage the clause was found in."""

    criterion: str
    status: Status
    evidence: Evidence | None  # the clause's first counted passage; None for a missing clause


@dataclass(frozen=True)
class CodeHint:
    field: str
    code: str
    state: str  # tick | not-yet | once-inserted
    sources: tuple[CodeSource, ...]  # the findings at that state


def best_states(statuses: Iterable[tuple[str, Status]],
                eforms: Mapping[str, Mapping[str, tuple[str, ...]]]) -> dict[tuple[str, str], tuple[str, tuple[str, ...]]]:
    """(field, code) -> (best state, the criteria at that state), from (criterion, status) pairs
    and each criterion's codes. Statuses other than ok, weak and missing give no code."""
    out: dict[tuple[str, str], tuple[str, tuple[str, ...]]] = {}
    for criterion, status in statuses:
        state = _STATE_OF.get(status)
        if state is None:
            continue
        for field, codes in eforms.get(criterion, {}).items():
            for code in codes:
                held = out.get((field, code))
                if held is None or STATES.index(state) < STATES.index(held[0]):
                    out[(field, code)] = (state, (criterion,))
                elif held[0] == state and criterion not in held[1]:
                    out[(field, code)] = (state, (*held[1], criterion))
    return out


def notice_hints(result: DocumentResult, eforms: Mapping[str, Mapping[str, tuple[str, ...]]]) -> tuple[CodeHint, ...]:
    """The codes a document's findings justify (tick), nearly justify (not yet) or would once a
    missing clause is inserted, in field order then code-list order."""
    findings = {f.criterion: f for f in result.findings}
    states = best_states(((f.criterion, f.status) for f in result.findings), eforms)
    hints = []
    for key in sorted(states, key=code_lists().position):
        state, criteria = states[key]
        sources = tuple(CodeSource(c, findings[c].status, _clause(findings[c].evidence)) for c in criteria)
        hints.append(CodeHint(key[0], key[1], state, sources))
    return tuple(hints)


def _clause(evidence: tuple[Evidence, ...]) -> Evidence | None:
    """Where the clause stands: the first topic passage (binding ones come first)."""
    return next((e for e in evidence if e.role == "topic" and e.discounted is None), None)
