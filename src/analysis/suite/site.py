"""The report site: ``reports/index.html`` from the manifest.

One static page, no scripts: every notebook with its status, duration, parameters and data
version, links to its reading version, executed notebook, failed copy, figures and tables, and a
gallery of every figure with its caption (read from the figure's JSON sidecar).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

__all__ = ["figures_of", "tables_of", "render_index", "write_index"]

_TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>AI market concentration: report</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 70em; color: #222; }
table { border-collapse: collapse; width: 100%; font-size: 0.9em; }
th, td { border-bottom: 1px solid #ddd; padding: 0.4em; text-align: left; vertical-align: top; }
.ok { color: #009E73; font-weight: bold; } .failed { color: #D55E00; font-weight: bold; }
.cached { color: #0072B2; font-weight: bold; }
code { font-size: 0.9em; } ul { margin: 0; padding-left: 1.2em; } td li, td:nth-child(3) { white-space: nowrap; }
.gallery { display: grid; grid-template-columns: repeat(auto-fill, minmax(20em, 1fr)); gap: 1em; }
figure { margin: 0; border: 1px solid #eee; padding: 0.5em; }
figure img { width: 100%; height: auto; } figcaption { font-size: 0.85em; }
</style>
</head>
<body>
<h1>AI market concentration: report</h1>
<p>Updated {{ suite.updated or "-" }} &middot; data/raw <code>{{ (suite.data_raw or "")[:12] }}</code>
{%- if suite.build_info %} &middot; data built as of {{ suite.build_info.as_of or "all facts" }},
ECB rates to {{ suite.build_info.fx_vintage }}, CPI-U to {{ suite.build_info.cpi_vintage }}{% endif %}
&middot; <a href="manifest.json">manifest.json</a></p>
<h2>Notebooks</h2>
<table id="notebooks">
<thead><tr><th>notebook</th><th>status</th><th>time</th><th>parameters</th><th>outputs</th></tr></thead>
<tbody>
{%- for nb in notebooks %}
<tr class="notebook" data-name="{{ nb.name }}">
<td><strong>{{ nb.name }}</strong>{% if nb.title %}<br>{{ nb.title }}{% endif %}</td>
<td><span class="{{ nb.status_class }}">{{ nb.status }}</span>
{%- if nb.error %}<br><small>{{ nb.error }}</small>{% endif %}</td>
<td>{{ nb.duration }}</td>
<td>{% if nb.parameters %}<ul>{% for k, v in nb.parameters.items() %}<li><code>{{ k }} = {{ v }}</code></li>{% endfor %}</ul>{% endif %}</td>
<td><ul>
{%- for label, href in nb.links %}<li><a href="{{ href }}">{{ label }}</a></li>{% endfor %}
{%- for kind, items in nb.files %}{% for name, formats in items %}<li>{{ kind }} {{ name }}:
{%- for fmt, href in formats %} <a href="{{ href }}">{{ fmt }}</a>{% endfor %}</li>{% endfor %}{% endfor %}
</ul></td>
</tr>
{%- endfor %}
</tbody>
</table>
<h2>Figures</h2>
<div class="gallery">
{%- for fig in gallery %}
<figure id="fig-{{ fig.notebook }}-{{ fig.name }}">
<a href="{{ fig.png }}"><img src="{{ fig.png }}" alt="{{ fig.caption or fig.name }}" loading="lazy"></a>
<figcaption><strong>{{ fig.notebook }}</strong> &middot; {{ fig.caption or fig.name }}
{%- for fmt, href in fig.files %} <a href="{{ href }}">{{ fmt }}</a>{% endfor %}</figcaption>
</figure>
{%- endfor %}
</div>
</body>
</html>
"""


def _href(*parts: str) -> str:
    return "/".join(quote(p) for p in parts)


