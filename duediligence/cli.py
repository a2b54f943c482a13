"""The `duediligence` command: a thin layer over the library API.

Exit codes (the linter contract users know from ruff and sqlfluff), decided in one place:
0 nothing at or above --fail-on, 1 such findings, 2 a usage error or an input that could not
be read (the other inputs are still checked and reported).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from . import __version__
from .errors import LibraryError
from .library import LANGUAGES, Library, load_library
from .limits import DEFAULT_SECONDS
from .model import Report, Status
from .read import ReadLimits
from .report import FORMATS

if TYPE_CHECKING:
    from .config import Config
    from .matchers import Matchers

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
FAIL_ON: dict[str, set[Status]] = {"missing": {Status.MISSING}, "weak": {Status.MISSING, Status.WEAK}, "never": set()}


def exit_code(report: Report, fail_on: str) -> int:
    """Findings a baseline covers never fail a run; only new or worse ones do."""
    from .baseline import reported

    if any(d.error is not None for d in report.documents):
        return EXIT_ERROR
    failing = FAIL_ON[fail_on]
    if any(f.status in failing for d in report.documents for f in reported(d)):
        return EXIT_FINDINGS
    return EXIT_OK


def _criteria_list(value: str | None) -> list[str] | None:
    if not value:
        return None
    return [v.strip() for v in value.split(",") if v.strip()]


def _load(library_dirs: tuple[str, ...], criteria: list[str] | None = None) -> Library:
    try:
        return load_library([Path(p) for p in library_dirs], only=criteria)
    except LibraryError as exc:
        raise click.ClickException(str(exc)) from None


class _Group(click.Group):
    """Turns a ClickException into exit code 2 with one line, never a traceback."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except click.ClickException as exc:
            if isinstance(exc, click.UsageError):
                raise
            click.echo(f"duediligence: {exc.format_message()}", err=True)
            ctx.exit(EXIT_ERROR)


def writable_target(option: str, path: str) -> None:
    """A usage error, before any work, when `path` cannot be written: its folder is missing or
    it is a folder. (Found out only after the analysis, the results were lost in a traceback.)"""
    folder = os.path.dirname(os.path.abspath(path))
    if os.path.isdir(path):
        raise click.UsageError(f"{option} {path}: is a folder; give a file name")
    if not os.path.isdir(folder):
        raise click.UsageError(f"{option} {path}: the folder {folder} does not exist")
    if not os.access(folder, os.W_OK):
        raise click.UsageError(f"{option} {path}: the folder {folder} may not be written")


def _report_format(output: str, config_format: str, from_command_line: bool) -> str:
    """--format when given, else the format `-o`'s extension names, else the configuration's."""
    from .report import EXTENSIONS, format_of

    if from_command_line:
        return config_format
    named = format_of(output)
    if named is not None:
        return named
    ext = os.path.splitext(output)[1].lower()
    if ext in (".pdf", ".docx", ".doc", ".odt", ".xlsx", ".csv"):
        names = ", ".join(sorted({e for e, f in EXTENSIONS.items() if e in (".html", ".json", ".md", ".sarif", ".txt")}))
        raise click.UsageError(f"-o {output}: {ext} is not a report format; end the name in {names}, or give --format")
    return config_format


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="duediligence")
def main() -> None:
    """Check tender documents for sustainability clauses and say what to add."""


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(list(FORMATS)), help="Report format (default: text, or the configuration's).")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), help="Write the report here instead of stdout.")
@click.option("--lang", type=click.Choice(["auto", *LANGUAGES]), help="Document language (default: auto, detected per document).")
@click.option("--ui-lang", type=click.Choice(LANGUAGES), help="Language of the report text (default: the document's).")
@click.option("--criteria", help="Comma-separated criterion ids to check (default: all).")
@click.option("--library", "library_dirs", multiple=True, type=click.Path(exists=True, file_okay=False),
              help="Extra clause-library folder (repeatable).")
@click.option("--fail-on", type=click.Choice(list(FAIL_ON)),
              help="Exit 1 when a finding has this status or worse (default: missing).")
@click.option("--password", help="Password for encrypted PDFs.")
@click.option("--quiet", "-q", is_flag=True, help="Show only weak and missing findings.")
@click.option("--no-suppress", is_flag=True, help="Ignore `duediligence: ignore` lines and show every finding.")
@click.option("--no-config", is_flag=True, help="Do not read .duediligence.toml or pyproject.toml.")
@click.option("--timeout", type=click.FloatRange(min=0), default=DEFAULT_SECONDS, show_default=True,
              help="Seconds per document before it is reported as `timeout` (0: no limit).")
