"""Input workbooks generated from the schema: the blank template and filled workbooks.

`write_input_workbook` lays out a README sheet and one sheet per schema table with the
headers (units and descriptions as cell notes), dropdowns for enumerations and for ids of
other sheets, number formats and a frozen header row. With `tables` it also fills the
rows (used for the bundled example, built from CSV files, and by the tests).
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import PageSetupProperties

from .layout import LINE_POINTS, lines
from .readme import HEADING, OPTIONAL, REQUIRED, TITLE, readme_lines
from .schema import (
    BOOL,
    ENUM,
    ID,
    INTEGER,
    NUMBER,
    POLICY_PARAMS,
    REF,
    SHEETS,
    Column,
    Sheet,
    id_column,
)
from .xlsx import (
    HEADER_FILL,
    OPTIONAL_FONT,
    REQUIRED_FILL,
    REQUIRED_FONT,
    header_row,
    publish,
    put,
    text_cell,
)

README_WIDTH = 90  # characters: fits an A4 portrait page at full size
LAST_ROW = 1_048_576  # dropdowns and formats cover the whole column, as far as Excel goes


def column_note(col: Column) -> str:
    parts = [col.description]
    if col.unit:
        parts.append(f"Unit: {col.unit}.")
    parts.append(
        "Required."
        if col.required
        else f"Optional; blank = {col.default if col.default is not None else 'none'}."
    )
    if col.allowed and len(col.allowed) <= 12:
        parts.append("Allowed: " + ", ".join(col.allowed) + ".")
    if col.kind == BOOL:
        parts.append("Allowed: yes, no.")
    if col.ref:
        parts.append(f"Must be an id from sheet {col.ref}.")
    return " ".join(parts)


def _readme(wb: Workbook) -> None:
    ws = wb.create_sheet("README")
    looks = {
        TITLE: {"font": Font(name="Calibri", bold=True, size=13)},
        HEADING: {"font": Font(name="Calibri", bold=True)},
        REQUIRED: {"font": REQUIRED_FONT, "fill": REQUIRED_FILL},
        OPTIONAL: {"font": OPTIONAL_FONT, "fill": HEADER_FILL},
    }
    for i, (look, text) in enumerate(readme_lines(), start=1):
        text_cell(ws, i, 1, text)
        cell = ws.cell(row=i, column=1)
        for attribute, value in looks.get(look, {}).items():
            setattr(cell, attribute, value)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if lines(text, README_WIDTH) > 1:  # tall enough for its wrapped lines
            ws.row_dimensions[i].height = LINE_POINTS * lines(text, README_WIDTH)
    ws.column_dimensions["A"].width = README_WIDTH
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0  # pages down as it takes
    ws.page_setup.paperSize, ws.page_setup.orientation = "9", "portrait"  # A4


def id_list(sheet: str, letter: str) -> str:
    """The ids in column `letter` of `sheet` from row 2 down to the last filled row: a
    dropdown's list that grows as rows are added (and holds no blank entries)."""
    return f"OFFSET({sheet}!${letter}$2,0,0,MAX(1,COUNTA({sheet}!${letter}:${letter})-1),1)"


def _validations(ws: Any, sheet: Sheet) -> None:
    for j, col in enumerate(sheet.columns, start=1):
        letter = get_column_letter(j)
        area = f"{letter}2:{letter}{LAST_ROW}"
        formula = None
        if col.kind == ENUM:
            formula = '"' + ",".join(col.allowed) + '"'
        elif col.kind == BOOL:
            formula = '"yes,no"'
        elif col.kind == REF and col.ref and id_column(col.ref):
            ref_sheet = next(s for s in SHEETS if s.name == col.ref)
            ref_letter = get_column_letter(ref_sheet.column_names.index(id_column(col.ref)) + 1)
            formula = id_list(col.ref, ref_letter)
        if formula:
            dv = DataValidation(
                type="list",
                formula1=formula,
                allow_blank=not col.required,
                showErrorMessage=col.kind in (ENUM, BOOL),
            )
            dv.error = f"Choose a value from the list ({col.name})"
            dv.add(area)
            ws.add_data_validation(dv)
        fmt = {NUMBER: "#,##0.######", INTEGER: "0", ID: "@", REF: "@"}.get(col.kind)
        if fmt:  # a column style: applies to rows typed later too, at no cost per cell
            ws.column_dimensions[letter].number_format = fmt


def write_input_workbook(
    path: str | Path,
    tables: dict[str, list[dict[str, Any]]] | None = None,
    extra: dict[str, list[dict[str, Any]]] | None = None,
) -> Path:
    """Write a schema-v1 workbook (blank template when `tables` is None)."""
    tables = tables or {}
    wb = Workbook()
    wb.remove(wb.active)
    _readme(wb)
    for sheet in SHEETS:
        ws = wb.create_sheet(sheet.name)
        header_row(
            ws,
            list(sheet.column_names),
            {c.name: column_note(c) for c in sheet.columns},
            required=[c.name for c in sheet.columns if c.required],
        )
        rows = tables.get(sheet.name)
        if rows is None and sheet.name == "Policy":
            rows = [
                {
                    "parameter": p.name,
                    "value": p.default,
                    "unit": p.unit,
                    "description": p.description,
                }
                for p in POLICY_PARAMS
            ]
        for i, row in enumerate(rows or [], start=2):
            for j, col in enumerate(sheet.columns, start=1):
                put(ws, i, j, _typed_cell(col, row.get(col.name)))
        _validations(ws, sheet)
    for name, rows in (extra or {}).items():
        ws = wb.create_sheet(name)
        headers = list(rows[0]) if rows else []
        header_row(ws, headers)
        for i, row in enumerate(rows, start=2):
            for j, h in enumerate(headers, start=1):
                put(ws, i, j, row.get(h))
    return publish(wb, Path(path))


def _typed_cell(col: Column, value: Any) -> Any:
    """CSV text to the cell value a planner would type: numbers as numbers."""
    if isinstance(value, str) and value.strip() == "":
        return None
    if isinstance(value, str) and col.kind in (NUMBER, INTEGER, "any"):
        try:
            number = float(value)
            return int(number) if number.is_integer() and col.kind != NUMBER else number
        except ValueError:
            return value
    if isinstance(value, tuple):
        return ", ".join(value)
    return value


def read_csv_folder(
    folder: str | Path,
) -> tuple[dict[str, list[dict[str, Any]]], dict[str, list[dict[str, Any]]]]:
    """Schema tables and extra sheets (e.g. Sources) from <Sheet>.csv files."""
    folder = Path(folder)
    names = {s.name for s in SHEETS}
    tables: dict[str, list[dict[str, Any]]] = {}
    extra: dict[str, list[dict[str, Any]]] = {}
    for csv_path in sorted(folder.glob("*.csv")):
        with csv_path.open(newline="", encoding="utf-8-sig") as handle:
            rows = [dict(r) for r in csv.DictReader(handle)]
        (tables if csv_path.stem in names else extra)[csv_path.stem] = rows
    return tables, extra
