"""Validation of data/raw: every class of error is reported with file, line and column."""

from __future__ import annotations

import hashlib
import subprocess
import sys

import pytest
from conftest import VALID_DEAL, append_row, read_rows, write_rows

from analysis.data.build import build
from analysis.data.sources import DataValidationError, Problem, validate


def problems_for(paths, **changes) -> list[Problem]:
    line = append_row(paths.raw / "deals.csv", **{**VALID_DEAL, **changes})
    found = validate(paths).problems
    return [p for p in found if p.file == "deals.csv" and p.line == line]


def test_shipped_data_is_valid(project):
    assert validate(project).problems == []


def test_valid_fixture_row_passes(project):
    assert problems_for(project) == []


@pytest.mark.parametrize(
    ("changes", "column", "rule_part"),
    [
        ({"amount": "abc"}, "amount", "not a number"),
        ({"announced_date": "2024-02-30"}, "announced_date", "not a calendar date"),
        ({"announced_date": "26/02/2024"}, "announced_date", "ISO date"),
        ({"amount": "-15000000"}, "amount", "> 0"),
        ({"currency": "XYZ"}, "currency", "unknown currency"),
        ({"deal_type": "handshake"}, "deal_type", "must be one of"),
        ({"status": "confirmed"}, "status", "must be one of"),
        ({"source_url": ""}, "source_url", "must not be empty"),
        ({"source_url": "example.org/no-scheme"}, "source_url", "pattern"),
        ({"publisher": ""}, "publisher", "must not be empty"),
        ({"investee": "no_such_lab"}, "investee", "unknown company"),
        ({"round_id": "no_such_round-2024-01"}, "round_id", "unknown round"),
        ({"source_date": "2999-01-01"}, "source_date", "in the future"),
        ({"announced_date": "1989-12-31", "currency": "USD"}, "announced_date", ">= 1990"),
    ],
)
def test_each_error_class_names_file_line_and_column(project, changes, column, rule_part):
    found = problems_for(project, **changes)
    assert [p.column for p in found] == [column], found
    assert rule_part in found[0].rule
    assert str(found[0]).startswith("deals.csv:")


def test_duplicate_key_reports_both_rows(project):
    first = append_row(project.raw / "deals.csv", **VALID_DEAL)
    second = append_row(project.raw / "deals.csv", **VALID_DEAL)
    dups = [p for p in validate(project).problems if "duplicate key" in p.rule]
    assert {(p.file, p.line, p.column) for p in dups} == {
        ("deals.csv", first, "deal_id"),
        ("deals.csv", second, "deal_id"),
    }


def test_missing_column_is_reported(project):
    header, rows = read_rows(project.raw / "funding_rounds.csv")
    header.remove("valuation_basis")
    for row in rows:
        row.pop("valuation_basis")
    write_rows(project.raw / "funding_rounds.csv", header, rows)
    found = validate(project).problems
    assert Problem("funding_rounds.csv", 1, "valuation_basis", "", "missing column") in found


def test_unparsable_value_does_not_hide_rule_errors_of_other_rows(project):
    bad_text = append_row(project.raw / "deals.csv", **{**VALID_DEAL, "amount": "abc"})
    bad_rule = append_row(
        project.raw / "deals.csv", **{**VALID_DEAL, "deal_id": "test-deal-0002", "amount": "-1"}
    )
    found = {(p.line, p.column) for p in validate(project).problems}
    assert (bad_text, "amount") in found
    assert (bad_rule, "amount") in found


def test_capex_period_end_must_match_the_fiscal_calendar(project):
    line = append_row(
        project.raw / "capex.csv",
        capex_id="test-capex-1",
        company="microsoft",
        fiscal_year="2024",
        fiscal_quarter="1",
        period_end="2024-03-31",  # FY24 Q1 of Microsoft ends 2023-09-30
        capex="100",
        currency="USD",
        measure="purchases_ppe",
        revenue="1000",
        status="announced",
        source_url="https://example.org/x",
        source_title="Test fixture",
        publisher="Test",
        source_date="2024-04-01",
    )
    found = [p for p in validate(project).problems if p.line == line]
    assert [(p.column, p.rule) for p in found] == [
        ("period_end", "FY2024 Q1 of microsoft ends on 2023-09-30")
    ]


