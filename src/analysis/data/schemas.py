"""Pandera schemas of the raw tables in ``data/raw``: one DataFrameModel per CSV file.

The column definitions, units and allowed values are documented in ``data/raw/README.md``; a test
checks that every column here is documented there. Column-level rules (types, ranges, allowed
values, unique keys, required provenance) live in these models; rules that span several columns or
tables live in :mod:`analysis.data.sources`.
"""

from __future__ import annotations

import pandera.pandas as pa
from pandera.typing import Series

__all__ = [
    "STATUS",
    "QUALIFIER",
    "DEAL_TYPES",
    "VALUATION_BASIS",
    "REVENUE_METRICS",
    "CAPEX_MEASURES",
    "MARKETS",
    "SHARE_SERIES",
    "SHARE_MEASURES",
    "SHARE_MEASURES_OWNERSHIP",
    "CONTROL",
    "PLATFORMS",
    "COMPANY_KINDS",
    "REGIONS",
    "SCHEMAS",
    "KEYS",
    "FACT_TABLES",
    "ALTERNATE_TABLES",
]

STATUS = ["announced", "reported", "rumoured"]
QUALIFIER = ["exact", "about", "up_to", "at_least"]
DEAL_TYPES = [
    "equity",
    "convertible_note",
    "cloud_credits",
    "licensing",
    "acqui_hire",
    "compute_commitment",
    "partnership",
    "acquisition",
]
VALUATION_BASIS = ["pre", "post", "unspecified"]
REVENUE_METRICS = ["annualized_run_rate", "fiscal_year_revenue", "projected_revenue"]
CAPEX_MEASURES = ["purchases_ppe", "purchases_ppe_incl_finance_leases", "purchases_ppe_net"]
MARKETS = ["cloud_infrastructure_services", "enterprise_llm_api", "ai_accelerators"]
SHARE_SERIES = ["synergy", "canalys", "menlo_ventures", "iot_analytics", "other"]
SHARE_MEASURES = ["revenue", "spend", "usage", "shipments"]
SHARE_MEASURES_OWNERSHIP = ["equity", "as_converted_diluted", "profit_interest", "revenue_share"]
CONTROL = ["none", "observer", "board_seat", "majority"]
PLATFORMS = [
    "azure",
    "amazon_bedrock",
    "google_vertex_ai",
    "oracle_oci",
    "ibm_watsonx",
    "snowflake",
    "databricks",
    "nvidia_nim",
    "own_api",
    "other",
]
COMPANY_KINDS = ["hyperscaler", "chipmaker", "lab", "investor", "software", "other"]
REGIONS = ["us", "europe", "china", "middle_east", "asia_other", "other"]

_ID = r"^[a-z0-9][a-z0-9_.\-]*$"
_CURRENCY = r"^[A-Z]{3}$"
_MIN_DATE = "1990-01-01"


def _key() -> object:
    return pa.Field(unique=True, str_matches=_ID, nullable=False)


def _company() -> object:
    return pa.Field(str_matches=_ID, nullable=False)


def _date(nullable: bool = False) -> object:
    return pa.Field(nullable=nullable, ge=_MIN_DATE)


def _money(nullable: bool = True) -> object:
    return pa.Field(gt=0, nullable=nullable)


def _enum(values: list[str], nullable: bool = False) -> object:
    return pa.Field(isin=values, nullable=nullable)


class _Strict(pa.DataFrameModel):
    class Config:
        strict = True
        coerce = True
        ordered = False


class _Sourced(_Strict):
    """Provenance columns every factual table carries."""

    status: Series[str] = _enum(STATUS)
    source_url: Series[str] = pa.Field(str_matches=r"^https?://\S+$", nullable=False)
    source_title: Series[str] = pa.Field(str_length={"min_value": 3}, nullable=False)
    publisher: Series[str] = pa.Field(str_length={"min_value": 2}, nullable=False)
    source_date: Series[pa.DateTime] = _date()
    note: Series[str] = pa.Field(nullable=True)


class Companies(_Strict):
    """Reference list of companies; ``company_id`` is what the factual tables refer to."""

    company_id: Series[str] = _key()
    name: Series[str] = pa.Field(nullable=False)
    kind: Series[str] = _enum(COMPANY_KINDS)
    country: Series[str] = pa.Field(str_matches=r"^[A-Z]{2}$", nullable=False)
    region: Series[str] = _enum(REGIONS)
    listed: Series[bool] = pa.Field(nullable=False)
    note: Series[str] = pa.Field(nullable=True)


class Deals(_Sourced):
    """Strategic investments and partnerships, one row per tranche or commitment."""

    deal_id: Series[str] = _key()
    investor: Series[str] = _company()
    investee: Series[str] = _company()
    announced_date: Series[pa.DateTime] = _date()
    deal_type: Series[str] = _enum(DEAL_TYPES)
    amount: Series[float] = _money()
    currency: Series[str] = pa.Field(str_matches=_CURRENCY, nullable=True)
    amount_qualifier: Series[str] = _enum(QUALIFIER, nullable=True)
    stake_pct: Series[float] = pa.Field(gt=0, le=100, nullable=True)
    round_id: Series[str] = pa.Field(str_matches=_ID, nullable=True)
    alternate_of: Series[str] = pa.Field(str_matches=_ID, nullable=True)


