"""The `duediligence` command: a thin layer over the library API (exit codes: `exit_codes`)."""

from __future__ import annotations

import atexit
import os
import sys
from pathlib import Path

import click

from . import __version__
from .errors import LibraryError
from .exit_codes import EXIT_ERROR, EXIT_OK, FAIL_ON, exit_code
from .languages import Codes
from .library import LANGUAGES, Library, load_library
from .limits import DEFAULT_SECONDS
from .model import Report, Status
from .read import ReadLimits
from .report import FORMATS
from .usage import writable_target


def _criteria_list(value: str | None) -> list[str] | None:
    if not value:
        return None
    return [v.strip() for v in value.split(",") if v.strip()]


def _load(library_dirs: tuple[str, ...]) -> Library:
    try:
        return load_library([Path(p) for p in library_dirs])
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
@click.option("--lang", type=click.Choice(Codes("auto")), help="Document language (default: auto, detected per document).")
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
    from .read.ahead import take

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
    # The first file is read (in its child process) while this one imports the checker, resolves
    # the configuration and loads the library: a hook checking one template waits for the slower
    # of the two only. The console command began that reading before click was imported.
    reading = take(paths[0], limits, password, timeout or None)
    try:
        from .baseline import BaselineError, Baselines
        from .checker import Checker, Checkers, report_of
        from .config import ConfigError
        from .messages import error_text
        from .report import renderer
        from .settings import Settings, resolve_settings

        results = []
        fail_ons: list[str] = []
        baselines = Baselines()
        checkers = Checkers()
        first: tuple[Settings, Checker] | None = None
        for path in paths:
            try:
                settings = resolve_settings(path, flags, read_files=not no_config)
                checker = checkers.get(settings)
            except (ConfigError, LibraryError) as exc:
                raise click.ClickException(str(exc)) from None
            first = first or (settings, checker)
            result = checker.check(path, limits, password, timeout or None, reading)
            if result.error is not None:  # the log line: English detail, or the reader's words with --ui-lang
                said = f"{path}: {error_text(result.error, ui_lang)}" if ui_lang else result.error.message
                click.echo(f"duediligence: {said} [{result.error.code}]", err=True)
            if settings.baseline and not (write_baseline or no_baseline):
                try:
                    result = baselines.compare(result, Path(settings.baseline))
                except BaselineError as exc:
                    raise click.ClickException(str(exc)) from None
            results.append(result)
            fail_ons.append(settings.fail_on)
    finally:
        reading.close()
    assert first is not None
    library = first[1].library
    if write_baseline:
        try:
            results = baselines.record(Path(write_baseline), results, __version__, library.version)
        except BaselineError as exc:
            raise click.ClickException(str(exc)) from None
        click.echo(f"duediligence: {baselines.summary}", err=True)
    worst = max(exit_code(Report("", "", (), (r,)), f) for r, f in zip(results, fail_ons))
    report = report_of(results, first[1])
    to_terminal = output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    chosen = _report_format(output, first[0].format, fmt is not None) if output else first[0].format
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
    from .checker import Checkers
    from .config import ConfigError
    from .report.annotate import AnnotateError, same_file
    from .report.fix import fix_docx

    if same_file(Path(source), Path(output)):
        raise click.UsageError(f"-o {output}: must differ from the document")
    try:
        checker = Checkers().for_file(source, {"criteria": _criteria_list(criteria), "library": list(library_dirs) or None},
                                      read_files=not no_config)
    except (ConfigError, LibraryError) as exc:
        raise click.ClickException(str(exc)) from None
    library = checker.library
    result = checker.check(source)
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


def run() -> None:
    """The console command (and `python -m duediligence`): `main`, then the process ends
    without the interpreter's teardown.

    Freeing every module and object one by one costs a pre-commit hook 30-60 ms at every commit
    and changes nothing outside the process. So once `main` has exited with a status, the exit
    handlers (the caches written at exit) run and the output is flushed as at a normal exit,
    and the process ends there. Any other ending (an exception, Ctrl-C, a thread still running,
    a failed flush, a Python without `atexit._run_exitfuncs`) is left to the interpreter."""
    try:
        main()
    except SystemExit as exc:
        if not (exc.code is None or isinstance(exc.code, int)):
            raise
        code = exc.code or 0
    else:
        return
    run_exit_handlers = getattr(atexit, "_run_exitfuncs", None)
    threads = sys.modules.get("threading")
    if run_exit_handlers is None or (threads is not None and threads.active_count() > 1):
        sys.exit(code)
    run_exit_handlers()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed pipe: the interpreter reports it, as without this
        sys.exit(code)
    os._exit(code)


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
    from .library import Criterion, check_deferrals, load_common, load_criterion, builtin_library_dir, COMMON_FILE

    common = load_common(builtin_library_dir() / COMMON_FILE)
    files: list[Path] = []
    for p in map(Path, paths):
        files.extend(sorted(f for f in p.glob("*.y*ml") if not f.name.startswith("_")) if p.is_dir() else [p])
    loaded: list[tuple[Path, Criterion | LibraryError]] = []
    for f in files:
        try:
            loaded.append((f, load_criterion(f, common)))
        except LibraryError as exc:
            loaded.append((f, exc))
    # a file may defer to a built-in criterion or to another file validated with it
    known = {c.id for c in _load(()).criteria} | {c.id for _f, c in loaded if isinstance(c, Criterion)}
    errors = 0
    for f, crit in loaded:
        if isinstance(crit, Criterion):
            try:
                check_deferrals([crit], known)
            except LibraryError as exc:
                crit = exc
        if isinstance(crit, LibraryError):
            errors += 1
            click.echo(f"✗ {crit}", err=True)
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
