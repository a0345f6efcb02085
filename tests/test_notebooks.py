"""The notebooks run under papermill, with defaults and with other parameters."""

from __future__ import annotations

import json

import pytest

from analysis.data.build import build
from analysis.suite.runner import discover, run_notebook

pytestmark = pytest.mark.slow


@pytest.fixture
def built(project):
    build(project)
    return project


def _outputs_text(path) -> str:
    nb = json.loads(path.read_text())
    parts = []
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            parts.append(json.dumps(out))
    return "\n".join(parts)


def test_every_numbered_notebook_is_discovered(built):
    names = [p.name for p in discover(built)]
    assert "00_data_overview.ipynb" in names
    assert names == sorted(names)


@pytest.mark.parametrize("as_of", [None, "2024-02-26"])
def test_data_overview_runs(built, as_of):
    notebook = built.notebooks / "00_data_overview.ipynb"
    params = {} if as_of is None else {"as_of": as_of}
    result = run_notebook(notebook, built, params, timeout=300)
    assert result.ok, result.error
    text = _outputs_text(result.output)
    assert f"As of: {as_of or 'all facts'}" in text
    figures = built.reports / "figures" / "00_data_overview"
    for stem in ("rows_per_year", "sources_by_publisher", "largest_deals"):
        for ext in ("pdf", "svg", "png", "json"):
            assert (figures / f"{stem}.{ext}").stat().st_size > 0
    sidecar = json.loads((figures / "rows_per_year.json").read_text())
    assert sidecar["parameters"]["as_of"] == (as_of or "latest")
    largest = (built.reports / "tables" / "00_data_overview" / "largest_deals.csv").read_text()
    if as_of:
        # only deals public by the as-of date appear
        import pandas as pd

        frame = pd.read_csv(built.reports / "tables" / "00_data_overview" / "largest_deals.csv")
        assert (pd.to_datetime(frame["announced_date"]) <= as_of).all()
    assert largest.startswith("announced_date,")


def test_failing_notebook_keeps_no_output(built):
    bad = built.notebooks / "99_broken.ipynb"
    bad.write_text(
        json.dumps(
            {
                "cells": [
                    {
                        "cell_type": "code",
                        "metadata": {"tags": ["parameters"]},
                        "source": "x: int = 1",
                        "outputs": [],
                        "execution_count": None,
                    },
                    {
                        "cell_type": "code",
                        "metadata": {},
                        "source": "raise RuntimeError('boom')",
                        "outputs": [],
                        "execution_count": None,
                    },
                ],
                "metadata": {
                    "kernelspec": {
                        "name": "python3",
                        "display_name": "Python 3",
                        "language": "python",
                    }
                },
                "nbformat": 4,
                "nbformat_minor": 4,
            }
        )
    )
    result = run_notebook(bad, built, {}, timeout=60)
    assert not result.ok and "boom" in result.error
    assert not (built.reports / "notebooks" / "99_broken.ipynb").exists()
