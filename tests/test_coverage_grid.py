"""The gap grid of quarterly series (analysis.coverage): quarters, ranges and their inverse."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis.coverage import (
    compact_quarters,
    expand_quarters,
    quarter_gaps,
    quarter_grid,
    quarterly_rows,
)

quarter_labels = st.lists(
    st.builds(lambda y, q: f"{y}Q{q}", st.integers(2015, 2030), st.integers(1, 4)), max_size=40
)


@given(quarter_labels)
def test_compact_then_expand_gives_the_sorted_set_back(labels):
    assert expand_quarters(compact_quarters(labels)) == sorted(set(labels))


def test_ranges_cross_year_ends():
    assert compact_quarters(["2019Q4", "2020Q1", "2020Q3"]) == "2019Q4–2020Q1, 2020Q3"
    assert expand_quarters("2019Q4-2020Q1") == ["2019Q4", "2020Q1"]


def test_grid_places_fiscal_quarters_by_their_end_and_keeps_empty_quarters():
    # Microsoft FY2020 Q1 ends 2019-09-30: calendar 2019Q3. Nothing in 2019Q4: a zero column.
    capex = pd.DataFrame(
        {
            "company": ["microsoft", "microsoft", "alphabet"],
            "measure": ["purchases_ppe", "purchases_ppe_incl_finance_leases", "purchases_ppe"],
            "fiscal_quarter": [1, 1, 3],
            "period_end": pd.to_datetime(["2019-09-30", "2019-09-30", "2019-09-30"]),
        }
    )
    grid = quarter_grid(quarterly_rows(capex), ["company"], "2019-07-01", "2019-12-31")
    assert list(grid.columns) == ["2019Q3", "2019Q4"]
    assert grid.loc["microsoft"].tolist() == [2, 0]
    gaps = quarter_gaps(grid)
    assert gaps.loc["alphabet", "gaps"] == "2019Q4"
    assert gaps.loc["microsoft", ["covered", "missing"]].tolist() == [1, 1]


def test_guidance_and_annual_shares_are_not_quarters():
    capex = pd.DataFrame(
        {"fiscal_quarter": [1, None], "period_end": pd.to_datetime(["2024-03-31", "2024-12-31"])}
    )
    assert len(quarterly_rows(capex)) == 1
    half_year = pd.DataFrame(
        {
            "period_start": pd.to_datetime(["2025-01-01"]),
            "period_end": pd.to_datetime(["2025-06-30"]),
        }
    )
    assert quarterly_rows(half_year).empty
    with pytest.raises(ValueError, match="neither"):
        quarterly_rows(pd.DataFrame({"x": [1]}))


def test_readme_gap_block_matches_the_data():
    from analysis.cli import GAPS_BEGIN, GAPS_END, coverage_markdown
    from analysis.data.sources import load_raw
    from analysis.paths import project_paths

    readme = (project_paths().raw / "README.md").read_text(encoding="utf-8")
    block = readme.split(GAPS_BEGIN, 1)[1].split(GAPS_END, 1)[0].strip()
    assert block == coverage_markdown(load_raw()).strip(), (
        "data/raw/README.md gap block is stale: run `analysis data coverage --readme`"
    )


def test_cli_rewrites_only_the_gap_block(project, monkeypatch):
    from click.testing import CliRunner

    from analysis.cli import GAPS_BEGIN, main

    monkeypatch.setenv("ANALYSIS_ROOT", str(project.root))
    readme = project.raw / "README.md"
    before = readme.read_text(encoding="utf-8")
    head = before.split(GAPS_BEGIN, 1)[0]
    readme.write_text(before.replace("2019Q1 to", "1999Q1 to", 1), encoding="utf-8")
    result = CliRunner().invoke(main, ["data", "coverage", "--readme"])
    assert result.exit_code == 0, result.output
    assert readme.read_text(encoding="utf-8") == before  # stale block mended, the rest kept
    assert before.startswith(head)

    readme.write_text("# no block here\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["data", "coverage", "--readme"])
    assert result.exit_code == 2
    assert readme.read_text(encoding="utf-8") == "# no block here\n"
    assert not list(project.raw.glob(".README.*"))  # no temporary file left behind
