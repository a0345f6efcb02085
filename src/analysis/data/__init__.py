"""Layer 1: raw tables, their schemas and validation, money and calendars, the processed build.

The most used entry points are re-exported here:

- :func:`load` reads a processed table (optionally as known on a date);
- :func:`known_as_of` filters any table to the facts public on a date;
- :func:`primary_rows` keeps one row per fact where several sources give versions of it.
"""

from analysis.data.build import build, known_as_of, load, load_build_info, primary_rows

__all__ = ["build", "known_as_of", "load", "load_build_info", "primary_rows"]
