"""Typed notebook parameters: read them from the ``parameters`` cell, check and coerce values.

A notebook declares its parameters in the code cell tagged ``parameters``, one annotated
assignment per line::

    as_of: str = "latest"  # ISO date or latest
    top_n: int = 15
    scenario: Literal["low", "base", "high"] = "base"

The cell is read with :mod:`ast`; it is never executed. Values given on the command line, in a
parameters file or in a suite variant arrive as strings and are coerced by the annotation
(:func:`coerce`). Values reach the kernel as Python literals written by :func:`injection_source`,
never as code.
"""

from __future__ import annotations

import ast
import datetime as dt
import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "CONVENTIONS",
    "RESERVED",
    "Parameter",
    "ParameterError",
    "read_parameters",
    "parameters_of",
    "coerce",
    "injection_source",
]

#: Parameters the runner sets itself; users may not.
RESERVED: frozenset[str] = frozenset({"output_dir"})

_SCALARS = ("str", "int", "float", "bool", "date", "Path")
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_PATHLIKE = re.compile(r"(_dir|_path|_file|_folder)$")
_TRUE = {"true", "yes", "on", "1"}
_FALSE = {"false", "no", "off", "0"}
_NONE = {"none", "null", "~", ""}


class ParameterError(ValueError):
    """Every problem found in a set of parameter values (``problems``: one line each)."""

    def __init__(self, problems: Sequence[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


@dataclass(frozen=True)
class Parameter:
    """One declared notebook parameter.

    Attributes
    ----------
    name : str
        The variable name.
    kind : str
        ``str``, ``int``, ``float``, ``bool``, ``date``, ``Path``, ``list`` or ``literal``.
    item : str
        Element kind of a ``list`` (one of the scalar kinds).
    choices : tuple
        Allowed values of a ``Literal[...]``.
    optional : bool
        ``X | None`` or ``Optional[X]``: the value may be ``None``.
    default : Any
        The default as a Python value (``None`` when it is not a literal).
    annotation, default_source, help : str
        The annotation and the default as written, and the line's trailing comment.
    """

    name: str
    kind: str
    item: str = ""
    choices: tuple[Any, ...] = ()
    optional: bool = False
    default: Any = None
    annotation: str = ""
    default_source: str = ""
    help: str = ""
    lineno: int = 0

    @property
    def pathlike(self) -> bool:
        """Whether values name a file or folder (annotation ``Path`` or a ``*_dir`` name)."""
        return self.kind == "Path" or bool(_PATHLIKE.search(self.name))


def _kind_of(node: ast.expr | None, default: Any) -> tuple[str, str, tuple[Any, ...], bool]:
    """(kind, item, choices, optional) of an annotation node."""
    if node is None:  # unannotated: infer from the default literal
        for kind, types in (("bool", bool), ("int", int), ("float", float), ("list", list)):
            if isinstance(default, types):
                return kind, "str" if kind == "list" else "", (), False
        return "str", "", (), default is None
    if isinstance(node, ast.Constant) and isinstance(node.value, str):  # "str" as a string
        node = ast.parse(node.value, mode="eval").body
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        sides = [node.left, node.right]
        nones = [s for s in sides if isinstance(s, ast.Constant) and s.value is None]
        if len(nones) == 1:
            other = sides[0] if sides[1] is nones[0] else sides[1]
            kind, item, choices, _ = _kind_of(other, default)
            return kind, item, choices, True
    name = ast.unparse(node)
    short = name.rsplit(".", 1)[-1]
    if short in _SCALARS:
        return short, "", (), False
    if isinstance(node, ast.Subscript):
        head = ast.unparse(node.value).rsplit(".", 1)[-1]
        inner = node.slice
        if head == "Optional":
            kind, item, choices, _ = _kind_of(inner, default)
            return kind, item, choices, True
        if head in ("list", "List"):
            item_kind, _, _, _ = _kind_of(inner, None)
            if item_kind not in _SCALARS:
                raise ValueError(f"unsupported list element type {ast.unparse(inner)}")
            return "list", item_kind, (), False
        if head == "Literal":
            elements = inner.elts if isinstance(inner, ast.Tuple) else [inner]
            choices = tuple(ast.literal_eval(e) for e in elements)
            return "literal", "", choices, False
    raise ValueError(f"unsupported annotation {name}")


def _comments(source: str) -> dict[int, str]:
    out = {}
    for number, line in enumerate(source.splitlines(), start=1):
        if "#" in line:
            # the last '#' not inside a string literal (good enough for parameter lines)
            code, _, comment = line.rpartition("#")
            if code.count('"') % 2 == 0 and code.count("'") % 2 == 0:
                out[number] = comment.strip()
    return out


def read_parameters(source: str) -> list[Parameter]:
    """Parse the source of a ``parameters`` cell (without executing it).

    Parameters
    ----------
    source : str
        The cell's code.

    Returns
    -------
    list of Parameter
        In the order of the cell.

    Raises
    ------
    ParameterError
        The cell is not valid Python or uses an unsupported annotation.

    Examples
    --------
    >>> [(p.name, p.kind, p.default) for p in read_parameters('as_of: str = "latest"\\nn: int = 3')]
    [('as_of', 'str', 'latest'), ('n', 'int', 3)]
    >>> read_parameters('s: Literal["a", "b"] = "a"  # scenario')[0].choices
    ('a', 'b')
    """
    try:
        tree = ast.parse(source)
    except SyntaxError as err:
        raise ParameterError([f"parameters cell line {err.lineno}: {err.msg}"]) from None
    comments = _comments(source)
    found: list[Parameter] = []
    problems = []
    for stmt in tree.body:
        if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
            target, annotation, value = stmt.target.id, stmt.annotation, stmt.value
        elif (
            isinstance(stmt, ast.Assign)
            and len(stmt.targets) == 1
            and isinstance(stmt.targets[0], ast.Name)
        ):
            target, annotation, value = stmt.targets[0].id, None, stmt.value
        else:
            continue  # imports and other statements are allowed but declare nothing
        default_source = ast.unparse(value) if value is not None else ""
        try:
            default = ast.literal_eval(value) if value is not None else None
        except ValueError:
            default = None
        try:
            kind, item, choices, optional = _kind_of(annotation, default)
        except (ValueError, SyntaxError) as err:
            problems.append(f"parameters cell line {stmt.lineno}: {target}: {err}")
            continue
        found.append(
            Parameter(
                name=target,
                kind=kind,
                item=item,
                choices=choices,
                optional=optional,
                default=default,
                annotation=ast.unparse(annotation) if annotation is not None else "",
                default_source=default_source,
                help=comments.get(stmt.lineno, ""),
                lineno=stmt.lineno,
            )
        )
    if problems:
        raise ParameterError(problems)
    return found


def parameters_of(notebook: str | Path) -> list[Parameter]:
    """The declared parameters of a notebook file (``[]`` when it has no ``parameters`` cell)."""
    nb = json.loads(Path(notebook).read_text(encoding="utf-8"))
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code" and "parameters" in cell.get("metadata", {}).get(
            "tags", []
        ):
            source = cell.get("source", "")
            return read_parameters("".join(source) if isinstance(source, list) else source)
    return []


def _scalar(kind: str, value: Any, name: str, root: Path | None) -> Any:
    """Coerce one scalar; raises ValueError with a readable reason."""
    if kind in ("str", "Path"):
        if isinstance(value, dt.date):
            value = value.isoformat()
        if not isinstance(value, str):
            raise ValueError(f"expected a string, got {value!r}")
        if "\x00" in value:
            raise ValueError("NUL character in a string")
        return value
    if not isinstance(value, str):
        raise ValueError(f"expected a plain value, got {type(value).__name__} {value!r}")
    text = value.strip()
    if kind == "int":
        if not re.fullmatch(r"[+-]?\d+", text):
            raise ValueError(f"expected an integer, got {value!r}")
        return int(text, 10)
    if kind == "float":
        try:
            number = float(text)
        except ValueError:
            raise ValueError(f"expected a number, got {value!r}") from None
        if not math.isfinite(number):
            raise ValueError(f"expected a finite number, got {value!r}")
        return number
    if kind == "bool":
        low = text.lower()
        if low in _TRUE:
            return True
        if low in _FALSE:
            return False
        raise ValueError(f"expected true or false, got {value!r}")
    if kind == "date":
        try:
            if len(text) != 10:
                raise ValueError
            return dt.date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"expected a date YYYY-MM-DD, got {value!r}") from None
    raise ValueError(f"unsupported type {kind}")


