"""Notebook documents as the runner handles them: prepared for a run, judged, stripped.

Plain JSON (no nbformat import) so that the parent process stays light.

- :func:`prepare` inserts the injected-parameters cell (fixed id, literal values) after the
  ``parameters`` cell and, when the notebook does not end with ``results.complete()``, a last cell
  that writes the completion marker.
- :func:`verdict` judges an executed notebook: every code cell executed, no error output.
- :func:`strip` removes run-to-run noise (timestamps, durations, papermill bookkeeping, memory
  addresses, random cell ids) so that two runs with the same inputs give the same bytes.
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass
from typing import Any

__all__ = [
    "INJECTED_TAG",
    "MARKER_TAG",
    "Failure",
    "load",
    "dumps",
    "prepare",
    "calls_complete",
    "verdict",
    "strip",
]

INJECTED_TAG = "injected-parameters"
MARKER_TAG = "analysis-complete"
_MARKER_SOURCE = (
    "from analysis import results as _analysis_results\n\n_analysis_results.complete()\n"
)
_ADDRESS = re.compile(r"\b0x[0-9a-fA-F]{6,16}\b")
_KERNEL_FILE = re.compile(r"(?:[^\s\"'(]*/)?ipykernel_\d+/")
_COMPLETE_CALL = re.compile(r"\bresults\.complete\(\s*\)")


@dataclass(frozen=True)
class Failure:
    """Where and why a notebook failed."""

    cell: int | None  # 1-based position in the notebook as committed; None: the runner's marker
    ename: str
    evalue: str

    def __str__(self) -> str:
        where = f"cell {self.cell}" if self.cell is not None else "notebook"
        return f"{where}: {self.ename}: {self.evalue}".rstrip(": ")


def load(path) -> dict[str, Any]:  # noqa: ANN001
    """Read a notebook file as a JSON dict."""
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def dumps(nb: dict[str, Any]) -> str:
    """Canonical notebook JSON (nbformat's layout: sorted keys, one-space indent)."""
    return json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def _source(cell: dict[str, Any]) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def _tags(cell: dict[str, Any]) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


def _code_cell(source: str, tag: str, cell_id: str, minor: int) -> dict[str, Any]:
    cell = {
        "cell_type": "code",
        "execution_count": None,
        "metadata": {"tags": [tag]},
        "outputs": [],
        "source": source,
    }
    if minor >= 5:
        cell["id"] = cell_id
    return cell


def calls_complete(nb: dict[str, Any]) -> bool:
    """Whether the last code cell calls ``results.complete()`` (the notebook's own marker)."""
    code = [c for c in nb.get("cells", []) if c.get("cell_type") == "code"]
    return bool(code) and bool(_COMPLETE_CALL.search(_source(code[-1])))


def prepare(
    nb: dict[str, Any], injection: str, parameters: dict[str, Any] | None = None
) -> dict[str, Any]:
    """A copy ready to run: parameters injected after the ``parameters`` cell, marker last.

    Cells from an earlier injection are dropped first. Without a ``parameters`` cell the
    injected cell goes first. ``parameters`` (JSON-able) is recorded in the notebook metadata.
    """
    out = copy.deepcopy(nb)
    out.setdefault("metadata", {})["analysis"] = {"parameters": dict(parameters or {})}
    minor = int(out.get("nbformat_minor", 4))
    cells = [c for c in out.get("cells", []) if not ({INJECTED_TAG, MARKER_TAG} & set(_tags(c)))]
    for cell in cells:
        if cell.get("cell_type") == "code":
            cell["outputs"], cell["execution_count"] = [], None
    at = next((i + 1 for i, c in enumerate(cells) if "parameters" in _tags(c)), 0)
    cells.insert(at, _code_cell(injection, INJECTED_TAG, "injected-parameters", minor))
    if not calls_complete({"cells": cells}):
        cells.append(_code_cell(_MARKER_SOURCE, MARKER_TAG, "analysis-complete", minor))
    out["cells"] = cells
    return out


def verdict(nb: dict[str, Any]) -> Failure | None:
    """The first problem of an executed notebook, or ``None`` when every code cell ran cleanly.

    Cells are numbered from 1 as in the committed notebook (papermill's banners and the injected
    cell are not counted). A code cell without an execution count means the run stopped before it
    (kernel death, timeout, ``sys.exit``).
    """
    number = 0
    for cell in nb.get("cells", []):
        tags = set(_tags(cell))
        if tags & {INJECTED_TAG, "papermill-error-cell-tag"} or (
            cell.get("cell_type") == "markdown" and "papermill-error-cell" in _source(cell)
        ):
            continue
        number += 1
        where = None if MARKER_TAG in tags else number
        if cell.get("cell_type") != "code":
            continue
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                return Failure(where, output.get("ename", "Error"), output.get("evalue", ""))
        if cell.get("execution_count") is None and _source(cell).strip():
            return Failure(where, "NotExecuted", "the run stopped before this cell")
    return None


def _clean_output(output: dict[str, Any]) -> dict[str, Any]:
    output = dict(output)
    output.pop("execution_count", None) if output.get("output_type") == "stream" else None
    meta = output.get("metadata")
    if isinstance(meta, dict):
        output["metadata"] = {k: v for k, v in meta.items() if k != "execution"}
    data = output.get("data")
    if isinstance(data, dict):
        # multi-line strings stored as lists of lines are joined (nbformat accepts both)
        data = {k: "".join(v) if isinstance(v, list) else v for k, v in data.items()}
        if isinstance(data.get("text/plain"), str):
            data["text/plain"] = _ADDRESS.sub("0x…", data["text/plain"])
        output["data"] = data
    if output.get("output_type") == "stream":
        text = output.get("text", "")
        output["text"] = _KERNEL_FILE.sub(
            "ipykernel/", "".join(text) if isinstance(text, list) else text
        )
    if output.get("output_type") == "error":
        output["traceback"] = [
            _KERNEL_FILE.sub("ipykernel/", line) for line in output.get("traceback", [])
        ]
    return output


def strip(
    nb: dict[str, Any], keep_ids: frozenset[str] = frozenset(), drop_marker: bool = True
) -> dict[str, Any]:
    """Remove volatile metadata; the result depends only on the inputs of the run.

    Removes papermill's timestamps, durations and paths, nbclient's execution timings, memory
    addresses in plain-text outputs; replaces cell ids not in ``keep_ids`` (the ids of the prepared
    notebook) by positional ones, and drops the runner's marker cell. Execution counts are renumbered 1, 2, ... in cell order.
    """
    out = copy.deepcopy(nb)
    meta = out.setdefault("metadata", {})
    meta.pop("papermill", None)
    meta.pop("widgets", None)
    meta["analysis"] = {"parameters": meta.get("analysis", {}).get("parameters", {})}
    minor = int(out.get("nbformat_minor", 4))
    cells = []
    count = 0
    for index, cell in enumerate(out.get("cells", [])):
        if drop_marker and MARKER_TAG in _tags(cell):
            continue
        cell_meta = cell.get("metadata", {})
        for key in ("papermill", "execution", "collapsed", "scrolled"):
            cell_meta.pop(key, None)
        if minor < 5:
            cell.pop("id", None)
        elif cell.get("id") not in keep_ids:
            cell["id"] = f"cell-{index}"
        if cell.get("cell_type") == "code":
            if cell.get("execution_count") is not None:
                count += 1
                cell["execution_count"] = count
            cell["outputs"] = [_clean_output(o) for o in cell.get("outputs", [])]
            for output in cell["outputs"]:
                if "execution_count" in output:
                    output["execution_count"] = cell["execution_count"]
        src = cell.get("source", "")
        cell["source"] = "".join(src) if isinstance(src, list) else src
        cells.append(cell)
    out["cells"] = cells
    return out
