"""Currency conversion and constant dollars against hand-worked values."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from analysis.data.money import ConversionError, FxRates, PriceIndex, to_constant_usd, to_usd


@pytest.fixture(scope="module")
def fx() -> FxRates:
    return FxRates()


def test_eur_at_the_ecb_fixing_of_the_day(fx):
    # ECB reference rate of Monday 11 December 2023 (eurofxref-hist): 1 EUR = 1.0757 USD.
    # Mistral AI's EUR 385M round announced that day: 385e6 * 1.0757 = 414,144,500 USD.
    frame = pd.DataFrame(
        {"amount": [385e6], "currency": ["EUR"], "date": pd.to_datetime(["2023-12-11"])}
    )
    out = to_usd(frame, "amount", "currency", "date", fx=fx)
    assert out.loc[0, "amount_fx_rate"] == pytest.approx(1.0757)
    assert out.loc[0, "amount_usd"] == pytest.approx(414_144_500)
    assert out.loc[0, "amount_fx_date"] == pd.Timestamp("2023-12-11")


def test_weekend_uses_the_last_fixing_before(fx):
    rate_sat, day_sat = fx.usd_per_unit("EUR", "2023-12-09")
    rate_fri, day_fri = fx.usd_per_unit("EUR", "2023-12-08")
    assert day_sat == day_fri == dt.date(2023, 12, 8)
    assert rate_sat == rate_fri


def test_cross_rate_goes_through_the_euro(fx):
    # USD per GBP = (USD per EUR) / (GBP per EUR) on the same day.
    usd_per_gbp, _ = fx.usd_per_unit("GBP", "2024-06-03")
    usd_per_eur, _ = fx.usd_per_unit("EUR", "2024-06-03")
    gbp_per_eur = fx.converter.convert(1, "EUR", "GBP", date=dt.date(2024, 6, 3))
    assert usd_per_gbp == pytest.approx(usd_per_eur / gbp_per_eur, rel=1e-12)


def test_usd_is_identity_and_missing_amounts_stay_missing(fx):
    frame = pd.DataFrame(
        {
            "amount": [5.0, None],
            "currency": ["USD", "EUR"],
            "date": pd.to_datetime(["2024-01-01", "2024-01-02"]),
        }
    )
    out = to_usd(frame, "amount", "currency", "date", fx=fx)
    assert out.loc[0, "amount_usd"] == 5.0
    assert pd.isna(out.loc[1, "amount_usd"])


@pytest.mark.parametrize(
    ("currency", "date"), [("XYZ", "2024-01-02"), ("EUR", "1998-06-01"), ("EUR", "2099-01-01")]
)
def test_unconvertible_raises(fx, currency, date):
    with pytest.raises(ConversionError):
        fx.usd_per_unit(currency, date)


def test_constant_dollars_hand_worked():
    # BLS CPI-U NSA: annual average 2023 = 304.702; January 2024 = 308.417.
    # 1,000 USD of January 2024 in 2023 dollars = 1000 * 304.702 / 308.417 = 987.9546...
    frame = pd.DataFrame({"x_usd": [1000.0], "date": pd.to_datetime(["2024-01-31"])})
    out = to_constant_usd(frame, "x_usd", "date", base_year=2023)
    assert out.loc[0, "x_usd_const"] == pytest.approx(1000 * 304.702 / 308.417)
    assert not out.loc[0, "cpi_carried_forward"]


def test_constant_dollars_after_the_cpi_vintage_are_flagged():
    prices = PriceIndex()
    later = (pd.Timestamp(prices.vintage) + pd.DateOffset(months=3)).date()
    value, month, carried = prices.monthly(later)
    assert carried and month == prices.vintage
    frame = pd.DataFrame({"x_usd": [100.0], "date": pd.to_datetime([later])})
    out = to_constant_usd(frame, "x_usd", "date", base_year=2023, prices=prices)
    assert out.loc[0, "cpi_carried_forward"]
    assert out.loc[0, "x_usd_const"] == pytest.approx(100 * 304.702 / value)


def test_base_year_without_annual_average_is_an_error():
    prices = PriceIndex()
    with pytest.raises(ConversionError):
        prices.annual(prices.latest_annual_year + 1)


def test_unpublished_month_uses_the_month_before_and_is_flagged():
    # BLS did not publish CPI-U for October 2025 (federal shutdown); September 2025 = 324.800.
    value, month, carried = PriceIndex().monthly("2025-10-20")
    assert (value, month, carried) == (324.8, dt.date(2025, 9, 1), True)
