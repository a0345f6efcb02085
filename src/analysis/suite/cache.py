"""Cache keys: a notebook is re-run only when something it depends on changed.

The key of a run is a SHA-256 over

- the notebook without outputs, execution counts or volatile metadata,
- its parameter values,
- the content of every file in ``data/raw``,
- the source of the ``analysis`` modules the notebook imports, followed transitively, plus the
  package's ``__init__`` files and the suite runner itself,
- ``requirements.lock``.

Only content counts: touching a file's modification time changes nothing.
"""

from __future__ import annotations

import ast
import hashlib
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from analysis.paths import Paths

__all__ = [
    "file_digest",
    "tree_digest",
    "notebook_digest",
    "notebook_imports",
    "module_closure",
    "Fingerprint",
    "canonical",
]

_PACKAGE = "analysis"


def file_digest(path: Path) -> str:
    """SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def tree_digest(folder: Path, pattern: str = "**/*") -> str:
    """SHA-256 over the relative names and contents of the files below ``folder``.

    Hidden files and ``__pycache__`` are ignored.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     _ = (Path(d) / "a.csv").write_text("x\\n")
    ...     first = tree_digest(Path(d))
    ...     _ = (Path(d) / "a.csv").write_text("x\\n")  # same content, new mtime
    ...     first == tree_digest(Path(d))
    True
    """
    digest = hashlib.sha256()
    if folder.is_dir():
        for path in sorted(folder.glob(pattern)):
            rel = path.relative_to(folder)
            if not path.is_file() or any(
                part.startswith(".") or part == "__pycache__" for part in rel.parts
            ):
                continue
            digest.update(rel.as_posix().encode() + b"\0" + file_digest(path).encode() + b"\n")
    return digest.hexdigest()


def canonical(value: Any) -> str:
    """Canonical JSON of parameter values (dates as ISO strings)."""
    return json.dumps(value, sort_keys=True, default=str, ensure_ascii=False, separators=(",", ":"))


def notebook_digest(nb: Mapping[str, Any]) -> str:
    """SHA-256 of a notebook's cells (type, source, tags) and kernel, ignoring outputs."""
    cells = []
    for cell in nb.get("cells", []):
        src = cell.get("source", "")
        cells.append(
            [
                cell.get("cell_type"),
                "".join(src) if isinstance(src, list) else src,
                sorted(cell.get("metadata", {}).get("tags", [])),
            ]
        )
    kernel = nb.get("metadata", {}).get("kernelspec", {}).get("name", "")
    return hashlib.sha256(canonical([kernel, cells]).encode()).hexdigest()


def _imports_of(tree: ast.AST, module: str = "", is_package: bool = False) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = module.split(".")
                keep = len(parts) - node.level + (1 if is_package else 0)
                base = ".".join(parts[:keep] + ([base] if base else []))
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return {name for name in found if name == _PACKAGE or name.startswith(_PACKAGE + ".")}


def notebook_imports(nb: Mapping[str, Any]) -> set[str]:
    """``analysis`` modules imported by the notebook's code cells (magics ignored)."""
    found: set[str] = set()
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        src = cell.get("source", "")
        text = "".join(src) if isinstance(src, list) else src
        lines = [ln for ln in text.splitlines() if not ln.lstrip().startswith(("%", "!"))]
        try:
            found |= _imports_of(ast.parse("\n".join(lines)))
        except SyntaxError:
            found.add(_PACKAGE)  # cannot tell: depend on everything
    return found


def _module_file(src: Path, module: str) -> Path | None:
    rel = module.split(".")[1:]
    as_package = src.joinpath(*rel, "__init__.py")
    if as_package.is_file():
        return as_package
    as_module = src.joinpath(*rel[:-1], f"{rel[-1]}.py") if rel else None
    return as_module if as_module is not None and as_module.is_file() else None


def module_closure(src: Path, modules: Iterable[str]) -> dict[str, Path]:
    """Modules of the package reachable from ``modules`` by imports, with their parents.

    Parameters
    ----------
    src : Path
        The package folder (``src/analysis``).
    modules : iterable of str
        Dotted names, e.g. ``{"analysis.figures", "analysis.data"}``; names that are not modules
        (imported functions) are ignored.
    """
    seen: dict[str, Path] = {}
    todo = list(modules)
    while todo:
        module = todo.pop()
        if module in seen:
            continue
        path = _module_file(src, module)
        if path is None:
            continue
        seen[module] = path
        parts = module.split(".")
        todo.extend(".".join(parts[:i]) for i in range(1, len(parts)))  # parent packages
        is_package = path.name == "__init__.py"
        tree = ast.parse(path.read_text(encoding="utf-8"))
        todo.extend(_imports_of(tree, module, is_package))
    return seen


class Fingerprint:
    """Digests of a project's inputs, computed once per run and shared by all notebooks."""

    def __init__(self, paths: Paths, src: Path | None = None):
        self.paths = paths
        self.src = src or paths.src
        self.raw = tree_digest(paths.raw)
        self.lock = file_digest(paths.lock_file) if paths.lock_file.is_file() else ""
        self._modules: dict[Path, str] = {}

    def _module_digest(self, path: Path) -> str:
        if path not in self._modules:
            self._modules[path] = file_digest(path)
        return self._modules[path]

    def sources(self, nb: Mapping[str, Any]) -> dict[str, str]:
        """Module -> digest of every package module the notebook depends on."""
        wanted = notebook_imports(nb) | {_PACKAGE, f"{_PACKAGE}.results"}
        closure = module_closure(self.src, wanted)
        suite = self.src / "suite"
        for path in sorted(suite.glob("*.py")):  # the runner shapes every output
            closure[f"{_PACKAGE}.suite.{path.stem}"] = path
        return {name: self._module_digest(path) for name, path in sorted(closure.items())}

    def key(self, nb: Mapping[str, Any], values: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
        """The cache key of one run and the inputs it was computed from."""
        inputs = {
            "notebook": notebook_digest(nb),
            "parameters": canonical(values),
            "data_raw": self.raw,
            "sources": self.sources(nb),
            "requirements_lock": self.lock,
        }
        return hashlib.sha256(canonical(inputs).encode()).hexdigest(), inputs