def figures_of(reports: Path, name: str) -> list[dict[str, Any]]:
    """The figures of one notebook, from their JSON sidecars (sorted by name)."""
    folder = reports / "figures" / name
    found = []
    for sidecar in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        try:
            meta = json.loads(sidecar.read_text(encoding="utf-8"))
        except ValueError:
            meta = {}
        stem = sidecar.stem
        files = [
            (fmt, _href("figures", name, f"{stem}.{fmt}"))
            for fmt in ("pdf", "svg", "png")
            if (folder / f"{stem}.{fmt}").is_file()
        ]
        png = _href("figures", name, f"{stem}.png") if (folder / f"{stem}.png").is_file() else ""
        found.append(
            {
                "notebook": name,
                "name": stem,
                "caption": meta.get("caption", ""),
                "png": png,
                "files": files,
            }
        )
    return found


def tables_of(reports: Path, name: str) -> list[str]:
    """Table names of one notebook (the stems of its CSV files)."""
    folder = reports / "tables" / name
    return sorted(p.stem for p in folder.glob("*.csv")) if folder.is_dir() else []


def _title(notebook: Path | None) -> str:
    if notebook is None or not notebook.is_file():
        return ""
    try:
        nb = json.loads(notebook.read_text(encoding="utf-8"))
    except ValueError:
        return ""
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "markdown":
            src = cell.get("source", "")
            text = "".join(src) if isinstance(src, list) else src
            for line in text.splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip()
            return ""
    return ""


def render_index(reports: Path, manifest: dict[str, Any], notebooks_dir: Path | None = None) -> str:
    """HTML of the index page for a reports folder and its manifest."""
    from jinja2 import Environment

    rows, gallery = [], []
    for name, entry in sorted(manifest.get("notebooks", {}).items()):
        good = entry.get("good") or {}
        status = entry.get("status", "unknown")
        links = []
        if (reports / "html" / f"{name}.html").is_file() and good:
            links.append(("reading version (HTML)", _href("html", f"{name}.html")))
        if (reports / "notebooks" / f"{name}.ipynb").is_file() and good:
            links.append(("executed notebook", _href("notebooks", f"{name}.ipynb")))
        if status == "failed" and (reports / "failed" / f"{name}.ipynb").is_file():
            links.append(("failed run", _href("failed", f"{name}.ipynb")))
        if status == "failed" and (reports / "failed" / f"{name}.log").is_file():
            links.append(("failed run: kernel log", _href("failed", f"{name}.log")))
        figs = figures_of(reports, name) if good else []
        tables = [
            (
                table,
                [
                    (ext, _href("tables", name, f"{table}.{ext}"))
                    for ext in ("csv", "tex", "md")
                    if (reports / "tables" / name / f"{table}.{ext}").is_file()
                ],
            )
            for table in (tables_of(reports, name) if good else [])
        ]
        files = [("figure", [(f["name"], f["files"]) for f in figs]), ("table", tables)]
        gallery.extend(f for f in figs if f["png"])
        seconds = good.get("duration")
        notebook = notebooks_dir / f"{name}.ipynb" if notebooks_dir else None
        rows.append(
            {
                "name": name,
                "title": _title(notebook),
                "status": status,
                "status_class": {"ok": "ok", "cached": "cached"}.get(status, "failed"),
                "error": entry.get("error", ""),
                "duration": "-" if seconds is None else f"{seconds:.1f} s",
                "parameters": good.get("parameters", {}),
                "links": links,
                "files": files,
            }
        )
    env = Environment(autoescape=True, keep_trailing_newline=True)
    return env.from_string(_TEMPLATE).render(
        suite=manifest.get("suite", {}), notebooks=rows, gallery=gallery
    )


def write_index(reports: Path, manifest: dict[str, Any], notebooks_dir: Path | None = None) -> Path:
    """Write ``reports/index.html`` atomically."""
    from analysis.suite.store import write_atomic

    path = reports / "index.html"
    write_atomic(path, render_index(reports, manifest, notebooks_dir))
    return path
