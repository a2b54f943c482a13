"""Measures detection against labelled samples, next to a naive keyword baseline.

The baseline says a criterion is present (and applies) as soon as any of its terms occurs
anywhere. It is what a plain search would do, and it is what the traps defeat: comparing
against it on the same documents shows what section awareness, traps and modality buy.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from .library import Library
from .matchers import Matchers
from .model import Presence, Report
from .pipeline import Options, check_paths


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, truth: bool, said: bool) -> None:
        if truth and said:
            self.tp += 1
        elif said:
            self.fp += 1
        elif truth:
            self.fn += 1
        else:
            self.tn += 1

    @property
    def false_alarm_rate(self) -> float:
        """Share of the pairs without a clause where one was said to be there."""
        return self.fp / (self.fp + self.tn) if self.fp + self.tn else 0.0

    def prf(self) -> tuple[float, float, float]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f


def _baseline(text: str, library: Library, matchers: Matchers, criterion_id: str) -> bool:
    crit = library.get(criterion_id)
    return any(matchers.criterion_set(crit, name).search(text) for name in crit.vocabulary)


def evaluate_folder(folder: Path, labels_path: Path | None, library: Library, details: bool = False) -> str:
    labels = json.loads((labels_path or folder / "labels.json").read_text(encoding="utf-8"))["documents"]
    paths = [str(folder / name) for name in sorted(labels)]
    report = check_paths(paths, library, Options())
    return format_scores(report, labels, library, details)


def format_scores(report: Report, labels: dict, library: Library, details: bool) -> str:  # type: ignore[type-arg]
    from .pipeline import _document_text

    matchers = Matchers(library)
    ids = [c.id for c in library.criteria]
    app = {c: Counts() for c in ids}
    pres = {c: Counts() for c in ids}
    base_app = {c: Counts() for c in ids}
    base_pres = {c: Counts() for c in ids}
    trap = {c: Counts() for c in ids}
    trap_base = {c: Counts() for c in ids}
    exact = {c: [0, 0] for c in ids}
    by_lang: dict[str, tuple[Counts, Counts, list[int]]] = {}  # presence, applicability, [exact, pairs]
    disagreements: list[str] = []
    failed = []
    for d in report.documents:
        truth = labels[Path(d.path).name]["criteria"]
        if d.error is not None:
            failed.append(f"{d.path}: {d.error.code}")
            continue
        text = _document_text(d.path)
        lang = labels[Path(d.path).name].get("language") or d.language or "?"
        lang_pres, lang_app, lang_exact = by_lang.setdefault(lang, (Counts(), Counts(), [0, 0]))
        for f in d.findings:
            t = truth.get(f.criterion)
            if t is None:
                continue
            said_present = f.presence is not Presence.ABSENT
            true_present = t["presence"] != "absent"
            base = _baseline(text, library, matchers, f.criterion)
            app[f.criterion].add(t["applies"], f.applies)
            pres[f.criterion].add(true_present, said_present)
            base_app[f.criterion].add(t["applies"], base)
            base_pres[f.criterion].add(true_present, base)
            exact[f.criterion][0] += f.presence.value == t["presence"]
            exact[f.criterion][1] += 1
            lang_pres.add(true_present, said_present)
            lang_app.add(t["applies"], f.applies)
            lang_exact[0] += f.presence.value == t["presence"] and f.applies == t["applies"]
            lang_exact[1] += 1
            if base and not true_present:  # the document holds the words but not the clause
                trap[f.criterion].add(true_present, said_present)
                trap_base[f.criterion].add(true_present, base)
            if f.applies != t["applies"] or f.presence.value != t["presence"]:
                disagreements.append(
                    f"  {Path(d.path).name:<34} {f.criterion:<16} said applies={f.applies!s:<5} presence={f.presence.value:<7}"
                    f" truth applies={t['applies']!s:<5} presence={t['presence']}"
                )
    lines = [f"{len(report.documents)} documents, {len(failed)} unreadable", "",
             f"{'criterion':<16} {'applies P/R/F1':>16} {'base F1':>8}   {'presence P/R/F1':>16} {'base F1':>8}   {'exact':>6}   {'trap docs: FP ours/base':>24}"]
    for c in ids:
        ap, ar, af = app[c].prf()
        pp, pr, pf = pres[c].prf()
        lines.append(
            f"{c:<16} {ap:.2f}/{ar:.2f}/{af:.2f} {base_app[c].prf()[2]:>8.2f}   {pp:.2f}/{pr:.2f}/{pf:.2f} {base_pres[c].prf()[2]:>8.2f}"
            f"   {exact[c][0]:>2}/{exact[c][1]:<3}   {trap[c].fp:>12}/{trap_base[c].fp:<3} of {trap[c].fp + trap[c].tn}"
        )
    lines += ["", f"{'language':<9} {'pairs':>5}   {'presence P/R/F1':>16}   {'false alarms':>14}   {'applicability':>13}   {'exact':>9}"]
    for lang, (lp, la, (ok, n)) in sorted(by_lang.items()):
        pp, pr, pf = lp.prf()
        lines.append(f"{lang:<9} {n:>5}   {pp:.2f}/{pr:.2f}/{pf:.2f}   {lp.fp:>3}/{lp.fp + lp.tn:<3} {lp.false_alarm_rate:>5.1%}"
                     f"   {(la.tp + la.tn) / max(1, n):>13.2f}   {ok:>4}/{n:<4}")
    lines += [f"  unreadable: {x}" for x in failed]
    if details and disagreements:
        lines += ["", "disagreements:"] + disagreements
    return "\n".join(lines)
