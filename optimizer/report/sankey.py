"""The network of a package drawn as a three-column flow diagram (matplotlib, Agg):
sponsor regions on the left, the parks grouped by host city in the middle, the regions
where the firms produce on the right; band widths are firms, labels give firms and quota.

Drawn on a `matplotlib.figure.Figure` (no pyplot), as PNG and SVG bytes (SVG text stays
text, so it can be searched and edited); one picture at a time per process, since the
settings of matplotlib's `rc_context` are the process's.
"""

from __future__ import annotations

import io
import textwrap
import threading
import warnings
from typing import Any

from .network import Network, Node

COLOURS = (
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1",
    "#ff9da7", "#9c755f", "#bab0ac", "#86bcb6", "#d37295", "#8cd17d", "#b6992d",
)  # fmt: skip
FONTS = ["DejaVu Sans", "Noto Sans CJK SC", "WenQuanYi Zen Hei", "Microsoft YaHei", "SimHei"]
X = (0.0, 1.0, 2.0)  # the three columns
BOX = 0.06  # width of a box, in column units
GAP = 0.025  # room between boxes, as a share of the column's height
MIN_BOX = 0.012  # height of a box through which no firm passes
TRADES_SHOWN = 8
GREY = "#8c8c8c"  # a box of several sponsors, or a production region
LABEL_POINTS = 6.0  # a band thinner than this carries no label
WRAP_MARGIN = 0.93  # a wrapped line's characters, as a share of what fits on average
# matplotlib's rc_context changes the process's settings: two pictures drawn at once on two
# threads (one beside the next solve, one redrawn at writing) could take each other's
_DRAWING = threading.Lock()


def draw(net: Network, dpi: int = 150) -> tuple[bytes, bytes]:
    """The picture of `net` as PNG and as SVG."""
    import matplotlib
    from matplotlib import font_manager
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    installed = {f.name for f in font_manager.fontManager.ttflist}
    fonts = [f for f in FONTS if f in installed] or ["sans-serif"]  # CJK names, if a font has them

    rows = max(len(net.sponsors), len(net.parks) + len(net.hosts) * 0.6, len(net.producers))
    height = min(11.0, max(5.5, 1.6 + 0.42 * rows))
    with (
        _DRAWING,
        matplotlib.rc_context(
            {
                "font.family": fonts,
                "font.size": 8,
                "svg.fonttype": "none",
                "svg.hashsalt": "enclave",
            }
        ),
    ):
        fig = Figure(figsize=(12.5, height))
        FigureCanvasAgg(fig)
        ax = fig.add_axes((0.01, 0.11, 0.98, 0.78))
        ax.set_axis_off()
        ax.set_xlim(-1.0, 3.1)
        ax.set_ylim(0, 1)
        fig.suptitle(net.title, fontsize=11, fontweight="bold", x=0.01, y=0.985, ha="left")
        _layout(ax, net)
        _wrapped_text(fig, 0.01, 0.015, _footer(net), fontsize=7.5, va="bottom", ha="left")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # a glyph no font here has
            png, svg = io.BytesIO(), io.BytesIO()
            fig.savefig(png, format="png", dpi=dpi)
            fig.savefig(svg, format="svg", metadata={"Date": None})
    return png.getvalue(), svg.getvalue()


def _wrapped_text(fig: Any, x: float, y: float, text: str, **style: Any) -> None:
    """`text` at (x, y), its paragraphs wrapped to the figure's width: each paragraph is
    measured once and wrapped by its own width per character (matplotlib's `wrap=True`
    measures word by word, a third of a picture's drawing time)."""
    t = fig.text(x, y, "", **style)
    renderer = fig.canvas.get_renderer()
    room = fig.bbox.width * (1 - 2 * x)
    lines = []
    for paragraph in text.split("\n"):
        t.set_text(paragraph)
        width = t.get_window_extent(renderer).width
        if width <= room:
            lines.append(paragraph)
            continue
        chars = max(20, int(len(paragraph) * room / width * WRAP_MARGIN))
        lines.append(textwrap.fill(paragraph, chars, break_on_hyphens=False))
    t.set_text("\n".join(lines))


def _stack(nodes: list[Node], breaks: list[int] | None = None) -> dict[str, tuple[float, float]]:
    """Box of each node: (bottom, top) in 0..1, top to bottom, heights by firms; `breaks`
    extra room before those positions (for host headings)."""
    extra = 0.04 * len(breaks or [])
    total = sum(n.firms for n in nodes) or 1
    room = 1.0 - GAP * max(len(nodes) - 1, 0) - MIN_BOX * len(nodes) - extra
    y, out = 1.0, {}
    for i, n in enumerate(nodes):
        if breaks and i in breaks:
            y -= 0.04
        h = MIN_BOX + max(room, 0.05) * n.firms / total
        out[n.key] = (y - h, y)
        y -= h + GAP
    return out


