"""The plan of each package as a network picture: flows read from the result tables,
aggregated when large, embedded in sheet Network and written beside the workbook."""

from types import SimpleNamespace

import pytest
from cases import rows
from openpyxl import load_workbook

from optimizer.app import solve_tables, tables_from_rows
from optimizer.report.network import MAX_NODES, network_of
from optimizer.report.workbook import write_report

# E1 (cost 20) forced open, F2 must be placed there at a subsidy of 7.5: 27.5 > QZ's budget
TIGHT = [
    ("Sites", "E1", "status", "open"),
    ("Regions", "QZ", "budget_mcny", 20),
    ("Firms", "F2", "must_place", "yes"),
    ("Firms", "F2", "subsidy_mcny", 7.5),
]


@pytest.fixture(scope="module")
def report():
    overrides = [
        {"scenario_id": "impossible", "sheet": sheet, "key": key, "column": column,
         "operation": "set", "value": value}
        for sheet, key, column, value in TIGHT
    ]  # fmt: skip
    data = rows(Scenarios=[{"scenario_id": "impossible"}], Overrides=overrides)
    return solve_tables(tables_from_rows(data))


def test_the_network_of_the_two_region_case(report):
    # F1 at LY's E2 producing in LY, F2 at QZ's E1 producing in QZ; E1's 1 ha of park land
    # makes QZ give HZ 1 x 1 ha (exchange_ratio 1)
    net = network_of(report.results[0])
    assert [(n.key, n.firms, n.quota_ha) for n in net.sponsors] == [
        ("LY", 1, 0.0),
        ("QZ", 1, 1.0),
    ]
    assert sorted((n.key, n.group, n.firms, n.quota_ha) for n in net.parks) == [
        ("E1", "HZ", 1, 1.0),
        ("E2", "HZ", 1, 0.0),
    ]
    assert net.incubation == {("LY", "LY", "E2"): 1, ("QZ", "QZ", "E1"): 1}
    assert net.production == {("LY", "E2", "LY"): 1, ("QZ", "E1", "QZ"): 1}
    assert net.deals == {("QZ", "E1"): 1.0} and net.trades == []
    assert "2 parks open, 2 firms incubated, 1.0 ha of quota moved" in net.title
    assert "host gets 1.0 ha quota" in next(n.label for n in net.parks if n.key == "E1")


def big_plan(sponsors: int, hosts: int, parks: int):
    """A result with `parks` open parks, one firm each, of `sponsors` sponsors in `hosts`."""
    sites, firms = [], []
    for i in range(parks):
        o, h = f"S{i % sponsors:02d}", f"H{i % hosts}"
        site = {"site_id": f"P{i:02d}", "opened": "yes", "host_region": h}
        sites.append(dict(site, sponsor_region=o, firms_incubated=1, quota_to_host_ha=0.5))
        firm = {"firm_id": f"F{i:02d}", "incubated": "yes", "site_id": f"P{i:02d}"}
        firms.append(dict(firm, production_region=o))
    quota = [
        {"kind": "enclave deal", "from_region": s["sponsor_region"], "to_region": s["host_region"],
         "site_id": s["site_id"], "amount_ha": 0.5}
        for s in sites
    ]  # fmt: skip
    regions = [{"region_id": f"S{i:02d}", "name": f"Sponsor {i}"} for i in range(sponsors)]
    regions += [{"region_id": f"H{i}", "name": f"Host {i}"} for i in range(hosts)]
    tables = {"Sites": sites, "Firms": firms, "Quota": quota, "Regions": regions}
    outcome = SimpleNamespace(objective=1.0, status="optimal")
    return SimpleNamespace(scenario="big", tables=tables, outcome=outcome)


def test_a_large_plan_is_aggregated_to_stay_legible():
    # 40 parks of 4 sponsors in 3 hosts: 12 sponsor-host boxes, not 40 parks
    net = network_of(big_plan(4, 3, 40))
    assert len(net.parks) == 12 and sum(n.parks for n in net.parks) == 40
    assert sum(n.firms for n in net.parks) == 40 and "one sponsor in one host" in net.notes[0]
    # 60 parks of 30 sponsors in 3 hosts: one box per host, the smallest sponsors pooled
    net = network_of(big_plan(30, 3, 60))
    assert [n.parks for n in net.parks] == [20, 20, 20]
    assert len(net.sponsors) == len(net.producers) == MAX_NODES
    assert net.sponsors[-1].key == "other sponsors" and net.sponsors[-1].firms == 60 - 13 * 2
    assert sum(net.incubation.values()) == sum(net.production.values()) == 60
    assert sum(n.quota_ha for n in net.sponsors) == pytest.approx(30.0)  # 60 x 0.5 ha


