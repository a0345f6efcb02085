"""What the data covers: rows over time, companies, publishers, the largest deals.

Pure functions over the processed tables (see :func:`analysis.data.load`), used by the data
overview notebook and by the coverage tests.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from analysis.data.build import EVENT_DATE

__all__ = ["DATE_COLUMN", "rows_per_year", "sources_by_publisher", "company_rows", "largest_deals"]

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
