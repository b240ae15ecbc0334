"""Domain errors. Each carries a Chinese message meant for the receptionist."""

from __future__ import annotations


class ReceptionError(Exception):
    """Base class: ``message`` is shown to the user as it is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ValidationError(ReceptionError):
    """Bad input. ``fields`` maps a field name to the message shown beside that field."""

    def __init__(self, fields: dict[str, str]) -> None:
        self.fields = dict(fields)
        super().__init__("；".join(self.fields.values()) or "输入有误")

    @classmethod
    def single(cls, field: str, message: str) -> ValidationError:
        return cls({field: message})


class NotFound(ReceptionError):
    pass


class PermissionDenied(ReceptionError):
    pass


class AuthError(ReceptionError):
    pass


class ConflictError(ReceptionError):
    """Somebody else changed the record since it was read."""


class StorageError(ReceptionError):
    """The database could not be written (disk full, read-only, locked, damaged).

    ``retryable`` says whether trying again later may succeed."""

    def __init__(self, message: str, *, retryable: bool = True) -> None:
        super().__init__(message)
        self.retryable = retryable


class DamagedDatabase(StorageError):
    """The database file failed its start-up check: nothing is written to it."""

    def __init__(self, message: str) -> None:
        super().__init__(message, retryable=False)


class DatabaseBusy(StorageError):
    """Another program holds the database file's lock: the file is not damaged; waiting and
    trying again helps."""

    def __init__(self, message: str) -> None:
        super().__init__(message, retryable=True)


class NoAccess(StorageError):
    """This account may not read or write the data folder or the database file (``path``;
    ``right`` is 读 or 写). Nothing is damaged; a restore would not help."""

    def __init__(self, message: str, path: object = None, right: str = "") -> None:
        super().__init__(message, retryable=False)
        self.path = path
        self.right = right


class DatabaseMissing(StorageError):
    """The database file is missing or empty while the backups folder holds this site's
    backups: never set up a new site over them. ``backup`` is the newest good one (or None)."""

    def __init__(self, message: str, backup: object = None) -> None:
        super().__init__(message, retryable=False)
        self.backup = backup


class SchemaTooNew(ReceptionError):
    pass
