"""The reports folder: staging, atomic publication, failed copies and the manifest.

Layout of ``reports/``::

    notebooks/NAME.ipynb   executed, stripped       html/NAME.html      reading version
    figures/NAME/          analysis.figures.save     tables/NAME/        analysis.tables.save
    results/NAME.json      analysis.results.record   failed/NAME.ipynb   last failed run
                                                     failed/NAME.log     its kernel's output
    manifest.json          index.html                run.log             .lock
    .staging/              private folders of running notebooks (removed when published)

A notebook run writes only into its staging folder; when it succeeded, :meth:`Store.publish`
moves each of its outputs into place with one rename (folders are exchanged atomically with
``renameat2(RENAME_EXCHANGE)`` on Linux), and the manifest is replaced last. A run killed at any
moment therefore leaves every file either as it was or as it will be, and the manifest never
claims outputs that are not in place.
"""

from __future__ import annotations

import ctypes
import hashlib
import json
import os
import shutil
import sys
from pathlib import Path
from typing import Any

__all__ = ["Store", "exchange", "write_atomic"]

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def write_atomic(path: Path, text: str) -> None:
    """Write text to a temporary sibling, then rename it over ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _renameat2(a: Path, b: Path) -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        func = libc.renameat2
    except (OSError, AttributeError):
        return False
    func.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    result = func(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0


def exchange(new: Path, target: Path) -> None:
    """Put folder ``new`` at ``target``; the old ``target`` (if any) ends up at ``new``.

    Atomic on Linux; elsewhere two renames (the old folder is parked next to ``new`` first).
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.exists():
        os.rename(new, target)
        return
    if _renameat2(new, target):
        return
    parked = new.with_name(new.name + ".old")
    os.rename(target, parked)
    os.rename(new, target)
    os.rename(parked, new)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class Store:
    """One reports folder."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self.staging_root = self.root / ".staging"
        self.manifest_path = self.root / "manifest.json"

    # -- staging -----------------------------------------------------------------------------
    def staging(self, title: str) -> Path:
        """A fresh, empty staging folder for one run (a left-over one is removed)."""
        folder = self.staging_root / title
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        return folder

    def clean_staging(self) -> None:
        """Remove all staging folders (left by a killed run, or after this one)."""
        shutil.rmtree(self.staging_root, ignore_errors=True)

    # -- manifest ----------------------------------------------------------------------------
    def manifest(self) -> dict[str, Any]:
        """The current manifest (empty skeleton when there is none or it is unreadable)."""
        try:
            data = json.loads(self.manifest_path.read_text(encoding="utf-8"))
            if isinstance(data, dict) and isinstance(data.get("notebooks"), dict):
                return data
        except (OSError, ValueError):
            pass
        return {"suite": {}, "notebooks": {}}

    def write_manifest(self, manifest: dict[str, Any]) -> None:
        """Replace the manifest atomically."""
        text = json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
        write_atomic(self.manifest_path, text)

    def outputs_present(self, name: str, entry: dict[str, Any]) -> bool:
        """Whether every output the manifest lists for ``name`` is still in place."""
        outputs = entry.get("outputs") or {}
        return bool(outputs) and all((self.root / rel).is_file() for rel in outputs)

    # -- publication -------------------------------------------------------------------------
    def publish(
        self, name: str, staging: Path, notebook: Path, html: Path | None
    ) -> dict[str, str]:
        """Move a successful run's outputs into place; returns ``{relative path: sha256}``.

        Parameters
        ----------
        name : str
            Notebook name (``figures/NAME``, ``tables/NAME``, ``notebooks/NAME.ipynb`` ...).
        staging : Path
            The run's staging folder; ``staging/out`` was the notebook's ``output_dir``.
        notebook, html : Path
            The stripped executed notebook and its reading version, inside ``staging``.
        """
        out = staging / "out"
        for kind in ("figures", "tables"):
            new = out / kind / name
            target = self.root / kind / name
            if not new.is_dir():
                new.mkdir(parents=True)
            exchange(new, target)
            shutil.rmtree(new, ignore_errors=True)  # the previous outputs, now at `new`
        results = staging / "state" / "results.json"
        if results.is_file():
            (self.root / "results").mkdir(parents=True, exist_ok=True)
            os.replace(results, self.root / "results" / f"{name}.json")
        else:
            (self.root / "results" / f"{name}.json").unlink(missing_ok=True)
        if html is not None and html.is_file():
            (self.root / "html").mkdir(parents=True, exist_ok=True)
            os.replace(html, self.root / "html" / f"{name}.html")
        (self.root / "notebooks").mkdir(parents=True, exist_ok=True)
        os.replace(notebook, self.root / "notebooks" / f"{name}.ipynb")
        (self.root / "failed" / f"{name}.ipynb").unlink(missing_ok=True)
        (self.root / "failed" / f"{name}.log").unlink(missing_ok=True)
        return self.output_hashes(name)

    def output_hashes(self, name: str) -> dict[str, str]:
        """``{relative path: sha256}`` of the published outputs of ``name``."""
        files = [self.root / "notebooks" / f"{name}.ipynb", self.root / "html" / f"{name}.html"]
        files.append(self.root / "results" / f"{name}.json")
        for kind in ("figures", "tables"):
            folder = self.root / kind / name
            if folder.is_dir():
                files.extend(sorted(p for p in folder.iterdir() if p.is_file()))
        return {
            p.relative_to(self.root).as_posix(): _sha256(p)
            for p in files
            if p.is_file() and not p.name.startswith(".")
        }

    def keep_failed(self, name: str, notebook: Path) -> str | None:
        """Move a failed run's executed notebook to ``failed/NAME.ipynb``; returns its path.

        The kernel's own output (warnings, crash messages) goes next to it as ``failed/NAME.log``.
        """
        folder = self.root / "failed"
        folder.mkdir(parents=True, exist_ok=True)
        log = notebook.parent / "kernel.log"
        if log.is_file():
            os.replace(log, folder / f"{name}.log")
        if not notebook.is_file():
            return None
        target = folder / f"{name}.ipynb"
        os.replace(notebook, target)
        return target.relative_to(self.root).as_posix()
