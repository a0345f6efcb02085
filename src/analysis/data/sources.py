"""Load and validate the raw tables, reporting every problem at once.

Validation runs in three passes so that no error hides another:

1. **text**: the file's header and every cell's raw text against the column type (a number column
   holding ``abc``, a malformed date). Pandera alone would stop at the first value it cannot parse.
2. **schema**: the pandera models of :mod:`analysis.data.schemas`, lazily, on the parsed values.
3. **cross-table**: references between tables, fiscal calendars, convertible currencies and dates,
   and rules spanning several columns.

Each problem names the file, the line of the CSV (the header is line 1), the column, the value and
the rule it breaks.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from analysis.data import schemas
from analysis.data.calendar import fiscal_period_end, fiscal_year_end_month
from analysis.data.money import ConversionError, FxRates
from analysis.paths import Paths, project_paths

__all__ = [
    "Problem",
    "DataValidationError",
    "RawTables",
    "read_table",
    "validate",
    "load_raw",
    "MONEY_COLUMNS",
    "COMPANY_REFERENCES",
]

#: (table, amount column, currency column, date column) for every money amount in the raw data.
MONEY_COLUMNS: tuple[tuple[str, str, str, str], ...] = (
    ("deals", "amount", "currency", "announced_date"),
    ("funding_rounds", "amount_raised", "currency", "announced_date"),
    ("funding_rounds", "valuation", "valuation_currency", "announced_date"),
    ("revenue", "value", "currency", "date"),
    ("capex", "capex", "currency", "period_end"),
    ("capex", "capex_high", "currency", "period_end"),
    ("capex", "revenue", "currency", "period_end"),
    ("market_shares", "market_size", "market_size_currency", "period_end"),
)

#: (table, column) pairs that must name a company of ``companies.csv``.
COMPANY_REFERENCES: tuple[tuple[str, str], ...] = (
    ("deals", "investor"),
    ("deals", "investee"),
    ("funding_rounds", "company"),
    ("revenue", "company"),
    ("capex", "company"),
    ("market_shares", "firm"),
    ("ownership", "investor"),
    ("ownership", "investee"),
    ("availability", "developer"),
    ("availability", "platform_owner"),
)

#: Allowed non-company value of ``market_shares.firm``.
OTHERS = "others"

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_INT = re.compile(r"^[+-]?\d+$")
_BOOL = {"true": True, "false": False}


@dataclass(frozen=True, order=True)
class Problem:
    """One validation problem: where it is and which rule it breaks.

    ``line`` is the CSV line (header = 1); None for problems of a whole file or column.

    Examples
    --------
    >>> str(Problem("deals.csv", 4, "amount", "-5", "must be > 0"))
    "deals.csv:4 amount '-5' -> must be > 0"
    """

    file: str
    line: int | None
    column: str | None
    value: str
    rule: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line if self.line is not None else '-'}"
        return f"{where} {self.column or '-'} {self.value!r} -> {self.rule}"


class DataValidationError(ValueError):
    """Raised with the full list of problems found in ``data/raw``."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(problems, key=_problem_sort_key)
        lines = "\n".join(f"  {p}" for p in self.problems)
        super().__init__(f"{len(self.problems)} problem(s) in the raw data:\n{lines}")


def _problem_sort_key(p: Problem) -> tuple:
    return (p.file, p.line if p.line is not None else -1, p.column or "", p.rule, p.value)


@dataclass
class RawTables:
    """Parsed raw tables plus the problems found while reading and validating them.

    ``lines`` maps each table to the CSV line number of each row (same order as the frame).
    """

    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    lines: dict[str, np.ndarray] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _kind(dtype: object) -> str:
    text = str(dtype).lower()
    if "datetime" in text:
        return "date"
    if "float" in text:
        return "float"
    if "int" in text:
        return "int"
    if "bool" in text:
        return "bool"
    return "str"


def _parse_cell(text: str, kind: str) -> tuple[object, str | None]:
    """Parse one cell's text; returns (value, error rule or None). Empty text is missing."""
    if text == "":
        return None, None
    if kind == "float":
        try:
            value = float(text)
        except ValueError:
            return None, "not a number (write plain digits, e.g. 1500000000)"
        if not np.isfinite(value):
            return None, "not a finite number"
        return value, None
    if kind == "int":
        if not _INT.match(text):
            return None, "not a whole number"
        return int(text), None
    if kind == "date":
        if not _ISO_DATE.match(text):
            return None, "not an ISO date YYYY-MM-DD"
        try:
            return pd.Timestamp(dt.date.fromisoformat(text)), None
        except ValueError:
            return None, "not a calendar date"
    if kind == "bool":
        if text.lower() not in _BOOL:
            return None, "not a boolean (true or false)"
        return _BOOL[text.lower()], None
    if text != text.strip():
        return None, "leading or trailing spaces"
    return text, None


