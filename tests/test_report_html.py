"""`--format html` through the real command line on real samples, then in a real browser.

Statuses and quotes come from the JSON report of the same files, so these tests check how
the page shows a verdict, not the verdict.
"""

from __future__ import annotations

import os
import re
import shutil
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from markupsafe import escape

from duediligence.library import load_library
from duediligence.messages import error_text
from duediligence.model import DocumentError

from .report_helpers import ABSENT, DUTCH, ESCAPE_ME, FRENCH, acted_on, check, matched_words, statuses, suggested_clause
from .report_helpers import several as run_several  # the fixture below takes the name

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


class Tags(HTMLParser):
    """Every start tag with its attributes, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def tags(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = Tags()
    parser.feed(html)
    return parser.tags


def articles(html: str) -> list[str]:
    """The page cut into its document articles, in order."""
    return re.findall(r"<article\b.*?</article>", html, flags=re.S)


def tiles(article: str) -> dict[str, str]:
    return {a["data-criterion"] or "": a["data-status"] or "" for _t, a in tags(article) if "data-criterion" in a}


def marks(html: str) -> list[str]:
    return [unescape(m) for m in re.findall(r"<mark>(.*?)</mark>", html, flags=re.S)]


@pytest.fixture(scope="module")
def several(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[str, Any]]:
    return run_several("html", tmp_path_factory.mktemp("html"))


def test_one_tile_per_criterion_with_the_status_of_the_json_report(several: tuple[str, dict[str, Any]]) -> None:
    html, report = several
    docs = articles(html)
    assert len(docs) == len(report["documents"])
    for article, doc in zip(docs, report["documents"]):
        if doc["error"] is None:
            assert tiles(article) == statuses(doc)
            assert set(tiles(article)) == set(report["library"]["criteria"])
    # the samples were chosen to show every status a buyer acts on
    shown = {s for d in report["documents"] for s in statuses(d).values()}
    assert {"ok", "weak"} <= shown and shown & {"missing", "weak"}


def test_tiles_say_their_status_in_words_not_only_colour(several: tuple[str, dict[str, Any]]) -> None:
    html, _report = several
    dutch = articles(html)[0]
    for tile in re.findall(r'<(?:a|div) class="tile st-([a-z-]+)".*?</(?:a|div)>', dutch, flags=re.S):
        assert tile in {"ok", "weak", "missing", "not-applicable", "suppressed"}
    words = {"in orde", "zwak", "ontbreekt", "n.v.t."}
    states = re.findall(r'<span class="state">.*?</svg>(.*?)</span>', dutch, flags=re.S)
    assert states and set(states) <= words


def test_matched_words_are_highlighted_and_escaped(several: tuple[str, dict[str, Any]]) -> None:
    html, report = several
    for article, doc in zip(articles(html), report["documents"]):
        found = marks(article)
        for word in matched_words(doc):
            assert any(word in m for m in found), word
        # every highlight starts with a matched word: offsets were applied relative to the quote
        words = matched_words(doc)
        for m in found:
            assert any(m.startswith(w) for w in words), m


def test_model_clause_in_the_document_language_with_a_copy_button(several: tuple[str, dict[str, Any]]) -> None:
    html, report = several
    library = load_library()
    for article, doc in zip(articles(html), report["documents"]):
        for f in acted_on(doc):
            clause = suggested_clause(library, f, doc["language"])
            assert f["suggestion"]["language"] == doc["language"]
            assert str(escape(clause)) in article
            anchor = re.search(rf'id="(doc-\d+-{f["criterion"]}-clause)" lang="{doc["language"]}"', article)
            assert anchor, f["criterion"]
            assert f'data-copy="{anchor.group(1)}"' in article
            assert str(escape(f["suggestion"]["text"])) in article


def test_nothing_is_fetched_only_source_links_point_outside(several: tuple[str, dict[str, Any]]) -> None:
    html, report = several
    library = load_library()
    sources = {s.url for c in library.criteria for s in c.sources}
    outside = []
    for tag, attrs in tags(html):
        for name, value in attrs.items():
            if value and re.match(r"\s*(https?:)?//", value):
                outside.append((tag, name, value))
    assert outside, "the criteria's sources are links"
    assert all(tag == "a" and name == "href" and value in sources for tag, name, value in outside), outside
    assert not [t for t, a in tags(html) if t in ("link", "img", "iframe", "object", "embed") or (t == "script" and "src" in a)]
    assert "@import" not in html and not re.search(r"url\(\s*['\"]?(https?:)?//", html)


def test_overview_table_links_documents_and_shows_totals(several: tuple[str, dict[str, Any]]) -> None:
    html, report = several
    overview = re.search(r'<section class="card overview".*?</section>', html, flags=re.S)
    assert overview
    rows = re.findall(r"<tr>\s*<th scope=\"row\">.*?</tr>", overview.group(0), flags=re.S)
    assert len(rows) == len(report["documents"])
    for i, (row, doc) in enumerate(zip(rows, report["documents"]), 1):
        assert f'href="#doc-{i}"' in row and str(escape(doc["path"])) in row.replace("<wbr>", "")
        assert f'id="doc-{i}"' in html
    totals = re.search(r'<ul class="totals".*?</ul>', overview.group(0), flags=re.S)
    assert totals and f"<strong>{len(report['documents'])}</strong>" in totals.group(0)
    counts = report["summary"]["status_counts"]
    for status, n in counts.items():
        assert re.search(rf'st-{status}">.*?<strong>{n}</strong>', totals.group(0), flags=re.S), status


def test_one_document_has_no_overview(tmp_path: Path) -> None:
    html = check("html", DUTCH, out=tmp_path / "one.html")
    assert 'class="card overview"' not in html and len(articles(html)) == 1
    assert '<html lang="nl">' in html


def test_unreadable_document_shows_its_error(several: tuple[str, dict[str, Any]]) -> None:
    html, report = several
    doc = next(d for d in report["documents"] if d["path"] == ABSENT)
    article = articles(html)[report["documents"].index(doc)]
    assert 'role="alert"' in article and f"<code>{doc['error']['code']}</code>" in article
    # in the reader's words (the article's language), as the JSON words it for that language
    lang = re.search(r'<article[^>]* lang="(\w+)"', article).group(1)  # type: ignore[union-attr]
    assert str(escape(error_text(DocumentError(doc["error"]["code"], doc["error"]["message"]), lang))) in article
    assert 'class="error-cell"' in html


def test_ui_lang_switches_the_labels(tmp_path: Path) -> None:
    own = check("html", DUTCH, FRENCH, out=tmp_path / "own.html")
    french = check("html", DUTCH, FRENCH, ui_lang="fr", out=tmp_path / "fr.html")
    english = check("html", DUTCH, ui_lang="en", out=tmp_path / "en.html")
    assert '<html lang="nl">' in own and "Overzicht" in own
    dutch_doc, french_doc = articles(own)
    assert 'lang="nl"' in dutch_doc[:200] and "Gevonden passages" in dutch_doc
    assert 'lang="fr"' in french_doc[:200] and "Passages trouvés" in french_doc  # each document in its own language
    assert '<html lang="fr">' in french and "Vue d&#39;ensemble" in french and "Gevonden passages" not in french
    assert '<html lang="en">' in english and "Passages found" in english and "zwak" not in english


def test_document_text_is_escaped(tmp_path: Path) -> None:
    doc = tmp_path / "koffie <b>.txt"
    doc.write_text(ESCAPE_ME, encoding="utf-8")
    html = check("html", str(doc), out=tmp_path / "escaped.html")
    assert "<script>alert" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "koffie &lt;b&gt;.txt" in html
    assert len(re.findall(r"<script\b", html)) == 1  # the copy-button script, nothing else


# --- a real browser -------------------------------------------------------------------------


def _browser_or_skip() -> Any:
    missing = None
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing = "the playwright package is not installed (pip install -e '.[test]')"
    if missing is None and not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        missing = f"{CHROMIUM} is not installed (.ci/run installs it)"
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"browser test cannot run in CI: {missing}")
        pytest.skip(missing)
    return sync_playwright


def test_report_in_a_real_browser(several: tuple[str, dict[str, Any]], tmp_path: Path) -> None:
    sync_playwright = _browser_or_skip()
    html, report = several
    page_file = tmp_path / "report.html"
    page_file.write_text(html, encoding="utf-8")
    url = page_file.as_uri()
    executable = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
    console: list[str] = []
    errors: list[str] = []
    requests: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("request", lambda r: requests.append(r.url))
            page.route("**/*", lambda route: route.continue_() if route.request.url == url else route.abort())
            page.goto(url)
            page.wait_for_load_state("load")

            readable = [d for d in report["documents"] if d["error"] is None]
            tiles_ = page.locator(".tile")
            assert tiles_.count() == sum(len(d["findings"]) for d in readable)
            for i in range(tiles_.count()):
                tile = tiles_.nth(i)
                tile.scroll_into_view_if_needed()
                box = tile.bounding_box()
                assert tile.is_visible() and box and box["width"] > 100 and box["height"] > 30
                assert box["x"] >= 0 and box["x"] + box["width"] <= 1200
            mark = page.locator("mark").first
            mark.scroll_into_view_if_needed()
            assert mark.is_visible() and (mark.bounding_box() or {}).get("width", 0) > 5
            assert page.locator(".error[role=alert]").is_visible()
            assert page.locator(".overview table").is_visible()

            button = page.locator("button.copy").first
            button.scroll_into_view_if_needed()
            before = button.inner_text()
            button.click()
            page.wait_for_function("([b, t]) => b.innerText !== t", arg=[button.element_handle(), before], timeout=3000)
            assert button.inner_text() != before  # "Copied", or "Selected: press Ctrl+C" without clipboard access

            page.emulate_media(media="print")
            assert not button.is_visible()
        finally:
            browser.close()
    assert not errors, errors
    assert not console, console
    assert requests == [url], requests
