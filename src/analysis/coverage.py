"""What the data covers: rows over time, companies, publishers, the largest deals.

Pure functions over the processed tables (see :func:`analysis.data.load`), used by the data
overview notebook and by the coverage tests.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from analysis.data.build import EVENT_DATE

__all__ = [
    "DATE_COLUMN",
    "rows_per_year",
    "sources_by_publisher",
    "company_rows",
    "largest_deals",
    "quarterly_rows",
    "quarter_grid",
    "compact_quarters",
    "expand_quarters",
    "quarter_gaps",
    "GRID_START",
    "grid_end",
    "gap_grids",
    "gap_tables",
]

#: Date that places a row of each table in time (event date, else period end or source date).
DATE_COLUMN: dict[str, str] = {
    **EVENT_DATE,
    "revenue": "date",
    "capex": "period_end",
    "market_shares": "period_end",
}


def rows_per_year(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Number of rows per table and calendar year of :data:`DATE_COLUMN`.

    Returns
    -------
    DataFrame
        Index ``year`` (int), one column per table (row counts, 0 where none).

    Examples
    --------
    >>> deals = pd.DataFrame({"announced_date": pd.to_datetime(["2023-01-23", "2024-02-26",
    ...                                                         "2024-03-19"])})
    >>> rows_per_year({"deals": deals})["deals"].to_dict()
    {2023: 1, 2024: 2}
    """
    parts = []
    for name, frame in tables.items():
        column = DATE_COLUMN.get(name)
        if column is None or column not in frame or frame.empty:
            continue
        years = frame[column].dt.year.dropna().astype(int)
        parts.append(pd.DataFrame({"year": years.to_numpy(), "table": name}))
    if not parts:
        return pd.DataFrame(index=pd.Index([], name="year", dtype=int))
    long = pd.concat(parts, ignore_index=True)
    counts = long.groupby(["year", "table"]).size().unstack("table", fill_value=0)
    return counts.sort_index()


