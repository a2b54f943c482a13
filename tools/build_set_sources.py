"""Regenerates duediligence/data/set_sources.json.gz, the prebuilt pattern sources of the shipped
clause library's term sets, and duediligence/data/prefixes.json.gz, the prefilter's reading of
them, and duediligence/data/patterns.marshal.gz, the compiled form of every pattern that checking
samples/ compiles under this Python (run by hand after editing clause_library/, the language
packs or duediligence/prefilter.py, never at run time).

Building a set's pattern expands every `lemma:` term through spaCy's lookup tables, which a
fresh process pays about 0.6 s to load; a pre-commit hook on a new machine should not. Entries
are keyed by the set's terms and the spacy-lookups-data version, so a set edited since the
file was built, or another version of the tables, is simply built at run time as before.

    python tools/build_set_sources.py
"""

from __future__ import annotations

import gzip
import json
import marshal
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# every pattern compiled here, none served by a cache folder or by the patterns file being rebuilt
os.environ["DUEDILIGENCE_NO_CACHE"] = "1"

from duediligence import regex_cache  # noqa: E402
from duediligence.cache import lookups_version  # noqa: E402
from duediligence.checker import Checkers  # noqa: E402
from duediligence.library import load_library  # noqa: E402
from duediligence.matchers import Matchers  # noqa: E402
from duediligence.prefilter import PREBUILT_READING, prebuilt_header, read_source  # noqa: E402
from duediligence.segment import section_rule_sources  # noqa: E402
from duediligence.terms import PREBUILT_SOURCES, _build_sources, sources_key  # noqa: E402


def main() -> None:
    library = load_library()
    term_sets = list(library.common.vocabulary.values())
    for criterion in (*library.criteria, *library.deferred):
        term_sets += criterion.vocabulary.values()
    entries = {sources_key(ts.all_terms()): list(_build_sources(ts.all_terms())) for ts in term_sets}
    _write(PREBUILT_SOURCES, {"lookups": lookups_version(), "sets": entries}, f"{len(entries)} term sets")
    # the prefilter's reading of the patterns those sources make, every set of the library,
    # and of the section rules' patterns
    reading = {source: read_source(source) for source in (*Matchers(library)._all_sources(), *section_rule_sources())}
    _write(PREBUILT_READING, {"header": prebuilt_header(), "sources": reading}, f"{len(reading)} pattern sources")
    _write_patterns()


def _write_patterns() -> None:
    """The compiled patterns of every term set, and of the language packs, sections and sentence
    rules as checking each sample reaches them; marshal version 2 (no back-references), so the
    same entries give the same bytes."""
    from duediligence.settings import Settings

    checker = Checkers().get(Settings())
    for criterion in checker.library.criteria:
        for name in criterion.vocabulary:
            checker.matchers.criterion_set(criterion, name)
    for sample in sorted((ROOT / "samples").iterdir()):
        if sample.suffix in (".pdf", ".docx", ".md", ".txt") and sample.name != "README.md":
            checker.check(sample)
    entries = regex_cache.used_entries()
    target = ROOT / "duediligence" / regex_cache.PREBUILT_PATTERNS
    target.write_bytes(gzip.compress(marshal.dumps((regex_cache.made_by(), entries), 2), mtime=0))
    print(f"{target.relative_to(ROOT)}: {len(entries)} patterns for {regex_cache.made_by()}, {target.stat().st_size:,} bytes")


def _write(name: str, data: dict[str, object], what: str) -> None:
    """Gzipped JSON, the same bytes for the same data (sorted keys, no time stamp)."""
    target = ROOT / "duediligence" / name
    payload = json.dumps(data, ensure_ascii=False, sort_keys=True)
    target.write_bytes(gzip.compress(payload.encode("utf-8"), mtime=0))
    print(f"{target.relative_to(ROOT)}: {what}, {target.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