def test_acceptance_copy_with_four_errors(project):
    """The issue's acceptance case: missing column, negative amount, bad date, duplicate key."""
    header, rows = read_rows(project.raw / "revenue.csv")
    header.remove("value_qualifier")
    for row in rows:
        row.pop("value_qualifier")
    write_rows(project.raw / "revenue.csv", header, rows)
    neg = append_row(project.raw / "deals.csv", **{**VALID_DEAL, "amount": "-5"})
    bad_date = append_row(
        project.raw / "deals.csv",
        **{**VALID_DEAL, "deal_id": "test-deal-0002", "announced_date": "2024-13-01"},
    )
    dup = append_row(project.raw / "deals.csv", **VALID_DEAL)
    processed_before = _digest(project.processed)

    env = {"ANALYSIS_ROOT": str(project.root), "PATH": ""}
    cli = [sys.executable, "-m", "analysis.cli"]
    result = subprocess.run([*cli, "data", "validate"], capture_output=True, text=True, env=env)
    assert result.returncode == 1
    out = result.stderr
    assert "revenue.csv:1 value_qualifier '' -> missing column" in out
    assert f"deals.csv:{neg} amount '-5' -> must be > 0" in out
    assert f"deals.csv:{bad_date} announced_date '2024-13-01' -> not a calendar date" in out
    assert f"deals.csv:{dup} deal_id 'test-deal-0001' -> duplicate key" in out

    built = subprocess.run([*cli, "data", "build"], capture_output=True, text=True, env=env)
    assert built.returncode == 1
    assert _digest(project.processed) == processed_before
    with pytest.raises(DataValidationError):
        build(project)
    assert _digest(project.processed) == processed_before


def _digest(folder) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_build_after_success_then_failure_keeps_previous_output(project):
    build(project)
    before = _digest(project.processed)
    assert "deals.parquet" in before
    append_row(project.raw / "deals.csv", **{**VALID_DEAL, "currency": "XYZ"})
    with pytest.raises(DataValidationError) as err:
        build(project)
    assert "unknown currency" in str(err.value)
    assert _digest(project.processed) == before


def test_alternate_of_must_name_a_row_of_the_same_table_and_never_loop(project):
    append_row(project.raw / "deals.csv", **VALID_DEAL)
    ok = append_row(
        project.raw / "deals.csv",
        **{**VALID_DEAL, "deal_id": "test-deal-0001-alt", "alternate_of": "test-deal-0001"},
    )
    unknown = append_row(
        project.raw / "deals.csv",
        **{**VALID_DEAL, "deal_id": "test-deal-0002", "alternate_of": "no-such-deal"},
    )
    chained = append_row(  # a chain that ends at a preferred row is a ranking: allowed
        project.raw / "deals.csv",
        **{**VALID_DEAL, "deal_id": "test-deal-0003", "alternate_of": "test-deal-0001-alt"},
    )
    loop_a = append_row(
        project.raw / "deals.csv",
        **{**VALID_DEAL, "deal_id": "test-deal-0004", "alternate_of": "test-deal-0005"},
    )
    loop_b = append_row(
        project.raw / "deals.csv",
        **{**VALID_DEAL, "deal_id": "test-deal-0005", "alternate_of": "test-deal-0004"},
    )
    found = {p.line: p.rule for p in validate(project).problems if p.column == "alternate_of"}
    assert ok not in found and chained not in found
    assert "unknown deal_id" in found[unknown]
    assert "loops back" in found[loop_a] and "loops back" in found[loop_b]


def test_round_link_must_name_the_version_the_analysis_uses(project):
    rounds = project.raw / "funding_rounds.csv"
    header, rows = read_rows(rounds)
    alternate = next(r["round_id"] for r in rows if r["alternate_of"])
    line = append_row(project.raw / "deals.csv", **{**VALID_DEAL, "round_id": alternate})
    found = [p for p in validate(project).problems if p.line == line and p.file == "deals.csv"]
    assert [(p.column, "alternate version" in p.rule) for p in found] == [("round_id", True)]
