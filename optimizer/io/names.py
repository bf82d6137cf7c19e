"""Names that are nearly right: the "did you mean" behind headers, ids and override keys.

A header the reader does not recognise (after its normalisation: case, surrounding and
repeated spaces, a unit in brackets) is *close* to a schema column when one of these holds:

1. the same letters and digits once case, spaces, `_`, `-`, `.`, `/` and brackets are
   ignored (`Land Need (ha)`, `LandNeedHa`, `land-need-ha` for `land_need_ha`);
2. the same name once a trailing unit is dropped from both (`land_need` or `land_need_mu`
   for `land_need_ha`; `floor_need` for `floor_need_m2`); the units are `UNIT_WORDS`;
3. at most `max_distance(name)` edits away (a letter added, dropped, changed, or two
   neighbours swapped), counted on the squashed forms of rule 1: 1 edit for names of 4
   to 7 letters, 2 for 8 or more, none for shorter names.

The first rule that finds a column decides; rule 3 keeps only the nearest columns.
An id is close to a known id when the two differ only in case, spaces, `_` or `-`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from openpyxl.utils import get_column_letter

from ..errors import Issue
from .schema import Column, Sheet

# trailing unit words, longest first: what a planner may write after a name
UNIT_WORDS: tuple[tuple[str, ...], ...] = (
    ("mcny", "per", "ha"),
    ("mcny", "ha"),
    ("per", "ha"),
    ("per", "m2"),
    ("sq", "m"),
    ("mcny",),
    ("cny",),
    ("rmb",),
    ("yuan",),
    ("wan",),
    ("ha",),
    ("hectare",),
    ("hectares",),
    ("mu",),
    ("m2",),
    ("sqm",),
    ("pct",),
    ("percent",),
)
QUOTE = "'"  # ids are quoted like Python's repr, names like code: `land_need_ha`
_SEPARATORS = re.compile(r"[\s_\-./()\[\]]+")


def tokens(text: str) -> list[str]:
    """The words of a name: NFKC (so `m²` is `m2`), case folded, split at separators."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return [t for t in _SEPARATORS.split(text) if t]


def squash(text: str) -> str:
    return "".join(tokens(text))


def stem(text: str) -> str:
    """The squashed name without a trailing unit (the whole name if it is only a unit)."""
    words = tokens(text)
    for unit in UNIT_WORDS:
        if len(words) > len(unit) and tuple(words[-len(unit) :]) == unit:
            return "".join(words[: -len(unit)])
    return "".join(words)


def distance(a: str, b: str) -> int:
    """Edits from a to b: insert, delete, substitute, or swap two neighbours (OSA)."""
    if a == b:
        return 0
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, start=1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[-1]


def max_distance(name: str) -> int:
    n = len(squash(name))
    return 2 if n >= 8 else 1 if n >= 4 else 0


def close_names(text: str, names: Iterable[str]) -> list[str]:
    """The names `text` is close to (rules 1-3 of the module docstring), in schema order."""
    names = list(names)
    key = squash(text)
    if not key:
        return []
    same = [n for n in names if squash(n) == key]
    if same:
        return same
    base = stem(text)
    unit = [n for n in names if base and stem(n) == base]
    if unit:
        return unit
    near = {n: distance(key, squash(n)) for n in names}
    near = {n: d for n, d in near.items() if d <= max_distance(n)}
    if not near:
        return []
    best = min(near.values())
    return [n for n, d in near.items() if d == best]


def id_key(text: str) -> str:
    """An id without case, spaces, `_` and `-` (NFKC first: a non-breaking space is one)."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in text if not ch.isspace() and ch not in "_-")


def id_index(known: Iterable[str]) -> dict[str, list[str]]:
    """Known ids by `id_key`: built once per sheet, so a workbook with thousands of bad
    references is still checked in linear time."""
    index: dict[str, list[str]] = {}
    for k in sorted(k for k in known if isinstance(k, str)):
        index.setdefault(id_key(k), []).append(k)
    return index


def close_ids(value: str, index: dict[str, list[str]]) -> list[str]:
    """Known ids (of `id_index`) that differ from `value` only in case, spaces, `_` or `-`."""
    return [k for k in index.get(id_key(value), []) if k != value]


def did_you_mean(names: list[str], quote: str = "`") -> str:
    """`did you mean `a`?` / `... `a` or `b`?`, or '' without names."""
    if not names:
        return ""
    shown = [f"{quote}{n}{quote}" for n in names]
    listed = shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " or " + shown[-1]
    return f"did you mean {listed}?"


def guess(names: list[str], quote: str = "`") -> str:
    """`; did you mean ...?` to append to a message, or '' without names."""
    return f"; {did_you_mean(names, quote)}" if names else ""


def _shown_default(col: Column) -> str:
    return "blank" if col.default is None else str(col.default)


def header_issues(
    sheet: Sheet, unknown: list[tuple[int, Any]], letters: dict[str, str]
) -> tuple[list[Issue], dict[str, int]]:
    """Every row-1 header of a schema sheet that names no column: an error at its cell
    when it is close to a column, a warning otherwise. Also the headers to read all the
    same as their column (one suggestion, not present, not claimed by an earlier header)
    so that the other checks still see their values; the error keeps the workbook from
    being solved."""
    issues: list[Issue] = []
    adopted: dict[str, int] = {}
    for idx, value in unknown:
        cell = f"{get_column_letter(idx + 1)}1"
        close = close_names(value, sheet.column_names) if isinstance(value, str) else []
        if not close:
            shown = repr(value.strip()) if isinstance(value, str) else str(value)
            issues.append(
                Issue(
                    sheet.name,
                    f"column {shown} is not a {sheet.name} column and is not read",
                    "if it holds input, rename it to a column of docs/inputs.md; "
                    "otherwise nothing needs doing",
                    row=1,
                    cell=cell,
                    severity="warning",
                )
            )
            continue
        present = [c for c in close if c in letters]
        if present:
            first, *rest = present
            where = f"{first} is read from column {letters[first]}" + "".join(
                f", {c} from column {letters[c]}" for c in rest
            )
            hint = f"{where}: delete the column you do not mean, or rename this one"
        elif len(close) > 1:
            hint = "rename the header to the column you mean"
        else:
            col = sheet.column(close[0])
            hint = f"rename the header to {col.name} (as written it is not read: " + (
                "the required column is missing)"
                if col.required
                else f"every row would take the default, {_shown_default(col)})"
            )
            if col.name not in adopted:
                adopted[col.name] = idx
        issues.append(
            Issue(
                sheet.name,
                f"header {value.strip()!r} is not a {sheet.name} column; {did_you_mean(close)}",
                hint,
                row=1,
                cell=cell,
            )
        )
    return issues, adopted
