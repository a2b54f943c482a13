"""The Hyperscan prefilter: trying a set's pattern only where one of its literal starts occurs
must find exactly what the regex engine's scan of every position finds, on real tenders and on
text built to trip it (terms inside words, elisions, accents, case-fold twins, ranges that
end inside a word); and the report must not change when Hyperscan is unavailable."""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest

from duediligence import prefilter
from duediligence.read import read_document
from duediligence.segment import section_rule_sources, segment
from duediligence.terms import lowered

from .test_term_scan import _all_sets

pytest.importorskip("hyperscan")

ROOT = Path(__file__).resolve().parent.parent


# runs between words: white space of every kind Python's \s takes, hyphens, none at all
RUNS = ["\u00a0", "\n", " - ", "\u2028", "  \t", "", "\u2011", "\u3000 ", "-\n", "\x1c"]


def _plain(pattern, low: str, start: int, stop: int) -> list[tuple[tuple[int, int], str | None]]:
    return [(m.span(), m.lastgroup) for m in pattern.finditer(low, start, stop)]


def _tricky_text(sets: list) -> str:
    """Every plain term of every set, bare, glued inside words, elided, capitalised and
    accented, between sentences of sample prose: far over the length that gets the prefilter."""
    rng = random.Random(15)
    pieces = []
    for cs in sets:
        for term in cs.terms:
            if term.startswith(("re:", "lemma:")):
                continue
            core = term.strip("*")
            pieces += [core, f"x{core}", f"{core}en", f"l’{core}", f"d'{core}.", core.upper(), f"é{core}ß", f"{core}-{core}"]
            # the words of a term apart by every kind of run its separator takes, or glued
            pieces += [core.replace(" ", rng.choice(RUNS)) for _ in range(2) if " " in core or "-" in core]
    # the raw terms that open a line ("Ter informatie: ...") must be found at line starts too
    pieces += ["ter informatie", "Pour information :", "for information:", "informatief"] * 5
    # and the addresses, which are scanned only in the lines that hold one of their factors
    pieces += ["info@stad.be", "www.fairfin.be/bankwijzer", "HTTPS://x.org/a?b=1", "gemeente.nl", "a.b+c@d.e",
               "x@\ny.be", "www.\nstad.be", "aankoop.STAD.be/x", "mail:jan@ſtad.be"] * 5
    rng.shuffle(pieces)
    prose = (ROOT / "samples" / "fr_fonds-pension_45.md").read_text(encoding="utf-8")
    words = prose.split()
    out = []
    for piece in pieces:
        out.append(piece)
        out.append(" ".join(words[rng.randrange(len(words) - 8) :][: rng.randrange(1, 8)]))
        out.append(rng.choice([" ", "\n", ", ", " – ", ": ", "\n\n"]))
    return "".join(out)


def _check_equal(sets: list, text: str, ranges: list[tuple[int, int]]) -> int:
    low = lowered(text)
    assert low is not None and len(low) >= 4096
    compared = 0
    for cs in sets:
        lit, raw = cs._starts(low)
        for pattern, starts in ((cs.regex, lit), (cs._raw, raw)):
            if pattern is None or starts is None:
                continue
            for start, stop in ranges:
                got = prefilter.matches_at(pattern, low, start, stop, starts)
                if got is None:
                    continue
                assert [(m.span(), m.lastgroup) for m in got] == _plain(pattern, low, start, stop), (cs.name, start, stop)
                compared += 1
    return compared


def test_every_set_has_literal_starts_and_most_raw_sets_too() -> None:
    sets = _all_sets()
    long_text = "x" * 5000
    assert all(cs._starts(long_text)[0] is not None for cs in sets)
    # a raw term without a literal start sends its whole set to a scan of every character: a
    # look-alike written as "\\w*groeven?" once cost 40 % of the analysis of real tenders
    plain = {cs.name for cs in sets if cs._raw is not None and cs._starts(long_text)[1] is None}
    assert plain <= {"co2_above_zero", "co2_limit", "events_incidental"}, plain


def test_prefiltered_matches_equal_the_regex_scan_on_text_built_to_trip_it() -> None:
    sets = _all_sets()
    text = _tricky_text(sets)
    rng = random.Random(3)
    ranges = [(0, len(text))]
    ranges += [(a, a + rng.randrange(1, 3000)) for a in (rng.randrange(len(text)) for _ in range(25))]
    assert _check_equal(sets, text, ranges) > 1000


@pytest.mark.parametrize("sample", ["fr_festival_31.docx", "nl_dorpsplein_01.pdf", "en_staircase_49.pdf"])
def test_prefiltered_matches_equal_the_regex_scan_on_tenders(sample: str) -> None:
    doc = segment(read_document(ROOT / "samples" / sample))
    ranges = [(0, len(doc.text))] + [(b.start, b.end) for b in doc.blocks[::4]] + [(b.start + 2, b.end - 3) for b in doc.blocks[1::9]]
    assert _check_equal(_all_sets(), doc.text, ranges) > 100


