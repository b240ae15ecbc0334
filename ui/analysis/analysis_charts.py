"""The charts of the 投诉分析 window (QtCharts): counts by category and by department as bars, the
12-month trend as a line. Labels are set in the application font (the bundled Chinese font), so
they render on a PC without a CJK font; every visible text is translated."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCharts import QBarCategoryAxis
from PySide6.QtCharts import QBarSeries
from PySide6.QtCharts import QBarSet
from PySide6.QtCharts import QChart
from PySide6.QtCharts import QChartView
from PySide6.QtCharts import QLineSeries
from PySide6.QtCharts import QScatterSeries
from PySide6.QtCharts import QValueAxis
from PySide6.QtCore import QCoreApplication
from PySide6.QtCore import QMargins
from PySide6.QtCore import QPointF
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtGui import QFont
from PySide6.QtGui import QPainter
from PySide6.QtGui import QPen
from PySide6.QtWidgets import QApplication
from PySide6.QtWidgets import QWidget

from ui.widgets import palette

BLUE = QColor(palette.LINK)
GREEN = QColor(palette.OK_BRIGHT)
INK = QColor(palette.TEXT)
MUTED = QColor(palette.MUTED)
GRID = QColor(palette.GRID_LINE)


def _tr(text: str) -> str:
    return QCoreApplication.translate("AnalysisCharts", text)


def _font(delta: float = 0, bold: bool = False) -> QFont:
    font = QFont(QApplication.font())
    size = font.pointSizeF() if font.pointSizeF() > 0 else 10
    font.setPointSizeF(max(size + delta, 6))
    font.setBold(bold)
    return font


def nice_top(largest: int) -> tuple[int, int]:
    """A round maximum for the value axis and the number of ticks (integer steps)."""
    largest = max(largest, 1)
    headroom = largest * 1.2  # room for the count above the tallest bar
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        if largest / step <= 5:
            break
    else:
        step = 10 ** len(str(largest))
    top = (int(headroom) // step + 1) * step
    return top, top // step + 1


def month_label(key: str) -> str:
    """``"2026-01"`` → ``"2026年1月"``."""
    year, month = key.split("-")
    return _tr("{0}年{1}月").format(year, int(month))


class AnalysisChart(QChartView):
    """A chart view whose content is replaced by :meth:`show_bars` / :meth:`show_trend`."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(220)
        self._reset()

    def _reset(self) -> QChart:
        """A new chart for new data (a removed axis stays drawn in QtCharts 6.12; a fresh chart
        is also simpler than undoing the previous one)."""
        chart = QChart()
        chart.setTitle(self.title)
        chart.setTitleFont(_font(1, bold=True))
        chart.setTitleBrush(INK)
        chart.legend().hide()
        chart.setBackgroundRoundness(0)
        chart.setMargins(QMargins(6, 4, 6, 4))
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        previous = self.chart()
        self.setChart(chart)
        if previous is not None:
            previous.deleteLater()  # setChart gives the old chart back to us
        return chart

    def _value_axis(self, largest: int, title: str = "", percent: bool = False) -> QValueAxis:
        axis = QValueAxis()
        top, ticks = (120, 7) if percent else nice_top(largest)  # room for the label over 100 %
        axis.setRange(0, top)
        axis.setTickCount(ticks)
        axis.setLabelFormat("%d")
        axis.setLabelsFont(_font(-1))
        axis.setLabelsColor(MUTED)
        axis.setTitleText(title or _tr("件数"))
        axis.setTitleFont(_font(-1))
        axis.setTitleBrush(MUTED)
        axis.setGridLineColor(GRID)
        return axis

    def _category_axis(self, labels: Sequence[str], title: str) -> QBarCategoryAxis:
        axis = QBarCategoryAxis()
        axis.append(list(labels))
        axis.setLabelsFont(_font(-0.5))
        axis.setLabelsColor(INK)
        axis.setTitleText(title)
        axis.setTitleFont(_font(-1))
        axis.setTitleBrush(MUTED)
        axis.setGridLineVisible(False)
        axis.setTruncateLabels(False)
        if len(labels) > 6 and max(len(label) for label in labels) > 3:
            axis.setLabelsAngle(-30)
        return axis

    def labels(self) -> list[str]:
        """The category labels now shown (for tests and screen readers)."""
        for axis in self.chart().axes(Qt.Orientation.Horizontal):
            if isinstance(axis, QBarCategoryAxis):
                return list(axis.categories())
        return []

    def values(self) -> list[float]:
        """The values now shown (first series)."""
        series = self.chart().series()
        if not series:
            return []
        first = series[0]
        if isinstance(first, QBarSeries):
            bar_set = first.barSets()[0]
            return [bar_set.at(i) for i in range(bar_set.count())]
        if isinstance(first, QLineSeries):
            return [point.y() for point in first.points()]
        return []

    def show_bars(
        self,
        labels: Sequence[str],
        values: Sequence[int],
        axis_title: str,
        color: QColor,
        *,
        value_title: str = "",
        percent: bool = False,
    ) -> None:
        """Bars of counts (件数), or of percentages (``percent``: the axis runs 0–120)."""
        chart = self._reset()
        if not labels:
            self._show_empty(chart)
            return
        bar_set = QBarSet(value_title or _tr("件数"))
        bar_set.append([float(v) for v in values])
        bar_set.setColor(color)
        bar_set.setBorderColor(color)
        bar_set.setLabelColor(INK)
        bar_set.setLabelFont(_font(-1))
        series = QBarSeries()
        series.append(bar_set)
        series.setBarWidth(0.5 if len(labels) > 2 else 0.35)
        series.setLabelsVisible(True)
        series.setLabelsPosition(QBarSeries.LabelsPosition.LabelsOutsideEnd)
        series.setLabelsFormat("@value")
        series.setLabelsPrecision(6)
        chart.addSeries(series)
        x_axis = self._category_axis(labels, axis_title)
        y_axis = self._value_axis(max(values, default=0), value_title, percent)
        chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(x_axis)
        series.attachAxis(y_axis)

    def show_trend(self, series_data: Sequence[tuple[str, int]]) -> None:
        """Months (``"YYYY-MM"``, count): a line through every month, the count shown at the
        months that had cases."""
        chart = self._reset()
        if not series_data or not any(count for _key, count in series_data):
            self._show_empty(chart)
            return
        line = QLineSeries()
        pen = QPen(BLUE)
        pen.setWidthF(2.2)
        line.setPen(pen)
        dots = QScatterSeries()
        dots.setMarkerSize(8)
        dots.setColor(BLUE)
        dots.setBorderColor(BLUE)
        dots.setPointLabelsVisible(True)
        dots.setPointLabelsFormat("@yPoint")
        dots.setPointLabelsFont(_font(-1))
        dots.setPointLabelsColor(INK)
        dots.setPointLabelsClipping(False)
        for i, (_key, count) in enumerate(series_data):
            line.append(QPointF(i, count))
            if count:
                dots.append(QPointF(i, count))
        chart.addSeries(line)
        chart.addSeries(dots)
        first, last = series_data[0][0], series_data[-1][0]
        x_axis = self._category_axis(
            [_tr("{0}月").format(int(key[5:])) for key, _c in series_data],
            _tr("月份（{0} — {1}）").format(month_label(first), month_label(last)),
        )
        y_axis = self._value_axis(max(count for _key, count in series_data))
        chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
        for series in (line, dots):
            series.attachAxis(x_axis)
            series.attachAxis(y_axis)

    def _show_empty(self, chart: QChart) -> None:
        """No data: the chart stays empty and its title says so."""
        chart.setTitle(_tr("{0}（所选期间无数据）").format(self.title))
