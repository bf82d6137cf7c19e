"""Recalculate a workbook in LibreOffice (headless) and read the computed values back."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
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
