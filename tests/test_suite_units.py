"""Runner building blocks without kernels: notebook judging and stripping, cache keys, the store."""

from __future__ import annotations

import json
import os
import time

import pytest
from suite_helpers import make_project, ok_notebook

from analysis.suite import notebook as nbdoc
from analysis.suite.cache import Fingerprint, module_closure, notebook_imports
from analysis.suite.plan import plan
from analysis.suite.store import Store, exchange


def _executed(*cells):
    return {"cells": list(cells), "metadata": {}, "nbformat": 4, "nbformat_minor": 4}


def _cell(count, outputs=(), source="x = 1"):
    return {
        "cell_type": "code",
        "execution_count": count,
        "metadata": {},
        "outputs": list(outputs),
        "source": source,
    }


def test_verdict_needs_every_cell_executed_without_errors():
    assert nbdoc.verdict(_executed(_cell(1), _cell(2))) is None
    stopped = nbdoc.verdict(_executed(_cell(1), _cell(None)))  # sys.exit(0), a dead kernel
    assert stopped is not None and stopped.cell == 2 and stopped.ename == "NotExecuted"
    error = {"output_type": "error", "ename": "ValueError", "evalue": "bad", "traceback": []}
    failed = nbdoc.verdict(_executed(_cell(1), _cell(2, [error])))
    assert str(failed) == "cell 2: ValueError: bad"


def test_prepare_injects_after_parameters_and_appends_the_marker():
    nb = _executed(
        {**_cell(None, source="x: int = 1"), "metadata": {"tags": ["parameters"]}},
        _cell(None, source="print(x)"),
    )
    prepared = nbdoc.prepare(nb, "x = 2\n", {"x": 2})
    tags = [c["metadata"].get("tags", []) for c in prepared["cells"]]
    assert tags == [["parameters"], [nbdoc.INJECTED_TAG], [], [nbdoc.MARKER_TAG]]
    assert prepared["metadata"]["analysis"]["parameters"] == {"x": 2}
    again = nbdoc.prepare(prepared, "x = 3\n")  # an earlier injection is replaced, not stacked
    assert [c["source"] for c in again["cells"]].count("x = 3\n") == 1
    assert len(again["cells"]) == 4
    own = _executed(_cell(None, source="from analysis import results\nresults.complete()"))
    assert nbdoc.calls_complete(own)
    assert MARKER_not_added(nbdoc.prepare(own, ""))


def MARKER_not_added(nb):  # noqa: N802
    return not any(nbdoc.MARKER_TAG in c["metadata"].get("tags", []) for c in nb["cells"])


def test_strip_removes_volatile_metadata():
    nb = _executed(
        {
            **_cell(
                7,
                [
                    {
                        "output_type": "execute_result",
                        "execution_count": 7,
                        "data": {"text/plain": "<Figure at 0x7f3a2b1c9d80>"},
                        "metadata": {},
                    },
                    {
                        "output_type": "stream",
                        "name": "stderr",
                        "text": "/tmp/ipykernel_4242/123.py:1: UserWarning: w\n",
                    },
                ],
            ),
            "metadata": {
                "papermill": {"start_time": "2026-01-01T00:00:00", "duration": 1.2},
                "execution": {"iopub.status.busy": "2026-01-01T00:00:00"},
            },
        },
        {**_cell(None, source="complete()"), "metadata": {"tags": [nbdoc.MARKER_TAG]}},
    )
    nb["metadata"]["papermill"] = {"start_time": "x", "end_time": "y", "duration": 3.0}
    clean = nbdoc.strip(nb)
    assert "papermill" not in clean["metadata"]
    (cell,) = clean["cells"]
    assert cell["metadata"] == {} and cell["execution_count"] == 1
    assert cell["outputs"][0]["data"]["text/plain"] == "<Figure at 0x…>"
    assert cell["outputs"][0]["execution_count"] == 1
    assert cell["outputs"][1]["text"] == "ipykernel/123.py:1: UserWarning: w\n"


