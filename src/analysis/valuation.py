"""Valuations of AI labs: post-money series, revenue multiples, step-ups, growth and regressions.

Pure functions over the processed ``funding_rounds`` and ``revenue`` tables of
:func:`analysis.data.load` (money in US dollars at the ECB rate of the announcement date,
``*_usd``; constant dollars ``*_usd_const``).

Definitions (``/work/shared/methods.md``, "Valuation"):

- **post-money** = pre-money + new money. A round stated ``pre`` is converted with its amount
  raised; a round whose basis the source does not state (``unspecified``) is dropped, read as
  post-money or read as pre-money according to ``unclear_basis``. A tender offer (secondary sale)
  raises no new money: its pre- and post-money are the stated valuation.
- **versions**: several sources' rows for one round are linked by ``alternate_of`` (the data's
  rule, ``data/raw/README.md``). The default ``version="primary"`` keeps the row
  :func:`analysis.data.primary_rows` keeps; ``"announced"`` uses the company's announcement
  among the linked rows (else the earliest source) and ``"first_reported"`` the earliest source,
  for showing a round "as announced" and "as first reported". ``round_key`` is the id of the
  round's preferred row. Rows of one ``company-YYYY-MM`` id stem that ``alternate_of`` does not
  link are only flagged (``unlinked_versions``), never merged.
- **revenue multiple** = post-money / the latest ``annualized_run_rate`` *published* by the round
  date (later figures are hindsight; ``hindsight=True`` lifts the publication condition), shown
  with its date and age; the multiple is computed only when the run-rate is dated within
  ``window_months`` (default 6) before the round, else marked not computed (stale). A run-rate
  stated as "over $X" (``at_least``) makes the multiple a ceiling; a valuation stated as at least
  $X makes it a floor.
- **step-up** = this round's pre-money / the previous round's post-money (``step_up``); the cruder
  post / previous post is ``step_up_post``.
- **CAGR** = (end / start) ** (1 / years) - 1 with years = days / 365.25.
- **regression** of log post-money on log run-rate (and time): tender offers out by default, one
  observation per company and run-rate observation (the first round priced on it), and no fit
  below ``min_n`` observations or ``min_companies`` companies (:func:`regression_status` says
  why); HC3 standard errors by default.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

from analysis.data.build import primary_rows

__all__ = [
    "UnclearBasis",
    "Version",
    "round_key",
    "post_money",
    "valuation_series",
    "latest_rounds",
    "run_rate_at",
    "multiple_bound",
    "revenue_multiples",
    "step_ups",
    "cagr",
    "growth_summary",
    "RegressionFit",
    "regression_sample",
    "regression_status",
    "fit_regression",
    "regression_bands",
]

UnclearBasis = Literal["drop", "as_post", "as_pre"]
Version = Literal["primary", "announced", "first_reported"]
VERSIONS: tuple[str, ...] = ("primary", "announced", "first_reported")

_STEM = re.compile(r"^(?P<stem>[a-z0-9_]+-\d{4}-\d{2})")
_BASIS_RANK = {"post": 0, "pre": 1, "unspecified": 2}
_STATUS_RANK = {"announced": 0, "reported": 1, "rumoured": 2}
_DAYS_PER_YEAR = 365.25
_DAYS_PER_MONTH = 365.25 / 12


def round_key(round_id: str) -> str:
    """The ``company-YYYY-MM`` stem that identifies a round across source versions.

    Examples
    --------
    >>> round_key("mistral_ai-2023-12-bbg"), round_key("openai-2024-10")
    ('mistral_ai-2023-12', 'openai-2024-10')
    """
    match = _STEM.match(str(round_id))
    return match.group("stem") if match else str(round_id)


def post_money(
    valuation: float, basis: str, new_money: float, unclear_basis: UnclearBasis = "as_post"
) -> float:
    """Post-money valuation from a stated valuation, its basis and the new money (same units).

    Parameters
    ----------
    valuation : float
        Valuation as stated (e.g. USD).
    basis : str
        ``"post"``, ``"pre"`` or ``"unspecified"``.
    new_money : float
        Amount raised in the round (NaN when undisclosed).
    unclear_basis : {"drop", "as_post", "as_pre"}
        How to read an ``unspecified`` basis: NaN, as post-money, or as pre-money.

    Returns
    -------
    float
        Post-money (NaN when it cannot be worked out: pre-money without the amount raised).

    Examples
    --------
    >>> post_money(100.0, "pre", 20.0), post_money(120.0, "post", 20.0)
    (120.0, 120.0)
    >>> post_money(100.0, "unspecified", 20.0, "as_pre"), post_money(100.0, "pre", float("nan"))
    (120.0, nan)
    """
    if basis == "unspecified":
        if unclear_basis == "drop":
            return float("nan")
        basis = "post" if unclear_basis == "as_post" else "pre"
    if basis == "post":
        return float(valuation)
    if basis == "pre":
        return float(valuation) + float(new_money)
    raise ValueError(f"unknown valuation basis {basis!r}")


def _fact_key(rows: pd.DataFrame) -> pd.Series:
    """The preferred row's ``round_id`` of each row (``alternate_of`` where set, else its own)."""
    if "alternate_of" not in rows:
        return rows["round_id"].astype(object)
    return rows["alternate_of"].where(rows["alternate_of"].notna(), rows["round_id"])