def _check_path(text: str, root: Path) -> None:
    base = root.resolve()
    target = (base / text).resolve()
    if target != base and base not in target.parents:
        raise ValueError(f"path {text!r} is outside the project {base}")


def coerce(param: Parameter, value: Any, root: Path | None = None) -> Any:
    """Convert a value given as text (CLI, YAML loaded as strings) to the declared type.

    Parameters
    ----------
    param : Parameter
        The declaration.
    value : str, list of str, or an already typed value
        Strings are parsed by the annotation: ``int`` accepts only decimal digits (``0012`` is
        12), ``bool`` accepts true/false/yes/no/on/off/1/0, ``date`` only ``YYYY-MM-DD``, lists
        are comma separated.
    root : Path, optional
        Project root; path-like parameters must stay inside it.

    Raises
    ------
    ValueError
        With the reason, e.g. ``expected an integer, got 'ten'``.

    Examples
    --------
    >>> coerce(Parameter("n", "int"), "0012")
    12
    >>> coerce(Parameter("flag", "bool"), "NO")
    False
    >>> coerce(Parameter("as_of", "str"), "2024-02-26")
    '2024-02-26'
    >>> coerce(Parameter("xs", "list", item="float"), "1, 2.5")
    [1.0, 2.5]
    >>> coerce(Parameter("xs", "list", item="str"), '["a, b", "c"]')
    ['a, b', 'c']
    """
    if param.optional and (
        value is None or (isinstance(value, str) and value.strip().lower() in _NONE)
    ):
        return None
    if isinstance(value, bool) or (
        isinstance(value, (int, float)) and not isinstance(value, bool) and param.kind != "str"
    ):
        value = str(value).lower() if isinstance(value, bool) else repr(value)
    if param.kind == "list":
        if isinstance(value, str):
            text = value.strip()
            items: list[Any] | None = None
            if text.startswith("[") and text.endswith("]"):
                try:  # a JSON list: ["a", "b"] or [1, 2]
                    loaded = json.loads(text)
                    items = [v if isinstance(v, str) else json.dumps(v) for v in loaded]
                except ValueError:
                    text = text[1:-1]  # [a, b]
            if items is None:
                items = [p.strip() for p in text.split(",")] if text.strip() else []
        elif isinstance(value, list):
            items = value
        else:
            raise ValueError(f"expected a list, got {value!r}")
        out = [_scalar(param.item, v, param.name, root) for v in items]
        if param.item == "Path" and root is not None:
            for v in out:
                _check_path(v, root)
        return out
    if param.kind == "literal":
        for choice in param.choices:
            kind = type(choice).__name__
            try:
                if _scalar(kind if kind in _SCALARS else "str", value, param.name, root) == choice:
                    return choice
            except ValueError:
                continue
        shown = ", ".join(repr(c) for c in param.choices)
        raise ValueError(f"{value!r} is not one of {shown}")
    result = _scalar(param.kind, value, param.name, root)
    if param.pathlike and root is not None and isinstance(result, str) and result:
        _check_path(result, root)
    if param.name in CONVENTIONS and isinstance(result, str):
        CONVENTIONS[param.name](result)
    return result


