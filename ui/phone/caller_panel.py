"""The caller panel beside the call form on a ring (来电人): who is calling (masked) and what the
desk should know while they wait — their recent calls, the open cases of their household with
the reply deadline, messages not yet passed on, the visitors expected for their room. The lines
come ready (masked) from :func:`reception.services.phone_line.caller_panel`."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QScrollArea
from PySide6.QtWidgets import QVBoxLayout
from PySide6.QtWidgets import QWidget

from reception.services.phone_line import CallerPanel
from ui.widgets import palette


class CallerPanelBox(QScrollArea):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("callerPanel")
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        inner = QWidget()
        column = QVBoxLayout(inner)
        column.setContentsMargins(8, 8, 8, 8)
        self.caller = QLabel()
        self.caller.setWordWrap(True)
        font = self.caller.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.caller.setFont(font)
        self.body = QLabel()
        self.body.setWordWrap(True)
        self.body.setTextFormat(Qt.TextFormat.RichText)
        self.body.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        column.addWidget(self.caller)
        column.addWidget(self.body, 1)
        self.setWidget(inner)
        self.clear()

    def clear(self) -> None:
        self.caller.setText(self.tr("没有来电"))
        self.body.setText(self.tr("来电时这里显示来电人最近的来电、未结工单、待转达留言和预约访客。"))

    def show_panel(self, caller: str, who: str, panel: CallerPanel) -> None:
        """``caller``: the masked number (or 隐藏号码); ``who``: the resident matched, or why not."""
        self.caller.setText(self.tr("来电 {0}").format(caller) + (f"　{who}" if who else ""))
        sections = (
            (self.tr("最近来电"), panel.recent_calls),
            (self.tr("未结工单（答复时限）"), panel.open_cases),
            (self.tr("待转达留言"), panel.messages),
            (self.tr("预约到访"), panel.expected_visitors),
        )
        parts = []
        for title, lines in sections:
            parts.append(f"<p style='margin:6px 0 2px 0'><b>{html.escape(title)}</b></p>")
            if lines:
                items = "".join(f"<li>{html.escape(line)}</li>" for line in lines)
                parts.append(f"<ul style='margin:0 0 0 -20px'>{items}</ul>")
            else:
                parts.append(f"<p style='margin:0; color:{palette.DONE}'>{html.escape(self.tr('无'))}</p>")
        self.body.setText("".join(parts))

    def text(self) -> str:
        """What the panel shows, as plain text (tests)."""
        from PySide6.QtGui import QTextDocument

        doc = QTextDocument()
        doc.setHtml(self.body.text())
        return self.caller.text() + "\n" + doc.toPlainText()