def _choose_versions(rows: pd.DataFrame, version: Version) -> pd.DataFrame:
    if version not in VERSIONS:
        raise ValueError(f"version must be one of {VERSIONS}, got {version!r}")
    rows = rows.assign(
        round_key=_fact_key(rows),
        _status=rows["status"].map(_STATUS_RANK),
        _basis=rows["valuation_basis"].map(_BASIS_RANK).fillna(3),
    )
    if version == "primary":
        chosen = rows.loc[rows["_primary"]] if "_primary" in rows else rows
    else:
        if version == "announced":
            order = ["round_key", "_status", "source_date", "_basis", "round_id"]
        else:
            order = ["round_key", "source_date", "_status", "_basis", "round_id"]
        chosen = rows.sort_values(order).drop_duplicates("round_key", keep="first")
    versions = rows.groupby("round_key")["round_id"].agg(lambda s: ";".join(sorted(s)))
    chosen = chosen.assign(versions=chosen["round_key"].map(versions))
    stem = chosen["round_id"].map(round_key)
    unlinked = []
    for key, rid in zip(chosen["round_key"], stem, strict=True):
        peers = chosen.loc[(stem == rid) & (chosen["round_key"] != key), "round_id"]
        unlinked.append(";".join(sorted(peers)))
    chosen["unlinked_versions"] = unlinked
    return chosen.drop(columns=["_status", "_basis", "_primary"], errors="ignore")


def valuation_series(
    funding_rounds: pd.DataFrame,
    unclear_basis: UnclearBasis = "as_post",
    version: Version = "primary",
    labs: Sequence[str] | None = None,
    include_rumoured: bool = False,
    constant_dollars: bool = False,
    include_tenders: bool = True,
) -> pd.DataFrame:
    """One post-money valuation per lab and round.

    Parameters
    ----------
    funding_rounds : DataFrame
        Processed ``funding_rounds`` table (as known on the analysis date).
    unclear_basis : {"drop", "as_post", "as_pre"}
        Treatment of rounds whose source does not say pre- or post-money.
    version : {"primary", "announced", "first_reported"}
        Which source version of a round to use (see module docstring); default the row
        :func:`analysis.data.primary_rows` keeps.
    labs : sequence of str, optional
        Company ids to keep.
    include_rumoured : bool
        Keep ``rumoured`` rows (talks); default False.
    constant_dollars : bool
        Money in constant USD of the build's base year instead of nominal USD.
    include_tenders : bool
        Keep tender offers (secondary sales: a price for existing shares, no new money).

    Returns
    -------
    DataFrame
        ``company``, ``round_key``, ``round_id``, ``round``, ``announced_date``, ``new_money``,
        ``valuation`` (as stated, USD), ``valuation_basis``, ``basis_used`` (``post``/``pre``),
        ``unclear`` (basis was unspecified), ``post_money``, ``pre_money`` (USD),
        ``valuation_qualifier``, ``status``, ``source_date``, ``publisher``, ``versions``
        (round ids of all versions linked by ``alternate_of``), ``unlinked_versions`` (rows of
        the same id stem not linked: a review flag), and the figures as the source states them:
        ``stated_raised``, ``stated_currency``, ``stated_valuation``,
        ``stated_valuation_currency``. Rows without a computable post-money are left out.
        Sorted by company and date.

    Examples
    --------
    >>> fr = pd.DataFrame({"round_id": ["x-2024-01", "x-2025-01"], "company": ["x", "x"],
    ...     "round": ["series_a", "series_b"], "status": ["announced"] * 2,
    ...     "announced_date": pd.to_datetime(["2024-01-10", "2025-01-10"]),
    ...     "source_date": pd.to_datetime(["2024-01-10", "2025-01-10"]),
    ...     "amount_raised_usd": [20.0, 50.0], "valuation_usd": [100.0, 250.0],
    ...     "valuation_basis": ["post", "pre"], "valuation_qualifier": ["exact"] * 2,
    ...     "publisher": ["X"] * 2})
    >>> valuation_series(fr)[["round", "pre_money", "post_money"]]
          round  pre_money  post_money
    0  series_a       80.0       100.0
    1  series_b      250.0       300.0
    """
    columns = [
        "company",
        "round_key",
        "round_id",
        "round",
        "announced_date",
        "new_money",
        "valuation",
        "valuation_basis",
        "basis_used",
        "unclear",
        "post_money",
        "pre_money",
        "valuation_qualifier",
        "status",
        "source_date",
        "publisher",
        "versions",
        "unlinked_versions",
        "stated_raised",
        "stated_currency",
        "stated_valuation",
        "stated_valuation_currency",
    ]
    suffix = "_usd_const" if constant_dollars else "_usd"
    # one row per fact is decided on the whole table, before any filter (the data's rule)
    kept = set(primary_rows(funding_rounds, "funding_rounds")["round_id"])
    rows = funding_rounds.assign(_primary=funding_rounds["round_id"].isin(kept))
    rows = rows.loc[rows[f"valuation{suffix}"].notna()]
    if not include_rumoured:
        rows = rows.loc[rows["status"] != "rumoured"]
    if labs is not None:
        rows = rows.loc[rows["company"].isin(list(labs))]
    if not include_tenders:
        rows = rows.loc[~rows["round"].astype(str).str.startswith("tender")]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    rows = _choose_versions(rows, version)
    out = rows.assign(
        stated_raised=rows["amount_raised"] if "amount_raised" in rows else np.nan,
        stated_currency=rows["currency"] if "currency" in rows else None,
        stated_valuation=rows["valuation"] if "valuation" in rows else np.nan,
        stated_valuation_currency=(
            rows["valuation_currency"] if "valuation_currency" in rows else None
        ),
    )
    out = out.assign(
        valuation=rows[f"valuation{suffix}"].astype(float),
        new_money=rows[f"amount_raised{suffix}"].astype(float),
    )
    tender = out["round"].astype(str).str.startswith("tender")
    out.loc[tender & out["new_money"].isna(), "new_money"] = 0.0
    unclear = out["valuation_basis"].eq("unspecified")
    reading = {"drop": None, "as_post": "post", "as_pre": "pre"}[unclear_basis]
    out["basis_used"] = out["valuation_basis"].where(~unclear, reading)
    out["unclear"] = unclear
    out = out.loc[out["basis_used"].notna()].copy()
    out["post_money"] = [
        post_money(v, b, m)
        for v, b, m in zip(out["valuation"], out["basis_used"], out["new_money"], strict=True)
    ]
    out["pre_money"] = np.where(
        out["basis_used"].eq("pre"), out["valuation"], out["post_money"] - out["new_money"]
    )
    out = out.loc[out["post_money"].notna()]
    out = out.sort_values(["company", "announced_date", "round_id"])
    return out[columns].reset_index(drop=True)


