"""业户资料: the residents directory — a searchable table (phones masked) and the add / edit /
停用 dialog. Everything is read and written through :mod:`reception.services.residents`."""

from __future__ import annotations

from operator import attrgetter

from PySide6.QtCore import QCoreApplication
from PySide6.QtCore import QModelIndex
from PySide6.QtCore import QPersistentModelIndex
from PySide6.QtCore import Qt
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox
from PySide6.QtWidgets import QDialog
from PySide6.QtWidgets import QFormLayout
from PySide6.QtWidgets import QHBoxLayout
from PySide6.QtWidgets import QHeaderView
from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QLineEdit
from PySide6.QtWidgets import QPushButton
from PySide6.QtWidgets import QVBoxLayout
from PySide6.QtWidgets import QWidget

from reception.errors import ReceptionError
from reception.services import residents
from reception.services.records import Resident
from reception.services.residents import ResidentRow
from reception.services.session import Session
from ui.widgets import msgbox
from ui.widgets import palette
from ui.widgets.forms import ascii_only
from ui.widgets.forms import error_label
from ui.widgets.list_position import ROW_ROLE
from ui.widgets.record_list import rows_table
from ui.widgets.records import Column
from ui.widgets.records import RecordsModel
from ui.widgets.records import selected
from ui.widgets.small_dialogs import framed
from ui.widgets.small_dialogs import lay_out
from ui.widgets.small_dialogs import saved

_Index = QModelIndex | QPersistentModelIndex


def _tr(text: str) -> str:
    return QCoreApplication.translate("ResidentsModel", text)


class ResidentsModel(RecordsModel):
    """Rows from ``residents.browse``; the whole directory loads page by page as it is scrolled."""

    (
        COL_BUILDING,
        COL_UNIT,
        COL_ROOM,
        COL_NAME,
        COL_RELATION,
        COL_PHONE,
        COL_PHONE_ALT,
        COL_NOTE,
        COL_STATUS,
    ) = range(9)
    HEADERS = ("楼栋", "单元", "房号", "姓名", "身份", "手机", "备用电话", "备注", "状态")
    ROW_ROLE = ROW_ROLE
    PAGE = 200
    context = "ResidentsModel"

    # the row's attribute shown in each column before 状态
    FIELDS = ("building", "unit", "room", "name", "relation", "phone_masked", "phone_alt_masked", "note")

    def __init__(self, parent: QWidget | None = None) -> None:
        columns: list[Column] = [
            (h, attrgetter(f)) for h, f in zip(self.HEADERS[: self.COL_STATUS], self.FIELDS, strict=True)
        ]
        columns.append((self.HEADERS[self.COL_STATUS], lambda r: _tr("正常") if r.active else _tr("停用")))
        super().__init__(columns, parent)
        self.rows: list[ResidentRow] = []
        self.search = ""
        self._more = False

    def load(self, search: str = "") -> None:
        """Show the residents matching ``search`` (all of them, page by page, when empty)."""
        self.beginResetModel()
        self.search = search.strip()
        if self.search:
            self.rows = residents.browse(self.search, include_inactive=True, limit=self.PAGE)
            self._more = False
        else:
            self.rows = residents.browse("", include_inactive=True, offset=0, limit=self.PAGE)
            self._more = len(self.rows) == self.PAGE
        self.endResetModel()

    def reload(self) -> None:
        self.load(self.search)

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:
        return not parent.isValid() and self._more

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:
        if parent.isValid() or not self._more:
            return
        more = residents.browse("", include_inactive=True, offset=len(self.rows), limit=self.PAGE)
        self._more = len(more) == self.PAGE
        if more:
            self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(more) - 1)
            self.rows.extend(more)
            self.endInsertRows()


