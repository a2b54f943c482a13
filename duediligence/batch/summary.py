"""Plain-text views of the database: the closing summary of a run, `history` and `history --trend`."""

from __future__ import annotations

from .store import CodeCount, Coverage, Run, RunTotals, Store


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "–"


def coverage_lines(coverage: list[Coverage]) -> list[str]:
    if not coverage:
        return ["  (no findings)"]
    width = max(len(c.criterion) for c in coverage)
    lines = [f"  {'criterion':<{width}}  applicable      ok    weak  missing  ok share"]
    for c in coverage:
        lines.append(f"  {c.criterion:<{width}}  {c.applicable:>5}/{c.documents:<5} {c.ok:>5}   {c.weak:>5}  {c.missing:>7}"
                     f"  {percent(c.ok, c.applicable):>8}" + (f"  ({c.suppressed} suppressed)" if c.suppressed else ""))
    return lines


def code_lines(codes: list[CodeCount]) -> list[str]:
    """Per eForms code: documents whose clauses justify it, whose clause is weak, whose clause is missing."""
    from ..eforms import code_lists

    if not codes:
        return ["  (no eForms codes)"]
    lists = code_lists()
    width = max(len(f"{c.field} {c.code}") for c in codes)
    lines = [f"  {'code':<{width}}  ticked  not yet  once inserted"]
    for c in codes:
        name = lists.fields[c.field].label(c.code, "en") if c.field in lists.fields else ""
        lines.append(f"  {c.field + ' ' + c.code:<{width}}  {c.ticked:>6}  {c.not_yet:>7}  {c.once_inserted:>13}  {name}")
    return lines


def run_summary(run: Run, totals: RunTotals, coverage: list[Coverage], *, skipped: int, analysed_now: int,
                cached_now: int, seconds: float, resumed: bool, db_path: str, codes: list[CodeCount],
                skip_reasons: tuple[tuple[str, int], ...] = ()) -> str:
    lines = [
        f"audit run {run.id}{' (resumed)' if resumed else ''}: {totals.documents} documents, {totals.pages:,} pages"
        f" · this session {analysed_now} analysed, {cached_now} from the cache in {seconds:.1f} s"
        + (f" · {skipped} other files skipped" if skipped else ""),
        *([f"skipped: {'; '.join(f'{n} {why}' for why, n in skip_reasons)}"] if skip_reasons else []),
        "failures: " + (", ".join(f"{n} {code}" for code, n in totals.failures.items()) if totals.failures else "none"),
        "coverage per criterion:",
        *coverage_lines(coverage),
        "in the notice (documents that could tick each eForms code; once inserted: if the missing clause were added):",
        *code_lines(codes),
        f"database: {db_path} (run {run.id}; `duediligence history` lists runs)",
    ]
    return "\n".join(lines) + "\n"


def overall(coverage: list[Coverage]) -> str:
    applicable = sum(c.applicable for c in coverage)
    ok = sum(c.ok for c in coverage)
    return f"{percent(ok, applicable)} ok of {applicable} applicable"


def history(store: Store) -> str:
    runs = store.runs()
    if not runs:
        return f"no runs in {store.path}\n"
    lines = [f"{'run':>4}  {'started':<19}  {'status':<11}  {'documents':>9}  {'failed':>6}  {'cached':>6}  coverage"]
    for run in runs:
        totals = store.totals(run.id)
        lines.append(f"{run.id:>4}  {run.started_at:<19}  {run.status:<11}  {totals.documents:>9}  {totals.failed:>6}"
                     f"  {totals.cached:>6}  {overall(store.coverage(run.id))}")
    return "\n".join(lines) + "\n"


def notice_trend(store: Store) -> str:
    """Documents that could tick each eForms code (rows) over runs (columns)."""
    runs = store.runs()
    cells: dict[str, dict[int, str]] = {}
    for run in runs:
        documents = store.totals(run.id).documents
        for c in store.code_counts(run.id):
            cells.setdefault(f"{c.field} {c.code}", {})[run.id] = f"{c.ticked} of {documents}"
    return _over_runs(store, runs, "code", cells, "documents whose clauses justify ticking the code in the eForms notice")


def trend(store: Store) -> str:
    """Ok share of applicable documents per criterion (rows) over runs (columns)."""
    runs = store.runs()
    cells: dict[str, dict[int, str]] = {}
    for run in runs:
        for c in store.coverage(run.id):
            cells.setdefault(c.criterion, {})[run.id] = f"{percent(c.ok, c.applicable)} of {c.applicable}"
    return _over_runs(store, runs, "criterion", dict(sorted(cells.items())), "ok share of the documents the criterion applies to")


def _over_runs(store: Store, runs: list[Run], head: str, cells: dict[str, dict[int, str]], footnote: str) -> str:
    """A table of rows (criteria, codes) over runs, one column per run with its date."""
    if not runs:
        return f"no runs in {store.path}\n"
    width = max([len(head), *map(len, cells)])
    lines = [f"{head:<{width}}" + "".join(f"  {'run ' + str(r.id):>14}" for r in runs),
             f"{'':<{width}}" + "".join(f"  {r.started_at[:10]:>14}" for r in runs)]
    for row, values in cells.items():
        lines.append(f"{row:<{width}}" + "".join(f"  {values.get(r.id, ''):>14}" for r in runs))
    lines.append(f"({footnote})")
    return "\n".join(lines) + "\n"
