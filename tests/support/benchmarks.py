"""Public benchmark instances turned into schema-v1 input tables.

The files live in ``tests/data/benchmarks`` (see its ``SOURCES.md`` for where each comes
from); set the environment variable ``ENCLAVE_BENCHMARKS`` to use another copy. Nothing here imports
the optimizer: the parsers and table builders are plain Python so they can be checked
independently of the tool (``test_benchmark_parsers.py`` solves the raw instances with
highspy directly).

Three file formats (all parsed by splitting on whitespace, so CRLF line ends, leading
spaces, NUL padding and numbers written like ``260.`` are harmless):

* Holmberg SSCFLP (``sscflp/holmberg_p*.txt``): ``J I``, J lines ``s_j f_j``, I
  demands, then the J*I costs FACILITY-major (facility 1's I costs first).
* OR-Library cap (``orlib_cap/cap*.txt``, ``capa.txt``): ``m n``, m lines ``cap_i f_i``
  (capa: the literal word ``capacity`` instead of the number), then per CUSTOMER its
  demand followed by its m costs (customer-major).
* OR-Library GAP (``gap/*.txt``): ``m n``, m rows of costs c_ij, m rows of resource
  a_ij, m capacities b_i.

All costs are totals per assignment (not per unit of demand).

Tables format: ``{sheet name: [row dict keyed by schema column, ...]}``; omitted
optional columns take their schema defaults.

Reductions (MODEL.md §3, "Reductions the tests should use"):

* :func:`sscflp_tables` — one region, no land, no production values, every firm
  ``must_place``, ``SiteAffinity`` = -cost: maximising welfare gives
  ``-(published single-source optimum)``.
* :func:`gap_tables` — agents are always-open sites, jobs are must-place firms, the
  per-pair floor need is the GAP resource a_ij: objective = max optimum (sense
  ``"max"``) or ``-(min optimum)`` (sense ``"min"``).
"""

from __future__ import annotations

import csv
import os
from pathlib import Path
from typing import Any

Tables = dict[str, list[dict[str, Any]]]


# --------------------------------------------------------------------------- locations


def benchmarks_dir() -> Path:
    """The benchmark folder: $ENCLAVE_BENCHMARKS, else the copy in tests/data/benchmarks
    (with its SOURCES.md), so that a fresh clone runs every test."""
    env = os.environ.get("ENCLAVE_BENCHMARKS")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[1] / "data" / "benchmarks"


BENCHMARKS = benchmarks_dir()


def holmberg_path(name: str) -> Path:
    """``holmberg_path("p1")`` -> .../sscflp/holmberg_p1.txt"""
    return BENCHMARKS / "sscflp" / f"holmberg_{name}.txt"


def orlib_cap_path(name: str) -> Path:
    """``orlib_cap_path("cap64")`` or ``("capa")`` -> .../orlib_cap/<name>.txt"""
    return BENCHMARKS / "orlib_cap" / f"{name}.txt"


def gap_path(name: str) -> Path:
    """``gap_path("c0515_1")`` -> .../gap/c0515_1.txt"""
    return BENCHMARKS / "gap" / f"{name}.txt"


# --------------------------------------------------------------------------- tokens


def tokens(path: str | Path) -> list[str]:
    """Whitespace-separated tokens of a benchmark file (NUL padding dropped)."""
    raw = Path(path).read_bytes().replace(b"\x00", b" ")
    return raw.decode("ascii").split()


def num(tok: str) -> int | float:
    """``"260."`` -> 260, ``"7500.5"`` -> 7500.5, ``"12"`` -> 12."""
    value = float(tok)
    if value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def _need(toks: list[str], count: int, path: str | Path, what: str) -> None:
    if len(toks) != count:
        raise ValueError(f"{path}: {what} expects {count} tokens, found {len(toks)}")


# --------------------------------------------------------------------------- parsers


