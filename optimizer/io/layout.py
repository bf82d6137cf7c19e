"""Column widths and row heights that fit what cells show, in a spreadsheet's units.

A column width is counted in characters (the width of a digit of the default font); a row
height in points. Text that would make a column wider than `WRAP_AT` wraps instead, and
its row is made tall enough for its lines.
"""

from __future__ import annotations

from typing import Any

from .xlsx import Formula

WRAP_AT = 60  # no column of text is wider than this; longer text wraps
HEADER_MIN = 14  # a header gets at least this many characters of width; longer ones wrap
MIN_WIDTH = 8
PADDING = 2  # characters of room beside what a cell shows
LINE_POINTS = 15.0  # height of one line of 11-point text
CHARACTERS_PER_WIDTH = 1.2  # letters of text in one unit of column width (a digit's width)
MEASURED_ROWS = 20_000  # column widths are measured on at most about this many rows
NOT_FINITE = ("nan", "inf", "-inf")


def shown_width(value: Any, number_format: str | None, formula_width: int = 10) -> int:
    """About how many characters a cell shows for `value` in `number_format`."""
    if isinstance(value, Formula):
        return formula_width  # its result is not known here
    if isinstance(value, str):
        return max(len(line) for line in value.split("\n")) if value else 0
    if isinstance(value, bool):
        return 3
    if not isinstance(value, (int, float)) or "%.16g" % value in NOT_FINITE:
        return 4
    fmt = number_format or "General"
    if fmt == "General":
        return len("%.10g" % value)
    percent = fmt.endswith("%")
    decimals = len(fmt.split(".")[1].rstrip("%")) if "." in fmt else 0
    shown = f"{value * 100 if percent else value:{',' if ',' in fmt else ''}.{decimals}f}"
    return len(shown) + percent


def wrap_width(lengths: list[int]) -> int | None:
    """The width a text column wraps at (None: it need not wrap): `WRAP_AT`, when some of
    its text is longer."""
    return WRAP_AT if lengths and max(lengths) > WRAP_AT else None


def column_width(data: int, header: int) -> float:
    """The width of a column whose cells show up to `data` characters under a header of
    `header` characters (which wraps when it is the longer)."""
    return max(MIN_WIDTH, max(data, min(header, max(data, HEADER_MIN))) + PADDING)


def lines(text: str, width: float) -> int:
    """Lines `text` takes when wrapped in a column `width` wide (words wrap: some room is
    lost at each line's end)."""
    room = max(1, int(width * CHARACTERS_PER_WIDTH) - 3)
    return sum(-(-max(1, len(part)) // room) for part in text.split("\n"))
