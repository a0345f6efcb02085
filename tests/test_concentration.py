"""Concentration measures against hand-worked and published values, plus property tests.

Sources of the definitions (see /work/shared/methods.md):
- HHI, CR-n, equivalent firms: US DOJ Antitrust Division, "Herfindahl-Hirschman Index" (its worked
  example: shares 30, 30, 20, 20 give 2,600).
- Merger delta 2ab; US 2023 Merger Guidelines Guideline 1 (section 2.1); US 2010 Horizontal Merger
  Guidelines section 5.3; EU Horizontal Merger Guidelines (OJ C 31, 5.2.2004) paras 19-21.
- MHHI: O'Brien & Salop, 67 Antitrust L.J. 559 (2000), table of standard cases as in methods.md.
- Entropy, Hannah-Kay, Gini: Open Risk, concentrationMetrics documentation.
"""

from __future__ import annotations

import math
import time

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import concentration as c

# ---------------------------------------------------------------- hand-worked golden values


def test_hhi_of_50_30_20_is_3800():
    # 50^2 + 30^2 + 20^2 = 2500 + 900 + 400
    assert c.hhi([50, 30, 20]) == 3800.0


def test_doj_worked_example():
    # DOJ HHI page: four firms with 30, 30, 20 and 20 percent -> 2,600
    assert c.hhi([30, 30, 20, 20]) == 2600.0


def test_cr_n_and_equivalent_firms():
    assert c.cr_n([50, 30, 20], 2) == 80.0
    assert c.cr_n([10, 40, 20, 5, 25], 4) == 95.0
    assert c.equivalent_firms(c.hhi([25, 25, 25, 25])) == pytest.approx(4.0)


def test_merger_of_20_and_10_adds_400():
    assert c.merger_delta(20, 10) == 400.0
    shares = {"a": 40.0, "b": 30.0, "c": 20.0, "d": 10.0}
    assert c.post_merger_hhi(shares, [["c", "d"]]) - c.hhi(list(shares.values())) == 400.0


def test_pairwise_mergers_table():
    table = c.pairwise_mergers({"a": 40.0, "b": 20.0, "c": 10.0})
    assert len(table) == 3
    row = table.set_index(["firm_a", "firm_b"]).loc[("b", "c")]
    assert row["delta"] == 400.0 and row["combined_share"] == 30.0
    assert row["hhi_post"] == c.hhi([40, 20, 10]) + 400.0


def test_entropy_hannah_kay_and_gini():
    shares = [50, 30, 20]
    p = np.array(shares) / 100
    assert c.entropy(shares) == pytest.approx(-(p * np.log(p)).sum())
    assert c.hannah_kay(shares, 2.0) == pytest.approx(10_000 / 3800)
    assert c.hannah_kay(shares, 1.0) == pytest.approx(math.exp(c.entropy(shares)))
    assert c.hannah_kay(shares, 1.0 + 1e-7) == pytest.approx(c.hannah_kay(shares, 1.0), rel=1e-5)
    # n equal firms: every numbers-equivalent is n, entropy ln n, Gini 0
    assert c.hannah_kay([20] * 5, 3.0) == pytest.approx(5.0)
    assert c.entropy([20] * 5) == pytest.approx(math.log(5))
    assert c.gini([20] * 5) == 0.0
    # by hand: |.5-.3|+|.5-.2|+|.3-.2| = .6, doubled = 1.2, over 2 * 9 * (1/3) = 6 -> 0.2
    assert c.gini(shares) == pytest.approx(0.2)


def test_others_bounds_rule():
    # residual 20 as one firm adds 400; as k equal firms 400 / k; many firms -> 0
    named = [50, 30]
    assert c.others_bounds(named) == (3400.0, 3800.0)
    assert c.hhi(c.complete_shares(named, rule="k_firms", k=4)) == 3400.0 + 100.0
    # capped: 20 split into pieces no larger than the smallest named share (30) -> one firm
    assert c.hhi(c.complete_shares(named, rule="capped")) == 3800.0
    # a stated residual is used as published (here shares sum to 101 after rounding)
    assert c.complete_shares([34, 17, 9], residual=41, rule="one_firm").tolist() == [34, 17, 9, 41]


# ---------------------------------------------------------------- O'Brien-Salop MHHI