def _layout(ax: Any, net: Network) -> None:
    from matplotlib.patches import PathPatch, Rectangle
    from matplotlib.path import Path

    colour = {n.key: COLOURS[i % len(COLOURS)] for i, n in enumerate(net.sponsors)}
    firsts = [i for i, n in enumerate(net.parks) if i == 0 or net.parks[i - 1].group != n.group]
    boxes = [_stack(net.sponsors), _stack(net.parks, firsts), _stack(net.producers)]
    for col, heading in enumerate(
        ("Sponsor regions (run the parks, pay)", "Parks, by host city", "Where the firms produce")
    ):
        ax.text(X[col] + BOX / 2, 1.035, heading, ha="center", va="bottom", fontweight="bold")
    for i in firsts:
        top = boxes[1][net.parks[i].key][1]
        ax.text(X[1] + BOX / 2, top + 0.006, net.hosts[net.parks[i].group], ha="center",
                va="bottom", fontsize=7.5, style="italic", color="#333333")  # fmt: skip
    sponsors_of: dict[str, set[str]] = {}
    for o, _, p in net.incubation:
        sponsors_of.setdefault(p, set()).add(o)
    for col, nodes in enumerate((net.sponsors, net.parks, net.producers)):
        for n in nodes:
            lo, hi = boxes[col][n.key]
            owners = {n.key} if col == 0 else sponsors_of.get(n.key, set()) if col == 1 else set()
            c = colour.get(next(iter(owners)), GREY) if len(owners) == 1 else GREY
            ax.add_patch(Rectangle((X[col], lo), BOX, hi - lo, color=c))
            if col == 0:
                ax.text(X[0] - 0.02, (lo + hi) / 2, n.label, ha="right", va="center")
            elif col == 2:
                ax.text(X[2] + BOX + 0.02, (lo + hi) / 2, n.label, ha="left", va="center")
            else:
                ax.text(X[1] + BOX + 0.015, (lo + hi) / 2, n.label, ha="left", va="center",
                        fontsize=7, bbox={"boxstyle": "round,pad=0.15", "fc": "white",
                                          "ec": "none", "alpha": 0.8})  # fmt: skip
    points = ax.figure.get_figheight() * 72 * ax.get_position().height  # per unit of y
    firms_of = [{n.key: n.firms for n in c} for c in (net.sponsors, net.parks, net.producers)]
    for flows, left in ((net.incubation, 0), (net.production, 1)):
        right = left + 1
        order = [{k: i for i, k in enumerate(boxes[c])} for c in (left, right)]
        unit = [  # band height of one firm through each box
            {k: (v[1] - v[0] - MIN_BOX) / max(firms_of[c][k], 1) for k, v in boxes[c].items()}
            for c in (left, right)
        ]
        start = {}  # each band's top where it leaves and where it arrives
        for side, (near, far) in enumerate(((1, 2), (2, 1))):  # leaving: by where it goes
            keys = sorted(flows, key=lambda k: (order[side][k[near]], order[1 - side][k[far]], k))
            top = {k: v[1] for k, v in boxes[left if side == 0 else right].items()}
            for k in keys:
                start[k, side] = top[k[near]]
                top[k[near]] -= flows[k] * unit[side][k[near]]
        for k, firms in flows.items():
            if firms <= 0:
                continue
            ha, hb = firms * unit[0][k[1]], firms * unit[1][k[2]]
            y0, y1 = start[k, 0], start[k, 1]
            x0, x1 = X[left] + BOX, X[right]
            xm = (x0 + x1) / 2
            verts = [(x0, y0), (xm, y0), (xm, y1), (x1, y1), (x1, y1 - hb), (xm, y1 - hb),
                     (xm, y0 - ha), (x0, y0 - ha), (x0, y0)]  # fmt: skip
            codes = [Path.MOVETO] + [Path.CURVE4] * 3 + [Path.LINETO] + [Path.CURVE4] * 3
            codes += [Path.CLOSEPOLY]
            tint = colour.get(k[0], GREY)
            ax.add_patch(PathPatch(Path(verts, codes), fc=tint, ec="none", alpha=0.45))
            if hb * points < LABEL_POINTS:
                continue  # too thin to carry a label: the boxes give the totals
            label = f"{firms} firm{'s' if firms != 1 else ''}"
            quota = net.deals.get((k[0], k[2]), 0.0) if left == 0 else 0.0
            if quota > 1e-9:
                label += f" · {quota:,.1f} ha quota"
            # at the band's end, where the bands into a box lie side by side
            ax.text(x1 - 0.012, y1 - hb / 2, label, ha="right", va="center", fontsize=6.5,
                    color="#222222")  # fmt: skip


def _footer(net: Network) -> str:
    parts = []
    if net.trades:
        shown = ", ".join(f"{a} → {b} {ha:,.1f} ha" for a, b, ha in net.trades[:TRADES_SHOWN])
        more = len(net.trades) - TRADES_SHOWN
        total = sum(ha for _, _, ha in net.trades)
        parts.append(
            f"Quota traded outside the parks ({total:,.1f} ha): {shown}"
            + (f" and {more} more" if more > 0 else "")
        )
    parts.append(
        "Band width = firms. A cross-region park passes exchange_ratio × its land in quota "
        "from sponsor to host (shown on the band); trades are in sheet Quota."
    )
    if net.notes:
        parts.append("Aggregated to stay legible: " + "; ".join(net.notes) + ".")
    return "\n".join(parts)
