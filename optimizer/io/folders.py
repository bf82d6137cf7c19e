"""Whether results can be written into a folder, found out before anything is solved."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

MIN_FREE_BYTES = 20 * 2**20  # an output folder with less free space is refused


def usable_folder(folder: Path) -> str | None:
    """Why results cannot be written into `folder` (created if missing), or None: proven
    by creating and removing a probe file, and by its free space."""
    path = Path(folder)
    if path.exists() and not path.is_dir():
        return f"{path} is a file, not a folder — give --out a folder"
    try:
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path, prefix=".enclave-probe-"):
            pass
    except OSError as exc:
        return (
            f"cannot write into {path}: {exc.strerror or exc} — choose another --out "
            "folder or fix its permissions"
        )
    free = shutil.disk_usage(path).free
    if free < MIN_FREE_BYTES:
        return (
            f"{path} has only {free / 2**20:.1f} MB free — free some space or choose "
            "another --out folder"
        )
    return None
