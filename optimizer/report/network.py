"""The plan of a package as a network: sponsor regions -> parks in host cities -> regions
where the firms produce, with the firms and the quota on every flow (what `sankey.py`
draws; the paper's Fig. 4).

Read from the result tables only (`Sites`, `Firms`, `Quota`, `Regions`), so the picture
shows exactly what the sheets say. A large plan is aggregated so that no column holds more
than `MAX_NODES` boxes: parks of one sponsor in one host first, then all parks of a host,
and the smallest sponsor or production regions are pooled as "other".
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

MAX_NODES = 14  # boxes in one column at most
NOT_PRODUCING = "(not producing)"


@dataclass
class Node:
    key: str
    label: str  # what the box says
    firms: int  # firms through it
    group: str = ""  # parks: the host region; regions: ""
    quota_ha: float = 0.0  # sponsor: quota given; park: quota the host gets for it
    parks: int = 1  # parks it stands for (aggregated parks)


@dataclass
class Network:
    scenario: str
    title: str
    sponsors: list[Node]
    parks: list[Node]
    producers: list[Node]
    incubation: dict[tuple[str, str, str], int]  # (sponsor, sponsor, park) -> firms
    production: dict[tuple[str, str, str], int]  # (sponsor, park, production region) -> firms
    deals: dict[tuple[str, str], float]  # (sponsor, park) -> quota to the host, ha
    trades: list[tuple[str, str, float]]  # (from, to, ha) quota trades outside parks
    hosts: dict[str, str] = field(default_factory=dict)  # host region -> its label
    notes: list[str] = field(default_factory=list)  # what was aggregated


def network_of(result: Any) -> Network:
    """The network of a package that has a plan (`tables.ScenarioResult`)."""
    t = result.tables
    names = {g["region_id"]: g["name"] for g in t["Regions"]}
    opened = [s for s in t["Sites"] if s["opened"] == "yes"]
    park_of = {s["site_id"]: s["site_id"] for s in opened}
    notes: list[str] = []
    if len(opened) > MAX_NODES:  # one box per sponsor and host
        park_of = {s["site_id"]: f"{s['sponsor_region']}@{s['host_region']}" for s in opened}
        notes.append("parks of one sponsor in one host are drawn as one box")
        if len(set(park_of.values())) > MAX_NODES:  # one box per host
            park_of = {s["site_id"]: f"@{s['host_region']}" for s in opened}
            notes[-1] = "all parks of a host are drawn as one box"
    sponsor_of = {s["site_id"]: s["sponsor_region"] for s in opened}
    firms_at: dict[tuple[str, str], int] = defaultdict(int)
    made_in: dict[tuple[str, str, str], int] = defaultdict(int)
    for f in t["Firms"]:
        if f["incubated"] == "yes":
            park = park_of[f["site_id"]]
            firms_at[sponsor_of[f["site_id"]], park] += 1
            made_in[sponsor_of[f["site_id"]], park, f["production_region"] or NOT_PRODUCING] += 1
    sponsor_given: dict[str, float] = defaultdict(float)
    deals: dict[tuple[str, str], float] = defaultdict(float)
    trades = []
    for q in t["Quota"]:
        sponsor_given[q["from_region"]] += q["amount_ha"]
        if q["kind"] == "trade":
            trades.append((q["from_region"], q["to_region"], q["amount_ha"]))
        else:
            deals[q["from_region"], park_of[q["site_id"]]] += q["amount_ha"]
    parks: dict[str, Node] = {}
    for s in opened:
        key = park_of[s["site_id"]]
        node = parks.get(key)
        if node is None:
            parks[key] = Node(key, "", 0, s["host_region"])
        else:
            node.parks += 1
        parks[key].firms += s["firms_incubated"]
        parks[key].quota_ha += s["quota_to_host_ha"]
    for node in parks.values():
        node.label = _park_label(node)
    sponsor_firms: dict[str, int] = defaultdict(int)
    for (o, _), n in firms_at.items():
        sponsor_firms[o] += n
    for s in opened:
        sponsor_firms.setdefault(s["sponsor_region"], 0)
    producer_firms: dict[str, int] = defaultdict(int)
    for (_, _, r), n in made_in.items():
        producer_firms[r] += n
    sponsors = _pooled(sponsor_firms, "other sponsors", notes)
    producers = _pooled(producer_firms, "other regions", notes)
    incubation = _remap(firms_at, sponsors, 0)
    incubation = {(o, o, p): n for (o, p), n in incubation.items()}
    production = _remap(_remap(made_in, producers, 2), sponsors, 0)
    deal_flows = _remap(deals, sponsors, 0)
    sponsor_nodes = [
        Node(k, _region_label(k, names, n, sponsor_given.get(k, 0.0)), n, "", 0.0)
        for k, n in _totals(sponsor_firms, sponsors).items()
    ]
    for node in sponsor_nodes:
        node.quota_ha = sum(v for k, v in sponsor_given.items() if sponsors.get(k) == node.key)
        node.label = _region_label(node.key, names, node.firms, node.quota_ha)
    producer_nodes = [
        Node(k, _region_label(k, names, n), n)
        for k, n in _totals(producer_firms, producers).items()
    ]
    moved = sum(q["amount_ha"] for q in t["Quota"])
    o = result.outcome
    title = (
        f"{result.scenario}: {len(opened)} parks open, {sum(sponsor_firms.values())} firms "
        f"incubated, {moved:,.1f} ha of quota moved; weighted welfare "
        f"{o.objective:,.1f} mcny ({o.status})"
    )
    hosts = {h: f"in {_name(h, names)}" for h in {n.group for n in parks.values()}}
    return Network(
        result.scenario,
        title,
        sponsor_nodes,
        _ordered_parks(parks, incubation, [n.key for n in sponsor_nodes]),
        producer_nodes,
        incubation,
        production,
        deal_flows,
        sorted(trades, key=lambda x: -x[2]),
        hosts,
        notes,
    )


def _name(region: str, names: dict[str, str]) -> str:
    name = names.get(region, region)
    return region if name == region else f"{name} ({region})"


def _region_label(key: str, names: dict[str, str], firms: int, quota: float = 0.0) -> str:
    if key == NOT_PRODUCING:
        return f"{firms} firms incubated, not producing"
    label = f"{_name(key, names)}\n{firms} firm{'s' if firms != 1 else ''}"
    return label + (f", gives {quota:,.1f} ha quota" if quota > 1e-9 else "")


def _park_label(node: Node) -> str:
    key = node.key.split("@")[0] if "@" in node.key else node.key
    head = (
        f"{node.parks} parks"
        if node.key.startswith("@")
        else f"{key}: {node.parks} parks"
        if node.parks > 1
        else key
    )
    tail = f"{node.firms} firm{'s' if node.firms != 1 else ''}"
    if node.quota_ha > 1e-9:
        tail += f"\nhost gets {node.quota_ha:,.1f} ha quota"
    return f"{head} — {tail}"


def _pooled(firms: dict[str, int], other: str, notes: list[str]) -> dict[str, str]:
    """Region -> the box it is drawn in: itself, or `other` for the smallest ones."""
    ranked = sorted(firms, key=lambda k: (-firms[k], k))
    if len(ranked) <= MAX_NODES:
        return {k: k for k in ranked}
    kept = set(ranked[: MAX_NODES - 1])
    notes.append(f"{len(ranked) - len(kept)} smallest are drawn as '{other}'")
    return {k: k if k in kept else other for k in ranked}


def _totals(firms: dict[str, int], box: dict[str, str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for k in sorted(firms, key=lambda k: (-firms[k], k)):
        out[box[k]] = out.get(box[k], 0) + firms[k]
    return out


def _remap(flows: dict[tuple[str, ...], Any], box: dict[str, str], side: int) -> dict:
    """`flows` with the region at position `side` of each key replaced by its box."""
    out: dict[tuple[str, ...], Any] = defaultdict(type(next(iter(flows.values()), 0)))
    for key, v in flows.items():
        k = list(key)
        k[side] = box.get(k[side], k[side])
        out[tuple(k)] += v
    return dict(out)


def _ordered_parks(
    parks: dict[str, Node], incubation: dict[tuple[str, str], int], sponsors: list[str]
) -> list[Node]:
    """Parks grouped by host (largest host first), within a host in the order of their
    main sponsor: fewer crossing flows."""
    rank = {s: i for i, s in enumerate(sponsors)}
    main = {}
    for (o, _, p), _n in sorted(incubation.items(), key=lambda x: -x[1]):
        main.setdefault(p, o)
    host_firms: dict[str, int] = defaultdict(int)
    for node in parks.values():
        host_firms[node.group] += node.firms
    return sorted(
        parks.values(),
        key=lambda n: (-host_firms[n.group], n.group, rank.get(main.get(n.key, ""), 99), n.key),
    )