def test_a_case_fold_twin_in_the_text_sends_case_insensitive_patterns_to_the_plain_scan() -> None:
    # Python's re.IGNORECASE equates the long s with s: 'minſtens' is matched by (?i)minstens
    sets = [cs for cs in _all_sets() if cs._raw is not None]
    text = ("De inschrijver gebruikt minſtens 50 % hernieuwbare energie. " * 100) + "ı"
    low = lowered(text)
    assert low is not None
    shares = next(cs for cs in sets if cs.name == "share_short_of_all")
    assert shares._starts(low)[1] is None  # its prefixes hold an s: the plain scan
    assert shares._starts(low)[0] is not None  # the literal alternation is case-sensitive on lower-cased text
    _check_equal(sets, text, [(0, len(text))])  # sets whose prefixes have no twin here still prefilter
    assert shares.finditer(text)  # found by the plain scan, as without the prefilter


def test_literal_starts_read_the_pattern() -> None:
    def plain(source: str) -> list[tuple[str, bool]]:
        starts = prefilter.literal_starts(source)
        assert starts is not None and not any(s.behind or s.origin for s in starts)
        return [(s.text, s.boundary) for s in starts]

    # a prefix goes on across a run of separators (the mark stands for any run of \s)
    assert plain(r"(?i:\bau\s+moins|minimum)") == [("au\ue001moins", True), ("minimum", False)]
    assert plain(r"(?<!\w)t[\s\-\u2010\u2011]*shirts\b") == [("t\ue000shirts", True)]
    # but not after a character the run may hold: where the run begins could not be told
    assert plain(r"\bab-[\s-]*cd") == [("ab-", True)]
    assert plain(r"\bab\s*\w+") == [("ab", True)]  # a run with no literal text after it adds nothing
    assert plain(r"m(?<!\wm)(?:oet(?!\w)|ag['’]s)") == [("mag's", True), ("mag’s", True), ("moet", True)]
    assert prefilter.literal_starts(r"(?<![\w.+-])[\w.+-]+@x") is None  # no literal start: plain scan
    assert prefilter.literal_starts(r"abc|\w+") is None
    assert prefilter.literal_starts(r"(?<=\w)x|\W*y") is None  # a look-behind on a class is no literal start


def test_a_line_start_term_starts_at_the_text_start_and_after_each_newline() -> None:
    Start = prefilter.Start
    assert prefilter.literal_starts(r"(?i:(?:^|(?<=\n))\W*(?:ter\s+informatie)\b)") == [
        Start("", False, "", True), Start("", False, "\n", False)]
    assert prefilter.literal_starts(r"\Afoo|(?<=a[bc])d") == [
        Start("", False, "", True), Start("d", False, "ab", False), Start("d", False, "ac", False)]
    source = r"(?:^|(?<=\n))\W*ter\s+info|(?<=: )x"
    group = prefilter.StartGroup(lambda: [source])
    low = ("ter info\n  ter info, ter info: x\n\nx" * 200)
    starts = group.starts(source, low)
    assert starts is not None and 0 in starts and 9 in starts and low.index(": x") + 2 in starts
    pattern = re.compile(source)
    got = prefilter.matches_at(pattern, low, 0, len(low), starts)
    assert got is not None and [m.span() for m in got] == [m.span() for m in pattern.finditer(low)]


def test_a_line_local_pattern_without_literal_start_is_scanned_in_the_lines_holding_its_factors() -> None:
    email = r"(?i:(?<![\w.+-])[\w.+-]+@[\w-]+\.(?:be|nl)\b)|www\.\S+"
    assert prefilter.line_factors(email) == [".be", ".nl", "www."]
    assert prefilter.line_factors(r"\w+\s@\w+") is None  # \s takes a newline
    assert prefilter.line_factors(r"(?s:a.b)") is None and prefilter.line_factors(r"\w+@x$") is None
    assert prefilter.line_factors(r"\w+@(?=\n)") is None  # looks past the line's end
    group = prefilter.StartGroup(lambda: [email])
    low = "".join(f"regel {i} zonder adres, met een punt. " + ("jan@stad.be en www.x.nl\n" if i % 7 == 0 else "\n")
                  for i in range(400))
    lines = group.starts(email, low)
    assert isinstance(lines, prefilter.LineSpans) and len(lines) == len(range(0, 400, 7))
    pattern = re.compile(email)
    rng = random.Random(5)
    for start, stop in [(0, len(low))] + [(a, a + rng.randrange(1, 400)) for a in (rng.randrange(len(low)) for _ in range(200))]:
        got = prefilter.matches_at(pattern, low, start, stop, lines)
        assert got is not None and [m.span() for m in got] == [m.span() for m in pattern.finditer(low, start, stop)]


def test_byte_offsets_map_back_to_characters() -> None:
    low = "café – l’été à 5 €, ok ſ 𝔸b"
    text = prefilter.Encoded(low)
    for i in range(len(low) + 1):
        assert text.char_offset(len(low[:i].encode("utf-8"))) == i


