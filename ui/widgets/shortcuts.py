"""Every key the program binds, in one list: 帮助 → 快捷键 shows it, and a test checks that each
shortcut found in the built window (menus, tabs, forms) is on it, so the list cannot fall behind."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QKeySequence


def _tr(text: str) -> str:
    return QCoreApplication.translate("shortcuts", text)


@dataclass(frozen=True)
class Binding:
    keys: tuple[str, ...]  # QKeySequence portable text: "F2", "Ctrl+Return", "Down"
    where: str
    what: str

    def key_text(self) -> str:
        """The keys as this PC writes them (e.g. Ctrl+Enter), joined with " / "."""
        names = {"Return": "Enter", "Ctrl+Return": "Ctrl+Enter", "Down": "↓", "Up": "↑", "A": _tr("字母")}
        shown = [
            names.get(k, QKeySequence(k).toString(QKeySequence.SequenceFormat.NativeText)) for k in self.keys
        ]
        return " / ".join(dict.fromkeys(shown))  # Return and the keypad's Enter both read "Enter"


def bindings() -> tuple[Binding, ...]:
    everywhere = _tr("主窗口任何位置")
    forms = _tr("来电、访客登记、业户办事表单")
    return (
        Binding(("F2",), everywhere, _tr("新建来电登记（正在登记的来电先询问）")),
        Binding(("F3",), everywhere, _tr("新访客登记")),
        Binding(("F4",), everywhere, _tr("登记来函")),
        Binding(("F5",), everywhere, _tr("新建工单（直接登记）")),
        Binding(("F6",), everywhere, _tr("业户办事登记")),
        Binding(
            ("Ctrl+Return", "Ctrl+Enter"), _tr("每个表单和对话框（多行文本框中也可）"), _tr("保存 / 确定")
        ),
        Binding(
            ("Alt+1", "Alt+2", "Alt+3", "Alt+4"),
            _tr("来电表单"),
            _tr("处理结果：当场答复 / 转部门 / 留言 / 待回电"),
        ),
        Binding(("1", "2", "3", "4"), _tr("一组单选按钮（处理结果、受访方答复）"), _tr("选第几项")),
        Binding(("Tab",), _tr("日期、时间框"), _tr("离开这个框（年、月、日用 ← → 切换）")),
        Binding(("A",), _tr("下拉框"), _tr("输入拼音首字母（或首字）选中，如 bx → 报修")),
        Binding(("Return",), forms, _tr("在单行输入框、下拉框、复选框中按下时保存")),
        Binding(("Esc",), forms, _tr("放弃当前登记（有内容时先询问）")),
        Binding(("Down", "Up"), _tr("来电人、住户查找框"), _tr("在查找结果中移动")),
        Binding(("Return",), _tr("住户查找结果"), _tr("选中这位住户")),
        Binding(("Esc",), _tr("住户查找结果"), _tr("关闭查找结果")),
        Binding(("F5",), _tr("投诉分析窗口"), _tr("刷新统计")),
    )


def bound_keys() -> set[str]:
    """Every key sequence on the list (portable text), for the completeness test."""
    return {key for binding in bindings() for key in binding.keys}
