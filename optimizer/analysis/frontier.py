"""The efficiency-equity frontier of one package: weighted welfare against the developing
regions' share of the net benefit, traced by raising the equity floor
(`min_developing_share`, an epsilon constraint) point by point.

The package is solved without a floor (share s0, welfare W0) and with the floor at 1; if
that fails, the highest feasible floor s_max is found by bisection. Points are then added
where the curve is long and bends most (the knees), until N points have a plan. Every
point is a generated package (the package with one Policy override) solved by the
caller's `solve` (`app.frontier`: `solve_tables`, side by side with `--workers`); it
starts from its neighbours' plans (the plan of the next higher floor meets this point's
floor as well). A point without a
plan is reported as such. Raising the floor only removes plans, so welfare never rises
along the frontier beyond the solver's gap."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from ..io.schema import Tables
from ..solver.outcome import OPTIMAL

FLOOR = "min_developing_share"
DIGITS = 4  # floors are rounded to 0.0001: stable, readable package ids
STEP = 10.0**-DIGITS
MAX_ROUNDS = 60  # solve batches, a guard against a curve that never fills
KNEE_DEGREES = 10.0  # a turn of the curve (scaled to its ranges) that counts as a knee


def point_id(floor: float) -> str:
    return f"frontier:{FLOOR}={floor:.{DIGITS}f}"


def with_points(tables: Tables, parent: str, floors: list[float]) -> Tables:
    """The tables plus one generated package per floor (parent = the traced package)."""
    scenarios = list(tables.get("Scenarios", []))
    overrides = list(tables.get("Overrides", []))
    for f in floors:
        scenarios.append(
            {
                "_row": None,
                "_letters": {},
                "scenario_id": point_id(f),
                "description": f"frontier of {parent}: equity floor {f:.{DIGITS}f}",
                "parent": parent,
            }
        )
        overrides.append(
            {
                "_row": None,
                "_letters": {},
                "_sheet": "Frontier",
                "scenario_id": point_id(f),
                "sheet": "Policy",
                "key": FLOOR,
                "column": "value",
                "operation": "set",
                "value": f,
            }
        )
    return {**tables, "Scenarios": scenarios, "Overrides": overrides}


class Trace:
    """The points solved so far, by floor; `solve(floors, starts)` solves a batch of floors
    (each offered `starts`, its neighbours' plans) and returns their results and whether
    the run was interrupted."""

    def __init__(self, solve: Callable[..., tuple[list[Any], bool]], log: Callable[[str], None]):
        self.solve_batch, self.log = solve, log
        self.points: dict[float, Any] = {}
        self.interrupted = False

    def solve(self, floors: list[float]) -> None:
        floors = sorted({round(f, DIGITS) for f in floors} - set(self.points))
        if not floors or self.interrupted:
            return
        results, self.interrupted = self.solve_batch(
            floors, {f: self.neighbours(f) for f in floors}
        )
        for f, r in zip(floors, results):
            self.points[f] = r
            s = share(r)
            self.log(
                f"  floor {f:.{DIGITS}f}: {r.outcome.label}"
                + (
                    f", welfare {r.outcome.objective:,.3f} mcny, developing share {s:.2%}"
                    if r.outcome.has_plan and s is not None
                    else ""
                )
            )

    def neighbours(self, f: float) -> list:
        below = [g for g in self.points if g < f and self.points[g].plan is not None]
        above = [g for g in self.points if g > f and self.points[g].plan is not None]
        near = ([max(below)] if below else []) + ([min(above)] if above else [])
        return [self.points[g].plan for g in near]

    def feasible(self) -> list[tuple[float, float, float]]:
        """(floor, share, welfare) of every point with a plan, by floor."""
        out = []
        for f in sorted(self.points):
            r = self.points[f]
            s = share(r)
            if r.outcome.has_plan and s is not None:
                out.append((f, s, r.outcome.objective))
        return out


def trace(
    solve: Callable[..., tuple[list[Any], bool]],
    n: int,
    width: int = 1,
    log: Callable[[str], None] = lambda _: None,
) -> Trace:
    """The frontier's points until `n` (at least 3) have a plan, `width` solved at once."""
    n = max(3, n)
    trace = Trace(solve, log)
    width = max(1, width)
    trace.solve([0.0, 1.0])
    if share(trace.points[0.0]) is None:
        log("  the package without a floor has no plan (or no net benefit): no frontier")
        return trace
    lo, hi = trace.feasible()[0][1], 1.0  # a floor up to s0 changes nothing
    if share(trace.points[1.0]) is not None:  # a plan that gives developing regions all
        lo = hi
    rounds = 0
    while hi - lo > (1.0 - trace.feasible()[0][1]) / (4 * n) and rounds < MAX_ROUNDS:
        rounds += 1
        probes = [lo + (hi - lo) * (k + 1) / (width + 1) for k in range(width)]
        trace.solve(probes)
        if trace.interrupted:
            return trace
        for f in sorted(round(p, DIGITS) for p in probes):
            s = share(trace.points[f])  # None: no plan, or a plan with no net benefit
            if s is not None:
                lo = max(lo, s)
            else:
                hi = min(hi, f)
                break
        lo = min(lo, hi)
    while len(trace.feasible()) < n and rounds < MAX_ROUNDS and not trace.interrupted:
        rounds += 1
        floors = refine(trace.feasible(), min(width, n - len(trace.feasible())), n)
        if not floors:
            break
        trace.solve(floors)
    return trace


def refine(points: list[tuple[float, float, float]], wanted: int, n: int) -> list[float]:
    """The floors of up to `wanted` new points: the middle of the segments that are longest
    and bend most (on the chart scaled to its ranges). Skipped: a segment whose lower point
    already meets the upper point's floor (it holds no other plan), whose two ends are the
    same plan, or narrower than a quarter of the frontier's width per point asked for."""
    if len(points) < 2:
        return []
    narrow = max(2 * STEP, (points[-1][1] - points[0][1]) / (4 * n))
    xs, ys = [p[1] for p in points], [p[2] for p in points]
    wx = (max(xs) - min(xs)) or 1.0
    wy = (max(ys) - min(ys)) or 1.0
    turn = bends(xs, ys)
    scored = []
    for i in range(len(points) - 1):
        (_, s0, w0), (f1, s1, w1) = points[i], points[i + 1]
        same = abs(s1 - s0) < 1e-9 and abs(w1 - w0) <= 1e-9 * max(1.0, abs(w0))
        if f1 - s0 < narrow or same:
            continue
        length = math.hypot((s1 - s0) / wx, (w1 - w0) / wy)
        scored.append((length * (1 + max(turn[i], turn[i + 1]) / 45.0), (s0 + f1) / 2))
    scored.sort(reverse=True)
    return [f for _, f in scored[:wanted]]


def notes(trace: Trace, scenario: str, n: int) -> list[str]:
    """The sentences atop the Frontier sheet."""
    results = [trace.points[f] for f in sorted(trace.points)]
    feasible = trace.feasible()
    unproven = [r.scenario for r in results if r.outcome.has_plan and r.outcome.status != OPTIMAL]
    out = [
        f"Package {scenario} solved with its equity floor ({FLOOR}) raised point by point: "
        f"{len(feasible)} point(s) with a plan (asked for {n}), "
        f"{len(results) - len(feasible)} without.",
    ]
    if feasible:
        out.append(
            f"Without a floor the developing regions get {feasible[0][1]:.1%} of the net "
            f"benefit; the highest share found is {feasible[-1][1]:.1%}. Welfare never "
            "rises as the floor rises (beyond each point's mip_gap)."
        )
    out.append(
        "Every point is proven within its mip_gap."
        if not unproven
        else "Not proven within mip_gap (stopped early): " + ", ".join(unproven)
    )
    return out


def share(r: Any) -> float | None:
    """The developing regions' share of the total net benefit of a result (None: no plan,
    or no net benefit at all)."""
    if not r.outcome.has_plan:
        return None
    dev = r.summary["net_benefit_developing_mcny"]
    total = dev + r.summary["net_benefit_developed_mcny"]
    return dev / total if abs(total) > 1e-9 else None


def bends(xs: list[float], ys: list[float]) -> list[float]:
    """The turn of the curve at each point, degrees (0 at both ends), on axes scaled to
    their ranges so that the units do not matter."""
    n = len(xs)
    if n < 3:
        return [0.0] * n
    wx = (max(xs) - min(xs)) or 1.0
    wy = (max(ys) - min(ys)) or 1.0
    out = [0.0]
    for i in range(1, n - 1):
        a = math.atan2((ys[i] - ys[i - 1]) / wy, (xs[i] - xs[i - 1]) / wx)
        b = math.atan2((ys[i + 1] - ys[i]) / wy, (xs[i + 1] - xs[i]) / wx)
        turn = abs(math.degrees(b - a))
        out.append(min(turn, 360 - turn))
    return out + [0.0]


def knees(xs: list[float], ys: list[float]) -> list[bool]:
    """Where the curve turns at least KNEE_DEGREES, more than both neighbours."""
    turns = bends(xs, ys)
    last = len(xs) - 1
    return [
        0 < i < last and t >= KNEE_DEGREES and t >= turns[i - 1] and t >= turns[i + 1]
        for i, t in enumerate(turns)
    ]