def read_table(path: Path, model: type[pa.DataFrameModel]) -> RawTables:
    """Read one CSV, check its text against ``model`` and validate it with pandera.

    Returns a :class:`RawTables` with the single table (typed per the schema) and all problems.
    """
    name = path.stem
    result = RawTables()
    schema = model.to_schema()
    kinds = {col: _kind(spec.dtype) for col, spec in schema.columns.items()}
    file = path.name
    if not path.is_file():
        result.problems.append(Problem(file, None, None, str(path), "file is missing"))
        return result

    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        try:
            header = next(reader)
        except StopIteration:
            result.problems.append(Problem(file, 1, None, "", "file is empty (no header)"))
            return result
        records, lines = [], []
        for record in reader:
            if not any(cell.strip() for cell in record):
                continue  # blank line
            lines.append(reader.line_num)
            if len(record) != len(header):
                result.problems.append(
                    Problem(
                        file,
                        reader.line_num,
                        None,
                        f"{len(record)} fields",
                        f"expected {len(header)} fields as in the header (check quoting)",
                    )
                )
                record = (record + [""] * len(header))[: len(header)]
            records.append(record)

    for col in header:
        if col not in kinds:
            result.problems.append(Problem(file, 1, col, col, "unexpected column"))
    for col in kinds:
        if col not in header:
            result.problems.append(Problem(file, 1, col, "", "missing column"))
    if len(set(header)) != len(header):
        result.problems.append(Problem(file, 1, None, ",".join(header), "duplicate column names"))

    raw = pd.DataFrame(records, columns=header, dtype=object)
    raw = raw.loc[:, ~raw.columns.duplicated()]
    line_numbers = np.asarray(lines, dtype=int)
    bad_cells: set[tuple[int, str]] = set()
    parsed: dict[str, list[object]] = {}
    for col, kind in kinds.items():
        if col not in raw:
            continue
        values = []
        for i, text in enumerate(raw[col]):
            value, error = _parse_cell(text, kind)
            if error:
                result.problems.append(Problem(file, int(line_numbers[i]), col, text, error))
                bad_cells.add((i, col))
            values.append(value)
        parsed[col] = values

    frame = pd.DataFrame(
        {col: pd.Series(vals, dtype=object) for col, vals in parsed.items()},
        index=pd.RangeIndex(len(raw)),
    )
    missing = [c for c in kinds if c not in frame]
    if missing:
        # Without every column pandera would only report the missing ones; check what is there.
        present = {c: s for c, s in schema.columns.items() if c in frame}
        schema = schema.__class__(present, strict=False, coerce=True)
    try:
        typed = schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as err:
        typed = None
        result.problems.extend(_from_pandera(err.failure_cases, file, line_numbers, bad_cells, raw))
    if typed is None:
        typed = _coerce_leniently(frame, kinds)
    result.tables[name] = typed.reset_index(drop=True)
    result.lines[name] = line_numbers
    return result


def _coerce_leniently(frame: pd.DataFrame, kinds: dict[str, str]) -> pd.DataFrame:
    out = frame.copy()
    for col, kind in kinds.items():
        if col not in out:
            continue
        if kind == "float":
            out[col] = pd.to_numeric(out[col], errors="coerce")
        elif kind == "date":
            out[col] = pd.to_datetime(out[col], errors="coerce")
        elif kind == "int":
            out[col] = pd.to_numeric(out[col], errors="coerce").astype("Int64")
    return out


_RULES = [
    (re.compile(r"^greater_than\((.*)\)$"), "must be > {0}"),
    (re.compile(r"^greater_than_or_equal_to\((.*)\)$"), "must be >= {0}"),
    (re.compile(r"^less_than_or_equal_to\((.*)\)$"), "must be <= {0}"),
    (re.compile(r"^less_than\((.*)\)$"), "must be < {0}"),
    (re.compile(r"^in_range\((.*)\)$"), "must be in range {0}"),
    (re.compile(r"^isin\((.*)\)$"), "must be one of {0}"),
    (re.compile(r"^str_matches\('?(.*?)'?\)$"), "must match the pattern {0}"),
    (re.compile(r"^str_length\((.*)\)$"), "length must be in {0}"),
]
_FIXED = {
    "not_nullable": "required: must not be empty",
    "field_uniqueness": "duplicate key: must be unique",
    "column_in_dataframe": "missing column",
    "column_in_schema": "unexpected column",
}


