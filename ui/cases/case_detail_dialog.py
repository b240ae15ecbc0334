"""One case (工单): every field, where it came from, the deadline with its countdown, the
history, return visits and (市政设施) the liaison with the outside agency — and the actions its
state allows: 派单/转派, 接单, 答复, 处理完成, 回访, 关闭, 重新打开, 外部联络, 打印派工单.

The buttons only mirror the rules; the service enforces them (and says why when it refuses)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout
from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QTabWidget
from PySide6.QtWidgets import QWidget

from reception.clock import format_local
from reception.errors import ReceptionError
from reception.rules import phones
from reception.services import cases
from reception.services import residents
from reception.services.records import Case
from reception.services.records import CaseEvent
from reception.services.records import LiaisonEntry
from reception.services.session import Session
from ui.cases.case_actions import AcknowledgeDialog
from ui.cases.case_actions import CaseActionDialog
from ui.cases.case_actions import CloseDialog
from ui.cases.case_actions import DispatchDialog
from ui.cases.case_actions import FinishDialog
from ui.cases.case_actions import LiaisonDialog
from ui.cases.case_actions import ReopenDialog
from ui.cases.case_actions import ReplyDialog
from ui.cases.case_actions import ReturnVisitDialog
from ui.widgets import msgbox
from ui.widgets import palette
from ui.widgets.detail_dialog import DetailDialog
from ui.widgets.detail_dialog import SlipTexts
from ui.widgets.detail_dialog import history_table
from ui.widgets.detail_dialog import push_button
from ui.widgets.paged_model import RowsTableModel

_STYLE = f"""
QLabel#status[closed="true"] {{ background: {palette.CLOSED_BG}; color: {palette.CLOSED_CHIP}; }}
QLabel#dueBox {{ padding: 4px 10px; border-radius: 4px; background: {palette.DUE_OK_BG};
                 color: {palette.OK}; }}
QLabel#dueBox[state="warning"] {{ background: {palette.WARNING_BG}; color: {palette.WARNING_DARK}; }}
QLabel#dueBox[state="overdue"] {{ background: {palette.OVERDUE_BG}; color: {palette.OVERDUE};
                                  font-weight: bold; }}
QLabel#dueBox[state="again"] {{ background: {palette.OVERDUE_AGAIN_BG};
                                color: {palette.OVERDUE_AGAIN}; font-weight: bold; }}