def test_two_equal_firms_under_one_owner_is_a_monopoly():
    assert c.mhhi([50, 50], np.ones((1, 2)), np.ones((1, 2))) == 10_000.0


def test_independent_firms_give_the_hhi():
    s = [40.0, 35.0, 25.0]
    assert c.mhhi(s, np.eye(3), np.eye(3)) == pytest.approx(c.hhi(s))


@pytest.mark.parametrize("beta", [0.05, 0.2, 0.49, 0.75, 1.0])
@pytest.mark.parametrize("case", ["silent", "proportional", "total", "merger"])
def test_matrix_form_matches_the_closed_forms(beta, case):
    if case == "silent" and beta == 1.0:
        with pytest.raises(ValueError):  # B's controlling owners would hold no profits
            c.stake_matrices(beta, case)
        return
    s_a, s_b = 30.0, 20.0
    b, g = c.stake_matrices(beta, case)
    delta = c.mhhi([s_a, s_b], b, g) - c.hhi([s_a, s_b])
    assert delta == pytest.approx(c.stake_delta(s_a, s_b, beta, case))


def test_silent_stake_adds_beta_sa_sb():
    # Microsoft-style silent 49% profit interest between firms of 30% and 20%: 0.49 * 600 = 294
    b, g = c.stake_matrices(0.49, "silent")
    assert c.mhhi([30, 20], b, g) - c.hhi([30, 20]) == pytest.approx(294.0)


def test_total_control_exceeds_a_merger_and_full_merger_is_2ab():
    assert c.stake_delta(30, 20, 0.5, "total") >= c.stake_delta(30, 20, 0.5, "merger")
    assert c.stake_delta(30, 20, 1.0, "merger") == c.merger_delta(30, 20)


def test_weights_undefined_without_profit_raise():
    with pytest.raises(ValueError):
        c.profit_weights(np.array([[1.0, 0.0], [0.0, 1.0]]), np.array([[1.0, 1.0], [0.0, 0.0]]))


def _stakes(rows):
    return pd.DataFrame(rows, columns=["investor", "investee", "economic_share"])


def test_treatments_from_an_ownership_table():
    named = pd.Series({"a": 30.0, "b": 20.0, "c": 10.0})
    stakes = _stakes([("a", "b", 20.0), ("x", "c", 40.0)])  # x is outside the market
    table = c.treatments_table(named, 40.0, stakes).set_index("treatment")
    assert table.loc["independent", "delta"] == 0.0
    # bounds: residual 40 as many tiny firms adds 0, as one firm 1,600; delta is the same
    assert table.loc["independent", "hhi_low"] == 1400.0
    assert table.loc["independent", "hhi_high"] == 3000.0
    assert table.loc["silent", "mhhi_high"] - table.loc["silent", "mhhi_low"] == 1600.0
    assert table.loc["silent", "delta"] == pytest.approx(0.2 * 30 * 20)
    assert table.loc["proportional", "delta"] == pytest.approx(
        c.stake_delta(30, 20, 0.2, "proportional")
    )
    assert table.loc["merged", "delta"] == pytest.approx(2 * 30 * 20)
    assert table.loc["merged", "largest_share"] == 50.0
    assert table.loc["merged", "merged_share"] == 50.0
    assert pd.isna(table.loc["silent", "merged_share"])
    # the outside investor's single stake changes nothing and is marked as such
    assert table.loc["silent", "links"] == "a>b"
    assert table.loc["silent", "inert_links"] == "x>c"
    assert table.loc["proportional", "inert_links"] == "x>c"


def test_common_outside_owner_of_two_firms_moves_mhhi():
    # x holds 50% of both b and c silently: each firm's managers (own shareholders, 50%) weigh
    # the rival's profit by (1 * 0) / (1 * 0.5) = 0 -> no effect without control ...
    named = pd.Series({"b": 30.0, "c": 20.0})
    stakes = _stakes([("x", "b", 50.0), ("x", "c", 50.0)])
    silent = c.apply_treatment(named, 50.0, stakes, "silent", "fragmented")
    assert silent.delta == 0.0
    # ... with proportional control: w = (.5*.5 + .5*0) / (.5*.5 + .5*.5) = 0.5 each way
    prop = c.apply_treatment(named, 50.0, stakes, "proportional", "fragmented")
    assert prop.delta == pytest.approx(2 * 0.5 * 30 * 20)


