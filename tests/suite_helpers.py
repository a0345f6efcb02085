"""Small synthetic projects for the runner tests: tiny notebooks that start fast."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from analysis.paths import Paths


def code(source: str, tags: tuple[str, ...] = ()) -> dict:
    return {
        "cell_type": "code",
        "metadata": {"tags": list(tags)} if tags else {},
        "source": source,
        "outputs": [],
        "execution_count": None,
    }


def write_notebook(
    path: Path, *sources: str, parameters: str = "x: int = 1\noutput_dir: str = ''"
) -> Path:
    """A notebook: a title, a parameters cell, then one code cell per source."""
    nb = {
        "cells": [
            {
                "cell_type": "markdown",
                "metadata": {},
                "source": f"# {path.stem}\n\nA test notebook.",
            },
            code(parameters, ("parameters",)),
            *(code(s) for s in sources),
        ],
        "metadata": {
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    for index, cell in enumerate(nb["cells"]):
        cell["id"] = f"c{index}"
    path.write_text(json.dumps(nb, indent=1))
    return path


SAVES = """\
import os
from pathlib import Path
out = Path(output_dir) / "tables" / NAME
out.mkdir(parents=True, exist_ok=True)
(out / "t.csv").write_text(f"x\\n{x}\\n")
from analysis import results
results.record("double", 2 * x)
print("x is", x)
"""


def ok_notebook(path: Path) -> Path:
    return write_notebook(
        path, f"NAME = {path.stem!r}\n" + SAVES, "from analysis import results\nresults.complete()"
    )


def make_project(root: Path) -> Paths:
    """A project with a raw CSV, a lock file and an empty notebooks folder."""
    paths = Paths.under(root)
    for folder in (paths.raw, paths.processed, paths.notebooks):
        folder.mkdir(parents=True, exist_ok=True)
    (paths.raw / "facts.csv").write_text("id,value\na,1\n")
    (root / "requirements.lock").write_text("pandas==2.2\n")
    (root / "pyproject.toml").write_text("# test project\n")
    return paths


def digests(folder: Path) -> dict[str, str]:
    """Relative path -> sha256 of every published file (staging, lock and log excluded)."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
        and not any(part.startswith(".") for part in p.relative_to(folder).parts)
        and p.name not in ("run.log",)
    }
