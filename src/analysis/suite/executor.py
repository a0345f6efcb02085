"""Worker side of a run: execute one prepared notebook in its staging folder and judge it.

Runs inside a worker process of the pool (one kernel per process at a time), so papermill's
change of working directory and the kernel's environment never leak into the parent. Success is
decided here, not by papermill: the papermill call returned, every code cell has an execution
count and no error output (:func:`analysis.suite.notebook.verdict`), and the completion marker
written by :func:`analysis.results.complete` carries this run's token.
"""

from __future__ import annotations

import json
import os
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analysis import results as results_api
from analysis.suite import notebook as nbdoc

__all__ = ["Task", "Outcome", "execute", "to_html", "STAGED_NOTEBOOK", "STAGED_HTML"]

STAGED_NOTEBOOK = "notebook.ipynb"
STAGED_HTML = "notebook.html"
_TEMPLATES = Path(__file__).resolve().parent / "templates"


@dataclass(frozen=True)
class Task:
    """Everything a worker needs; picklable.

    Attributes
    ----------
    title : str
        Label of the run (notebook name, or a sweep point).
    prepared : str
        JSON of the notebook with parameters injected (:func:`analysis.suite.notebook.prepare`).
    staging : str
        Private folder of this run: ``input.ipynb``, ``executed.ipynb``, ``out/`` (the notebook's
        ``output_dir``), ``state/`` (results and marker).
    cwd : str
        Working directory of the kernel (the notebooks folder).
    timeout : int or None
        Seconds per cell.
    env : dict
        Environment variables for the kernel.
    html : bool
        Also write the reading version (code hidden).
    """

    title: str
    prepared: str
    staging: str
    cwd: str
    timeout: int | None
    env: dict[str, str] = field(default_factory=dict)
    html: bool = True


@dataclass
class Outcome:
    """What a worker reports back."""

    title: str
    ok: bool
    seconds: float
    error: str = ""
    results: dict[str, Any] = field(default_factory=dict)
    has_notebook: bool = False


def to_html(nb: dict[str, Any]) -> str:
    """Reading version of an executed notebook (code cells hidden, no scripts from the web)."""
    import nbformat
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        extra_template_basedirs=[str(_TEMPLATES)],
        template_name="reading",
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    # reads() (not from_dict) so that multi-line strings stored as lists are joined
    body, _ = exporter.from_notebook_node(nbformat.reads(json.dumps(nb), as_version=4))
    return body


def _banner(title: str, error: str) -> dict[str, Any]:
    text = (
        f"**`analysis run`: {title} failed.** {error}\n\n"
        "The last good outputs of this notebook were left in place; this executed copy shows "
        "where the run stopped."
    )
    return {"cell_type": "markdown", "metadata": {"tags": ["analysis-failure"]}, "source": text}


def _marker_ok(state: Path, token: str) -> bool:
    marker = state / results_api.MARKER_FILE
    return marker.is_file() and marker.read_text(encoding="utf-8") == token


def execute(task: Task) -> Outcome:
    """Run one notebook; never raises for a notebook failure (the outcome says what failed)."""
    staging = Path(task.staging)
    state = staging / "state"
    for folder in (staging / "out", state):
        folder.mkdir(parents=True, exist_ok=True)
    source = staging / "input.ipynb"
    executed = staging / "executed.ipynb"
    source.write_text(task.prepared, encoding="utf-8")
    prepared = json.loads(task.prepared)
    keep_ids = frozenset(c["id"] for c in prepared.get("cells", []) if "id" in c)
    token = uuid.uuid4().hex
    env = {**task.env, results_api.STATE_ENV: str(state), results_api.TOKEN_ENV: token}
    start = time.perf_counter()
    saved = dict(os.environ)
    os.environ.update(env)
    crash = ""
    # Kernels inherit this process's stdout and stderr: send their chatter to the staging log.
    log = open(staging / "kernel.log", "wb")  # noqa: SIM115 - closed in finally
    saved_fds = (os.dup(1), os.dup(2))
    os.dup2(log.fileno(), 1)
    os.dup2(log.fileno(), 2)
    try:
        import papermill as pm

        pm.execute_notebook(
            str(source),
            str(executed),
            parameters=None,
            cwd=task.cwd,
            progress_bar=False,
            execution_timeout=task.timeout,
            shutdown_kernel="immediate",  # outputs are saved; a graceful stop can stall ~3 s
        )
    except Exception as err:  # noqa: BLE001 - every failure becomes an outcome
        crash = (
            f"{type(err).__name__}: {str(err).strip().splitlines()[-1] if str(err).strip() else ''}"
        )
    finally:
        os.dup2(saved_fds[0], 1)
        os.dup2(saved_fds[1], 2)
        for fd in saved_fds:
            os.close(fd)
        log.close()
        os.environ.clear()
        os.environ.update(saved)
    seconds = time.perf_counter() - start
    error = ""
    has_notebook = executed.is_file()
    nb = None
    if has_notebook:
        try:
            nb = nbdoc.load(executed)
        except (OSError, ValueError) as err:
            error = f"unreadable executed notebook: {err}"
            has_notebook = False
    if nb is not None:
        failure = nbdoc.verdict(nb)
        if failure is not None:
            error = str(failure)
        elif not _marker_ok(state, token):
            error = "the notebook finished without writing its completion marker"
    if crash and not error:
        error = crash
    elif crash and error and "NotExecuted" in error:
        error = f"{error} ({crash})"
    elif not error and nb is None:
        error = "papermill wrote no executed notebook"
    recorded: dict[str, Any] = {}
    results_file = state / results_api.RESULTS_FILE
    if results_file.is_file():
        recorded = json.loads(results_file.read_text(encoding="utf-8"))
    if nb is not None:
        clean = nbdoc.strip(nb, keep_ids)
        if error:
            banner = _banner(task.title, error)
            if int(clean.get("nbformat_minor", 4)) >= 5:
                banner["id"] = "analysis-failure"
            clean["cells"].insert(0, banner)
        (staging / STAGED_NOTEBOOK).write_text(nbdoc.dumps(clean), encoding="utf-8")
        if not error and task.html:
            try:
                (staging / STAGED_HTML).write_text(to_html(clean), encoding="utf-8")
            except Exception as err:  # noqa: BLE001
                error = f"HTML conversion failed: {type(err).__name__}: {err}"
    return Outcome(task.title, not error, seconds, error, recorded, has_notebook)
