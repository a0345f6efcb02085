"""Tables for papers: :func:`save` writes CSV, LaTeX (booktabs) and Markdown.

Files go to ``OUTPUT_DIR/tables/NOTEBOOK/NAME.{csv,tex,md}``, written atomically and
deterministically (fixed float formatting, no timestamps).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

__all__ = ["FORMATS", "to_latex", "to_markdown", "save"]

FORMATS: tuple[str, ...] = ("csv", "tex", "md")


def _escape(text: str) -> str:
    for char, repl in (
        ("\\", r"\textbackslash{}"),
        ("&", r"\&"),
        ("%", r"\%"),
        ("$", r"\$"),
        ("#", r"\#"),
        ("_", r"\_"),
        ("{", r"\{"),
        ("}", r"\}"),
        ("~", r"\textasciitilde{}"),
        ("^", r"\textasciicircum{}"),
    ):
        text = text.replace(char, repl)
    return text


def to_latex(frame: pd.DataFrame, caption: str = "", label: str = "", digits: int = 2) -> str:
    """A booktabs LaTeX table (``\\toprule``, ``\\midrule``, ``\\bottomrule``).

    Examples
    --------
    >>> print(to_latex(pd.DataFrame({"firm": ["a_b"], "hhi": [3800.0]}), digits=0))
    \\begin{tabular}{lr}
    \\toprule
    firm & hhi \\\\
    \\midrule
    a\\_b & 3800 \\\\
    \\bottomrule
    \\end{tabular}
    <BLANKLINE>
    """
    styler = frame.style.hide(axis="index").format(precision=digits, escape="latex", na_rep="")
    styler = styler.format_index(escape="latex", axis="columns")
    body = styler.to_latex(hrules=True, column_format=_column_format(frame))
    if caption or label:
        parts = ["\\begin{table}[htbp]", "\\centering"]
        if caption:
            parts.append(f"\\caption{{{_escape(caption)}}}")
        if label:
            parts.append(f"\\label{{{label}}}")
        return "\n".join([*parts, body.rstrip("\n"), "\\end{table}", ""])
    return body


def _column_format(frame: pd.DataFrame) -> str:
    return "".join("r" if pd.api.types.is_numeric_dtype(t) else "l" for t in frame.dtypes)


def to_markdown(frame: pd.DataFrame, digits: int = 2) -> str:
    """A GitHub-flavoured Markdown table (via ``tabulate``).

    Examples
    --------
    >>> print(to_markdown(pd.DataFrame({"firm": ["a"], "share": [50.0]}), digits=1))
    | firm   |   share |
    |:-------|--------:|
    | a      |    50.0 |
    <BLANKLINE>
    """
    return frame.to_markdown(index=False, floatfmt=f".{digits}f") + "\n"


def save(
    frame: pd.DataFrame,
    name: str,
    *,
    notebook: str,
    output_dir: str | os.PathLike[str],
    caption: str = "",
    digits: int = 2,
    formats: Iterable[str] = FORMATS,
) -> dict[str, Path]:
    """Write ``frame`` as CSV (full precision), LaTeX and Markdown (``digits`` decimals).

    Returns
    -------
    dict
        Format -> written path.
    """
    folder = Path(output_dir) / "tables" / notebook
    folder.mkdir(parents=True, exist_ok=True)
    renderers = {
        "csv": lambda: frame.to_csv(index=False, lineterminator="\n"),
        "tex": lambda: to_latex(frame, caption=caption, label=f"tab:{name}", digits=digits),
        "md": lambda: to_markdown(frame, digits=digits),
    }
    written = {}
    for fmt in formats:
        path = folder / f"{name}.{fmt}"
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_text(renderers[fmt](), encoding="utf-8")
        os.replace(tmp, path)
        written[fmt] = path
    return written
