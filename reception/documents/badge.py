"""访客证 — the visitor badge, as a one-page PDF sized for the label or card the desk prints on.

The badge shows what a guard or a resident needs to see and nothing more: the property, the
visitor's name, where they are going (building/unit, never the host's name), why, when they came
in and until when the pass is valid, and the pass number as text and as a QR code; a USB scanner
at the desk reads the code back at check-out. Phone and ID numbers are never printed, so
:class:`BadgeData` has no field for them.

Long names and purposes are never clipped: the text is made smaller down to a minimum, then
wrapped, and only as a last resort cut short with "…". Rare characters (𠮷 䶮 𪚥) print from the
fallback fonts (:mod:`pdf_fonts`); one that no bundled font has stops the badge with
:class:`pdf_fonts.UnprintableCharacter` naming it, before anything is drawn.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from reportlab.graphics.barcode import qrencoder
from reportlab.lib.colors import Color
from reportlab.lib.colors import black
from reportlab.lib.colors import white
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from reception.documents import pdf_fonts
from reception.rules.badge_sizes import BADGE_SIZES
from reception.rules.badge_sizes import DEFAULT_SIZE
from reception.rules.badge_sizes import BadgeSize

# --------------------------------------------------------------------------------------------
# Sizes


# BadgeSize, BADGE_SIZES and DEFAULT_SIZE: reception.rules.badge_sizes (the settings check against them).

FOOTER = "请佩戴访客证，离开时交还前台"

# --------------------------------------------------------------------------------------------
# Data


@dataclass(frozen=True, kw_only=True)
class BadgeData:
    """What is printed. Deliberately no host name, phone or ID number: a badge is worn in public."""

    property_name: str
    pass_no: str  # e.g. "LF20261126-012"; the QR code holds exactly this
    visitor_name: str
    destination: str  # building/unit, e.g. "3栋2单元"
    purpose: str
    issued_at: datetime  # naive local time
    valid_until: datetime  # naive local time
    party_size: int = 1
    reprint: bool = False
    visitor_unit: str = ""  # 来访单位, printed under the name when the badge has room

    def __post_init__(self) -> None:
        if not self.pass_no.strip():
            raise ValueError("pass_no is empty")
        if self.issued_at.tzinfo is not None or self.valid_until.tzinfo is not None:
            raise ValueError("issued_at and valid_until must be naive local times")
        if self.party_size < 1:
            raise ValueError("party_size must be at least 1")


def render_badge(data: BadgeData, size: str = DEFAULT_SIZE) -> bytes:
    """The badge as PDF bytes, one page of exactly the label size."""
    return _render(data, _size(size), with_qr=True)


def write_badge(data: BadgeData, path: Path | str, size: str = DEFAULT_SIZE) -> Path:
    from reception.store.files import write_bytes

    return write_bytes(path, render_badge(data, size))


def render_plain_text_floor(data: BadgeData, size: str = DEFAULT_SIZE) -> bytes:
    """The same badge without the QR code: the benchmark's floor for what a badge can cost."""
    return _render(data, _size(size), with_qr=False)


def _size(key: str) -> BadgeSize:
    try:
        return BADGE_SIZES[key]
    except KeyError:
        raise ValueError(f"unknown badge size {key!r}; known: {', '.join(BADGE_SIZES)}") from None


def _format_time(value: datetime, reference: datetime) -> str:
    if value.year != reference.year:
        return f"{value.year}年{value.month}月{value.day}日 {value:%H:%M}"
    return f"{value.month}月{value.day}日 {value:%H:%M}"


# --------------------------------------------------------------------------------------------
# Text fitting: shrink, then wrap, then "…"

# Characters that must not begin a line (they stay with the character before them) or end one.
_NO_LINE_START = frozenset("，。、；：？！）」』】》〉…—·,.;:?!)]}%")
_NO_LINE_END = frozenset("（「『【《〈([{")
_ELLIPSIS = "…"
# CJK ink runs from about 0.80 em above the baseline to 0.12 em below it (WenQuanYi Micro Hei).
_INK_TOP = 0.80
_INK_HEIGHT = 0.92
_LEADING = 1.22


