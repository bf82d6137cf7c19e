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

from .schema import (
    BOOL,
    ENUM,
    ID,
    INTEGER,
    NUMBER,
    POLICY_PARAMS,
    REF,
    SCHEMA_VERSION,
    SHEETS,
    Column,
    Sheet,
    id_column,
)
from .xlsx import header_row, publish, put, text_cell

SPARE_ROWS = 500  # rows below the data that keep dropdowns and formats


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
    lines = [
        ("Reverse-enclave planning workbook (schema v%s)" % SCHEMA_VERSION, True),
        (
            "Fill one sheet per table below. Row 1 holds the headers; do not rename them. Hover "
            "a header to read its unit and meaning. Blank optional cells take the default.",
            False,
        ),
        (
            "Units: money in million CNY over the planning horizon (mcny); floor area in m²; "
            "land in hectares (ha; 1 ha = 15 mu).",
            False,
        ),
        (
            "Ids are short text, unique within their sheet; cells that refer to another sheet "
            "offer a dropdown of its ids.",
            False,
        ),
        (
            "Scenarios: every workbook solves 'baseline' (the sheets as written). Add rows to "
            "Scenarios and describe each policy package's changes in Overrides: the rows of "
            "`sheet` selected by `key` (an id, * for all rows, or column=value filters joined by "
            "&) get `column` changed by `operation` (set, scale, add) with `value`. For Policy the "
            "key is the parameter name and the column is value.",
            False,
        ),
        (
            "Check the workbook with:  enclave validate WORKBOOK   and solve it with:  enclave "
            "solve WORKBOOK",
            False,
        ),
        ("", False),
        ("Sheets", True),
    ]
    lines += [
        (f"{s.name} ({'required' if s.required else 'optional'}): {s.description}", False)
        for s in SHEETS
    ]
    lines += [("", False), ("Policy parameters", True)]
    lines += [
        (
            f"{p.name} [default {p.default if p.default is not None else 'no limit'}"
            f"{', ' + p.unit if p.unit else ''}]: {p.description}",
            False,
        )
        for p in POLICY_PARAMS
    ]
    for i, (text, bold) in enumerate(lines, start=1):
        text_cell(ws, i, 1, text)
        ws.cell(row=i, column=1).font = Font(bold=bold, size=13 if i == 1 else 11)
        ws.cell(row=i, column=1).alignment = Alignment(wrap_text=True, vertical="top")
    ws.column_dimensions["A"].width = 130


def _validations(ws: Any, sheet: Sheet, last_row: int) -> None:
    for j, col in enumerate(sheet.columns, start=1):
        letter = get_column_letter(j)
        area = f"{letter}2:{letter}{last_row}"
        formula = None
        if col.kind == ENUM:
            formula = '"' + ",".join(col.allowed) + '"'
        elif col.kind == BOOL:
            formula = '"yes,no"'
        elif col.kind == REF and col.ref and id_column(col.ref):
            ref_sheet = next(s for s in SHEETS if s.name == col.ref)
            ref_letter = get_column_letter(ref_sheet.column_names.index(id_column(col.ref)) + 1)
            formula = f"{col.ref}!${ref_letter}$2:${ref_letter}${last_row}"
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
        header_row(ws, list(sheet.column_names), {c.name: column_note(c) for c in sheet.columns})
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
        _validations(ws, sheet, len(rows or []) + SPARE_ROWS)
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
