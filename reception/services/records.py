"""The records the services hand to the widgets, as types the widgets may name.

The services return stored rows for one record at a time (a call, a case, a letter in its detail
dialog; a resident picked in a lookup) and row dataclasses for lists. The widgets name these
types (annotations, ``isinstance``) through this module and never import the store: reading and
writing stay in the services (tests/test_architecture.py)."""

from __future__ import annotations

from reception.store.attachments import AttachmentStore
from reception.store.backup import BackupInfo
from reception.store.models import Appointment
from reception.store.models import Attachment
from reception.store.models import Call
from reception.store.models import Case
from reception.store.models import CaseEvent
from reception.store.models import Department
from reception.store.models import Incident
from reception.store.models import KnowledgeEntry
from reception.store.models import Letter
from reception.store.models import LiaisonEntry
from reception.store.models import Operator
from reception.store.models import Resident
from reception.store.models import ReturnVisit
from reception.store.models import Shift
from reception.store.models import Visit
from reception.store.models import WatchEntry

__all__ = [
    "Appointment",
    "Attachment",
    "AttachmentStore",
    "BackupInfo",
    "Call",
    "Case",
    "CaseEvent",
    "Department",
    "Incident",
    "KnowledgeEntry",
    "Letter",
    "LiaisonEntry",
    "Operator",
    "Resident",
    "ReturnVisit",
    "Shift",
    "Visit",
    "WatchEntry",
]
