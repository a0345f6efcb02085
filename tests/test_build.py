"""The processed build: derived columns, as-of filtering, provenance of conversions."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import VALID_DEAL, append_row

from analysis.data.build import (
    build,
    known_as_of,
    load,
    load_build_info,
    preference_chains,
    primary_rows,
)
from analysis.data.schemas import ALTERNATE_TABLES, KEYS

CAPEX_ROW = {
    "company": "microsoft",
    "fiscal_year": "2025",
    "fiscal_quarter": "2",
    "period_end": "2024-12-31",
    "capex": "100",
    "currency": "USD",
    "measure": "purchases_ppe",
    "revenue": "1000",
    "status": "announced",
    "source_url": "https://example.org/x",
    "source_title": "Test fixture",
    "publisher": "Test",
    "source_date": "2025-01-29",
    "note": "synthetic row used only by the tests",
}


@pytest.fixture
def built(project):
    append_row(project.raw / "deals.csv", **VALID_DEAL)
    append_row(
        project.raw / "deals.csv",
        **{
            **VALID_DEAL,
            "deal_id": "test-deal-late",
            "announced_date": "2024-06-11",
            "source_date": "2024-06-11",
        },
    )
    append_row(project.raw / "capex.csv", capex_id="test-capex-q", **CAPEX_ROW)
    append_row(
        project.raw / "capex.csv",
        capex_id="test-capex-guidance",
        **{
            **CAPEX_ROW,
            "fiscal_quarter": "",
            "period_end": "2025-06-30",
            "revenue": "",
            "capex_high": "120",
        },
    )
    build(project, base_year=2023)
    return project


def test_deal_amounts_in_usd_at_the_announcement_rate(built):
    deals = load("deals", paths=built).set_index("deal_id")
    row = deals.loc["test-deal-0001"]
    # ECB reference rate of 26 February 2024 (eurofxref-hist): 1 EUR = 1.0852 USD.
    assert row["amount_fx_rate"] == pytest.approx(1.0852)
    assert row["amount_usd"] == pytest.approx(15e6 * 1.0852)
    assert row["amount"] == 15e6 and row["currency"] == "EUR"  # the source's figure is kept


def test_capex_on_calendar_quarters(built):
    capex = load("capex", paths=built).set_index("capex_id")
    quarter = capex.loc["test-capex-q"]
    assert (quarter["calendar_year"], quarter["calendar_quarter"]) == (2024, 4)
    assert quarter["quarter"] == "2024Q4"
    assert not quarter["is_guidance"]
    guidance = capex.loc["test-capex-guidance"]
    assert guidance["is_guidance"] and pd.isna(guidance["calendar_quarter"])


def test_build_info_records_vintages_and_hashes(built):
    info = load_build_info(built)
    assert info["base_year"] == 2023
    assert info["as_of"] is None
    assert info["fx_vintage"] >= "2024-01-01"
    assert set(info["raw_sha256"]) >= {"deals.csv", "capex.csv", "companies.csv"}


def test_as_of_at_build_time(project):
    append_row(project.raw / "deals.csv", **VALID_DEAL)
    append_row(
        project.raw / "deals.csv",
        **{**VALID_DEAL, "deal_id": "test-deal-late", "source_date": "2024-06-11"},
    )
    info = build(project, as_of="2024-03-01")
    ids = set(load("deals", paths=project)["deal_id"])
    assert "test-deal-0001" in ids and "test-deal-late" not in ids
    assert info["as_of"] == "2024-03-01"
    assert (load("deals", paths=project)["source_date"] <= "2024-03-01").all()


def test_as_of_when_loading(built):
    early = load("deals", as_of="2024-03-01", paths=built)
    assert "test-deal-late" not in set(early["deal_id"])
    assert "test-deal-late" in set(load("deals", paths=built)["deal_id"])


def test_known_as_of_needs_both_source_and_event_dates():
    frame = pd.DataFrame(
        {
            "source_date": pd.to_datetime(["2024-01-10", "2024-01-10", "2024-03-10"]),
            "announced_date": pd.to_datetime(["2024-01-09", "2024-04-01", "2024-01-09"]),
        }
    )
    kept = known_as_of(frame, "2024-02-01", "deals")
    assert len(kept) == 1
    # Guidance and projections may refer to future periods: filtered on source date only.
    revenue = pd.DataFrame(
        {"source_date": pd.to_datetime(["2024-01-10"]), "date": pd.to_datetime(["2025-12-31"])}
    )
    assert len(known_as_of(revenue, "2024-02-01", "revenue")) == 1


def test_load_before_build_names_the_fix(project):
    with pytest.raises(FileNotFoundError, match="analysis data build"):
        load("deals", paths=project)


def _fact_groups(frame: pd.DataFrame, key: str) -> dict[str, str]:
    """Each row's fact: the preferred row at the end of its alternate_of chain."""
    links = dict(zip(frame[key], frame["alternate_of"], strict=True))
    groups = {}
    for row_id in frame[key]:
        step = row_id
        while isinstance(links.get(step), str):
            step = links[step]
        groups[row_id] = step
    return groups


@pytest.mark.parametrize("table", ALTERNATE_TABLES)
def test_no_fact_ever_has_two_versions_in_an_as_of_view(built, table):
    """On every date a source was published, one row per fact survives primary_rows."""
    frame = load(table, paths=built)
    key = KEYS[table]
    groups = _fact_groups(frame, key)
    for day in sorted(frame["source_date"].dropna().unique()):
        kept = primary_rows(known_as_of(frame, pd.Timestamp(day), table), table)
        facts = kept[key].map(groups)
        twice = sorted(facts[facts.duplicated(keep=False)].unique())
        assert not twice, f"{table} as of {pd.Timestamp(day).date()}: two versions of {twice}"


def test_a_chain_falls_back_to_the_nearest_known_version():
    frame = pd.DataFrame(
        {
            "round_id": ["x", "x-early", "x-slip"],
            "alternate_of": [None, "x", "x-early"],
        }
    )
    frame["preferred_by"] = preference_chains(frame, "round_id")
    assert frame["preferred_by"].tolist() == [None, "x", "x-early;x"]
    assert primary_rows(frame, "funding_rounds")["round_id"].tolist() == ["x"]
    assert primary_rows(frame.iloc[[2]], "funding_rounds")["round_id"].tolist() == ["x-slip"]
    # the middle of the chain missing (not yet known): the head still wins
    assert primary_rows(frame.iloc[[0, 2]], "funding_rounds")["round_id"].tolist() == ["x"]
