"""Coverage of the curated data: counts per table, company and period may only grow.

The floors below are the coverage reached so far (see data/raw/README.md). A change that drops rows
must lower a floor here on purpose, in the same commit as a CHANGELOG entry saying why.
"""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.coverage import compact_quarters, expand_quarters, quarter_grid, quarterly_rows
from analysis.data.sources import load_raw


@pytest.fixture(scope="module")
def raw() -> dict[str, pd.DataFrame]:
    return load_raw()


def test_deals_cover_the_main_ties(raw):
    deals = raw["deals"]
    assert len(deals) >= 45
    pairs = set(zip(deals["investor"], deals["investee"], strict=True))
    for pair in [
        ("microsoft", "openai"),
        ("amazon", "anthropic"),
        ("alphabet", "anthropic"),
        ("microsoft", "mistral_ai"),
        ("microsoft", "inflection_ai"),
        ("alphabet", "character_ai"),
        ("amazon", "adept"),
        ("microsoft", "g42"),
        ("meta", "scale_ai"),
        ("nvidia", "openai"),
    ]:
        assert pair in pairs, pair
    # each Amazon-Anthropic tranche is its own row
    tranches = deals[(deals["investor"] == "amazon") & (deals["investee"] == "anthropic")]
    assert len(tranches) >= 3
    assert {"acqui_hire", "licensing", "compute_commitment", "convertible_note"} <= set(
        deals["deal_type"]
    )


def test_funding_rounds_and_revenue(raw):
    rounds, revenue = raw["funding_rounds"], raw["revenue"]
    assert len(rounds) >= 60 and rounds["company"].nunique() >= 12
    assert len(revenue) >= 35 and revenue["company"].nunique() >= 6
    assert {"annualized_run_rate", "fiscal_year_revenue"} <= set(revenue["metric"])
    # the seed article's Mistral round: as announced (EUR 385M) and as first reported (~EUR 450M)
    mistral = rounds[
        (rounds["company"] == "mistral_ai") & (rounds["announced_date"] < "2024-01-01")
    ]
    assert {385e6, 450e6} <= set(mistral["amount_raised"])


# Calendar quarters with at least one row, per series. They may only grow: a change that loses a
# quarter must edit this list on purpose (with a CHANGELOG entry). `analysis data coverage` shows
# the current grid.
CAPEX_QUARTERS: dict[tuple[str, str], str] = {
    ("alphabet", "purchases_ppe"): "2019Q1–2026Q2",
    ("amazon", "purchases_ppe"): "2022Q3, 2023Q1–2023Q3, 2024Q1–2026Q2",
    ("amazon", "purchases_ppe_incl_finance_leases"): "2025Q4",
    ("amazon", "purchases_ppe_net"): "2019Q1, 2023Q1–2023Q3, 2024Q1–2025Q3, 2026Q1–2026Q2",
    ("meta", "purchases_ppe"): "2020Q1–2026Q2",
    (
        "meta",
        "purchases_ppe_incl_finance_leases",
    ): "2019Q1, 2019Q3–2020Q2, 2021Q1–2021Q3, 2022Q3, 2023Q2–2026Q2",
    ("microsoft", "purchases_ppe"): "2020Q3–2026Q2",
    ("microsoft", "purchases_ppe_incl_finance_leases"): "2023Q1–2025Q4, 2026Q2",
}
SHARE_QUARTERS: dict[tuple[str, str], str] = {
    ("cloud_infrastructure_services", "canalys"): "2018Q4, 2019Q3–2024Q2, 2025Q1–2025Q3",
    ("cloud_infrastructure_services", "synergy"): "2020Q1–2020Q4, 2021Q2–2024Q2, 2024Q4–2026Q2",
}


def _covered(frame: pd.DataFrame, by: list[str], key: tuple[str, str], start: str) -> set[str]:
    grid = quarter_grid(quarterly_rows(frame), by, start, "2030-12-31")
    if key not in grid.index:
        return set()
    row = grid.loc[key]
    return {quarter for quarter, n in row.items() if n}


@pytest.mark.parametrize("key", sorted(CAPEX_QUARTERS))
def test_capex_quarters_never_shrink(raw, key):
    lost = set(expand_quarters(CAPEX_QUARTERS[key])) - _covered(
        raw["capex"], ["company", "measure"], key, "2019-01-01"
    )
    assert not lost, f"capex {key} lost quarters: {compact_quarters(sorted(lost))}"


@pytest.mark.parametrize("company", ["alphabet", "amazon", "meta", "microsoft"])
def test_capex_has_guidance_and_revenue(raw, company):
    capex = raw["capex"][raw["capex"]["company"] == company]
    assert capex["fiscal_quarter"].isna().sum() >= 1  # at least one annual guidance row
    quarters = capex[capex["fiscal_quarter"].notna()]
    assert quarters["revenue"].notna().all()  # same-quarter revenue on every quarterly row


@pytest.mark.parametrize("key", sorted(SHARE_QUARTERS))
def test_market_share_quarters_never_shrink(raw, key):
    lost = set(expand_quarters(SHARE_QUARTERS[key])) - _covered(
        raw["market_shares"], ["market", "series"], key, "2018-01-01"
    )
    assert not lost, f"market shares {key} lost quarters: {compact_quarters(sorted(lost))}"


@pytest.mark.parametrize(
    ("market", "series", "floor"),
    [
        ("cloud_infrastructure_services", "synergy", 85),
        ("cloud_infrastructure_services", "canalys", 93),
        ("enterprise_llm_api", "menlo_ventures", 18),
    ],
)
def test_market_share_rows(raw, market, series, floor):
    shares = raw["market_shares"]
    assert ((shares["market"] == market) & (shares["series"] == series)).sum() >= floor
    if series == "menlo_ventures":  # each Menlo row says what it measures
        menlo = shares[shares["series"] == series]
        assert set(menlo["measure"]) <= {"usage", "spend"}


def test_ownership_and_availability(raw):
    ties = set(zip(raw["ownership"]["investor"], raw["ownership"]["investee"], strict=True))
    assert {("microsoft", "openai"), ("amazon", "anthropic"), ("alphabet", "anthropic")} <= ties
    availability = raw["availability"]
    assert len(availability) >= 36
    mistral_large = availability[availability["model_family"].str.contains("Mistral Large")]
    assert {"azure", "own_api"} <= set(mistral_large["platform"])
