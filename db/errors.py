"""Errors of the database layer (db/), a branch of the project's one exception tree.

::

    parsers.errors.ImhEdgarError
    `-- DatabaseError                    db/: anything we raise on purpose about the database
        |-- DatabaseUnavailableError     the server or file cannot be reached or opened
        |-- SchemaNotReadyError          the database is reachable but not migrated to the current revision
        `-- LoadError                    a filing could not be written (names the accession and the stage)

Messages are one line naming the thing and the next step; the URL is always shown without its password.
"""

from __future__ import annotations

from parsers.errors import ImhEdgarError

__all__ = ["DatabaseError", "DatabaseUnavailableError", "LoadError", "SchemaNotReadyError"]


class DatabaseError(ImhEdgarError):
    """Root of the database layer's errors."""


class DatabaseUnavailableError(DatabaseError):
    """The database named by the URL cannot be reached or opened."""


class SchemaNotReadyError(DatabaseError):
    """The database is reachable but its schema is missing or older than this code expects."""


class LoadError(DatabaseError):
    """A filing could not be loaded; the transaction was rolled back, nothing of the filing is visible."""