def test_cache_key_follows_content_not_mtime(tmp_path):
    paths = make_project(tmp_path)
    ok_notebook(paths.notebooks / "01_ok.ipynb")
    (job,) = plan(paths)
    nb = nbdoc.load(job.notebook)
    key, _ = Fingerprint(paths).key(nb, job.values)
    raw = paths.raw / "facts.csv"
    time.sleep(0.01)
    os.utime(raw)  # touch: same content
    assert Fingerprint(paths).key(nb, job.values)[0] == key
    raw.write_text(raw.read_text() + "b,2\n")  # one more raw row
    assert Fingerprint(paths).key(nb, job.values)[0] != key
    raw.write_text("id,value\na,1\n")
    assert Fingerprint(paths).key(nb, job.values)[0] == key
    assert Fingerprint(paths).key(nb, {**job.values, "x": 2})[0] != key
    executed = json.loads(json.dumps(nb))
    executed["cells"][2]["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "hi"}]
    executed["cells"][2]["execution_count"] = 3
    assert Fingerprint(paths).key(executed, job.values)[0] == key  # outputs do not count
    (paths.root / "requirements.lock").write_text("pandas==2.3\n")
    assert Fingerprint(paths).key(nb, job.values)[0] != key


def test_helper_modules_a_notebook_depends_on(tmp_path):
    from analysis.paths import Paths

    src = Paths.under(tmp_path).src  # the real package
    nb = {"cells": [_cell(None, source="%matplotlib inline\nfrom analysis import figures\n")]}
    imported = notebook_imports(nb)
    assert imported == {"analysis", "analysis.figures"}
    closure = module_closure(src, imported)
    assert "analysis.figures" in closure and "analysis.tables" not in closure
    data = module_closure(src, {"analysis.data"})
    assert {"analysis.data.build", "analysis.data.sources"} <= set(data)


def test_exchange_swaps_folders(tmp_path):
    old, new = tmp_path / "target", tmp_path / "new"
    old.mkdir()
    (old / "a").write_text("old")
    new.mkdir()
    (new / "a").write_text("new")
    exchange(new, old)
    assert (old / "a").read_text() == "new" and (new / "a").read_text() == "old"
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    exchange(fresh, tmp_path / "created")
    assert (tmp_path / "created").is_dir() and not fresh.exists()


def test_a_second_run_is_refused_while_the_lock_is_held(tmp_path):
    from filelock import FileLock

    from analysis.suite.runner import Busy, run_jobs

    paths = make_project(tmp_path)
    ok_notebook(paths.notebooks / "01_ok.ipynb")
    paths.reports.mkdir()
    with FileLock(str(paths.reports / ".lock")):
        with pytest.raises(Busy, match="another `analysis run` is writing"):
            run_jobs(plan(paths), paths)
    assert not (paths.reports / "manifest.json").exists()


def test_cli_exit_code_2_when_locked(tmp_path, monkeypatch):
    from click.testing import CliRunner
    from filelock import FileLock

    from analysis.cli import main

    paths = make_project(tmp_path)
    ok_notebook(paths.notebooks / "01_ok.ipynb")
    paths.reports.mkdir()
    monkeypatch.setenv("ANALYSIS_ROOT", str(paths.root))
    with FileLock(str(paths.reports / ".lock")):
        result = CliRunner().invoke(main, ["run", "-q"])
    assert result.exit_code == 2
    assert "another `analysis run` is writing" in result.output


def test_store_manifest_survives_garbage(tmp_path):
    store = Store(tmp_path)
    (tmp_path / "manifest.json").write_text("{not json")
    assert store.manifest() == {"suite": {}, "notebooks": {}}


def test_the_command_line_imports_nothing_heavy():
    import subprocess
    import sys

    code = (
        "import sys, analysis.cli, analysis.suite.runner, analysis.suite.plan\n"
        "heavy = {'pandas', 'papermill', 'nbformat', 'nbconvert', 'matplotlib', 'jsonschema'}\n"
        "print(sorted(heavy & set(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_changing_a_helper_reruns_only_the_notebooks_importing_it(tmp_path):
    paths = make_project(tmp_path / "proj")
    src = tmp_path / "pkg" / "analysis"
    (src / "suite").mkdir(parents=True)
    (src / "__init__.py").write_text("")
    (src / "suite" / "__init__.py").write_text("")
    (src / "base.py").write_text("X = 1\n")
    (src / "alpha.py").write_text("from analysis.base import X\n")
    (src / "beta.py").write_text("from . import base\n")
    (src / "gamma.py").write_text("Y = 2\n")
    notebooks = {
        "a": {"cells": [_cell(None, source="from analysis import alpha")]},
        "b": {"cells": [_cell(None, source="import analysis.beta as b")]},
        "g": {"cells": [_cell(None, source="from analysis.gamma import Y")]},
    }

    def keys():
        fp = Fingerprint(paths, src=src)
        return {name: fp.key(nb, {})[0] for name, nb in notebooks.items()}

    first = keys()
    (src / "gamma.py").write_text("Y = 3\n")
    second = keys()
    assert [n for n in first if first[n] != second[n]] == ["g"]
    (src / "base.py").write_text("X = 2\n")  # imported by alpha and (relatively) by beta
    third = keys()
    assert [n for n in second if second[n] != third[n]] == ["a", "b"]
    (src / "suite" / "runner.py").write_text("# the runner shapes every output\n")
    fourth = keys()
    assert all(third[n] != fourth[n] for n in third)