@click.option("--ocr", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True,
              help="Read scanned PDFs with tesseract: when there is no text layer, always, or never.")
@click.option("--max-pages", type=click.IntRange(1), default=ReadLimits.max_pages, show_default=True,
              help="Refuse PDFs with more pages (error too-large).")
@click.option("--max-file-mb", type=click.IntRange(1), default=ReadLimits.max_file_bytes // 2**20, show_default=True,
              help="Refuse larger files.")
@click.option("--max-unzipped-mb", type=click.IntRange(1), default=ReadLimits.max_decompressed_bytes // 2**20,
              show_default=True, help="Refuse DOCX files that expand to more (zip bombs), before expanding them.")
@click.option("--max-text-chars", type=click.IntRange(1000), default=ReadLimits.max_text_chars, show_default=True,
              help="Refuse documents with more text.")
@click.option("--max-memory-mb", type=click.IntRange(64), default=ReadLimits.max_memory_bytes // 2**20, show_default=True,
              help="Refuse documents whose reading needs more memory (error too-large).")
@click.option("--annotate", type=click.Path(dir_okay=False),
              help="Also write a copy of the (single, DOCX) tender with the findings as Word comments.")
@click.option("--baseline", "baseline_file", type=click.Path(dir_okay=False),
              help="Report only findings that are new or worse than in this baseline file (default: the configuration's).")
@click.option("--write-baseline", type=click.Path(dir_okay=False),
              help="Record the findings of PATHS in this baseline file; entries of other documents that still exist stay.")
@click.option("--no-baseline", is_flag=True, help="Ignore the configured baseline and report every finding.")
def check(paths: tuple[str, ...], fmt: str | None, output: str | None, lang: str | None, ui_lang: str | None,
          criteria: str | None, library_dirs: tuple[str, ...], fail_on: str | None, password: str | None, quiet: bool,
          no_suppress: bool, no_config: bool, timeout: float, ocr: str, max_pages: int, max_file_mb: int,
          max_unzipped_mb: int, max_text_chars: int, max_memory_mb: int, annotate: str | None,
          baseline_file: str | None, write_baseline: str | None, no_baseline: bool) -> None:
    """Check tender documents (PDF, DOCX, text, Markdown)."""
    from .baseline import BaselineError, Baselines
    from .config import ConfigError, Config, resolve
    from .pipeline import Options, check_document
    from .report import renderer

    if output:  # usage errors before any work
        writable_target("-o", output)
    if annotate:
        from .report.annotate import same_file

        if len(paths) != 1:
            raise click.UsageError("--annotate needs exactly one document")
        if same_file(Path(paths[0]), Path(annotate)) or (output and same_file(Path(output), Path(annotate))):
            raise click.UsageError(f"--annotate {annotate}: must differ from the document and from --output")
        writable_target("--annotate", annotate)
    if sum(map(bool, (baseline_file, write_baseline, no_baseline))) > 1:
        raise click.UsageError("give only one of --baseline, --write-baseline and --no-baseline")

    limits = ReadLimits(max_file_bytes=max_file_mb * 2**20, max_pages=max_pages,
                        max_decompressed_bytes=max_unzipped_mb * 2**20, max_text_chars=max_text_chars,
                        max_memory_bytes=max_memory_mb * 2**20, ocr=ocr)
    flags = {"criteria": _criteria_list(criteria), "library": list(library_dirs) or None, "fail-on": fail_on,
             "language": lang, "format": fmt, "suppress": False if no_suppress else None,
             "baseline": str(Path(baseline_file).resolve()) if baseline_file else None}
    if output:
        _report_format(output, fmt or "text", fmt is not None)  # an unwritable format is refused before any work
    results = []
    fail_ons: list[str] = []
    libraries: _Libraries = {}
    baselines = Baselines()
    first: Config | None = None
    for path in paths:
        try:
            config = resolve(Path(path), flags, read_files=not no_config)
        except ConfigError as exc:
            raise click.ClickException(str(exc)) from None
        first = first or config
        library, matchers = _library_for(config, libraries)
        options = Options(language=config["language"], password=password, suppress=config["suppress"],
                          expected=tuple(config["expect"]), limits=limits, timeout=timeout or None)
        result = check_document(path, library, matchers, options)
        if result.error is not None:
            click.echo(f"duediligence: {result.error.message} [{result.error.code}]", err=True)
        if config["baseline"] and not (write_baseline or no_baseline):
            try:
                result = baselines.compare(result, Path(config["baseline"]))
            except BaselineError as exc:
                raise click.ClickException(str(exc)) from None
        results.append(result)
        fail_ons.append(config["fail-on"])
    assert first is not None
    library = next(iter(libraries.values()))[0]
    if write_baseline:
        try:
            results = baselines.record(Path(write_baseline), results, __version__, library.version)
        except BaselineError as exc:
            raise click.ClickException(str(exc)) from None
        click.echo(f"duediligence: {baselines.summary}", err=True)
    worst = max(exit_code(Report("", "", (), (r,)), f) for r, f in zip(results, fail_ons))
    report = Report(__version__, library.version, tuple(c.id for c in library.criteria), tuple(results))
    to_terminal = output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    chosen = _report_format(output, first["format"], fmt is not None) if output else first["format"]
    text = renderer(chosen)(report, library=library, color=to_terminal, ui_lang=ui_lang, quiet=quiet, width=_width())
    if output:
        try:
            Path(output).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise click.ClickException(f"-o {output}: the report could not be written ({exc.strerror or exc})") from None
    else:
        click.echo(text, nl=False)
    if annotate:
        from .report.annotate import AnnotateError, annotate_docx

        try:
            written = annotate_docx(Path(paths[0]), results[0], library, Path(annotate), ui_lang)
            click.echo(f"duediligence: annotated copy written to {annotate} ({written} comment{'s' * (written != 1)})", err=True)
        except AnnotateError as exc:
            click.echo(f"duediligence: {exc}", err=True)
            worst = EXIT_ERROR
    sys.exit(worst)


