"""Where the project's data, notebooks and reports live.

The one place that knows the layout. Every function that reads or writes project files takes a
:class:`Paths` (or builds the default one with :func:`project_paths`), so tests and users can point
the whole suite at another folder.

Overrides, in order of precedence: explicit arguments, then the environment variables
``ANALYSIS_ROOT`` (project root), ``ANALYSIS_RAW_DIR``, ``ANALYSIS_PROCESSED_DIR``,
``ANALYSIS_NOTEBOOKS_DIR`` and ``ANALYSIS_REPORTS_DIR``; otherwise the checkout this package sits in
(or, for an installed copy, the current working directory).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

__all__ = ["Paths", "project_paths", "find_root"]

_ENV = {
    "raw": "ANALYSIS_RAW_DIR",
    "processed": "ANALYSIS_PROCESSED_DIR",
    "notebooks": "ANALYSIS_NOTEBOOKS_DIR",
    "reports": "ANALYSIS_REPORTS_DIR",
}


@dataclass(frozen=True)
class Paths:
    """Folders of one project checkout.

    Attributes
    ----------
    root : Path
        Project root (holds ``pyproject.toml``).
    raw, processed : Path
        ``data/raw`` (hand-curated CSV) and ``data/processed`` (built Parquet).
    notebooks, reports : Path
        Parameterized notebooks and generated reports.

    Examples
    --------
    >>> p = Paths.under("/tmp/x")
    >>> p.raw.as_posix(), p.reports.as_posix()
    ('/tmp/x/data/raw', '/tmp/x/reports')
    """

    root: Path
    raw: Path
    processed: Path
    notebooks: Path
    reports: Path

    @classmethod
    def under(cls, root: str | os.PathLike[str]) -> Paths:
        """The standard layout below ``root``."""
        r = Path(root)
        return cls(
            root=r,
            raw=r / "data" / "raw",
            processed=r / "data" / "processed",
            notebooks=r / "notebooks",
            reports=r / "reports",
        )

    @property
    def src(self) -> Path:
        """Source of the ``analysis`` package (part of the report cache key)."""
        return Path(__file__).resolve().parent

    @property
    def lock_file(self) -> Path:
        """The pinned requirements (part of the report cache key)."""
        return self.root / "requirements.lock"

    def with_(self, **changes: str | os.PathLike[str]) -> Paths:
        """A copy with some folders replaced."""
        return replace(self, **{k: Path(v) for k, v in changes.items()})


def find_root(start: str | os.PathLike[str] | None = None) -> Path:
    """The nearest folder at or above ``start`` that holds ``pyproject.toml`` and ``data/raw``.

    Falls back to the checkout holding this package, then to ``start`` itself.
    """
    here = Path(start or os.getcwd()).resolve()
    for candidate in (here, *here.parents):
        if (candidate / "pyproject.toml").is_file() and (candidate / "data" / "raw").is_dir():
            return candidate
    pkg_root = Path(__file__).resolve().parents[2]
    if (pkg_root / "pyproject.toml").is_file():
        return pkg_root
    return here


def project_paths(
    root: str | os.PathLike[str] | None = None, env: Mapping[str, str] | None = None
) -> Paths:
    """The project's folders, honouring the ``ANALYSIS_*`` environment overrides.

    Parameters
    ----------
    root : path, optional
        Project root; default ``$ANALYSIS_ROOT`` or :func:`find_root`.
    env : mapping, optional
        Environment to read (default ``os.environ``).

    Examples
    --------
    >>> p = project_paths("/tmp/proj", env={"ANALYSIS_REPORTS_DIR": "/tmp/out"})
    >>> p.reports.as_posix(), p.processed.as_posix()
    ('/tmp/out', '/tmp/proj/data/processed')
    """
    env = os.environ if env is None else env
    if root is None:
        root = env.get("ANALYSIS_ROOT") or find_root()
    paths = Paths.under(Path(root).resolve())
    overrides = {field: env[var] for field, var in _ENV.items() if env.get(var)}
    return paths.with_(**overrides) if overrides else paths
