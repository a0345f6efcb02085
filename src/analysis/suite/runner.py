"""Run notebooks: cache check, a process pool of kernels, publication, manifest and index.

:func:`run_jobs` is what ``analysis run`` calls:

1. take the lock on the reports folder (a second concurrent run stops with :class:`Busy`);
2. compute every notebook's cache key (:mod:`analysis.suite.cache`) and skip those whose last good
   outputs were made from the same inputs (unless ``force``);
3. run the others in a pool of ``workers`` processes, one kernel each
   (:func:`analysis.suite.executor.execute`), each in its own staging folder;
4. publish each success atomically (:class:`analysis.suite.store.Store`), keep each failure's
   executed copy in ``failed/`` without touching the last good outputs, update the manifest after
   every notebook and the index at the end.

An interrupted run (Ctrl-C, ``SIGTERM``) kills its workers and their kernels and leaves the
published report as it was.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import sys
import threading
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analysis.paths import Paths, project_paths
from analysis.suite import notebook as nbdoc
from analysis.suite.cache import Fingerprint, canonical
from analysis.suite.executor import STAGED_HTML, STAGED_NOTEBOOK, Outcome, Task
from analysis.suite.parameters import injection_source
from analysis.suite.plan import Job, discover, plan
from analysis.suite.progress import Reporter
from analysis.suite.store import Store

__all__ = [
    "Busy",
    "Interrupted",
    "NotebookResult",
    "RunSummary",
    "discover",
    "kernel_env",
    "run_jobs",
    "run_notebook",
    "run_all",
    "default_workers",
    "package_versions",
]

_PACKAGES = ("pandas", "numpy", "matplotlib", "statsmodels", "papermill", "nbconvert", "analysis")


class Busy(RuntimeError):
    """Another run holds the lock on the reports folder."""


@dataclass(frozen=True)
class NotebookResult:
    """Outcome of one notebook in a run."""

    name: str
    ok: bool
    seconds: float
    output: Path | None
    error: str = ""
    cached: bool = False
    results: dict[str, Any] = field(default_factory=dict)


@dataclass
class RunSummary:
    """All notebooks of a run."""

    results: list[NotebookResult]

    @property
    def ok(self) -> bool:
        """Whether every notebook succeeded (or was cached)."""
        return all(r.ok for r in self.results)

    @property
    def exit_code(self) -> int:
        """0 when everything succeeded, 1 when a notebook failed."""
        return 0 if self.ok else 1


def default_workers() -> int:
    """Number of CPU cores available to this process."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


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


def package_versions() -> dict[str, str]:
    """Versions of the main packages and of Python (for the manifest)."""
    import platform
    from importlib.metadata import PackageNotFoundError, version

    found = {"python": platform.python_version()}
    for name in _PACKAGES:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "not installed"
    return found


def _jsonable(values: Mapping[str, Any]) -> dict[str, Any]:
    return json.loads(canonical(dict(values)))


def _task(job: Job, nb: dict, store: Store, paths: Paths, timeout: int | None, html: bool) -> Task:
    staging = store.staging(job.title)
    values = dict(job.values)
    declared = {p.name for p in job.declared}
    if "output_dir" in declared:
        # relative to the kernel's working directory: the same text in every clone
        values["output_dir"] = os.path.relpath(staging / "out", paths.notebooks)
    public = {k: v for k, v in job.values.items() if k != "output_dir"}
    prepared = nbdoc.prepare(nb, injection_source(values), _jsonable(public))
    env = kernel_env(paths)
    return Task(
        job.title, nbdoc.dumps(prepared), str(staging), str(paths.notebooks), timeout, env, html
    )


def _kill_tree(pid: int) -> None:
    try:
        import psutil
    except ImportError:  # pragma: no cover - psutil comes with ipykernel
        os.kill(pid, signal.SIGKILL)
        return
    try:
        parent = psutil.Process(pid)
        procs = parent.children(recursive=True) + [parent]
    except psutil.NoSuchProcess:
        return
    for proc in procs:
        try:
            proc.kill()
        except psutil.NoSuchProcess:
            pass
    psutil.wait_procs(procs, timeout=5)