_Libraries = dict[tuple[tuple[str, ...], tuple[str, ...]], tuple[Library, "Matchers"]]


def _library_for(config: "Config", libraries: _Libraries) -> tuple[Library, "Matchers"]:
    """The library and compiled matchers a file's configuration asks for, loaded once per distinct
    configuration (criteria, ignore, extra folders)."""
    from .matchers import Matchers

    wanted = [c for c in (config["criteria"] or []) if c not in config["ignore"]]
    key = (tuple(config["library"]), tuple(wanted) + tuple(f"-{i}" for i in config["ignore"]))
    if key not in libraries:
        library = _load(tuple(config["library"]), wanted or None)
        if config["ignore"]:
            library = library.without(config["ignore"])
        libraries[key] = (library, Matchers(library))
    return libraries[key]


@main.command()
@click.argument("source", type=click.Path(dir_okay=False))
@click.option("--output", "-o", required=True, type=click.Path(dir_okay=False), help="Where to write the fixed copy (.docx).")
@click.option("--ui-lang", type=click.Choice(LANGUAGES), help="Language of the comments (default: the document's).")
@click.option("--criteria", help="Comma-separated criterion ids to check (default: all).")
@click.option("--library", "library_dirs", multiple=True, type=click.Path(exists=True, file_okay=False),
              help="Extra clause-library folder (repeatable).")
@click.option("--no-config", is_flag=True, help="Do not read .duediligence.toml or pyproject.toml.")
def fix(source: str, output: str, ui_lang: str | None, criteria: str | None, library_dirs: tuple[str, ...],
        no_config: bool) -> None:
    """Write a copy of a DOCX tender with each missing model clause as a tracked change.

    Word shows the clauses as insertions by "duediligence", in the execution conditions where
    the report says they belong, for the buyer to accept or reject; weak passages get a comment
    saying what to add. The original is never modified.
    """
    from .config import ConfigError, resolve
    from .pipeline import Options, check_document
    from .report.annotate import AnnotateError, same_file
    from .report.fix import fix_docx

    if same_file(Path(source), Path(output)):
        raise click.UsageError(f"-o {output}: must differ from the document")
    try:
        config = resolve(Path(source), {"criteria": _criteria_list(criteria), "library": list(library_dirs) or None},
                         read_files=not no_config)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None
    library, matchers = _library_for(config, {})
    options = Options(language=config["language"], suppress=config["suppress"], expected=tuple(config["expect"]))
    result = check_document(source, library, matchers, options)
    if result.error is not None:
        raise click.ClickException(f"{result.error.message} [{result.error.code}]")
    try:
        outcome = fix_docx(Path(source), result, library, Path(output), ui_lang)
    except AnnotateError as exc:
        raise click.ClickException(str(exc)) from None
    inserted = [f.criterion for f in result.findings if f.status is Status.MISSING]
    click.echo(f"duediligence: fixed copy written to {output}: {outcome.insertions} tracked insertion"
               f"{'s' * (outcome.insertions != 1)}{' (' + ', '.join(inserted) + ')' if inserted else ''}, "
               f"{outcome.comments} comment{'s' * (outcome.comments != 1)}", err=True)


