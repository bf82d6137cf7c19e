"""Recalculate a workbook in LibreOffice (headless) and read the computed values back."""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

from openpyxl import load_workbook

# Always recalculate formulas on load (the default would keep cached values).
PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode"
 oor:op="fuse"><value>0</value></prop></item>
</oor:items>"""


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def recalculate(path: Path, workdir: Path):
    """The workbook as LibreOffice computes it (openpyxl, data_only)."""
    profile = Path(tempfile.mkdtemp(dir=workdir))
    (profile / "user").mkdir()
    (profile / "user" / "registrymodifications.xcu").write_text(PROFILE, encoding="utf-8")
    out = workdir / "recalculated"
    out.mkdir(exist_ok=True)
    run = subprocess.run(
        [
            soffice(),
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(out),
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    target = out / path.name
    if run.returncode != 0 or not target.exists():
        raise RuntimeError(f"LibreOffice failed: {run.stdout} {run.stderr}")
    return load_workbook(target, data_only=True)


def convert(path: Path, workdir: Path, target: str) -> Path:
    """`path` converted by LibreOffice (headless) to `target` ("pdf", or a filter string
    such as CSV with its options) in a new folder of `workdir`; the folder."""
    out = Path(tempfile.mkdtemp(dir=workdir))
    profile = Path(tempfile.mkdtemp(dir=workdir))
    run = subprocess.run(
        [
            soffice(),
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            target,
            "--outdir",
            str(out),
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if run.returncode != 0 or not any(out.iterdir()):
        raise RuntimeError(f"LibreOffice failed: {run.stdout} {run.stderr}")
    return out


def pdf_pages(pdf: Path) -> int:
    """Pages of a PDF as LibreOffice writes it (one page object each)."""
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf.read_bytes()))


# every sheet, UTF-8, each cell as shown (its number format applied): token 9 "as shown",
# token 12 "-1" all sheets, one file each (<name>-<sheet>.csv)
SHOWN_CSV = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1"


def shown_cells(path: Path, workdir: Path) -> dict[str, list[list[str]]]:
    """Sheet -> its rows of cells as LibreOffice shows them."""
    out = {}
    for csv_path in convert(path, workdir, SHOWN_CSV).glob("*.csv"):
        sheet = csv_path.stem[len(path.stem) + 1 :]
        with csv_path.open(encoding="utf-8", newline="") as handle:
            out[sheet] = list(csv.reader(handle))
    return out


def only_sheet(path: Path, sheet: str, target: Path) -> Path:
    """A copy of workbook `path` in which every sheet but `sheet` is hidden (hidden sheets
    do not print); charts and pictures are kept, the XML being edited in place."""
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/workbook.xml":
                text = data.decode("utf-8")
                text = re.sub(
                    r'<sheet ([^>]*?)name="([^"]+)"([^>]*?)state="visible"',
                    lambda m: m[0] if m[2] == sheet else m[0].replace('"visible"', '"hidden"'),
                    text,
                )
                text = re.sub(r'activeTab="\d+"', "", text)
                data = text.encode("utf-8")
            dst.writestr(item, data)
    return target
