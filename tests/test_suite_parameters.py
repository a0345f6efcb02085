"""Parameters: read from the annotated cell with ast, coerced by annotation, all problems at once."""

from __future__ import annotations

import ast
import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from analysis.paths import Paths
from analysis.suite.parameters import (
    Parameter,
    ParameterError,
    coerce,
    injection_source,
    read_parameters,
)
from analysis.suite.plan import load_yaml, plan

EVIL = "x'); import os; os.system('touch PWNED'); ('"

CELL = """\
import datetime
as_of: str = "latest"  # ISO date or latest
top_n: int = 15
share: float = 0.5
strict: bool = False
start: date = datetime.date(2020, 1, 1)
scenario: Literal["low", "base", "high"] = "base"
companies: list[str] = ["microsoft", "amazon"]
cap: int | None = None
input_dir: str = "data/raw"
output_dir: str = ""
"""


def _notebook(source: str) -> dict:
    return {
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": "# 98 test"},
            {
                "cell_type": "code",
                "metadata": {"tags": ["parameters"]},
                "source": source,
                "outputs": [],
                "execution_count": None,
            },
        ],
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3"}},
        "nbformat": 4,
        "nbformat_minor": 4,
    }


@pytest.fixture
def tiny(tmp_path: Path) -> Paths:
    paths = Paths.under(tmp_path)
    paths.notebooks.mkdir(parents=True)
    paths.raw.mkdir(parents=True)
    (paths.notebooks / "98_typed.ipynb").write_text(json.dumps(_notebook(CELL)))
    (paths.notebooks / "97_other.ipynb").write_text(json.dumps(_notebook('as_of: str = "latest"')))
    (paths.notebooks / "suite.yml").write_text(
        "variants:\n  seed-article:\n    parameters:\n      as_of: 2024-02-26\n"
    )
    return paths


def test_cell_is_read_without_running_it():
    params = {p.name: p for p in read_parameters(CELL)}
    assert [p for p in params] == [
        "as_of",
        "top_n",
        "share",
        "strict",
        "start",
        "scenario",
        "companies",
        "cap",
        "input_dir",
        "output_dir",
    ]
    assert params["as_of"].help == "ISO date or latest"
    assert (params["top_n"].kind, params["top_n"].default) == ("int", 15)
    assert params["start"].kind == "date" and params["start"].default is None  # not a literal
    assert params["scenario"].choices == ("low", "base", "high")
    assert (params["companies"].kind, params["companies"].item) == ("list", "str")
    assert params["cap"].optional and params["cap"].kind == "int"
    assert read_parameters("import os; os.system('touch PWNED')") == []


def test_unsupported_annotation_is_reported():
    with pytest.raises(ParameterError, match="unsupported annotation"):
        read_parameters("x: dict = {}")


@pytest.mark.parametrize(
    ("param", "text", "expected"),
    [
        (Parameter("n", "int"), "0012", 12),
        (Parameter("n", "int"), "-3", -3),
        (Parameter("x", "float"), "1e3", 1000.0),
        (Parameter("b", "bool"), "NO", False),
        (Parameter("b", "bool"), "yes", True),
        (Parameter("s", "str"), "12:30", "12:30"),
        (Parameter("s", "str"), "NO", "NO"),
        (Parameter("d", "date"), "2024-02-26", dt.date(2024, 2, 26)),
        (Parameter("xs", "list", item="int"), "[1, 2,3]", [1, 2, 3]),
        (Parameter("xs", "list", item="str"), "", []),
        (Parameter("c", "literal", choices=("low", "base")), "low", "low"),
        (Parameter("c", "literal", choices=(1, 2)), "2", 2),
        (Parameter("n", "int", optional=True), "none", None),
    ],
)
def test_coercion_by_annotation(param, text, expected):
    assert coerce(param, text) == expected


@pytest.mark.parametrize(
    ("param", "text", "reason"),
    [
        (Parameter("n", "int"), "ten", "expected an integer"),
        (Parameter("n", "int"), "1.5", "expected an integer"),
        (Parameter("x", "float"), "nan", "finite"),
        (Parameter("b", "bool"), "maybe", "true or false"),
        (Parameter("d", "date"), "2024-2-26", "YYYY-MM-DD"),
        (Parameter("d", "date"), "2024-02-30", "YYYY-MM-DD"),
        (Parameter("c", "literal", choices=("low", "base")), "extreme", "is not one of"),
    ],
)
def test_wrong_values_are_refused(param, text, reason):
    with pytest.raises(ValueError, match=reason):
        coerce(param, text)


def test_as_of_is_an_iso_date_or_latest_even_when_annotated_str():
    param = Parameter("as_of", "str")
    assert coerce(param, "latest") == "latest"
    assert coerce(param, "2024-02-26") == "2024-02-26"
    for bad in ("2024-02-30", "yesterday", "2024-2-26"):
        with pytest.raises(ValueError, match="YYYY-MM-DD or latest"):
            coerce(param, bad)