def _rule_text(check: str) -> str:
    if check in _FIXED:
        return _FIXED[check]
    for pattern, template in _RULES:
        match = pattern.match(check)
        if match:
            arg = match.group(1).replace(" 00:00:00", "")
            return template.format(arg)
    if check.startswith("coerce_dtype"):
        return f"cannot be read as {check.removeprefix('coerce_dtype')}"
    return check


def _from_pandera(
    cases: pd.DataFrame,
    file: str,
    lines: np.ndarray,
    skip: set[tuple[int, str]],
    raw: pd.DataFrame,
) -> list[Problem]:
    problems = []
    for case in cases.itertuples(index=False):
        column = case.column if isinstance(case.column, str) else None
        index = case.index
        if column is not None and pd.notna(index) and (int(index), column) in skip:
            continue
        line = int(lines[int(index)]) if pd.notna(index) and len(lines) > int(index) else None
        value = case.failure_case
        if column in raw and pd.notna(index) and int(index) < len(raw):
            text = str(raw[column].iloc[int(index)])  # the cell as written in the CSV
        elif isinstance(value, pd.Timestamp):
            text = value.date().isoformat()
        elif value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NaT:
            text = ""
        else:
            text = str(value)
        if case.check == "column_in_dataframe":
            continue  # reported by the header check
        problems.append(Problem(file, line, column, text, _rule_text(str(case.check))))
    return problems


def _cross_checks(raw: RawTables, fx: FxRates, today: dt.date) -> list[Problem]:
    t, lines = raw.tables, raw.lines
    problems: list[Problem] = []

    def add(table: str, i: int, column: str, value: object, rule: str) -> None:
        problems.append(Problem(f"{table}.csv", int(lines[table][i]), column, _text(value), rule))

    companies = set(t["companies"]["company_id"].dropna()) if "companies" in t else set()
    for table, column in COMPANY_REFERENCES:
        frame = t.get(table)
        if frame is None or column not in frame:
            continue
        for i, value in enumerate(frame[column]):
            if pd.isna(value) or value in companies:
                continue
            if table == "market_shares" and value == OTHERS:
                continue
            add(table, i, column, value, "unknown company: not a company_id of companies.csv")

    deals, rounds = t.get("deals"), t.get("funding_rounds")
    if deals is not None and rounds is not None and "round_id" in deals:
        known = set(rounds["round_id"].dropna()) if "round_id" in rounds else set()
        alternate = (
            set(rounds.loc[rounds["alternate_of"].notna(), "round_id"])
            if "alternate_of" in rounds
            else set()
        )
        for i, value in enumerate(deals["round_id"]):
            if pd.isna(value):
                continue
            if value not in known:
                rule = "unknown round: not a round_id of funding_rounds"
                add("deals", i, "round_id", value, rule)
            elif value in alternate:
                rule = "names an alternate version of a round; link the row the analysis uses"
                add("deals", i, "round_id", value, rule)

    for table, amount, currency, date in MONEY_COLUMNS:
        frame = t.get(table)
        if frame is None or not {amount, currency, date} <= set(frame.columns):
            continue
        for i, (value, cur, when) in enumerate(
            zip(frame[amount], frame[currency], frame[date], strict=True)
        ):
            if pd.notna(cur) and cur != "USD" and cur not in fx.currencies:
                add(table, i, currency, cur, "unknown currency: not in the ECB reference rates")
                continue
            if pd.isna(value):
                continue
            if pd.isna(cur):
                add(table, i, currency, "", f"required when {amount} is given")
                continue
            if pd.isna(when):
                continue
            try:
                fx.usd_per_unit(str(cur), when)
            except ConversionError as err:
                add(table, i, currency, cur, f"cannot convert to USD: {err}")

    for table, frame in t.items():
        if table == "companies" or "source_date" not in frame:
            continue
        for i, when in enumerate(frame["source_date"]):
            if pd.notna(when) and when.date() > today:
                add(table, i, "source_date", when.date(), f"in the future (after {today})")

    capex = t.get("capex")
    if capex is not None and {"company", "fiscal_year", "fiscal_quarter", "period_end"} <= set(
        capex.columns
    ):
        for i, row in enumerate(capex.itertuples(index=False)):
            if pd.isna(row.fiscal_year) or pd.isna(row.period_end) or pd.isna(row.company):
                continue
            quarter = None if pd.isna(row.fiscal_quarter) else int(row.fiscal_quarter)
            if quarter is not None and not 1 <= quarter <= 4:
                continue
            expected = fiscal_period_end(
                int(row.fiscal_year), quarter, fiscal_year_end_month(row.company)
            )
            if row.period_end.date() != expected:
                label = f"FY{int(row.fiscal_year)}" + (f" Q{quarter}" if quarter else "")
                add(
                    "capex",
                    i,
                    "period_end",
                    row.period_end.date(),
                    f"{label} of {row.company} ends on {expected}",
                )
            if quarter is not None and pd.isna(getattr(row, "revenue", np.nan)):
                add("capex", i, "revenue", "", "required for a quarterly row")
        if {"capex", "capex_high"} <= set(capex.columns):
            for i, (low, high) in enumerate(zip(capex["capex"], capex["capex_high"], strict=True)):
                if pd.notna(low) and pd.notna(high) and high < low:
                    add("capex", i, "capex_high", high, "must be >= capex (low end)")

    shares = t.get("market_shares")
    if shares is not None and {"period_start", "period_end"} <= set(shares.columns):
        for i, (start, end) in enumerate(
            zip(shares["period_start"], shares["period_end"], strict=True)
        ):
            if pd.notna(start) and pd.notna(end) and end < start:
                add("market_shares", i, "period_end", end.date(), "before period_start")
        group = ["market", "series", "measure", "period_start", "period_end", "source_url"]
        if set(group) | {"share"} <= set(shares.columns):
            grouped = shares.groupby(group, dropna=False)["share"]
            totals, counts = grouped.transform("sum"), grouped.transform("size")
            for i, (total, n) in enumerate(zip(totals, counts, strict=True)):
                # published shares are rounded: each may be up to half a point high
                if pd.notna(total) and total > 100 + 0.5 * n:
                    add(
                        "market_shares",
                        i,
                        "share",
                        shares["share"].iloc[i],
                        f"shares of this period and source sum to {total:g} (> 100 plus rounding)",
                    )

    for table in schemas.ALTERNATE_TABLES:
        frame = t.get(table)
        key = schemas.KEYS[table]
        if frame is None or "alternate_of" not in frame or key not in frame:
            continue
        ids = set(frame[key].dropna())
        alternates = dict(zip(frame[key], frame["alternate_of"], strict=True))
        for i, (row_id, target) in enumerate(zip(frame[key], frame["alternate_of"], strict=True)):
            if pd.isna(target):
                continue
            if target == row_id:
                add(table, i, "alternate_of", target, "a row cannot be an alternate of itself")
            elif target not in ids:
                add(table, i, "alternate_of", target, f"unknown {key} in {table}.csv")
            else:
                seen, step = {row_id}, target
                while pd.notna(step) and step in ids and step not in seen:
                    seen.add(step)
                    step = alternates.get(step)
                if pd.notna(step) and step in seen:
                    add(
                        table,
                        i,
                        "alternate_of",
                        target,
                        "the chain of alternate_of links loops back; it must end at a preferred row",
                    )

    avail = t.get("availability")
    if avail is not None and {"available_from", "exclusive_until"} <= set(avail.columns):
        for i, (start, end) in enumerate(
            zip(avail["available_from"], avail["exclusive_until"], strict=True)
        ):
            if pd.notna(start) and pd.notna(end) and end < start:
                add("availability", i, "exclusive_until", end.date(), "before available_from")
    return problems