def latest_rounds(
    funding_rounds: pd.DataFrame,
    unclear_basis: UnclearBasis = "as_post",
    labs: Sequence[str] | None = None,
    constant_dollars: bool = False,
) -> pd.DataFrame:
    """Each lab's latest round with a valuation: the primary row, as announced, as first reported.

    The latest round is taken from the primary series (:func:`analysis.data.primary_rows`); the
    announced and first-reported versions are the rows linked to it by ``alternate_of``.

    Returns
    -------
    DataFrame
        ``company``, ``round_key``, ``round``, then for each version (``primary_``,
        ``announced_``, ``first_reported_`` prefixes): ``round_id``, ``source_date``,
        ``status``, ``publisher``, the stated figures (``stated_raised``, ``stated_currency``,
        ``stated_valuation``, ``stated_valuation_currency``), ``new_money``, ``valuation``,
        ``valuation_basis``, ``post_money`` (USD). Sorted by primary post-money descending.

    Examples
    --------
    >>> fr = pd.DataFrame({"round_id": ["m-2023-12-bbg", "m-2023-12"], "company": ["m", "m"],
    ...     "alternate_of": ["m-2023-12", None],
    ...     "round": ["series_a", "series_a"], "status": ["reported", "announced"],
    ...     "announced_date": pd.to_datetime(["2023-12-05", "2023-12-10"]),
    ...     "source_date": pd.to_datetime(["2023-12-05", "2023-12-11"]),
    ...     "amount_raised_usd": [487e6, 415e6], "valuation_usd": [2e9, 2.16e9],
    ...     "valuation_basis": ["unspecified"] * 2, "valuation_qualifier": ["about"] * 2,
    ...     "publisher": ["Bloomberg", "Mistral"]})
    >>> latest_rounds(fr)[["announced_new_money", "first_reported_new_money"]]
       announced_new_money  first_reported_new_money
    0          415000000.0               487000000.0
    """
    fields = [
        "round_id",
        "source_date",
        "status",
        "publisher",
        "stated_raised",
        "stated_currency",
        "stated_valuation",
        "stated_valuation_currency",
        "new_money",
        "valuation",
        "valuation_basis",
        "post_money",
    ]
    parts = {}
    for version in VERSIONS:
        series = valuation_series(
            funding_rounds,
            unclear_basis=unclear_basis,
            version=version,
            labs=labs,
            constant_dollars=constant_dollars,
        )
        parts[version] = series
    base = parts["primary"]
    columns = ["company", "round_key", "round"]
    columns += [f"{v}_{f}" for v in VERSIONS for f in fields]
    if base.empty:
        return pd.DataFrame(columns=columns)
    latest = base.sort_values("announced_date").groupby("company").tail(1)
    out = latest[["company", "round_key", "round"]].copy()
    for version, series in parts.items():
        chosen = series.set_index("round_key")[fields].add_prefix(f"{version}_")
        out = out.join(chosen, on="round_key")
    out = out.sort_values("primary_post_money", ascending=False)
    return out[columns].reset_index(drop=True)


