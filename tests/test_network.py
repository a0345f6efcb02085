"""The partnership network, multi-homing, funding by region and the seed-article claims check."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import network as n

COMPANIES = pd.DataFrame(
    {
        "company_id": ["microsoft", "amazon", "alphabet", "openai", "anthropic", "mistral_ai"],
        "name": ["Microsoft", "Amazon", "Alphabet", "OpenAI", "Anthropic", "Mistral AI"],
        "kind": ["hyperscaler", "hyperscaler", "hyperscaler", "lab", "lab", "lab"],
        "region": ["us", "us", "us", "us", "us", "europe"],
    }
)


def _deals(rows):
    cols = [
        "deal_id",
        "investor",
        "investee",
        "announced_date",
        "deal_type",
        "amount_usd",
        "amount_qualifier",
        "status",
        "publisher",
    ]
    frame = pd.DataFrame(rows, columns=cols)
    frame["announced_date"] = pd.to_datetime(frame["announced_date"])
    return frame


DEALS = _deals(
    [
        (
            "m-o-2019",
            "microsoft",
            "openai",
            "2019-07-22",
            "equity",
            1e9,
            "exact",
            "announced",
            "OpenAI",
        ),
        (
            "m-o-2023-talks",
            "microsoft",
            "openai",
            "2023-01-09",
            "equity",
            1e10,
            "about",
            "rumoured",
            "WION",
        ),
        (
            "m-o-2023",
            "microsoft",
            "openai",
            "2023-01-23",
            "equity",
            None,
            None,
            "announced",
            "Microsoft",
        ),
        (
            "m-o-2023-bbg",
            "microsoft",
            "openai",
            "2023-01-23",
            "equity",
            1e10,
            "exact",
            "reported",
            "ZDNET",
        ),
        (
            "a-an-2023",
            "amazon",
            "anthropic",
            "2023-09-25",
            "convertible_note",
            1.25e9,
            "exact",
            "announced",
            "Reuters",
        ),
        (
            "a-an-2024",
            "amazon",
            "anthropic",
            "2024-03-27",
            "convertible_note",
            2.75e9,
            "exact",
            "announced",
            "Reuters",
        ),
        (
            "g-an-2023",
            "alphabet",
            "anthropic",
            "2023-10-28",
            "convertible_note",
            2e9,
            "up_to",
            "reported",
            "Bloomberg",
        ),
        (
            "m-o-azure",
            "microsoft",
            "openai",
            "2025-10-28",
            "compute_commitment",
            2.5e11,
            "exact",
            "announced",
            "Microsoft",
        ),
    ]
)

OWNERSHIP = pd.DataFrame(
    {
        "ownership_id": ["m-o-1"],
        "investor": ["microsoft"],
        "investee": ["openai"],
        "date_from": pd.to_datetime(["2023-01-23"]),
        "economic_share": [49.0],
        "control": ["none"],
    }
)

AVAILABILITY = pd.DataFrame(
    {
        "availability_id": ["o-azure", "o-own", "o-bedrock", "ml-own", "ml-azure"],
        "model_family": ["GPT-4", "GPT-4", "gpt-oss", "Mistral Large", "Mistral Large"],
        "developer": ["openai", "openai", "openai", "mistral_ai", "mistral_ai"],
        "platform": ["azure", "own_api", "amazon_bedrock", "own_api", "azure"],
        "platform_owner": ["microsoft", "openai", "amazon", "mistral_ai", "microsoft"],
        "available_from": pd.to_datetime(
            ["2023-03-21", "2023-03-14", "2025-08-05", "2024-02-26", "2024-02-26"]
        ),
        "exclusive_until": pd.to_datetime([None, None, None, None, None]),
        "publisher": ["Microsoft", "OpenAI", "AWS", "MediaNama", "GlobalData"],
        "source_date": pd.to_datetime(
            ["2023-03-21", "2023-03-14", "2025-08-05", "2024-02-26", "2024-02-28"]
        ),
    }
)


def test_graph_nodes_edges_and_weights():
    g = n.build_graph(DEALS, OWNERSHIP, AVAILABILITY, COMPANIES)
    stake = g.get_edge_data("microsoft", "openai", "stake")
    assert stake["amount_usd"] == pytest.approx(11e9)  # rumoured talks not added
    assert stake["economic_share"] == 49.0
    assert g.has_edge("openai", n.platform_node("azure"), "distribution")
    assert g.has_edge("microsoft", n.platform_node("azure"), "runs")
    assert not g.has_edge("openai", n.platform_node("own_api"), "runs")
    assert g.nodes["mistral_ai"]["region"] == "europe"
    small = n.build_graph(
        DEALS, OWNERSHIP, AVAILABILITY, COMPANIES, min_amount_usd=1.5e9, keep_undisclosed=False
    )
    assert not small.has_edge("amazon", "anthropic", "stake") or (
        small.get_edge_data("amazon", "anthropic", "stake")["amount_usd"] >= 1.5e9
    )


def test_layout_is_deterministic_and_centrality_has_every_node():
    g = n.build_graph(DEALS, OWNERSHIP, AVAILABILITY, COMPANIES)
    p1, p2 = n.layout(g, seed=11), n.layout(g, seed=11)
    assert all((p1[k] == p2[k]).all() for k in p1)
    cen = n.centrality(g)
    assert set(cen.index) == set(g.nodes)
    assert cen.loc["microsoft", "compute_sold_usd"] == 2.5e11


def test_empty_tables_give_empty_results():
    empty_deals = DEALS.iloc[0:0]
    g = n.build_graph(empty_deals, OWNERSHIP.iloc[0:0], AVAILABILITY.iloc[0:0], COMPANIES)
    assert g.number_of_nodes() == 0
    assert n.centrality(g).empty
    assert n.layout(g) == {}
    assert n.multihoming(AVAILABILITY.iloc[0:0]).empty


def test_multihoming_counts_hyperscaler_clouds_only():
    mh = n.multihoming(AVAILABILITY, ["2024-01-01", "2025-12-31"])
    assert mh.loc["2024-01-01", "openai"] == 1  # own API is not a cloud
    assert mh.loc["2025-12-31", "openai"] == 2
    assert mh.loc["2025-12-31", "mistral_ai"] == 1


def test_dedupe_rounds_and_funding_by_region():
    # the data marks the second source of each round with alternate_of
    rounds = pd.DataFrame(
        {
            "round_id": [
                "mistral_ai-2023-12-bbg",
                "mistral_ai-2023-12",
                "anthropic-2024-01-s",
                "anthropic-2024-02-nyt",
                "openai-2024-04-talks",
            ],
            "company": ["mistral_ai", "mistral_ai", "anthropic", "anthropic", "openai"],
            "round": ["series_a", "series_a", "unnamed", "unnamed", "unnamed"],
            "announced_date": pd.to_datetime(
                ["2023-12-05", "2023-12-10", "2024-01-05", "2024-02-01", "2024-04-01"]
            ),
            "amount_raised": [450e6, 385e6, 750e6, 750e6, 1e9],
            "amount_raised_usd": [485e6, 415e6, 750e6, 750e6, 1e9],
            "status": ["reported", "announced", "reported", "reported", "rumoured"],
            "source_date": pd.to_datetime(
                ["2023-12-05", "2023-12-11", "2024-01-05", "2024-02-20", "2024-04-01"]
            ),
            "alternate_of": [
                "mistral_ai-2023-12",
                None,
                None,
                "anthropic-2024-01-s",
                None,
            ],
        }
    )
    kept = n.dedupe_rounds(rounds)
    assert sorted(kept["round_id"]) == ["anthropic-2024-01-s", "mistral_ai-2023-12"]
    by_region = n.funding_by_region(rounds, COMPANIES)
    assert by_region.loc[2023, "europe"] == pytest.approx(0.415)
    assert by_region.loc[2024, "us"] == pytest.approx(0.75)


def test_hyperscaler_ties_of_european_labs():
    ties = n.hyperscaler_ties(DEALS, AVAILABILITY, COMPANIES, region="europe")
    assert ties["lab"].tolist() == ["mistral_ai"]
    assert ties["platforms"].iloc[0] == "azure"


def test_deal_total_drops_rumours_and_counts_undisclosed():
    total = n.deal_total(DEALS, ["microsoft"], "openai", until="2024-02-26")
    assert total["usd"] == pytest.approx(11e9)
    assert total["undisclosed"] == ["m-o-2023"]
    both = n.deal_total(DEALS, ["alphabet", "amazon"], "anthropic", until="2024-02-26")
    # the Google "up to" 2B is a ceiling: reported apart, never summed
    assert both["usd"] == pytest.approx(1.25e9) and both["ceilings"] == ["g-an-2023"]
    assert both["ceiling_usd"] == pytest.approx(2e9)


def test_claims_check_on_the_seed_article_date():
    rounds = pd.DataFrame(
        {
            "round_id": ["mistral_ai-2023-12-bbg", "mistral_ai-2023-12"],
            "company": ["mistral_ai", "mistral_ai"],
            "round": ["series_a", "series_a"],
            "announced_date": pd.to_datetime(["2023-12-05", "2023-12-10"]),
            "amount_raised": [450e6, 385e6],
            "currency": ["EUR", "EUR"],
            "amount_raised_usd": [485e6, 415e6],
            "valuation": [2e9, 2e9],
            "valuation_currency": ["USD", "EUR"],
            "valuation_usd": [2e9, 2.15e9],
            "valuation_basis": ["unspecified", "unspecified"],
            "valuation_qualifier": ["about", "about"],
            "lead_investors": ["Andreessen Horowitz", "Andreessen Horowitz"],
            "status": ["reported", "announced"],
            "publisher": ["Tech.eu", "AFP"],
            "source_date": pd.to_datetime(["2023-12-05", "2023-12-11"]),
        }
    )
    now = {"funding_rounds": rounds, "deals": DEALS, "availability": AVAILABILITY}
    then = {
        k: v.loc[v["source_date"] <= "2024-02-26"] if "source_date" in v else v
        for k, v in now.items()
    }
    table = n.check_claims(then, now, "2024-02-26").set_index("claim_id")
    assert table.loc["mistral_amount_press", "verdict"].startswith("press figure")
    assert table.loc["mistral_amount_announced", "verdict"] == "supported (announced)"
    assert table.loc["mistral_valuation", "verdict"].startswith("supported")
    assert table.loc["mistral_lead", "verdict"] == "supported"
    assert table.loc["openai_microsoft", "verdict"] == "supported"
    assert table.loc["anthropic_google_amazon", "verdict"].startswith("consistent")
    # counted since: Amazon 1.25 + 2.75 = 4.0B; Google's 2B "up to" stays a ceiling
    since = table.loc["anthropic_google_amazon", "value_since"]
    assert since.startswith("USD 4.00B counted") and "ceilings not counted: USD 2.00B" in since
    assert table.loc["anthropic_google_amazon", "verdict_since"].startswith("consistent")
    assert table.loc["mistral_large_platforms", "verdict"] == "supported"
    # on the article date the Azure listing was not yet in a dated source
    assert "missing" in table.loc["mistral_large_platforms", "verdict_then"]


def test_claims_check_with_no_data():
    empty = {
        "funding_rounds": pd.DataFrame(columns=["company", "round", "status", "announced_date"]),
        "deals": DEALS.iloc[0:0],
        "availability": AVAILABILITY.iloc[0:0],
    }
    table = n.check_claims(empty, empty, "2024-02-26")
    assert (table["verdict"] == "not in data").all()


# ---------------------------------------------------------------- A1: ceilings are not money


def _ceiling_deals():
    """Hand-worked: n -> o 100 (up to) + 30 + 0.1; g -> an 0.5 + 30 (up to); n -> o compute 6.5
    (up to) + 4; a rumoured 50 and an alternate version of the 30 that must not add."""
    frame = _deals(
        [
            (
                "n-o-loi",
                "nvidia",
                "openai",
                "2025-09-22",
                "equity",
                100e9,
                "up_to",
                "announced",
                "N",
            ),
            ("n-o-26", "nvidia", "openai", "2026-02-27", "equity", 30e9, "exact", "announced", "N"),
            (
                "n-o-26-ft",
                "nvidia",
                "openai",
                "2026-02-27",
                "equity",
                31e9,
                "about",
                "reported",
                "F",
            ),
            ("n-o-24", "nvidia", "openai", "2024-10-02", "equity", 0.1e9, "about", "reported", "R"),
            (
                "n-o-talk",
                "nvidia",
                "openai",
                "2026-03-01",
                "equity",
                50e9,
                "exact",
                "rumoured",
                "W",
            ),
            (
                "g-an-1",
                "alphabet",
                "anthropic",
                "2023-10-28",
                "equity",
                0.5e9,
                "exact",
                "reported",
                "B",
            ),
            (
                "g-an-2",
                "alphabet",
                "anthropic",
                "2026-04-24",
                "equity",
                30e9,
                "up_to",
                "reported",
                "B",
            ),
            (
                "n-o-c1",
                "nvidia",
                "openai",
                "2025-05-01",
                "compute_commitment",
                4e9,
                "exact",
                "reported",
                "R",
            ),
            (
                "n-o-c2",
                "nvidia",
                "openai",
                "2025-09-25",
                "compute_commitment",
                6.5e9,
                "up_to",
                "reported",
                "R",
            ),
            (
                "m-o-cr",
                "microsoft",
                "openai",
                "2020-01-01",
                "cloud_credits",
                1e8,
                "exact",
                "announced",
                "M",
            ),
        ]
    )
    frame["alternate_of"] = None
    frame.loc[frame["deal_id"] == "n-o-26-ft", "alternate_of"] = "n-o-26"
    return frame


COMPANIES_N = pd.concat(
    [
        COMPANIES,
        pd.DataFrame(
            {"company_id": ["nvidia"], "name": ["Nvidia"], "kind": ["chipmaker"], "region": ["us"]}
        ),
    ],
    ignore_index=True,
)


def test_edges_and_centrality_count_money_and_report_ceilings_apart():
    g = n.build_graph(_ceiling_deals(), OWNERSHIP.iloc[0:0], AVAILABILITY.iloc[0:0], COMPANIES_N)
    stake = g.get_edge_data("nvidia", "openai", "stake")
    assert stake["amount_usd"] == pytest.approx(30.1e9)  # not 130.1 (ceiling) nor 61.1 (alternate)
    assert stake["ceiling_usd"] == pytest.approx(100e9)
    compute = g.get_edge_data("nvidia", "openai", "compute")
    assert compute["amount_usd"] == pytest.approx(4e9) and compute["ceiling_usd"] == 6.5e9
    # an edge with only a ceiling has no money
    only_ceiling = _ceiling_deals().query("deal_id == 'g-an-2'")
    g2 = n.build_graph(only_ceiling, OWNERSHIP.iloc[0:0], AVAILABILITY.iloc[0:0], COMPANIES_N)
    assert pd.isna(g2.get_edge_data("alphabet", "anthropic", "stake")["amount_usd"])
    g3 = n.build_graph(
        only_ceiling, OWNERSHIP.iloc[0:0], AVAILABILITY.iloc[0:0], COMPANIES_N, 1e9, False
    )
    assert g3.number_of_edges() == 0  # a ceiling does not pass a money filter
    # cloud credits are their own edge kind, not compute
    assert g.has_edge("microsoft", "openai", "cloud_credits")
    assert not g.has_edge("microsoft", "openai", "compute")
    cen = n.centrality(g)
    assert cen.loc["nvidia", "invested_usd"] == pytest.approx(30.1e9)
    assert cen.loc["nvidia", "invested_ceiling_usd"] == pytest.approx(100e9)
    assert cen.loc["nvidia", "compute_sold_usd"] == pytest.approx(4e9)
    assert cen.loc["nvidia", "compute_ceiling_usd"] == pytest.approx(6.5e9)
    assert cen.loc["microsoft", "credits_given_usd"] == pytest.approx(1e8)
    assert cen.loc["microsoft", "compute_sold_usd"] == 0.0


def test_ties_and_deal_totals_leave_ceilings_out():
    deals = _ceiling_deals()
    ties = n.hyperscaler_ties(deals, AVAILABILITY.iloc[0:0], COMPANIES_N).set_index("lab")
    assert ties.loc["anthropic", "stake_usd_bn"] == pytest.approx(0.5)
    assert ties.loc["anthropic", "stake_ceiling_usd_bn"] == pytest.approx(30.0)
    total = n.deal_total(deals, ["nvidia"], "openai")
    assert total["usd"] == pytest.approx(30.1e9) and total["ceiling_usd"] == pytest.approx(100e9)
    assert total["rows"] == ["n-o-24", "n-o-26"] and total["ceilings"] == ["n-o-loi"]
    # as known before the preferred row: its alternate stands in for it
    early = deals.loc[deals["deal_id"] != "n-o-26"]
    assert n.deal_total(early, ["nvidia"], "openai")["usd"] == pytest.approx(31.1e9)
    claim = n.Claim(
        "x",
        "up to 31B",
        "deal_total",
        {"investors": ("nvidia",), "investee": "openai", "usd": 31e9, "qualifier": "up_to"},
    )
    t = {"deals": deals, "funding_rounds": pd.DataFrame(), "availability": AVAILABILITY}
    row = n.check_claims(t, t, "2026-12-31", [claim]).iloc[0]
    assert row["verdict"] == "supported"  # 30.1B counted vs 31B, not "exceeded" by 130.1B
    assert "ceilings not counted: USD 100.00B" in row["value"]


# ---------------------------------------------------------------- A3: one row per round


def _aleph(alternate_of):
    return pd.DataFrame(
        {
            "round_id": ["aleph_alpha-2023-11", "aleph_alpha-2023-11-equity"],
            "company": ["aleph_alpha", "aleph_alpha"],
            "round": ["series_b", "series_b"],
            "announced_date": pd.to_datetime(["2023-11-06", "2023-11-06"]),
            "amount_raised": [500e6, 110e6],
            "amount_raised_usd": [500e6, 117e6],
            "amount_qualifier": ["about", "exact"],
            "status": ["announced", "announced"],
            "source_date": pd.to_datetime(["2023-11-06", "2024-07-26"]),
            "alternate_of": alternate_of,
        }
    )


def test_rounds_follow_alternate_of_not_the_shortest_id():
    cos = pd.DataFrame(
        {
            "company_id": ["aleph_alpha"],
            "name": ["Aleph Alpha"],
            "kind": ["lab"],
            "region": ["europe"],
        }
    )
    rounds = _aleph(["aleph_alpha-2023-11-equity", None])  # the headline is the alternate
    assert n.dedupe_rounds(rounds)["round_id"].tolist() == ["aleph_alpha-2023-11-equity"]
    assert n.funding_by_region(rounds, cos).loc[2023, "europe"] == pytest.approx(0.117)
    # as known before the equity row was published, the headline stands in for the round
    early = rounds.loc[rounds["source_date"] <= "2024-01-01"]
    assert n.funding_by_region(early, cos).loc[2023, "europe"] == pytest.approx(0.5)
    # unmarked versions are not resolved by a heuristic: both kept, with a warning
    with pytest.warns(UserWarning, match="alternate_of"):
        loose = n.dedupe_rounds(_aleph([None, None]))
    assert len(loose) == 2
    assert len(n.unmarked_versions(_aleph([None, None]))) == 2
    assert n.unmarked_versions(rounds).empty
