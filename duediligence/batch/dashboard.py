"""The HTML dashboard of a run: one self-contained file (inline CSS and SVG, no scripts, no CDN).

Coverage per criterion as stacked bars, failures, the documents worst first with a link to
each one's detail, and the trend of every criterion over the runs in the same database.
Geometry is computed here; the template only places it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .store import CodeCount, Coverage, Store

if TYPE_CHECKING:
    from ..library import Library

COLORS = {"ok": "#2e7d32", "weak": "#f2a900", "missing": "#c62828", "suppressed": "#757575", "not-applicable": "#e3e3e3"}
PALETTE = ("#1565c0", "#c62828", "#2e7d32", "#6a1b9a", "#ef6c00", "#00838f", "#5d4037", "#ad1457")
BAR_WIDTH = 520
TREND = {"width": 680, "height": 240, "left": 44, "right": 16, "top": 14, "bottom": 34}


@dataclass(frozen=True)
class Segment:
    status: str
    count: int
    x: float
    width: float
    color: str


def coverage_bars(coverage: list[Coverage]) -> list[dict[str, Any]]:
    bars = []
    for c in coverage:
        counts = [("ok", c.ok), ("weak", c.weak), ("missing", c.missing), ("suppressed", c.suppressed),
                  ("not-applicable", c.documents - c.applicable)]
        x = 0.0
        segments = []
        for status, n in counts:
            width = BAR_WIDTH * n / c.documents if c.documents else 0
            if n:
                segments.append(Segment(status, n, round(x, 2), round(width, 2), COLORS[status]))
            x += width
        bars.append({"coverage": c, "segments": segments})
    return bars


def code_rows(codes: list[CodeCount], lang: str = "en") -> list[dict[str, Any]]:
    """The eForms codes of a run with their SDK field names and labels in `lang`."""
    from ..eforms import code_lists

    lists = code_lists()
    rows = []
    for c in codes:
        field = lists.fields.get(c.field)
        rows.append({"count": c, "field_name": field.name.get(lang, "") if field else "",
                     "label": field.label(c.code, lang) if field else ""})
    return rows


def badness(doc: dict[str, Any]) -> tuple[int, int, int]:
    """Sort key, worst first: failed documents, then most missing, then most weak findings."""
    statuses = [f["status"] for f in doc.get("findings") or ()]
    return (0 if doc.get("error") else 1, -statuses.count("missing"), -statuses.count("weak"))


def trend_chart(store: Store, run_word: str = "run {run}") -> dict[str, Any] | None:
    runs = store.runs()
    series: dict[str, list[tuple[int, Coverage]]] = {}
    for i, run in enumerate(runs):
        for c in store.coverage(run.id):
            if c.applicable:
                series.setdefault(c.criterion, []).append((i, c))
    if not series:
        return None
    t = TREND
    plot_w = t["width"] - t["left"] - t["right"]
    plot_h = t["height"] - t["top"] - t["bottom"]

    def x(i: int) -> float:
        return round(t["left"] + (plot_w * i / (len(runs) - 1) if len(runs) > 1 else plot_w / 2), 1)

    def y(share: float) -> float:
        return round(t["top"] + plot_h * (1 - share), 1)

    lines = []
    for n, (criterion, points) in enumerate(sorted(series.items())):
        pts = [{"x": x(i), "y": y(c.ok / c.applicable), "run": runs[i].id, "ok": c.ok, "applicable": c.applicable}
               for i, c in points]
        lines.append({"criterion": criterion, "color": PALETTE[n % len(PALETTE)], "points": pts,
                      "polyline": " ".join(f"{p['x']},{p['y']}" for p in pts)})
    grid = [{"y": y(s / 100), "label": f"{s}%"} for s in (0, 25, 50, 75, 100)]
    ticks = [{"x": x(i), "label": run_word.format(run=r.id), "date": r.started_at[:10]} for i, r in enumerate(runs)]
    return {**t, "lines": lines, "grid": grid, "ticks": ticks, "runs": runs, "plot_right": t["width"] - t["right"]}


def render_dashboard(store: Store, run_id: int, lang: str = "en", library: "Library | None" = None) -> str:
    """The dashboard in `lang`: its own words, status words, criterion and element names (with
    the library) and each document's reasons, discounts and suggestions re-worded (`report.localize`)."""
    import jinja2

    from ..messages import dashboard_words, error_text, label
    from ..model import DocumentError, Status
    from ..report.json_load import document_from_dict
    from ..report.json_report import finding_dict
    from ..report.localize import localize

    run = store.run(run_id)
    documents = list(store.document_dicts(run_id))
    paths = [d["path"] for d in documents]
    root = os.path.commonpath(paths) if len(paths) > 1 else os.path.dirname(paths[0]) if paths else ""
    for n, doc in enumerate(documents):
        doc["anchor"] = f"doc-{n + 1}"
        doc["label"] = os.path.relpath(doc["path"], root) if root else doc["path"]
        statuses = [f["status"] for f in doc["findings"]]
        doc["counts"] = {s: statuses.count(s) for s in ("ok", "weak", "missing")}
        if doc.get("error"):
            doc["error_text"] = error_text(DocumentError(doc["error"]["code"], doc["error"]["message"]), lang)
        elif library is not None:
            doc["findings"] = [finding_dict(f) for f in localize(document_from_dict(doc), library, lang).findings]
    worst = sorted(documents, key=lambda d: (*badness(d), d["label"]))
    env = jinja2.Environment(loader=jinja2.PackageLoader("duediligence.batch", "."), autoescape=True,
                             trim_blocks=True, lstrip_blocks=True)
    template = env.get_template("dashboard.html.j2")
    coverage = store.coverage(run_id)
    known = {c.id: c for c in (*library.criteria, *library.deferred)} if library is not None else {}
    names = {ident: c.name.get(lang) for ident, c in known.items()}

    def element_names(f: dict[str, Any]) -> list[str]:
        crit = known.get(f["criterion"])
        words = {e.id: e.name.get(lang) for e in crit.elements} if crit else {}
        return [words.get(e, e) for e in f["suggestion"]["missing_elements"]]

    rank = {s.value: i for i, s in enumerate((Status.MISSING, Status.WEAK, Status.OK, Status.SUPPRESSED, Status.NOT_APPLICABLE))}
    w = dashboard_words(lang)
    return template.render(
        run=run, totals=store.totals(run_id), bars=coverage_bars(coverage), bar_width=BAR_WIDTH, colors=COLORS,
        codes=code_rows(store.code_counts(run_id), lang),
        documents=worst, failed=[d for d in worst if d.get("error")], root=root, trend=trend_chart(store, w["run"]),
        lang=lang, w=w, names=names, statuses={s: label(f"status-{s}", lang) for s in COLORS},
        element_names=element_names, urgent=lambda findings: sorted(findings, key=lambda f: rank.get(f["status"], 9)))
