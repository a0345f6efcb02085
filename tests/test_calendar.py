"""Fiscal to calendar quarters (Microsoft's fiscal year ends 30 June)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from analysis.data.calendar import (
    calendar_quarters,
    fiscal_period_end,
    fiscal_quarter_of,
    fiscal_to_calendar,
)


def test_microsoft_july_to_september_is_fiscal_q1():
    for day in (dt.date(2023, 7, 1), dt.date(2023, 8, 15), dt.date(2023, 9, 30)):
        assert fiscal_quarter_of(day, year_end_month=6) == (2024, 1)
    assert fiscal_quarter_of(dt.date(2023, 6, 30), year_end_month=6) == (2023, 4)


def test_calendar_2024_is_fy24_q3_q4_and_fy25_q1_q2():
    assert calendar_quarters(2024, "microsoft") == [(2024, 3), (2024, 4), (2025, 1), (2025, 2)]
    assert calendar_quarters(2023, "microsoft") == [(2023, 3), (2023, 4), (2024, 1), (2024, 2)]


def test_period_ends():
    assert fiscal_period_end(2025, 2, year_end_month=6) == dt.date(2024, 12, 31)
    assert fiscal_period_end(2025, 3, year_end_month=6) == dt.date(2025, 3, 31)
    assert fiscal_period_end(2024, 1) == dt.date(2024, 3, 31)
    assert fiscal_period_end(2024) == dt.date(2024, 12, 31)


@given(
    st.dates(min_value=dt.date(1995, 1, 1), max_value=dt.date(2060, 12, 31)),
    st.sampled_from([3, 6, 9, 12]),
)
def test_round_trip_to_the_calendar_quarter_containing_the_date(day, end_month):
    fiscal_year, quarter = fiscal_quarter_of(day, end_month)
    assert fiscal_to_calendar(fiscal_year, quarter, end_month) == (
        day.year,
        (day.month - 1) // 3 + 1,
    )
    assert fiscal_period_end(fiscal_year, quarter, end_month) >= day