def parse_holmberg(path: str | Path) -> dict[str, Any]:
    """Holmberg SSCFLP file -> {J, I, capacity[J], fixed[J], demand[I], cost[J][I]}.

    The cost matrix in the file is facility-major; ``cost[j][i]`` is the total cost of
    serving all of customer i from facility j.
    """
    t = tokens(path)
    J, I = int(t[0]), int(t[1])
    _need(t, 2 + 2 * J + I + J * I, path, f"Holmberg {J}x{I}")
    pos = 2
    capacity, fixed = [], []
    for _ in range(J):
        capacity.append(num(t[pos]))
        fixed.append(num(t[pos + 1]))
        pos += 2
    demand = [num(x) for x in t[pos : pos + I]]
    pos += I
    cost = [[num(x) for x in t[pos + j * I : pos + (j + 1) * I]] for j in range(J)]
    return {
        "J": J,
        "I": I,
        "capacity": capacity,
        "fixed": fixed,
        "demand": demand,
        "cost": cost,
        "source": str(path),
    }


def parse_orlib_cap(path: str | Path, capacity: float | None = None) -> dict[str, Any]:
    """OR-Library capacitated warehouse file -> same shape as :func:`parse_holmberg`.

    The file is customer-major (demand d_i then the m costs of customer i); the result
    is transposed so that ``cost[j][i]`` is site j, customer i. ``capacity`` replaces
    the literal word ``capacity`` (capa/capb/capc); giving it for a file with numeric
    capacities overrides them too. A placeholder without ``capacity`` is an error.
    """
    t = tokens(path)
    m, n = int(t[0]), int(t[1])
    _need(t, 2 + 2 * m + n * (1 + m), path, f"OR-Library cap {m}x{n}")
    pos = 2
    caps, fixed = [], []
    for _ in range(m):
        tok = t[pos]
        if capacity is not None:
            caps.append(capacity)
        elif tok.lower() == "capacity":
            raise ValueError(
                f"{path}: capacities are the placeholder 'capacity'; "
                "pass capacity=<value> (e.g. 8000 for capa-8000)"
            )
        else:
            caps.append(num(tok))
        fixed.append(num(t[pos + 1]))
        pos += 2
    demand: list[int | float] = []
    cost = [[0] * n for _ in range(m)]
    for i in range(n):
        demand.append(num(t[pos]))
        for j in range(m):
            cost[j][i] = num(t[pos + 1 + j])
        pos += 1 + m
    return {
        "J": m,
        "I": n,
        "capacity": caps,
        "fixed": fixed,
        "demand": demand,
        "cost": cost,
        "source": str(path),
    }


def parse_gap(path: str | Path) -> dict[str, Any]:
    """Single-problem OR-Library GAP file -> {m, n, cost[m][n], resource[m][n], capacity[m]}."""
    t = tokens(path)
    m, n = int(t[0]), int(t[1])
    _need(t, 2 + 2 * m * n + m, path, f"GAP {m}x{n}")
    pos = 2
    cost = [[num(x) for x in t[pos + i * n : pos + (i + 1) * n]] for i in range(m)]
    pos += m * n
    resource = [[num(x) for x in t[pos + i * n : pos + (i + 1) * n]] for i in range(m)]
    pos += m * n
    capacity = [num(x) for x in t[pos : pos + m]]
    return {
        "m": m,
        "n": n,
        "cost": cost,
        "resource": resource,
        "capacity": capacity,
        "source": str(path),
    }


# --------------------------------------------------------------------------- tables


def site_id(j: int) -> str:
    """0-based facility/agent index -> site id ("F1", "F2", ...)."""
    return f"F{j + 1}"


def firm_id(i: int) -> str:
    """0-based customer/job index -> firm id ("C1", "C2", ...)."""
    return f"C{i + 1}"