@main.command("config")
@click.argument("path", type=click.Path(exists=True), default=".")
def show_config(path: str) -> None:
    """Print the effective configuration for PATH and where each value comes from."""
    from .config import ConfigError, resolve

    try:
        click.echo(resolve(Path(path)).describe())
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None


def _width() -> int:
    try:
        return max(60, min(120, os.get_terminal_size().columns))
    except OSError:
        return 100


@main.group()
def library() -> None:
    """List, show and validate clause-library criteria."""


@library.command("list")
@click.option("--library", "library_dirs", multiple=True, type=click.Path(exists=True, file_okay=False))
def library_list(library_dirs: tuple[str, ...]) -> None:
    """List the criteria with their ids, severity and summary."""
    lib = _load(library_dirs)
    click.echo(f"clause library {lib.version} ({len(lib.criteria)} criteria)")
    for c in lib.criteria:
        click.echo(f"  {c.id:<18} {c.severity:<7} {c.summary.en}")


@library.command("show")
@click.argument("ident")
@click.option("--lang", type=click.Choice(LANGUAGES), default="en", show_default=True)
@click.option("--library", "library_dirs", multiple=True, type=click.Path(exists=True, file_okay=False))
def library_show(ident: str, lang: str, library_dirs: tuple[str, ...]) -> None:
    """Show one criterion: when it applies, its elements and traps."""
    click.echo(_describe(ident, lang, library_dirs))


def _describe(ident: str, lang: str, library_dirs: tuple[str, ...]) -> str:
    from .explain import describe

    lib = _load(library_dirs)
    try:
        return describe(lib.get(ident), lib, lang)
    except KeyError as exc:
        raise click.ClickException(str(exc.args[0])) from None


@library.command("validate")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
def library_validate(paths: tuple[str, ...]) -> None:
    """Validate criterion files or folders; exit 2 on the first invalid file."""
    from .library import load_common, load_criterion, builtin_library_dir, COMMON_FILE

    common = load_common(builtin_library_dir() / COMMON_FILE)
    files: list[Path] = []
    for p in map(Path, paths):
        files.extend(sorted(f for f in p.glob("*.y*ml") if not f.name.startswith("_")) if p.is_dir() else [p])
    errors = 0
    for f in files:
        try:
            crit = load_criterion(f, common)
        except LibraryError as exc:
            errors += 1
            click.echo(f"✗ {exc}", err=True)
        else:
            click.echo(f"✓ {f}: {crit.id} ({len(crit.elements)} elements, {len(crit.vocabulary)} term sets)")
    sys.exit(EXIT_ERROR if errors else EXIT_OK)


@main.command("eval")
@click.argument("folder", type=click.Path(exists=True, file_okay=False))
@click.option("--labels", type=click.Path(exists=True, dir_okay=False), help="Truth file (default: FOLDER/labels.json).")
@click.option("--details", is_flag=True, help="List every disagreement with the labels.")
def evaluate(folder: str, labels: str | None, details: bool) -> None:
    """Precision, recall and F1 per criterion against labelled samples, beside a keyword baseline."""
    from .evaluate import evaluate_folder

    lib = _load(())
    click.echo(evaluate_folder(Path(folder), Path(labels) if labels else None, lib, details))


@main.command()
@click.argument("ident")
@click.option("--lang", type=click.Choice(LANGUAGES), default="nl", show_default=True)
@click.option("--library", "library_dirs", multiple=True, type=click.Path(exists=True, file_okay=False))
def explain(ident: str, lang: str, library_dirs: tuple[str, ...]) -> None:
    """What a criterion checks, when it applies, what a complete clause holds, and its model clause."""
    click.echo(_describe(ident, lang, library_dirs))


from .batch.command import audit, history  # noqa: E402  (batch audits; registered last, imports stay lazy)
from .web.command import serve, users  # noqa: E402  (the web page; its libraries load only when it starts)
main.add_command(audit); main.add_command(history); main.add_command(serve); main.add_command(users)