def run_rate_at(
    revenue: pd.DataFrame,
    company: str,
    date: pd.Timestamp | str,
    window_months: int | None = 6,
    hindsight: bool = False,
    constant_dollars: bool = False,
) -> pd.Series | None:
    """The latest annualized run-rate of ``company`` dated within ``window_months`` before ``date``.

    One row per fact first (:func:`analysis.data.primary_rows`). Only ``annualized_run_rate``
    rows that are not rumoured count, and (unless ``hindsight``) only those published
    (``source_date``) on or before ``date``; ``window_months=None`` sets no age limit. Among
    figures for the same date, an announced one is preferred, then the latest source.

    Returns
    -------
    Series or None
        The chosen revenue row (with ``value_usd``), or None when there is none.

    Examples
    --------
    >>> rev = pd.DataFrame({"company": ["a", "a"], "metric": ["annualized_run_rate"] * 2,
    ...     "status": ["announced"] * 2, "date": pd.to_datetime(["2024-01-01", "2024-06-01"]),
    ...     "source_date": pd.to_datetime(["2024-01-05", "2024-09-01"]),
    ...     "value_usd": [4.0, 6.0], "value_qualifier": ["exact"] * 2})
    >>> float(run_rate_at(rev, "a", "2024-07-01", 12)["value_usd"])   # June figure not yet public
    4.0
    >>> float(run_rate_at(rev, "a", "2024-07-01", 12, hindsight=True)["value_usd"])
    6.0
    """
    when = pd.Timestamp(date)
    value = "value_usd_const" if constant_dollars else "value_usd"
    revenue = primary_rows(revenue, "revenue")
    rows = revenue.loc[
        (revenue["company"] == company)
        & (revenue["metric"] == "annualized_run_rate")
        & (revenue["status"] != "rumoured")
        & revenue[value].notna()
        & (revenue["date"] <= when)
    ]
    if window_months is not None:
        rows = rows.loc[rows["date"] >= when - pd.DateOffset(months=window_months)]
    if not hindsight:
        rows = rows.loc[rows["source_date"] <= when]
    if rows.empty:
        return None
    rows = rows.assign(_status=rows["status"].map(_STATUS_RANK))
    rows = rows.sort_values(["date", "_status", "source_date"], ascending=[False, True, False])
    return rows.iloc[0].drop(labels=["_status"])


def multiple_bound(valuation_qualifier: str, run_rate_qualifier: str) -> str:
    """Whether a multiple is a point estimate, a ceiling, a floor or unbounded.

    A valuation "at least" raises the multiple's floor; a run-rate "at least" ("over $X") makes
    the multiple a ceiling; ``up_to`` works the other way round.

    Examples
    --------
    >>> multiple_bound("exact", "at_least"), multiple_bound("at_least", "exact")
    ('ceiling', 'floor')
    >>> multiple_bound("about", "exact"), multiple_bound("at_least", "at_least")
    ('point', 'unbounded')
    """
    directions = set()
    if valuation_qualifier == "at_least":
        directions.add("floor")
    if valuation_qualifier == "up_to":
        directions.add("ceiling")
    if run_rate_qualifier == "at_least":
        directions.add("ceiling")
    if run_rate_qualifier == "up_to":
        directions.add("floor")
    if len(directions) > 1:
        return "unbounded"
    return directions.pop() if directions else "point"