def _text(value: object) -> str:
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    return str(value)


def validate(
    paths: Paths | None = None, fx: FxRates | None = None, today: dt.date | None = None
) -> RawTables:
    """Read and validate every raw table; collect all problems instead of stopping at the first.

    Parameters
    ----------
    paths : Paths, optional
        Project folders (default :func:`analysis.paths.project_paths`).
    fx : FxRates, optional
        Exchange-rate source used to check that amounts can be converted.
    today : date, optional
        Reference date for "source date in the future" (default: today's date).

    Returns
    -------
    RawTables
        Typed tables, CSV line numbers and the sorted list of problems (empty when valid).
    """
    paths = paths or project_paths()
    fx = fx or FxRates()
    today = today or dt.date.today()
    raw = RawTables()
    for name, model in schemas.SCHEMAS.items():
        one = read_table(paths.raw / f"{name}.csv", model)
        raw.tables.update(one.tables)
        raw.lines.update(one.lines)
        raw.problems.extend(one.problems)
    raw.problems.extend(_cross_checks(raw, fx, today))
    raw.problems = sorted(set(raw.problems), key=_problem_sort_key)
    return raw


def load_raw(paths: Paths | None = None, fx: FxRates | None = None) -> dict[str, pd.DataFrame]:
    """The validated raw tables; raises :class:`DataValidationError` listing every problem."""
    raw = validate(paths, fx=fx)
    if raw.problems:
        raise DataValidationError(raw.problems)
    return raw.tables
