"""The ``analysis`` command line.

Heavy libraries (pandas, pandera, papermill) are imported inside the commands, so ``analysis
--help`` answers fast.

Exit codes: 0 success; 1 invalid data or a notebook failed; 2 bad usage.
"""

from __future__ import annotations

import sys

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


@main.command("run")
@click.argument("notebooks", nargs=-1)
@click.option(
    "-p",
    "--parameter",
    "parameters",
    type=(str, str),
    multiple=True,
    help="NAME VALUE given to every notebook that declares NAME.",
)
@click.option("--timeout", type=int, default=600, show_default=True, help="Seconds per cell.")
def run(notebooks: tuple[str, ...], parameters: tuple[tuple[str, str], ...], timeout: int) -> None:
    """Execute the notebooks (default: all) into reports/notebooks/."""
    from analysis.paths import project_paths
    from analysis.suite.runner import run_all

    results = run_all(project_paths(), notebooks, dict(parameters), timeout, echo=click.echo)
    if not results:
        click.echo("no notebook matched", err=True)
        sys.exit(2)
    if not all(r.ok for r in results):
        sys.exit(1)


if __name__ == "__main__":  # pragma: no cover - `python -m analysis.cli`
    main()
