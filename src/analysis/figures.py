"""House style for figures, and :func:`save` that writes them for papers.

- A colour-blind-safe palette (Okabe & Ito, 2008) with **one fixed colour per company** across all
  notebooks (:data:`COMPANY_COLORS`); other series cycle through :data:`PALETTE`.
- Sizes for one and two journal columns (:data:`ONE_COLUMN`, :data:`TWO_COLUMN`, inches).
- TrueType (Type 42) fonts embedded in PDF; text kept as text in SVG.
- Deterministic files: no creation dates in PDF or SVG, a fixed SVG hash salt, so that the same
  inputs give byte-identical PDF, SVG and PNG.

:func:`save` writes ``NAME.pdf``, ``NAME.svg``, ``NAME.png`` and a ``NAME.json`` sidecar (caption,
notebook, parameters, data sources) into ``OUTPUT_DIR/figures/NOTEBOOK/``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

__all__ = [
    "PALETTE",
    "COMPANY_COLORS",
    "ONE_COLUMN",
    "TWO_COLUMN",
    "FORMATS",
    "color_of",
    "use_style",
    "presence_grid",
    "save",
]

#: Okabe-Ito colour-blind-safe palette (hex), black last.
PALETTE: tuple[str, ...] = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#D55E00",  # vermillion
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#F0E442",  # yellow
    "#000000",  # black
)

#: One fixed colour per company, the same in every figure of the suite.
COMPANY_COLORS: dict[str, str] = {
    "microsoft": "#0072B2",
    "amazon": "#E69F00",
    "alphabet": "#009E73",
    "meta": "#CC79A7",
    "oracle": "#D55E00",
    "nvidia": "#56B4E9",
    "alibaba": "#F0E442",
    "openai": "#000000",
    "anthropic": "#D55E00",
    "mistral_ai": "#E69F00",
    "xai": "#7F7F7F",
    "others": "#BBBBBB",
}

#: Figure sizes (width, height) in inches for one and two journal columns.
ONE_COLUMN: tuple[float, float] = (3.5, 2.6)
TWO_COLUMN: tuple[float, float] = (7.2, 3.8)

#: Formats :func:`save` writes.
FORMATS: tuple[str, ...] = ("pdf", "svg", "png")

_RC: dict[str, Any] = {
    "figure.figsize": TWO_COLUMN,
    "figure.dpi": 100,
    "savefig.dpi": 300,
    "savefig.bbox": "tight",
    "font.size": 8,
    "axes.titlesize": 9,
    "axes.labelsize": 8,
    "legend.fontsize": 7,
    "xtick.labelsize": 7,
    "ytick.labelsize": 7,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "pdf.fonttype": 42,
    "ps.fonttype": 42,
    "svg.fonttype": "none",
    "svg.hashsalt": "ai-concentration-suite",
    "path.simplify": True,
}


def color_of(name: str, fallback_index: int = 0) -> str:
    """The suite's colour for a company id (or the palette's ``fallback_index``-th colour).

    Examples
    --------
    >>> color_of("microsoft")
    '#0072B2'
    >>> color_of("unknown lab", 2)
    '#009E73'
    """
    return COMPANY_COLORS.get(name, PALETTE[fallback_index % len(PALETTE)])


def use_style() -> None:
    """Apply the house style to matplotlib (call once at the top of a notebook)."""
    import matplotlib as mpl
    from cycler import cycler

    mpl.rcParams.update(_RC)
    mpl.rcParams["axes.prop_cycle"] = cycler(color=list(PALETTE))


def presence_grid(ax, grid) -> None:  # noqa: ANN001
    """Draw a series × quarter grid: a filled cell where the series has a row, blank for a gap.

    Parameters
    ----------
    ax
        Matplotlib axes to draw on.
    grid
        DataFrame from :func:`analysis.coverage.quarter_grid` (rows: series, columns: ``YYYYQn``
        labels, values: row counts).
    """
    import numpy as np
    from matplotlib.colors import ListedColormap

    present = (grid.to_numpy() > 0).astype(float)
    ax.imshow(
        present,
        aspect="auto",
        cmap=ListedColormap(["#FFFFFF", PALETTE[0]]),
        vmin=0,
        vmax=1,
        interpolation="nearest",
    )
    labels = [" · ".join(map(str, k)) if isinstance(k, tuple) else str(k) for k in grid.index]
    ax.set_yticks(range(len(labels)), labels)
    columns = list(grid.columns)
    ticks = [i for i, c in enumerate(columns) if str(c).endswith("Q1")]
    ax.set_xticks(ticks, [str(columns[i])[:4] for i in ticks])
    ax.set_xticks(np.arange(-0.5, len(columns)), minor=True)
    ax.set_yticks(np.arange(-0.5, len(labels)), minor=True)
    ax.grid(False)
    ax.grid(which="minor", color="#DDDDDD", linewidth=0.4)
    ax.tick_params(which="minor", length=0)


def _jsonable(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [_jsonable(v) for v in value]
        return sorted(items, key=str) if isinstance(value, (set, frozenset)) else items
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def _atomic(path: Path, writer) -> None:  # noqa: ANN001
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        writer(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def save(
    fig: Any,
    name: str,
    *,
    notebook: str,
    output_dir: str | os.PathLike[str],
    caption: str = "",
    parameters: Mapping[str, Any] | None = None,
    sources: Iterable[str] = (),
    formats: Iterable[str] = FORMATS,
) -> dict[str, Path]:
    """Write ``fig`` as PDF, SVG and PNG plus a JSON sidecar, deterministically.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure.
    name : str
        File stem, e.g. ``"capex_by_company"``.
    notebook : str
        Notebook the figure belongs to; files go to ``output_dir/figures/notebook/``.
    output_dir : path
        The reports folder (the notebook's ``output_dir`` parameter).
    caption : str
        Caption for papers and the report gallery.
    parameters : mapping, optional
        Notebook parameters the figure was made with.
    sources : iterable of str
        Data sources behind the figure (table names, or publisher names).
    formats : iterable of str
        Subset of :data:`FORMATS`.

    Returns
    -------
    dict
        Format -> written path (``"json"`` for the sidecar).
    """
    folder = Path(output_dir) / "figures" / notebook
    folder.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    metadata = {
        "pdf": {"CreationDate": None, "ModDate": None, "Producer": None, "Creator": None},
        "svg": {"Date": None, "Creator": None},
        "png": {"Software": None},
    }
    for fmt in formats:
        if fmt not in FORMATS:
            raise ValueError(f"unknown format {fmt!r}; use one of {FORMATS}")
        path = folder / f"{name}.{fmt}"
        _atomic(path, lambda tmp, f=fmt: fig.savefig(tmp, format=f, metadata=metadata[f]))
        written[fmt] = path
    sidecar = {
        "name": name,
        "notebook": notebook,
        "caption": caption,
        "parameters": _jsonable(dict(parameters or {})),
        "sources": sorted(set(sources)),
        "files": sorted(p.name for p in written.values()),
    }
    path = folder / f"{name}.json"
    text = json.dumps(sidecar, indent=2, sort_keys=True) + "\n"
    _atomic(path, lambda tmp: tmp.write_text(text))
    written["json"] = path
    return written
