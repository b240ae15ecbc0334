"""投诉分析 — the complaint analysis window (报表 → 投诉分析…；规程：投诉问题分析总结).

A period (a calendar month, the last 30 days, this year or any range) is analysed by
:func:`reception.services.analysis.build`; the window shows the key figures as large numbers, the charts
(by category, by department, the 12-month trend), the 分析要点 written by
:mod:`reception.documents.complaints_report`, and every table of the report. It exports the same report to
Excel and prints, previews or saves the 投诉分析总结 PDF. All figures come from the core: the
window runs no query of its own."""

from __future__ import annotations

import html
from datetime import date
from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtCore import QLocale
from PySide6.QtCore import QSortFilterProxyModel
from PySide6.QtCore import Qt
from PySide6.QtCore import Signal
from PySide6.QtGui import QColor
from PySide6.QtGui import QFont
from PySide6.QtGui import QKeySequence
from PySide6.QtGui import QShortcut
from PySide6.QtWidgets import QAbstractItemView
from PySide6.QtWidgets import QComboBox
from PySide6.QtWidgets import QDateEdit
from PySide6.QtWidgets import QDialog
from PySide6.QtWidgets import QFrame
from PySide6.QtWidgets import QGridLayout
from PySide6.QtWidgets import QHBoxLayout
from PySide6.QtWidgets import QHeaderView
from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QPushButton
from PySide6.QtWidgets import QTableView
from PySide6.QtWidgets import QTabWidget
from PySide6.QtWidgets import QTextBrowser
from PySide6.QtWidgets import QVBoxLayout
from PySide6.QtWidgets import QWidget

from reception.documents import complaints_report
from reception.errors import ReceptionError
from reception.services import analysis
from reception.services import phone_line
from reception.services import recurring
from reception.services import settings as settings_mod
from reception.services.analysis import Period
from reception.services.analysis import Report
from reception.services.analysis import Table
from reception.services.session import Role
from reception.services.session import Session
from ui.analysis.analysis_charts import BLUE
from ui.analysis.analysis_charts import GREEN
from ui.analysis.analysis_charts import AnalysisChart
from ui.analysis.analysis_table_model import SORT_ROLE
from ui.analysis.analysis_table_model import AnalysisTableModel
from ui.analysis.recurring_dialog import RecurringProblemDialog
from ui.widgets import msgbox
from ui.widgets import palette
from ui.widgets.detail_dialog import fit_screen
from ui.widgets.dialog_parts import PdfOutput
from ui.widgets.dialog_parts import menu_button
from ui.widgets.export_dialog import save_xlsx

_RED = QColor(palette.OVERDUE)
_CHINESE = QLocale(QLocale.Language.Chinese, QLocale.Country.China)

# Period kinds in the selector
MONTH, LAST_30_DAYS, THIS_YEAR, CUSTOM = range(4)


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class FigureTile(QFrame):
    """One key figure: a caption and a large number."""

    def __init__(self, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("figureTile")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet(
            f"#figureTile {{ background: {palette.TILE_BG}; border: 1px solid {palette.TILE_LINE};"
            " border-radius: 6px; }"
        )
        self.caption = QLabel(caption)
        self.caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.caption.setStyleSheet(f"color: {palette.MUTED};")
        self.value = QLabel("—")
        self.value.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = QFont(self.font())
        font.setPointSizeF(max(font.pointSizeF(), 9) * 2.2)
        font.setBold(True)
        self.value.setFont(font)
        self.value.setStyleSheet(f"color: {palette.TEXT};")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(2)
        layout.addWidget(self.caption)
        layout.addWidget(self.value)

    def set_value(self, text: str) -> None:
        self.value.setText(text)


class TablePage(QWidget):
    """One table of the report: its full title and a sortable read-only view."""

    action = Signal(object)  # its 登记整改… / 更新整改… button was clicked

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setStyleSheet(f"color: {_RED.name()};")
        self.note.hide()
        self.model = AnalysisTableModel(parent=self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.view = QTableView()
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # the core's order until a header is clicked
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().setDefaultSectionSize(26)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        header.setMinimumSectionSize(90)
        self.table_title = ""
        self.empty = QLabel()
        self.empty.setStyleSheet(f"color: {palette.MUTED};")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.title)
        layout.addWidget(self.note)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.empty)
        self.action_button: QPushButton | None = None  # 登记整改… / 更新整改… on those two pages

    def add_action(self, text: str) -> QPushButton:
        if self.action_button is None:
            self.action_button = QPushButton(text)
            self.action_button.clicked.connect(self._emit_action)
            row = QHBoxLayout()
            row.addWidget(self.action_button)
            row.addStretch(1)
            layout = self.layout()
            assert isinstance(layout, QVBoxLayout)
            layout.addLayout(row)
        self.action_button.setText(text)
        return self.action_button

    def _emit_action(self) -> None:
        self.action.emit(self)

    def current_source_row(self) -> int:
        index = self.view.currentIndex()
        return self.proxy.mapToSource(index).row() if index.isValid() else -1

    def set_table(self, table: Table, empty_text: str) -> None:
        self.table_title = table.title
        self.title.setText(f"<b>{html.escape(table.title)}</b>")
        self.model.set_table(table)
        self.empty.setText(empty_text)
        self.empty.setVisible(not table.rows)
        header = self.view.horizontalHeader()
        count = self.model.columnCount()
        for col in range(count):
            header.setSectionResizeMode(
                col, QHeaderView.ResizeMode.Stretch if col == 0 else QHeaderView.ResizeMode.ResizeToContents
            )


