"""Values a notebook reports to the runner, and its completion marker.

Inside ``analysis run`` or ``analysis sweep`` the runner gives every kernel a private state folder
(environment variable ``ANALYSIS_RUN_STATE``) and a token (``ANALYSIS_RUN_TOKEN``).
:func:`record` stores named scalar results there (``analysis sweep`` combines them into one
table); :func:`complete` writes the marker that tells the runner the notebook ran to its end.
Run interactively (no runner), :func:`record` keeps values in memory and :func:`complete` does
nothing, so notebooks behave the same in JupyterLab.

Examples
--------
>>> record("hhi", 2450.0)
2450.0
>>> recorded()["hhi"]
2450.0
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
from pathlib import Path
from typing import Any

__all__ = [
    "STATE_ENV",
    "TOKEN_ENV",
    "RESULTS_FILE",
    "MARKER_FILE",
    "record",
    "recorded",
    "complete",
]

STATE_ENV = "ANALYSIS_RUN_STATE"
TOKEN_ENV = "ANALYSIS_RUN_TOKEN"
RESULTS_FILE = "results.json"
MARKER_FILE = "complete"

_memory: dict[str, Any] = {}


def _state() -> Path | None:
    folder = os.environ.get(STATE_ENV)
    return Path(folder) if folder else None


def _plain(value: Any) -> Any:
    if hasattr(value, "item") and callable(value.item):  # numpy scalars
        value = value.item()
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    raise TypeError(f"record() takes a scalar (number, string, bool, date), got {type(value)}")


def record(name: str, value: Any) -> Any:
    """Store a named scalar result of this notebook run; returns ``value`` unchanged.

    Parameters
    ----------
    name : str
        Result name, e.g. ``"hhi_2024"``; recording a name again replaces the value.
    value : number, str, bool, date or NumPy scalar
        The value (non-finite floats are stored as ``null``).
    """
    if not name or not isinstance(name, str):
        raise ValueError("record() needs a non-empty name")
    _memory[name] = _plain(value)
    state = _state()
    if state is not None:
        path = state / RESULTS_FILE
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_text(json.dumps(_memory, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        os.replace(tmp, path)
    return value


def recorded() -> dict[str, Any]:
    """The results recorded so far in this kernel."""
    return dict(_memory)


def complete() -> None:
    """Mark the run complete; call it in the notebook's last code cell."""
    state = _state()
    if state is not None:
        (state / MARKER_FILE).write_text(os.environ.get(TOKEN_ENV, ""), encoding="utf-8")
