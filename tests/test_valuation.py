"""Valuation series, revenue multiples, step-ups and regressions (:mod:`analysis.valuation`).

Hand-worked values from issue 5 and ``/work/shared/methods.md`` ("Valuation"): post-money 120 over
a run-rate of 4 is 30x; a round at 250 pre-money after one at 100 post-money is a 2.5x step-up.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import valuation as val


def funding(*rows):
    """Processed-funding_rounds-like frame from (round_id, date, raised, valuation, basis, ...)."""
    records = []
    for row in rows:
        round_id, date, raised, valuation, basis, *rest = row
        status = rest[0] if len(rest) > 0 else "announced"
        source = rest[1] if len(rest) > 1 else date
        qualifier = rest[2] if len(rest) > 2 else "exact"
        name = rest[3] if len(rest) > 3 else "unnamed"
        alternate = rest[4] if len(rest) > 4 else None
        records.append(
            {
                "round_id": round_id,
                "company": round_id.split("-")[0],
                "round": name,
                "announced_date": pd.Timestamp(date),
                "amount_raised_usd": raised,
                "amount_raised_usd_const": None if raised is None else raised * 2,
                "valuation_usd": valuation,
                "valuation_usd_const": None if valuation is None else valuation * 2,
                "valuation_basis": basis,
                "valuation_qualifier": qualifier,
                "status": status,
                "source_date": pd.Timestamp(source),
                "publisher": "Test",
                "alternate_of": alternate,
            }
        )
    return pd.DataFrame(records)


def run_rates(*rows):
    records = []
    for company, date, value, *rest in rows:
        qualifier = rest[0] if len(rest) > 0 else "exact"
        source = rest[1] if len(rest) > 1 else date
        status = rest[2] if len(rest) > 2 else "announced"
        records.append(
            {
                "revenue_id": f"{company}-{date}",
                "company": company,
                "date": pd.Timestamp(date),
                "metric": "annualized_run_rate",
                "value_usd": value,
                "value_usd_const": value * 2,
                "value_qualifier": qualifier,
                "status": status,
                "source_date": pd.Timestamp(source),
            }
        )
    return pd.DataFrame(records)


def test_multiple_120_over_4_is_30x():
    series = val.valuation_series(funding(("lab-2024-07", "2024-07-01", 20.0, 120.0, "post")))
    multiples = val.revenue_multiples(series, run_rates(("lab", "2024-06-01", 4.0)))
    row = multiples.iloc[0]
    assert row["multiple"] == pytest.approx(30.0)
    assert row["bound"] == "point"
    # "over $4" run-rate: the multiple is at most 30x, a ceiling
    over = val.revenue_multiples(series, run_rates(("lab", "2024-06-01", 4.0, "at_least")))
    assert over["multiple"].iloc[0] == pytest.approx(30.0)
    assert over["bound"].iloc[0] == "ceiling"


def test_step_up_250_pre_after_100_post_is_2_5x():
    series = val.valuation_series(
        funding(
            ("lab-2024-01", "2024-01-01", 20.0, 100.0, "post"),
            ("lab-2025-01", "2025-01-01", 50.0, 250.0, "pre"),
        )
    )
    steps = val.step_ups(series).set_index("round_key")
    assert steps.loc["lab-2025-01", "step_up"] == pytest.approx(2.5)
    assert steps.loc["lab-2025-01", "post_money"] == pytest.approx(300.0)
    assert steps.loc["lab-2025-01", "step_up_post"] == pytest.approx(3.0)
    assert steps.loc["lab-2025-01", "annualised_growth"] == pytest.approx(3.0 ** (365.25 / 366) - 1)
    assert np.isnan(steps.loc["lab-2024-01", "step_up"])


def test_unclear_basis_parameter():
    frame = funding(
        ("lab-2024-01", "2024-01-01", 20.0, 100.0, "unspecified"),
        ("lab-2025-01", "2025-01-01", 10.0, 50.0, "pre"),
    )
    as_post = val.valuation_series(frame, unclear_basis="as_post").set_index("round_key")
    as_pre = val.valuation_series(frame, unclear_basis="as_pre").set_index("round_key")
    dropped = val.valuation_series(frame, unclear_basis="drop")
    assert as_post.loc["lab-2024-01", "post_money"] == 100.0
    assert as_post.loc["lab-2024-01", "pre_money"] == 80.0
    assert as_post.loc["lab-2024-01", "unclear"]
    assert as_pre.loc["lab-2024-01", "post_money"] == 120.0
    assert dropped["round_key"].tolist() == ["lab-2025-01"]
    assert dropped["post_money"].tolist() == [60.0]


def test_pre_money_without_amount_has_no_post_money():
    frame = funding(("lab-2024-01", "2024-01-01", None, 100.0, "pre"))
    assert val.valuation_series(frame).empty


def test_tender_has_no_new_money():
    frame = funding(
        ("lab-2024-11-tender", "2024-11-27", None, 157.0, "unspecified", "reported",
         "2024-11-27", "about", "tender"),
    )  # fmt: skip
    series = val.valuation_series(frame, unclear_basis="as_pre")
    assert series["post_money"].iloc[0] == series["pre_money"].iloc[0] == 157.0
    assert val.valuation_series(frame, include_tenders=False).empty


MISTRAL = funding(
    # first reported by the press, then announced by the company (same round, two sources:
    # the press row names the company's row in alternate_of)
    (
        "mistral_ai-2023-12-bbg",
        "2023-12-05",
        487e6,
        2.0e9,
        "unspecified",
        "reported",
        "2023-12-05",
        "about",
        "series_a",
        "mistral_ai-2023-12",
    ),
    ("mistral_ai-2023-12", "2023-12-10", 415e6, 2.16e9, "unspecified", "announced", "2023-12-11"),
    ("mistral_ai-2024-04-talks", "2024-04-19", 533e6, 5.3e9, "unspecified", "rumoured"),
)


def test_versions_announced_and_first_reported():
    primary = val.valuation_series(MISTRAL)
    announced = val.valuation_series(MISTRAL, version="announced")
    first = val.valuation_series(MISTRAL, version="first_reported")
    assert primary["round_id"].tolist() == ["mistral_ai-2023-12"]
    assert announced["round_id"].tolist() == ["mistral_ai-2023-12"]
    assert first["round_id"].tolist() == ["mistral_ai-2023-12-bbg"]
    assert announced["versions"].iloc[0] == "mistral_ai-2023-12;mistral_ai-2023-12-bbg"
    rumours = val.valuation_series(MISTRAL, include_rumoured=True)
    assert rumours["round_key"].tolist() == ["mistral_ai-2023-12", "mistral_ai-2024-04-talks"]
    latest = val.latest_rounds(MISTRAL).iloc[0]
    assert latest["primary_post_money"] == 2.16e9
    assert latest["announced_post_money"] == 2.16e9
    assert latest["first_reported_post_money"] == 2.0e9
    assert latest["first_reported_new_money"] == 487e6
    with pytest.raises(ValueError):
        val.valuation_series(MISTRAL, version="latest")  # type: ignore[arg-type]


def test_primary_rows_decide_the_default_version():
    # the data prescribes a reported row over an announced and an earlier one (alternate_of);
    # "announced" and "first reported" remain available for display
    frame = funding(
        ("lab-2025-09", "2025-09-09", 1.7, 11.7, "post", "reported", "2025-09-10"),
        ("lab-2025-09-co", "2025-09-09", 1.7, 12.0, "post", "announced", "2025-09-09",
         "exact", "unnamed", "lab-2025-09"),
        ("lab-2025-09-early", "2025-09-07", 1.7, 10.0, "pre", "reported", "2025-09-08",
         "exact", "unnamed", "lab-2025-09"),
    )  # fmt: skip
    primary = val.valuation_series(frame)
    assert primary["round_id"].tolist() == ["lab-2025-09"]
    assert primary["post_money"].tolist() == [11.7]
    assert primary["versions"].iloc[0] == "lab-2025-09;lab-2025-09-co;lab-2025-09-early"
    assert val.valuation_series(frame, version="announced")["post_money"].tolist() == [12.0]
    assert val.valuation_series(frame, version="first_reported")["post_money"].tolist() == [
        pytest.approx(11.7)
    ]  # 10 pre + 1.7
    latest = val.latest_rounds(frame).iloc[0]
    assert latest["primary_round_id"] == "lab-2025-09"
    assert latest["announced_round_id"] == "lab-2025-09-co"
    assert latest["first_reported_round_id"] == "lab-2025-09-early"
    # before the preferred row is known, its alternate stands in
    early = val.valuation_series(frame.iloc[[2]])
    assert early["round_id"].tolist() == ["lab-2025-09-early"]
    # rows of one id stem that alternate_of does not link are flagged, not merged
    unlinked = val.valuation_series(frame.assign(alternate_of=None))
    assert len(unlinked) == 3
    assert unlinked.set_index("round_id").loc["lab-2025-09", "unlinked_versions"] == (
        "lab-2025-09-co;lab-2025-09-early"
    )


def test_constant_dollars_and_labs():
    series = val.valuation_series(MISTRAL, constant_dollars=True)
    assert series["post_money"].iloc[0] == pytest.approx(4.32e9)
    assert val.valuation_series(MISTRAL, labs=["openai"]).empty


def test_run_rate_window_and_hindsight():
    rates = run_rates(
        ("lab", "2023-01-01", 1.0),
        ("lab", "2024-05-01", 3.0, "about", "2024-09-01"),  # published after the round
    )
    at = val.run_rate_at(rates, "lab", "2024-07-01", window_months=24)
    assert at["value_usd"] == 1.0
    assert val.run_rate_at(rates, "lab", "2024-07-01", window_months=12) is None
    late = val.run_rate_at(rates, "lab", "2024-07-01", window_months=12, hindsight=True)
    assert late["value_usd"] == 3.0
    rumour = run_rates(("lab", "2024-06-01", 9.0, "exact", "2024-06-01", "rumoured"))
    assert val.run_rate_at(rumour, "lab", "2024-07-01") is None


def test_stale_run_rate_is_shown_but_no_multiple():
    series = val.valuation_series(
        funding(
            ("lab-2024-07", "2024-07-01", 20.0, 120.0, "post"),
            ("lab-2025-03", "2025-03-01", 20.0, 300.0, "post"),
        )
    )
    rates = run_rates(("lab", "2024-06-01", 4.0))
    multiples = val.revenue_multiples(series, rates).set_index("round_key")  # default 6 months
    assert multiples.loc["lab-2024-07", "multiple"] == pytest.approx(30.0)
    assert multiples.loc["lab-2024-07", "multiple_status"] == "computed"
    stale = multiples.loc["lab-2025-03"]
    assert stale["run_rate"] == 4.0 and stale["run_rate_date"] == pd.Timestamp("2024-06-01")
    assert stale["run_rate_age_months"] == pytest.approx(9.0)
    assert np.isnan(stale["multiple"]) and pd.isna(stale["bound"])
    assert stale["multiple_status"] == "stale run-rate (older than 6 months)"
    wide = val.revenue_multiples(series, rates, window_months=12).set_index("round_key")
    assert wide.loc["lab-2025-03", "multiple"] == pytest.approx(75.0)
    none = val.revenue_multiples(series, rates.iloc[:0])
    assert none["multiple_status"].eq("no run-rate known").all()


def test_announced_run_rate_preferred_on_the_same_date():
    rates = run_rates(
        ("lab", "2026-05-01", 45.0, "about", "2026-05-29", "reported"),
        ("lab", "2026-05-01", 47.0, "at_least", "2026-05-28", "announced"),
    )
    assert val.run_rate_at(rates, "lab", "2026-06-01")["value_usd"] == 47.0


def test_multiple_bounds():
    assert val.multiple_bound("exact", "exact") == "point"
    assert val.multiple_bound("about", "at_least") == "ceiling"
    assert val.multiple_bound("at_least", "exact") == "floor"
    assert val.multiple_bound("exact", "up_to") == "floor"
    assert val.multiple_bound("up_to", "exact") == "ceiling"
    assert val.multiple_bound("at_least", "at_least") == "unbounded"


def test_cagr_by_hand():
    assert val.cagr(100.0, 400.0, 2.0) == pytest.approx(1.0)
    assert val.cagr(100.0, 150.0, 0.5) == pytest.approx(1.25)  # (1.5)^(12/6) - 1
    assert np.isnan(val.cagr(0.0, 150.0, 1.0))
    assert np.isnan(val.cagr(100.0, 150.0, 0.0))


@settings(max_examples=50, deadline=None)
@given(
    st.floats(1e6, 1e12),
    st.floats(-0.9, 5.0),
    st.floats(0.1, 10.0),
)
def test_cagr_inverts_compounding(start, rate, years):
    assert val.cagr(start, start * (1 + rate) ** years, years) == pytest.approx(rate, abs=1e-9)


@settings(max_examples=50, deadline=None)
@given(st.floats(1.0, 1e12), st.floats(0.0, 1e11), st.sampled_from(["pre", "post"]))
def test_post_money_identity(valuation, raised, basis):
    post = val.post_money(valuation, basis, raised)
    assert post == pytest.approx(valuation + raised if basis == "pre" else valuation)


def test_growth_summary():
    series = val.valuation_series(
        funding(
            ("lab-2023-01", "2023-01-01", 1.0, 100.0, "post"),
            ("lab-2025-01", "2025-01-01", 1.0, 400.0, "post"),
        )
    )
    rates = run_rates(("lab", "2023-01-01", 1.0), ("lab", "2024-01-01", 3.0))
    row = val.growth_summary(series, rates).set_index("company").loc["lab"]
    assert row["valuation_cagr"] == pytest.approx(4.0 ** (365.25 / 731) - 1)
    assert row["revenue_cagr"] == pytest.approx(3.0 ** (365.25 / 365) - 1)
    empty = val.growth_summary(series.iloc[:0], rates.iloc[:0])
    assert empty.empty and "valuation_cagr" in empty


def synthetic_multiples(n: int = 30, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    log_rr = rng.uniform(np.log(1e8), np.log(5e10), n)
    years = rng.uniform(3.0, 6.5, n)
    log_post = 2.0 + 0.9 * log_rr + 0.3 * years + rng.normal(0, 0.1, n)
    return pd.DataFrame(
        {
            "company": [f"lab{i}" for i in range(n)],
            "announced_date": pd.Timestamp("2020-01-01")
            + pd.to_timedelta(years * 365.25, unit="D"),
            "run_rate": np.exp(log_rr),
            "post_money": np.exp(log_post),
            "bound": "point",
        }
    )


def test_regression_recovers_known_coefficients():
    fit = val.fit_regression(synthetic_multiples(), cov_type="HC3")
    coef = fit.coefficients.set_index("term")
    assert fit.n == 30 and fit.cov_type == "HC3"
    assert coef.loc["log_run_rate", "estimate"] == pytest.approx(0.9, abs=0.05)
    assert coef.loc["years", "estimate"] == pytest.approx(0.3, abs=0.05)
    assert (coef["ci_lower"] < coef["estimate"]).all()
    assert (coef["estimate"] < coef["ci_upper"]).all()
    assert fit.r_squared > 0.95


def test_regression_bands_nest():
    fit = val.fit_regression(synthetic_multiples())
    bands = val.regression_bands(fit, [1e9, 1e10], date="2025-01-01")
    assert (bands["pi_lower"] < bands["ci_lower"]).all()
    assert (bands["ci_lower"] < bands["fitted"]).all()
    assert (bands["fitted"] < bands["ci_upper"]).all()
    assert (bands["ci_upper"] < bands["pi_upper"]).all()
    years = (pd.Timestamp("2025-01-01") - pd.Timestamp("2020-01-01")).days / 365.25
    coef = fit.coefficients.set_index("term")["estimate"]
    expected = np.exp(coef["const"] + coef["log_run_rate"] * np.log(1e9) + coef["years"] * years)
    assert bands["fitted"].iloc[0] == pytest.approx(expected)


def test_regression_needs_enough_points_and_excludes_bounds():
    data = synthetic_multiples(6)
    assert val.fit_regression(data.iloc[:4], min_n=0) is None  # 4 < parameters + 2
    data.loc[data.index[:2], "bound"] = "ceiling"
    assert val.fit_regression(data, min_n=0) is None  # 4 point estimates for 3 parameters
    assert val.fit_regression(data, include_bounds=True, min_n=6).n == 6
    assert val.fit_regression(data, time=False, min_n=4).n == 4


def test_no_fit_below_minimum_n_or_companies():
    data = synthetic_multiples(12)
    assert val.fit_regression(data.iloc[:7]) is None  # default minimum 8 observations
    assert val.fit_regression(data.iloc[:8]).n == 8
    assert "7 observations (minimum 8)" in val.regression_status(data.iloc[:7])
    # 12 observations from two companies: no fit, and the reason says so
    two = data.assign(company=["a", "b"] * 6)
    assert val.fit_regression(two) is None
    assert "2 companies (minimum 3)" in val.regression_status(val.regression_sample(two))
    assert val.fit_regression(two, min_companies=2).companies == 2
    assert val.fit_regression(data).cov_type == "HC3"  # small-sample default


def test_regression_sample_drops_tenders_and_repeated_run_rates():
    # seed-like case: OpenAI rounds and tenders priced on one stale run-rate count once
    data = synthetic_multiples(10)
    data["round"] = "series_x"
    data["run_rate_id"] = [f"r{i}" for i in range(10)]
    stale = data.iloc[[0, 0, 0]].assign(round=["unnamed", "tender", "tender"])
    stale["announced_date"] = data["announced_date"].iloc[0] + pd.to_timedelta([1, 2, 3], "D")
    both = pd.concat([data, stale], ignore_index=True)
    sample = val.regression_sample(both)
    assert len(sample) == 10 and not sample["round"].eq("tender").any()
    assert val.fit_regression(both).n == 10
    with_tenders = val.regression_sample(
        both.assign(run_rate_id=[f"x{i}" for i in range(13)]), include_tenders=True
    )
    assert len(with_tenders) == 13
    # multiples not computed (stale run-rate) never enter
    stale_multiple = data.assign(multiple=[np.nan] * 3 + [1.0] * 7)
    assert len(val.regression_sample(stale_multiple)) == 7


def test_empty_series_is_safe():
    empty = val.valuation_series(MISTRAL.iloc[:0])
    assert empty.empty and "post_money" in empty
    assert val.latest_rounds(MISTRAL.iloc[:0]).empty
    assert val.step_ups(empty).empty
    multiples = val.revenue_multiples(empty, run_rates(("lab", "2024-01-01", 1.0)))
    assert multiples.empty and "multiple" in multiples
    assert val.fit_regression(multiples) is None
