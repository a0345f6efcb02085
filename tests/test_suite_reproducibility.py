"""The shipped data-overview notebook through `analysis run`: byte-identical reruns, variants."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from suite_helpers import digests

from analysis.cli import main
from analysis.data.build import build

pytestmark = pytest.mark.slow


def test_data_overview_reruns_are_byte_identical(project, monkeypatch):
    build(project)
    for extra in project.notebooks.glob("[0-9][0-9]_*.ipynb"):
        if extra.stem != "00_data_overview":
            extra.unlink()  # other notebooks have their own tests
    monkeypatch.setenv("ANALYSIS_ROOT", str(project.root))
    for var in ("ANALYSIS_REPORTS_DIR", "ANALYSIS_RAW_DIR", "ANALYSIS_PROCESSED_DIR"):
        monkeypatch.delenv(var, raising=False)
    first = CliRunner().invoke(main, ["run", "--variant", "seed-article"])
    assert first.exit_code == 0, first.output
    before = digests(project.reports)
    again = CliRunner().invoke(main, ["run", "--variant", "seed-article"])
    assert again.exit_code == 0 and "cached" in again.output
    forced = CliRunner().invoke(main, ["run", "--variant", "seed-article", "--force"])
    assert forced.exit_code == 0, forced.output
    after = digests(project.reports)
    kinds = ("figures/", "tables/", "notebooks/", "html/", "results/")
    published = sorted(k for k in before if k.startswith(kinds))
    assert len(published) > 20
    assert {k: before[k] for k in published} == {k: after[k] for k in published}
    for ext in ("pdf", "svg", "png"):
        assert f"figures/00_data_overview/rows_per_year.{ext}" in published
    sidecar = json.loads(
        (project.reports / "figures/00_data_overview/rows_per_year.json").read_text()
    )
    assert sidecar["parameters"]["as_of"] == "2024-02-26"
    manifest = json.loads((project.reports / "manifest.json").read_text())
    assert manifest["notebooks"]["00_data_overview"]["good"]["parameters"]["as_of"] == "2024-02-26"