def _as_of(text: str) -> None:
    if text != "latest":
        try:
            if len(text) != 10:
                raise ValueError
            dt.date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"expected a date YYYY-MM-DD or latest, got {text!r}") from None


#: Suite-wide conventions for parameters annotated ``str``: every notebook's ``as_of`` is an ISO
#: date or ``latest``.
CONVENTIONS = {"as_of": _as_of}


def _literal(value: Any) -> str:
    """Python source for a value: a literal whose evaluation gives back the value."""
    if isinstance(value, dt.date):
        return f"datetime.date({value.year}, {value.month}, {value.day})"
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"not a finite number: {value!r}")
    if isinstance(value, list):
        return "[" + ", ".join(_literal(v) for v in value) + "]"
    if value is None or isinstance(value, (str, int, float, bool)):
        text = repr(value)
        if ast.literal_eval(text) != value:  # pragma: no cover - repr of these always round-trips
            raise ValueError(f"cannot write {value!r} as a literal")
        return text
    raise ValueError(f"unsupported value {value!r}")


def injection_source(values: Mapping[str, Any]) -> str:
    """Source of the injected cell: one ``name = literal`` line per value, names checked.

    Examples
    --------
    >>> print(injection_source({"as_of": "x'); import os; ('", "n": 3}), end="")
    # Parameters injected by `analysis run`.
    as_of = "x'); import os; ('"
    n = 3
    >>> injection_source({"a=1;import os": 1})
    Traceback (most recent call last):
    ...
    ValueError: not a parameter name: 'a=1;import os'
    """
    lines = ["# Parameters injected by `analysis run`."]
    if any(
        isinstance(v, dt.date) or (isinstance(v, list) and any(isinstance(i, dt.date) for i in v))
        for v in values.values()
    ):
        lines.append("import datetime")
    for name, value in values.items():
        if not _IDENTIFIER.match(name) or name in ("datetime",):
            raise ValueError(f"not a parameter name: {name!r}")
        literal = _literal(value)
        if isinstance(value, str):
            literal = json.dumps(value, ensure_ascii=False)  # double quotes; still a literal
            if ast.literal_eval(literal) != value:  # pragma: no cover - JSON strings are Python
                literal = repr(value)
        lines.append(f"{name} = {literal}")
    return "\n".join(lines) + "\n"