class FundingRounds(_Sourced):
    """Primary funding rounds of AI labs."""

    round_id: Series[str] = _key()
    company: Series[str] = _company()
    round: Series[str] = pa.Field(str_matches=r"^[a-z0-9_]+$", nullable=False)
    announced_date: Series[pa.DateTime] = _date()
    amount_raised: Series[float] = _money()
    currency: Series[str] = pa.Field(str_matches=_CURRENCY, nullable=True)
    amount_qualifier: Series[str] = _enum(QUALIFIER, nullable=True)
    valuation: Series[float] = _money()
    valuation_currency: Series[str] = pa.Field(str_matches=_CURRENCY, nullable=True)
    valuation_basis: Series[str] = _enum(VALUATION_BASIS, nullable=True)
    valuation_qualifier: Series[str] = _enum(QUALIFIER, nullable=True)
    lead_investors: Series[str] = pa.Field(nullable=True)
    alternate_of: Series[str] = pa.Field(str_matches=_ID, nullable=True)


class Revenue(_Sourced):
    """Revenue observations (run-rate, fiscal-year, projected)."""

    revenue_id: Series[str] = _key()
    company: Series[str] = _company()
    date: Series[pa.DateTime] = _date()
    metric: Series[str] = _enum(REVENUE_METRICS)
    value: Series[float] = _money(nullable=False)
    currency: Series[str] = pa.Field(str_matches=_CURRENCY, nullable=False)
    value_qualifier: Series[str] = _enum(QUALIFIER)
    alternate_of: Series[str] = pa.Field(str_matches=_ID, nullable=True)


class Capex(_Sourced):
    """Hyperscalers' capital expenditure per fiscal quarter, plus annual guidance."""

    capex_id: Series[str] = _key()
    company: Series[str] = _company()
    fiscal_year: Series[int] = pa.Field(ge=1990, le=2100, nullable=False)
    fiscal_quarter: Series[pa.Int64] = pa.Field(isin=[1, 2, 3, 4], nullable=True)
    period_end: Series[pa.DateTime] = _date()
    capex: Series[float] = _money(nullable=False)
    capex_high: Series[float] = _money()
    currency: Series[str] = pa.Field(str_matches=_CURRENCY, nullable=False)
    measure: Series[str] = _enum(CAPEX_MEASURES)
    revenue: Series[float] = _money()
    alternate_of: Series[str] = pa.Field(str_matches=_ID, nullable=True)


class MarketShares(_Sourced):
    """Market shares as published by research firms."""

    share_id: Series[str] = _key()
    market: Series[str] = _enum(MARKETS)
    series: Series[str] = _enum(SHARE_SERIES)
    measure: Series[str] = _enum(SHARE_MEASURES)
    period_start: Series[pa.DateTime] = _date()
    period_end: Series[pa.DateTime] = _date()
    firm: Series[str] = _company()
    share: Series[float] = pa.Field(ge=0, le=100, nullable=False)
    market_size: Series[float] = _money()
    market_size_currency: Series[str] = pa.Field(str_matches=_CURRENCY, nullable=True)
    alternate_of: Series[str] = pa.Field(str_matches=_ID, nullable=True)


class Ownership(_Sourced):
    """Economic interest and control of investors in labs over time."""

    ownership_id: Series[str] = _key()
    investor: Series[str] = _company()
    investee: Series[str] = _company()
    date_from: Series[pa.DateTime] = _date()
    economic_share: Series[float] = pa.Field(ge=0, le=100, nullable=True)
    share_measure: Series[str] = _enum(SHARE_MEASURES_OWNERSHIP)
    control: Series[str] = _enum(CONTROL)
    voting: Series[pa.BOOL] = pa.Field(nullable=True)


class Availability(_Sourced):
    """Model families on cloud platforms and the developers' own APIs."""

    availability_id: Series[str] = _key()
    model_family: Series[str] = pa.Field(nullable=False)
    developer: Series[str] = _company()
    platform: Series[str] = _enum(PLATFORMS)
    platform_owner: Series[str] = _company()
    available_from: Series[pa.DateTime] = _date()
    exclusive_until: Series[pa.DateTime] = _date(nullable=True)


#: Table name (CSV stem) -> schema.
SCHEMAS: dict[str, type[pa.DataFrameModel]] = {
    "companies": Companies,
    "deals": Deals,
    "funding_rounds": FundingRounds,
    "revenue": Revenue,
    "capex": Capex,
    "market_shares": MarketShares,
    "ownership": Ownership,
    "availability": Availability,
}

#: Table name -> its key column.
KEYS: dict[str, str] = {
    "companies": "company_id",
    "deals": "deal_id",
    "funding_rounds": "round_id",
    "revenue": "revenue_id",
    "capex": "capex_id",
    "market_shares": "share_id",
    "ownership": "ownership_id",
    "availability": "availability_id",
}

#: Tables whose rows may carry ``alternate_of`` (another source's version of a fact).
ALTERNATE_TABLES: tuple[str, ...] = ("deals", "funding_rounds", "revenue", "capex", "market_shares")

#: Tables whose rows are sourced facts (all but the company reference list).
FACT_TABLES: tuple[str, ...] = tuple(name for name in SCHEMAS if name != "companies")
