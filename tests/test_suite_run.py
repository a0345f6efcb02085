"""The runner end to end on tiny notebooks: parallel, failure isolation, cache, kill, sweep."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
from click.testing import CliRunner
from suite_helpers import digests, make_project, ok_notebook, write_notebook

from analysis.cli import main
from analysis.suite.plan import plan
from analysis.suite.runner import run_jobs

pytestmark = pytest.mark.slow

EVIL = "x'); import os; os.system('touch PWNED'); ('"


@pytest.fixture
def proj(tmp_path, monkeypatch):
    paths = make_project(tmp_path / "proj")
    monkeypatch.setenv("ANALYSIS_ROOT", str(paths.root))
    for var in ("ANALYSIS_REPORTS_DIR", "ANALYSIS_RAW_DIR", "ANALYSIS_NOTEBOOKS_DIR"):
        monkeypatch.delenv(var, raising=False)
    return paths


def _cli(*args: str):
    return CliRunner().invoke(main, list(args))


def test_failures_are_isolated_and_the_last_good_outputs_stay(proj):
    for name in ("01_ok", "02_breaks", "03_exits", "04_dies"):
        ok_notebook(proj.notebooks / f"{name}.ipynb")
    first = _cli("run", "--jobs", "2")
    assert first.exit_code == 0, first.output
    for status in ("queued", "running", "done"):
        assert status in first.output
    assert "notebook" in first.output and "status" in first.output  # final table
    before = digests(proj.reports)
    assert "tables/02_breaks/t.csv" in before and "html/02_breaks.html" in before

    write_notebook(
        proj.notebooks / "02_breaks.ipynb", "raise RuntimeError('boom')", "print('never')"
    )
    write_notebook(proj.notebooks / "03_exits.ipynb", "import sys\nsys.exit(0)", "print('never')")
    write_notebook(proj.notebooks / "04_dies.ipynb", "import os\nos.kill(os.getpid(), 9)", "1")
    second = _cli("run", "--jobs", "2")
    assert second.exit_code == 1, second.output
    assert "01_ok" in second.output and "cached" in second.output
    assert "cell 3: RuntimeError: boom" in second.output
    assert "cell 3: SystemExit" in second.output
    assert "04_dies" in second.output and "DeadKernel" in second.output
    after = digests(proj.reports)
    for name in ("02_breaks", "03_exits", "04_dies"):  # last good outputs untouched
        for rel in (f"notebooks/{name}.ipynb", f"tables/{name}/t.csv", f"html/{name}.html"):
            assert after[rel] == before[rel], rel
    import nbformat

    nbformat.validate(nbformat.read(proj.reports / "failed" / "02_breaks.ipynb", as_version=4))
    nbformat.validate(nbformat.read(proj.reports / "notebooks" / "01_ok.ipynb", as_version=4))
    failed = json.loads((proj.reports / "failed" / "02_breaks.ipynb").read_text())
    assert "failed" in failed["cells"][0]["source"] and "boom" in failed["cells"][0]["source"]
    assert any("papermill-error-cell" in json.dumps(c) for c in failed["cells"])  # papermill banner
    assert (proj.reports / "failed" / "04_dies.log").is_file()  # the kernel's own output
    manifest = json.loads((proj.reports / "manifest.json").read_text())["notebooks"]
    assert manifest["02_breaks"]["status"] == "failed"
    assert manifest["02_breaks"]["good"]["outputs"]  # still points at the last good run
    assert manifest["01_ok"]["status"] == "ok"
    index = (proj.reports / "index.html").read_text()
    assert all(name in index for name in ("01_ok", "02_breaks", "03_exits", "04_dies"))
    assert "failed/02_breaks.ipynb" in index


def test_cache_hits_and_misses(proj):
    ok_notebook(proj.notebooks / "01_ok.ipynb")
    ok_notebook(proj.notebooks / "02_ok.ipynb")
    assert _cli("run").exit_code == 0

    def statuses(*args):
        summary = run_jobs(plan(proj, [], list(args)), proj)
        return {r.name: r.cached for r in summary.results}

    quiet = _cli("run", "-q")
    assert quiet.exit_code == 0 and quiet.output == ""  # cron: silent when all is well
    start = time.perf_counter()
    assert statuses() == {"01_ok": True, "02_ok": True}
    assert time.perf_counter() - start < 1.0  # nothing changed: no kernel, no heavy import
    os.utime(proj.raw / "facts.csv")
    assert statuses() == {"01_ok": True, "02_ok": True}  # mtime alone changes nothing
    assert statuses(("01_ok.x", "5")) == {"01_ok": False, "02_ok": True}
    assert json.loads((proj.reports / "results" / "01_ok.json").read_text()) == {"double": 10}
    with (proj.raw / "facts.csv").open("a") as handle:
        handle.write("b,2\n")
    assert statuses(("01_ok.x", "5")) == {"01_ok": False, "02_ok": False}
    forced = run_jobs(plan(proj), proj, force=True)
    assert not any(r.cached for r in forced.results)


def test_parameters_reach_the_kernel_as_literals(proj):
    write_notebook(
        proj.notebooks / "01_echo.ipynb",
        "print(repr(s))",
        parameters='s: str = ""\noutput_dir: str = ""',
    )
    result = _cli("run", "-p", "s", EVIL)
    assert result.exit_code == 0, result.output
    text = (proj.reports / "notebooks" / "01_echo.ipynb").read_text()
    assert json.dumps(repr(EVIL))[1:-1] in text
    assert not list(proj.root.rglob("PWNED")) and not Path("PWNED").exists()


def test_cell_timeout_fails_and_leaves_no_kernel(proj):
    pid_file = proj.root / "kernel.pid"
    write_notebook(
        proj.notebooks / "01_slow.ipynb",
        f"import os, time\nopen({str(pid_file)!r}, 'w').write(str(os.getpid()))",
        "time.sleep(60)",
    )
    start = time.perf_counter()
    result = _cli("run", "--timeout", "2")
    assert result.exit_code == 1
    assert "Timeout" in result.output or "timed out" in result.output, result.output
    assert time.perf_counter() - start < 30
    pid = int(pid_file.read_text())
    assert not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL])
def test_a_killed_run_leaves_the_previous_report_intact(proj, sig):
    ok_notebook(proj.notebooks / "01_ok.ipynb")
    assert _cli("run").exit_code == 0
    before = digests(proj.reports)
    pid_file = proj.root / "kernel.pid"
    write_notebook(
        proj.notebooks / "01_ok.ipynb",
        f"import os, time\nopen({str(pid_file)!r}, 'w').write(str(os.getpid()))\ntime.sleep(60)",
    )
    env = {**os.environ, "ANALYSIS_ROOT": str(proj.root)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "analysis.cli", "run", "-q"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + 60
    while not pid_file.exists() and time.time() < deadline:
        time.sleep(0.1)
    assert pid_file.exists(), "the kernel never started"
    time.sleep(0.3)
    proc.send_signal(sig)
    proc.wait(timeout=30)
    assert proc.returncode == (130 if sig == signal.SIGTERM else -signal.SIGKILL)
    assert digests(proj.reports) == before
    kernel = int(pid_file.read_text())
    # after SIGKILL the worker dies with its parent, and the kernel after its worker
    deadline = time.time() + 15
    while psutil.pid_exists(kernel) and time.time() < deadline:
        if psutil.Process(kernel).status() == psutil.STATUS_ZOMBIE:
            break
        time.sleep(0.2)
    assert not psutil.pid_exists(kernel) or psutil.Process(kernel).status() == psutil.STATUS_ZOMBIE
    if sig == signal.SIGTERM:
        assert not (proj.reports / ".staging").exists()
    ok_notebook(proj.notebooks / "01_ok.ipynb")
    assert _cli("run").exit_code == 0  # the next run recovers (cleans the staging, takes the lock)
    assert not (proj.reports / ".staging").exists()


def test_sweep_combines_recorded_results(proj):
    ok_notebook(proj.notebooks / "01_ok.ipynb")
    result = _cli("sweep", "01_ok", "-g", "x=1,2,3", "--jobs", "2")
    assert result.exit_code == 0, result.output
    table = (proj.reports / "sweeps" / "01_ok" / "results.csv").read_text().splitlines()
    assert table == ["x,double,status", "1,2,ok", "2,4,ok", "3,6,ok"]
    bad = _cli("sweep", "01_ok", "-g", "x=1,two", "-g", "y=1")
    assert bad.exit_code == 2 and "expected an integer" in bad.output and "'y'" in bad.output
