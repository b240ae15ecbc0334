"""The shared ``boxes`` fixture (tests/ui/conftest.py): every box of ui.widgets.msgbox recorded in
order, questions answered from the queue or with the default, refused kinds and file dialogs
failing the test at once."""

from __future__ import annotations

import pytest

from reception.errors import StorageError
from ui.widgets import msgbox


def test_boxes_are_recorded_in_order_with_kind_title_and_text(boxes) -> None:
    msgbox.info(None, "立即备份", "备份完成。")
    msgbox.error(None, "保存失败", "磁盘空间不足")
    assert boxes.shown == [("info", "立即备份", "备份完成。"), ("error", "保存失败", "磁盘空间不足")]
    assert boxes.kinds() == ["info", "error"]
    assert boxes.texts() == ["备份完成。", "磁盘空间不足"] and boxes.texts("error") == ["磁盘空间不足"]
    assert (boxes.last.kind, boxes.last.title, boxes.last.text) == ("error", "保存失败", "磁盘空间不足")


def test_last_without_any_box_fails(boxes) -> None:
    with pytest.raises(AssertionError, match="no message box"):
        _ = boxes.last


def test_questions_take_the_queued_answers_then_the_default(boxes) -> None:
    boxes.answers.extend([True, False, True])
    assert msgbox.ask(None, "退出", "确定要退出吗？", default_yes=True) is True
    assert msgbox.retry(None, "保存失败", "数据库正忙") is False
    assert msgbox.retry_or_quit(None, "数据库正在使用", "请关闭另一个程序") is True
    assert msgbox.ask(None, "退出", "确定要退出吗？") is False  # none left: 否
    boxes.unanswered = True
    assert msgbox.retry(None, "保存失败", "数据库正忙") is True
    assert boxes.kinds() == ["ask", "retry", "retry_or_quit", "ask", "retry"]


def test_an_unanswered_question_can_fail_the_test(boxes) -> None:
    boxes.unanswered = None
    boxes.answers.append(False)
    assert msgbox.ask(None, "放弃登记", "确定放弃吗？") is False
    with pytest.raises(AssertionError, match="unanswered ask box: 放弃登记"):
        msgbox.ask(None, "放弃登记", "确定放弃吗？")
    assert boxes.kinds() == ["ask", "ask"]


def test_refused_kinds_fail_the_test_where_shown(boxes) -> None:
    boxes.refused.add("error")
    msgbox.info(None, "提示", "已保存")
    with pytest.raises(AssertionError, match="unexpected error box: 已被其他人更新"):
        msgbox.error(None, "已被其他人更新", "您的操作未保存")
    boxes.refused.discard("error")
    msgbox.error(None, "已被其他人更新", "您的操作未保存")
    assert boxes.kinds() == ["info", "error", "error"]


def test_storage_failure_shows_its_retry_or_error_box(boxes) -> None:
    boxes.answers.append(True)
    assert msgbox.storage_failure(None, "保存失败", StorageError("数据库正忙")) is True
    assert msgbox.storage_failure(None, "保存失败", StorageError("文件已损坏", retryable=False)) is False
    assert boxes.shown == [("retry", "保存失败", "数据库正忙"), ("error", "保存失败", "文件已损坏")]


def test_ask_text_returns_the_typed_texts_then_cancels(boxes) -> None:
    boxes.typed.extend(["核实投诉", ""])
    assert msgbox.ask_text(None, "查看完整号码", "请填写查看原因：") == "核实投诉"
    assert msgbox.ask_text(None, "查看完整号码", "请填写查看原因：") == ""
    assert msgbox.ask_text(None, "查看完整号码", "请填写查看原因：") is None
    assert boxes.shown[0] == ("ask_text", "查看完整号码", "请填写查看原因：")
    assert boxes.kinds() == ["ask_text"] * 3


@pytest.mark.parametrize(
    ("dialog", "args"),
    [
        ("open_file", ("选择文件", "*.xlsx")),
        ("open_files", ("追加附件", "*.pdf")),
        ("save_file", ("导出", "来函.xlsx", "*.xlsx")),
        ("choose_folder", ("选择第二备份位置",)),
    ],
)
def test_file_dialogs_fail_unless_the_test_replaces_them(boxes, dialog, args) -> None:
    with pytest.raises(AssertionError, match="unexpected file dialog"):
        getattr(msgbox, dialog)(None, *args)
    assert boxes.shown == []
