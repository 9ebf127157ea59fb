"""Alembic environment of the store: run programmatically by jobinventory.store.schema.

The caller hands over an open connection (config.attributes["connection"])
already inside its locked transaction; the migrations run in it, so a
failure leaves nothing behind. Offline (SQL script) mode is not offered.
"""
from alembic import context

from jobinventory.store.tables import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only reached by a bare `alembic` command
    raise RuntimeError("the jobinventory store runs its migrations itself: use jobinventory.store.open_store")

context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
