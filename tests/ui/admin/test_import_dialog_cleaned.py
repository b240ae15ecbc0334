"""The import dialog says which notes were cleaned (the residents are imported all the same)."""

from __future__ import annotations

from reception.services import residents
from ui.admin.import_dialog import ImportDialog

HEADER = "楼栋,单元,房号,姓名,身份,手机,备用电话,备注"


def test_dialog_reports_cleaned_notes(qtbot, admin, tmp_path):
    path = tmp_path / "业户.csv"
    path.write_text(
        HEADER + '\n9栋,1单元,101,秦一,业主,13800000041,,"钥匙\x0b在前台"\n9栋,1单元,102,尤二,业主,12,,\n',
        encoding="utf-8",
    )
    dialog = ImportDialog(admin)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.run_import(path)
    assert residents.count() == 1
    text = dialog.summary.text()
    assert text.startswith("导入 1 条，更新 0 条，未变 0 条，拒绝 1 条")
    assert "已清理 1 处：第 2 行「备注」列" in text
    assert dialog.rejected_model.index(0, 1).data().startswith("「手机」列：")
