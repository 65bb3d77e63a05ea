"""Alembic migrations of the imh-edgar schema (run them with db.migrate.upgrade or db/alembic.ini)."""
