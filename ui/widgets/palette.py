"""The program's colours, named by what they mean (one place to change them).

Text colours are for ``QColor``/``QBrush`` in table models and for style sheets
(``f"color: {palette.MUTED};"``); the ``*_BG`` colours are backgrounds of rows and boxes and the
``*_LINE`` colours their borders. The window itself stays on the light Qt palette of
:mod:`ui.widgets.look` whatever the system's theme, so these are chosen against white."""

from __future__ import annotations

from PySide6.QtGui import QBrush
from PySide6.QtGui import QColor

# ---- text: states -----------------------------------------------------------------------------
OK = "#1b5e20"  # on time, answered, on site, a resident recognised
OK_BRIGHT = "#2e7d32"  # a device connected, a check passed, saved
INFO = "#0d47a1"  # in progress (办理中), a status chip
LINK = "#1565c0"  # an action button, a preview
LINK_HOVER = "#1976d2"
PENDING = "#8a5a00"  # waiting for someone (待分办), a promise
WARNING = "#b26a00"  # due soon, a risky setting
WARNING_DARK = "#8a5300"  # warning text on a warning background
CAUTION = "#8a4b00"  # not admitted, a promise to keep
CAUTION_DARK = "#6d4100"  # caution text on a caution background
RECURRENCE = "#8a3b00"  # the same problem again at the same place
AMBER = "#a15c00"  # a handover item to check
OVERDUE = "#c62828"  # late, refused, an error
OVERDUE_AGAIN = "#7f0000"  # late again (严重超时)
DANGER = "#b71c1c"  # emergencies, alerts
ALERT_LINE = "#d32f2f"  # the border of an emergency
FATAL = "#b00020"  # the database cannot be used

# ---- text: ordinary -----------------------------------------------------------------------------
TEXT = "#1f2933"  # ordinary text where a colour must be given
TEXT_DARK = "#37474f"  # done, on a grey box
READBACK = "#3d3200"  # the read-back of a call
TITLE = "#0d3c6e"  # headings of dialogs and panels
HEADING = "#1f4e79"  # table headings in the handover
MUTED = "#5f6b7a"  # hints, counts, captions
FADED = "#757575"  # explanations under a setting
FADED_DARK = "#616161"
DONE = "#6b7785"  # finished or closed records (已归档)
CLOSED = "#7a8591"  # closed cases
CLOSED_CHIP = "#546e7a"
IDLE = "#7b8794"  # a box waiting for the next call
IDLE_LIGHT = "#9aa5b1"
IDLE_READBACK = "#8c8258"
INACTIVE = "#9e9e9e"  # a department or operator switched off
GONE = "#8a939c"  # an appointment missed or cancelled
WHITE = "#ffffff"
BLACK = "#000000"

# ---- backgrounds ----------------------------------------------------------------------------------
WARNING_BG = "#fff4dc"
CAUTION_BG = "#fff4e0"
OVERDUE_BG = "#fdecec"
ALERT_BG = "#fdecea"
OVERDUE_AGAIN_BG = "#f8d7d7"
EMERGENCY_BG = "#fde4e4"
EMERGENCY_FORM_BG = "#fff8f8"
LATE_CASE_BG = "#fff1d6"  # a call whose case is past its reply time
READBACK_BG = "#fffbe6"
REVEALED_BG = "#fff8e1"  # a number shown in place for a minute
OK_BG = "#e8f5e9"
DUE_OK_BG = "#eef6ee"
INFO_BG = "#e8f1fa"
SELECTED_BG = "#d6e6f5"
PANEL_BG = "#f3f5f7"
FORM_BG = "#f7f9fb"
TILE_BG = "#f5f7fa"
LIST_BG = "#fbfcfd"
IDLE_BG = "#eef1f4"
CLOSED_BG = "#eceff1"
LOCK_BG = "#eef2f6"
SAVE_DISABLED_BG = "#a5c8a7"

# ---- lines ----------------------------------------------------------------------------------------
LINE = "#dde3e9"
REVEALED_LINE = "#f0c36d"
FORM_LINE = "#d5dde5"
GRID_LINE = "#dde3ea"
TILE_LINE = "#c9d2dc"
CARD_LINE = "#c9d3dd"
NOTE_LINE = "#c5ccd4"
POPUP_LINE = "#7a8a99"
INFO_LINE = "#b9d2ea"
NOTICE_LINE = "#90b8e0"
WARNING_LINE = "#f0d9a8"
CONFLICT_LINE = "#f0c36d"
CAUTION_LINE = "#f0b760"
RECURRENCE_LINE = "#e0a030"
READBACK_LINE = "#e6d48a"
OK_LINE = "#81c784"
OVERDUE_LINE = "#e57373"


def brush(colour: str) -> QBrush:
    return QBrush(QColor(colour))