def test_the_store_is_loaded_and_a_damaged_one_rebuilt(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    code = (
        "from duediligence import prefilter\n"
        "group = prefilter.StartGroup(lambda: ['abc|def', '(?i:gh)'])\n"
        "print(group.starts('abc|def', 'xx abc def abc' * 400)[:3])\n"
    )
    env = {**os.environ, "DUEDILIGENCE_CACHE_DIR": str(cache)}
    env.pop("DUEDILIGENCE_NO_CACHE", None)
    first = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert first.stdout.strip() == "[3, 7, 11]"
    # the next process loads the stored database instead of compiling it
    no_build = "import duediligence.prefilter as p\np._read_prefixes = p._hyperscan().Database = None\n" + code
    loaded = subprocess.run([sys.executable, "-c", no_build], env=env, capture_output=True, text=True, check=True)
    assert loaded.stdout.strip() == "[3, 7, 11]"
    (store,) = cache.glob("prefilter-*.marshal")
    store.write_bytes(store.read_bytes()[: len(store.read_bytes()) // 2] + b"\x00garbage")
    again = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert again.stdout.strip() == "[3, 7, 11]" and not again.stderr


def test_the_report_is_the_same_without_hyperscan(tmp_path: Path) -> None:
    sample = ROOT / "samples" / "nl_dorpsplein_01.pdf"

    def report(**extra: str) -> dict:
        env = {**os.environ, "DUEDILIGENCE_CACHE_DIR": str(tmp_path / "cache"), **extra}
        out = subprocess.run(
            [sys.executable, "-m", "duediligence", "check", "--format", "json", "--no-config", str(sample)],
            env=env, capture_output=True, text=True,
        ).stdout
        data = json.loads(out)
        for doc in data["documents"]:
            doc.pop("seconds", None)
        return data

    assert report() == report(DUEDILIGENCE_NO_HYPERSCAN="1")


def test_the_shipped_reading_of_the_sources_is_current() -> None:
    """tools/build_set_sources.py writes it; an edit of prefilter.py or of the library makes it
    stale, and a stale file is not used (a cold start reads the sources itself, slower)."""
    from duediligence.library import load_library
    from duediligence.matchers import Matchers

    prebuilt = prefilter._prebuilt_reading()
    assert prebuilt, "duediligence/data/prefixes.json.gz is missing or stale: python tools/build_set_sources.py"
    sources = Matchers(load_library())._all_sources() + section_rule_sources()
    assert all(source in prebuilt for source in sources), "stale: python tools/build_set_sources.py"
    assert all(prebuilt[source] == prefilter.read_source(source) for source in sources)


def test_the_separator_runs_take_every_character_of_python_s_white_space() -> None:
    assert sorted(prefilter._SPACES) == [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()]


def test_a_prefix_of_several_words_starts_where_its_first_word_does() -> None:
    cs = next(cs for cs in _all_sets() if any(" " in t and not t.startswith(("re:", "lemma:")) for t in cs.terms))
    term = next(t.strip("*") for t in cs.terms if " " in t and not t.startswith(("re:", "lemma:")))
    filler = "Het college van burgemeester en schepenen beslist over de gunning. " * 80
    text = filler + term.replace(" ", "\u00a0 \n") + " en " + term.replace(" ", "-") + ". " + filler
    low = lowered(text)
    assert low is not None
    lit, _raw = cs._starts(low)
    assert lit is not None and len(filler) in lit
    assert _check_equal([cs], text, [(0, len(text)), (len(filler) - 5, len(filler) + 60)]) >= 2


def test_the_section_rules_the_prefilter_names_find_the_first_rule_as_trying_every_one() -> None:
    # every heading and short line of the samples, and each in capitals and with the case twins
    # that lower-casing does not fold (dotless i, long s): the rule found is the first that matches
    from duediligence import segment as seg

    lines = {b.text.strip() for sample in sorted((ROOT / "samples").glob("*.*")) if sample.suffix in (".md", ".txt", ".docx", ".pdf")
             for b in read_document(sample).blocks if len(b.text.strip()) < 110}
    lines |= {t.upper() for t in list(lines)} | {t.replace("i", "ı").replace("s", "ſ") for t in list(lines)}
    lines |= {"ANNEXE 3", "Motifs d'exclusion", "Uitſluitingsgronden", "  bijlage B"}
    rules = seg._section_rules()
    kinds = 0
    for line in sorted(lines):
        first = next((rule for rule in rules if rule.pattern.search(line)), None)
        assert seg._heading_rule(line) is first, line
        kinds += first is not None
    assert kinds > 300  # the lines name sections, not only body text
    named = seg._rule_starts(seg.extra_folders()).candidates("uitvoeringsvoorwaarden")
    assert named is not None and len(named) < len(rules) / 4  # most rules are never tried on a heading