QLabel#dueBox[state="done"] {{ background: {palette.PANEL_BG}; color: {palette.TEXT_DARK}; }}
QLabel#closeHint {{ color: {palette.WARNING_DARK}; }}
"""

_STATE_KEYS = {
    cases.OK: "ok",
    cases.WARNING: "warning",
    cases.OVERDUE: "overdue",
    cases.OVERDUE_AGAIN: "again",
}


def status_change(event: CaseEvent) -> str:
    if event.from_status and event.to_status and event.from_status != event.to_status:
        return f"{event.from_status} → {event.to_status}"
    return event.to_status


# The first two columns of every table of the dialog: when, and who did it.
def _when(_model: object, row: Any) -> str:
    return format_local(row.at, "%Y-%m-%d %H:%M")


def _who(_model: object, row: Any) -> str:
    return row.operator.display_name


class EventsModel(RowsTableModel):
    headers = ("时间", "操作人", "操作", "状态", "部门/处理人", "说明")
    context = "CaseEventsModel"
    texts = (
        _when,
        _who,
        "action",
        lambda _, row: status_change(row),
        lambda _, row: "，".join(
            p for p in (row.department.name if row.department else "", row.handler) if p
        ),
        "note",
    )

    def tooltip(self, row: CaseEvent) -> str | None:
        return row.note or None


class VisitsModel(RowsTableModel):
    headers = ("时间", "回访人", "结果", "回访记录")
    context = "CaseVisitsModel"
    texts = (_when, _who, "result", "comment")


class LiaisonModel(RowsTableModel):
    headers = ("时间", "登记人", "联系单位", "对方联系人", "沟通内容")
    context = "CaseLiaisonModel"
    texts = (_when, _who, "agency", "contact", "said")

    def tooltip(self, row: LiaisonEntry) -> str | None:
        return row.said


class CaseDetailDialog(DetailDialog):
    """``changed(case)`` after any action stored something; ``open_case(id)`` asks the tab to
    show another case (an earlier one at the same place)."""

    changed = Signal(object)
    open_case = Signal(int)

    FACTS = (
        ("serial", "编号"),
        ("source", "来源"),
        ("category", "类别"),
        ("place", "位置"),
        ("resident", "业户"),
        ("first_receiver", "首问责任人"),
        ("department", "处理部门"),
        ("handler", "处理人"),
        ("received", "受理时间"),
        ("desk", "受理前台"),
        ("resolve", "解决时限"),
        ("replied", "答复时间"),
        ("closed", "关闭时间"),
        ("", ""),  # keeps 市政设施 / 外部单位 on one row
        ("utility", "市政设施"),
        ("agency", "外部单位"),
    )

    def __init__(self, session: Session, case_id: int, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self._case: Case = cases.get_case(case_id)
        self.action_dialog: CaseActionDialog | None = None
        self._build_and_load(_STYLE, 1000, 780)

    # ---- building -------------------------------------------------------------------------
    def _build(self) -> None:
        layout = self._head_and_facts()

        self.due_label = QLabel()
        self.due_label.setObjectName("dueBox")
        self.recurrence_label = QLabel()
        self.recurrence_label.setObjectName("closeHint")
        self.recurrence_label.setWordWrap(True)
        due_row = QHBoxLayout()
        due_row.addWidget(self.due_label)
        due_row.addWidget(self.recurrence_label, 1)
        layout.addLayout(due_row)

        texts, self.description_view, self.reply_view = self._text_pair(
            self.tr("问题描述"), self.tr("答复业户")
        )
        for view in (self.description_view, self.reply_view):
            view.setMinimumHeight(view.fontMetrics().lineSpacing() * 3 + 14)
            view.setMaximumHeight(view.fontMetrics().lineSpacing() * 7 + 14)
        layout.addLayout(texts, 1)

        self.record_tabs = QTabWidget()
        self.events_model = EventsModel(self)
        self.events_view = history_table(self.events_model, 5)
        self.visits_model = VisitsModel(self)
        self.visits_view = history_table(self.visits_model, 3)
        self.liaison_model = LiaisonModel(self)
        self.liaison_view = history_table(self.liaison_model, 4)
        self.record_tabs.addTab(self.events_view, self.tr("处理记录"))
        self.record_tabs.addTab(self.visits_view, self.tr("回访记录"))
        self.record_tabs.addTab(self.liaison_view, self.tr("外部联络"))
        layout.addWidget(self.record_tabs, 3)

        self.close_hint = QLabel()
        self.close_hint.setObjectName("closeHint")
        self.close_hint.setWordWrap(True)
        layout.addWidget(self.close_hint)

        self.dispatch_button = push_button(self.tr("派单…"), self.open_dispatch)
        self.acknowledge_button = push_button(self.tr("接单…"), self.open_acknowledge)
        self.reply_button = push_button(self.tr("答复…"), self.open_reply)
        self.finish_button = push_button(self.tr("处理完成…"), self.open_finish)
        self.visit_button = push_button(self.tr("回访…"), self.open_visit)
        self.close_case_button = push_button(self.tr("关闭工单…"), self.open_close)
        self.reopen_button = push_button(self.tr("重新打开…"), self.open_reopen)
        self.liaison_button = push_button(self.tr("外部联络…"), self.open_liaison)
        self._print_button(self.tr("打印派工单"), self.tr("另存为文件…"))
        self.back_button = push_button(self.tr("返回"), self.accept)
        self.action_buttons = [
            self.dispatch_button,
            self.acknowledge_button,
            self.reply_button,
            self.finish_button,
            self.visit_button,
            self.close_case_button,
            self.reopen_button,
            self.liaison_button,
        ]
        buttons = self._button_row((*self.action_buttons, self.print_button), self.back_button)
        buttons.setSpacing(6)
        layout.addLayout(buttons)

    # ---- showing ---------------------------------------------------------------------------
    def case(self) -> Case:
        return self._case

    def _load(self) -> None:
        from reception.documents import dispatch_slip

        c = self._case
        self.setWindowTitle(self.tr("工单详情 — {0}").format(c.serial))
        self.title_label.setText(
            self.tr("{0}　{1}").format(self.tr(c.category), dispatch_slip_first_line(c.description))
        )
        self.status_label.setText(self.tr(c.status))
        self._repolish(self.status_label, "closed", c.status == cases.CLOSED)

        resident = c.resident
        if resident is not None:
            room = residents.room_label(resident.building, resident.unit, resident.room)
            phone = phones.mask(resident.phone) or phones.mask(resident.phone_alt)
            who = "　".join(p for p in (resident.name, room, phone) if p)
        else:
            who = self.tr("—（公共区域）")
        municipal = c.category == cases.MUNICIPAL or bool(c.utility)
        values = {
            "serial": c.serial,
            "source": dispatch_slip.source_text(c.source_kind, c.source_id),
            "category": self.tr(c.category),
            "place": "　".join(
                p for p in (c.place_key, c.location if c.location != c.place_key else "") if p
            ),
            "resident": who,
            "first_receiver": c.first_receiver.display_name,
            "department": c.department.name if c.department else self.tr("（待派单）"),
            "handler": c.handler or "—",
            "received": format_local(c.received_at),
            "desk": c.desk or "—",
            "resolve": format_local(c.resolve_due_at) or "—",
            "replied": format_local(c.replied_at) or self.tr("尚未答复"),
            "closed": format_local(c.closed_at) or "—",
            "utility": c.utility or "—",
            "agency": c.agency or "—",
        }
        for key, text in values.items():
            self.fact_labels[key].setText(text)
        for key in ("utility", "agency"):
            self.fact_labels[key].setVisible(municipal)
            self.fact_labels[key + ":caption"].setVisible(municipal)
        self.description_view.setPlainText(c.description)
        self.reply_view.setPlainText(c.reply_text)
        note = ""
        earlier = cases.earlier_at_place(c.category, c.place_key, c.received_at, exclude_id=c.id)
        earlier = [e for e in earlier if e.received_at <= c.received_at]
        if earlier:
            note = self.tr("同一位置近 30 天第 {0} 次{1}（之前：{2}）").format(
                len(earlier) + 1, self.tr(c.category), "、".join(e.serial for e in earlier[:5])
            )
        self.recurrence_label.setText(note)
        self.tick()

        self.events_model.set_rows(cases.events(c.id))
        self.events_view.resizeRowsToContents()
        self.visits_model.set_rows(cases.return_visits(c.id))
        self.liaison_model.set_rows(cases.liaison_log(c.id))
        self.record_tabs.setTabText(1, self.tr("回访记录 ({0})").format(self.visits_model.rowCount()))
        self.record_tabs.setTabVisible(2, municipal or self.liaison_model.rowCount() > 0)
        self._update_buttons()

    def tick(self) -> None:
        """Redraw the deadline and countdown (called every minute by the tab)."""
        c = self._case
        now = self._session.now()
        due = format_local(c.reply_due_at)
        if c.status in cases.UNREPLIED:
            state = cases.deadline_state(c, now)
            left = cases.format_time_left(cases.time_left(c, now))
            text = self.tr("答复期限：{0}　{1}").format(due, left)
            if state in (cases.OVERDUE, cases.OVERDUE_AGAIN) and c.escalation_level:
                text += self.tr("　已上报主管")
            key = _STATE_KEYS[state]
        else:
            text = self.tr("答复期限：{0}　已于 {1} 答复").format(due, format_local(c.replied_at) or "—")
            if c.replied_at is not None and c.replied_at > c.reply_due_at:
                text += self.tr("（超时答复）")
            key = "done"
        self.due_label.setText(text)
        self._repolish(self.due_label, "state", key)

    def _update_buttons(self) -> None:
        status = self._case.status
        self.dispatch_button.setEnabled(status in (cases.PENDING, cases.DISPATCHED, cases.IN_PROGRESS))
        self.dispatch_button.setText(self.tr("转派…") if self._case.department_id else self.tr("派单…"))
        self.acknowledge_button.setEnabled(status == cases.DISPATCHED)
        self.reply_button.setEnabled(status in (cases.DISPATCHED, cases.IN_PROGRESS))
        self.finish_button.setEnabled(status == cases.REPLIED)
        self.visit_button.setEnabled(status == cases.AWAITING_VISIT)
        allowed, why = cases.can_close(self._case)
        self.close_case_button.setEnabled(allowed)
        self.close_case_button.setToolTip(why)
        self.close_hint.setText(
            self.tr("暂不能关闭：{0}").format(why) if why and status != cases.CLOSED else ""
        )
        self.close_hint.setVisible(bool(self.close_hint.text()))
        self.reopen_button.setEnabled(status in (cases.AWAITING_VISIT, cases.CLOSED))
        municipal = self._case.category == cases.MUNICIPAL or bool(self._case.utility)
        self.liaison_button.setVisible(municipal)
        self.liaison_button.setEnabled(status != cases.CLOSED)

    def status_text(self) -> str:
        return self.status_label.text()

    def reload(self) -> None:
        try:
            self._case = cases.get_case(self._case.id)
        except ReceptionError as exc:
            msgbox.error(self, self.tr("无法刷新"), exc.message)
            return
        self._load()

    def _done(self, case: object) -> None:
        """An action finished (``None`` after a conflict: reload what is stored now)."""
        if isinstance(case, Case):
            self._case = case
            self._load()
        else:
            self.reload()
        self.changed.emit(self._case)

    # ---- actions ----------------------------------------------------------------------------
    def _open(self, cls: type[CaseActionDialog]) -> CaseActionDialog:
        dialog = cls(self._session, self._case, self)
        self.action_dialog = dialog
        self._open_action(dialog, self._done)
        return dialog

    def open_dispatch(self) -> CaseActionDialog:
        return self._open(DispatchDialog)

    def open_acknowledge(self) -> CaseActionDialog:
        return self._open(AcknowledgeDialog)

    def open_reply(self) -> CaseActionDialog:
        return self._open(ReplyDialog)

    def open_finish(self) -> CaseActionDialog:
        return self._open(FinishDialog)

    def open_visit(self) -> CaseActionDialog:
        return self._open(ReturnVisitDialog)

    def open_close(self) -> CaseActionDialog | None:
        allowed, why = cases.can_close(self._case)
        if not allowed:
            msgbox.info(self, self.tr("暂不能关闭"), why)
            return None
        return self._open(CloseDialog)

    def open_reopen(self) -> CaseActionDialog:
        return self._open(ReopenDialog)

    def open_liaison(self) -> CaseActionDialog:
        return self._open(LiaisonDialog)

    # ---- the dispatch slip ----------------------------------------------------------------------
    def _render_slip(self, printed_at: datetime) -> bytes:
        from reception.documents import dispatch_slip

        return dispatch_slip.dispatch_slip_for(self._case.id, printed_at=printed_at)

    def _slip_texts(self) -> SlipTexts:
        return SlipTexts(
            self.tr("派工单 {0}").format(self._case.serial),
            self.tr("派工单-{0}.pdf").format(self._case.serial),
            self.tr("无法生成派工单"),
        )


def dispatch_slip_first_line(text: str) -> str:
    lines = text.strip().splitlines()
    line = lines[0] if lines else ""
    return line if len(line) <= 40 else line[:40] + "…"
