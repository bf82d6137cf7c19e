"""Safe writing of .xlsx files: literal text, Excel tables, atomic publication.

Every workbook this tool writes goes through `write_table` (text cells forced to text,
never formulas; `stream.Sheet` does the same for the large result workbook) and `publish`
(temporary file in the target folder, verified by reading it back, then moved into place
without ever replacing an existing file).
"""

from __future__ import annotations

import os
import re
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from .verify import content_digest, file_digest

HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
REQUIRED_FILL = PatternFill("solid", fgColor="1F4E78")  # input headers a planner must fill
REQUIRED_FONT = Font(name="Calibri", bold=True, color="FFFFFF")
OPTIONAL_FONT = Font(name="Calibri", bold=False, italic=True, color="1F4E78")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\0")
MAX_TEXT = 32767


class Formula(str):
    """An Excel formula written by this tool (planner text is never a Formula)."""


def check_text(value: str) -> None:
    """Refuse text longer than a cell holds (openpyxl would cut it silently, O8)."""
    if len(value) > MAX_TEXT:
        raise ValueError(f"text of {len(value)} characters exceeds Excel's cell limit")


def text_cell(ws: Worksheet, row: int, col: int, value: str) -> None:
    """Write `value` as literal text: never a formula, error or number."""
    check_text(value)
    cell = ws.cell(row=row, column=col)
    cell.value = value
    cell.data_type = "s"
    if value.startswith(FORMULA_START):
        cell.quotePrefix = True  # shown as text, and Excel keeps it text when edited


def put(ws: Worksheet, row: int, col: int, value: Any, number_format: str | None = None) -> None:
    if value is None:
        return
    if isinstance(value, Formula):
        cell = ws.cell(row=row, column=col, value=str(value))
        cell.data_type = "f"
        if number_format:
            cell.number_format = number_format
        return
    if isinstance(value, str):
        text_cell(ws, row, col, value)
        return
    if isinstance(value, bool):
        text_cell(ws, row, col, "yes" if value else "no")
        return
    cell = ws.cell(row=row, column=col, value=value)
    if number_format and isinstance(value, (int, float)):
        cell.number_format = number_format


def header_row(
    ws: Worksheet,
    headers: list[str],
    notes: dict[str, str] | None = None,
    top: int = 1,
    required: Iterable[str] | None = None,
) -> None:
    """Headers in row `top` with their notes; given `required`, those headers look
    required (white on dark blue) and the others optional (dark italic on light blue)."""
    notes = notes or {}
    must = set(required) if required is not None else None
    for j, name in enumerate(headers, start=1):
        text_cell(ws, top, j, name)
        cell = ws.cell(row=top, column=j)
        if must is not None and name in must:
            cell.font, cell.fill = REQUIRED_FONT, REQUIRED_FILL
        elif must is not None:
            cell.font, cell.fill = OPTIONAL_FONT, HEADER_FILL
        else:
            cell.font, cell.fill = Font(bold=True), HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if notes.get(name):
            cell.comment = Comment(notes[name], "enclave", width=320, height=110)
        letter = get_column_letter(j)
        ws.column_dimensions[letter].width = max(
            ws.column_dimensions[letter].width or 0, 10, min(40, len(name) + 4)
        )
    if top == 1:
        ws.freeze_panes = "A2"


def number_format_for(name: str) -> str | None:
    if name.endswith(("_mcny", "_ha", "_m2")):
        return "#,##0.000"
    if name in ("mip_gap",) or name.endswith("_share"):
        return "0.00%"
    if name.endswith("_s") or name.endswith("_seconds"):
        return "0.00"
    return None


def write_table(
    wb: Workbook,
    title: str,
    rows: list[dict[str, Any]],
    headers: list[str],
    notes: dict[str, str] | None = None,
) -> Worksheet:
    """A sheet holding one Excel table (with filters) of `rows` under `headers`."""
    ws = wb.create_sheet(title)
    add_table(ws, 1, title, rows, headers, notes)
    return ws