def test_current_stakes_carries_the_last_disclosed_share():
    own = pd.DataFrame(
        {
            "ownership_id": ["m-o-1", "m-o-2", "g-a-1"],
            "investor": ["m", "m", "g"],
            "investee": ["o", "o", "a"],
            "date_from": pd.to_datetime(["2023-01-23", "2024-07-09", "2025-03-11"]),
            "economic_share": [49.0, None, 14.0],
            "share_measure": ["profit_interest", "profit_interest", "equity"],
            "control": ["none", "none", "none"],
            "voting": [None, None, False],
        }
    )
    now = c.current_stakes(own).set_index("investor")
    assert now.loc["m", "economic_share"] == 49.0 and now.loc["m", "share_carried"]
    then = c.current_stakes(own, as_of="2024-01-01")
    assert list(then["investor"]) == ["m"]


# ---------------------------------------------------------------- screens at exact boundaries


def test_us_2023_boundaries():
    assert not c.screen_us_2023(1800, 150).concern  # HHI must be more than 1,800
    assert c.screen_us_2023(1800.01, 100.01).concern
    assert not c.screen_us_2023(5000, 100).concern  # a change of exactly 100 is not > 100
    assert not c.screen_us_2023(1000, 150, merged_share=30).concern  # share must exceed 30
    assert c.screen_us_2023(1000, 150, merged_share=30.01).concern


def test_us_2010_boundaries():
    assert c.screen_us_2010(1499.99, 500).level == "unconcentrated"
    assert c.screen_us_2010(1500, 500).level == "moderately concentrated"
    assert c.screen_us_2010(2500, 500).level == "moderately concentrated"
    assert c.screen_us_2010(2500.01, 500).level == "highly concentrated"
    assert not c.screen_us_2010(4000, 99.99).concern
    assert c.screen_us_2010(4000, 100).outcome.startswith("no clause")
    assert c.screen_us_2010(2000, 100.01).outcome.startswith("potentially")
    assert c.screen_us_2010(3000, 200).outcome.startswith("potentially")
    assert c.screen_us_2010(3000, 200.01).outcome.startswith("presumed")
    assert not c.screen_us_2010(1400, 1000).concern


def test_eu_2004_boundaries():
    assert not c.screen_eu_2004(999.99, 9000).concern
    assert not c.screen_eu_2004(1000, 249.99).concern
    assert c.screen_eu_2004(1000, 250).concern
    assert not c.screen_eu_2004(2000, 249.99).concern  # 2,000 is still in the 1,000-2,000 band
    assert not c.screen_eu_2004(2000.01, 149.99).concern
    assert c.screen_eu_2004(2000.01, 150).concern


def test_screens_table_is_structured():
    table = c.screens_table(
        [{"case": "x", "hhi_post": 3800.0, "delta": 400.0, "merged_share": 50.0}]
    )
    assert list(table["guideline"]) == list(c.GUIDELINES)
    assert table["concern"].all()
    assert {"level", "outcome", "rule", "hhi_post", "delta"} <= set(table.columns)


# ---------------------------------------------------------------- shares from market_shares


def _ms(rows):
    cols = [
        "share_id",
        "market",
        "series",
        "measure",
        "period_start",
        "period_end",
        "firm",
        "share",
        "status",
        "source_date",
    ]
    frame = pd.DataFrame(rows, columns=cols)
    for col in ("period_start", "period_end", "source_date"):
        frame[col] = pd.to_datetime(frame[col])
    return frame


def test_select_shares_prefers_the_latest_then_the_unsuffixed_row():
    m, s = "cloud_infrastructure_services", "canalys"
    frame = _ms(
        [
            (
                "x-q1-a",
                m,
                s,
                "revenue",
                "2022-01-01",
                "2022-03-31",
                "a",
                21.0,
                "reported",
                "2022-04-29",
            ),
            (
                "x-q1-a-rev",
                m,
                s,
                "revenue",
                "2022-01-01",
                "2022-03-31",
                "a",
                17.0,
                "announced",
                "2024-08-16",
            ),
            (
                "x-q2-b-alt",
                m,
                s,
                "revenue",
                "2022-04-01",
                "2022-06-30",
                "b",
                13.0,
                "reported",
                "2022-08-06",
            ),
            (
                "x-q2-b",
                m,
                s,
                "revenue",
                "2022-04-01",
                "2022-06-30",
                "b",
                12.0,
                "reported",
                "2022-08-06",
            ),
        ]
    )
    sel = c.select_shares(frame, m, s).set_index(["period_end", "firm"])["share"]
    assert sel.loc[(pd.Timestamp("2022-03-31"), "a")] == 17.0
    assert sel.loc[(pd.Timestamp("2022-06-30"), "b")] == 12.0
    # as known before the revision, the first publication holds
    early = frame.loc[frame["source_date"] <= "2023-01-01"]
    assert c.select_shares(early, m, s)["share"].tolist()[0] == 21.0


