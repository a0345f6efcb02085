"""Execute the suite's notebooks with papermill.

Each notebook runs in the project's kernel with its working directory set to ``notebooks/``; the
executed copy is written to a temporary file first and moved into ``reports/notebooks/`` only when
the run succeeded, so a failed or killed run never replaces the last good copy.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from analysis.paths import Paths, project_paths

__all__ = ["NotebookResult", "discover", "kernel_env", "run_notebook", "run_all"]


@dataclass(frozen=True)
class NotebookResult:
    """Outcome of one notebook run."""

    name: str
    ok: bool
    seconds: float
    output: Path | None
    error: str = ""


def discover(paths: Paths) -> list[Path]:
    """Notebooks of the suite: ``notebooks/NN_*.ipynb`` in name order (checkpoints excluded)."""
    return sorted(
        p
        for p in paths.notebooks.glob("*.ipynb")
        if p.name[:2].isdigit() and not p.name.startswith(".")
    )


def kernel_env(paths: Paths, base: Mapping[str, str] | None = None) -> dict[str, str]:
    """Environment for kernels: project folders, fixed hash seed, non-interactive backend."""
    env = dict(os.environ if base is None else base)
    env.update(
        {
            "ANALYSIS_ROOT": str(paths.root),
            "ANALYSIS_RAW_DIR": str(paths.raw),
            "ANALYSIS_PROCESSED_DIR": str(paths.processed),
            "ANALYSIS_REPORTS_DIR": str(paths.reports),
            "PYTHONHASHSEED": "0",
            "MPLBACKEND": "Agg",
        }
    )
    return env


def run_notebook(
    notebook: Path,
    paths: Paths,
    parameters: Mapping[str, Any] | None = None,
    timeout: int | None = 600,
) -> NotebookResult:
    """Execute one notebook into ``reports/notebooks/`` (atomically); never raises on failure."""
    import papermill as pm

    out_dir = paths.reports / "notebooks"
    out_dir.mkdir(parents=True, exist_ok=True)
    params = {"output_dir": str(paths.reports), **dict(parameters or {})}
    fd, tmp_name = tempfile.mkstemp(prefix=f".{notebook.stem}.", suffix=".ipynb", dir=out_dir)
    os.close(fd)
    tmp = Path(tmp_name)
    start = time.perf_counter()
    saved_env = dict(os.environ)
    try:
        os.environ.update(kernel_env(paths))
        pm.execute_notebook(
            str(notebook),
            str(tmp),
            parameters=params,
            cwd=str(notebook.parent),
            kernel_name="python3",
            progress_bar=False,
            execution_timeout=timeout,
        )
    except Exception as err:  # papermill raises PapermillExecutionError and others
        tmp.unlink(missing_ok=True)
        return NotebookResult(notebook.stem, False, time.perf_counter() - start, None, str(err))
    finally:
        os.environ.clear()
        os.environ.update(saved_env)
    target = out_dir / notebook.name
    os.replace(tmp, target)
    return NotebookResult(notebook.stem, True, time.perf_counter() - start, target)


def run_all(
    paths: Paths | None = None,
    names: Iterable[str] = (),
    parameters: Mapping[str, Any] | None = None,
    timeout: int | None = 600,
    echo=print,  # noqa: ANN001
) -> list[NotebookResult]:
    """Run the selected notebooks (default all) one after another; stop at the first failure."""
    paths = paths or project_paths()
    wanted = set(names)
    results = []
    for notebook in discover(paths):
        if wanted and notebook.stem not in wanted and notebook.name not in wanted:
            continue
        echo(f"running {notebook.name} ...")
        result = run_notebook(notebook, paths, parameters, timeout)
        results.append(result)
        status = "done" if result.ok else "FAILED"
        echo(f"{status} {notebook.name} in {result.seconds:.1f} s")
        if not result.ok:
            echo(result.error)
            break
    return results
