"""Coverage of the curated data: counts per table, company and period may only grow.

The floors below are the coverage reached so far (see data/raw/README.md). A change that drops rows
must lower a floor here on purpose, in the same commit as a CHANGELOG entry saying why.
"""

from __future__ import annotations

import pandas as pd
import pytest

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


@pytest.mark.parametrize(
    ("company", "floor"), [("microsoft", 20), ("alphabet", 23), ("amazon", 12), ("meta", 29)]
)
def test_capex_quarters(raw, company, floor):
    capex = raw["capex"]
    quarters = capex[(capex["company"] == company) & capex["fiscal_quarter"].notna()]
    assert len(quarters) >= floor
    assert (capex[capex["company"] == company]["fiscal_quarter"].isna()).sum() >= 1  # guidance


@pytest.mark.parametrize(
    ("market", "series", "floor"),
    [
        ("cloud_infrastructure_services", "synergy", 59),
        ("cloud_infrastructure_services", "canalys", 79),
        ("enterprise_llm_api", "menlo_ventures", 4),
    ],
)
def test_market_share_series(raw, market, series, floor):
    shares = raw["market_shares"]
    assert ((shares["market"] == market) & (shares["series"] == series)).sum() >= floor


def test_ownership_and_availability(raw):
    ties = set(zip(raw["ownership"]["investor"], raw["ownership"]["investee"], strict=True))
    assert {("microsoft", "openai"), ("amazon", "anthropic"), ("alphabet", "anthropic")} <= ties
    availability = raw["availability"]
    assert len(availability) >= 24
    mistral_large = availability[availability["model_family"].str.contains("Mistral Large")]
    assert {"azure", "own_api"} <= set(mistral_large["platform"])
