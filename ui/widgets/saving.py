"""The one way a form saves: call the service, show a refusal beside the fields, and after a
storage failure offer 「重试」 (when a retry can help) — what was typed stays on screen either way.

    record = save_with_retry(self, title, lambda: service(...), on_invalid=self.errors.show_error)

Returns what the service returned, or ``None`` when nothing was saved."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtWidgets import QWidget

from reception.errors import ConflictError
from reception.errors import ReceptionError
from reception.errors import StorageError
from reception.errors import ValidationError
from ui.widgets import msgbox

T = TypeVar("T")


def save_with_retry(
    parent: QWidget,
    title: str,
    save: Callable[[], T | None],
    *,
    on_invalid: Callable[[ValidationError], object],
    on_conflict: Callable[[], object] | None = None,
    on_error: Callable[[ReceptionError], object] | None = None,
    on_storage_given_up: Callable[[StorageError], object] | None = None,
) -> T | None:
    """``save`` until it succeeds, the operator stops retrying, or the service refuses.

    ``on_invalid`` shows the field errors; ``on_conflict`` (when given) handles a record changed
    at another desk meanwhile; ``on_error`` shows any other refusal (default: a message box
    titled ``title``); ``on_storage_given_up`` runs when the operator does not retry."""
    while True:
        try:
            return save()
        except ValidationError as exc:
            on_invalid(exc)
            return None
        except ConflictError as exc:
            if on_conflict is None:
                _refused(parent, title, exc, on_error)
            else:
                on_conflict()
            return None
        except StorageError as exc:
            if msgbox.storage_failure(parent, title, exc):
                continue
            if on_storage_given_up is not None:
                on_storage_given_up(exc)
            return None
        except ReceptionError as exc:
            _refused(parent, title, exc, on_error)
            return None


def _refused(
    parent: QWidget, title: str, exc: ReceptionError, on_error: Callable[[ReceptionError], object] | None
) -> None:
    if on_error is None:
        msgbox.error(parent, title, exc.message)
    else:
        on_error(exc)