def test_concentration_over_time_and_empty_input():
    m, s = "cloud_infrastructure_services", "synergy"
    frame = _ms(
        [
            (
                "a",
                m,
                s,
                "revenue",
                "2024-01-01",
                "2024-03-31",
                "a",
                50.0,
                "announced",
                "2024-04-30",
            ),
            (
                "b",
                m,
                s,
                "revenue",
                "2024-01-01",
                "2024-03-31",
                "b",
                30.0,
                "announced",
                "2024-04-30",
            ),
            (
                "c",
                m,
                s,
                "revenue",
                "2024-04-01",
                "2024-06-30",
                "c",
                10.0,
                "announced",
                "2024-07-30",
            ),
        ]
    )
    sel = c.select_shares(frame, m, s, frequency="quarter")
    out = c.concentration_over_time(sel, min_named=50)
    assert len(out) == 1 and out["hhi_high"].iloc[0] == 3800.0 and out["hhi_low"].iloc[0] == 3400.0
    assert c.latest_period(sel, 50) == pd.Timestamp("2024-03-31")
    empty = c.select_shares(frame.iloc[0:0], m, s)
    assert c.concentration_over_time(empty).empty
    assert c.latest_period(empty) is None
    assert c.shares_wide(empty).empty


# ---------------------------------------------------------------- simulation


def test_simulation_is_seeded_and_within_rounding():
    a1, r1 = c.simulate_shares([32, 22, 11], n_draws=500, seed=3)
    a2, r2 = c.simulate_shares([32, 22, 11], n_draws=500, seed=3)
    assert np.array_equal(a1, a2) and np.array_equal(r1, r2)
    assert (np.abs(a1 - [32, 22, 11]) <= 0.5).all()
    d, _ = c.simulate_shares([32, 22, 11], n_draws=500, seed=3, method="dirichlet")
    assert d.shape == (500, 3) and (d >= 0).all()


def test_simulated_hhi_matches_the_scalar_rules():
    draws = np.array([[40.0, 30.0, 10.0]])
    rest = np.array([20.0])
    for rule in ("one_firm", "fragmented", "capped", "k_firms"):
        expected = c.hhi(c.complete_shares(draws[0], 20.0, rule, k=10))
        assert c.simulate_hhi(draws, rest, rule, k=10)[0] == pytest.approx(expected)


def test_simulated_delta_matches_apply_treatment():
    named = pd.Series({"a": 30.0, "b": 20.0})
    stakes = _stakes([("a", "b", 25.0)])
    w, _ = c.treatment_weights(list(named.index), stakes, "proportional")
    res = c.apply_treatment(named, 50.0, stakes, "proportional")
    assert c.simulate_delta(named.to_numpy()[None, :], w)[0] == pytest.approx(res.delta)


def test_100000_draws_take_well_under_a_second():
    start = time.perf_counter()
    draws, rest = c.simulate_shares([32, 22, 11, 4, 3], n_draws=100_000, seed=0)
    h = c.simulate_hhi(draws, rest, "capped")
    w, _ = c.treatment_weights(["a", "b", "c", "d", "e"], _stakes([("a", "b", 20.0)]), "silent")
    c.simulate_delta(draws, w)
    assert h.shape == (100_000,)
    assert time.perf_counter() - start < 1.0


# ---------------------------------------------------------------- properties

share_vectors = st.lists(st.floats(0.01, 100.0), min_size=1, max_size=12).map(
    lambda xs: np.array(xs) / np.sum(xs) * 100.0
)


@settings(max_examples=200, deadline=None)
@given(share_vectors)
def test_hhi_bounds(shares):
    n = len(shares)
    h = c.hhi(shares)
    assert 10_000.0 / n - 1e-6 <= h <= 10_000.0 + 1e-6
    assert c.cr_n(shares, 1) <= c.cr_n(shares, 4) <= 100.0 + 1e-9
    assert c.hannah_kay(shares, 2.0) == pytest.approx(10_000.0 / h)