def sscflp_tables(inst: dict[str, Any], mip_gap: float = 1e-9, time_limit_s: float = 120) -> Tables:
    """Schema-v1 tables whose optimum is -(single-source CFLP optimum) of ``inst``.

    One developing region R1 (no land quota, budget = all fixed costs + 1), one sector
    K, one production location P1 in R1 without land, candidate sites F1..FJ
    (host = sponsor = R1, floor = capacity, setup cost = fixed cost), must-place firms
    C1..CI (floor need = demand), SiteAffinity = -cost for every pair.
    """
    J, I = inst["J"], inst["I"]
    return {
        "Policy": [
            {"parameter": "mip_gap", "value": mip_gap},
            {"parameter": "time_limit_s", "value": time_limit_s},
        ],
        "Regions": [
            {
                "region_id": "R1",
                "name": "R1",
                "tier": "developing",
                "land_quota_ha": 0,
                "budget_mcny": sum(inst["fixed"]) + 1,
            }
        ],
        "Sectors": [{"sector_id": "K"}],
        "Sites": [
            {
                "site_id": site_id(j),
                "host_region": "R1",
                "sponsor_region": "R1",
                "floor_m2": inst["capacity"][j],
                "setup_cost_mcny": inst["fixed"][j],
            }
            for j in range(J)
        ],
        "Locations": [{"location_id": "P1", "region": "R1", "land_available_ha": 0}],
        "Firms": [
            {
                "firm_id": firm_id(i),
                "sector": "K",
                "floor_need_m2": inst["demand"][i],
                "must_place": "yes",
            }
            for i in range(I)
        ],
        "SiteAffinity": [
            {"firm_id": firm_id(i), "site_id": site_id(j), "value_mcny": -inst["cost"][j][i]}
            for i in range(I)
            for j in range(J)
        ],
    }


def gap_tables(
    inst: dict[str, Any], sense: str = "max", mip_gap: float = 1e-9, time_limit_s: float = 120
) -> Tables:
    """Schema-v1 tables for the generalized assignment problem ``inst``.

    Agents are open sites F1..Fm (floor = b_i, no setup cost); jobs are must-place
    firms C1..Cn whose own floor need is a placeholder (max over agents) and whose
    per-site floor need (SiteAffinity.floor_need_m2) is a_ij. value_mcny = c_ij for
    ``sense="max"`` (objective = max optimum) or -c_ij for ``sense="min"`` (objective
    = -min optimum). Budget = 1 and land 0: nothing costs money or land.
    """
    if sense not in ("max", "min"):
        raise ValueError(f"sense must be 'max' or 'min', not {sense!r}")
    sign = 1 if sense == "max" else -1
    m, n = inst["m"], inst["n"]
    a = inst["resource"]
    return {
        "Policy": [
            {"parameter": "mip_gap", "value": mip_gap},
            {"parameter": "time_limit_s", "value": time_limit_s},
        ],
        "Regions": [
            {
                "region_id": "R1",
                "name": "R1",
                "tier": "developing",
                "land_quota_ha": 0,
                "budget_mcny": 1,
            }
        ],
        "Sectors": [{"sector_id": "K"}],
        "Sites": [
            {
                "site_id": site_id(i),
                "host_region": "R1",
                "sponsor_region": "R1",
                "floor_m2": inst["capacity"][i],
                "setup_cost_mcny": 0,
                "status": "open",
            }
            for i in range(m)
        ],
        "Locations": [{"location_id": "P1", "region": "R1", "land_available_ha": 0}],
        "Firms": [
            {
                "firm_id": firm_id(j),
                "sector": "K",
                "floor_need_m2": max(a[i][j] for i in range(m)),
                "must_place": "yes",
            }
            for j in range(n)
        ],
        "SiteAffinity": [
            {
                "firm_id": firm_id(j),
                "site_id": site_id(i),
                "value_mcny": sign * inst["cost"][i][j],
                "floor_need_m2": a[i][j],
            }
            for j in range(n)
            for i in range(m)
        ],
    }


# --------------------------------------------------------------------------- optima


