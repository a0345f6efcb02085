"""Hyperscaler investment: capex on calendar quarters, forecasts, and strategic flows into labs.

Pure functions over the processed tables of :func:`analysis.data.load` (``capex``, ``deals``,
``funding_rounds``, ``companies``). Nothing here reads files, draws or interpolates.

One row per fact
    Every function first keeps one row per fact with :func:`analysis.data.primary_rows` (rows
    whose ``alternate_of`` names a row present in the frame are another source's version and are
    dropped). No id, date or amount heuristic decides which version counts.

Capital expenditure
    One **measure** per company (``purchases_ppe``, ``purchases_ppe_incl_finance_leases`` or
    ``purchases_ppe_net``; see ``data/raw/README.md``) is fixed by :func:`choose_measures`: by
    default ``purchases_ppe`` (cash purchases of property and equipment) for every company, so
    that cross-company panels compare one measure; a per-company override may choose another.
    The measure never depends on the window or the as-of date, and only that measure's quarters
    enter the company's series: measures are never added up or mixed within one series.
    :func:`capex_quarterly` puts the quarters on a complete calendar
    grid where a quarter the data lacks is an explicit gap (``observed`` False, value NaN); every
    derived figure over a gap (trailing-twelve-month sum, year-on-year growth, calendar-year total,
    cumulative spend) is itself missing.

Forecasts
    :func:`forecast_capex` fits a random walk with drift to log capex (statsmodels ``SARIMAX``
    with ``order=(0, 1, 0)`` and a constant): the drift is the average quarterly log growth and the
    Kalman filter carries the series across missing quarters without filling them. Point forecasts
    are medians (exp of the log-scale mean); intervals are the model's prediction intervals.
    :func:`backtest_capex` refits from rolling origins and reports the mean absolute percentage
    error (MAPE) per horizon.

Strategic flows
    :func:`classify_deals` applies an explicit rule to every deal row (column ``counted`` and the
    ``reason`` it is left out); :func:`flows` sums the counted rows investor -> lab by deal type
    (committed tranches count at announcement: the data holds no payment schedules);
    :func:`funding_share` gives each lab's share of disclosed funding from hyperscalers and
    chipmakers, matching deals to rounds only through ``deals.round_id``
    (:func:`round_near_misses` lists unlinked deals close in time to a round, for review only);
    :func:`compute_vs_investment` sets the labs' committed compute spend beside the provider's
    investment.

Money columns: ``*_usd`` are nominal US dollars at the ECB rate of the transaction date,
``*_usd_const`` constant dollars of the build's base year (``build_info.json``);
:func:`rebase_constant` moves them to another base year.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from analysis.data.build import primary_rows

__all__ = [
    "MEASURES",
    "INVESTMENT_TYPES",
    "FLOW_TYPES",
    "STRATEGIC_KINDS",
    "money_column",
    "rebase_constant",
    "choose_measures",
    "capex_quarterly",
    "add_growth",
    "calendar_year_totals",
    "cumulative",
    "forecast_capex",
    "backtest_capex",
    "mape",
    "guidance_comparison",
    "classify_deals",
    "flows",
    "funding_share",
    "round_near_misses",
    "compute_vs_investment",
    "billions",
]

#: Capex measures; the first (cash purchases of property and equipment) is the default of
#: :func:`choose_measures` for every company.
MEASURES: tuple[str, ...] = (
    "purchases_ppe",
    "purchases_ppe_incl_finance_leases",
    "purchases_ppe_net",
)

#: Deal types that put money into the investee (the lab): investments proper.
INVESTMENT_TYPES: tuple[str, ...] = ("equity", "convertible_note", "cloud_credits")

#: Deal types whose money flows investor -> investee (investments plus licence and acqui-hire
#: payments). ``compute_commitment`` (money flows lab -> provider) and ``partnership`` (no
#: disclosed money) are never flows into the lab.
FLOW_TYPES: tuple[str, ...] = (*INVESTMENT_TYPES, "licensing", "acqui_hire", "acquisition")

#: ``companies.kind`` values counted as strategic investors in :func:`funding_share`.
STRATEGIC_KINDS: tuple[str, ...] = ("hyperscaler", "chipmaker")

_COUNTED_STATUS: tuple[str, ...] = ("announced", "reported")
_STATUS_RANK = {"announced": 0, "reported": 1, "rumoured": 2}


# --------------------------------------------------------------------------------------------
# money


def money_column(amount: str, constant_dollars: bool) -> str:
    """Name of the processed column holding ``amount`` in nominal or constant US dollars.

    Examples
    --------
    >>> money_column("capex", False), money_column("amount", True)
    ('capex_usd', 'amount_usd_const')
    """
    return f"{amount}_usd_const" if constant_dollars else f"{amount}_usd"


def rebase_constant(
    frame: pd.DataFrame,
    columns: Iterable[str] | None,
    from_year: int,
    to_year: int,
    annual_cpi: dict[int, float] | None = None,
) -> pd.DataFrame:
    """Move constant-dollar ``columns`` from ``from_year`` dollars to ``to_year`` dollars.

    ``value_to = value_from * CPI(to_year) / CPI(from_year)`` with annual-average CPI-U (the
    bundled BLS series of :class:`analysis.data.money.PriceIndex` unless ``annual_cpi`` is given).

    Parameters
    ----------
    frame : DataFrame
        Table with constant-dollar columns (e.g. ``capex_usd_const``).
    columns : iterable of str or None
        Columns to rebase (absent ones are skipped); None: every ``*_usd_const`` column.
    from_year, to_year : int
        Base year of the data (``build_info.json``'s ``base_year``) and the wanted base year.
    annual_cpi : dict, optional
        Year -> annual average CPI, for tests.

    Examples
    --------
    >>> df = pd.DataFrame({"x_usd_const": [100.0]})
    >>> rebase_constant(df, ["x_usd_const"], 2024, 2023, {2023: 300.0, 2024: 310.0})
       x_usd_const
    0    96.774194
    """
    out = frame.copy()
    if from_year == to_year:
        return out
    if columns is None:
        columns = [c for c in out.columns if str(c).endswith("_usd_const")]
    if annual_cpi is None:
        from analysis.data.money import PriceIndex

        prices = PriceIndex()
        factor = prices.annual(to_year) / prices.annual(from_year)
    else:
        factor = annual_cpi[to_year] / annual_cpi[from_year]
    for column in columns:
        if column in out:
            out[column] = out[column].astype(float) * factor
    return out


def billions(frame: pd.DataFrame, columns: Iterable[str], suffix: str = "_bn") -> pd.DataFrame:
    """Copy of ``frame`` with ``columns`` divided by 1e9 and renamed ``column + suffix``.

    Examples
    --------
    >>> billions(pd.DataFrame({"usd": [2.5e9]}), ["usd"])
       usd_bn
    0     2.5
    """
    out = frame.copy()
    for column in columns:
        if column in out:
            out[column] = out[column].astype(float) / 1e9
            out = out.rename(columns={column: f"{column}{suffix}"})
    return out


# --------------------------------------------------------------------------------------------
# capex on calendar quarters


def _quarter_index(year: int, quarter: int) -> int:
    return int(year) * 4 + int(quarter) - 1


def _quarter_label(index: int) -> str:
    year, q0 = divmod(int(index), 4)
    return f"{year}Q{q0 + 1}"


def choose_measures(
    capex: pd.DataFrame,
    measure: str = "purchases_ppe",
    companies: Sequence[str] | None = None,
    start: str | None = None,
    end: str | None = None,
    overrides: dict[str, str] | None = None,
) -> pd.DataFrame:
    """The one capex measure used for each company, fixed by parameter (never by the data).

    Parameters
    ----------
    capex : DataFrame
        Processed ``capex`` table (quarterly and guidance rows).
    measure : str
        One of :data:`MEASURES`, used for every company (default ``purchases_ppe``, cash
        purchases of property and equipment: the one measure all four hyperscalers report).
    companies : sequence of str, optional
        Companies to list (default: every company in ``capex``). A company listed here that never
        reports its measure in the window gets a row with ``quarters`` 0 (and no series).
    start, end : str, optional
        Count only calendar quarters ending on or after ``start`` / on or before ``end``. The
        window changes only the counts, never the measure chosen.
    overrides : dict, optional
        Company -> measure for companies whose headline should use another measure (e.g.
        ``{"meta": "purchases_ppe_incl_finance_leases"}``); the measure is named wherever the
        figure appears, so such a series is never silently compared with cash purchases.

    Returns
    -------
    DataFrame
        Columns ``company``, ``measure``, ``quarters`` (reported quarters of that measure in the
        window), ``other_measures`` (measures the company also reports there, ``;``-joined),
        ``override`` (True where ``overrides`` chose the measure). Sorted by company.

    Examples
    --------
    >>> cx = pd.DataFrame({"company": ["m", "m", "m"], "calendar_year": [2024] * 3,
    ...     "calendar_quarter": [1, 2, 2], "is_guidance": [False, False, False],
    ...     "measure": ["purchases_ppe", "purchases_ppe_net", "purchases_ppe_net"]})
    >>> choose_measures(cx)[["company", "measure", "quarters", "other_measures"]]
      company        measure  quarters     other_measures
    0       m  purchases_ppe         1  purchases_ppe_net
    """
    overrides = dict(overrides or {})
    for chosen in [measure, *overrides.values()]:
        if chosen not in MEASURES:
            raise ValueError(f"measure must be one of {MEASURES}, got {chosen!r}")
    columns = ["company", "measure", "quarters", "other_measures", "override"]
    capex = primary_rows(capex, "capex")
    quarters = capex.loc[~capex["is_guidance"].astype(bool)]
    listed = sorted(set(quarters["company"])) if companies is None else list(companies)
    quarters = quarters.loc[quarters["company"].isin(listed)]
    if len(quarters):
        index = pd.Series(
            [
                _quarter_index(y, q)
                for y, q in zip(
                    quarters["calendar_year"], quarters["calendar_quarter"], strict=True
                )
            ],
            index=quarters.index,
            dtype=float,
        )
        lo, hi = _bound_index(start, first=True), _bound_index(end, first=False)
        if lo is not None:
            quarters = quarters.loc[index >= lo]
        if hi is not None:
            quarters = quarters.loc[index <= hi]
    rows = []
    for company in sorted(listed):
        chosen = overrides.get(company, measure)
        own = quarters.loc[quarters["company"] == company]
        counted = own.loc[own["measure"] == chosen]
        n = len(counted.drop_duplicates(["calendar_year", "calendar_quarter"]))
        others = sorted(set(own["measure"]) - {chosen})
        rows.append((company, chosen, n, ";".join(others), company in overrides))
    return pd.DataFrame(rows, columns=columns)


def capex_quarterly(
    capex: pd.DataFrame,
    measures: pd.DataFrame | dict[str, str] | None = None,
    constant_dollars: bool = False,
    start: str | None = None,
    end: str | None = None,
) -> pd.DataFrame:
    """Quarterly capex per company on a complete calendar-quarter grid, gaps explicit.

    Parameters
    ----------
    capex : DataFrame
        Processed ``capex`` table (``calendar_year``, ``calendar_quarter``, ``capex_usd``, ...).
    measures : DataFrame or dict, optional
        Company -> measure (the output of :func:`choose_measures`, or a dict); default
        ``choose_measures(capex)`` (cash purchases for every company). Rows of other measures
        are ignored.
    constant_dollars : bool
        Use ``*_usd_const`` (constant USD of the build's base year) instead of ``*_usd``.
    start, end : str, optional
        Keep calendar quarters whose end lies on or after ``start`` / on or before ``end``
        (ISO dates).

    Returns
    -------
    DataFrame
        One row per company and calendar quarter from the company's first to its last reported
        quarter (within ``start``/``end``): ``company``, ``measure``, ``quarter`` (``"2024Q3"``),
        ``qindex`` (year * 4 + quarter - 1), ``date`` (last day of the quarter), ``capex`` and
        ``revenue`` in USD (nominal or constant), ``observed`` (False where the data has no
        figure: the values are NaN, never filled), ``versions`` (rows of the measure for the
        quarter after :func:`analysis.data.primary_rows`; more than 1 flags versions the data
        does not yet link through ``alternate_of``: the one with the latest ``source_date`` is
        shown until the data says which row counts).

    Examples
    --------
    >>> cx = pd.DataFrame({"company": ["alphabet"] * 2, "measure": ["purchases_ppe"] * 2,
    ...     "is_guidance": [False, False], "calendar_year": [2024, 2024],
    ...     "calendar_quarter": [1, 3], "capex_usd": [12e9, 13.1e9],
    ...     "revenue_usd": [80.5e9, 88.3e9], "source_date": pd.to_datetime(["2024-04-25"] * 2)})
    >>> capex_quarterly(cx)[["quarter", "capex", "observed"]]
      quarter         capex  observed
    0  2024Q1  1.200000e+10      True
    1  2024Q2           NaN     False
    2  2024Q3  1.310000e+10      True
    """
    columns = ["company", "measure", "quarter", "qindex", "date", "capex", "revenue", "observed"]
    columns.append("versions")
    capex = primary_rows(capex, "capex")
    if measures is None:
        measures = choose_measures(capex)
    if isinstance(measures, pd.DataFrame):
        measures = dict(zip(measures["company"], measures["measure"], strict=True))
    rows = capex.loc[~capex["is_guidance"].astype(bool)].copy()
    rows = rows.loc[rows["company"].map(measures).eq(rows["measure"])]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    rows["qindex"] = [
        _quarter_index(y, q)
        for y, q in zip(rows["calendar_year"], rows["calendar_quarter"], strict=True)
    ]
    rows["capex"] = rows[money_column("capex", constant_dollars)].astype(float)
    rows["revenue"] = rows[money_column("revenue", constant_dollars)].astype(float)
    rows = rows.sort_values(["company", "qindex", "source_date"])
    rows["versions"] = rows.groupby(["company", "qindex"])["qindex"].transform("size")
    rows = rows.drop_duplicates(["company", "qindex"], keep="last")
    lo = _bound_index(start, first=True)
    hi = _bound_index(end, first=False)
    if lo is not None:
        rows = rows.loc[rows["qindex"] >= lo]
    if hi is not None:
        rows = rows.loc[rows["qindex"] <= hi]
    parts = []
    for company, group in rows.groupby("company", sort=True):
        grid = pd.DataFrame({"qindex": np.arange(group["qindex"].min(), group["qindex"].max() + 1)})
        merged = grid.merge(
            group[["qindex", "capex", "revenue", "versions"]], on="qindex", how="left"
        )
        merged["versions"] = merged["versions"].fillna(0).astype(int)
        merged["company"] = company
        merged["measure"] = measures[company]
        parts.append(merged)
    if not parts:
        return pd.DataFrame(columns=columns)
    out = pd.concat(parts, ignore_index=True)
    out["quarter"] = [_quarter_label(i) for i in out["qindex"]]
    out["date"] = pd.PeriodIndex(out["quarter"], freq="Q").end_time.normalize()
    out["observed"] = out["capex"].notna()
    return out[columns].reset_index(drop=True)


def _bound_index(date: str | None, first: bool) -> int | None:
    """Index of the first calendar quarter ending on/after ``date`` (or last ending on/before)."""
    if date is None or date == "":
        return None
    ts = pd.Timestamp(date)
    index = _quarter_index(ts.year, (ts.month - 1) // 3 + 1)
    quarter_end = pd.Period(_quarter_label(index), freq="Q").end_time.normalize()
    if first:
        return index  # quarter containing the date ends on/after it
    return index if quarter_end <= ts else index - 1


def add_growth(quarterly: pd.DataFrame) -> pd.DataFrame:
    """Trailing-twelve-month sums, year-on-year growth and capex intensity per company.

    Added columns (per company, on the grid of :func:`capex_quarterly`):

    - ``capex_ttm``, ``revenue_ttm``: sum of the quarter and the three before it, USD; missing
      unless all four quarters are reported;
    - ``capex_yoy``: capex / capex four quarters earlier - 1 (fraction, 0.25 = +25 %);
    - ``capex_ttm_yoy``: the same for the TTM sums;
    - ``intensity``: capex / revenue of the quarter (fraction);
    - ``intensity_ttm``: capex_ttm / revenue_ttm.

    Examples
    --------
    >>> q = pd.DataFrame({"company": ["a"] * 6, "qindex": range(6), "capex": [1.0, 1, 1, 1, 2, 3],
    ...                   "revenue": [10.0] * 6})
    >>> add_growth(q)[["capex_ttm", "capex_yoy", "intensity"]].iloc[[3, 4, 5]]
       capex_ttm  capex_yoy  intensity
    3        4.0        NaN        0.1
    4        5.0        1.0        0.2
    5        7.0        2.0        0.3
    """
    out = quarterly.sort_values(["company", "qindex"]).copy()
    parts = []
    for _, group in out.groupby("company", sort=False):
        g = group.copy()
        contiguous = g["qindex"].diff().fillna(1).eq(1).all()
        if not contiguous:
            raise ValueError("quarters must be on a complete grid; use capex_quarterly first")
        g["capex_ttm"] = g["capex"].rolling(4, min_periods=4).sum()
        g["revenue_ttm"] = g["revenue"].rolling(4, min_periods=4).sum()
        g["capex_yoy"] = g["capex"] / g["capex"].shift(4) - 1
        g["capex_ttm_yoy"] = g["capex_ttm"] / g["capex_ttm"].shift(4) - 1
        g["intensity"] = g["capex"] / g["revenue"]
        g["intensity_ttm"] = g["capex_ttm"] / g["revenue_ttm"]
        parts.append(g)
    if not parts:
        extra = ["capex_ttm", "revenue_ttm", "capex_yoy", "capex_ttm_yoy", "intensity"]
        return out.assign(**{c: pd.Series(dtype=float) for c in [*extra, "intensity_ttm"]})
    return pd.concat(parts).reset_index(drop=True)


def calendar_year_totals(quarterly: pd.DataFrame) -> pd.DataFrame:
    """Capex and revenue per company and calendar year; missing unless all four quarters exist.

    Returns
    -------
    DataFrame
        Columns ``company``, ``measure``, ``year``, ``quarters`` (reported quarters, 0-4),
        ``capex``, ``revenue`` (USD; NaN when ``quarters`` < 4), ``intensity`` (fraction).

    Examples
    --------
    >>> q = pd.DataFrame({"company": ["a"] * 5, "measure": ["m"] * 5, "qindex": range(8096, 8101),
    ...                   "capex": [1.0, 2, 3, 4, 5], "revenue": [10.0] * 5})
    >>> calendar_year_totals(q)[["year", "quarters", "capex"]]
       year  quarters  capex
    0  2024         4   10.0
    1  2025         1    NaN
    """
    columns = ["company", "measure", "year", "quarters", "capex", "revenue", "intensity"]
    if quarterly.empty:
        return pd.DataFrame(columns=columns)
    q = quarterly.assign(year=quarterly["qindex"] // 4)
    grouped = q.groupby(["company", "measure", "year"], sort=True)
    out = grouped.agg(
        quarters=("capex", "count"),
        capex=("capex", lambda s: s.sum() if s.notna().sum() == 4 else np.nan),
        revenue=("revenue", lambda s: s.sum() if s.notna().sum() == 4 else np.nan),
    ).reset_index()
    out["intensity"] = out["capex"] / out["revenue"]
    return out[columns]


def cumulative(quarterly: pd.DataFrame, start: str | None = None) -> pd.DataFrame:
    """Cumulative capex per company from the first quarter ending on or after ``start``.

    Adds ``cumulative`` (USD; missing from the first gap on, because a sum over a missing quarter
    is unknown), ``cumulative_reported`` (sum of the reported quarters only: a floor where quarters
    are missing) and ``missing_quarters`` (gaps so far).

    Examples
    --------
    >>> q = pd.DataFrame({"company": ["a"] * 4, "qindex": range(4),
    ...                   "capex": [1.0, 2.0, np.nan, 4.0]})
    >>> cumulative(q)[["cumulative", "cumulative_reported", "missing_quarters"]]
       cumulative  cumulative_reported  missing_quarters
    0         1.0                  1.0                 0
    1         3.0                  3.0                 0
    2         NaN                  3.0                 1
    3         NaN                  7.0                 1
    """
    out = quarterly.sort_values(["company", "qindex"]).copy()
    lo = _bound_index(start, first=True)
    if lo is not None:
        out = out.loc[out["qindex"] >= lo]
    out["missing_quarters"] = out["capex"].isna().astype(int).groupby(out["company"]).cumsum()
    out["cumulative_reported"] = out["capex"].fillna(0.0).groupby(out["company"]).cumsum()
    out["cumulative"] = out["cumulative_reported"].where(out["missing_quarters"].eq(0))
    return out.reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# forecasts


def _fit_log_rw(values: np.ndarray, order: tuple[int, int, int]):  # noqa: ANN202
    import statsmodels.api as sm

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = sm.tsa.SARIMAX(np.log(values), order=order, trend="c")
        return model.fit(disp=False)


def _series_for(quarterly: pd.DataFrame, company: str) -> pd.DataFrame:
    return quarterly.loc[quarterly["company"] == company].sort_values("qindex")


def forecast_capex(
    quarterly: pd.DataFrame,
    horizon: int = 4,
    levels: Sequence[float] = (0.8, 0.95),
    min_observed: int = 6,
    order: tuple[int, int, int] = (0, 1, 0),
) -> pd.DataFrame:
    """Forecast the next ``horizon`` quarters of capex per company, with prediction intervals.

    The model is a SARIMAX with ``order`` (default a random walk with drift) on log capex, fitted
    to each company's grid from :func:`capex_quarterly`; missing quarters stay missing (the
    Kalman filter skips them).

    Parameters
    ----------
    quarterly : DataFrame
        Output of :func:`capex_quarterly`.
    horizon : int
        Quarters after the company's last reported quarter.
    levels : sequence of float
        Coverage of the prediction intervals (0.8 and 0.95 give ``lower_80``, ``upper_80``,
        ``lower_95``, ``upper_95``).
    min_observed : int
        Companies with fewer reported quarters get no forecast.
    order : tuple
        ARIMA order ``(p, d, q)`` of the log series; a constant (drift) is always included.

    Returns
    -------
    DataFrame
        ``company``, ``measure``, ``quarter``, ``qindex``, ``date``, ``step`` (1..horizon),
        ``forecast`` (median, USD), ``lower_XX`` / ``upper_XX`` (USD), ``drift`` (quarterly log
        growth), ``observed_n``.

    Examples
    --------
    >>> q = pd.DataFrame({"company": ["a"] * 8, "measure": ["m"] * 8, "qindex": range(8096, 8104),
    ...                   "capex": 10.0 * 1.1 ** np.arange(8)})
    >>> fc = forecast_capex(q, horizon=2)
    >>> fc["quarter"].tolist(), round(float(fc["forecast"].iloc[0] / q["capex"].iloc[-1]), 3)
    (['2026Q1', '2026Q2'], 1.1)
    """
    names = [f"{kind}_{round(level * 100)}" for level in levels for kind in ("lower", "upper")]
    columns = ["company", "measure", "quarter", "qindex", "date", "step", "forecast", *names]
    columns += ["drift", "observed_n"]
    rows = []
    for company in sorted(quarterly["company"].unique()) if not quarterly.empty else []:
        series = _series_for(quarterly, company)
        series = series.loc[: series["capex"].last_valid_index()]
        values = series["capex"].to_numpy(dtype=float)
        observed = int(np.isfinite(values).sum())
        if observed < min_observed:
            continue
        result = _fit_log_rw(values, order)
        prediction = result.get_forecast(int(horizon))
        mean = np.asarray(prediction.predicted_mean)
        last = int(series["qindex"].iloc[-1])
        frame = pd.DataFrame(
            {
                "company": company,
                "measure": series["measure"].iloc[0],
                "qindex": np.arange(last + 1, last + 1 + horizon),
                "step": np.arange(1, horizon + 1),
                "forecast": np.exp(mean),
            }
        )
        for level in levels:
            bounds = np.asarray(prediction.conf_int(alpha=1 - level))
            frame[f"lower_{round(level * 100)}"] = np.exp(bounds[:, 0])
            frame[f"upper_{round(level * 100)}"] = np.exp(bounds[:, 1])
        frame["drift"] = float(np.asarray(result.params)[0])
        frame["observed_n"] = observed
        rows.append(frame)
    if not rows:
        return pd.DataFrame(columns=columns)
    out = pd.concat(rows, ignore_index=True)
    out["quarter"] = [_quarter_label(i) for i in out["qindex"]]
    out["date"] = pd.PeriodIndex(out["quarter"], freq="Q").end_time.normalize()
    return out[columns]


def mape(actual: Sequence[float], forecast: Sequence[float]) -> float:
    """Mean absolute percentage error in percent, over pairs where both values exist.

    Examples
    --------
    >>> mape([100.0, 200.0, np.nan], [110.0, 180.0, 5.0])
    10.0
    """
    a = np.asarray(actual, dtype=float)
    f = np.asarray(forecast, dtype=float)
    keep = np.isfinite(a) & np.isfinite(f) & (a != 0)
    if not keep.any():
        return float("nan")
    return float(np.mean(np.abs((a[keep] - f[keep]) / a[keep])) * 100)


def backtest_capex(
    quarterly: pd.DataFrame,
    horizon: int = 4,
    min_observed: int = 6,
    order: tuple[int, int, int] = (0, 1, 0),
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rolling-origin backtest of :func:`forecast_capex`: how far to trust the forecast.

    For every origin from the ``min_observed``-th reported quarter to the last-but-one, the model
    is fitted to the quarters up to the origin and forecasts ``horizon`` quarters; each forecast
    is compared with the reported figure where there is one.

    Returns
    -------
    errors : DataFrame
        ``company``, ``origin`` (quarter), ``quarter``, ``step``, ``actual``, ``forecast`` (USD),
        ``ape`` (absolute percentage error, percent).
    summary : DataFrame
        ``company``, ``measure``, ``step``, ``mape`` (percent), ``n`` (forecasts scored), and a
        row with ``step`` 0 for all steps together.

    Examples
    --------
    >>> q = pd.DataFrame({"company": ["a"] * 9, "measure": ["m"] * 9, "qindex": range(8096, 8105),
    ...                   "capex": 10.0 * 1.1 ** np.arange(9)})
    >>> errors, summary = backtest_capex(q, horizon=1)
    >>> summary["step"].tolist(), float(summary["mape"].max()) < 0.01   # exact growth: no error
    ([0, 1], True)
    """
    err_cols = ["company", "origin", "quarter", "step", "actual", "forecast", "ape"]
    sum_cols = ["company", "measure", "step", "mape", "n"]
    records = []
    for company in sorted(quarterly["company"].unique()) if not quarterly.empty else []:
        series = _series_for(quarterly, company).reset_index(drop=True)
        values = series["capex"].to_numpy(dtype=float)
        reported = np.flatnonzero(np.isfinite(values))
        if len(reported) <= min_observed:
            continue
        for origin in reported[min_observed - 1 : -1]:
            result = _fit_log_rw(values[: origin + 1], order)
            steps = int(min(horizon, len(values) - origin - 1))
            predicted = np.exp(np.asarray(result.get_forecast(steps).predicted_mean))
            for step in range(1, steps + 1):
                actual = values[origin + step]
                if not np.isfinite(actual):
                    continue
                fc = float(predicted[step - 1])
                records.append(
                    (
                        company,
                        _quarter_label(series["qindex"].iloc[origin]),
                        _quarter_label(series["qindex"].iloc[origin + step]),
                        step,
                        float(actual),
                        fc,
                        abs(actual - fc) / actual * 100,
                    )
                )
    errors = pd.DataFrame(records, columns=err_cols)
    if errors.empty:
        return errors, pd.DataFrame(columns=sum_cols)
    by_step = errors.groupby(["company", "step"]).agg(mape=("ape", "mean"), n=("ape", "size"))
    overall = errors.groupby("company").agg(mape=("ape", "mean"), n=("ape", "size"))
    overall = overall.assign(step=0).set_index("step", append=True)
    summary = pd.concat([by_step, overall]).sort_index().reset_index()
    if "measure" in quarterly:
        used = quarterly.groupby("company")["measure"].first()
        summary["measure"] = summary["company"].map(used)
    else:
        summary["measure"] = None
    return errors, summary[sum_cols]


def guidance_comparison(
    capex: pd.DataFrame,
    quarterly: pd.DataFrame,
    forecast: pd.DataFrame | None = None,
    constant_dollars: bool = False,
    start: str | None = None,
) -> pd.DataFrame:
    """The companies' annual capex guidance beside reported and forecast totals.

    Only guidance stated in the same measure as the company's series is compared (other rows are
    kept with ``comparable`` False). The fiscal year's quarters are mapped to calendar quarters;
    guidance for fiscal years ending before ``start`` (ISO date) is left out.

    Returns
    -------
    DataFrame
        ``company``, ``fiscal_year``, ``guided_on`` (source date), ``measure``, ``low``, ``high``
        (USD; ``high`` = ``low`` for a point guide), ``mid``, ``comparable``, ``quarters_reported``
        (of the fiscal year, 0-4), ``reported`` (fiscal-year total, NaN unless 4 quarters),
        ``with_forecast`` (reported quarters plus forecast medians for the quarters after the last
        report; NaN when a quarter is neither), ``gap_to_mid`` (``with_forecast`` / ``mid`` - 1,
        else ``reported`` / ``mid`` - 1), ``first_quarter``, ``last_quarter``.

    Examples
    --------
    >>> cx = pd.DataFrame({"company": ["meta"], "fiscal_year": [2024], "is_guidance": [True],
    ...     "measure": ["m"], "capex_usd": [30.0], "capex_high_usd": [40.0],
    ...     "source_date": pd.to_datetime(["2024-02-01"])})
    >>> q = pd.DataFrame({"company": ["meta"] * 4, "measure": ["m"] * 4,
    ...                   "qindex": range(8096, 8100), "capex": [8.0, 9, 10, 11]})
    >>> guidance_comparison(cx, q)[["mid", "reported", "gap_to_mid"]]
        mid  reported  gap_to_mid
    0  35.0      38.0    0.085714
    """
    from analysis.data.calendar import fiscal_to_calendar, fiscal_year_end_month

    columns = [
        "company",
        "fiscal_year",
        "guided_on",
        "measure",
        "low",
        "high",
        "mid",
        "comparable",
        "quarters_reported",
        "reported",
        "with_forecast",
        "gap_to_mid",
        "first_quarter",
        "last_quarter",
    ]
    capex = primary_rows(capex, "capex")
    guides = capex.loc[capex["is_guidance"].astype(bool)]
    if guides.empty:
        return pd.DataFrame(columns=columns)
    used = quarterly.groupby("company")["measure"].first().to_dict() if len(quarterly) else {}
    rows = []
    for _, g in guides.sort_values(["company", "fiscal_year", "source_date"]).iterrows():
        company = g["company"]
        low = float(g[money_column("capex", constant_dollars)])
        high_value = g.get(money_column("capex_high", constant_dollars), np.nan)
        high = float(high_value) if pd.notna(high_value) else low
        end_month = fiscal_year_end_month(company)
        indices = [
            _quarter_index(*fiscal_to_calendar(int(g["fiscal_year"]), fq, end_month))
            for fq in range(1, 5)
        ]
        first = _bound_index(start, first=True)
        if first is not None and indices[-1] < first:
            continue
        series = quarterly.loc[quarterly["company"] == company].set_index("qindex")["capex"]
        values = [float(series.get(i, np.nan)) for i in indices]
        n_reported = int(np.isfinite(values).sum())
        comparable = used.get(company) == g["measure"]
        reported = float(np.sum(values)) if n_reported == 4 else np.nan
        with_fc = np.nan
        if forecast is not None and not forecast.empty and comparable:
            fc = forecast.loc[forecast["company"] == company].set_index("qindex")["forecast"]
            last = series.last_valid_index() if len(series) else None
            filled = []
            for i, v in zip(indices, values, strict=True):
                if np.isfinite(v):
                    filled.append(v)
                elif last is not None and i > last and i in fc.index:
                    filled.append(float(fc[i]))
                else:
                    filled.append(np.nan)
            with_fc = float(np.sum(filled)) if np.isfinite(filled).all() else np.nan
        mid = (low + high) / 2
        basis = with_fc if np.isfinite(with_fc) else reported
        rows.append(
            (
                company,
                int(g["fiscal_year"]),
                g["source_date"],
                g["measure"],
                low,
                high,
                mid,
                bool(comparable),
                n_reported,
                reported if comparable else np.nan,
                with_fc,
                basis / mid - 1 if comparable and np.isfinite(basis) else np.nan,
                _quarter_label(indices[0]),
                _quarter_label(indices[-1]),
            )
        )
    if not rows:
        return pd.DataFrame(columns=columns)
    return pd.DataFrame(rows, columns=columns)


# --------------------------------------------------------------------------------------------
# strategic flows investor -> lab


def classify_deals(
    deals: pd.DataFrame,
    companies: pd.DataFrame,
    include_ceilings: bool = False,
    statuses: Sequence[str] = _COUNTED_STATUS,
    types: Sequence[str] = FLOW_TYPES,
    exclude: Iterable[str] = (),
) -> pd.DataFrame:
    """Mark which deal rows may be summed as money flowing investor -> lab, and why not.

    The rule, applied in this order (the first that applies is the ``reason``):

    0. ``alternate of <deal_id>``: another source's version of a deal whose preferred row is in
       ``deals`` (``alternate_of``, as :func:`analysis.data.primary_rows` decides);
    1. ``not a lab``: the investee's ``companies.kind`` is not ``lab`` (e.g. a lab taking equity
       in a cloud provider is a reverse flow);
    2. ``compute commitment (lab -> provider)`` / ``type <x> not counted``: only ``types``
       (default :data:`FLOW_TYPES`) move money into the lab;
    3. ``status <x>``: only ``statuses`` (default announced and reported; rumoured talks are out);
    4. ``no amount``: the amount was not disclosed (such rows record participation only);
    5. ``ceiling (up_to)``: a maximum that may never be paid (unless ``include_ceilings``);
    6. ``excluded by id``: listed in ``exclude``;
    7. ``duplicate of <deal_id>``: another counted row has the same investor, investee, type,
       announcement month and USD amount (the same tranche from a second source); the row with the
       firmer status, then the earlier source, is kept.

    Rows whose ``note`` says not to add them are flagged in ``note_says_do_not_add`` for review
    (not excluded automatically: such notes name the row they would double count).

    Returns
    -------
    DataFrame
        The deals with ``investee_kind``, ``investor_kind``, ``counted`` (bool), ``reason``
        (empty when counted) and ``note_says_do_not_add``.

    Examples
    --------
    >>> cos = pd.DataFrame({"company_id": ["microsoft", "openai"],
    ...                     "kind": ["hyperscaler", "lab"]})
    >>> deals = pd.DataFrame({"deal_id": ["a", "b", "c"], "investor": ["microsoft"] * 3,
    ...     "investee": ["openai"] * 3, "deal_type": ["equity", "equity", "compute_commitment"],
    ...     "announced_date": pd.to_datetime(["2023-01-23"] * 3),
    ...     "amount_usd": [1e10, 1e10, 2.5e11], "amount_qualifier": ["exact", "up_to", "exact"],
    ...     "status": ["reported"] * 3, "source_date": pd.to_datetime(["2023-01-23"] * 3),
    ...     "note": ["", "", ""]})
    >>> classify_deals(deals, cos)["reason"].tolist()
    ['', 'ceiling (up_to)', 'compute commitment (lab -> provider)']
    """
    kinds = companies.set_index("company_id")["kind"]
    out = deals.copy()
    out["investee_kind"] = out["investee"].map(kinds)
    out["investor_kind"] = out["investor"].map(kinds)
    kept = set(primary_rows(out, "deals")["deal_id"])
    excluded = set(exclude)
    reasons = []
    for _, row in out.iterrows():
        if row["deal_id"] not in kept:
            reason = f"alternate of {row['alternate_of']}"
        elif row["investee_kind"] != "lab":
            reason = "not a lab"
        elif row["deal_type"] not in types:
            reason = (
                "compute commitment (lab -> provider)"
                if row["deal_type"] == "compute_commitment"
                else f"type {row['deal_type']} not counted"
            )
        elif row["status"] not in statuses:
            reason = f"status {row['status']}"
        elif pd.isna(row["amount_usd"]):
            reason = "no amount"
        elif row["amount_qualifier"] == "up_to" and not include_ceilings:
            reason = "ceiling (up_to)"
        elif row["deal_id"] in excluded:
            reason = "excluded by id"
        else:
            reason = ""
        reasons.append(reason)
    out["reason"] = pd.Series(reasons, index=out.index, dtype=object)
    out["counted"] = out["reason"].eq("")
    # review flag only: same tranche from a second source not linked by alternate_of
    out["possible_duplicate_of"] = pd.Series("", index=out.index, dtype=object)
    candidates = out.loc[out["counted"]].copy()
    if not candidates.empty:
        candidates["_month"] = candidates["announced_date"].dt.to_period("M").astype(str)
        candidates["_rank"] = candidates["status"].map(_STATUS_RANK)
        candidates = candidates.sort_values(["_rank", "source_date", "deal_id"])
        key = ["investor", "investee", "deal_type", "_month", "amount_usd"]
        first = candidates.groupby(key, dropna=False)["deal_id"].transform("first")
        dup = first.ne(candidates["deal_id"])
        out.loc[dup[dup].index, "possible_duplicate_of"] = first[dup]
    notes = out["note"].fillna("") if "note" in out else pd.Series("", index=out.index)
    out["note_says_do_not_add"] = notes.str.contains(r"do not (?:add|sum)", case=False, regex=True)
    return out


def flows(
    classified: pd.DataFrame,
    as_of: str | None = None,
    constant_dollars: bool = False,
    by: Sequence[str] = ("investor", "investee", "deal_type"),
) -> pd.DataFrame:
    """Sum the counted deal rows (see :func:`classify_deals`) announced on or before ``as_of``.

    Parameters
    ----------
    classified : DataFrame
        Output of :func:`classify_deals`.
    as_of : str, optional
        Keep tranches announced and published (``source_date``) on or before this date.
    constant_dollars : bool
        Sum ``amount_usd_const`` instead of ``amount_usd``.
    by : sequence of str
        Grouping columns.

    Committed tranches are counted at announcement: the data has no payment schedules, so a
    tranche "to be invested over time" counts in full from the day it was announced. Secondary
    purchases (payouts to existing shareholders) are included where the source does not split
    them from new money.

    Returns
    -------
    DataFrame
        ``by`` columns, ``amount`` (USD), ``tranches``, ``first``, ``last`` (announcement dates),
        ``floor`` (True when a summed row was an ``at_least`` figure: the sum is a minimum),
        ``deal_types`` and ``qualifiers`` (``;``-joined values of the summed rows' ``deal_type``
        and ``amount_qualifier``), ``deal_ids`` (``;``-joined), sorted by amount descending.

    Examples
    --------
    >>> d = pd.DataFrame({"investor": ["microsoft"] * 3, "investee": ["openai"] * 3,
    ...     "deal_type": ["equity"] * 3, "counted": [True, True, False],
    ...     "amount_usd": [1e9, 1e10, 1e10], "amount_qualifier": ["exact"] * 3,
    ...     "announced_date": pd.to_datetime(["2019-07-22", "2023-01-23", "2023-01-09"]),
    ...     "source_date": pd.to_datetime(["2019-07-22", "2023-01-23", "2023-01-10"])})
    >>> float(flows(d, as_of="2024-02-26")["amount"].iloc[0]) / 1e9
    11.0
    """
    by = list(by)
    columns = [*by, "amount", "tranches", "first", "last", "floor", "deal_types", "qualifiers"]
    columns.append("deal_ids")
    rows = classified.loc[classified["counted"].astype(bool)]
    if as_of is not None:
        cutoff = pd.Timestamp(as_of)
        rows = rows.loc[(rows["announced_date"] <= cutoff) & (rows["source_date"] <= cutoff)]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    value = money_column("amount", constant_dollars)
    out = (
        rows.assign(
            _value=rows[value].astype(float),
            _floor=rows["amount_qualifier"] == "at_least",
            _id=rows["deal_id"] if "deal_id" in rows else "",
        )
        .groupby(by, sort=True)
        .agg(
            amount=("_value", "sum"),
            tranches=("_value", "size"),
            first=("announced_date", "min"),
            last=("announced_date", "max"),
            floor=("_floor", "any"),
            deal_types=("deal_type", _joined),
            qualifiers=("amount_qualifier", _joined),
            deal_ids=("_id", _joined),
        )
        .reset_index()
    )
    return out.sort_values(["amount", *by], ascending=[False, *[True] * len(by)])[
        columns
    ].reset_index(drop=True)


def _joined(values: pd.Series) -> str:
    return ";".join(sorted({str(v) for v in values if isinstance(v, str) and v}))


def _counted_rounds(funding_rounds: pd.DataFrame, amount: str) -> pd.DataFrame:
    """One row per round (:func:`analysis.data.primary_rows`), not rumoured, with new money."""
    rounds = primary_rows(funding_rounds, "funding_rounds")
    return rounds.loc[(rounds["status"] != "rumoured") & rounds[amount].notna()].copy()


def _round_links(funding_rounds: pd.DataFrame) -> dict[str, str]:
    """``round_id`` -> the round_id that counts for it (an alternate maps to its preferred row)."""
    kept = set(primary_rows(funding_rounds, "funding_rounds")["round_id"])
    links = {}
    alternate = (
        funding_rounds["alternate_of"]
        if "alternate_of" in funding_rounds
        else pd.Series(None, index=funding_rounds.index, dtype=object)
    )
    for rid, alt in zip(funding_rounds["round_id"], alternate, strict=True):
        links[rid] = rid if rid in kept or not isinstance(alt, str) else alt
    return links


def _investments_and_rounds(
    classified: pd.DataFrame, funding_rounds: pd.DataFrame, constant_dollars: bool
) -> tuple[pd.DataFrame, pd.DataFrame, pd.Series]:
    """Counted investment deals, counted rounds, and which deals lie inside a counted round.

    A deal is inside a round only through its ``round_id`` (or a round that names it as the
    version the analysis uses); nothing is matched by date.
    """
    raised = money_column("amount_raised", constant_dollars)
    invest = classified.loc[
        classified["counted"].astype(bool) & classified["deal_type"].isin(INVESTMENT_TYPES)
    ]
    rounds = _counted_rounds(funding_rounds, raised)
    links = _round_links(funding_rounds)
    counted_ids = set(rounds["round_id"])
    round_ids = invest["round_id"] if "round_id" in invest else pd.Series(None, index=invest.index)
    inside = pd.Series(
        [isinstance(r, str) and links.get(r, r) in counted_ids for r in round_ids],
        index=invest.index,
        dtype=bool,
    )
    return invest, rounds, inside


def funding_share(
    classified: pd.DataFrame,
    funding_rounds: pd.DataFrame,
    strategic_kinds: Sequence[str] = STRATEGIC_KINDS,
    constant_dollars: bool = False,
) -> pd.DataFrame:
    """Each lab's share of disclosed funding that came from hyperscalers and chipmakers.

    Rule:

    - **strategic** = counted investment rows (:data:`INVESTMENT_TYPES`) of
      :func:`classify_deals` whose investor's kind is in ``strategic_kinds``;
    - **rounds** = new money of the lab's funding rounds, one row per round as
      :func:`analysis.data.primary_rows` decides (``alternate_of``), rumoured rows and rounds
      without an amount left out;
    - a counted investment row (any investor) lies **inside** a round only when its
      ``round_id`` names a counted round (or another source's version of one); every other
      counted investment row (no ``round_id``, or a round without a disclosed amount or not yet
      known) lies **outside** rounds and adds to the total. Dates are never used to match:
      :func:`round_near_misses` lists unlinked deals close to a round for review;
    - **total** = rounds + counted investments outside rounds; ``share`` = strategic / total.

    Returns
    -------
    DataFrame
        ``lab``, ``strategic`` (USD), ``rounds`` (USD), ``outside_rounds`` (USD), ``total``,
        ``share`` (fraction; may exceed 1 when a strategic tranche is larger than the recorded
        round), ``rounds_n``, ``outside_n`` (deals outside rounds), ``strategic_investors``
        (``;``-joined), sorted by total.

    Examples
    --------
    >>> d = pd.DataFrame({"investor": ["amazon"], "investee": ["anthropic"],
    ...     "investor_kind": ["hyperscaler"], "deal_type": ["convertible_note"],
    ...     "counted": [True], "amount_usd": [4e9], "round_id": [None],
    ...     "announced_date": pd.to_datetime(["2023-09-25"])})
    >>> r = pd.DataFrame({"round_id": ["anthropic-2023-05"], "company": ["anthropic"],
    ...     "status": ["announced"], "amount_raised_usd": [1e9], "round": ["series_c"],
    ...     "alternate_of": [None], "announced_date": pd.to_datetime(["2023-05-23"]),
    ...     "source_date": pd.to_datetime(["2023-05-23"])})
    >>> funding_share(d, r)[["lab", "strategic", "total", "share"]]
             lab     strategic         total  share
    0  anthropic  4.000000e+09  5.000000e+09    0.8
    """
    columns = [
        "lab",
        "strategic",
        "rounds",
        "outside_rounds",
        "total",
        "share",
        "rounds_n",
        "outside_n",
        "strategic_investors",
    ]
    value = money_column("amount", constant_dollars)
    raised = money_column("amount_raised", constant_dollars)
    invest, rounds, inside = _investments_and_rounds(classified, funding_rounds, constant_dollars)
    labs = sorted(set(invest["investee"]) | set(rounds["company"]))
    rows = []
    for lab in labs:
        lab_rounds = rounds.loc[rounds["company"] == lab]
        mine = invest["investee"] == lab
        lab_deals = invest.loc[mine]
        outside_rows = lab_deals.loc[~inside[mine]]
        strategic_rows = lab_deals.loc[lab_deals["investor_kind"].isin(list(strategic_kinds))]
        strategic = float(strategic_rows[value].sum())
        round_total = float(lab_rounds[raised].sum())
        outside = float(outside_rows[value].sum())
        total = round_total + outside
        rows.append(
            (
                lab,
                strategic,
                round_total,
                outside,
                total,
                strategic / total if total > 0 else np.nan,
                len(lab_rounds),
                len(outside_rows),
                ";".join(sorted(set(strategic_rows["investor"]))),
            )
        )
    out = pd.DataFrame(rows, columns=columns)
    return out.sort_values(["total", "lab"], ascending=[False, True]).reset_index(drop=True)


def round_near_misses(
    classified: pd.DataFrame,
    funding_rounds: pd.DataFrame,
    days: int = 45,
    constant_dollars: bool = False,
) -> pd.DataFrame:
    """Counted investments without a round link that were announced near one of the lab's rounds.

    For review only: :func:`funding_share` never matches by date. A row here is either part of
    the round and needs its ``deals.round_id`` filled in the data, or money outside the round
    (as it is counted until the data says otherwise).

    Returns
    -------
    DataFrame
        ``deal_id``, ``investor``, ``investee``, ``announced_date``, ``amount`` (USD),
        ``round_id`` (the deal's link, empty or not a counted round), ``nearest_round``,
        ``round_date``, ``days_apart`` (deal date minus round date), ``round_amount`` (USD).

    Examples
    --------
    >>> d = pd.DataFrame({"deal_id": ["s"], "investor": ["softbank"], "investee": ["openai"],
    ...     "deal_type": ["equity"], "counted": [True], "amount_usd": [2.25e10],
    ...     "round_id": [None], "announced_date": pd.to_datetime(["2025-12-26"])})
    >>> r = pd.DataFrame({"round_id": ["openai-2026-01"], "company": ["openai"],
    ...     "status": ["announced"], "amount_raised_usd": [4e10], "alternate_of": [None],
    ...     "announced_date": pd.to_datetime(["2026-01-10"])})
    >>> round_near_misses(d, r)[["deal_id", "nearest_round", "days_apart"]]
      deal_id   nearest_round  days_apart
    0       s  openai-2026-01         -15
    """
    columns = [
        "deal_id",
        "investor",
        "investee",
        "announced_date",
        "amount",
        "round_id",
        "nearest_round",
        "round_date",
        "days_apart",
        "round_amount",
    ]
    value = money_column("amount", constant_dollars)
    raised = money_column("amount_raised", constant_dollars)
    invest, rounds, inside = _investments_and_rounds(classified, funding_rounds, constant_dollars)
    rows = []
    for _, deal in invest.loc[~inside].iterrows():
        lab_rounds = rounds.loc[rounds["company"] == deal["investee"]]
        if lab_rounds.empty:
            continue
        gaps = (deal["announced_date"] - lab_rounds["announced_date"]).dt.days
        nearest = gaps.abs().idxmin()
        if abs(int(gaps[nearest])) > days:
            continue
        rows.append(
            (
                deal["deal_id"],
                deal["investor"],
                deal["investee"],
                deal["announced_date"],
                float(deal[value]),
                deal["round_id"] if isinstance(deal.get("round_id"), str) else "",
                lab_rounds.loc[nearest, "round_id"],
                lab_rounds.loc[nearest, "announced_date"],
                int(gaps[nearest]),
                float(lab_rounds.loc[nearest, raised]),
            )
        )
    return pd.DataFrame(rows, columns=columns)


def compute_vs_investment(
    deals: pd.DataFrame,
    classified: pd.DataFrame,
    include_ceilings: bool = False,
    constant_dollars: bool = False,
) -> pd.DataFrame:
    """Committed compute spend of each lab with a provider, beside the provider's investment.

    Compute commitments (``deal_type`` ``compute_commitment``: the lab commits to buy from the
    provider, money flowing lab -> provider) are summed per provider and lab with the same status
    rule as :func:`classify_deals` (announced or reported, an amount, no ceilings unless
    ``include_ceilings``).

    Returns
    -------
    DataFrame
        ``provider``, ``lab``, ``invested`` (counted investment into the lab, USD), ``committed``
        (compute spend committed by the lab, USD), ``ratio`` (committed / invested), ``floor``
        (a commitment was stated as at least).

    Examples
    --------
    >>> d = pd.DataFrame({"investor": ["microsoft"], "investee": ["openai"],
    ...     "deal_type": ["compute_commitment"], "amount_usd": [2.5e11],
    ...     "amount_qualifier": ["exact"], "status": ["announced"]})
    >>> c = pd.DataFrame({"investor": ["microsoft"], "investee": ["openai"],
    ...     "deal_type": ["equity"], "amount_usd": [1.375e10], "counted": [True],
    ...     "amount_qualifier": ["exact"], "announced_date": pd.to_datetime(["2023-01-23"]),
    ...     "source_date": pd.to_datetime(["2023-01-23"])})
    >>> round(float(compute_vs_investment(d, c)["ratio"].iloc[0]), 1)
    18.2
    """
    columns = ["provider", "lab", "invested", "committed", "ratio", "floor"]
    value = money_column("amount", constant_dollars)
    deals = primary_rows(deals, "deals")
    commit = deals.loc[
        (deals["deal_type"] == "compute_commitment")
        & deals["status"].isin(_COUNTED_STATUS)
        & deals[value].notna()
    ]
    if not include_ceilings:
        commit = commit.loc[commit["amount_qualifier"] != "up_to"]
    if commit.empty:
        return pd.DataFrame(columns=columns)
    committed = (
        commit.assign(_floor=commit["amount_qualifier"] == "at_least")
        .groupby(["investor", "investee"])
        .agg(committed=(value, "sum"), floor=("_floor", "any"))
    )
    invested = flows(classified, constant_dollars=constant_dollars, by=("investor", "investee"))
    invested = invested.set_index(["investor", "investee"])["amount"].rename("invested")
    out = committed.join(invested, how="left").reset_index()
    out = out.rename(columns={"investor": "provider", "investee": "lab"})
    out["ratio"] = out["committed"] / out["invested"]
    return out.sort_values(["committed", "provider"], ascending=[False, True])[columns].reset_index(
        drop=True
    )