class Interrupted(KeyboardInterrupt):
    """The run was stopped by a signal (SIGTERM); workers and kernels were killed."""


def _raise_interrupt(signum: int, frame: object) -> None:  # noqa: ARG001
    raise Interrupted(signal.Signals(signum).name)


def _worker_init() -> None:
    """In each worker: die with the parent (Linux), so a killed run leaves no worker behind.

    The worker's kernel then notices its parent is gone (ipykernel polls ``JPY_PARENT_PID``) and
    exits too.
    """
    if sys.platform.startswith("linux"):
        import ctypes

        try:
            ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):  # pragma: no cover - exotic libc
            pass


def _pool(workers: int):  # noqa: ANN202
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_worker_init,
    )


def execute_tasks(tasks: list[Task], workers: int, on_start, on_done) -> None:  # noqa: ANN001
    """Run tasks in a process pool, at most ``workers`` at a time; callbacks run in this process.

    Only ``workers`` tasks are in flight at once, so a task is reported as running when it is
    submitted. On an interrupt every worker and its kernel are killed, then the interrupt
    propagates.
    """
    from concurrent.futures import FIRST_COMPLETED, wait

    from analysis.suite.executor import execute

    if not tasks:
        return
    pending = list(tasks)
    executor = _pool(min(workers, len(tasks)))
    running: dict[Any, Task] = {}
    in_main = threading.current_thread() is threading.main_thread()
    old = signal.signal(signal.SIGTERM, _raise_interrupt) if in_main else None
    try:
        while pending or running:
            while pending and len(running) < workers:
                task = pending.pop(0)
                on_start(task)
                running[executor.submit(execute, task)] = task
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in finished:
                task = running.pop(future)
                try:
                    outcome = future.result()
                except Exception as err:  # noqa: BLE001 - a worker died (killed, out of memory)
                    outcome = Outcome(
                        task.title, False, 0.0, f"worker died: {type(err).__name__}: {err}"
                    )
                on_done(task, outcome)
    except BaseException:
        for proc in list(getattr(executor, "_processes", {}).values()):
            _kill_tree(proc.pid)
        executor.shutdown(wait=False, cancel_futures=True)
        raise
    finally:
        if in_main:
            signal.signal(signal.SIGTERM, old)
    executor.shutdown(wait=True)


def _build_info(paths: Paths) -> dict[str, Any]:
    try:
        return json.loads((paths.processed / "build_info.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def run_jobs(
    jobs: list[Job],
    paths: Paths | None = None,
    *,
    workers: int | None = None,
    timeout: int | None = 600,
    force: bool = False,
    reporter: Reporter | None = None,
    html: bool = True,
) -> RunSummary:
    """Run planned jobs into the reports folder (see the module docstring).

    Raises
    ------
    Busy
        Another run holds ``reports/.lock``.
    """
    paths = paths or project_paths()
    reporter = reporter or Reporter("quiet")
    with reports_lock(paths.reports) as store:
        return _run_locked(
            jobs, paths, store, workers or default_workers(), timeout, force, reporter, html
        )


@contextmanager
def reports_lock(reports: Path) -> Iterator[Store]:
    """Hold ``reports/.lock`` for one run; yields the folder's :class:`Store`.

    Raises :class:`Busy` at once when another run holds the lock; on exit the staging area is
    cleaned and the lock released, whatever happened.
    """
    from filelock import FileLock, Timeout

    store = Store(reports)
    reports.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(reports / ".lock"))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        raise Busy(
            f"another `analysis run` is writing to {reports} (lock {reports / '.lock'}); "
            "wait for it to finish"
        ) from None
    try:
        yield store
    finally:
        store.clean_staging()
        lock.release()


