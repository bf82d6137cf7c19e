"""The network picture of every package with a plan: drawn once, embedded in sheet
`Network` (two packages to a printed page, a picture never cut across pages) and written
beside the result workbook as `<workbook stem>_<package>_network.png` and `.svg`, never
over an existing file."""

from __future__ import annotations

import io
import re
from concurrent.futures import Future
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.drawing.image import Image

from ..io.stream import Sheet
from ..io.xlsx import publish_bytes
from .network import network_of
from .sankey import draw
from .tables import RunReport, ScenarioResult

SHOWN_WIDTH = 1040  # pixels the picture is shown at in the sheet (a landscape page)
ROW_PIXELS = 20  # a row of the default height


def picture_of(result: ScenarioResult) -> tuple[bytes, bytes] | None:
    """PNG and SVG of a package's network (None without a plan)."""
    return draw(network_of(result)) if result.outcome.has_plan else None


class Drawing:
    """A picture being drawn on a thread (a Future of `picture_of`); a copy or a pickle of
    it is the finished picture itself (None if drawing failed)."""

    def __init__(self, future: Future) -> None:
        self.future = future

    def get(self) -> tuple[bytes, bytes] | None:
        try:
            return self.future.result()
        except Exception:  # drawn again at writing, where an error is the run's to report
            return None

    def __reduce__(self) -> tuple:
        return _finished, (self.get(),)


def _finished(picture: tuple[bytes, bytes] | None) -> tuple[bytes, bytes] | None:
    return picture


def draw_all(report: RunReport) -> dict[str, tuple[bytes, bytes]]:
    """Package -> (PNG, SVG) of its network, for every package with a plan: the picture
    drawn when it was solved (`result.picture`, a `Drawing` if drawn beside the next
    solve), else drawn now."""
    out = {}
    for r in report.results:
        if not r.outcome.has_plan:
            continue
        ready = r.picture.get() if isinstance(r.picture, Drawing) else r.picture
        out[r.scenario] = ready or picture_of(r)
    return out


def file_names(stem: str, packages: list[str]) -> dict[str, tuple[str, str]]:
    """Package -> the names of its PNG and SVG files beside workbook `stem`."""
    safe = {p: re.sub(r"[^A-Za-z0-9_.-]+", "_", p) for p in packages}
    return {p: (f"{stem}_{safe[p]}_network.png", f"{stem}_{safe[p]}_network.svg") for p in safe}


def publish_pictures(
    pictures: dict[str, tuple[bytes, bytes]], folder: Path, stem: str, protected: list[Path]
) -> dict[str, tuple[Path, Path]]:
    """Write every picture beside the workbook, each atomically and under a new name."""
    out = {}
    for package, (png_name, svg_name) in file_names(stem, list(pictures)).items():
        png, svg = pictures[package]
        out[package] = (
            publish_bytes(png, folder / png_name, protected),
            publish_bytes(svg, folder / svg_name, protected),
        )
    return out


def write_network_sheet(
    wb: Workbook,
    pictures: dict[str, tuple[bytes, bytes]],
    files: dict[str, tuple[str, str]],
    prepare: Any = None,
) -> Sheet:
    """Sheet `Network`: each package's picture under a line naming its files (`files`:
    package -> PNG and SVG names), two packages to a portrait page: each package's lines
    and picture are kept on one page."""
    sheet = Sheet(wb, "Network")
    if not pictures:
        sheet.append([sheet.text("No package has a plan: no network to draw.")])
    for package, (png, _) in pictures.items():
        start = len(sheet.rows) + 1
        png_name, svg_name = files[package]
        sheet.title_line(f"Network of package {package}")
        sheet.append(
            [sheet.text(f"The same picture beside this workbook: {png_name}, {svg_name}", "line")]
        )
        image = Image(io.BytesIO(png))
        image.height = round(image.height * SHOWN_WIDTH / image.width)
        image.width = SHOWN_WIDTH
        sheet.ws.add_image(image, f"A{len(sheet.rows) + 1}")
        sheet.skip_to(len(sheet.rows) + 1 + -(-image.height // ROW_PIXELS))
        sheet.keep.append((start, len(sheet.rows)))
        sheet.skip_to(len(sheet.rows) + 2)  # a blank row between packages
    if prepare:
        prepare(sheet, None, orientation="portrait")
    sheet.close()
    return sheet
