"""Native Excel bar charts of the result workbook, in one look: a small bold title, axis
numbers without decimals, the legend below (`Compare`, `Brief`)."""

from __future__ import annotations

from typing import Any

from openpyxl.chart import BarChart, Reference
from openpyxl.chart.text import RichText, Text
from openpyxl.chart.title import Title
from openpyxl.drawing.text import (
    CharacterProperties,
    Paragraph,
    ParagraphProperties,
    RegularTextRun,
)

TITLE_SIZE = 1000  # hundredths of a point


def title(text: str, size: int = TITLE_SIZE) -> Title:
    """A chart title in `size` (hundredths of a point), bold."""
    font = CharacterProperties(sz=size, b=True)
    paragraph = Paragraph(
        pPr=ParagraphProperties(defRPr=font), r=[RegularTextRun(rPr=font, t=text)]
    )
    return Title(tx=Text(rich=RichText(p=[paragraph])), overlay=False)


def bars(
    ws: Any,
    heading: str,
    axis: str,
    data: tuple[int, int, int, int],
    categories: tuple[int, int, int],
    size: tuple[float, float] = (7.5, 12.5),
    stacked: bool = False,
) -> BarChart:
    """A bar chart of the cells `data` (first column, last column, header row, last row:
    one series per column, named by its header) over the labels `categories` (column,
    first row, last row); `size` (height, width) in cm."""
    chart = BarChart()
    chart.title = title(heading)
    chart.y_axis.title = title(axis, 800)
    chart.y_axis.numFmt = "#,##0"
    chart.height, chart.width = size
    chart.legend.position = "b"
    if stacked:
        chart.grouping, chart.overlap = "stacked", 100
    first, last, top, bottom = data
    chart.add_data(
        Reference(ws, min_col=first, max_col=last, min_row=top, max_row=bottom),
        titles_from_data=True,
    )
    col, start, end = categories
    chart.set_categories(Reference(ws, min_col=col, min_row=start, max_row=end))
    if first == last:
        chart.legend = None
    return chart
