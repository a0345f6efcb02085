"""Documentation and packaging stay in step with the code."""

from __future__ import annotations

import re
import tomllib

import yaml

from analysis.data.schemas import SCHEMAS
from analysis.paths import project_paths

ROOT = project_paths().root


def documented_columns() -> dict[str, set[str]]:
    """Columns listed in the data dictionary's tables, per CSV file section."""
    text = (ROOT / "data" / "raw" / "README.md").read_text()
    sections = re.split(r"^## ", text, flags=re.M)
    found: dict[str, set[str]] = {}
    shared: set[str] = set()
    for section in sections:
        title = section.splitlines()[0] if section else ""
        columns = set()
        for line in section.splitlines():
            match = re.match(r"^\| ([a-z_][a-z0-9_, ]*) \|", line)
            if match and match.group(1) != "column":
                columns.update(c.strip() for c in match.group(1).split(","))
        stem = re.match(r"([a-z_]+)\.csv", title)
        if stem:
            found[stem.group(1)] = columns
        elif title.startswith("Provenance columns"):
            shared = columns
    return {name: cols if name == "companies" else cols | shared for name, cols in found.items()}


def test_every_column_is_documented():
    docs = documented_columns()
    for name, model in SCHEMAS.items():
        assert name in docs, f"data/raw/README.md has no section for {name}.csv"
        missing = set(model.to_schema().columns) - docs[name]
        assert not missing, f"{name}.csv columns not documented in data/raw/README.md: {missing}"


def test_documented_columns_exist():
    docs = documented_columns()
    for name, model in SCHEMAS.items():
        extra = docs[name] - set(model.to_schema().columns)
        assert not extra, f"README documents columns {name}.csv does not have: {extra}"


def test_csv_headers_match_the_schemas():
    for name, model in SCHEMAS.items():
        header = (ROOT / "data" / "raw" / f"{name}.csv").read_text().splitlines()[0].split(",")
        assert set(header) == set(model.to_schema().columns), name


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[ ;]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_environment_yml_lists_the_same_packages_as_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = {_name(r) for r in project["dependencies"]}
    wanted |= {_name(r) for r in project["optional-dependencies"]["test"]}
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda, pip = set(), []
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            pip.extend(dep.get("pip", []))
        else:
            conda.add(_name(dep))
    conda.discard("python")
    conda.discard("pip")
    # conda-forge names that differ from PyPI's
    conda = {{"pytables": "tables"}.get(c, c) for c in conda}
    pip_names = {_name(p) for p in pip if not p.startswith("-e")}
    assert conda | pip_names == wanted
    assert any(p.startswith("-e") for p in pip), "environment.yml must install the package itself"


def test_requirements_lock_pins_everything_with_hashes_and_no_index_urls():
    lock = (ROOT / "requirements.lock").read_text()
    pins = re.findall(r"^([A-Za-z0-9_.\-]+)==", lock, flags=re.M)
    assert {"pandas", "pandera", "papermill", "currencyconverter", "cpi"} <= {
        p.lower() for p in pins
    }
    assert "--hash=sha256:" in lock
    assert not re.search(r"--(extra-)?index-url|https?://", lock)
