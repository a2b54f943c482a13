"""The on-disk cache of compiled term-set patterns: what it serves must behave as re.compile,
and a damaged cache file must be ignored, not trusted."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

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
    assert _probe(tmp_path) == 0  # nothing on disk yet: compiled, then written at exit
    files = list(tmp_path.glob("patterns-*.marshal"))
    assert len(files) == 1
    assert _probe(tmp_path) > 0  # loaded from disk, and still the same matches


def test_a_damaged_cache_file_is_ignored(tmp_path: Path) -> None:
    _probe(tmp_path)
    (target,) = tmp_path.glob("patterns-*.marshal")
    target.write_bytes(b"\x00not marshal data")
    assert _probe(tmp_path) == 0
    assert re.compile("x")  # the interpreter's own re is untouched


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
