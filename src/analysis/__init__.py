"""AI market concentration suite.

Sourced raw data on the hyperscalers' capital spending, stakes in AI labs, cloud partnerships and
model distribution (``analysis.data``), models of investment, valuation and concentration
(``analysis.investment``, ``analysis.valuation``, ``analysis.concentration``, ``analysis.network``),
house-style figures and tables (``analysis.figures``, ``analysis.tables``) and the report runner
(``analysis.suite``, ``analysis.cli``).

Heavy libraries are imported by the submodules that need them, never here, so that the command
line starts fast.
"""

__version__ = "0.1.0"