@dataclass(frozen=True)
class _Fitted:
    lines: tuple[str, ...]
    size: float
    shortened: bool = False

    @property
    def line_height(self) -> float:
        return self.size * _LEADING

    @property
    def height(self) -> float:
        return len(self.lines) * self.line_height

    def first_baseline(self, top: float) -> float:
        return top - (self.line_height - _INK_HEIGHT * self.size) / 2 - _INK_TOP * self.size


def _widths(text: str) -> list[float]:
    name = pdf_fonts.font_name()
    return [pdfmetrics.stringWidth(ch, name, 1) for ch in text]


def _is_word_char(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _wrap(text: str, widths: Sequence[float], limit: float) -> list[str]:
    """Greedy line breaking at ``limit`` (in em): between any two Han characters, between
    Latin words where possible, keeping closing punctuation off the start of a line."""
    lines: list[str] = []
    n = len(text)
    start = 0
    while start < n:
        while start < n and text[start] == " ":
            start += 1
        if start >= n:
            break
        used = 0.0
        end = start
        while end < n and used + widths[end] <= limit + 1e-9:
            used += widths[end]
            end += 1
        if end >= n:
            lines.append(text[start:])
            break
        end = max(end, start + 1)
        if _is_word_char(text[end - 1]) and _is_word_char(text[end]):
            space = text.rfind(" ", start, end)
            if space > start:
                end = space
        while end - 1 > start and (text[end] in _NO_LINE_START or text[end - 1] in _NO_LINE_END):
            end -= 1
        lines.append(text[start:end].rstrip())
        start = end
    return lines


def _fit(text: str, width: float, max_size: float, min_size: float, max_lines: int = 1) -> _Fitted:
    """The largest size in [min_size, max_size] at which ``text`` fits ``width`` on one line;
    failing that, on 2 … ``max_lines`` lines; failing that, ``max_lines`` lines at ``min_size``
    with the end replaced by "…"."""
    text = " ".join(text.split())
    if not text:
        return _Fitted(("",), max_size)
    widths = _widths(text)
    total = sum(widths)
    one_line = width / total if total else max_size
    if one_line >= min_size:
        return _Fitted((text,), min(max_size, int(one_line * 10) / 10))
    for lines_allowed in range(2, max_lines + 1):
        size = max_size
        while size >= min_size - 1e-9:
            lines = _wrap(text, widths, width / size)
            if len(lines) <= lines_allowed:
                return _Fitted(tuple(lines), size)
            size -= 0.5
    lines = _wrap(text, widths, width / min_size)[: max(max_lines, 1)]
    last = lines[-1]
    limit = width / min_size - pdfmetrics.stringWidth(_ELLIPSIS, pdf_fonts.font_name(), 1)
    while last and pdfmetrics.stringWidth(last, pdf_fonts.font_name(), 1) > limit:
        last = last[:-1]
    lines[-1] = last.rstrip() + _ELLIPSIS
    return _Fitted(tuple(lines), min_size, shortened=True)


# --------------------------------------------------------------------------------------------
# Drawing primitives


def _text(
    c: Canvas, x: float, y: float, size: float, text: str, *, bold: bool = False, color: Color = black
) -> None:
    """One line at baseline ``y``. Bold is a thin outline around the glyphs (the bundled font
    has a single weight); it prints well on thermal labels and keeps the text extractable."""
    t = c.beginText(x, y)
    t.setFont(pdf_fonts.font_name(), size)
    if not bold:
        c.setFillColor(color)
        t.textOut(text)
        c.drawText(t)
        return
    # Render mode and stroke colour are page state in PDF (they outlive BT…ET): keep them local.
    c.saveState()
    c.setFillColor(color)
    c.setStrokeColor(color)
    c.setLineWidth(size * 0.04)
    t.setTextRenderMode(2)
    t.textOut(text)
    c.drawText(t)
    c.restoreState()


def _bold_pad(size: float) -> float:
    return size * 0.04


def _draw_fitted(
    c: Canvas,
    fitted: _Fitted,
    x: float,
    top: float,
    width: float,
    *,
    align: str = "left",
    bold: bool = False,
    color: Color = black,
) -> None:
    name = pdf_fonts.font_name()
    baseline = fitted.first_baseline(top)
    for line in fitted.lines:
        if align == "left":
            lx = x
        else:
            line_width = pdfmetrics.stringWidth(line, name, fitted.size)
            lx = x + (width - line_width) / (2 if align == "center" else 1)
        _text(c, lx, baseline, fitted.size, line, bold=bold, color=color)
        baseline -= fitted.line_height


# A fixed QR mask pattern. reportlab's ``QRCode.make()`` builds the symbol with all eight mask
# patterns and scores each to pick the "best" (≈ 7 ms, most of a badge's cost); any pattern is
# valid and scanners read it from the format information (zxing decodes it, tests/documents/test_badge.py).
_QR_MASK_PATTERN = 0


def _qr_modules(value: str) -> list[list[bool]]:
    qr = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    qr.addData(value)
    qr.version = qr.calculate_version()
    qr.makeImpl(False, _QR_MASK_PATTERN)
    return [[bool(m) for m in row] for row in qr.modules]


def _draw_qr(c: Canvas, modules: list[list[bool]], x: float, y: float, side: float) -> None:
    """The QR modules as one filled path (horizontal runs merged): no hairline gaps between
    modules and a fraction of the cost of drawing the widget's thousand small shapes."""
    count = len(modules)
    module = side / count
    path = c.beginPath()
    for r, row in enumerate(modules):
        top = y + side - (r + 1) * module
        start = None
        for col, dark in enumerate([*row, False]):
            if dark and start is None:
                start = col
            elif not dark and start is not None:
                path.rect(x + start * module, top, (col - start) * module, module)
                start = None
    c.setFillColor(black)
    c.drawPath(path, stroke=0, fill=1)


# --------------------------------------------------------------------------------------------
# Layout

Draw = Callable[[Canvas, float, float], None]  # (canvas, x, top) → draws


@dataclass(frozen=True)
class _Item:
    height: float
    draw: Draw
    gap_before: float = 0.0


@dataclass(frozen=True)
class _Metrics:
    margin: float  # pt, all round
    k: float  # text scale, 1.0 = the 62 mm label
    qr: float  # preferred QR side, pt
    qr_min: float  # never smaller than this (≈ 22 mm so a desk scanner reads it off a label)


_METRICS: dict[str, _Metrics] = {
    "62x100": _Metrics(3.5 * mm, 0.95, 24 * mm, 22 * mm),
    "57x102": _Metrics(3.2 * mm, 0.9, 24 * mm, 22 * mm),
    "a6": _Metrics(6.5 * mm, 1.4, 36 * mm, 30 * mm),
    "cr80": _Metrics(3.0 * mm, 0.9, 25 * mm, 22 * mm),
}

# How much room each text may take, and the order in which to give room up when a badge is
# crowded: (lines for the name, the destination, the purpose; scale of all body text). The QR
# code first shrinks to its minimum; then the purpose and the destination lose lines; then all
# text gets smaller; the visitor's name is cut short ("…") only when nothing else is left.
_Step = tuple[int, int, int, float]
_PORTRAIT_STEPS: tuple[_Step, ...] = (
    (3, 2, 3, 1.0), (3, 2, 2, 1.0), (3, 2, 1, 1.0), (3, 1, 1, 1.0), (3, 1, 1, 0.9), (3, 1, 1, 0.8),
    (2, 1, 1, 0.8), (1, 1, 1, 0.8), (1, 1, 1, 0.7), (1, 1, 1, 0.6),
)  # fmt: skip
_LANDSCAPE_STEPS: tuple[_Step, ...] = (
    (3, 2, 2, 1.0), (3, 2, 1, 1.0), (3, 1, 1, 1.0), (3, 1, 1, 0.9), (3, 1, 1, 0.8),
    (2, 1, 1, 0.8), (1, 1, 1, 0.8), (1, 1, 1, 0.7), (1, 1, 1, 0.6),
)  # fmt: skip


def _body(data: BadgeData, width: float, k: float, step: _Step, *, center_name: bool) -> list[_Item]:
    """Visitor name, party size, then the rows 前往 / 事由 / 进入时间 and the boxed 有效至."""
    name_lines, dest_lines, purpose_lines, shrink = step
    k *= shrink
    items: list[_Item] = []

    name = _fit(data.visitor_name, width - 2 * _bold_pad(24 * k), 24 * k, 10 * k, name_lines)
    align = "center" if center_name else "left"
    items.append(
        _Item(name.height, lambda c, x, top: _draw_fitted(c, name, x, top, width, align=align, bold=True))
    )
    if data.party_size > 1:
        party = _fit(f"共 {data.party_size} 人", width, 10 * k, 7 * k)
        items.append(
            _Item(party.height, lambda c, x, top: _draw_fitted(c, party, x, top, width, align=align))
        )

    if data.visitor_unit.strip():  # 来访单位 (only given when there is room: _fit_body)
        unit = _fit(data.visitor_unit, width, 9 * k, 7 * k)
        items.append(_Item(unit.height, lambda c, x, top: _draw_fitted(c, unit, x, top, width, align=align)))

    label_size = 7.5 * k
    label_width = pdfmetrics.stringWidth("进入时间", pdf_fonts.font_name(), label_size) + 3 * k
    value_width = width - label_width
    rows = (
        ("前往", _fit(data.destination, value_width, 13 * k, 9 * k, dest_lines), True),
        ("事由", _fit(data.purpose, value_width, 10.5 * k, 7.5 * k, purpose_lines), False),
        ("进入时间", _fit(_format_time(data.issued_at, data.issued_at), value_width, 10 * k, 7 * k), False),
    )
    gap = 2.2 * k
    items.append(_Item(0.6 * k, lambda c, x, top: _rule(c, x, top - 0.3 * k, width, 0.6 * k), gap_before=gap))
    for label, value, bold in rows:
        items.append(
            _Item(
                value.height,
                _field_drawer(label, label_size, label_width, value, value_width, bold),
                gap_before=gap,
            )
        )

    until_label = 9 * k
    until_label_width = pdfmetrics.stringWidth("有效至", pdf_fonts.font_name(), until_label) + 4 * k
    pad = 2.2 * k
    until = _fit(
        _format_time(data.valid_until, data.issued_at),
        width - 2 * pad - until_label_width - 2 * _bold_pad(15 * k),
        15 * k,
        9 * k,
    )
    box_height = until.height + 2 * pad

    def draw_until(c: Canvas, x: float, top: float) -> None:
        c.setStrokeColor(black)
        c.setLineWidth(1.2 * k)
        c.roundRect(x, top - box_height, width, box_height, 1.5 * k, stroke=1, fill=0)
        baseline = until.first_baseline(top - pad)
        _text(c, x + pad, baseline, until_label, "有效至", bold=True)
        value_x = x + pad + until_label_width
        _draw_fitted(c, until, value_x, top - pad, width - pad - (value_x - x), align="right", bold=True)

    items.append(_Item(box_height, draw_until, gap_before=gap * 1.2))
    return items


def _fit_body(
    data: BadgeData, width: float, k: float, steps: Sequence[_Step], available: float, *, center_name: bool
) -> tuple[list[_Item], float]:
    """The most generous body in ``steps`` that fits ``available`` points of height. The 来访单位
    is added only when it fits without anything else giving up room."""
    plain = replace(data, visitor_unit="")
    for step in steps:
        items = _body(plain, width, k, step, center_name=center_name)
        height = _stack_height(items)
        if height <= available:
            break
    if data.visitor_unit.strip() and step == steps[0]:
        with_unit = _body(data, width, k, step, center_name=center_name)
        if _stack_height(with_unit) <= available:
            return with_unit, _stack_height(with_unit)
    return items, height


def _field_drawer(
    label: str, label_size: float, label_width: float, value: _Fitted, value_width: float, bold: bool
) -> Draw:
    def draw(c: Canvas, x: float, top: float) -> None:
        _text(c, x, value.first_baseline(top), label_size, label)
        _draw_fitted(c, value, x + label_width, top, value_width, bold=bold)

    return draw


def _rule(c: Canvas, x: float, y: float, width: float, weight: float) -> None:
    c.setStrokeColor(black)
    c.setLineWidth(weight)
    c.line(x, y, x + width, y)


def _stack_height(items: Sequence[_Item]) -> float:
    return sum(item.height + item.gap_before for item in items[1:]) + (items[0].height if items else 0)


def _draw_stack(c: Canvas, items: Sequence[_Item], x: float, top: float, extra_gap: float = 0.0) -> float:
    y = top
    for i, item in enumerate(items):
        if i:
            y -= item.gap_before + extra_gap
        item.draw(c, x, y)
        y -= item.height
    return y


def _band(
    c: Canvas,
    x: float,
    top: float,
    width: float,
    height: float,
    title_size: float,
    reprint: bool,
    k: float,
    *,
    title_align: str = "center",
) -> float:
    """The black band with 「访客证」 in white, and the 「补打」 mark on a reprint. Returns the
    x where free room inside the band begins (after the title and mark)."""
    name = pdf_fonts.font_name()
    c.setFillColor(black)
    c.roundRect(x, top - height, width, height, 1.8 * k, stroke=0, fill=1)
    inset = (height - title_size * _INK_HEIGHT) / 2
    spacing = title_size * 0.25
    title_width = pdfmetrics.stringWidth("访客证", name, title_size) + 2 * spacing

    mark_size = 10 * k
    mark_pad = 1.5 * k
    mark_width = pdfmetrics.stringWidth("补打", name, mark_size) + 2 * mark_pad
    mark_height = mark_size * _INK_HEIGHT + 2 * mark_pad
    if title_align == "center":
        room = width - (2 * (mark_width + inset) if reprint else 0)
        title_x = x + (width - room) / 2 + (room - title_width) / 2
    else:
        title_x = x + inset
    baseline = top - height / 2 - title_size * (_INK_TOP - _INK_HEIGHT / 2)
    c.saveState()  # character spacing and render mode would otherwise carry over to later text
    t = c.beginText(title_x, baseline)
    t.setFont(name, title_size)
    t.setCharSpace(spacing)
    c.setFillColor(white)
    c.setStrokeColor(white)
    c.setLineWidth(title_size * 0.04)
    t.setTextRenderMode(2)
    t.textOut("访客证")
    c.drawText(t)
    c.restoreState()
    free_x = title_x + title_width
    if reprint:
        mark_x = x + width - inset - mark_width if title_align == "center" else free_x + inset
        mark_top = top - (height - mark_height) / 2
        c.setFillColor(white)
        c.roundRect(mark_x, mark_top - mark_height, mark_width, mark_height, 1.2 * k, stroke=0, fill=1)
        mark_base = mark_top - mark_pad - _INK_TOP * mark_size
        _text(c, mark_x + mark_pad, mark_base, mark_size, "补打", bold=True)
        free_x = max(free_x, mark_x + mark_width)
    return free_x


def _portrait(
    c: Canvas, data: BadgeData, page: BadgeSize, m: _Metrics, modules: list[list[bool]] | None
) -> None:
    k = m.k
    width = page.width - 2 * m.margin
    x = m.margin
    top = page.height - m.margin
    bottom = m.margin

    prop = _fit(data.property_name, width, 10.5 * k, 7 * k, 2)
    _draw_fitted(c, prop, x, top, width, align="center")
    top -= prop.height + 1.2 * k
    band_height = 9.5 * mm * k
    _band(c, x, top, width, band_height, 21 * k, data.reprint, k)
    top -= band_height + 3 * k

    footer = _fit(FOOTER, width, 8 * k, 6 * k, 2)
    footer_top = bottom + footer.height
    bottom += footer.height + 1.5 * k
    rule_y = bottom
    bottom += 2 * k

    pass_no = _fit(data.pass_no, width, 10 * k, 6 * k, 2)
    qr_gap = 1.2 * k
    quiet = 3 * mm  # white above the code: about three modules of a 21-module code at 22 mm
    fixed = quiet + qr_gap + pass_no.height

    available = top - bottom
    items, body = _fit_body(data, width, k, _PORTRAIT_STEPS, available - fixed - m.qr_min, center_name=True)
    qr = max(m.qr_min, min(m.qr, available - fixed - body))

    # Room left over: first loosen the body a little, then split the rest above and below it.
    spare = max(0.0, available - body - fixed - qr)
    extra_gap = min(spare / (len(items) + 1), 2.5 * k)
    spare -= extra_gap * (len(items) - 1)
    _draw_stack(c, items, x, top - spare / 2, extra_gap)

    _draw_fitted(c, pass_no, x, bottom + pass_no.height, width, align="center")
    qr_y = bottom + pass_no.height + qr_gap
    if modules is not None:
        _draw_qr(c, modules, x + (width - qr) / 2, qr_y, qr)
    _rule(c, x, rule_y, width, 0.5 * k)
    _draw_fitted(c, footer, x, footer_top, width, align="center")


def _landscape(
    c: Canvas, data: BadgeData, page: BadgeSize, m: _Metrics, modules: list[list[bool]] | None
) -> None:
    k = m.k
    x = m.margin
    width = page.width - 2 * m.margin
    top = page.height - m.margin
    bottom = m.margin

    band_height = 8.5 * mm
    free_x = _band(c, x, top, width, band_height, 16, data.reprint, k, title_align="left")
    inset = 2.5 * mm
    prop_width = x + width - inset - (free_x + inset)
    prop = _fit(data.property_name, prop_width, 10, 6.5, 2)
    prop_top = top - (band_height - prop.height) / 2
    _draw_fitted(c, prop, free_x + inset, prop_top, prop_width, align="right", color=white)
    top -= band_height + 2.2 * k

    footer = _fit(FOOTER, width, 7, 5.5, 1)
    footer_top = bottom + footer.height
    bottom += footer.height + 1.2 * k

    qr = m.qr
    column_gap = 3 * mm
    left_width = width - qr - column_gap
    pass_no = _fit(data.pass_no, qr + column_gap, 8.5, 5.5, 2)
    available = top - bottom
    items, body = _fit_body(data, left_width, k, _LANDSCAPE_STEPS, available, center_name=False)
    spare = max(0.0, available - body)
    extra_gap = min(spare / (len(items) + 1), 2 * k)
    _draw_stack(c, items, x, top, extra_gap)

    right_x = x + width - qr
    qr_block = qr + 1.2 * k + pass_no.height
    qr_top = top - max(0.0, (available - qr_block) / 2)
    if modules is not None:
        _draw_qr(c, modules, right_x, qr_top - qr, qr)
    _draw_fitted(
        c,
        pass_no,
        right_x - column_gap / 2,
        qr_top - qr - 1.2 * k,
        qr + column_gap,
        align="center",
    )
    _draw_fitted(c, footer, x, footer_top, width, align="center")


def _render(data: BadgeData, page: BadgeSize, *, with_qr: bool) -> bytes:
    font = pdf_fonts.font_name()
    modules = _qr_modules(data.pass_no) if with_qr else None
    buffer = io.BytesIO()
    c = Canvas(buffer, pagesize=(page.width, page.height), initialFontName=font, initialFontSize=10)
    c.setTitle(f"访客证 {data.pass_no}")
    c.setSubject("访客证")
    c.setAuthor(data.property_name)
    c.setCreator("前台接待工作站")
    # A label must print at 100 %: "fit to page" would shrink the QR code and the margins.
    c.setViewerPreference("PrintScaling", "None")
    metrics = _METRICS[page.key]
    if page.landscape:
        _landscape(c, data, page, metrics, modules)
    else:
        _portrait(c, data, page, metrics, modules)
    c.showPage()
    c.save()
    return buffer.getvalue()
