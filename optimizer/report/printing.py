"""How the result sheets print: A4, fitted to the page width (never cut across pages
sideways), the header row repeated on every page, a page header naming the input workbook,
the tool and the date of the run, and page numbers.

Orientation is the one that takes fewer pages without shrinking the text below
`MIN_SCALE` (landscape when both are alike): a long narrow table prints portrait.
"""

from __future__ import annotations

import math
from typing import Any

from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.properties import PageSetupProperties

A4 = "9"  # the paper size code of A4
MARGINS = PageMargins(left=0.4, right=0.4, top=0.7, bottom=0.6, header=0.3, footer=0.3)
PAGE_CM = {  # room for the cells on an A4 page within MARGINS (inches), width x height
    "landscape": (29.7 - 0.8 * 2.54, 21.0 - 1.3 * 2.54),
    "portrait": (21.0 - 0.8 * 2.54, 29.7 - 1.3 * 2.54),
}
CM_PER_CHARACTER = 0.2  # a unit of column width, printed at full size, with its padding
MIN_SCALE = 0.55  # text printed smaller than this (about 6 points) is too hard to read
SHRINK = 0.85  # a sheet may print this much smaller than fitted to its width, to save a page


def page_header(input_name: str, tool: str, when: str) -> str:
    """The text at the top left of every printed page."""
    return f"{input_name} · {tool} · solved {when}"


def pages(
    width: float, height_points: float, orientation: str, shrink: float = 1.0
) -> tuple[int, float]:
    """Pages a sheet `width` characters wide and `height_points` tall takes when fitted to
    the page width (and `shrink` times smaller), and the scale it prints at."""
    page_width, page_height = PAGE_CM[orientation]
    scale = min(1.0, page_width / max(width * CM_PER_CHARACTER, 1e-9)) * shrink
    return max(1, math.ceil(height_points / 72 * 2.54 * scale / page_height - 1e-9)), scale


def orientation(width: float, height_points: float) -> str:
    """Landscape, or portrait when that takes fewer pages at a readable size."""

    def cost(turn: str) -> tuple[int, int, float]:
        full, scale = pages(width, height_points, turn)
        return pages(width, height_points, turn, SHRINK)[0], full, -scale

    if pages(width, height_points, "portrait")[1] >= MIN_SCALE and cost("portrait") < cost(
        "landscape"
    ):
        return "portrait"
    return "landscape"


def set_print(
    ws: Any,
    header: str,
    width: float,
    height_points: float,
    repeat_rows: str | None = "1:1",
    one_page: bool = False,
    turn: str | None = None,
    breaks: bool = False,
) -> float:
    """Print setup of worksheet `ws` (before it is written): `width` its width in
    characters, `height_points` its height, `repeat_rows` the rows printed atop every page
    (None: none), `one_page` to shrink it onto a single landscape page, `turn` an
    orientation to use (None: `orientation` chooses), `breaks` if the sheet has page breaks
    of its own. A sheet that would take one page more than it needs at a slightly smaller
    scale (`SHRINK`) is fitted to the fewer pages. Returns the height of cells a page holds,
    in points (about: the spreadsheet program scales the page itself)."""
    setup = ws.page_setup
    setup.paperSize = A4
    setup.orientation = turn or ("landscape" if one_page else orientation(width, height_points))
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    setup.fitToWidth = 1
    full, _ = pages(width, height_points, setup.orientation)
    fewer, _ = pages(width, height_points, setup.orientation, SHRINK)
    # 0: as many pages down as it takes; else at most that many (the program shrinks it)
    setup.fitToHeight = 1 if one_page else fewer if fewer < full and not breaks else 0
    ws.page_margins = MARGINS
    if repeat_rows:
        ws.print_title_rows = repeat_rows
    for item, text in (
        (ws.oddHeader.left, _escape(header)),
        (ws.oddHeader.right, _escape(ws.title)),
        (ws.oddFooter.right, "page &P of &N"),
    ):
        item.text, item.size = text, 8
    _, scale = pages(width, height_points, setup.orientation)
    return PAGE_CM[setup.orientation][1] / scale / 2.54 * 72


def breaks_keeping(heights: list[float], spans: list[tuple[int, int]], page: float) -> list[int]:
    """Rows after which a page must break so that no span (first, last row) is cut, for
    rows of `heights` points on pages holding `page` points (with a tenth to spare)."""
    page *= 0.9
    ends = dict(spans)
    out, used = [], 0.0
    for i, h in enumerate(heights, start=1):
        if i in ends:
            span = sum(heights[i - 1 : ends[i]])
            if used and used + span > page and span <= page:
                out.append(i - 1)
                used = 0.0
        if used + h > page:
            used = 0.0  # the program breaks here by itself
        used += h
    return out


def _escape(text: str) -> str:
    """Text for a page header: `&` starts a code there, `&&` is an ampersand."""
    return text.replace("&", "&&")
