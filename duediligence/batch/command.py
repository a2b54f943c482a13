"""`duediligence audit` and `duediligence history`: the click layer over `runner` and `store`.

Only click is imported at module level, so registering these commands costs `--help` and
`check` nothing.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..languages import TEXT_LANGUAGES, Codes
from ..limits import DEFAULT_SECONDS

if TYPE_CHECKING:
    from collections.abc import Callable

    from ..library import Library
    from .store import Store

OUTPUT_FORMATS = ("csv", "jsonl", "html")


@click.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--jobs", "-j", type=click.IntRange(min=0), default=0, help="Worker processes (default: all cores).")
@click.option("--timeout", type=click.FloatRange(min=0), default=DEFAULT_SECONDS, show_default=True,
              help="Seconds per document before it is recorded as `timeout` (0: no limit).")
@click.option("--db", "db_path", type=click.Path(dir_okay=False), default="duediligence.db", show_default=True,
              help="SQLite database with runs, documents, findings and errors.")
@click.option("--format", "fmt", type=click.Choice(OUTPUT_FORMATS),
              help="Also write the run as CSV, JSON Lines or an HTML dashboard (default: from --output's extension).")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), help="Write that output here instead of stdout.")
@click.option("--no-cache", is_flag=True, help="Analyse every document, even when an identical result is stored.")
@click.option("--executor", type=click.Choice(["local", "dask"]), default="local", show_default=True)
@click.option("--scheduler", metavar="ADDRESS", help="Dask scheduler address for --executor dask (tcp://host:8786).")
@click.option("--criteria", help="Comma-separated criterion ids to check (default: all).")
@click.option("--lang", type=click.Choice(Codes("auto")), help="Document language (default: detected).")
@click.option("--library", "library_dirs", multiple=True, type=click.Path(exists=True, file_okay=False),
              help="Extra clause-library folder (repeatable).")
@click.option("--fail-on", type=click.Choice(["missing", "weak", "never"]), help="Exit 1 on findings this bad (default: missing).")
@click.option("--password", help="Password for encrypted PDFs.")
@click.option("--no-suppress", is_flag=True, help="Ignore `duediligence: ignore` lines in documents.")
@click.option("--no-config", is_flag=True, help="Do not read .duediligence.toml or pyproject.toml.")
@click.option("--quiet", "-q", is_flag=True, help="No progress display.")
@click.option("--exclude", multiple=True, metavar="PATTERN",
              help="Skip files under folders and globs whose path ends like this (README.md, drafts/*); repeatable, "
                   "added to the configuration's exclude.")
@click.option("--ui-lang", type=click.Choice(TEXT_LANGUAGES), default="en", show_default=True,
              help="Language of the HTML dashboard.")
def audit(paths: tuple[str, ...], jobs: int, timeout: float, db_path: str, fmt: str | None, output: str | None,
          no_cache: bool, executor: str, scheduler: str | None, criteria: str | None, lang: str | None,
          library_dirs: tuple[str, ...], fail_on: str | None, password: str | None, no_suppress: bool, no_config: bool,
          quiet: bool, exclude: tuple[str, ...], ui_lang: str) -> None:
    """Audit many documents: folders (recursively), globs and files, in parallel, recorded in a database.

    Running the same command again resumes an interrupted run; documents whose bytes, tool
    version and clause library are unchanged are copied from earlier runs.
    """
    from ..usage import writable_target
    from ..config import ConfigError
    from ..exit_codes import documents_exit_code
    from ..errors import LibraryError
    from ..library import load_library
    from ..settings import resolve_settings, select
    from .pool import RunnerError
    from .progress import for_stream
    from .runner import AuditRequest, audit as run_audit
    from .settings import AuditSettings
    from .store import Store, StoreError
    from .summary import run_summary

    fmt = fmt or _format_from_name(output)
    if output and fmt is None:  # it wrote nothing and said nothing
        raise click.UsageError(f"-o {output}: the name does not say which output to write; end it in .csv, .jsonl "
                               "or .html, or give --format")
    for option, target in (("-o", output), ("--db", db_path)):
        if target:
            writable_target(option, target)
    flags = {"criteria": [c.strip() for c in criteria.split(",") if c.strip()] if criteria else None,
             "library": [os.path.abspath(d) for d in library_dirs] or None, "fail-on": fail_on, "language": lang,
             "suppress": False if no_suppress else None}
    anchor = Path(paths[0]) if os.path.exists(paths[0]) else Path.cwd()
    try:
        try:
            config = resolve_settings(anchor, flags, read_files=not no_config)  # the run's; each file resolves its own
        except ConfigError as exc:  # the documents it governs get its error; the others are checked
            click.echo(f"duediligence: {exc} (the documents under it are recorded with this error)", err=True)
            config = resolve_settings(anchor, flags, read_files=False)
        select(load_library([Path(d) for d in config.library]), config)  # unknown ids, named with their source
    except (ConfigError, LibraryError) as exc:
        raise click.ClickException(str(exc)) from None
    request = AuditRequest(inputs=paths, settings=AuditSettings.from_settings(config, password), db_path=db_path,
                           jobs=jobs, timeout=timeout or None, use_cache=not no_cache, executor=executor,
                           scheduler=scheduler, read_config=not no_config, command_line=flags,
                           exclude=config.exclude + exclude)
    try:
        outcome = run_audit(request, for_stream(sys.stderr, quiet=quiet))
    except (RunnerError, StoreError, LibraryError, ConfigError) as exc:
        raise click.ClickException(str(exc)) from None
    for missing in outcome.missing_inputs:
        click.echo(f"duediligence: {missing}: no such file, folder or matching pattern [not-found]", err=True)
    text = run_summary(outcome.run, outcome.totals, outcome.coverage, skipped=outcome.skipped,
                       skip_reasons=outcome.skip_reasons,
                       analysed_now=outcome.analysed_now, cached_now=outcome.cached_now, seconds=outcome.seconds,
                       resumed=outcome.resumed, db_path=db_path, codes=outcome.codes)
    with Store(db_path) as store:
        if fmt:
            _write_output(store, outcome.run.id, fmt, output, ui_lang, lambda: select(load_library([Path(d) for d in config.library]), config))
        statuses = store.statuses_by_path(outcome.run.id)
    click.echo(text, nl=False, err=bool(fmt and not output))

    def fail_on_of(path: str) -> str:
        """The fail-on of the configuration governing `path`, as `check` resolves it per file."""
        try:
            return resolve_settings(path, flags, read_files=not no_config).fail_on
        except ConfigError:  # that document was recorded with a `config` error: the run exits 2 anyway
            return config.fail_on

    sys.exit(documents_exit_code(bool(outcome.totals.failed), statuses, fail_on_of))


def _format_from_name(output: str | None) -> str | None:
    if not output:
        return None
    ext = os.path.splitext(output)[1].lower().lstrip(".")
    return {"htm": "html", "ndjson": "jsonl"}.get(ext, ext) if ext in (*OUTPUT_FORMATS, "htm", "ndjson") else None


def _write_output(store: "Store", run_id: int, fmt: str, output: str | None, lang: str = "en",
                  library: "Callable[[], Library] | None" = None) -> None:
    from .outputs import write_csv, write_jsonl

    if fmt == "html":
        from .dashboard import render_dashboard

        text = render_dashboard(store, run_id, lang, library() if library else None)
        if output:
            Path(output).write_text(text, encoding="utf-8")
        else:
            click.echo(text, nl=False)
        return
    writer = write_csv if fmt == "csv" else write_jsonl
    if output:
        with open(output, "w", encoding="utf-8", newline="") as fh:
            writer(store.document_dicts(run_id), fh)
    else:
        writer(store.document_dicts(run_id), sys.stdout)


@click.command()
@click.option("--db", "db_path", type=click.Path(dir_okay=False), default="duediligence.db", show_default=True)
@click.option("--trend", is_flag=True, help="Coverage per criterion over the runs instead of the list of runs.")
@click.option("--notice", is_flag=True, help="Documents that could tick each eForms code, over the runs.")
def history(db_path: str, trend: bool, notice: bool) -> None:
    """List the audit runs in the database, or coverage per criterion (--trend) or eForms codes (--notice) over runs."""
    from .store import Store, StoreError
    from .summary import history as list_runs, notice_trend, trend as coverage_trend

    if not os.path.exists(db_path):
        raise click.ClickException(f"{db_path}: no audit database here (give --db FILE)")
    try:
        with Store(db_path) as store:
            click.echo(notice_trend(store) if notice else coverage_trend(store) if trend else list_runs(store), nl=False)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
