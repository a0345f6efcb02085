"""Notebooks 03 (market concentration) and 04 (partnerships) run with defaults and other values."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from analysis.suite.runner import run_notebook

pytestmark = pytest.mark.slow


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"as_of": "2024-02-26"},
        {"as_of": "2010-01-01"},  # before any fact: every table empty
        {"market": "enterprise_llm_api", "treatment": "merged", "simulation": "dirichlet"},
    ],
)
def test_market_concentration_runs(built, params):
    result = run_notebook(built.notebooks / "03_market_concentration.ipynb", built, params, 300)
    assert result.ok, result.error
    figures = built.reports / "figures" / "03_market_concentration"
    for stem in ("shares_over_time", "hhi_over_time", "treatments", "screens"):
        assert (figures / f"{stem}.pdf").stat().st_size > 0
    tables = built.reports / "tables" / "03_market_concentration"
    treatments = pd.read_csv(tables / "treatments.csv")
    assert set(treatments["treatment"]) <= {"independent", "silent", "proportional", "merged"}
    screens = pd.read_csv(tables / "screens.csv")
    assert set(screens["guideline"]) <= {"us_2023", "us_2010", "eu_2004"}
    if params.get("as_of") == "2010-01-01":
        assert treatments.empty
    # bounds are the result: no central HHI column, no central headline, keys carry the measure
    over_time = pd.read_csv(tables / "concentration_over_time.csv")
    assert "hhi" not in over_time.columns
    assert {"hhi_low", "hhi_high", "firms_named", "named_share", "cr_n"} <= set(over_time.columns)
    assert (over_time["hhi_low"] <= over_time["hhi_high"] + 1e-9).all()
    assert (over_time["named_share"] > 50.0).all()  # default min_named is strict
    assert {"links", "inert_links", "mhhi_low", "mhhi_high"} <= set(treatments.columns)
    assert not [
        k for k in result.results if k.startswith("hhi_") and "_low_" not in k and "_high_" not in k
    ]
    for key in result.results:
        if key.startswith("delta_"):
            assert key.endswith(("_revenue", "_spend", "_usage", "_shipments"))


@pytest.mark.parametrize("params", [{}, {"as_of": "2024-02-26"}, {"as_of": "2010-01-01"}])
def test_partnerships_runs(built, params):
    result = run_notebook(built.notebooks / "04_partnerships.ipynb", built, params, 300)
    assert result.ok, result.error
    figures = built.reports / "figures" / "04_partnerships"
    for stem in ("network", "availability", "multihoming", "funding_by_region"):
        assert (figures / f"{stem}.png").stat().st_size > 0
    claims = pd.read_csv(built.reports / "tables" / "04_partnerships" / "claims_check.csv")
    assert len(claims) == 7
    sidecar = json.loads((figures / "network.json").read_text())
    assert sidecar["parameters"]["as_of"] == params.get("as_of", "latest")
    # ceilings are reported apart from the counted money
    central = pd.read_csv(built.reports / "tables" / "04_partnerships" / "centrality.csv")
    assert {"invested_usd", "invested_ceiling_usd", "compute_ceiling_usd"} <= set(central.columns)
