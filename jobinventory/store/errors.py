"""The store's exceptions: each a JobInventoryError the CLI turns into one line (exit 2)."""
from __future__ import annotations

from ..errors import ConfigurationError, JobInventoryError

__all__ = ["StoreError", "NotAStoreError", "SchemaTooNewError", "MissingExtraError"]


class StoreError(JobInventoryError):
    """A store that cannot be opened or written: nothing was changed."""


class NotAStoreError(StoreError):
    """The URL names a database (or file) that is not a jobinventory store."""


class SchemaTooNewError(StoreError):
    """The store's schema revision is unknown to this jobinventory (a newer one wrote it)."""


class MissingExtraError(ConfigurationError):
    """A library the store needs is not installed; the message names the extra to install."""
