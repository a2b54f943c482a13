"""The on-disk cache of compiled term-set patterns: what it serves must behave as re.compile,
a damaged cache file must be ignored, not trusted, and an empty cache starts from the shipped
patterns (data/patterns.marshal.gz) when they were made by this Python."""

from __future__ import annotations

import gzip
import marshal
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from duediligence import regex_cache

ROOT = Path(__file__).resolve().parent.parent
PROBE = r"""
import re, sys
from duediligence.library import load_library
from duediligence.matchers import Matchers
from duediligence import regex_cache
on_disk = len(regex_cache._load())
library = load_library()
matchers = Matchers(library)
text = open(sys.argv[1], encoding="utf-8").read()
for criterion in library.criteria:
    for name in criterion.vocabulary:
        cs = matchers.criterion_set(criterion, name)
        fresh = re.compile(cs.regex.pattern)
        assert cs.regex.groupindex == fresh.groupindex and cs.regex.flags == fresh.flags, name
        assert [(m.span(), m.lastgroup) for m in cs.regex.finditer(text.lower())] == \
               [(m.span(), m.lastgroup) for m in fresh.finditer(text.lower())], name
print(on_disk)
"""


def _probe(cache: Path) -> int:
    env = {**os.environ, "DUEDILIGENCE_CACHE_DIR": str(cache)}
    env.pop("DUEDILIGENCE_NO_CACHE", None)
    sample = ROOT / "samples" / "fr_columbarium_25.txt"
    proc = subprocess.run([sys.executable, "-c", PROBE, str(sample)], capture_output=True, text=True, env=env, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    return int(proc.stdout)


def test_patterns_served_from_disk_match_like_re_compile(tmp_path: Path) -> None:
    # nothing on disk yet: the shipped patterns (none under another Python), then written at exit
    assert _probe(tmp_path) == len(regex_cache.prebuilt())
    files = list(tmp_path.glob("patterns-*.marshal"))
    assert len(files) == 1
    assert _probe(tmp_path) > 0  # loaded from disk, and still the same matches


def test_a_damaged_cache_file_is_ignored(tmp_path: Path) -> None:
    _probe(tmp_path)
    (target,) = tmp_path.glob("patterns-*.marshal")
    target.write_bytes(b"\x00not marshal data")
    assert _probe(tmp_path) == len(regex_cache.prebuilt())
    assert re.compile("x")  # the interpreter's own re is untouched


FRESH = r"""
import marshal, sys
from duediligence import regex_cache
from duediligence.library import load_library
from duediligence.matchers import Matchers
library = load_library()
matchers = Matchers(library)
for criterion in library.criteria:
    for name in criterion.vocabulary:
        matchers.criterion_set(criterion, name)
sys.stdout.buffer.write(marshal.dumps(regex_cache.used_entries()))
"""


def test_shipped_patterns_are_what_this_python_compiles() -> None:
    shipped = (ROOT / "duediligence" / regex_cache.PREBUILT_PATTERNS).read_bytes()
    made, entries = marshal.loads(gzip.decompress(shipped))
    if made.split("-", 1)[1] != regex_cache.made_by().split("-", 1)[1]:
        pytest.skip(f"the shipped patterns are for {made}, not this Python")
    assert made == regex_cache.made_by(), "stale (another tool version): python tools/build_set_sources.py"
    env = {**os.environ, "DUEDILIGENCE_NO_CACHE": "1"}  # every pattern compiled afresh
    proc = subprocess.run([sys.executable, "-c", FRESH], capture_output=True, env=env, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr.decode()
    fresh = marshal.loads(proc.stdout)
    # parsed YAML files share the store under keys naming PyYAML's version ("yaml|6.0.2|..."): an
    # install with another PyYAML just parses them, so only this version's entries must be there
    shipped_yaml = {key.split("|")[1] for key in entries if key.startswith("yaml|")}
    fresh = {key: value for key, value in fresh.items() if not key.startswith("yaml|") or key.split("|")[1] in shipped_yaml}
    missing = [key[:60] for key in fresh if key not in entries]
    assert not missing, f"stale: python tools/build_set_sources.py ({len(missing)} patterns missing)"
    assert all(entries[key] == value for key, value in fresh.items())


def test_prebuilt_sources_are_what_the_library_builds() -> None:
    from duediligence.library import load_library
    from duediligence.terms import _build_sources, _prebuilt_sources, sources_key

    library = load_library()
    term_sets = list(library.common.vocabulary.values())
    for criterion in (*library.criteria, *library.deferred):
        term_sets += criterion.vocabulary.values()
    prebuilt = _prebuilt_sources()
    shipped = [ts for ts in term_sets if sources_key(ts.all_terms()) in prebuilt]
    assert shipped, "duediligence/data/set_sources.json.gz is missing: python tools/build_set_sources.py"
    for ts in shipped:
        assert tuple(prebuilt[sources_key(ts.all_terms())]) == _build_sources(ts.all_terms()), ts.name


def test_a_cold_start_takes_lemma_sets_from_the_prebuilt_sources(tmp_path: Path) -> None:
    probe = (
        "from duediligence.library import load_library\n"
        "from duediligence.matchers import Matchers\n"
        "from duediligence import terms\n"
        "library = load_library(); matchers = Matchers(library)\n"
        "lemma_sets = [n for n, ts in library.common.vocabulary.items()\n"
        "              if any(t.startswith('lemma:') for _l, t in ts.all_terms())\n"
        "              and terms.sources_key(ts.all_terms()) in terms._prebuilt_sources()]\n"
        "assert lemma_sets\n"
        "for n in lemma_sets: matchers.common(n)\n"
        "print(terms._inverse_lemmas.cache_info().currsize)\n"
    )
    env = {**os.environ, "DUEDILIGENCE_CACHE_DIR": str(tmp_path)}
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "0"  # spaCy's lemma tables were never opened