def add_table(
    ws: Worksheet,
    top: int,
    name: str,
    rows: list[dict[str, Any]],
    headers: list[str],
    notes: dict[str, str] | None = None,
) -> int:
    """An Excel table with its header at row `top`; returns the last row used."""
    header_row(ws, headers, notes, top)
    formats = [number_format_for(h) for h in headers]
    for i, row in enumerate(rows, start=top + 1):
        for j, col in enumerate(headers, start=1):
            put(ws, i, j, row.get(col), formats[j - 1])
    last_row = top + max(1, len(rows))
    ref = f"A{top}:{get_column_letter(len(headers))}{last_row}"
    table = Table(displayName=re.sub(r"\W", "_", f"t_{name}"), ref=ref)
    table.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=True)
    ws.add_table(table)
    return last_row


def held_open(path: Path) -> bool:
    """True when an office program's owner file says `path` is open in it (O4).

    Excel writes `~$name`; Word-style owners replace the name's first two characters."""
    name = path.name
    return any((path.parent / owner).exists() for owner in {f"~${name}", f"~${name[2:]}"})


def unique_path(folder: Path, stem: str, suffix: str = ".xlsx") -> Path:
    """`stem.xlsx`, or the first `stem_N.xlsx` that neither exists nor is held open."""
    candidate = folder / f"{stem}{suffix}"
    n = 2
    while candidate.exists() or held_open(candidate):
        candidate = folder / f"{stem}_{n}{suffix}"
        n += 1
    return candidate


def publish(
    wb: Workbook,
    target: Path,
    protected: Iterable[Path] = (),
    expected: dict[str, tuple[int, str]] | None = None,
) -> Path:
    """Save `wb` atomically at `target` (or the next free name); never replace a file.

    The workbook is saved to a temporary file in the same folder, flushed to disk, read back
    (`verify.file_digest`) and compared value by value, then linked into place under a name
    that does not exist yet; on any failure the temporary file is removed and nothing is
    left behind. `expected` is the content digest of what was written, for a write-only
    workbook (which cannot be read before it is saved; see `stream.digest`); by default it
    is taken from `wb` (`verify.content_digest`).
    """
    target = Path(target)
    for p in protected:
        if Path(p).resolve() == target.resolve():
            raise FileExistsError(f"refusing to write over the input {p}")
    target.parent.mkdir(parents=True, exist_ok=True)
    if expected is None:
        expected = content_digest(wb)
    fd, tmp_name = tempfile.mkstemp(prefix=".enclave-", suffix=".partial.xlsx", dir=target.parent)
    tmp = Path(tmp_name)
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp creates 0600; results are ordinary files
        with os.fdopen(fd, "wb") as handle:
            wb.save(handle)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            found = file_digest(tmp)
        except Exception as exc:  # unreadable: as good as different
            raise OSError(
                f"verification of {target.name} failed: the saved file cannot be "
                f"read back ({exc}); nothing was published"
            ) from exc
        if found != expected:
            bad = sorted(
                k for k in expected.keys() | found.keys() if found.get(k) != expected.get(k)
            )
            raise OSError(
                f"verification of {target.name} failed: sheets {bad} differ after "
                "writing; nothing was published"
            )
        return _place(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def publish_bytes(data: bytes, target: Path, protected: Iterable[Path] = ()) -> Path:
    """Write `data` (a picture) atomically at `target`, or at the next free name if it is
    taken; never replace a file. Read back and compared before it gets its name."""
    target = Path(target)
    for p in protected:
        if Path(p).resolve() == target.resolve():
            raise FileExistsError(f"refusing to write over the input {p}")
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".enclave-", suffix=".partial", dir=target.parent)
    tmp = Path(tmp_name)
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if tmp.read_bytes() != data:
            raise OSError(f"verification of {target.name} failed; nothing was published")
        return _place(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def _place(tmp: Path, target: Path) -> Path:
    """Give the verified file its final, new name (O1, O3, O4)."""
    attempts = 0
    while True:
        if held_open(target):  # Excel holds this name open
            target = unique_path(target.parent, target.stem, target.suffix)
            continue
        try:
            os.link(tmp, target)  # fails instead of replacing an existing file
            break
        except FileExistsError:
            target = unique_path(target.parent, target.stem, target.suffix)
        except PermissionError:  # Windows: a transient handle (antivirus, indexer, Excel)
            attempts += 1
            if attempts > 10:
                target = unique_path(target.parent, target.stem + "_alt", target.suffix)
                attempts = 0
            time.sleep(0.05)
        except OSError:  # no hard links on this file system
            if target.exists():
                target = unique_path(target.parent, target.stem, target.suffix)
                continue
            os.replace(tmp, target)
            break
    _fsync_dir(target.parent)
    return target


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
