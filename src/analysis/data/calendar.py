"""Fiscal and calendar quarters.

Companies report in fiscal years of their own. Microsoft's fiscal year ends on 30 June
(FY2024 = July 2023 to June 2024, July-September = FY Q1); Alphabet, Amazon and Meta report on
calendar years. Everything the models compare is put on calendar quarters first.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

__all__ = [
    "FISCAL_YEAR_END_MONTH",
    "fiscal_year_end_month",
    "fiscal_quarter_of",
    "fiscal_to_calendar",
    "fiscal_period_end",
    "calendar_quarters",
]

#: Month in which each company's fiscal year ends (12 = calendar year). Companies not listed
#: report on calendar years.
FISCAL_YEAR_END_MONTH: dict[str, int] = {"microsoft": 6}


def fiscal_year_end_month(company: str) -> int:
    """Month (1-12) in which ``company``'s fiscal year ends.

    Examples
    --------
    >>> fiscal_year_end_month("microsoft"), fiscal_year_end_month("alphabet")
    (6, 12)
    """
    return FISCAL_YEAR_END_MONTH.get(company, 12)


def fiscal_quarter_of(date: dt.date, year_end_month: int = 12) -> tuple[int, int]:
    """Fiscal year and quarter (1-4) that contain ``date``.

    The fiscal year is named after the calendar year in which it ends.

    Examples
    --------
    >>> fiscal_quarter_of(dt.date(2023, 9, 30), year_end_month=6)   # Microsoft
    (2024, 1)
    >>> fiscal_quarter_of(dt.date(2024, 6, 30), year_end_month=6)
    (2024, 4)
    >>> fiscal_quarter_of(dt.date(2024, 2, 1))
    (2024, 1)
    """
    start_month = year_end_month % 12 + 1  # first month of the fiscal year
    months_in = (date.month - start_month) % 12
    fiscal_year = date.year + (1 if year_end_month != 12 and date.month > year_end_month else 0)
    return fiscal_year, months_in // 3 + 1


def fiscal_to_calendar(
    fiscal_year: int, fiscal_quarter: int, year_end_month: int = 12
) -> tuple[int, int]:
    """Calendar year and quarter of a fiscal quarter.

    Only fiscal years ending in a quarter-end month (3, 6, 9, 12) map one to one.

    Examples
    --------
    >>> fiscal_to_calendar(2024, 1, year_end_month=6)   # Microsoft FY24 Q1 = July-Sept 2023
    (2023, 3)
    >>> fiscal_to_calendar(2025, 2, year_end_month=6)
    (2024, 4)
    >>> fiscal_to_calendar(2025, 2)
    (2025, 2)
    """
    if year_end_month % 3:
        raise ValueError(f"fiscal year ending in month {year_end_month} is not quarter-aligned")
    if not 1 <= fiscal_quarter <= 4:
        raise ValueError(f"fiscal quarter must be 1-4, got {fiscal_quarter}")
    end = fiscal_period_end(fiscal_year, fiscal_quarter, year_end_month)
    return end.year, (end.month - 1) // 3 + 1


def fiscal_period_end(
    fiscal_year: int, fiscal_quarter: int | None = None, year_end_month: int = 12
) -> dt.date:
    """Last day of a fiscal quarter, or of the fiscal year when ``fiscal_quarter`` is None.

    Examples
    --------
    >>> fiscal_period_end(2024, 1, year_end_month=6)
    datetime.date(2023, 9, 30)
    >>> fiscal_period_end(2024, year_end_month=6)
    datetime.date(2024, 6, 30)
    """
    quarter = 4 if fiscal_quarter is None else fiscal_quarter
    months_before_end = 3 * (4 - quarter)
    month_index = fiscal_year * 12 + (year_end_month - 1) - months_before_end
    year, month0 = divmod(month_index, 12)
    last = pd.Timestamp(year=year, month=month0 + 1, day=1) + pd.offsets.MonthEnd(0)
    return last.date()


def calendar_quarters(year: int, company: str) -> list[tuple[int, int]]:
    """The fiscal (year, quarter) pairs that make up calendar ``year`` for ``company``.

    Examples
    --------
    >>> calendar_quarters(2024, "microsoft")
    [(2024, 3), (2024, 4), (2025, 1), (2025, 2)]
    >>> calendar_quarters(2024, "meta")
    [(2024, 1), (2024, 2), (2024, 3), (2024, 4)]
    """
    end_month = fiscal_year_end_month(company)
    return [
        fiscal_quarter_of(dt.date(year, 3 * q, 1), end_month)  # a month inside calendar Q q
        for q in range(1, 5)
    ]
