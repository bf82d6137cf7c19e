"""Inspect an .xlsx file's bytes before openpyxl parses anything.

Refuses, with a planner-readable reason, files that are not .xlsx (legacy .xls, .xlsb,
.ods, CSV or HTML renamed to .xlsx), encrypted workbooks, damaged archives, zip bombs
(declared sizes, entry counts, compression ratios) and XML with DTD/entity declarations,
which Excel never writes. Reports macros and links to other workbooks (never run or
followed). See RELIABILITY.md cases 2-9 and 45.
"""

from __future__ import annotations

import io
import os
import zipfile
import zlib

import openpyxl

from ..errors import InputError, Issue

MAX_ENTRIES = 10_000
MAX_PART_BYTES = 512 * 2**20
MAX_TOTAL_BYTES = 1024 * 2**20
MAX_RATIO = 500  # uncompressed / compressed, for parts above RATIO_FLOOR
RATIO_FLOOR = 10 * 2**20
MAX_SHEETS = 250
MAX_STYLES_BYTES = 64 * 2**20
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SAVE_AS = "open it in Excel and use File > Save As > Excel Workbook (.xlsx)"


def check_xml_hardening() -> None:
    """openpyxl must parse through defusedxml (RELIABILITY.md case 7)."""
    if not openpyxl.DEFUSEDXML or os.environ.get("OPENPYXL_DEFUSEDXML", "").lower() == "false":
        raise InputError(
            [
                Issue(
                    None,
                    "XML hardening is off (defusedxml is not installed or "
                    "OPENPYXL_DEFUSEDXML=False); refusing to read workbooks",
                    "pip install defusedxml and unset OPENPYXL_DEFUSEDXML",
                )
            ]
        )


def _fail(name: str, message: str, hint: str = SAVE_AS) -> InputError:
    return InputError([Issue(None, f"{name}: {message}", hint)])


def sniff_non_zip(name: str, data: bytes) -> InputError:
    if not data:
        return _fail(name, "the file is empty (0 bytes)", "use the original workbook")
    if data.startswith(OLE_MAGIC):
        if "EncryptedPackage".encode("utf-16-le") in data:
            return _fail(
                name,
                "the workbook is encrypted (password-protected)",
                "remove the password in Excel (File > Info > Protect Workbook) and save again",
            )
        return _fail(name, "this is a legacy Excel 97-2003 (.xls) file, not .xlsx")
    head = data[:2048].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html", b"<table")):
        return _fail(name, "this is an HTML page saved with an .xlsx name, not a workbook")
    if head.startswith(b"<?xml"):
        return _fail(name, "this is an XML file (e.g. Excel 2003 XML), not .xlsx")
    try:
        text = data[:4096].decode("utf-8")
        if "," in text or ";" in text or "\t" in text:
            return _fail(name, "this is a text/CSV file, not an .xlsx workbook")
    except UnicodeDecodeError:
        pass
    return _fail(
        name,
        "not a valid .xlsx workbook (not a ZIP container; the file may be truncated or damaged)",
        "use the original workbook or save it again",
    )


def inspect(name: str, data: bytes) -> list[Issue]:
    """Raise InputError for files that must not be parsed; return warnings otherwise."""
    check_xml_hardening()
    if not data.startswith(b"PK"):
        raise sniff_non_zip(name, data)
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise sniff_non_zip(name, b"\x00" + data) from None
    names = {i.filename for i in infos}
    if "mimetype" in names and b"opendocument" in zf.read("mimetype")[:200]:
        raise _fail(name, "this is an OpenDocument (.ods) spreadsheet, not .xlsx")
    if "xl/workbook.bin" in names:
        raise _fail(name, "this is an Excel binary workbook (.xlsb), not .xlsx")
    if len(infos) > MAX_ENTRIES:
        raise _fail(
            name,
            f"the archive holds {len(infos):,} parts (limit {MAX_ENTRIES:,}): "
            "not a workbook Excel writes",
            "save a clean copy of the data",
        )
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if (
            info.file_size > MAX_PART_BYTES
            or total > MAX_TOTAL_BYTES
            or (info.file_size > RATIO_FLOOR and ratio > MAX_RATIO)
        ):
            raise _fail(
                name,
                f"part {info.filename} would unpack to {info.file_size:,} bytes "
                f"(ratio {ratio:,.0f}:1; total {total:,}): refused as a possible zip "
                "bomb",
                "save a clean copy holding only the input tables",
            )
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise _fail(
            name,
            "the workbook is incomplete or corrupt (its [Content_Types].xml or "
            "xl/workbook.xml part is missing)",
            "use the original workbook or save it again in Excel",
        )
    for info in infos:
        if info.filename.endswith((".xml", ".rels", ".vml")):
            # worksheets and shared strings are parsed through defusedxml; every other
            # part (workbook, styles, relationships) goes through lxml when it is
            # installed, so it is scanned whole: a DTD may follow a long comment
            streamed = (
                info.filename.startswith("xl/worksheets/")
                or info.filename == "xl/sharedStrings.xml"
            )
            try:
                with zf.open(info) as handle:
                    head = handle.read(8192 if streamed else MAX_STYLES_BYTES)
            except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError) as exc:
                raise _fail(
                    name,
                    f"part {info.filename} is damaged ({exc})",
                    "use the original workbook or save it again",
                ) from None
            if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                raise _fail(
                    name,
                    f"part {info.filename} contains XML DTD/entity declarations "
                    "— not produced by Excel; refused for safety",
                    "save a clean copy from Excel",
                )
    styles = next((i for i in infos if i.filename == "xl/styles.xml"), None)
    if styles is not None and styles.file_size > MAX_STYLES_BYTES:
        raise _fail(
            name,
            f"the style table is {styles.file_size:,} bytes: file too complex",
            "copy the data into a new workbook",
        )
    sheets = [n for n in names if n.startswith("xl/worksheets/") and n.endswith(".xml")]
    if len(sheets) > MAX_SHEETS:
        raise _fail(
            name,
            f"{len(sheets)} sheets (limit {MAX_SHEETS}): file too complex",
            "keep only the input sheets",
        )
    warnings = []
    if "xl/vbaProject.bin" in names:
        warnings.append(
            Issue(None, "the workbook contains macros; they are never run", severity="warning")
        )
    if any(n.startswith("xl/externalLinks/") for n in names):
        warnings.append(
            Issue(
                None,
                "the workbook links to other workbooks; links are never "
                "followed, only stored values are read",
                severity="warning",
            )
        )
    if "xl/connections.xml" in names:
        warnings.append(
            Issue(
                None,
                "the workbook has data connections; they are never refreshed",
                severity="warning",
            )
        )
    return warnings