class AnalysisWindow(QDialog):
    """The 投诉分析 window. Building it reads the current month's analysis; it opens no dialog."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.report: Report | None = None
        self._loading = False
        self.setWindowTitle(self.tr("投诉分析"))
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.setWindowFlag(Qt.WindowType.WindowMinimizeButtonHint, True)
        self.setSizeGripEnabled(True)
        self.resize(*fit_screen(self, 1180, 760))  # 1180×688 on a 1366×768 desk monitor
        self.setMinimumSize(900, 600)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.setSpacing(8)
        layout.addLayout(self._build_period_bar())
        # What is counted (every case, not only complaints) and whether the period is still running.
        self.scope_label = QLabel()
        self.scope_label.setWordWrap(True)
        self.scope_label.setStyleSheet(f"color: {palette.MUTED};")
        self.partial_label = QLabel()
        self.partial_label.setStyleSheet(f"color: {palette.WARNING}; font-weight: bold;")
        notes = QHBoxLayout()
        notes.addWidget(self.scope_label, 1)
        notes.addWidget(self.partial_label)
        layout.addLayout(notes)
        layout.addLayout(self._build_tiles())
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self._build_chart_tab()
        self.points = QTextBrowser()
        self.points.setOpenLinks(False)
        self.tabs.addTab(self.points, self.tr("分析要点"))
        self.phone_hour_page = TablePage()  # the three-ring figure of the desk phone (all desks)
        self.phone_operator_page = TablePage()
        self.phone_hour_chart = AnalysisChart(self.tr("三声之内接听率（%），按时段"))
        self.phone_hour_chart.setMinimumHeight(240)
        hour_layout = self.phone_hour_page.layout()
        assert isinstance(hour_layout, QVBoxLayout)
        hour_layout.addWidget(self.phone_hour_chart, 1)
        self.tabs.addTab(self.phone_hour_page, self.tr("电话接听（按时段）"))
        self.tabs.addTab(self.phone_operator_page, self.tr("电话接听（按接听人）"))
        self.table_pages: list[TablePage] = []
        layout.addWidget(self.tabs, 1)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Refresh), self, self.refresh)

        self._kind_changed()

    # ---- building -------------------------------------------------------------------------------
    def _date_edit(self, display: str) -> QDateEdit:
        edit = QDateEdit()
        edit.setLocale(_CHINESE)
        edit.setDisplayFormat(display)
        edit.setCalendarPopup(True)
        edit.calendarWidget().setLocale(_CHINESE)
        edit.setDate(_qdate(self._today()))
        return edit

    def _build_period_bar(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(6)
        row.addWidget(QLabel(self.tr("统计期间：")))
        self.kind = QComboBox()
        self.kind.addItems([self.tr("按月"), self.tr("近 30 天"), self.tr("本年"), self.tr("自定义")])
        self.kind.currentIndexChanged.connect(self._kind_changed)
        row.addWidget(self.kind)

        self.previous_month = QPushButton(self.tr("‹ 上月"))
        self.previous_month.clicked.connect(lambda: self._step_month(-1))
        self.month_edit = self._date_edit("yyyy年M月")
        self.month_edit.setMinimumWidth(120)
        self.month_edit.dateChanged.connect(self._controls_changed)
        self.next_month = QPushButton(self.tr("下月 ›"))
        self.next_month.clicked.connect(lambda: self._step_month(1))
        self.from_edit = self._date_edit("yyyy-MM-dd")
        self.to_label = QLabel(self.tr("至"))
        self.to_edit = self._date_edit("yyyy-MM-dd")
        self.from_edit.setDate(_qdate(self._today().replace(day=1)))
        for edit in (self.from_edit, self.to_edit):
            edit.dateChanged.connect(self._controls_changed)
        for widget in (
            self.previous_month,
            self.month_edit,
            self.next_month,
            self.from_edit,
            self.to_label,
            self.to_edit,
        ):
            row.addWidget(widget)
        self.period_label = QLabel()
        self.period_label.setStyleSheet(f"color: {palette.MUTED};")
        row.addWidget(self.period_label)
        self.refresh_button = QPushButton(self.tr("刷新"))
        self.refresh_button.setToolTip(self.tr("重新统计（F5）"))
        self.refresh_button.clicked.connect(self.refresh)
        row.addWidget(self.refresh_button)
        row.addStretch(1)

        self.export_button = QPushButton(self.tr("导出 Excel…"))
        self.export_button.clicked.connect(self.export_excel)
        # Exports are for supervisors (the service refuses anyone else and logs the attempt).
        self.export_button.setEnabled(self.session.has(Role.SUPERVISOR))
        if not self.export_button.isEnabled():
            self.export_button.setToolTip(self.tr("导出需要主管权限"))
        row.addWidget(self.export_button)
        self.pdf_button, actions = menu_button(
            self.tr("生成总结 PDF"),
            [
                (self.tr("预览并打印…"), self.preview_pdf),
                (self.tr("直接打印"), self.print_pdf),
                (self.tr("另存为 PDF…"), self.save_pdf),
            ],
        )
        self.preview_action, self.print_action, self.save_pdf_action = actions
        row.addWidget(self.pdf_button)
        return row

    def _build_tiles(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(10)
        # Keys are the core's labels in analysis.summary_rows; captions are translated.
        self.tiles: dict[str, FigureTile] = {
            "工单总数": FigureTile(self.tr("工单总数")),
            "按时答复率": FigureTile(self.tr("按时答复率")),
            "平均答复用时": FigureTile(self.tr("平均答复用时")),
            "平均关闭用时": FigureTile(self.tr("平均关闭用时")),
            "回访满意率": FigureTile(self.tr("回访满意率")),
        }
        for tile in self.tiles.values():
            row.addWidget(tile, 1)
        return row

    def _build_chart_tab(self) -> None:
        page = QWidget()
        grid = QGridLayout(page)
        grid.setContentsMargins(4, 6, 4, 4)
        grid.setSpacing(8)
        self.category_chart = AnalysisChart(self.tr("按类别"))
        self.department_chart = AnalysisChart(self.tr("按部门"))
        self.trend_chart = AnalysisChart(self.tr("按月份（近 12 个月）"))
        grid.addWidget(self.category_chart, 0, 0)
        grid.addWidget(self.department_chart, 0, 1)
        grid.addWidget(self.trend_chart, 1, 0, 1, 2)
        grid.setRowStretch(0, 1)
        grid.setRowStretch(1, 1)
        self.tabs.addTab(page, self.tr("图表"))

    # ---- the period -----------------------------------------------------------------------------
    def _today(self) -> date:
        return self.session.clock.today()

    def _step_month(self, months: int) -> None:
        self.month_edit.setDate(self.month_edit.date().addMonths(months))

    def _kind_changed(self) -> None:
        kind = self.kind.currentIndex()
        for widget in (self.previous_month, self.month_edit, self.next_month):
            widget.setVisible(kind == MONTH)
        for part in (self.from_edit, self.to_label, self.to_edit):
            part.setVisible(kind == CUSTOM)
        self.period_label.setVisible(kind in (LAST_30_DAYS, THIS_YEAR))
        self.refresh()

    def _controls_changed(self) -> None:
        if not self._loading:
            self.refresh()

    def period(self) -> Period | None:
        """The period chosen in the selector; None (and a note) for a reversed custom range."""
        kind = self.kind.currentIndex()
        today = self._today()
        if kind == MONTH:
            chosen = self.month_edit.date()
            return Period.month(chosen.year(), chosen.month())
        if kind == LAST_30_DAYS:
            return Period.days(today - timedelta(days=29), today)
        if kind == THIS_YEAR:
            return Period.days(date(today.year, 1, 1), today)
        first, last = _pydate(self.from_edit.date()), _pydate(self.to_edit.date())
        if last < first:
            return None
        return Period.days(first, last)

    def set_month(self, year: int, month: int) -> None:
        """Show one calendar month (the selector follows)."""
        self._loading = True
        try:
            self.month_edit.setDate(QDate(year, month, 1))
            self.kind.setCurrentIndex(MONTH)
        finally:
            self._loading = False
        self.refresh()

    def set_range(self, first: date, last: date) -> None:
        self._loading = True
        try:
            self.from_edit.setDate(_qdate(first))
            self.to_edit.setDate(_qdate(last))
            self.kind.setCurrentIndex(CUSTOM)
        finally:
            self._loading = False
        self.refresh()

    # ---- showing --------------------------------------------------------------------------------
    def refresh(self) -> None:
        if self._loading:
            return
        period = self.period()
        if period is None:
            self.period_label.setText(self.tr("结束日期不能早于开始日期"))
            self.period_label.setStyleSheet(f"color: {_RED.name()};")
            self.period_label.show()
            return
        self.period_label.setStyleSheet(f"color: {palette.MUTED};")
        self.period_label.setText(period.label)
        try:
            report = analysis.build(period, self.session.now())
            by_hour, by_operator = phone_line.breakdown_tables(period.start, period.end)
        except ReceptionError as exc:
            msgbox.error(self, self.tr("统计失败"), exc.message)
            return
        self.show_report(report)
        no_rings = self.tr("所选期间电话线路没有来电记录（设置 → 本机 → 电话）。")
        self.phone_hour_page.set_table(by_hour, no_rings)
        self.phone_hour_chart.show_bars(
            [str(row[0]).partition("–")[0] for row in by_hour.rows],
            [int(str(row[4]).rstrip("%")) if str(row[4]).endswith("%") else 0 for row in by_hour.rows],
            self.tr("时段"),
            BLUE,
            value_title=self.tr("接听率（%）"),
            percent=True,
        )
        self.phone_operator_page.set_table(by_operator, no_rings)

    def show_report(self, report: Report) -> None:
        self.report = report
        self.setWindowTitle(self.tr("投诉分析 — {0}").format(report.period.label))
        figures = {str(label): str(value) for label, value in analysis.summary_rows(report)}
        for key, tile in self.tiles.items():
            tile.set_value(figures.get(key, "—"))
        self.scope_label.setText(
            self.tr(
                "统计范围：期间内受理的全部工单（投诉、报修、咨询等各类，共 {0} 件，其中投诉 {1} 件），"
                "不只是投诉"
            ).format(report.total, report.complaints)
        )
        self.partial_label.setText(self._partial_text(report))
        self.partial_label.setVisible(bool(report.partial))

        no_cases = self.tr("所选期间没有工单。")
        category = complaints_report.find_table(report, complaints_report.CATEGORY)
        department = complaints_report.find_table(report, complaints_report.DEPARTMENT)
        for chart, table, axis_title, color in (
            (self.category_chart, category, self.tr("类别"), BLUE),
            (self.department_chart, department, self.tr("部门"), GREEN),
        ):
            rows = table.rows if table is not None else []
            chart.show_bars([str(r[0]) for r in rows], [int(str(r[1])) for r in rows], axis_title, color)
        self.trend_chart.show_trend(complaints_report.monthly_series(report))

        items = "".join(f"<li>{html.escape(p)}</li>" for p in complaints_report.analysis_points(report))
        self.points.setHtml(
            f"<h3>{html.escape(self.tr('分析要点 — {0}').format(report.period.label))}</h3>"
            f"<ul style='line-height:160%'>{items}</ul>"
        )
        self._show_tables(report, no_cases)

    def _show_tables(self, report: Report, no_cases: str) -> None:
        """One tab per table; the repeat problems first, marked in red when there are any."""
        tables = sorted(
            report.tables, key=lambda t: 0 if t.title.startswith(complaints_report.REPEATS) else 1
        )
        while len(self.table_pages) < len(tables):
            page = TablePage()
            self.table_pages.append(page)
            page.action.connect(self._page_action)
            self.tabs.addTab(page, "")
        while len(self.table_pages) > len(tables):
            page = self.table_pages.pop()
            self.tabs.removeTab(self.tabs.indexOf(page))
            page.deleteLater()
        bar = self.tabs.tabBar()
        supervisor = self.session.has(Role.SUPERVISOR)
        for page in self.table_pages:
            if page.action_button is not None:
                page.action_button.hide()
        for page, table in zip(self.table_pages, tables, strict=True):
            repeats = table.title.startswith(complaints_report.REPEATS)
            tracking = table.title.startswith(analysis.TRACKING)
            empty = self.tr("所选期间未发现同一位置反复出现的同类问题。") if repeats else no_cases
            if tracking:
                empty = self.tr("没有整改记录。在「重复问题」页选中一处，点「登记整改…」。")
            page.set_table(table, empty)
            if repeats or tracking:
                button = page.add_action(self.tr("登记整改…") if repeats else self.tr("更新整改…"))
                button.setVisible(True)
                button.setEnabled(supervisor and bool(table.rows))
                button.setToolTip("" if supervisor else self.tr("登记和更新整改需要主管权限"))
            index = self.tabs.indexOf(page)
            name = table.title.split("（")[0]
            if repeats and table.rows:
                self.tabs.setTabText(index, self.tr("{0}（{1} 处）").format(name, len(table.rows)))
                bar.setTabTextColor(index, _RED)
                page.note.setText(
                    self.tr("这些位置反复出现同类问题：请责任部门查明原因、制定整改措施，防止问题重复发生。")
                )
                page.note.show()
            else:
                self.tabs.setTabText(index, name)
                bar.setTabTextColor(index, QColor())
                page.note.hide()

    def _partial_text(self, report: Report) -> str:
        if not report.partial:
            return ""
        now = self.session.clock.local_now()
        noun = self.tr("本月") if report.period.kind == "month" else self.tr("本期")
        if report.days_elapsed == 0:
            return self.tr("{0}尚未开始").format(noun)
        whole = self.tr("全月") if report.period.kind == "month" else self.tr("全期")
        return self.tr("{0}截至{1}月{2}日，共{3}天（{4} {5} 天），与整月比较时请看日均").format(
            noun, now.month, now.day, report.days_elapsed, whole, report.period.days_in()
        )

    def _page_action(self, page: TablePage) -> None:
        if page.table_title.startswith(complaints_report.REPEATS):
            self.record_problem(page)
        else:
            self.update_problem(page)

    def record_problem(self, page: TablePage) -> RecurringProblemDialog | None:
        """登记整改 for the repeat place selected (the first one when none is); an open record is updated."""
        rows = page.model.rows()
        if not rows:
            return None
        row = rows[max(page.current_source_row(), 0)]
        place, category = str(row[0]), str(row[1])
        existing = recurring.open_for(place, category)
        current = recurring.get(existing.id, self._today()) if existing is not None else None
        return self._open_problem(RecurringProblemDialog(self.session, place, category, current, self))

    def update_problem(self, page: TablePage) -> RecurringProblemDialog | None:
        table = self.report.table(page.table_title) if self.report else None
        if table is None or not table.ids:
            return None
        problem = recurring.get(table.ids[max(page.current_source_row(), 0)], self._today())
        dialog = RecurringProblemDialog(self.session, problem.place_key, problem.category, problem, self)
        return self._open_problem(dialog)

    def _open_problem(self, dialog: RecurringProblemDialog) -> RecurringProblemDialog:
        dialog.done_with.connect(lambda _record: self.refresh())
        dialog.open()
        return dialog

    def table_page(self, prefix: str) -> TablePage:
        """The page showing the report table whose title starts with ``prefix``."""
        return next(p for p in self.table_pages if p.table_title.startswith(prefix))

    # ---- export and print -----------------------------------------------------------------------
    def _file_label(self) -> str:
        return self.report.period.label.replace(" ", "") if self.report else ""

    def export_excel(self) -> Path | None:
        if self.report is None:
            return None
        suggested = self.tr("投诉分析-{0}.xlsx").format(self._file_label())
        report = self.report
        saved = save_xlsx(
            self,
            self.tr("导出投诉分析"),
            suggested,
            lambda path: analysis.export_xlsx(self.session, report, path),
        )
        if saved is None:
            return None
        path = saved[0]
        msgbox.info(self, self.tr("导出完成"), self.tr("投诉分析已导出到：\n{0}").format(path))
        return path

    def pdf_title(self) -> str:
        label = self.report.period.label if self.report else ""
        return self.tr("投诉分析总结（{0}）").format(label)

    def render_pdf(self) -> bytes | None:
        """The 投诉分析总结 of the period shown, as PDF bytes."""
        if self.report is None:
            return None
        try:
            name = settings_mod.load().property_name
            return complaints_report.render_complaints_report(
                self.report, name, self.session.clock.local_now()
            )
        except ReceptionError as exc:
            msgbox.error(self, self.tr("未能生成 PDF"), exc.message)
            return None

    def summary(self) -> PdfOutput:
        title = self.pdf_title()
        return PdfOutput(
            self,
            self.render_pdf,
            title,
            title.replace(" ", "") + ".pdf",
            preview_failed=self.tr("无法预览"),
            print_failed=self.tr("打印失败"),
        )

    def preview_pdf(self) -> None:
        self.summary().preview()

    def print_pdf(self) -> bool:
        return self.summary().print()

    def save_pdf(self) -> Path | None:
        return self.summary().save()
