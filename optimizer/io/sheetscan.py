"""What openpyxl's read-only mode does not tell: formulas, merged cells, hidden rows.

A worksheet part is scanned as bytes (fast regular expressions); cells with formulas are
parsed with defusedxml only when the part contains formulas at all.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field

from defusedxml.ElementTree import iterparse

MAX_MERGED = 10_000
NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_MERGED = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+[0-9]+(?::[A-Z]+[0-9]+)?)"')
_HIDDEN_ROW = re.compile(rb'<(?:\w+:)?row\s[^>]*?\br="([0-9]+)"[^>]*?\bhidden="(?:1|true)"')
_HIDDEN_ROW2 = re.compile(rb'<(?:\w+:)?row\s[^>]*?\bhidden="(?:1|true)"[^>]*?\br="([0-9]+)"')
_HIDDEN_COL = re.compile(rb'<(?:\w+:)?col\s[^>]*?\bhidden="(?:1|true)"')


@dataclass
class SheetScan:
    formulas: dict[str, tuple[str, bool]] = field(default_factory=dict)  # A1 -> (text, cached)
    merged: list[str] = field(default_factory=list)
    hidden_rows: set[int] = field(default_factory=set)
    hidden_columns: bool = False
    autofilter: bool = False


def scan_sheet(data: bytes, part: str | None) -> SheetScan:
    scan = SheetScan()
    if not part:
        return scan
    part = part.lstrip("/")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            xml = zf.read(part)
    except (KeyError, zipfile.BadZipFile, zlib.error, OSError, EOFError):
        return scan
    scan.merged = [m.decode() for m in _MERGED.findall(xml)]
    if len(scan.merged) > MAX_MERGED:
        scan.merged = scan.merged[:1] + [f"... and {len(scan.merged) - 1:,} more ranges"]
    scan.hidden_rows = {int(r) for r in _HIDDEN_ROW.findall(xml) + _HIDDEN_ROW2.findall(xml)}
    scan.hidden_columns = _HIDDEN_COL.search(xml) is not None
    scan.autofilter = b"<autoFilter" in xml
    if b"<f>" in xml or b"<f " in xml:
        for _, elem in iterparse(io.BytesIO(xml), events=("end",)):
            if elem.tag == f"{NS}c":
                f = elem.find(f"{NS}f")
                if f is not None:
                    v = elem.find(f"{NS}v")
                    cached = v is not None and v.text is not None and v.text != ""
                    scan.formulas[elem.get("r", "")] = (f.text or "(shared formula)", cached)
                elem.clear()
    return scan