class ResidentDialog(QDialog):
    """Add a resident, or edit one (``resident`` given). Messages appear beside their fields."""

    saved_resident = Signal(object)

    def __init__(
        self, session: Session, resident: Resident | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.resident = resident
        self.saved: Resident | None = None
        self.general, self.errors = framed(
            self, self.tr("修改业户资料") if resident else self.tr("新增业户"), 440
        )

        self.building = QLineEdit()
        self.building.setPlaceholderText(self.tr("如 3 或 3栋"))
        self.unit = QLineEdit()
        self.unit.setPlaceholderText(self.tr("没有单元可不填"))
        self.room = QLineEdit()
        self.room.setPlaceholderText(self.tr("如 1201"))
        self.name = QLineEdit()
        self.relation = QComboBox()
        self.relation.setEditable(True)
        self.relation.addItems(residents.RELATIONS)
        self.phone = QLineEdit()
        ascii_only(self.phone)
        self.phone.setPlaceholderText(self.tr("手机 11 位，座机带区号"))
        self.phone_alt = QLineEdit()
        ascii_only(self.phone_alt)
        self.note = QLineEdit()
        self.note.setPlaceholderText(self.tr("如：独居老人、行动不便"))

        form = QFormLayout()
        room_row = QHBoxLayout()
        for caption, field, edit in (
            (self.tr("楼栋"), "building", self.building),
            (self.tr("单元"), "unit", self.unit),
            (self.tr("房号"), "room", self.room),
        ):
            column = QVBoxLayout()
            column.setSpacing(2)
            column.addWidget(QLabel(caption))
            column.addWidget(edit)
            label = error_label(self)
            column.addWidget(label)
            column.addStretch(1)
            self.errors.register(field, edit, label)
            room_row.addLayout(column)
        form.addRow(self.tr("房屋："), room_row)
        self.errors.add_row(form, self.tr("姓名："), "name", self.name)
        self.errors.add_row(form, self.tr("身份："), "relation", self.relation)
        self.errors.add_row(form, self.tr("手机："), "phone", self.phone)
        self.errors.add_row(form, self.tr("备用电话："), "phone_alt", self.phone_alt)
        self.errors.add_row(form, self.tr("备注："), "note", self.note)

        self.ok_button = lay_out(self, form, self.general, self.submit, self.tr("保存"), self.tr("取消"))

        if resident is not None:
            self.building.setText(resident.building)
            self.unit.setText(resident.unit)
            self.room.setText(resident.room)
            self.name.setText(resident.name)
            self.relation.setCurrentText(resident.relation)
            self.phone.setText(resident.phone)
            self.phone_alt.setText(resident.phone_alt)
            self.note.setText(resident.note)
        else:
            self.relation.setCurrentText(residents.RELATIONS[0])
        self.setTabOrder(self.building, self.unit)
        self.setTabOrder(self.unit, self.room)
        self.setTabOrder(self.room, self.name)
        self.building.setFocus()

    def resident_input(self) -> residents.ResidentInput:
        return residents.ResidentInput(
            building=self.building.text(),
            unit=self.unit.text(),
            room=self.room.text(),
            name=self.name.text(),
            relation=self.relation.currentText(),
            phone=self.phone.text(),
            phone_alt=self.phone_alt.text(),
            note=self.note.text(),
        )

    def submit(self) -> None:
        if saved(self.errors, self._save):
            self.saved_resident.emit(self.saved)
            self.accept()

    def _save(self) -> None:
        if self.resident is None:
            self.saved = residents.add_resident(self.session, self.resident_input())
        else:
            self.saved = residents.update_resident(
                self.session, self.resident.id, self.resident_input(), active=self.resident.active
            )


def _input_of(r: Resident) -> residents.ResidentInput:
    return residents.ResidentInput(
        building=r.building,
        unit=r.unit,
        room=r.room,
        name=r.name,
        relation=r.relation,
        phone=r.phone,
        phone_alt=r.phone_alt,
        note=r.note,
    )


class ResidentsDialog(QDialog):
    """The directory window opened from 业户 → 业户资料."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle(self.tr("业户资料"))
        self.resize(980, 620)
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("输入房号（3-2-1201）、电话（或后四位）、姓名或拼音首字母"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.apply_search)
        self.count_label = QLabel()
        self.count_label.setStyleSheet(f"color: {palette.FADED_DARK};")

        self.model = ResidentsModel(self)
        self.view = rows_table(self.model, alternate=True)
        self.view.verticalHeader().setDefaultSectionSize(self.view.fontMetrics().height() + 10)
        header = self.view.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(ResidentsModel.COL_NOTE, QHeaderView.ResizeMode.Stretch)
        for column, width in (
            (ResidentsModel.COL_BUILDING, 60),
            (ResidentsModel.COL_UNIT, 60),
            (ResidentsModel.COL_ROOM, 70),
            (ResidentsModel.COL_NAME, 90),
            (ResidentsModel.COL_RELATION, 60),
            (ResidentsModel.COL_PHONE, 120),
            (ResidentsModel.COL_PHONE_ALT, 120),
            (ResidentsModel.COL_STATUS, 60),
        ):
            self.view.setColumnWidth(column, width)
        self.view.doubleClicked.connect(self.edit)

        self.add_button = QPushButton(self.tr("新增…"))
        self.edit_button = QPushButton(self.tr("修改…"))
        self.toggle_button = QPushButton(self.tr("停用"))
        close = QPushButton(self.tr("关闭"))
        self.add_button.clicked.connect(self.add)
        self.edit_button.clicked.connect(self.edit)
        self.toggle_button.clicked.connect(self.toggle_active)
        close.clicked.connect(self.accept)
        for button in (self.add_button, self.edit_button, self.toggle_button, close):
            button.setAutoDefault(False)

        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("查找：")))
        top.addWidget(self.search, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count_label, 1)
        bottom.addWidget(self.add_button)
        bottom.addWidget(self.edit_button)
        bottom.addWidget(self.toggle_button)
        bottom.addSpacing(16)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addLayout(bottom)

        self.model.load()
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.model.modelReset.connect(self._update_buttons)
        self._update_buttons()
        self.search.setFocus()

    def apply_search(self, text: str | None = None) -> None:
        self.model.load(self.search.text() if text is None else text)

    def selected(self) -> ResidentRow | None:
        return selected(self.view)

    def _update_buttons(self) -> None:
        r = self.selected()
        self.edit_button.setEnabled(r is not None)
        self.toggle_button.setEnabled(r is not None)
        self.toggle_button.setText(self.tr("恢复") if r is not None and not r.active else self.tr("停用"))
        if self.model.search:
            self.count_label.setText(self.tr("找到 %n 户", "", len(self.model.rows)))
        else:
            self.count_label.setText(self.tr("共 %n 条业户资料", "", residents.count()))

    def _select(self, resident_id: int) -> None:
        for row, r in enumerate(self.model.rows):
            if r.id == resident_id:
                self.view.selectRow(row)
                self.view.scrollTo(self.model.index(row, 0))
                return

    def _open(self, resident: Resident | None) -> None:
        self.dialog = ResidentDialog(self.session, resident, self)
        self.dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog.saved_resident.connect(self._after_save)
        self.dialog.open()

    def _after_save(self, saved: object) -> None:
        self.model.reload()
        if isinstance(saved, Resident):
            self._select(saved.id)

    def add(self) -> None:
        self._open(None)

    def edit(self) -> None:
        r = self.selected()
        if r is not None:
            self._open(residents.get(r.id))  # the record itself, to edit

    def toggle_active(self) -> None:
        r = self.selected()
        if r is None:
            return
        if r.active and not msgbox.ask(
            self,
            self.tr("停用业户"),
            self.tr("停用后查找来电业户时不再显示 %1（%2）。确定停用吗？")
            .replace("%1", r.name)
            .replace("%2", residents.short_room(r.building, r.unit, r.room)),
        ):
            return
        try:
            full = residents.get(r.id)
            saved = residents.update_resident(self.session, r.id, _input_of(full), active=not r.active)
        except ReceptionError as exc:
            msgbox.error(self, self.tr("业户资料"), exc.message)
            return
        self._after_save(saved)