def test_paths_must_stay_inside_the_project(tmp_path):
    param = Parameter("input_dir", "str")
    assert coerce(param, "data/raw", tmp_path) == "data/raw"
    for bad in ("../outside", "/etc", "data/../../x"):
        with pytest.raises(ValueError, match="outside the project"):
            coerce(param, bad, tmp_path)


def test_injected_values_are_literals_never_code():
    source = injection_source(
        {"as_of": EVIL, "n": 3, "xs": ["a", 'b"'], "d": dt.date(2024, 2, 26), "nl": "a\nb"}
    )
    tree = ast.parse(source)
    namespace: dict = {}
    exec(compile(source, "<injected>", "exec"), namespace)  # the kernel does exactly this
    assert namespace["as_of"] == EVIL and namespace["nl"] == "a\nb"
    assert namespace["d"] == dt.date(2024, 2, 26)
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call)]
    assert [ast.unparse(c.func) for c in calls] == ["datetime.date"]  # only the date constructor
    for name in ("a=1;import os", "x y", "1x", "__import__('os')"):
        with pytest.raises(ValueError, match="not a parameter name"):
            injection_source({name: 1})


def test_every_problem_is_listed_at_once(tiny):
    with pytest.raises(ParameterError) as err:
        plan(
            tiny,
            ["98_typed", "99_missing"],
            [
                ("top_n", "ten"),
                ("scenario", "extreme"),
                ("nope", "1"),
                ("a=1;import os", "1"),
                ("input_dir", "../../etc"),
                ("output_dir", "/tmp"),
                ("start", "26/02/2024"),
            ],
            variant="no-such-variant",
        )
    text = "\n".join(err.value.problems)
    for part in (
        "unknown notebook '99_missing'",
        "top_n (int): expected an integer, got 'ten'",
        "scenario",
        "is not one of",
        "no selected notebook declares 'nope'",
        "no selected notebook declares 'a=1;import os'",
        "outside the project",
        "output_dir is set by the runner",
        "YYYY-MM-DD",
        "unknown variant 'no-such-variant'",
    ):
        assert part in text, (part, text)
    assert len(err.value.problems) == 9


def test_values_layer_variant_then_file_then_cli(tiny, tmp_path):
    params_file = tmp_path / "params.yml"
    params_file.write_text("top_n: 0012\nstrict: NO\n98_typed:\n  scenario: high\n")
    (job,) = plan(tiny, ["98_typed"], [("share", "0.25")], [params_file], "seed-article")
    assert job.values["as_of"] == "2024-02-26"  # variant, a string by annotation
    assert job.values["top_n"] == 12  # YAML 1.1 would make it 10
    assert job.values["strict"] is False
    assert job.values["scenario"] == "high"
    assert job.values["share"] == 0.25
    (job,) = plan(tiny, ["98_typed"], [("as_of", "2023-01-01")], [], "seed-article")
    assert job.values["as_of"] == "2023-01-01"  # -p wins over the variant
    jobs = plan(tiny, [], [("98_typed.top_n", "3")])
    assert {j.name: j.values.get("top_n") for j in jobs} == {"97_other": None, "98_typed": 3}


def test_yaml_is_loaded_as_strings_and_tags_are_refused(tmp_path):
    good = tmp_path / "a.yml"
    good.write_text("a: NO\nb: 0012\nc: 12:30\nd: 2024-02-26\ne: [1, x]\n")
    assert load_yaml(good) == {
        "a": "NO",
        "b": "0012",
        "c": "12:30",
        "d": "2024-02-26",
        "e": ["1", "x"],
    }
    bad = tmp_path / "b.yml"
    bad.write_text("a: !!binary aGVsbG8=\nb: !!python/object/apply:os.system ['touch PWNED']\n")
    with pytest.raises(ParameterError):
        load_yaml(bad)
    assert not Path("PWNED").exists()


def test_cli_reports_problems_with_exit_2(tiny, monkeypatch):
    from analysis.cli import main

    monkeypatch.setenv("ANALYSIS_ROOT", str(tiny.root))
    result = CliRunner().invoke(main, ["run", "-p", "top_n", "ten", "-p", "nope", "1"])
    assert result.exit_code == 2
    assert "2 problem(s); no notebook was started" in result.output
    assert "expected an integer" in result.output and "'nope'" in result.output
    assert not (tiny.reports / "manifest.json").exists()


def test_cli_list_shows_parameters_and_variants(tiny, monkeypatch):
    from analysis.cli import main

    monkeypatch.setenv("ANALYSIS_ROOT", str(tiny.root))
    result = CliRunner().invoke(main, ["list"])
    assert result.exit_code == 0, result.output
    assert "98_typed" in result.output
    assert "top_n: int = 15" in result.output
    assert "scenario: Literal['low', 'base', 'high'] = 'base'" in result.output
    assert "seed-article: as_of=2024-02-26" in result.output


def test_shipped_suite_file_has_the_seed_article_variant():
    from analysis.paths import project_paths

    paths = project_paths()
    jobs = plan(paths, ["00_data_overview"], variant="seed-article")
    assert jobs[0].values["as_of"] == "2024-02-26"
