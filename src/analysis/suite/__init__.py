"""Layer 4: discover, parameterize and execute the notebooks, and assemble ``reports/``."""
