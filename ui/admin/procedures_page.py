"""设置 → 接待规程: what the desk tells a resident for each 业户办事 purpose and within how many hours
it follows up, the hours to resolve each kind of case, the hours to reply to each kind of letter,
and the desk's department ({部门} in the greeting). Saved through
:func:`reception.services.settings.update_procedures` (administrators; checked per field, audited)."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout
from PySide6.QtWidgets import QGroupBox
from PySide6.QtWidgets import QHBoxLayout
from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QLineEdit
from PySide6.QtWidgets import QPlainTextEdit
from PySide6.QtWidgets import QSpinBox
from PySide6.QtWidgets import QWidget

from reception.services import settings as settings_mod
from reception.services.session import Role
from reception.services.session import Session
from ui.widgets import palette
from ui.widgets.settings_page import SettingsPage
from ui.widgets.settings_page import save_bar
from ui.widgets.settings_page import stack
from ui.widgets.small_dialogs import saved


def _spin(bounds: tuple[int, int], value: int, suffix: str, zero: str = "") -> QSpinBox:
    box = QSpinBox()
    box.setRange(*bounds)
    box.setSuffix(suffix)
    if zero:
        box.setSpecialValueText(zero)
    box.setValue(value)
    box.setMinimumWidth(130)
    return box


class ProceduresPage(SettingsPage):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        current = settings_mod.load()

        visit_box = QGroupBox(self.tr("业户办事：办理指引与跟进时限"))
        visit_form = QFormLayout(visit_box)
        self.guidance: dict[str, QPlainTextEdit] = {}
        self.follow_up: dict[str, QSpinBox] = {}
        for purpose, conf in current.visit_purposes.items():
            edit = QPlainTextEdit(conf.get("guidance", ""))
            edit.setTabChangesFocus(True)
            edit.setFixedHeight(edit.fontMetrics().lineSpacing() * 3 + 12)
            self.guidance[purpose] = edit
            spin = _spin(
                settings_mod.FOLLOW_UP_HOURS_RANGE,
                current.follow_up_hours_for(purpose),
                self.tr(" 小时内跟进"),
                self.tr("不跟进"),
            )
            if purpose == "投诉":
                spin.setEnabled(False)
                spin.setToolTip(self.tr("投诉生成工单，按工单的答复时限跟进"))
            self.follow_up[purpose] = spin
            row = QWidget()
            line = QHBoxLayout(row)
            line.setContentsMargins(0, 0, 0, 0)
            line.addWidget(edit, 1)
            line.addWidget(spin)
            label = self.errors.add_row(visit_form, self.tr(purpose), f"guidance.{purpose}", row)
            self.errors.register(f"guidance.{purpose}", edit, label)
            self.errors.register(f"follow_up.{purpose}", spin, label)

        resolve_box = QGroupBox(self.tr("工单解决时限（从受理起）"))
        resolve_form = QFormLayout(resolve_box)
        self.resolve: dict[str, QSpinBox] = {}
        for category in settings_mod.DEFAULT_RESOLVE_HOURS:
            spin = _spin(
                settings_mod.RESOLVE_HOURS_RANGE, current.resolve_hours_for(category), self.tr(" 小时")
            )
            self.resolve[category] = spin
            self.errors.add_row(resolve_form, self.tr(category), f"resolve.{category}", spin)

        letter_box = QGroupBox(self.tr("来函答复时限（从登记起）"))
        letter_form = QFormLayout(letter_box)
        self.letter: dict[str, QSpinBox] = {}
        for letter_type in settings_mod.DEFAULT_LETTER_REPLY_HOURS:
            spin = _spin(
                settings_mod.LETTER_REPLY_HOURS_RANGE,
                current.letter_reply_hours_for(letter_type),
                self.tr(" 小时"),
            )
            self.letter[letter_type] = spin
            self.errors.add_row(letter_form, self.tr(letter_type), f"letter.{letter_type}", spin)

        desk_box = QGroupBox(self.tr("前台"))
        desk_form = QFormLayout(desk_box)
        self.desk_department = QLineEdit(current.desk_department)
        self.desk_department.setMaxLength(20)
        self.errors.add_row(desk_form, self.tr("所属部门"), "desk_department", self.desk_department)
        hint = QLabel(self.tr("问候语中的“{部门}”替换为这里填写的部门。"))
        hint.setStyleSheet(f"color: {palette.FADED};")
        desk_form.addRow("", hint)

        self.saved, self.save_button, bottom = save_bar(self.general, self.save)
        if not session.has(Role.ADMIN):
            self.save_button.setEnabled(False)
            self.save_button.setToolTip(self.tr("修改需要管理员权限"))

        hours = QHBoxLayout()
        hours.addWidget(resolve_box, 1)
        hours.addWidget(letter_box, 1)
        stack(self, desk_box, visit_box, hours, bottom, stretch=False)

    def save(self) -> bool:
        self.errors.clear()
        self.saved.clear()
        if not saved(
            self.errors,
            lambda: settings_mod.update_procedures(
                self.session,
                guidance={p: e.toPlainText() for p, e in self.guidance.items()},
                follow_up_hours={p: s.value() for p, s in self.follow_up.items() if s.isEnabled()},
                resolve_hours={c: s.value() for c, s in self.resolve.items()},
                letter_reply_hours={t: s.value() for t, s in self.letter.items()},
                desk_department=self.desk_department.text(),
            ),
        ):
            return False
        self.saved.setText(self.tr("已保存"))
        return True
