"""Speed checks of the report runner (see benchmarks/README.md for the figures).

Measures, on a private copy of the project (the checkout is never modified):

1. ``papermill`` run on every notebook one after the other (the plain baseline);
2. ``analysis run`` cold (``--force``, default ``--jobs``: the number of cores);
3. ``analysis run`` again with nothing changed (every notebook cached);
4. ``analysis run`` after one helper module changed (only the notebooks importing it re-run);
5. ``analysis --help`` (start-up time of the command line).

Usage: ``python benchmarks/run.py [--repeat N] [--json FILE]`` (``make bench``).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def _timed(cmd: list[str], env: dict[str, str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(
        cmd, env=env, cwd=cwd, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    return time.perf_counter() - start


def _copy_project(dest: Path) -> Path:
    for name in ("notebooks", "data", "src"):
        shutil.copytree(
            ROOT / name, dest / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info")
        )
    for name in ("pyproject.toml", "requirements.lock"):
        shutil.copy2(ROOT / name, dest / name)
    return dest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1, help="repetitions of the timed runs")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="analysis-bench-") as tmp:
        project = _copy_project(Path(tmp) / "project")
        env = {
            **os.environ,
            "ANALYSIS_ROOT": str(project),
            "PYTHONPATH": str(project / "src"),  # the copy, so that a helper can be changed
            "PYTHONHASHSEED": "0",
            "MPLBACKEND": "Agg",
        }
        env.pop("ANALYSIS_REPORTS_DIR", None)
        analysis = [str(BIN / "analysis")]
        subprocess.run(
            [*analysis, "data", "build"],
            env=env,
            cwd=project,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        notebooks = sorted(p for p in (project / "notebooks").glob("[0-9][0-9]_*.ipynb"))
        out = Path(tmp) / "papermill"
        out.mkdir()

        figures: dict[str, list[float]] = {
            k: [] for k in ("papermill", "cold", "cached", "helper", "help")
        }
        for _ in range(args.repeat):
            start = time.perf_counter()
            for nb in notebooks:
                subprocess.run(
                    [str(BIN / "papermill"), str(nb), str(out / nb.name), "-p", "output_dir", str(out),
                     "--cwd", str(project / "notebooks")],
                    env=env, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                )  # fmt: skip
            figures["papermill"].append(time.perf_counter() - start)
            figures["cold"].append(_timed([*analysis, "run", "-q", "--force"], env, project))
            figures["cached"].append(_timed([*analysis, "run", "-q"], env, project))
            helper = project / "src" / "analysis" / "tables.py"
            helper.write_text(helper.read_text() + f"\n# benchmark edit {time.time()}\n")
            figures["helper"].append(_timed([*analysis, "run", "-q"], env, project))
            figures["help"].append(_timed([*analysis, "--help"], env, project))
        manifest = json.loads((project / "reports" / "manifest.json").read_text())
        failed = [n for n, e in manifest["notebooks"].items() if e.get("status") != "ok"]

    best = {k: min(v) for k, v in figures.items()}
    result = {
        "cores": len(os.sched_getaffinity(0)),
        "notebooks": [nb.stem for nb in notebooks],
        "failed": failed,
        "seconds": {k: round(v, 2) for k, v in best.items()},
        "median": {k: round(statistics.median(v), 2) for k, v in figures.items()},
        "cold_over_papermill": round(best["cold"] / best["papermill"], 2),
    }
    print(f"{len(notebooks)} notebooks on {result['cores']} cores (best of {args.repeat})")
    print("| measurement | seconds |")
    print("|---|---:|")
    labels = {
        "papermill": "plain papermill, one after the other",
        "cold": "analysis run --force (cold)",
        "cached": "analysis run, nothing changed",
        "helper": "analysis run after analysis/tables.py changed",
        "help": "analysis --help",
    }
    for key, label in labels.items():
        print(f"| {label} | {best[key]:.2f} |")
    print(f"cold / papermill = {result['cold_over_papermill']:.2f}; failed: {failed or 'none'}")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
