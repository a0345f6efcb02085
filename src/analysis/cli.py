"""The ``analysis`` command line.

Heavy libraries (pandas, pandera, papermill, nbconvert) are imported inside the commands, so
``analysis --help`` answers fast.

Exit codes: 0 success; 1 invalid data or a notebook failed; 2 bad usage or input (unknown
notebook or parameter, a value of the wrong type) or the reports folder is locked by another run;
130 interrupted (Ctrl-C or SIGTERM; the previous report is left as it was).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

__all__ = ["main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="analysis")
def main() -> None:
    """AI market concentration suite: validate and build the data, run the notebook report."""


@main.group()
def data() -> None:
    """Validate data/raw and build data/processed."""


@data.command("validate")
def data_validate() -> None:
    """Check every raw table; print every problem as `file:line column value -> rule`."""
    from analysis.data.sources import validate
    from analysis.paths import project_paths

    paths = project_paths()
    raw = validate(paths)
    if raw.problems:
        for problem in raw.problems:
            click.echo(str(problem), err=True)
        click.echo(f"{len(raw.problems)} problem(s) in {paths.raw}", err=True)
        sys.exit(1)
    rows = ", ".join(f"{name} {len(frame)}" for name, frame in raw.tables.items())
    click.echo(f"data/raw is valid: {rows} rows")


@data.command("build")
@click.option("--as-of", "as_of", default=None, help="Keep only facts known on this date (ISO).")
@click.option("--base-year", type=int, default=None, help="Year of the constant dollars.")
def data_build(as_of: str | None, base_year: int | None) -> None:
    """Validate data/raw, then write data/processed/*.parquet atomically."""
    from analysis.data.build import build
    from analysis.data.sources import DataValidationError
    from analysis.paths import project_paths

    paths = project_paths()
    try:
        info = build(paths, as_of=as_of, base_year=base_year)
    except DataValidationError as err:
        click.echo(str(err), err=True)
        click.echo("data/processed was left unchanged.", err=True)
        sys.exit(1)
    click.echo(
        f"built {paths.processed} (as of {info['as_of'] or 'all facts'}, "
        f"constant USD of {info['base_year']}, ECB rates to {info['fx_vintage']}, "
        f"CPI-U to {info['cpi_vintage']})"
    )


GAPS_BEGIN = "<!-- quarterly gaps: begin (written by `analysis data coverage --readme`) -->"
GAPS_END = "<!-- quarterly gaps: end -->"


def coverage_markdown(tables: dict, end: object = None) -> str:
    """Markdown of the quarterly gap tables (capex, market shares) for data/raw/README.md."""
    import pandas as pd

    from analysis import coverage
    from analysis.tables import to_markdown

    end = coverage.grid_end(tables) if end is None else pd.Timestamp(end)
    last = pd.Timestamp(end).to_period("Q")
    parts = []
    for name, frame in coverage.gap_tables(tables, end).items():
        first = pd.Timestamp(coverage.GRID_START[name]).to_period("Q")
        parts.append(f"`{name}.csv`, quarterly rows per series, {first} to {last}:\n")
        parts.append(to_markdown(frame, digits=0))
    return "\n".join(parts)


@data.command("coverage")
@click.option("--end", default=None, help="Last quarter of the grid (ISO date inside it).")
@click.option(
    "--readme",
    is_flag=True,
    help="Rewrite the gap block of data/raw/README.md instead of printing.",
)
def data_coverage(end: str | None, readme: bool) -> None:
    """Print the quarters each capex and market-share series covers and misses."""
    from analysis.data.build import atomic_write_bytes
    from analysis.data.sources import DataValidationError, load_raw
    from analysis.paths import project_paths

    paths = project_paths()
    try:
        tables = load_raw(paths)
    except DataValidationError as err:
        click.echo(str(err), err=True)
        sys.exit(1)
    text = coverage_markdown(tables, end)
    if not readme:
        click.echo(text)
        return
    target = paths.raw / "README.md"
    current = target.read_text(encoding="utf-8")
    if GAPS_BEGIN not in current or GAPS_END not in current:
        click.echo(f"{target}: no gap block ({GAPS_BEGIN} ... {GAPS_END})", err=True)
        sys.exit(2)
    head, rest = current.split(GAPS_BEGIN, 1)
    tail = rest.split(GAPS_END, 1)[1]
    text = f"{head}{GAPS_BEGIN}\n{text}\n{GAPS_END}{tail}"
    atomic_write_bytes(target, text.encode("utf-8"))
    click.echo(f"updated the gap block of {target}")


def _paths(reports_dir: str | None):  # noqa: ANN202
    from analysis.paths import project_paths

    paths = project_paths()
    return paths.with_(reports=Path(reports_dir).resolve()) if reports_dir else paths


def _bad_input(problems: list[str]) -> None:
    click.echo(f"analysis: {len(problems)} problem(s); no notebook was started:", err=True)
    for problem in problems:
        click.echo(f"  - {problem}", err=True)
    sys.exit(2)


@main.command("list")
def list_notebooks() -> None:
    """Print every notebook with its parameters (name, type, default) and the suite's variants."""
    from analysis.paths import project_paths
    from analysis.suite.notebook import calls_complete, load
    from analysis.suite.parameters import ParameterError, parameters_of
    from analysis.suite.plan import discover, variants

    paths = project_paths()
    problems = []
    for path in discover(paths):
        click.echo(path.stem)
        try:
            declared = parameters_of(path)
        except ParameterError as err:
            problems.extend(f"{path.name}: {p}" for p in err.problems)
            continue
        for p in declared:
            kind = p.annotation or f"{p.kind} (inferred)"
            note = f"  # {p.help}" if p.help else ""
            click.echo(f"    {p.name}: {kind} = {p.default_source}{note}")
        if not declared:
            click.echo("    (no parameters cell)")
        missing = {"as_of", "output_dir"} - {p.name for p in declared}
        if missing:
            click.echo(f"    (does not declare {', '.join(sorted(missing))}: see the conventions)")
        if not calls_complete(load(path)):
            click.echo("    (no results.complete() in the last cell: the runner appends one)")
    try:
        found = variants(paths)
    except ParameterError as err:
        problems.extend(err.problems)
        found = {}
    if found:
        click.echo("variants (notebooks/suite.yml; analysis run --variant NAME):")
        for name, body in found.items():
            body = body if isinstance(body, dict) else {}
            params = ", ".join(f"{k}={v}" for k, v in (body.get("parameters") or {}).items())
            desc = f"  # {body['description']}" if body.get("description") else ""
            click.echo(f"    {name}: {params}{desc}")
    if problems:
        _bad_input(problems)


_PARAM_OPTIONS = [
    click.option(
        "-p",
        "--parameter",
        "parameters",
        type=(str, str),
        multiple=True,
        metavar="NAME VALUE",
        help="Value for every selected notebook that declares NAME (or NOTEBOOK.NAME).",
    ),
    click.option(
        "-f",
        "--parameters-file",
        "files",
        type=click.Path(dir_okay=False, path_type=Path),
        multiple=True,
        help="YAML file of NAME: VALUE (or NOTEBOOK: {NAME: VALUE}).",
    ),
    click.option(
        "--jobs",
        "-j",
        type=click.IntRange(min=1),
        default=None,
        help="Notebooks run at once (default: the number of cores).",
    ),
    click.option(
        "--timeout",
        type=click.IntRange(min=1),
        default=600,
        show_default=True,
        help="Seconds per cell.",
    ),
    click.option("--quiet", "-q", is_flag=True, help="Print only failures (for cron)."),
    click.option(
        "--progress",
        type=click.Choice(["auto", "rich", "plain"]),
        default="auto",
        show_default=True,
        help="Progress display: rich on a terminal, plain log lines otherwise.",
    ),
    click.option(
        "--reports-dir",
        default=None,
        help="Reports folder (default: reports/ of the project, or $ANALYSIS_REPORTS_DIR).",
    ),
]


def _with_options(func):  # noqa: ANN001, ANN202
    for option in reversed(_PARAM_OPTIONS):
        func = option(func)
    return func


@main.command("run")
@click.argument("notebooks", nargs=-1)
@_with_options
@click.option("--variant", default=None, help="A named variant of notebooks/suite.yml.")
@click.option("--force", is_flag=True, help="Run every selected notebook, cached or not.")
@click.option(
    "--log-file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Append plain progress lines here (default: REPORTS/run.log).",
)
def run(
    notebooks: tuple[str, ...],
    parameters: tuple[tuple[str, str], ...],
    files: tuple[Path, ...],
    jobs: int | None,
    timeout: int,
    quiet: bool,
    progress: str,
    reports_dir: str | None,
    variant: str | None,
    force: bool,
    log_file: Path | None,
) -> None:
    """Execute the notebooks (default: all) into reports/, skipping those whose inputs did not change.

    Exit status: 0 all notebooks ok or cached, 1 a notebook failed, 2 bad input or the reports
    folder is locked by another run.
    """
    from analysis.suite.parameters import ParameterError
    from analysis.suite.plan import plan
    from analysis.suite.progress import Reporter
    from analysis.suite.runner import Busy, run_jobs

    paths = _paths(reports_dir)
    try:
        planned = plan(paths, notebooks, parameters, files, variant)
    except ParameterError as err:
        _bad_input(err.problems)
    if not planned:
        _bad_input([f"no notebook in {paths.notebooks}"])
    mode = "quiet" if quiet else progress
    log = log_file or paths.reports / "run.log"
    try:
        with Reporter(mode, len(planned), log) as reporter:
            reporter.log(f"analysis run: {len(planned)} notebook(s) into {paths.reports}")
            summary = run_jobs(
                planned, paths, workers=jobs, timeout=timeout, force=force, reporter=reporter
            )
        reporter.summary()
    except Busy as err:
        click.echo(f"analysis: {err}", err=True)
        sys.exit(2)
    except KeyboardInterrupt:
        click.echo("analysis: interrupted; the previous report was left as it was", err=True)
        sys.exit(130)
    sys.exit(summary.exit_code)


@main.command("sweep")
@click.argument("notebook")
@click.option(
    "-g",
    "--grid",
    "grid",
    multiple=True,
    metavar="NAME=V1,V2",
    help="A parameter and its values; several -g give the full grid.",
)
@_with_options
def sweep(
    notebook: str,
    grid: tuple[str, ...],
    parameters: tuple[tuple[str, str], ...],
    files: tuple[Path, ...],
    jobs: int | None,
    timeout: int,
    quiet: bool,
    progress: str,
    reports_dir: str | None,
) -> None:
    """Run NOTEBOOK over a parameter grid in parallel; combine what it records into one table.

    Each point's values from `analysis.results.record(name, value)` become a row of
    reports/sweeps/NOTEBOOK/results.{csv,md} (one column per grid parameter, then per result).
    """
    from analysis.suite.parameters import ParameterError
    from analysis.suite.progress import Reporter
    from analysis.suite.runner import Busy
    from analysis.suite.sweep import parse_grid, plan_sweep, run_sweep

    paths = _paths(reports_dir)
    try:
        axes = parse_grid(grid)
        points = plan_sweep(paths, notebook, axes, parameters, files)
    except ParameterError as err:
        _bad_input(err.problems)
    mode = "quiet" if quiet else progress
    try:
        with Reporter(mode, len(points), paths.reports / "run.log") as reporter:
            outcome = run_sweep(
                points, paths, axes, workers=jobs, timeout=timeout, reporter=reporter
            )
        reporter.summary()
    except Busy as err:
        click.echo(f"analysis: {err}", err=True)
        sys.exit(2)
    if not quiet:
        click.echo(f"combined results: {outcome.table}")
    sys.exit(outcome.exit_code)


if __name__ == "__main__":  # pragma: no cover - `python -m analysis.cli`
    main()