@settings(max_examples=200, deadline=None)
@given(
    st.floats(0.0, 100.0),
    st.floats(0.0, 100.0),
    st.floats(0.0, 0.999),
)
def test_silent_mhhi_never_exceeds_a_full_merger(s_a, s_b, beta):
    total = s_a + s_b
    if total > 100:
        s_a, s_b = s_a / total * 100, s_b / total * 100
    b, g = c.stake_matrices(beta, "silent")
    silent = c.mhhi([s_a, s_b], b, g)
    merged = c.post_merger_hhi({"a": s_a, "b": s_b}, [["a", "b"]])
    assert silent <= merged + 1e-6
    assert silent >= c.hhi([s_a, s_b]) - 1e-6


@settings(max_examples=100, deadline=None)
@given(share_vectors, st.integers(1, 50))
def test_others_rules_are_ordered(shares, k):
    named = shares[: max(1, len(shares) - 1)] * 0.8
    low = c.hhi(c.complete_shares(named, rule="fragmented"))
    mid_k = c.hhi(c.complete_shares(named, rule="k_firms", k=k))
    capped = c.hhi(c.complete_shares(named, rule="capped"))
    high = c.hhi(c.complete_shares(named, rule="one_firm"))
    assert low - 1e-6 <= mid_k <= high + 1e-6
    assert low - 1e-6 <= capped <= high + 1e-6


def test_selections_keep_one_period_length_per_series():
    m = "enterprise_llm_api"
    frame = _ms(
        [
            (
                "a",
                m,
                "menlo",
                "usage",
                "2023-01-01",
                "2023-12-31",
                "o",
                50.0,
                "reported",
                "2024-01-01",
            ),
            (
                "b",
                m,
                "menlo",
                "usage",
                "2025-01-01",
                "2025-06-30",
                "o",
                25.0,
                "reported",
                "2025-08-01",
            ),
            (
                "c",
                m,
                "other",
                "usage",
                "2025-01-01",
                "2025-03-31",
                "o",
                30.0,
                "reported",
                "2025-05-01",
            ),
        ]
    )
    out = c.selections(frame, m)
    assert sorted(out) == [("menlo", "usage"), ("other", "usage")]
    # a tie between a year and a half-year: the kind of the latest period wins
    assert out[("menlo", "usage")]["period_kind"].tolist() == ["half"]
    assert list(c.selections(frame, m, "other")) == [("other", "usage")]
    assert c.selections(frame.iloc[0:0], m) == {}


def test_current_stakes_drops_rumoured_rows_by_default():
    own = pd.DataFrame(
        {
            "ownership_id": ["m-o-1", "m-o-2"],
            "investor": ["m", "m"],
            "investee": ["o", "o"],
            "date_from": pd.to_datetime(["2023-01-23", "2023-11-29"]),
            "economic_share": [49.0, None],
            "share_measure": ["profit_interest", "profit_interest"],
            "control": ["none", "observer"],
            "voting": [None, False],
            "status": ["rumoured", "announced"],
        }
    )
    row = c.current_stakes(own).iloc[0]
    assert pd.isna(row["economic_share"]) and row["control"] == "observer"
    assert c.current_stakes(own, include_rumoured=True).iloc[0]["economic_share"] == 49.0


# ---------------------------------------------------------------- A3: alternate_of in shares


def test_select_shares_follows_alternate_of_and_keeps_an_unmatched_alternate():
    m, s = "cloud_infrastructure_services", "canalys"
    frame = _ms(
        [
            (
                "x-a",
                m,
                s,
                "revenue",
                "2022-01-01",
                "2022-03-31",
                "a",
                21.0,
                "reported",
                "2022-04-29",
            ),
            (
                "x-a-late",
                m,
                s,
                "revenue",
                "2022-01-01",
                "2022-03-31",
                "a",
                17.0,
                "reported",
                "2024-08-16",
            ),
            (
                "x-b-first",
                m,
                s,
                "revenue",
                "2022-01-01",
                "2022-03-31",
                "b",
                13.0,
                "reported",
                "2022-04-29",
            ),
            (
                "x-b",
                m,
                s,
                "revenue",
                "2022-01-01",
                "2022-03-31",
                "b",
                12.0,
                "announced",
                "2024-08-16",
            ),
        ]
    )
    frame["alternate_of"] = [None, "x-a", "x-b", None]
    sel = c.select_shares(frame, m, s).set_index("firm")["share"]
    # the preferred row wins over a later publication that the data marks as an alternate
    assert sel.loc["a"] == 21.0 and sel.loc["b"] == 12.0
    # as known in 2023 the preferred b row is not public: its alternate stands in for it
    early = c.select_shares(frame.loc[frame["source_date"] <= "2023-01-01"], m, s)
    assert early.set_index("firm")["share"].to_dict() == {"a": 21.0, "b": 13.0}


