"""Capex series, forecasts and strategic flows (:mod:`analysis.investment`).

Hand-worked values follow the definitions in ``/work/shared/methods.md`` ("Fiscal calendars":
Microsoft's calendar year y = FY y Q3 + FY y Q4 + FY (y+1) Q1 + FY (y+1) Q2) and issue 5.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import investment as inv
from analysis.data.calendar import calendar_quarters, fiscal_to_calendar, fiscal_year_end_month

PPE = "purchases_ppe"
FL = "purchases_ppe_incl_finance_leases"


def capex_rows(company: str, quarters: dict[tuple[int, int], float], measure: str = PPE):
    """Processed-capex-like rows for fiscal (year, quarter) -> USD, calendar columns as the build."""
    rows = []
    for (fy, fq), value in quarters.items():
        cy, cq = fiscal_to_calendar(fy, fq, fiscal_year_end_month(company))
        rows.append(
            {
                "capex_id": f"{company}-fy{fy}-q{fq}-{measure}",
                "company": company,
                "fiscal_year": fy,
                "fiscal_quarter": fq,
                "measure": measure,
                "is_guidance": False,
                "calendar_year": cy,
                "calendar_quarter": cq,
                "capex_usd": value,
                "capex_usd_const": value * 2,
                "revenue_usd": value * 10,
                "revenue_usd_const": value * 20,
                "source_date": pd.Timestamp(f"{cy + 1}-01-31"),
            }
        )
    return pd.DataFrame(rows)


def guidance_row(company: str, fy: int, low: float, high: float, measure: str = PPE):
    return pd.DataFrame(
        [
            {
                "company": company,
                "fiscal_year": fy,
                "fiscal_quarter": pd.NA,
                "measure": measure,
                "is_guidance": True,
                "capex_usd": low,
                "capex_high_usd": high,
                "capex_usd_const": low,
                "capex_high_usd_const": high,
                "source_date": pd.Timestamp(f"{fy}-02-01"),
            }
        ]
    )


MSFT = {(2023, q): float(q) for q in range(1, 5)} | {(2024, q): float(4 + q) for q in range(1, 5)}


def test_microsoft_calendar_2023_is_fy23_q3_to_fy24_q2():
    # FY23 Q3 (Jan-Mar 2023) = 3, FY23 Q4 = 4, FY24 Q1 (Jul-Sep 2023) = 5, FY24 Q2 = 6 -> 18
    quarterly = inv.capex_quarterly(capex_rows("microsoft", MSFT))
    totals = inv.calendar_year_totals(quarterly).set_index("year")
    assert totals.loc[2023, "capex"] == 3 + 4 + 5 + 6
    assert totals.loc[2023, "quarters"] == 4
    expected = sum(MSFT[fq] for fq in calendar_quarters(2023, "microsoft"))
    assert totals.loc[2023, "capex"] == expected
    # calendar 2022 holds only FY23 Q1-Q2 (Jul-Dec 2022): incomplete, so missing
    assert totals.loc[2022, "quarters"] == 2
    assert np.isnan(totals.loc[2022, "capex"])


def test_microsoft_quarters_land_on_calendar_quarters():
    quarterly = inv.capex_quarterly(capex_rows("microsoft", MSFT)).set_index("quarter")
    assert quarterly.loc["2023Q3", "capex"] == 5.0  # FY24 Q1
    assert quarterly.loc["2022Q3", "capex"] == 1.0  # FY23 Q1
    assert quarterly.loc["2023Q3", "date"] == pd.Timestamp("2023-09-30")


def test_gap_is_explicit_and_propagates():
    data = dict(MSFT)
    del data[(2024, 1)]  # calendar 2023Q3 missing
    quarterly = inv.capex_quarterly(capex_rows("microsoft", data))
    row = quarterly.set_index("quarter").loc["2023Q3"]
    assert not row["observed"] and np.isnan(row["capex"])
    grown = inv.add_growth(quarterly).set_index("quarter")
    # every TTM window containing 2023Q3 is missing, never filled
    for q in ("2023Q3", "2023Q4", "2024Q1", "2024Q2"):
        assert np.isnan(grown.loc[q, "capex_ttm"])
    assert np.isnan(inv.calendar_year_totals(quarterly).set_index("year").loc[2023, "capex"])
    cum = inv.cumulative(quarterly).set_index("quarter")
    assert cum.loc["2023Q2", "cumulative"] == 1 + 2 + 3 + 4
    assert np.isnan(cum.loc["2023Q4", "cumulative"])
    assert cum.loc["2023Q4", "cumulative_reported"] == 1 + 2 + 3 + 4 + 6
    assert cum.loc["2023Q4", "missing_quarters"] == 1


def test_yoy_intensity_and_ttm_by_hand():
    quarters = {(2023, q): 10.0 for q in range(1, 5)} | {(2024, 1): 15.0}
    grown = inv.add_growth(inv.capex_quarterly(capex_rows("alphabet", quarters)))
    last = grown.set_index("quarter").loc["2024Q1"]
    assert last["capex_yoy"] == pytest.approx(0.5)  # 15 / 10 - 1
    assert last["capex_ttm"] == pytest.approx(45.0)  # 10 + 10 + 10 + 15
    assert last["intensity"] == pytest.approx(0.1)  # revenue = 10 x capex in the fixture
    assert last["capex_ttm_yoy"] != last["capex_ttm_yoy"]  # NaN: no TTM a year earlier


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.one_of(st.none(), st.floats(1.0, 1e11, allow_nan=False)), min_size=4, max_size=16)
)
def test_ttm_is_sum_of_four_or_missing(values):
    q = pd.DataFrame(
        {
            "company": "a",
            "qindex": range(len(values)),
            "capex": [np.nan if v is None else v for v in values],
            "revenue": 1.0,
        }
    )
    ttm = inv.add_growth(q)["capex_ttm"].to_numpy()
    for i in range(len(values)):
        window = values[max(0, i - 3) : i + 1]
        if i < 3 or any(v is None for v in window):
            assert np.isnan(ttm[i])
        else:
            assert ttm[i] == pytest.approx(sum(window))


def test_one_measure_per_company_never_mixed():
    frame = pd.concat(
        [
            capex_rows("microsoft", {(2024, 1): 19.0, (2024, 2): 20.0, (2024, 3): 21.0}, FL),
            capex_rows("microsoft", {(2024, 1): 14.0, (2024, 4): 15.0}, PPE),
        ],
        ignore_index=True,
    )
    # default: cash purchases for every company, even where another measure has more quarters
    measures = inv.choose_measures(frame)
    row = measures.set_index("company").loc["microsoft"]
    assert row["measure"] == PPE and row["quarters"] == 2 and row["other_measures"] == FL
    cash = inv.capex_quarterly(frame, measures)
    assert set(cash["measure"]) == {PPE}
    assert cash["capex"].tolist()[0] == 14.0 and cash["capex"].tolist()[-1] == 15.0
    assert cash["observed"].sum() == 2  # the gap between them stays a gap
    assert inv.capex_quarterly(frame)["capex"].dropna().tolist() == [14.0, 15.0]
    # a per-company override uses only that measure's rows
    headline = inv.choose_measures(frame, overrides={"microsoft": FL})
    assert headline["measure"].iloc[0] == FL and headline["override"].iloc[0]
    quarterly = inv.capex_quarterly(frame, headline)
    assert set(quarterly["measure"]) == {FL}
    assert quarterly["capex"].dropna().tolist() == [19.0, 20.0, 21.0]
    # a company that never reports the measure is listed with no quarters and gets no series
    meta = capex_rows("meta", {(2024, 1): 6.7}, FL)
    listed = inv.choose_measures(meta)
    assert listed["quarters"].tolist() == [0] and listed["measure"].tolist() == [PPE]
    assert inv.capex_quarterly(meta, listed).empty
    with pytest.raises(ValueError):
        inv.choose_measures(meta, "capex_total")
    with pytest.raises(ValueError):
        inv.choose_measures(meta, overrides={"meta": "capex_total"})


def test_measure_does_not_flip_with_window_or_as_of():
    # meta reports cash purchases for 2021 only and the headline incl. leases for 2024:
    # the measure is the parameter, whatever the window or as-of date
    frame = pd.concat(
        [
            capex_rows("meta", {(2021, q): 5.0 for q in range(1, 5)}, PPE),
            capex_rows("meta", {(2024, 1): 6.7, (2024, 2): 8.5}, FL),
        ],
        ignore_index=True,
    )
    for start in (None, "2023-01-01"):
        for end in (None, "2021-12-31", "2024-12-31"):
            chosen = inv.choose_measures(frame, start=start, end=end)
            assert chosen["measure"].tolist() == [PPE]
    assert inv.choose_measures(frame, start="2023-01-01")["quarters"].iloc[0] == 0
    assert inv.choose_measures(frame, end="2021-12-31")["quarters"].iloc[0] == 4
    known_2022 = frame.loc[frame["source_date"] <= "2022-06-30"]
    assert inv.choose_measures(known_2022)["measure"].tolist() == [PPE]


def test_primary_rows_pick_the_capex_version():
    # Alphabet 2023Q3: FT USD 8.1bn is the row used; The Register's 7.6bn names it in alternate_of
    # and is kept only while the FT row is not known (here: the Register row is published later
    # than the FT row would otherwise win under a latest-source rule)
    frame = capex_rows("alphabet", {(2023, 3): 8.1, (2023, 4): 11.0})
    frame["alternate_of"] = None
    reg = capex_rows("alphabet", {(2023, 3): 7.6})
    reg["capex_id"] = "alphabet-fy2023-q3-reg"
    reg["alternate_of"] = frame["capex_id"].iloc[0]
    reg["source_date"] = pd.Timestamp("2030-01-01")
    both = pd.concat([frame, reg], ignore_index=True)
    quarterly = inv.capex_quarterly(both).set_index("quarter")
    assert quarterly.loc["2023Q3", "capex"] == 8.1
    assert quarterly.loc["2023Q3", "versions"] == 1
    alone = inv.capex_quarterly(pd.concat([frame.iloc[[1]], reg])).set_index("quarter")
    assert alone.loc["2023Q3", "capex"] == 7.6  # preferred row not known: the alternate stands
    # an unlinked second row is flagged, not silently merged
    unlinked = both.assign(alternate_of=None)
    assert inv.capex_quarterly(unlinked).set_index("quarter").loc["2023Q3", "versions"] == 2


def test_constant_dollars_and_start():
    frame = capex_rows("meta", {(2024, q): float(q) for q in range(1, 5)}, FL)
    const = inv.capex_quarterly(frame, {"meta": FL}, constant_dollars=True, start="2024-04-01")
    assert const["quarter"].tolist() == ["2024Q2", "2024Q3", "2024Q4"]
    assert const["capex"].tolist() == [4.0, 6.0, 8.0]  # fixture: constant = 2 x nominal
    early = inv.capex_quarterly(frame, {"meta": FL}, end="2024-06-29")
    assert early["quarter"].tolist() == ["2024Q1"]
    rebased = inv.rebase_constant(const, ["capex"], 2025, 2024, {2024: 300.0, 2025: 330.0})
    assert rebased["capex"].iloc[0] == pytest.approx(4.0 * 300 / 330)


def test_empty_inputs_are_safe():
    empty = capex_rows("meta", {}).reindex(columns=capex_rows("meta", {(2024, 1): 1.0}).columns)
    quarterly = inv.capex_quarterly(empty)
    assert quarterly.empty and "capex" in quarterly
    assert inv.add_growth(quarterly).empty
    assert inv.calendar_year_totals(quarterly).empty
    assert inv.forecast_capex(quarterly).empty
    errors, summary = inv.backtest_capex(quarterly)
    assert errors.empty and summary.empty


def geometric(n: int, growth: float = 0.1, gap: int | None = None) -> pd.DataFrame:
    values = 10e9 * (1 + growth) ** np.arange(n)
    if gap is not None:
        values[gap] = np.nan
    return pd.DataFrame(
        {"company": "a", "measure": PPE, "qindex": np.arange(8090, 8090 + n), "capex": values}
    )


def test_forecast_follows_growth_and_intervals_nest():
    fc = inv.forecast_capex(geometric(10, gap=5), horizon=3)
    assert fc["step"].tolist() == [1, 2, 3]
    last = 10e9 * 1.1**9
    assert fc["forecast"].iloc[0] == pytest.approx(last * 1.1, rel=1e-3)
    assert fc["drift"].iloc[0] == pytest.approx(np.log(1.1), rel=1e-3)
    assert (fc["lower_95"] <= fc["lower_80"]).all()
    assert (fc["lower_80"] <= fc["forecast"]).all()
    assert (fc["forecast"] <= fc["upper_80"]).all()
    assert (fc["upper_80"] <= fc["upper_95"]).all()
    assert fc["observed_n"].iloc[0] == 9  # the gap is not filled


def test_forecast_needs_enough_quarters():
    assert inv.forecast_capex(geometric(5), min_observed=6).empty
    assert len(inv.forecast_capex(geometric(6), horizon=2, min_observed=6)) == 2


def test_backtest_scores_every_origin():
    rng = np.random.default_rng(5)
    frame = geometric(12)
    frame["capex"] *= np.exp(rng.normal(0, 0.05, 12))
    errors, summary = inv.backtest_capex(frame, horizon=2, min_observed=6)
    # origins at the 6th..11th quarter: 6 one-step and 5 two-step forecasts
    assert (errors["step"] == 1).sum() == 6 and (errors["step"] == 2).sum() == 5
    assert (errors["ape"] >= 0).all()
    overall = summary.set_index("step").loc[0]
    assert overall["n"] == 11
    assert overall["mape"] == pytest.approx(errors["ape"].mean())


def test_mape_by_hand():
    assert inv.mape([100.0, 50.0], [90.0, 60.0]) == pytest.approx(15.0)  # (10 % + 20 %) / 2
    assert np.isnan(inv.mape([np.nan], [1.0]))


def test_guidance_compares_only_the_same_measure():
    quarters = {(2024, q): 10.0 for q in range(1, 5)}
    frame = pd.concat(
        [
            capex_rows("meta", quarters, FL),
            guidance_row("meta", 2024, 35.0, 45.0, FL),
            guidance_row("meta", 2024, 30.0, 30.0, PPE),
        ],
        ignore_index=True,
    )
    quarterly = inv.capex_quarterly(frame, {"meta": FL})
    table = inv.guidance_comparison(frame, quarterly)
    same = table.loc[table["measure"] == FL].iloc[0]
    assert same["comparable"] and same["reported"] == 40.0 and same["mid"] == 40.0
    assert same["gap_to_mid"] == pytest.approx(0.0)
    other = table.loc[table["measure"] == PPE].iloc[0]
    assert not other["comparable"] and np.isnan(other["reported"])


def test_guidance_with_forecast_for_microsoft_fiscal_year():
    # FY2025 = calendar 2024Q3 .. 2025Q2; two reported, two forecast
    quarterly = inv.capex_quarterly(capex_rows("microsoft", {(2025, 1): 15.0, (2025, 2): 16.0}))
    forecast = pd.DataFrame(
        {"company": "microsoft", "qindex": [8100, 8101], "forecast": [17.0, 18.0]}
    )
    frame = guidance_row("microsoft", 2025, 80.0, 80.0)
    table = inv.guidance_comparison(frame, quarterly, forecast)
    row = table.iloc[0]
    assert (row["first_quarter"], row["last_quarter"]) == ("2024Q3", "2025Q2")
    assert row["with_forecast"] == 15 + 16 + 17 + 18
    assert row["gap_to_mid"] == pytest.approx(66 / 80 - 1)


# ------------------------------------------------------------------------- strategic flows

COMPANIES = pd.DataFrame(
    {
        "company_id": ["microsoft", "amazon", "alphabet", "nvidia", "softbank", "openai",
                       "anthropic", "coreweave"],
        "kind": ["hyperscaler", "hyperscaler", "hyperscaler", "chipmaker", "investor", "lab",
                 "lab", "other"],
    }
)  # fmt: skip


def deal(deal_id, investor, investee, date, deal_type, amount, qualifier="exact",
         status="announced", source_date=None, note="", round_id=None,
         alternate_of=None):  # fmt: skip
    return {
        "deal_id": deal_id,
        "investor": investor,
        "investee": investee,
        "announced_date": pd.Timestamp(date),
        "deal_type": deal_type,
        "amount_usd": amount,
        "amount_usd_const": None if amount is None else amount * 1.1,
        "amount_qualifier": None if amount is None else qualifier,
        "status": status,
        "source_date": pd.Timestamp(source_date or date),
        "round_id": round_id,
        "alternate_of": alternate_of,
        "note": note,
    }


# Mirrors the rows of data/raw/deals.csv behind the seed article's "well over $10B".
SEED_DEALS = pd.DataFrame(
    [
        deal("microsoft-openai-2019-07", "microsoft", "openai", "2019-07-22", "equity", 1e9),
        deal("microsoft-openai-2023-01-semafor", "microsoft", "openai", "2023-01-09", "equity",
             1e10, "about", "rumoured", "2023-01-10", "do not add to the -bbg row"),
        deal("microsoft-openai-2023-01", "microsoft", "openai", "2023-01-23", "equity", None),
        deal("microsoft-openai-2023-01-bbg", "microsoft", "openai", "2023-01-23", "equity", 1e10,
             status="reported"),
        deal("microsoft-openai-2023-01-copy", "microsoft", "openai", "2023-01-24", "equity", 1e10,
             status="reported", source_date="2023-01-25",
             alternate_of="microsoft-openai-2023-01-bbg"),
        deal("amazon-anthropic-2023-09", "amazon", "anthropic", "2023-09-25", "convertible_note",
             1.25e9),
        deal("amazon-anthropic-2023-09-up-to", "amazon", "anthropic", "2023-09-25",
             "convertible_note", 4e9, "up_to"),
        deal("microsoft-openai-2025-10-azure", "microsoft", "openai", "2025-10-28",
             "compute_commitment", 2.5e11),
        deal("openai-coreweave-2025-03", "openai", "coreweave", "2025-03-10", "equity", 3.5e8),
        deal("microsoft-openai-2024-10", "microsoft", "openai", "2024-10-02", "equity", 7.5e8,
             status="reported"),
    ]
)  # fmt: skip


def test_classify_deals_reasons():
    classified = inv.classify_deals(SEED_DEALS, COMPANIES).set_index("deal_id")
    reasons = classified["reason"].to_dict()
    assert reasons["microsoft-openai-2019-07"] == ""
    assert reasons["microsoft-openai-2023-01-semafor"] == "status rumoured"
    assert reasons["microsoft-openai-2023-01"] == "no amount"
    assert reasons["microsoft-openai-2023-01-bbg"] == ""
    assert reasons["microsoft-openai-2023-01-copy"] == "alternate of microsoft-openai-2023-01-bbg"
    assert reasons["amazon-anthropic-2023-09-up-to"] == "ceiling (up_to)"
    assert reasons["microsoft-openai-2025-10-azure"] == "compute commitment (lab -> provider)"
    assert reasons["openai-coreweave-2025-03"] == "not a lab"
    assert classified.loc["microsoft-openai-2023-01-semafor", "note_says_do_not_add"]
    assert classified["counted"].sum() == 4


def test_seed_article_microsoft_into_openai_as_of_2024_02_26():
    classified = inv.classify_deals(SEED_DEALS, COMPANIES)
    totals = inv.flows(classified, as_of="2024-02-26", by=("investor", "investee"))
    row = totals.set_index(["investor", "investee"]).loc[("microsoft", "openai")]
    assert row["amount"] == 1e9 + 1e10  # "well over $10B": 2019 USD 1B + 2023 USD 10B
    assert row["tranches"] == 2
    later = inv.flows(classified, by=("investor", "investee")).set_index("investor")
    assert later.loc["microsoft", "amount"] == pytest.approx(11.75e9)
    const = inv.flows(classified, as_of="2024-02-26", constant_dollars=True)
    assert const["amount"].sum() == pytest.approx(1.1 * (11e9 + 1.25e9))


def test_ceilings_only_on_request():
    with_ceilings = inv.classify_deals(SEED_DEALS, COMPANIES, include_ceilings=True)
    totals = inv.flows(with_ceilings, by=("investor",)).set_index("investor")
    assert totals.loc["amazon", "amount"] == pytest.approx(5.25e9)
    excluded = inv.classify_deals(SEED_DEALS, COMPANIES, exclude=["microsoft-openai-2019-07"])
    assert excluded.set_index("deal_id").loc["microsoft-openai-2019-07", "reason"] == (
        "excluded by id"
    )


def test_flows_of_nothing_is_empty():
    classified = inv.classify_deals(SEED_DEALS, COMPANIES)
    assert inv.flows(classified, as_of="2000-01-01").empty
    assert inv.flows(classified.iloc[:0]).empty


def rounds(*rows):
    """Funding-rounds-like frame from (round_id, company, date, USD raised, status[, alternate_of])."""
    rows = [(*row, None) if len(row) == 5 else row for row in rows]
    columns = ["round_id", "company", "announced_date", "amount_raised_usd", "status"]
    out = pd.DataFrame(rows, columns=[*columns, "alternate_of"])
    out["announced_date"] = pd.to_datetime(out["announced_date"])
    out["source_date"] = out["announced_date"]
    out["amount_raised_usd_const"] = out["amount_raised_usd"]
    out["round"] = "unnamed"
    return out


def test_funding_share_by_hand():
    deals = pd.DataFrame(
        [
            # part of the Oct 2024 round (round_id): already counted in the round's USD 6.6B
            deal("microsoft-openai-2024-10", "microsoft", "openai", "2024-10-02", "equity", 7.5e8,
                 round_id="openai-2024-10"),
            deal("nvidia-openai-2024-10", "nvidia", "openai", "2024-10-02", "equity", 1e8,
                 round_id="openai-2024-10"),
            # linked to another source's version of the round: still inside it
            deal("softbank-openai-2024-10", "softbank", "openai", "2024-10-02", "equity", 5e8,
                 round_id="openai-2024-10-ft"),
            # outside any round: adds to the total
            deal("microsoft-openai-2023-01", "microsoft", "openai", "2023-01-23", "equity", 1e10),
        ]
    )  # fmt: skip
    funding = rounds(
        ("openai-2024-10", "openai", "2024-10-02", 6.6e9, "announced"),
        ("openai-2024-10-ft", "openai", "2024-10-03", 6.5e9, "reported", "openai-2024-10"),
        ("openai-2024-11-talks", "openai", "2024-11-01", 1e9, "rumoured"),
    )
    share = inv.funding_share(inv.classify_deals(deals, COMPANIES), funding).iloc[0]
    assert share["rounds"] == 6.6e9 and share["rounds_n"] == 1
    assert share["outside_rounds"] == 1e10 and share["outside_n"] == 1
    assert share["total"] == pytest.approx(16.6e9)
    assert share["strategic"] == pytest.approx(10.85e9)  # Microsoft 10 + 0.75, Nvidia 0.1
    assert share["share"] == pytest.approx(10.85 / 16.6)
    assert share["strategic_investors"] == "microsoft;nvidia"


def test_second_closing_linked_to_its_round_is_not_added_twice():
    # OpenAI's March 2025 USD 40B round: SoftBank's April first closing and its December second
    # closing (nine months later) both name the round; neither adds to the round's 40B
    deals = pd.DataFrame(
        [
            deal("softbank-openai-2025-03", "softbank", "openai", "2025-03-31", "equity", 7.5e9,
                 round_id="openai-2025-03"),
            deal("softbank-openai-2025-12", "softbank", "openai", "2025-12-26", "equity", 2.25e10,
                 round_id="openai-2025-03"),
        ]
    )  # fmt: skip
    funding = rounds(("openai-2025-03", "openai", "2025-03-31", 4e10, "announced"))
    share = inv.funding_share(inv.classify_deals(deals, COMPANIES), funding).iloc[0]
    assert share["rounds"] == 4e10 and share["outside_rounds"] == 0.0 and share["total"] == 4e10
    assert inv.round_near_misses(inv.classify_deals(deals, COMPANIES), funding).empty


def test_deal_close_in_time_without_round_id_is_added():
    # Google's Jan 2025 USD 1B and an April tranche fall within days of unrelated rounds; without
    # a round_id they are money outside the rounds (no date matching)
    deals = pd.DataFrame(
        [
            deal("alphabet-anthropic-2025-01", "alphabet", "anthropic", "2025-01-22", "equity",
                 1e9),
            deal("amazon-anthropic-2025-03", "amazon", "anthropic", "2025-03-10", "equity", 5e9),
        ]
    )  # fmt: skip
    funding = rounds(
        ("anthropic-2025-03", "anthropic", "2025-03-03", 3.5e9, "announced"),
        ("anthropic-2025-01-talks", "anthropic", "2025-01-07", 2e9, "rumoured"),
    )
    classified = inv.classify_deals(deals, COMPANIES)
    share = inv.funding_share(classified, funding).iloc[0]
    assert share["rounds"] == 3.5e9
    assert share["outside_rounds"] == pytest.approx(6e9) and share["outside_n"] == 2
    assert share["total"] == pytest.approx(9.5e9)
    assert share["strategic"] == pytest.approx(6e9)
    near = inv.round_near_misses(classified, funding)
    # listed for review only (within 45 days of the March round), never matched
    assert near["deal_id"].tolist() == ["alphabet-anthropic-2025-01", "amazon-anthropic-2025-03"]
    assert near["days_apart"].tolist() == [-40, 7]
    assert inv.round_near_misses(classified, funding, days=30)["days_apart"].tolist() == [7]
    # a round_id naming a round without a disclosed amount leaves the deal outside (counted)
    linked = deals.assign(round_id="anthropic-2023-05")
    undisclosed = pd.concat(
        [funding, rounds(("anthropic-2023-05", "anthropic", "2023-05-23", None, "announced"))]
    )
    again = inv.funding_share(inv.classify_deals(linked, COMPANIES), undisclosed).iloc[0]
    assert again["outside_rounds"] == pytest.approx(6e9)


def test_primary_rows_pick_the_round_version():
    # Aleph Alpha Nov 2023: the README prescribes the EUR 110M equity row over the "USD 500M"
    # headline, which names it in alternate_of; before the equity row was published the
    # headline is all a reader had
    funding = rounds(
        ("aleph_alpha-2023-11", "aleph_alpha", "2023-11-06", 5e8, "announced",
         "aleph_alpha-2023-11-equity"),
        ("aleph_alpha-2023-11-equity", "aleph_alpha", "2023-11-06", 1.2e8, "announced"),
    )  # fmt: skip
    funding.loc[1, "source_date"] = pd.Timestamp("2024-07-26")
    empty = inv.classify_deals(SEED_DEALS.iloc[:0], COMPANIES)
    share = inv.funding_share(empty, funding).iloc[0]
    assert share["rounds"] == 1.2e8 and share["rounds_n"] == 1
    before = inv.funding_share(empty, funding.loc[funding["source_date"] <= "2024-02-26"])
    assert before["rounds"].iloc[0] == 5e8
    # unlinked versions are both counted: the data, not a heuristic, decides
    unlinked = inv.funding_share(empty, funding.assign(alternate_of=None)).iloc[0]
    assert unlinked["rounds"] == pytest.approx(6.2e8) and unlinked["rounds_n"] == 2
    assert inv.funding_share(empty, funding.iloc[:0]).empty


def test_alternate_deal_is_not_counted_and_duplicates_are_only_flagged():
    deals = pd.DataFrame(
        [
            deal("m-o-2023-01-bbg", "microsoft", "openai", "2023-01-23", "equity", 1e10,
                 status="reported"),
            deal("m-o-2023-01-copy", "microsoft", "openai", "2023-01-24", "equity", 1e10,
                 status="reported", source_date="2023-01-25"),
        ]
    )  # fmt: skip
    flagged = inv.classify_deals(deals, COMPANIES).set_index("deal_id")
    assert flagged["counted"].all()  # not linked in the data: both count, one is flagged
    assert flagged.loc["m-o-2023-01-copy", "possible_duplicate_of"] == "m-o-2023-01-bbg"
    linked = deals.assign(alternate_of=[None, "m-o-2023-01-bbg"])
    classified = inv.classify_deals(linked, COMPANIES).set_index("deal_id")
    assert classified.loc["m-o-2023-01-copy", "reason"] == "alternate of m-o-2023-01-bbg"
    assert inv.flows(classified.reset_index())["amount"].sum() == 1e10
    table = inv.flows(classified.reset_index(), by=("investor", "investee")).iloc[0]
    assert table["deal_types"] == "equity" and table["qualifiers"] == "exact"
    assert table["deal_ids"] == "m-o-2023-01-bbg"


def test_compute_commitments_beside_investment():
    classified = inv.classify_deals(SEED_DEALS, COMPANIES)
    table = inv.compute_vs_investment(SEED_DEALS, classified).set_index(["provider", "lab"])
    row = table.loc[("microsoft", "openai")]
    assert row["committed"] == 2.5e11
    assert row["invested"] == pytest.approx(11.75e9)
    assert row["ratio"] == pytest.approx(2.5e11 / 11.75e9)


def test_billions():
    out = inv.billions(pd.DataFrame({"amount": [1.5e9], "name": ["x"]}), ["amount", "missing"])
    assert out.columns.tolist() == ["amount_bn", "name"] and out["amount_bn"].iloc[0] == 1.5


def test_guidance_before_start_is_left_out():
    frame = pd.concat(
        [guidance_row("meta", 2022, 30.0, 33.0, FL), guidance_row("meta", 2024, 35.0, 40.0, FL)],
        ignore_index=True,
    )
    table = inv.guidance_comparison(frame, inv.capex_quarterly(frame), start="2023-01-01")
    assert table["fiscal_year"].tolist() == [2024]
    assert inv.guidance_comparison(frame, inv.capex_quarterly(frame), start="2030-01-01").empty