def _run_locked(
    jobs: list[Job],
    paths: Paths,
    store: Store,
    workers: int,
    timeout: int | None,
    force: bool,
    reporter: Reporter,
    html: bool,
) -> RunSummary:
    store.clean_staging()  # left by a killed run
    fingerprint = Fingerprint(paths)
    manifest = store.manifest()
    entries = manifest["notebooks"]
    results: dict[str, NotebookResult] = {}
    tasks: list[Task] = []
    context: dict[str, tuple[Job, str, dict]] = {}
    for job in jobs:
        nb = nbdoc.load(job.notebook)
        key, inputs = fingerprint.key(nb, job.values)
        good = (entries.get(job.name) or {}).get("good") or {}
        if not force and good.get("cache_key") == key and store.outputs_present(job.name, good):
            reporter.event(job.title, "cached")
            entries[job.name]["status"] = "ok"
            entries[job.name].pop("error", None)
            results[job.title] = NotebookResult(
                job.title, True, 0.0, paths.reports / "notebooks" / f"{job.name}.ipynb", cached=True
            )
            continue
        reporter.event(job.title, "queued")
        tasks.append(_task(job, nb, store, paths, timeout, html))
        context[job.title] = (job, key, inputs)

    versions = package_versions() if tasks else manifest.get("suite", {}).get("packages", {})
    manifest["suite"] = {
        "updated": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "data_raw": fingerprint.raw,
        "requirements_lock": fingerprint.lock,
        "build_info": _build_info(paths),
        "packages": versions,
    }

    def on_start(task: Task) -> None:
        reporter.event(task.title, "running")

    def on_done(task: Task, outcome: Outcome) -> None:
        job, key, inputs = context[task.title]
        staging = Path(task.staging)
        entry = entries.setdefault(job.name, {})
        if outcome.ok:
            outputs = store.publish(
                job.name, staging, staging / STAGED_NOTEBOOK, staging / STAGED_HTML
            )
            entry.update(
                status="ok",
                good={
                    "cache_key": key,
                    "inputs": inputs,
                    "parameters": _jsonable(
                        {k: v for k, v in job.values.items() if k != "output_dir"}
                    ),
                    "outputs": outputs,
                    "duration": round(outcome.seconds, 2),
                    "results": outcome.results,
                    "finished": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                    "packages": versions,
                },
            )
            entry.pop("error", None)
            entry.pop("failed_notebook", None)
            reporter.event(task.title, "done", outcome.seconds)
            output = paths.reports / "notebooks" / f"{job.name}.ipynb"
        else:
            failed = store.keep_failed(job.name, staging / STAGED_NOTEBOOK)
            entry.update(status="failed", error=outcome.error, failed_notebook=failed)
            entry.setdefault("good", None)
            reporter.event(task.title, "failed", outcome.seconds, outcome.error)
            output = paths.reports / failed if failed else None
        results[task.title] = NotebookResult(
            task.title, outcome.ok, outcome.seconds, output, outcome.error, False, outcome.results
        )
        store.write_manifest(manifest)

    # Longest first (by the last good run's duration): a shorter makespan on a small pool.
    def last_duration(task: Task) -> float:
        good = (entries.get(context[task.title][0].name) or {}).get("good") or {}
        return -float(good.get("duration") or 0.0)

    tasks.sort(key=last_duration)
    execute_tasks(tasks, workers, on_start, on_done)
    store.write_manifest(manifest)
    from analysis.suite.site import write_index

    write_index(paths.reports, manifest, paths.notebooks)
    return RunSummary([results[j.title] for j in jobs])


def _as_text(value: Any) -> str:
    """A Python value as the command line would give it (lists comma-separated)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ",".join(_as_text(v) for v in value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return "none" if value is None else str(value)


def run_notebook(
    notebook: Path,
    paths: Paths,
    parameters: Mapping[str, Any] | None = None,
    timeout: int | None = 600,
) -> NotebookResult:
    """Run one notebook of ``paths`` (no cache); values are checked like ``-p`` values."""
    jobs = plan(paths, [notebook.stem], [(k, _as_text(v)) for k, v in (parameters or {}).items()])
    return run_jobs(jobs, paths, workers=1, timeout=timeout, force=True).results[0]


def run_all(
    paths: Paths | None = None,
    names: Iterable[str] = (),
    parameters: Mapping[str, Any] | None = None,
    timeout: int | None = 600,
    workers: int | None = None,
) -> RunSummary:
    """Plan and run the selected notebooks (default all); values are checked like ``-p`` values."""
    paths = paths or project_paths()
    jobs = plan(paths, list(names), [(k, _as_text(v)) for k, v in (parameters or {}).items()])
    return run_jobs(jobs, paths, workers=workers, timeout=timeout)
