"""Draws the program icon (resources/icons/): a blue rounded square with a white desk bell, as PNGs
from 16 to 256 pixels and a Windows .ico holding them all (for the window, the exe, the installer and
the shortcuts). Re-run after changing the drawing:

    .venv/bin/python scripts/make_icon.py
"""

from __future__ import annotations

import io
import os
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer
from PySide6.QtCore import QIODevice
from PySide6.QtCore import QPointF
from PySide6.QtCore import QRectF
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtGui import QGuiApplication
from PySide6.QtGui import QImage
from PySide6.QtGui import QPainter
from PySide6.QtGui import QPainterPath
from PySide6.QtGui import QPen

OUT = Path(__file__).resolve().parent.parent / "resources" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256)
BLUE = QColor("#1565c0")
WHITE = QColor("#ffffff")


def draw(size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    s = size / 256
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(BLUE)
    p.drawRoundedRect(QRectF(8 * s, 8 * s, 240 * s, 240 * s), 48 * s, 48 * s)
    p.setBrush(WHITE)
    # the bell: a dome on a base, a knob on top
    dome = QPainterPath()
    dome.moveTo(56 * s, 168 * s)
    dome.cubicTo(56 * s, 96 * s, 96 * s, 72 * s, 128 * s, 72 * s)
    dome.cubicTo(160 * s, 72 * s, 200 * s, 96 * s, 200 * s, 168 * s)
    dome.closeSubpath()
    p.drawPath(dome)
    p.drawRoundedRect(QRectF(40 * s, 176 * s, 176 * s, 24 * s), 8 * s, 8 * s)
    p.drawEllipse(QPointF(128 * s, 58 * s), 14 * s, 14 * s)
    if size >= 48:
        pen = QPen(BLUE)
        pen.setWidthF(8 * s)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        p.setPen(pen)
        p.drawArc(QRectF(84 * s, 100 * s, 56 * s, 56 * s), 100 * 16, 70 * 16)
    p.end()
    return image


def png_bytes(image: QImage) -> bytes:
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(buffer.data())


def ico(images: list[QImage]) -> bytes:
    """A .ico holding each image as PNG (Windows Vista and later read PNG entries)."""
    entries = [png_bytes(image) for image in images]
    out = io.BytesIO()
    out.write((0).to_bytes(2, "little") + (1).to_bytes(2, "little") + len(entries).to_bytes(2, "little"))
    offset = 6 + 16 * len(entries)
    for image, data in zip(images, entries, strict=True):
        side = image.width() if image.width() < 256 else 0
        out.write(bytes([side, side, 0, 0]) + (1).to_bytes(2, "little") + (32).to_bytes(2, "little"))
        out.write(len(data).to_bytes(4, "little") + offset.to_bytes(4, "little"))
        offset += len(data)
    for data in entries:
        out.write(data)
    return out.getvalue()


def main() -> int:
    app = QGuiApplication([])  # noqa: F841 — QImage text and painting need the application
    OUT.mkdir(parents=True, exist_ok=True)
    images = [draw(size) for size in SIZES]
    for size, image in zip(SIZES, images, strict=True):
        (OUT / f"reception-{size}.png").write_bytes(png_bytes(image))
    (OUT / "reception.ico").write_bytes(ico(images))
    print(f"{OUT}: {len(SIZES)} PNG + reception.ico")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