def revenue_multiples(
    series: pd.DataFrame,
    revenue: pd.DataFrame,
    window_months: int = 6,
    hindsight: bool = False,
    constant_dollars: bool = False,
) -> pd.DataFrame:
    """Post-money / run-rate revenue for each round of :func:`valuation_series`.

    The run-rate is the latest one published by the round date (any age); the multiple is
    computed only when that run-rate is dated within ``window_months`` before the round.

    Returns
    -------
    DataFrame
        The series plus ``run_rate`` (USD per year), ``run_rate_date``, ``run_rate_age_months``
        (round date minus run-rate date, months of 365.25 / 12 days), ``run_rate_source_date``,
        ``run_rate_qualifier``, ``run_rate_id``, ``multiple`` (post-money / run-rate, times; NaN
        when not computed), ``multiple_status`` (``computed``, ``no run-rate known`` or ``stale
        run-rate (older than N months)``) and ``bound`` (:func:`multiple_bound`; empty when not
        computed).

    Examples
    --------
    >>> s = pd.DataFrame({"company": ["a"], "announced_date": pd.to_datetime(["2024-07-01"]),
    ...                   "post_money": [120.0], "valuation_qualifier": ["exact"]})
    >>> rev = pd.DataFrame({"company": ["a"], "metric": ["annualized_run_rate"],
    ...     "status": ["announced"], "date": pd.to_datetime(["2024-06-01"]),
    ...     "source_date": pd.to_datetime(["2024-06-02"]), "value_usd": [4.0],
    ...     "value_qualifier": ["at_least"], "revenue_id": ["a-2024-06"]})
    >>> revenue_multiples(s, rev)[["multiple", "bound", "run_rate_age_months"]]
       multiple    bound  run_rate_age_months
    0      30.0  ceiling                  1.0
    >>> revenue_multiples(s, rev, window_months=0)[["run_rate", "multiple", "multiple_status"]]
       run_rate  multiple                       multiple_status
    0       4.0       NaN  stale run-rate (older than 0 months)
    """
    out = series.copy()
    value = "value_usd_const" if constant_dollars else "value_usd"
    found = [
        run_rate_at(revenue, c, d, None, hindsight, constant_dollars)
        for c, d in zip(out["company"], out["announced_date"], strict=True)
    ]
    out["run_rate"] = [np.nan if r is None else float(r[value]) for r in found]
    out["run_rate_date"] = pd.to_datetime([pd.NaT if r is None else r["date"] for r in found])
    out["run_rate_source_date"] = pd.to_datetime(
        [pd.NaT if r is None else r["source_date"] for r in found]
    )
    dates = pd.to_datetime(out["announced_date"])
    out["run_rate_age_months"] = ((dates - out["run_rate_date"]).dt.days / _DAYS_PER_MONTH).round(1)
    out["run_rate_qualifier"] = [None if r is None else r["value_qualifier"] for r in found]
    out["run_rate_id"] = [None if r is None else r.get("revenue_id") for r in found]
    fresh = out["run_rate_date"] >= dates - pd.DateOffset(months=window_months)
    known = out["run_rate"].notna()
    out["multiple"] = (out["post_money"].astype(float) / out["run_rate"]).where(known & fresh)
    out["multiple_status"] = np.where(
        ~known,
        "no run-rate known",
        np.where(fresh, "computed", f"stale run-rate (older than {window_months} months)"),
    )
    out["bound"] = [
        multiple_bound(vq, rq) if rq is not None and ok else None
        for vq, rq, ok in zip(
            out["valuation_qualifier"], out["run_rate_qualifier"], known & fresh, strict=True
        )
    ]
    return out


def cagr(start: float, end: float, years: float) -> float:
    """Compound annual growth rate (fraction) from ``start`` to ``end`` over ``years``.

    Examples
    --------
    >>> cagr(100.0, 400.0, 2.0)
    1.0
    >>> round(cagr(100.0, 150.0, 0.5), 4)   # six months: annualised
    1.25
    >>> cagr(100.0, 150.0, 0.0)
    nan
    """
    if not (np.isfinite(start) and np.isfinite(end) and years > 0 and start > 0 and end > 0):
        return float("nan")
    return float((end / start) ** (1.0 / years) - 1.0)


def step_ups(series: pd.DataFrame) -> pd.DataFrame:
    """Step-up of each round over the lab's previous round in :func:`valuation_series`.

    Adds ``previous_round``, ``previous_post_money``, ``step_up`` (pre-money / previous
    post-money, times), ``step_up_post`` (post / previous post), ``years_since`` (years since the
    previous round) and ``annualised_growth`` (CAGR of post-money since the previous round).

    Examples
    --------
    >>> s = pd.DataFrame({"company": ["a", "a"], "round_key": ["a-2024-01", "a-2025-01"],
    ...     "announced_date": pd.to_datetime(["2024-01-01", "2025-01-01"]),
    ...     "pre_money": [80.0, 250.0], "post_money": [100.0, 300.0]})
    >>> step_ups(s)[["step_up", "step_up_post"]].iloc[1].tolist()
    [2.5, 3.0]
    """
    out = series.sort_values(["company", "announced_date"]).copy()
    out["announced_date"] = pd.to_datetime(out["announced_date"])
    grouped = out.groupby("company", sort=False)
    out["previous_round"] = grouped["round_key"].shift(1)
    out["previous_post_money"] = grouped["post_money"].shift(1)
    previous_date = grouped["announced_date"].shift(1)
    out["step_up"] = out["pre_money"] / out["previous_post_money"]
    out["step_up_post"] = out["post_money"] / out["previous_post_money"]
    out["years_since"] = (out["announced_date"] - previous_date).dt.days / _DAYS_PER_YEAR
    out["annualised_growth"] = [
        cagr(a, b, y)
        for a, b, y in zip(
            out["previous_post_money"], out["post_money"], out["years_since"], strict=True
        )
    ]
    return out.reset_index(drop=True)


