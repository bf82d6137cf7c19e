"""The result workbook delivered: where it was asked for, or, if that fails at the last
moment (a full disk, a folder made read-only meanwhile), in a fallback folder that is
named, so that a run's results are never lost."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from .tables import RunReport


def fallback_folder() -> Path:
    """Where results go when the folder asked for fails at the last moment."""
    return Path(tempfile.gettempdir()) / "enclave-results"


def deliver(report: RunReport, folder: Path, stem: str) -> Path:
    from .workbook import write_report

    try:
        return write_report(report, folder, stem)
    except OSError as exc:
        fallback = fallback_folder()
        print(
            f"could not write into {folder} ({exc}); writing the results to {fallback} instead",
            file=sys.stderr,
        )
        return write_report(report, fallback, stem)
