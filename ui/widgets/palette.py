"""The program's colours, named by what they mean (one place to change them).

Text colours are for ``QColor``/``QBrush`` in table models and for style sheets (``f"color: {MUTED};"``);
the ``*_BG`` colours are row and box backgrounds. The window itself stays on the light palette of
:mod:`ui.widgets.look` whatever the system's theme, so these are chosen against white."""

from __future__ import annotations

from PySide6.QtGui import QBrush, QColor

# ---- text -----------------------------------------------------------------------------------
TEXT = "#1f2933"  # ordinary text where a colour must be given
MUTED = "#5f6b7a"  # hints, counts, captions
FADED = "#757575"  # explanations under a setting
INACTIVE = "#9e9e9e"  # a department or operator switched off
DONE = "#6b7785"  # finished or closed records (已归档)
CLOSED = "#7a8591"  # closed cases
TITLE = "#0d3c6e"  # headings of dialogs and panels
INFO = "#0d47a1"  # in progress (办理中)
LINK = "#1565c0"  # a status that asks for attention but is not late
OK = "#1b5e20"  # on time, answered, on site
OK_BRIGHT = "#2e7d32"  # a device connected, a check passed
PENDING = "#8a5a00"  # waiting for someone (待分办)
WARNING = "#b26a00"  # due soon
CAUTION = "#8a4b00"  # not admitted, needs a look
OVERDUE = "#c62828"  # late, refused, an error
OVERDUE_AGAIN = "#7f0000"  # late again (严重超时)
DANGER = "#b71c1c"  # emergencies

# ---- backgrounds ----------------------------------------------------------------------------
WARNING_BG = "#fff4dc"
OVERDUE_BG = "#fdecec"
OVERDUE_AGAIN_BG = "#f8d7d7"
EMERGENCY_BG = "#fde4e4"
LATE_CASE_BG = "#fff1d6"  # a call whose case is past its reply time
PANEL_BG = "#f3f5f7"


def brush(colour: str) -> QBrush:
    return QBrush(QColor(colour))