def growth_summary(
    series: pd.DataFrame,
    revenue: pd.DataFrame,
    constant_dollars: bool = False,
) -> pd.DataFrame:
    """Per lab: first and last post-money and run-rate, and their annual growth (CAGR).

    Run-rates are the lab's non-rumoured ``annualized_run_rate`` rows (one per date: announced
    first). Growth is missing with fewer than two observations.

    Returns
    -------
    DataFrame
        ``company``, ``rounds``, ``first_round``, ``last_round`` (dates), ``first_post_money``,
        ``last_post_money`` (USD), ``valuation_cagr`` (fraction per year), ``run_rates``,
        ``first_run_rate``, ``last_run_rate`` (USD per year), their dates, ``revenue_cagr``.

    Examples
    --------
    >>> s = pd.DataFrame({"company": ["a", "a"], "post_money": [100.0, 400.0],
    ...                   "announced_date": pd.to_datetime(["2023-01-01", "2025-01-01"])})
    >>> rev = pd.DataFrame({"company": ["a"], "metric": ["annualized_run_rate"],
    ...     "status": ["announced"], "date": pd.to_datetime(["2024-01-01"]),
    ...     "source_date": pd.to_datetime(["2024-01-01"]), "value_usd": [4.0]})
    >>> round(float(growth_summary(s, rev)["valuation_cagr"].iloc[0]), 2)
    1.0
    """
    value = "value_usd_const" if constant_dollars else "value_usd"
    revenue = primary_rows(revenue, "revenue")
    rates = revenue.loc[
        (revenue["metric"] == "annualized_run_rate")
        & (revenue["status"] != "rumoured")
        & revenue[value].notna()
    ]
    rates = rates.assign(_status=rates["status"].map(_STATUS_RANK)).sort_values(
        ["company", "date", "_status"]
    )
    rates = rates.drop_duplicates(["company", "date"], keep="first")
    rows = []
    for company in sorted(set(series["company"]) | set(rates["company"])):
        s = series.loc[series["company"] == company].sort_values("announced_date")
        r = rates.loc[rates["company"] == company]
        row: dict[str, Any] = {"company": company, "rounds": len(s), "run_rates": len(r)}
        if len(s):
            row |= {
                "first_round": s["announced_date"].iloc[0],
                "last_round": s["announced_date"].iloc[-1],
                "first_post_money": float(s["post_money"].iloc[0]),
                "last_post_money": float(s["post_money"].iloc[-1]),
            }
            years = (s["announced_date"].iloc[-1] - s["announced_date"].iloc[0]).days
            row["valuation_cagr"] = cagr(
                row["first_post_money"], row["last_post_money"], years / _DAYS_PER_YEAR
            )
        if len(r):
            row |= {
                "first_run_rate_date": r["date"].iloc[0],
                "last_run_rate_date": r["date"].iloc[-1],
                "first_run_rate": float(r[value].iloc[0]),
                "last_run_rate": float(r[value].iloc[-1]),
            }
            years = (r["date"].iloc[-1] - r["date"].iloc[0]).days
            row["revenue_cagr"] = cagr(
                row["first_run_rate"], row["last_run_rate"], years / _DAYS_PER_YEAR
            )
        rows.append(row)
    columns = [
        "company",
        "rounds",
        "first_round",
        "last_round",
        "first_post_money",
        "last_post_money",
        "valuation_cagr",
        "run_rates",
        "first_run_rate_date",
        "last_run_rate_date",
        "first_run_rate",
        "last_run_rate",
        "revenue_cagr",
    ]
    return pd.DataFrame(rows).reindex(columns=columns)


