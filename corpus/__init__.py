"""A realistic, deterministic EDGAR mirror of IMH filings for tests, the offline demo and the benchmarks.

* :func:`corpus.mirror.generate_mirror` writes the mirror (layout in docs/edgar.md) and returns its
  :class:`corpus.mirror.Manifest`; :data:`corpus.mirror.PRESETS` names the usual sizes.
* :func:`corpus.mirror.iter_statements` yields each generated statement with its truth
  (a :class:`parsers.records.Statement` of exactly what was printed).
* ``python -m corpus generate DIR --preset small`` is the command line (:func:`corpus.cli.main`).

See docs/benchmarks.md for what is modelled and how.
"""
