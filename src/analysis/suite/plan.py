"""What a run will do: which notebooks, with which parameter values.

Values come from, in increasing precedence: the notebook's defaults, a named variant of the suite
file (``notebooks/suite.yml``), a parameters file (``-f params.yml``) and ``-p NAME VALUE``. A
top-level key applies to every selected notebook that declares it; a key naming a notebook
(``00_data_overview: {top_n: 5}``) applies to that notebook only.

YAML is read with every scalar kept as a string (no YAML 1.1 surprises such as ``NO`` -> False,
``0012`` -> 10 or ``12:30`` -> 750) and without tags; the annotation decides the type.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from analysis.paths import Paths
from analysis.suite.parameters import (
    RESERVED,
    Parameter,
    ParameterError,
    coerce,
    parameters_of,
)

__all__ = ["SUITE_FILE", "Job", "discover", "load_yaml", "variants", "plan"]

#: The suite file, relative to the notebooks folder.
SUITE_FILE = "suite.yml"


@dataclass(frozen=True)
class Job:
    """One notebook to run with fully resolved, typed parameter values."""

    name: str
    notebook: Path
    declared: tuple[Parameter, ...]
    values: dict[str, Any]
    label: str = ""

    @property
    def title(self) -> str:
        """Name used in progress lines and file names (the notebook, or a sweep point)."""
        return self.label or self.name


def discover(paths: Paths) -> list[Path]:
    """Notebooks of the suite: ``notebooks/NN_*.ipynb`` in name order (checkpoints excluded)."""
    return sorted(
        p
        for p in paths.notebooks.glob("*.ipynb")
        if p.name[:2].isdigit() and not p.name.startswith(".")
    )


def _string_loader():  # noqa: ANN202
    import yaml

    class StringLoader(yaml.SafeLoader):
        """Safe loader that resolves no implicit types: every plain scalar is a string."""

    StringLoader.yaml_implicit_resolvers = {}
    return StringLoader


def _plain(value: Any, where: str, problems: list[str]) -> Any:
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return [_plain(v, where, problems) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v, f"{where}.{k}", problems) for k, v in value.items()}
    problems.append(f"{where}: YAML tags are not accepted (got {type(value).__name__})")
    return None


def load_yaml(path: Path) -> dict[str, Any]:
    """Read a YAML mapping safely with every scalar as a string; tags are refused.

    Raises
    ------
    ParameterError
        Unreadable file, invalid YAML, not a mapping, or a tagged value.
    """
    import yaml

    try:
        text = Path(path).read_text(encoding="utf-8")
        data = yaml.load(text, Loader=_string_loader())  # noqa: S506 - a SafeLoader subclass
    except OSError as err:
        raise ParameterError([f"{path}: {err.strerror}"]) from None
    except yaml.YAMLError as err:
        raise ParameterError([f"{path}: invalid YAML: {err}"]) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ParameterError([f"{path}: expected a mapping of NAME: VALUE"])
    problems: list[str] = []
    data = _plain(data, str(path), problems)
    if problems:
        raise ParameterError(problems)
    return data


def variants(paths: Paths) -> dict[str, dict[str, Any]]:
    """The named variants of ``notebooks/suite.yml`` (name -> ``{description, parameters}``)."""
    path = paths.notebooks / SUITE_FILE
    if not path.is_file():
        return {}
    found = load_yaml(path).get("variants", {}) or {}
    if not isinstance(found, dict):
        raise ParameterError([f"{path}: 'variants' must be a mapping"])
    return found


def _split(source: Mapping[str, Any], stems: set[str]) -> tuple[dict, dict[str, dict]]:
    shared, per_notebook = {}, {}
    for key, value in source.items():
        if key in stems and isinstance(value, dict):
            per_notebook[key] = value
        else:
            shared[key] = value
    return shared, per_notebook


def plan(
    paths: Paths,
    names: Iterable[str] = (),
    cli: Sequence[tuple[str, str]] = (),
    files: Sequence[Path] = (),
    variant: str | None = None,
) -> list[Job]:
    """Select the notebooks and resolve their parameter values, checking everything first.

    Parameters
    ----------
    paths : Paths
        Project folders.
    names : iterable of str
        Notebook stems or file names (default: all).
    cli : sequence of (name, value)
        ``-p`` pairs; ``NAME`` or ``NOTEBOOK.NAME``.
    files : sequence of Path
        ``-f`` parameter files.
    variant : str, optional
        A variant of ``notebooks/suite.yml``.

    Raises
    ------
    ParameterError
        Listing every problem: unknown notebook, variant or parameter name, wrong type, a value
        outside a ``Literal``, a path outside the project, a reserved name.
    """
    problems: list[str] = []
    available = {p.stem: p for p in discover(paths)}
    wanted = [n.removesuffix(".ipynb").split("/")[-1] for n in names]
    for name in wanted:
        if name not in available:
            problems.append(f"unknown notebook {name!r} (known: {', '.join(available) or 'none'})")
    selected = [available[n] for n in (wanted or available) if n in available]
    declared: dict[str, list[Parameter]] = {}
    for path in selected:
        try:
            declared[path.stem] = parameters_of(path)
        except ParameterError as err:
            problems.extend(f"{path.name}: {p}" for p in err.problems)
            declared[path.stem] = []
    all_stems = set(available)

    layers: list[tuple[str, dict, dict[str, dict]]] = []
    if variant is not None:
        try:
            found = variants(paths)
        except ParameterError as err:
            problems.extend(err.problems)
            found = {}
        if variant not in found:
            problems.append(f"unknown variant {variant!r} (known: {', '.join(found) or 'none'})")
        else:
            body = found[variant] or {}
            params = body.get("parameters", {}) if isinstance(body, dict) else {}
            layers.append((f"variant {variant}", *_split(params or {}, all_stems)))
    for file in files:
        try:
            layers.append((str(file), *_split(load_yaml(file), all_stems)))
        except ParameterError as err:
            problems.extend(err.problems)
    cli_shared: dict[str, Any] = {}
    cli_specific: dict[str, dict] = {}
    for key, value in cli:
        stem, dot, pname = key.rpartition(".")
        if dot and stem in all_stems:
            cli_specific.setdefault(stem, {})[pname] = value
        else:
            cli_shared[key] = value
    layers.append(("-p", cli_shared, cli_specific))

    jobs = []
    for path in selected:
        params = {p.name: p for p in declared[path.stem]}
        values = {p.name: p.default for p in params.values()}
        for origin, shared, specific in layers:
            given = {k: v for k, v in shared.items() if k in params}
            given.update(specific.get(path.stem, {}))
            for key in specific.get(path.stem, {}):
                if key not in params:
                    problems.append(f"{origin}: {path.stem} has no parameter {key!r}")
                    given.pop(key)
            for key, raw in given.items():
                if key in RESERVED:
                    problems.append(f"{origin}: {key} is set by the runner and cannot be given")
                    continue
                try:
                    values[key] = coerce(params[key], raw, paths.root)
                except ValueError as err:
                    problems.append(
                        f"{origin}: {path.stem}: {key} ({params[key].annotation or params[key].kind}): {err}"
                    )
        jobs.append(Job(path.stem, path, tuple(params.values()), values))
    for origin, shared, _ in layers:
        for key in shared:
            if not any(key in {p.name for p in declared[s.stem]} for s in selected):
                known = sorted({p.name for s in selected for p in declared[s.stem]})
                problems.append(
                    f"{origin}: no selected notebook declares {key!r} (declared: {', '.join(known)})"
                )
    if problems:
        raise ParameterError(problems)
    return jobs