@dataclass
class RegressionFit:
    """A fitted regression of log post-money on log run-rate (and time).

    Attributes
    ----------
    coefficients : DataFrame
        ``term``, ``estimate``, ``std_error`` (robust), ``statistic`` (z), ``p_value``,
        ``ci_lower``, ``ci_upper`` (at ``level``).
    n : int
        Observations.
    companies : int
        Distinct companies among the observations.
    r_squared : float
        R² of the OLS fit.
    cov_type : str
        Robust covariance used (e.g. ``HC3``).
    time : bool
        Whether the years since ``origin`` entered the model.
    origin : Timestamp
        Date from which time is counted (years).
    data : DataFrame
        The observations used (``company``, ``announced_date``, ``post_money``, ``run_rate``,
        ``years``).
    result : object
        The statsmodels results (for further use in a notebook).
    """

    coefficients: pd.DataFrame
    n: int
    companies: int
    r_squared: float
    cov_type: str
    time: bool
    origin: pd.Timestamp
    data: pd.DataFrame
    result: Any = field(repr=False)


def _design(log_run_rate: np.ndarray, years: np.ndarray, time: bool) -> np.ndarray:
    columns = [np.ones_like(log_run_rate), log_run_rate]
    if time:
        columns.append(years)
    return np.column_stack(columns)


def regression_sample(
    multiples: pd.DataFrame,
    include_bounds: bool = False,
    include_tenders: bool = False,
) -> pd.DataFrame:
    """The observations a regression of valuation on run-rate may use.

    Rows of :func:`revenue_multiples` with a computed multiple (a run-rate within the window),
    positive post-money and run-rate; tender offers (``round`` starting with ``tender``) left out
    unless ``include_tenders``; ceilings and floors left out unless ``include_bounds``; and one
    observation per company and run-rate observation (``run_rate_id``, else the run-rate's date
    and value): the first round priced on it, so that one stale figure does not stand behind
    several rounds.

    Examples
    --------
    >>> m = pd.DataFrame({"company": ["a", "a", "b"], "round": ["series_a", "tender", "seed"],
    ...     "announced_date": pd.to_datetime(["2024-01-01", "2024-03-01", "2024-02-01"]),
    ...     "run_rate_id": ["a-1", "a-1", "b-1"], "run_rate": [1.0, 1.0, 2.0],
    ...     "post_money": [30.0, 40.0, 50.0], "multiple": [30.0, 40.0, 25.0],
    ...     "bound": ["point"] * 3})
    >>> regression_sample(m)[["company", "round"]].values.tolist()
    [['a', 'series_a'], ['b', 'seed']]
    """
    data = multiples
    if "multiple" in data:
        data = data.loc[data["multiple"].notna()]
    data = data.loc[data["run_rate"].notna() & data["post_money"].notna()]
    data = data.loc[(data["run_rate"] > 0) & (data["post_money"] > 0)]
    if not include_tenders and "round" in data:
        data = data.loc[~data["round"].astype(str).str.startswith("tender")]
    if not include_bounds:
        data = data.loc[data["bound"].eq("point")]
    if "run_rate_id" in data and data["run_rate_id"].notna().all():
        key = ["company", "run_rate_id"]
    else:
        key = ["company", "run_rate", *(["run_rate_date"] if "run_rate_date" in data else [])]
    data = data.sort_values(["announced_date"]).drop_duplicates(key, keep="first")
    return data.sort_values(["company", "announced_date"]).reset_index(drop=True)


def regression_status(
    sample: pd.DataFrame, min_n: int = 8, min_companies: int = 3, parameters: int = 3
) -> str:
    """Why a regression on ``sample`` (:func:`regression_sample`) is not fitted; "" when it is.

    Examples
    --------
    >>> regression_status(pd.DataFrame({"company": ["a", "a", "b"]}))
    'no fit: 3 observations (minimum 8) from 2 companies (minimum 3)'
    >>> regression_status(pd.DataFrame({"company": list("abcdefgh")}))
    ''
    """
    n = len(sample)
    companies = sample["company"].nunique() if n else 0
    need_n = max(int(min_n), parameters + 2)
    if n >= need_n and companies >= min_companies:
        return ""
    return (
        f"no fit: {n} observations (minimum {need_n}) from {companies} companies "
        f"(minimum {min_companies})"
    )