def sources_by_publisher(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Rows and distinct source documents per publisher, over all factual tables.

    Returns
    -------
    DataFrame
        Columns ``publisher``, ``rows``, ``documents`` (distinct ``source_url``), ``tables``
        (`;`-joined names), sorted by rows (descending) then publisher.

    Examples
    --------
    >>> t = pd.DataFrame({"publisher": ["Reuters", "Reuters", "Microsoft"],
    ...                   "source_url": ["https://a", "https://b", "https://c"]})
    >>> sources_by_publisher({"deals": t})[["publisher", "rows", "documents"]]
       publisher  rows  documents
    0    Reuters     2          2
    1  Microsoft     1          1
    """
    parts = [
        frame[["publisher", "source_url"]].assign(table=name)
        for name, frame in tables.items()
        if "publisher" in frame
    ]
    if not parts:
        return pd.DataFrame(columns=["publisher", "rows", "documents", "tables"])
    long = pd.concat(parts, ignore_index=True)
    out = long.groupby("publisher").agg(
        rows=("source_url", "size"),
        documents=("source_url", "nunique"),
        tables=("table", lambda s: ";".join(sorted(set(s)))),
    )
    out = out.reset_index().sort_values(["rows", "publisher"], ascending=[False, True])
    return out.reset_index(drop=True)


_COMPANY_COLUMNS: dict[str, tuple[str, ...]] = {
    "deals": ("investor", "investee"),
    "funding_rounds": ("company",),
    "revenue": ("company",),
    "capex": ("company",),
    "market_shares": ("firm",),
    "ownership": ("investor", "investee"),
    "availability": ("developer", "platform_owner"),
}


def company_rows(tables: Mapping[str, pd.DataFrame], companies: pd.DataFrame) -> pd.DataFrame:
    """Rows mentioning each company, per table.

    Returns
    -------
    DataFrame
        Index ``company_id``; columns ``name``, ``kind``, ``region`` and one count per table, plus
        ``total``; companies with no row are kept (count 0). Sorted by ``total`` descending.
    """
    counts = {}
    for name, columns in _COMPANY_COLUMNS.items():
        frame = tables.get(name)
        if frame is None:
            continue
        mentioned = pd.concat([frame[c] for c in columns if c in frame], ignore_index=True)
        counts[name] = mentioned.value_counts()
    base = companies.set_index("company_id")[["name", "kind", "region"]]
    table = pd.DataFrame(counts).reindex(base.index).fillna(0).astype(int)
    table["total"] = table.sum(axis=1)
    out = base.join(table)
    return out.sort_values(["total", "name"], ascending=[False, True])


def largest_deals(
    deals: pd.DataFrame, companies: pd.DataFrame, n: int = 10, amount: str = "amount_usd"
) -> pd.DataFrame:
    """The ``n`` largest deals by ``amount`` (USD), with company names.

    Returns
    -------
    DataFrame
        Columns ``announced_date``, ``investor``, ``investee``, ``deal_type``, ``amount`` (as
        stated), ``currency``, ``amount_qualifier``, ``amount_usd_bn`` (billions of USD),
        ``status``, ``publisher``.

    Examples
    --------
    >>> deals = pd.DataFrame({"announced_date": pd.to_datetime(["2023-01-23", "2024-02-26"]),
    ...     "investor": ["microsoft", "microsoft"], "investee": ["openai", "mistral_ai"],
    ...     "deal_type": ["equity", "convertible_note"], "amount": [1e10, 15e6],
    ...     "currency": ["USD", "EUR"], "amount_qualifier": ["about", "exact"],
    ...     "amount_usd": [1e10, 16.2e6], "status": ["reported", "reported"],
    ...     "publisher": ["Reuters", "Reuters"]})
    >>> cos = pd.DataFrame({"company_id": ["microsoft", "openai", "mistral_ai"],
    ...                     "name": ["Microsoft", "OpenAI", "Mistral AI"]})
    >>> largest_deals(deals, cos, n=1)[["investor", "investee", "amount_usd_bn"]]
        investor investee  amount_usd_bn
    0  Microsoft   OpenAI           10.0
    """
    names = companies.set_index("company_id")["name"]
    top = deals.dropna(subset=[amount]).sort_values(
        [amount, "announced_date"], ascending=[False, True]
    )
    top = top.head(n).copy()
    top["investor"] = top["investor"].map(names).fillna(top["investor"])
    top["investee"] = top["investee"].map(names).fillna(top["investee"])
    top["amount_usd_bn"] = top[amount] / 1e9
    columns = [
        "announced_date",
        "investor",
        "investee",
        "deal_type",
        "amount",
        "currency",
        "amount_qualifier",
        "amount_usd_bn",
        "status",
        "publisher",
    ]
    return top[columns].reset_index(drop=True)


def quarterly_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows that refer to one quarter: capex quarters, or shares measured over about three months.

    A capex row is quarterly when ``fiscal_quarter`` is set (guidance rows are annual). A row with
    ``period_start`` and ``period_end`` (market shares) is quarterly when the period lasts 85 to 95
    days; yearly and half-year shares are dropped.

    Examples
    --------
    >>> shares = pd.DataFrame({"period_start": pd.to_datetime(["2024-01-01", "2024-01-01"]),
    ...                        "period_end": pd.to_datetime(["2024-03-31", "2024-12-31"])})
    >>> len(quarterly_rows(shares))
    1
    """
    if "fiscal_quarter" in frame:
        return frame[frame["fiscal_quarter"].notna()]
    if {"period_start", "period_end"} <= set(frame.columns):
        days = (frame["period_end"] - frame["period_start"]).dt.days + 1
        return frame[days.between(85, 95)]
    raise ValueError("frame has neither fiscal_quarter nor period_start/period_end columns")


def quarter_grid(
    frame: pd.DataFrame,
    by: list[str],
    start: str | pd.Timestamp,
    end: str | pd.Timestamp,
    date: str = "period_end",
) -> pd.DataFrame:
    """Rows per group and calendar quarter of ``date``, every quarter from ``start`` to ``end``.

    Parameters
    ----------
    frame
        Quarterly rows (see :func:`quarterly_rows`) with a datetime column ``date``.
    by
        Columns that define a series (e.g. ``["company", "measure"]``).
    start, end
        Any dates inside the first and the last calendar quarter of the grid (inclusive).
    date
        Column that places a row in a quarter; ``period_end`` by default, so Microsoft's fiscal
        Q1 (July to September) falls in calendar Q3.

    Returns
    -------
    DataFrame
        One row per series seen in ``frame`` (index ``by``), one column per quarter labelled
        ``YYYYQn``; values are row counts (int, 0 where the series has no row: a gap).

    Examples
    --------
    >>> capex = pd.DataFrame({"company": ["meta", "meta"],
    ...                       "period_end": pd.to_datetime(["2019-03-31", "2019-09-30"])})
    >>> quarter_grid(capex, ["company"], "2019-01-01", "2019-12-31").loc["meta"].tolist()
    [1, 0, 1, 0]
    """
    quarters = pd.period_range(pd.Timestamp(start), pd.Timestamp(end), freq="Q")
    labels = [str(q) for q in quarters]
    period = frame[date].dt.to_period("Q").astype(str)
    counts = frame.assign(_quarter=period).groupby([*by, "_quarter"]).size()
    grid = counts.unstack("_quarter", fill_value=0)
    grid = grid.reindex(columns=labels, fill_value=0).astype(int)
    grid.columns.name = "quarter"
    return grid.sort_index()


def compact_quarters(labels: list[str]) -> str:
    """Quarter labels as ranges of consecutive quarters, e.g. ``2019Q1–2019Q3, 2020Q2``.

    Examples
    --------
    >>> compact_quarters(["2019Q1", "2019Q2", "2019Q3", "2020Q2", "2020Q4", "2021Q1"])
    '2019Q1–2019Q3, 2020Q2, 2020Q4–2021Q1'
    >>> compact_quarters([])
    ''
    """
    periods = sorted({pd.Period(label, freq="Q") for label in labels})
    runs: list[list[pd.Period]] = []
    for period in periods:
        if runs and period - runs[-1][-1] == 1 * period.freq:
            runs[-1].append(period)
        else:
            runs.append([period])
    return ", ".join(str(run[0]) if len(run) == 1 else f"{run[0]}–{run[-1]}" for run in runs)


def expand_quarters(text: str) -> list[str]:
    """Inverse of :func:`compact_quarters`: ``"2019Q3–2020Q1, 2021Q2"`` to single labels.

    An en dash or a hyphen separates the ends of a range.

    Examples
    --------
    >>> expand_quarters("2019Q3–2020Q1, 2021Q2")
    ['2019Q3', '2019Q4', '2020Q1', '2021Q2']
    """
    labels: list[str] = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        first, _, last = part.replace("–", "-").partition("-")
        last = last or first
        labels.extend(str(q) for q in pd.period_range(first, last.strip(), freq="Q"))
    return labels


def quarter_gaps(grid: pd.DataFrame) -> pd.DataFrame:
    """Quarters covered and missing per series of a :func:`quarter_grid`.

    Returns
    -------
    DataFrame
        Index as ``grid``; columns ``covered`` and ``missing`` (numbers of quarters) and ``gaps``
        (the missing quarters as ranges, see :func:`compact_quarters`).

    Examples
    --------
    >>> grid = pd.DataFrame([[1, 0, 0, 2]], index=pd.Index(["meta"], name="company"),
    ...                     columns=["2019Q1", "2019Q2", "2019Q3", "2019Q4"])
    >>> quarter_gaps(grid).loc["meta"].to_dict()
    {'covered': 2, 'missing': 2, 'gaps': '2019Q2–2019Q3'}
    """
    present = grid > 0
    return pd.DataFrame(
        {
            "covered": present.sum(axis=1).astype(int),
            "missing": (~present).sum(axis=1).astype(int),
            "gaps": [
                compact_quarters([c for c, ok in row.items() if not ok])
                for _, row in present.iterrows()
            ],
        },
        index=grid.index,
    )


def grid_end(tables: Mapping[str, pd.DataFrame], as_of: str | None = None) -> pd.Timestamp:
    """Last day of the last calendar quarter that had ended by ``as_of``.

    Without ``as_of``, the newest ``source_date`` in ``tables`` stands in for it, so the grid
    depends on the data only (not on the day it is drawn).

    Examples
    --------
    >>> t = {"capex": pd.DataFrame({"source_date": pd.to_datetime(["2026-06-10"])})}
    >>> str(grid_end(t).date()), str(grid_end(t, "2026-07-01").date())
    ('2026-03-31', '2026-06-30')
    """
    if as_of is None:
        dates = [f["source_date"].max() for f in tables.values() if "source_date" in f and len(f)]
        as_of = max(dates)
    return (pd.Timestamp(as_of).to_period("Q") - 1).end_time.normalize()


#: First quarter of the gap grid per table (the issue asks for capex from 2019, shares from 2018).
GRID_START: dict[str, str] = {"capex": "2019-01-01", "market_shares": "2018-01-01"}

_GRID_SERIES: dict[str, list[str]] = {
    "capex": ["company", "measure"],
    "market_shares": ["market", "series"],
}


def gap_grids(
    tables: Mapping[str, pd.DataFrame],
    end: str | pd.Timestamp,
    start: Mapping[str, str] = GRID_START,
) -> dict[str, pd.DataFrame]:
    """:func:`quarter_grid` of capex (per company and measure) and market shares (per market and
    series), from ``start[table]`` to ``end``.

    Returns
    -------
    dict
        ``{"capex": grid, "market_shares": grid}``.
    """
    return {
        name: quarter_grid(quarterly_rows(tables[name]), by, start[name], end)
        for name, by in _GRID_SERIES.items()
    }


def gap_tables(
    tables: Mapping[str, pd.DataFrame],
    end: str | pd.Timestamp,
    start: Mapping[str, str] = GRID_START,
) -> dict[str, pd.DataFrame]:
    """Covered and missing quarters per series: :func:`quarter_gaps` of each :func:`gap_grids`.

    Returns
    -------
    dict
        ``{"capex": ..., "market_shares": ...}``, each with its series columns (``company``,
        ``measure``; ``market``, ``series``) reset to columns.
    """
    return {
        name: quarter_gaps(grid).reset_index()
        for name, grid in gap_grids(tables, end, start).items()
    }
