"""Progress of a run: one labelled line per notebook event, a bar on a terminal, a final table.

Three modes: ``rich`` (a terminal: coloured lines above an overall progress bar), ``plain`` (not a
terminal: timestamped log lines, one per event, flushed at once) and ``quiet`` (cron: nothing but
failures and, when something failed, the final table). Every event is also appended to an optional
log file in the plain format.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

__all__ = ["Row", "Reporter", "format_table"]

_STYLE = {
    "queued": "dim",
    "cached": "cyan",
    "running": "yellow",
    "done": "green",
    "failed": "bold red",
}


@dataclass
class Row:
    """Final state of one notebook in the status table."""

    title: str
    status: str
    seconds: float | None = None
    detail: str = ""


def format_table(rows: list[Row]) -> str:
    """Plain-text status table.

    Examples
    --------
    >>> print(format_table([Row("00_data_overview", "done", 3.21), Row("01_x", "cached")]))
    notebook          status  time
    ----------------  ------  ------
    00_data_overview  done    3.2 s
    01_x              cached  -
    """
    header = ("notebook", "status", "time", "detail")
    body = [
        (r.title, r.status, "-" if r.seconds is None else f"{r.seconds:.1f} s", r.detail)
        for r in rows
    ]
    show_detail = any(r.detail for r in rows)
    columns = header if show_detail else header[:3]
    lines = [tuple(line[: len(columns)]) for line in body]
    widths = [max(len(str(x)) for x in col) for col in zip(columns, *lines, strict=False)]
    widths = [max(w, 6) for w in widths]

    def fmt(cells: tuple[str, ...]) -> str:
        return "  ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=False)).rstrip()

    out = [fmt(columns), fmt(tuple("-" * w for w in widths))]
    out.extend(fmt(line) for line in lines)
    return "\n".join(out)


class Reporter:
    """Receives run events and shows them.

    Parameters
    ----------
    mode : {"auto", "rich", "plain", "quiet"}
        ``auto`` picks ``rich`` on a terminal and ``plain`` otherwise.
    total : int
        Number of notebooks in the run (for the bar).
    log_file : Path, optional
        Also append plain lines here.
    stream : file, optional
        Where lines go (default standard error for quiet failures, standard output otherwise).
    """

    def __init__(
        self,
        mode: str = "auto",
        total: int = 0,
        log_file: Path | None = None,
        stream: IO[str] | None = None,
    ):
        self.stream = stream or sys.stdout
        if mode == "auto":
            mode = "rich" if self.stream.isatty() else "plain"
        self.mode = mode
        self.total = total
        self.rows: dict[str, Row] = {}
        self._log: IO[str] | None = None
        if log_file is not None:
            log_file.parent.mkdir(parents=True, exist_ok=True)
            self._log = log_file.open("a", encoding="utf-8")
        self._progress: Any = None
        self._task: Any = None
        self._finished = 0

    def __enter__(self) -> Reporter:
        if self.mode == "rich":
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

            console = Console(file=self.stream)
            self._progress = Progress(
                "[bold]analysis run",
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=console,
                transient=True,
            )
            self._progress.start()
            self._task = self._progress.add_task("notebooks", total=self.total)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None
        if self._log is not None:
            self._log.close()
            self._log = None

    def log(self, message: str) -> None:
        """A free-form line (run start, lock, summary)."""
        line = f"{time.strftime('%Y-%m-%d %H:%M:%S')} {message}"
        if self._log is not None:
            self._log.write(line + "\n")
            self._log.flush()
        if self.mode == "plain":
            print(line, file=self.stream, flush=True)
        elif self.mode == "rich" and self._progress is not None:
            self._progress.console.print(message, highlight=False, markup=False)

    def event(
        self, title: str, status: str, seconds: float | None = None, detail: str = ""
    ) -> None:
        """Record a notebook event: queued, cached, running, done or failed."""
        self.rows[title] = Row(title, status, seconds, detail)
        timing = "" if seconds is None else f" {seconds:.1f} s"
        text = f"{title:<32} {status}{timing}{'  ' + detail if detail else ''}"
        line = f"{time.strftime('%Y-%m-%d %H:%M:%S')} {text}"
        if self._log is not None:
            self._log.write(line + "\n")
            self._log.flush()
        if status in ("cached", "done", "failed"):
            self._finished += 1
            if self._progress is not None:
                self._progress.update(self._task, completed=self._finished)
        if self.mode == "plain":
            print(line, file=self.stream, flush=True)
        elif self.mode == "rich" and self._progress is not None:
            style = _STYLE.get(status, "")
            head = (
                f"{title:<32} [{style}]{status:<8}[/{style}]" if style else f"{title:<32} {status}"
            )
            from rich.markup import escape

            self._progress.console.print(
                head + escape(f"{timing}{'  ' + detail if detail else ''}"), highlight=False
            )
        elif self.mode == "quiet" and status == "failed":
            print(f"FAILED {title}: {detail}", file=sys.stderr, flush=True)

    def summary(self) -> None:
        """The final status table (in quiet mode only when something failed)."""
        rows = list(self.rows.values())
        failed = any(r.status == "failed" for r in rows)
        if self.mode == "quiet" and not failed:
            return
        if self.mode == "rich":
            from rich.console import Console
            from rich.table import Table

            table = Table(title="analysis run")
            for column in ("notebook", "status", "time", "detail"):
                table.add_column(column, overflow="fold")
            for r in rows:
                style = _STYLE.get(r.status, "")
                table.add_row(
                    r.title,
                    f"[{style}]{r.status}[/{style}]" if style else r.status,
                    "-" if r.seconds is None else f"{r.seconds:.1f} s",
                    r.detail,
                )
            Console(file=self.stream).print(table)
        else:
            out = sys.stderr if self.mode == "quiet" else self.stream
            print(format_table(rows), file=out, flush=True)