def fit_regression(
    multiples: pd.DataFrame,
    time: bool = True,
    cov_type: str = "HC3",
    include_bounds: bool = False,
    level: float = 0.95,
    origin: str = "2020-01-01",
    include_tenders: bool = False,
    min_n: int = 8,
    min_companies: int = 3,
) -> RegressionFit | None:
    """OLS of log(post-money) on log(run-rate) (and years since ``origin``), robust errors.

    Parameters
    ----------
    multiples : DataFrame
        Output of :func:`revenue_multiples`; the observations are
        :func:`regression_sample` of it.
    time : bool
        Add years since ``origin`` as a regressor (valuation drift at a given revenue).
    cov_type : str
        statsmodels heteroskedasticity-robust covariance (``HC0`` ... ``HC3``; HC3 by default,
        the small-sample choice).
    include_bounds : bool
        Also use multiples that are ceilings or floors (default: point estimates only).
    level : float
        Confidence level of the coefficient intervals.
    origin : str
        Date from which ``years`` is counted.
    include_tenders : bool
        Also use tender offers (secondary sales; default left out).
    min_n, min_companies : int
        No fit below this many observations (at least parameters + 2) or companies.

    Returns
    -------
    RegressionFit or None
        None when :func:`regression_status` gives a reason not to fit.

    Examples
    --------
    >>> m = pd.DataFrame({"company": list("abcdef"), "bound": ["point"] * 6,
    ...     "announced_date": pd.to_datetime(["2024-01-01"] * 6),
    ...     "run_rate": [1.0, 2, 4, 8, 16, 32], "post_money": [30.0, 61, 119, 242, 478, 962]})
    >>> fit = fit_regression(m, time=False, min_n=6)
    >>> round(float(fit.coefficients.set_index("term").loc["log_run_rate", "estimate"]), 2)
    1.0
    >>> fit_regression(m, time=False) is None   # fewer than 8 observations
    True
    """
    import statsmodels.api as sm

    data = regression_sample(multiples, include_bounds, include_tenders)
    k = 3 if time else 2
    if regression_status(data, min_n, min_companies, k):
        return None
    start = pd.Timestamp(origin)
    years = ((data["announced_date"] - start).dt.days / _DAYS_PER_YEAR).to_numpy(float)
    x = _design(np.log(data["run_rate"].to_numpy(float)), years, time)
    y = np.log(data["post_money"].to_numpy(float))
    result = sm.OLS(y, x).fit(cov_type=cov_type)
    terms = ["const", "log_run_rate", *(["years"] if time else [])]
    ci = np.asarray(result.conf_int(alpha=1 - level))
    coefficients = pd.DataFrame(
        {
            "term": terms,
            "estimate": np.asarray(result.params),
            "std_error": np.asarray(result.bse),
            "statistic": np.asarray(result.tvalues),
            "p_value": np.asarray(result.pvalues),
            "ci_lower": ci[:, 0],
            "ci_upper": ci[:, 1],
        }
    )
    used = data[["company", "announced_date", "post_money", "run_rate"]].assign(years=years)
    return RegressionFit(
        coefficients=coefficients,
        n=len(data),
        companies=int(data["company"].nunique()),
        r_squared=float(result.rsquared),
        cov_type=cov_type,
        time=time,
        origin=start,
        data=used.reset_index(drop=True),
        result=result,
    )


def regression_bands(
    fit: RegressionFit,
    run_rates: Sequence[float],
    date: str | pd.Timestamp | None = None,
    level: float = 0.95,
) -> pd.DataFrame:
    """Fitted post-money with confidence and prediction bands over a grid of run-rates.

    Parameters
    ----------
    fit : RegressionFit
        From :func:`fit_regression`.
    run_rates : sequence of float
        Run-rates (USD per year) at which to predict.
    date : date, optional
        Date at which time is held (models with time); default the latest observation.
    level : float
        Coverage of the bands.

    Returns
    -------
    DataFrame
        ``run_rate``, ``fitted`` (median post-money, USD), ``ci_lower``, ``ci_upper`` (band for the
        mean), ``pi_lower``, ``pi_upper`` (prediction band for a new round), all USD.

    Examples
    --------
    >>> m = pd.DataFrame({"company": list("abcdef"), "bound": ["point"] * 6,
    ...     "announced_date": pd.to_datetime(["2024-01-01"] * 6),
    ...     "run_rate": [1.0, 2, 4, 8, 16, 32], "post_money": [30.0, 61, 119, 242, 478, 962]})
    >>> bands = regression_bands(fit_regression(m, time=False, min_n=6), [4.0])
    >>> bool(bands["pi_lower"].iloc[0] < bands["fitted"].iloc[0] < bands["pi_upper"].iloc[0])
    True
    """
    grid = np.asarray(run_rates, dtype=float)
    when = pd.Timestamp(date) if date is not None else fit.data["announced_date"].max()
    years = np.full_like(grid, (when - fit.origin).days / _DAYS_PER_YEAR)
    x = _design(np.log(grid), years, fit.time)
    frame = fit.result.get_prediction(x).summary_frame(alpha=1 - level)
    return pd.DataFrame(
        {
            "run_rate": grid,
            "fitted": np.exp(frame["mean"].to_numpy()),
            "ci_lower": np.exp(frame["mean_ci_lower"].to_numpy()),
            "ci_upper": np.exp(frame["mean_ci_upper"].to_numpy()),
            "pi_lower": np.exp(frame["obs_ci_lower"].to_numpy()),
            "pi_upper": np.exp(frame["obs_ci_upper"].to_numpy()),
        }
    )
