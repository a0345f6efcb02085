"""Sweeps: one notebook over a grid of parameter values, results combined into one table.

``analysis sweep 00_data_overview -g top_n=5,10 -g as_of=2024-02-26,latest`` runs the four points in
parallel. Each point's recorded values (:func:`analysis.results.record`) become one row of
``reports/sweeps/NOTEBOOK/results.csv`` (and ``.md``): the grid parameters first, then one column per
recorded name, then ``status``. Each point's executed notebook, figures and tables are kept in
``reports/sweeps/NOTEBOOK/points/NNN/``. Sweeps are not cached and do not touch the main report.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from analysis.paths import Paths
from analysis.suite.parameters import ParameterError, coerce
from analysis.suite.plan import Job, plan

__all__ = ["Point", "SweepOutcome", "parse_grid", "plan_sweep", "run_sweep", "combine"]


@dataclass(frozen=True)
class Point:
    """One grid point: the job and its grid values (as typed)."""

    job: Job
    grid: dict[str, Any]


@dataclass
class SweepOutcome:
    """Rows of the combined table, where it was written, and the exit code."""

    rows: list[dict[str, Any]]
    table: Path
    exit_code: int


def parse_grid(specs: Sequence[str]) -> list[tuple[str, list[str]]]:
    """``["a=1,2", "b=x"]`` -> ``[("a", ["1", "2"]), ("b", ["x"])]``.

    Examples
    --------
    >>> parse_grid(["top_n=5,10", "as_of=latest"])
    [('top_n', ['5', '10']), ('as_of', ['latest'])]
    """
    axes, problems = [], []
    for spec in specs:
        name, eq, values = spec.partition("=")
        if not eq or not name.strip() or not values.strip():
            problems.append(f"-g {spec!r}: expected NAME=V1,V2,...")
            continue
        axes.append((name.strip(), [v.strip() for v in values.split(",")]))
    if not axes and not problems:
        problems.append("a sweep needs at least one -g NAME=V1,V2")
    if problems:
        raise ParameterError(problems)
    return axes


def plan_sweep(
    paths: Paths,
    notebook: str,
    axes: list[tuple[str, list[str]]],
    cli: Sequence[tuple[str, str]] = (),
    files: Sequence[Path] = (),
) -> list[Point]:
    """Check the base values and every grid value against the notebook's annotations."""
    (base,) = plan(paths, [notebook], cli, files)
    declared = {p.name: p for p in base.declared}
    problems, typed_axes = [], []
    for name, values in axes:
        if name not in declared or name == "output_dir":
            problems.append(f"-g {name}: {base.name} has no parameter {name!r} to sweep")
            continue
        typed = []
        for value in values:
            try:
                typed.append(coerce(declared[name], value, paths.root))
            except ValueError as err:
                problems.append(f"-g {name}: {err}")
        typed_axes.append((name, typed))
    if problems:
        raise ParameterError(problems)
    points = []
    names = [n for n, _ in typed_axes]
    for index, combo in enumerate(itertools.product(*(v for _, v in typed_axes))):
        grid = dict(zip(names, combo, strict=True))
        job = replace(base, values={**base.values, **grid}, label=f"{base.name}-sweep-{index:03d}")
        points.append(Point(job, grid))
    return points


def combine(rows: list[dict[str, Any]]) -> tuple[str, str]:
    """CSV and Markdown of the combined rows (columns in order of first appearance)."""
    columns: list[str] = []
    for row in rows:
        columns.extend(c for c in row if c not in columns)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    head = "| " + " | ".join(columns) + " |"
    rule = "|" + "|".join("---" for _ in columns) + "|"
    body = ["| " + " | ".join(str(r.get(c, "")) for c in columns) + " |" for r in rows]
    return buffer.getvalue(), "\n".join([head, rule, *body]) + "\n"


def run_sweep(
    points: list[Point],
    paths: Paths,
    axes: list[tuple[str, list[str]]],
    *,
    workers: int | None = None,
    timeout: int | None = 600,
    reporter: Any = None,
) -> SweepOutcome:
    """Run every point in parallel (under the reports lock) and write the combined table."""
    from analysis.suite import notebook as nbdoc
    from analysis.suite.progress import Reporter
    from analysis.suite.runner import _task, default_workers, execute_tasks, reports_lock
    from analysis.suite.store import write_atomic

    reporter = reporter or Reporter("quiet")
    name = points[0].job.name
    folder = paths.reports / "sweeps" / name
    with reports_lock(paths.reports) as store:
        nb = nbdoc.load(points[0].job.notebook)
        tasks = [_task(p.job, nb, store, paths, timeout, html=False) for p in points]
        by_title = {p.job.title: p for p in points}
        rows: dict[str, dict[str, Any]] = {}
        shutil.rmtree(folder, ignore_errors=True)

        def on_start(task: Any) -> None:
            reporter.event(task.title, "running")

        def on_done(task: Any, outcome: Any) -> None:
            point = by_title[task.title]
            staging = Path(task.staging)
            target = folder / "points" / task.title.rsplit("-", 1)[-1]
            target.mkdir(parents=True, exist_ok=True)
            for item in ("out", "notebook.ipynb"):
                if (staging / item).exists():
                    shutil.move(str(staging / item), str(target / item))
            row = {
                k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in point.grid.items()
            }
            row.update(outcome.results)
            row["status"] = "ok" if outcome.ok else f"failed: {outcome.error}"
            rows[task.title] = row
            (target / "parameters.json").write_text(
                json.dumps(row, indent=2, sort_keys=True, default=str) + "\n", encoding="utf-8"
            )
            status = "done" if outcome.ok else "failed"
            reporter.event(task.title, status, outcome.seconds, "" if outcome.ok else outcome.error)

        for task in tasks:
            reporter.event(task.title, "queued")
        execute_tasks(tasks, workers or default_workers(), on_start, on_done)
        ordered = [rows[p.job.title] for p in points]
        text_csv, text_md = combine(ordered)
        write_atomic(folder / "results.csv", text_csv)
        write_atomic(folder / "results.md", text_md)
    failed = any(not str(r["status"]).startswith("ok") for r in ordered)
    return SweepOutcome(ordered, folder / "results.csv", 1 if failed else 0)
