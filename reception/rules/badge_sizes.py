"""The label and card sizes a visitor badge can be printed on — the choices the property's settings
and each PC's label stock (设置 → 本机) are checked against. Drawn by :mod:`reception.documents.badge`."""

from __future__ import annotations

from dataclasses import dataclass

MM = 72 / 25.4  # PDF points per millimetre


@dataclass(frozen=True)
class BadgeSize:
    key: str
    label: str  # shown in the settings combo
    width_mm: float
    height_mm: float

    @property
    def width(self) -> float:
        """In PDF points."""
        return self.width_mm * MM

    @property
    def height(self) -> float:
        return self.height_mm * MM

    @property
    def landscape(self) -> bool:
        return self.width_mm > self.height_mm


BADGE_SIZES: dict[str, BadgeSize] = {
    size.key: size
    for size in (
        BadgeSize("62x100", "62×100 mm（兄弟 QL 标签）", 62, 100),
        BadgeSize("57x102", "57×102 mm（DYMO 胸卡标签）", 57, 102),
        BadgeSize("a6", "A6 105×148 mm（纸张）", 105, 148),
        BadgeSize("cr80", "CR80 85.6×54 mm（PVC 卡片，横向）", 85.6, 54),
    )
}
DEFAULT_SIZE = "62x100"
