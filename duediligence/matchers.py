"""Compiled term sets for a loaded library, built once and shared by every document.

Compiling hundreds of alternations costs milliseconds per set; a batch of hundreds of
documents must pay that once, not per document.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from .library import Criterion, Library, Trap
from .prefilter import StartGroup
from .terms import CompiledSet, set_sources


@dataclass(frozen=True)
class CompiledTrap:
    trap: Trap
    mask: tuple[CompiledSet, ...]
    context: tuple[CompiledSet, ...]
    unless: tuple[CompiledSet, ...] = ()


_NAMED_KEPT = 4096  # headings remembered per library (a batch of documents brings new ones)


class Matchers:
    """Lazily compiled sets of one library; `criterion_set` resolves own then common names."""

    def __init__(self, library: Library) -> None:
        self.library = library
        self._sets: dict[tuple[str, str], CompiledSet] = {}
        self._named: dict[tuple[str, tuple[str, ...] | None, str], bool] = {}
        # one prefilter pass over a long text serves every set of the library
        self._group = StartGroup(self._all_sources)

    def _all_sources(self) -> list[str]:
        """The pattern sources of every term set of the library, for the shared prefilter."""
        term_sets = list(self.library.common.vocabulary.values())
        for criterion in (*self.library.criteria, *self.library.deferred):
            term_sets += criterion.vocabulary.values()
        sources: list[str] = []
        for term_set in term_sets:
            literal, raw, _widen = set_sources(term_set.all_terms())
            sources += [literal] + ([raw] if raw is not None else [])
        return list(dict.fromkeys(sources))

    def common(self, name: str) -> CompiledSet:
        """A set of `_common.yml`; a name the code passes here belongs in `library_schema.CODE_SETS`
        (tests/test_library_schema.py checks), so a library lacking it is refused at load."""
        key = ("", name)
        if key not in self._sets:
            self._sets[key] = CompiledSet(self.library.common.vocabulary[name], self._group)
        return self._sets[key]

    def criterion_set(self, criterion: Criterion, name: str) -> CompiledSet:
        if name not in criterion.vocabulary:
            return self.common(name)
        key = (criterion.id, name)
        if key not in self._sets:
            self._sets[key] = CompiledSet(criterion.vocabulary[name], self._group)
        return self._sets[key]

    def names(self, criterion: Criterion, heading: str, sets: tuple[str, ...] | None = None) -> bool:
        """Whether a heading speaks of the criterion's subject: a term of one of `sets` (by
        default all its vocabulary sets) stands in it. Remembered, for every document: each
        passage of a section asks it of the same headings, for every criterion that defers to
        this one."""
        key = (criterion.id, sets, heading)
        held = self._named.get(key)
        if held is None:
            if len(self._named) >= _NAMED_KEPT:
                self._named.clear()
            names = criterion.vocabulary if sets is None else sets
            held = self._named[key] = any(self.criterion_set(criterion, name).search(heading) for name in names)
        return held

    def sets(self, criterion: Criterion, names: tuple[str, ...]) -> tuple[CompiledSet, ...]:
        return tuple(self.criterion_set(criterion, n) for n in names)

    def traps(self, criterion: Criterion) -> tuple[CompiledTrap, ...]:
        """The criterion's own traps followed by the library-wide ones."""
        out = [
            CompiledTrap(t, self.sets(criterion, t.mask), self.sets(criterion, t.context), self.sets(criterion, t.unless))
            for t in (*criterion.traps, *self.library.common.traps)
        ]
        return tuple(out)

    @cached_property
    def modality(self) -> dict[str, CompiledSet]:
        names = ("binding", "weak", "weak_modal", "contractor", "authority", "authority_demands", "negation", "policy",
                 "award")
        return {n: self.common(n) for n in names}
