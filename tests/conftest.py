"""Shared fixtures: a throw-away copy of the project's data folders."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from analysis.paths import Paths, project_paths

REPO = project_paths().root


def copy_project(root: Path) -> Paths:
    """A project layout under ``root`` with copies of the shipped ``data/raw`` and notebooks."""
    paths = Paths.under(root)
    shutil.copytree(REPO / "data" / "raw", paths.raw)
    paths.processed.mkdir(parents=True)
    shutil.copytree(REPO / "notebooks", paths.notebooks)
    (root / "pyproject.toml").write_text("# test project\n")
    return paths


@pytest.fixture
def project(tmp_path: Path) -> Paths:
    """A fresh copy of the project (data and notebooks) for one test."""
    return copy_project(tmp_path)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Paths:
    """A copy of the project with ``data/processed`` built, shared by one test module.

    The shipped data must validate (see test_validation); a failure here is a real failure.
    """
    from analysis.data.build import build

    paths = copy_project(tmp_path_factory.mktemp("built"))
    build(paths)
    return paths


def read_rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def write_rows(path: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def append_row(path: Path, **values: str) -> int:
    """Append a row (columns not given are empty); returns its CSV line number."""
    header, rows = read_rows(path)
    rows.append({col: values.get(col, "") for col in header})
    write_rows(path, header, rows)
    return len(rows) + 1


VALID_DEAL = {
    "deal_id": "test-deal-0001",
    "investor": "microsoft",
    "investee": "mistral_ai",
    "announced_date": "2024-02-26",
    "deal_type": "convertible_note",
    "amount": "15000000",
    "currency": "EUR",
    "amount_qualifier": "exact",
    "status": "reported",
    "source_url": "https://example.org/test-fixture",
    "source_title": "Test fixture row",
    "publisher": "Test",
    "source_date": "2024-02-27",
    "note": "synthetic row used only by the tests",
}
