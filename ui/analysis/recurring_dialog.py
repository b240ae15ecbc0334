"""登记 / 更新整改 — the follow-up of one recurring problem (cause, measure, owner, due date, result),
opened from the analysis window's 重复问题 and 整改跟踪 pages (:mod:`reception.services.recurring`)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QCheckBox
from PySide6.QtWidgets import QDateEdit
from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QLineEdit
from PySide6.QtWidgets import QPlainTextEdit
from PySide6.QtWidgets import QWidget

from reception.services import recurring
from reception.services.recurring import ProblemInput
from reception.services.recurring import ProblemRow
from reception.services.session import Session
from ui.widgets.action_dialog import ActionDialog

_CHINESE = QLocale(QLocale.Language.Chinese, QLocale.Country.China)


def _text_box(height: int = 56) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setTabChangesFocus(True)
    box.setFixedHeight(height)
    return box


class RecurringProblemDialog(ActionDialog):
    """New (``existing`` None: for ``place_key``/``category``) or an update of ``existing``."""

    def __init__(
        self,
        session: Session,
        place_key: str,
        category: str,
        existing: ProblemRow | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(session, "", parent)
        self.existing = existing
        self.place_key, self.category = place_key, category
        self.setWindowTitle(self.tr("更新整改") if existing else self.tr("登记整改"))
        self.head_label.setText(
            self.tr("重复问题：{0}　{1}（查明原因、制定措施、落实到人，完成后填写结果）").format(
                place_key, category
            )
        )
        self.cause = _text_box()
        self.measure = _text_box()
        self.owner = QLineEdit()
        self.owner.setMaxLength(50)
        self.owner.setPlaceholderText(self.tr("部门或人员，如：工程部 刘工"))
        self.due_on = QDateEdit()
        self.due_on.setLocale(_CHINESE)
        self.due_on.setDisplayFormat("yyyy-MM-dd")
        self.due_on.setCalendarPopup(True)
        today = session.clock.today()
        self.due_on.setDate(QDate(today.year, today.month, today.day).addDays(7))
        self.result_edit = _text_box()
        self.finished_box = QCheckBox(self.tr("整改已完成"))
        self.cases_label = QLabel()
        self.cases_label.setWordWrap(True)
        self.cases_label.setObjectName("hint")
        self.errors.add_row(self.form, self.tr("原因"), "cause", self.cause)
        self.errors.add_row(self.form, self.tr("整改措施"), "measure", self.measure)
        self.errors.add_row(self.form, self.tr("责任人"), "owner", self.owner)
        self.errors.add_row(self.form, self.tr("完成期限"), "due_on", self.due_on)
        self.errors.add_row(self.form, self.tr("整改结果"), "result", self.result_edit)
        self.form.addRow("", self.finished_box)
        self.form.addRow(self.tr("关联工单"), self.cases_label)
        if existing is not None:
            self.cause.setPlainText(existing.cause)
            self.measure.setPlainText(existing.measure)
            self.owner.setText(existing.owner)
            self.due_on.setDate(QDate(existing.due_on.year, existing.due_on.month, existing.due_on.day))
            self.result_edit.setPlainText(existing.result)
            self.finished_box.setChecked(existing.status == recurring.DONE)
            self.cases_label.setText("、".join(existing.cases) or self.tr("无"))
        else:
            self.cases_label.setText(self.tr("保存时自动关联该位置近 90 天的同类工单"))
        self._finish_layout(560)
        self.cause.setFocus()

    def _ok_text(self) -> str:
        return self.tr("保存")

    def _input(self) -> ProblemInput:
        chosen = self.due_on.date()
        return ProblemInput(
            place_key=self.place_key,
            category=self.category,
            cause=self.cause.toPlainText(),
            measure=self.measure.toPlainText(),
            owner=self.owner.text(),
            due_on=date(chosen.year(), chosen.month(), chosen.day()),
            result=self.result_edit.toPlainText(),
            done=self.finished_box.isChecked(),
        )

    def _call(self) -> object:
        if self.existing is None:
            return recurring.create(self._session, self._input())
        return recurring.update(self._session, self.existing.id, self._input(), self.existing.version)

    def _reread(self) -> str:
        assert self.existing is not None
        self.existing = recurring.get(self.existing.id, self._session.clock.today())
        return self.existing.status_label

    def _conflict_texts(self) -> tuple[str, str, str]:
        return (
            self.tr("未能保存"),
            self.tr("该记录刚被他人修改（现在：{0}）。请核对后再点「{1}」。"),
            self.tr("该整改记录已被他人修改，请核对后再保存。"),
        )