def _read_csv(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        return []
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _holmberg_optima() -> dict[str, int | float]:
    return {
        r["instance"]: num(r["optimal_value"])
        for r in _read_csv(BENCHMARKS / "sscflp" / "holmberg_optima_all71.csv")
    }


def _orlib_cap_optima() -> dict[str, dict[str, Any]]:
    out = {}
    for r in _read_csv(BENCHMARKS / "orlib_cap" / "optima_all.csv"):
        ss = r["ss_optimum_guastaroba_speranza"].strip()
        out[r["instance"]] = {
            "ms": float(r["ms_optimum_capopt"]),
            "ss": None if ss == "infeasible" else float(ss),  # None = infeasible
            "capacity": num(r["capacity_each"]),
            "shipped": r["file_included"].startswith("yes"),
        }
    return out


def _gap_optima() -> dict[str, dict[str, int | float]]:
    return {
        Path(r["file"]).stem: {"max": num(r["optimum_max"]), "min": num(r["optimum_min"])}
        for r in _read_csv(BENCHMARKS / "gap" / "optima.csv")
    }


#: Holmberg single-source optima (minimum cost), all 71, keyed "p1".."p71".
HOLMBERG_OPTIMA: dict[str, int | float] = _holmberg_optima()

#: Holmberg instances shipped in sscflp/ (the others are only in the optima table).
HOLMBERG_SHIPPED = ("p1", "p13", "p25", "p33", "p41", "p50", *(f"p{n}" for n in range(56, 72)))

#: OR-Library cap optima keyed "cap41".."cap134", "capa-8000".. :
#: {"ms": capopt (splittable), "ss": single-source (None = infeasible),
#:  "capacity": per-site capacity, "shipped": file present}. SS values are published
#: to 2 decimals only — compare with abs tolerance 0.01 (or use ORLIB_CAP_SS_HIGHS).
ORLIB_CAP_OPTIMA: dict[str, dict[str, Any]] = _orlib_cap_optima()

#: Single-source values re-solved with HiGHS (SOURCES.md "HiGHS check"), full precision.
ORLIB_CAP_SS_HIGHS: dict[str, float] = {
    "cap64": 1053197.4375,
    "cap92": 858109.325,
    "cap124": 950608.425,
    "cap131": 793439.5625,
}

#: GAP optima keyed by file stem ("c0515_1", ...): {"max": ..., "min": ...}.
GAP_OPTIMA: dict[str, dict[str, int | float]] = _gap_optima()


def orlib_cap_instance(name: str) -> dict[str, Any]:
    """Parse an OR-Library cap instance by optima-table name: "cap64" or "capa-8000"."""
    base, _, cap = name.partition("-")
    return parse_orlib_cap(orlib_cap_path(base), capacity=num(cap) if cap else None)


# --------------------------------------------------------------------------- self-check


def self_check() -> list[str]:
    """Structural checks of every shipped file and table; returns a list of problems."""
    problems: list[str] = []

    def expect(cond: bool, msg: str) -> None:
        if not cond:
            problems.append(msg)

    for name in HOLMBERG_SHIPPED:
        inst = parse_holmberg(holmberg_path(name))
        row = next(
            (
                r
                for r in _read_csv(BENCHMARKS / "sscflp" / "holmberg_optima_all71.csv")
                if r["instance"] == name
            ),
            None,
        )
        expect(
            row is not None
            and (inst["J"], inst["I"]) == (int(row["n_facilities"]), int(row["n_customers"])),
            f"{name}: size {inst['J']}x{inst['I']} differs from the optima table",
        )
        expect(
            sum(inst["capacity"]) >= sum(inst["demand"]),
            f"{name}: total capacity below total demand",
        )
        t = sscflp_tables(inst)
        expect(len(t["SiteAffinity"]) == inst["J"] * inst["I"], f"{name}: SiteAffinity rows")
    for name, info in ORLIB_CAP_OPTIMA.items():
        if not info["shipped"]:
            continue
        inst = orlib_cap_instance(name)
        expect(
            all(c == info["capacity"] for c in inst["capacity"]),
            f"{name}: capacities differ from optima table",
        )
        expect(
            info["ss"] is not None or max(inst["demand"]) > max(inst["capacity"]),
            f"{name}: SS marked infeasible but some site can take every customer",
        )
    for name in GAP_OPTIMA:
        inst = parse_gap(gap_path(name))
        expect(
            len(inst["cost"]) == inst["m"] and len(inst["cost"][0]) == inst["n"],
            f"{name}: GAP shape",
        )
        for sense in ("max", "min"):
            t = gap_tables(inst, sense)
            expect(
                len(t["SiteAffinity"]) == inst["m"] * inst["n"],
                f"{name}: SiteAffinity rows ({sense})",
            )
    return problems


if __name__ == "__main__":
    found = self_check()
    print(
        "\n".join(found)
        if found
        else f"ok: {len(HOLMBERG_SHIPPED)} Holmberg, "
        f"{sum(v['shipped'] for v in ORLIB_CAP_OPTIMA.values())} OR-Library cap, "
        f"{len(GAP_OPTIMA)} GAP instances parse and encode (benchmarks: {BENCHMARKS})"
    )
    raise SystemExit(1 if found else 0)
