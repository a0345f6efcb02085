"""Figures and tables: deterministic files with the house style."""

from __future__ import annotations

import hashlib
import json

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from analysis import figures, tables  # noqa: E402


def _figure():
    figures.use_style()
    fig, ax = plt.subplots(figsize=figures.ONE_COLUMN)
    ax.plot([2019, 2020, 2021], [10, 20, 15], color=figures.color_of("microsoft"), label="MSFT")
    ax.legend()
    return fig


def _digests(paths) -> dict[str, str]:
    return {k: hashlib.sha256(p.read_bytes()).hexdigest() for k, p in paths.items()}


def test_figures_are_byte_identical_across_saves(tmp_path):
    first = figures.save(_figure(), "f", notebook="nb", output_dir=tmp_path / "a", caption="c")
    second = figures.save(_figure(), "f", notebook="nb", output_dir=tmp_path / "b", caption="c")
    assert _digests(first) == _digests(second)
    assert set(first) == {"pdf", "svg", "png", "json"}
    plt.close("all")


def test_pdf_embeds_truetype_and_has_no_dates(tmp_path):
    out = figures.save(_figure(), "f", notebook="nb", output_dir=tmp_path)
    pdf = out["pdf"].read_bytes()
    assert b"/FontFile2" in pdf  # TrueType font program embedded
    assert b"/CreationDate" not in pdf
    assert b"<dc:date>" not in out["svg"].read_bytes()
    plt.close("all")


def test_sidecar_carries_caption_parameters_and_sources(tmp_path):
    out = figures.save(
        _figure(),
        "f",
        notebook="nb",
        output_dir=tmp_path,
        caption="Capex",
        parameters={"as_of": "2024-02-26", "companies": ["meta", "amazon"]},
        sources={"capex", "deals"},
    )
    sidecar = json.loads(out["json"].read_text())
    assert sidecar == {
        "caption": "Capex",
        "files": ["f.pdf", "f.png", "f.svg"],
        "name": "f",
        "notebook": "nb",
        "parameters": {"as_of": "2024-02-26", "companies": ["meta", "amazon"]},
        "sources": ["capex", "deals"],
    }
    plt.close("all")


def test_company_colours_are_fixed_and_distinct_for_hyperscalers():
    hyperscalers = ["microsoft", "amazon", "alphabet", "meta"]
    colours = [figures.color_of(c) for c in hyperscalers]
    assert len(set(colours)) == 4
    assert all(c in figures.PALETTE for c in colours)


def test_tables_write_csv_booktabs_and_markdown(tmp_path):
    frame = pd.DataFrame({"firm": ["AWS", "Microsoft"], "share": [30.0, 21.5]})
    out = tables.save(frame, "shares", notebook="nb", output_dir=tmp_path, caption="Shares, %")
    assert out["csv"].read_text() == "firm,share\nAWS,30.0\nMicrosoft,21.5\n"
    tex = out["tex"].read_text()
    assert "\\toprule" in tex and "\\bottomrule" in tex and "Shares, \\%" in tex
    assert "| AWS " in out["md"].read_text()