# ---------------------------------------------------------------- B1: bounds, not a central split


def _period(shares, end="2024-06-30", others=None):
    firms = [f"f{i}" for i in range(len(shares))]
    rows = [
        (f"id{i}", "m", "s", "revenue", "2024-04-01", end, f, v, "reported", "2024-08-01")
        for i, (f, v) in enumerate(zip(firms, shares, strict=True))
    ]
    if others is not None:
        rows.append(
            (
                "ido",
                "m",
                "s",
                "revenue",
                "2024-04-01",
                end,
                "others",
                others,
                "reported",
                "2024-08-01",
            )
        )
    return c.select_shares(_ms(rows), "m", "s")


def test_results_do_not_depend_on_how_many_firms_the_source_named():
    # hand-worked: the full market 30, 20, 10 and seven firms of 40/7 -> HHI 900+400+100+1600/7
    full = [30.0, 20.0, 10.0, *([40.0 / 7] * 7)]
    truth = c.hhi(full)
    assert truth == pytest.approx(1628.5714, abs=1e-3)
    for k in (3, 5, 10):  # the source names the k largest
        out = c.concentration_over_time(_period(full[:k])).iloc[0]
        assert "hhi" not in out.index  # no central point from an arbitrary split
        assert out["hhi_low"] - 1e-9 <= truth <= out["hhi_high"] + 1e-9
        assert out["firms_named"] == k and out["named_share"] == pytest.approx(sum(full[:k]))
    top3 = c.concentration_over_time(_period(full[:3])).iloc[0]
    # by hand: named 30, 20, 10 -> 1,400; residual 40 as one firm adds 1,600
    assert (top3["hhi_low"], top3["hhi_high"]) == (1400.0, 3000.0)
    # CR-4 of the named firms only: no phantom firm of 40 for the residual
    assert top3["cr_n"] == 60.0
    assert c.concentration_over_time(_period(full)).iloc[0]["cr_n"] == pytest.approx(60 + 40 / 7)


def test_min_named_is_strict_and_others_as_stated_are_used():
    sel = _period([30.0, 20.0], others=50.0)
    assert c.concentration_over_time(sel, min_named=50.0).empty  # 50 is not more than 50
    assert c.latest_period(sel, 50.0) is None
    out = c.concentration_over_time(sel, min_named=49.9).iloc[0]
    assert (out["hhi_low"], out["hhi_high"]) == (1300.0, 3800.0)


def test_simulation_varies_the_shares_at_each_bound():
    sel = _period([30.0, 20.0, 10.0])
    sim = c.simulate_over_time(sel, n_draws=2000, seed=1).iloc[0]
    # rounding of whole percents moves each bound by a few tens of points at most
    assert abs(sim["hhi_low_median"] - 1400.0) < 20 and abs(sim["hhi_high_median"] - 3000.0) < 60
    assert sim["hhi_low_hi"] < sim["hhi_high_lo"]
    st_ = _stakes([("f0", "f1", 20.0)])
    named, residual = c.period_shares(sel)
    r = c.simulate_treatment(named, residual, st_, "silent", n_draws=2000, seed=1)
    assert r["delta"] == pytest.approx(0.2 * 30 * 20)
    assert r["mhhi_high"] - r["mhhi_low"] == pytest.approx(1600.0)


@settings(max_examples=100, deadline=None)
@given(share_vectors, st.integers(1, 12))
def test_bounds_contain_the_full_information_hhi(shares, k):
    full = np.sort(shares)[::-1]
    named = full[: min(k, len(full))]
    low, high = c.others_bounds(named)
    assert low - 1e-6 <= c.hhi(full) <= high + 1e-6
