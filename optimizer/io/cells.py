"""One cell into its typed value: the strict parsers behind every check of a workbook
(and of an override's value)."""

from __future__ import annotations

import math
from datetime import date, datetime, time
from typing import Any

from .schema import BOOL, ENUM, INTEGER, NO_VALUES, NUMBER, REFLIST, YES_VALUES, Column, PolicyParam

EXCEL_ERRORS = ("#N/A", "#DIV/0!", "#REF!", "#VALUE!", "#NAME?", "#NUM!", "#NULL!")
HUGE = 1e20  # HiGHS treats |values| >= 1e20 as infinite


class CellError(ValueError):
    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.hint = hint


def _describe(value: Any) -> str:
    return repr(value) if isinstance(value, str) else str(value)


def parse_number(value: Any, integer: bool = False) -> float | int:
    """Strict number parser: numbers as numbers, or text holding a plain number."""
    if isinstance(value, bool):
        raise CellError(f"{value} is not a number", "enter a number")
    if isinstance(value, (datetime, date, time)):
        raise CellError(
            f"{value} is a date/time, not a number",
            "enter a plain number and format the cell as Number",
        )
    if isinstance(value, (int, float)):
        number = float(value)
    elif isinstance(value, str):
        text = value.strip()
        try:
            number = float(text)
        except ValueError:
            raise CellError(
                f"{value!r} is not a number",
                "enter a plain number (no units, no thousands separators, '.' for decimals)",
            ) from None
    else:
        raise CellError(f"{_describe(value)} is not a number", "enter a number")
    if math.isnan(number) or math.isinf(number) or abs(number) >= HUGE:
        raise CellError(
            f"{_describe(value)} is not a usable number", "enter a finite number below 1e20"
        )
    if integer:
        if abs(number - round(number)) > 1e-9:
            raise CellError(f"{_describe(value)} is not a whole number", "enter a whole number")
        return int(round(number))
    return number


def check_bounds(number: float, lo: float | None, hi: float | None, lo_excl: bool) -> None:
    if lo is not None and (number < lo or (lo_excl and number <= lo)):
        rule = f"greater than {lo:g}" if lo_excl else f"at least {lo:g}"
        raise CellError(f"{number:g} is out of range", f"enter a value {rule}")
    if hi is not None and number > hi:
        raise CellError(f"{number:g} is out of range", f"enter a value of at most {hi:g}")


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, (datetime, date, time)):
        raise CellError(
            f"{value} is a date/time, not text", "type the text (format the cell as Text)"
        )
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and len(str(abs(value))) > 15:
        raise CellError(
            f"the number {value} has more than 15 digits and Excel cannot store it exactly",
            "store ids as text (format the column as Text)",
        )
    text = str(value).strip()
    if len(text) > 32767:
        raise CellError(
            f"the text is {len(text):,} characters long (Excel's cell limit is 32,767)",
            "shorten it",
        )
    if any("\ud800" <= ch <= "\udfff" for ch in text):
        raise CellError("the text holds invalid (unpaired surrogate) characters", "retype the text")
    if text in EXCEL_ERRORS:
        raise CellError(
            f"the cell holds the Excel error {text}", "fix the formula or type the value"
        )
    if any(ord(ch) < 32 and ch not in "\t\n\r" for ch in text):
        raise CellError("the text holds control characters", "retype the text")
    return text or None


def parse_value(col: Column | PolicyParam, value: Any) -> Any:
    """Turn one cell into its typed value (None = blank); raise CellError if impossible."""
    if isinstance(value, str) and value.strip() in EXCEL_ERRORS:
        raise CellError(
            f"the cell holds the Excel error {value.strip()}", "fix the formula or type the value"
        )
    blank = value is None or (isinstance(value, str) and not value.strip())
    kind = col.kind
    if kind in (NUMBER, INTEGER):
        if blank:
            return None
        if (
            getattr(col, "optional_limit", False)
            and isinstance(value, str)
            and value.strip().casefold() in ("none", "no limit", "unlimited")
        ):
            return None
        number = parse_number(value, integer=kind == INTEGER)
        check_bounds(number, col.min, col.max, col.min_exclusive)
        return number
    if kind == BOOL:
        if blank:
            return None
        text = str(value).strip().casefold() if not isinstance(value, bool) else str(value).lower()
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            text = str(int(value)) if float(value).is_integer() else str(value)
        if text in YES_VALUES:
            return True
        if text in NO_VALUES:
            return False
        raise CellError(f"{_describe(value)} is not yes or no", "enter yes or no")
    text = _text(value)
    if text is None:
        return None
    if kind == ENUM:
        for allowed in col.allowed:
            if text.casefold() == allowed.casefold():
                return allowed
        raise CellError(f"{text!r} is not allowed", "use one of: " + ", ".join(col.allowed))
    if kind == REFLIST:
        if text.casefold() == "all":
            return None
        items = tuple(p.strip() for p in text.split(",") if p.strip())
        return items or None
    return text  # ID, TEXT, REF, ANY
