"""Layer 4: discover, parameterize and execute the notebooks, and assemble ``reports/``.

Modules, in the order a run uses them:

- :mod:`~analysis.suite.parameters`: typed parameters read from the ``parameters`` cell (``ast``,
  never executed), coercion of text values by annotation, the injected cell's literal source.
- :mod:`~analysis.suite.plan`: which notebooks run with which values (defaults, ``suite.yml``
  variants, ``-f`` files, ``-p``), every problem reported at once.
- :mod:`~analysis.suite.cache`: cache keys from notebook, parameters, ``data/raw``, imported
  ``analysis`` modules and the lock file.
- :mod:`~analysis.suite.notebook`: preparing, judging and stripping notebook documents.
- :mod:`~analysis.suite.executor`: one papermill run in a worker process, judged by the runner.
- :mod:`~analysis.suite.store`: staging, atomic publication, failed copies, the manifest.
- :mod:`~analysis.suite.site`: ``reports/index.html``.
- :mod:`~analysis.suite.progress`: progress lines, bar and final table.
- :mod:`~analysis.suite.runner`: the lock, the pool and the order of all of the above.
- :mod:`~analysis.suite.sweep`: one notebook over a parameter grid.

Heavy libraries (papermill, nbconvert, nbformat) are imported only inside worker processes.
"""
