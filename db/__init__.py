"""The database: schema, engine factory, idempotent loads, migrations and the read side.

Modules (import the one you need; nothing here opens a connection at import time):

* ``db.engine``  ``make_engine(url)``: SQLite file (WAL, busy timeout, write lock at BEGIN) or PostgreSQL.
* ``db.migrate`` ``upgrade(url_or_engine)``: ``alembic upgrade head`` from the packaged migrations;
  ``ensure_current(engine)`` refuses to run on an outdated schema.
* ``db.models``  the SQLModel tables (see docs/schema.md).
* ``db.load``    ``FilingMeta``, ``record_filing``, ``load_filing`` -> ``LoadOutcome``, ``known_accessions``,
  ``filings_needing_reparse``.
* ``db.query``   ``list_deals``, ``distribution_history``, ``loan_history``, ``export_table``,
  ``status_report``, ``read_parse_result``.
* ``db.session`` ``run_in_transaction`` (retries lost races) and ``read``; driver errors become ours.
* ``db.errors``  ``DatabaseError`` and its subclasses (a branch of ``parsers.errors.ImhEdgarError``).

db/ imports nothing of ours but ``parsers.records`` and ``parsers.errors``.
"""