def test_one_picture_per_package_with_a_plan_in_the_workbook_and_beside_it(report, tmp_path):
    stamp = report.started.strftime("%Y%m%d-%H%M%S")
    taken = tmp_path / f"pic_results_{stamp}_baseline_network.png"
    taken.write_bytes(b"a planner's file")  # must survive
    path = write_report(report, tmp_path, "pic")
    assert taken.read_bytes() == b"a planner's file"
    wb = load_workbook(path)
    network = wb["Network"]
    assert len(network._images) == 1  # baseline; the infeasible package has no plan
    run = {r[0]: r[1] for r in wb["Run"].iter_rows(min_row=2, values_only=True)}
    png_name, svg_name = run["scenario baseline: network picture"].split(" and ")
    assert png_name != taken.name and png_name.endswith("_network_2.png")
    assert "scenario impossible: network picture" not in run
    png, svg = tmp_path / png_name, tmp_path / svg_name
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    text = svg.read_text(encoding="utf-8")
    assert text.startswith("<?xml") and "E1 — 1 firm" in text and "host gets 1.0 ha quota" in text
    assert network["A1"].value == "Network of package baseline"
    assert png_name in network["A2"].value and svg_name in network["A2"].value


def test_a_picture_drawn_beside_the_next_solve_copies_and_pickles_as_the_picture():
    # results are deep-copied (Compare's tests) and pickled (side by side, Dask): the
    # picture being drawn on a thread must become the finished bytes, not a Future
    import copy
    import pickle
    from concurrent.futures import ThreadPoolExecutor

    from optimizer.report.pictures import Drawing

    with ThreadPoolExecutor(1) as pool:
        drawing = Drawing(pool.submit(lambda: (b"png", b"svg")))
        assert copy.deepcopy({"p": drawing}) == {"p": (b"png", b"svg")}
        assert pickle.loads(pickle.dumps(drawing)) == (b"png", b"svg")
        failed = Drawing(pool.submit(lambda: 1 / 0))
        assert failed.get() is None and copy.deepcopy(failed) is None


def test_the_footer_wraps_within_the_picture_and_keeps_every_word():
    # one paragraph of 60 trades (about 1,000 characters at 7.5 pt, some 4x the width of
    # a 12.5-inch figure) and one short one: the long one wraps, every line fits the
    # figure's width less its margins, and no word is lost or split
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from optimizer.report.sankey import _wrapped_text

    fig = Figure(figsize=(12.5, 6))
    FigureCanvasAgg(fig)
    long = "Quota traded: " + ", ".join(f"QZ_{i} → HZ_YH {i}.5 ha" for i in range(60))
    _wrapped_text(fig, 0.01, 0.015, long + "\nBand width = firms.", fontsize=7.5)
    (text,) = fig.texts
    lines = text.get_text().split("\n")
    assert len(lines) >= 4 and lines[-1] == "Band width = firms."
    assert " ".join(lines[:-1]).split() == long.split()
    renderer = fig.canvas.get_renderer()
    probe = fig.text(0, 0, "", fontsize=7.5)
    for line in lines:
        probe.set_text(line)
        assert probe.get_window_extent(renderer).width <= fig.bbox.width * 0.98


def test_pictures_drawn_on_several_threads_at_once_are_the_pictures_drawn_alone(report):
    # matplotlib's rc_context is the process's: without the lock in sankey.draw, a thread
    # leaving its context puts back the settings another thread is drawing with, and that
    # one's SVG gets its text as paths (svg.fonttype) or another font
    from concurrent.futures import ThreadPoolExecutor

    from optimizer.report.sankey import draw

    net = network_of(report.results[0])
    alone = draw(net)[1]
    assert b"<text" in alone  # text stays text
    with ThreadPoolExecutor(4) as pool:
        together = list(pool.map(lambda _: draw(net)[1], range(8)))
    assert all(svg == alone for svg in together)
