"""Every constraint family of docs/model.md, in the order of MODEL.md §3 (and of the rows)."""

from __future__ import annotations

from . import equity, land, money, participation, placement, production

FAMILIES = (
    *placement.FAMILIES,
    *production.FAMILIES,
    *land.FAMILIES,
    *money.FAMILIES,
    *equity.FAMILIES,
    *participation.FAMILIES,
)
FAMILY_BY_NAME = {f.name: f for f in FAMILIES}
