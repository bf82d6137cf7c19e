"""docs/inputs.md, generated from the schema so that the two cannot drift."""

from __future__ import annotations

from .data.sweeps import MAX_POINTS
from .io.names import UNIT_WORDS
from .io.schema import BOOL, POLICY_PARAMS, SCHEMA_VERSION, SHEETS, Column


def _default(col: Column) -> str:
    if col.required:
        return "required"
    if col.kind == BOOL:
        return f"`{col.default}`"
    return "blank" if col.default is None else f"`{col.default}`"


def _allowed(col: Column) -> str:
    if col.allowed:
        return ", ".join(f"`{a}`" for a in col.allowed)
    if col.kind == BOOL:
        return "`yes`, `no`"
    if col.ref:
        return f"id in {col.ref}" + (" (comma list or `all`)" if col.kind == "reflist" else "")
    bounds = []
    if col.min is not None:
        bounds.append(f"{'>' if col.min_exclusive else '≥'} {col.min:g}")
    if col.max is not None:
        bounds.append(f"≤ {col.max:g}")
    return ", ".join(bounds)


def inputs_markdown() -> str:
    out = [
        f"# Input workbook, schema v{SCHEMA_VERSION}",
        "",
        "Generated from `optimizer/io/schema.py` by `enclave docs`; do not edit by hand (a test "
        "fails when this file and the schema differ).",
        "",
        "Money is in million CNY over the planning horizon (mcny), floor area in m², land in "
        "hectares (ha; 1 ha = 15 mu). Every sheet has one header row (row 1); headers are "
        "matched ignoring case and surrounding spaces (see Headers and ids below). Ids are "
        "non-empty text, unique within their sheet. Optional sheets may be absent.",
        "",
    ]
    for sheet in SHEETS:
        out += [
            f"## {sheet.name} ({'required' if sheet.required else 'optional'})",
            "",
            sheet.description,
            "",
            f"Rows are identified by: {', '.join(sheet.key) or 'their position'}.",
            "",
            "| column | type | unit | default | allowed | meaning |",
            "|---|---|---|---|---|---|",
        ]
        for c in sheet.columns:
            out.append(
                f"| `{c.name}` | {c.kind} | {c.unit} | {_default(c)} | {_allowed(c)} "
                f"| {c.description} |"
            )
        out.append("")
    out += [
        "## Policy parameters",
        "",
        "| parameter | type | unit | default | allowed | meaning |",
        "|---|---|---|---|---|---|",
    ]
    for p in POLICY_PARAMS:
        default = "no limit" if p.default is None else f"`{p.default}`"
        allowed = ", ".join(f"`{a}`" for a in p.allowed) or ", ".join(
            b
            for b in (
                f"≥ {p.min:g}" if p.min is not None else "",
                f"≤ {p.max:g}" if p.max is not None else "",
            )
            if b
        )
        out.append(
            f"| `{p.name}` | {p.kind} | {p.unit} | {default} | {allowed} | {p.description} |"
        )
    out += [
        "",
        "## Yes/no cells",
        "",
        "`yes`, `y`, `true`, `1`, `x` mean yes; `no`, `n`, `false`, `0` and blank mean no "
        "(case ignored). Anything else is refused.",
        "",
        "## Numbers",
        "",
        "Numbers must be numbers, or text holding a plain number (`12.5`, `1e3`). Units, "
        "thousands separators and decimal commas are refused rather than guessed. Whole "
        "numbers are accepted within 1e-9 of an integer.",
        "",
        *_headers_section(),
    ]
    return "\n".join(out)


def _headers_section() -> list[str]:
    units = ", ".join(f"`{'_'.join(u)}`" for u in UNIT_WORDS)
    return [
        "## Headers and ids",
        "",
        "A header is read as a column when it is the column's name apart from case and "
        "surrounding or repeated spaces, optionally followed by a unit in brackets "
        "(`Floor_m2 (m²)`); the tool says when it needed that. Every other header of a "
        "schema sheet is reported at its cell:",
        "",
        '- **an error, with "did you mean"**, when it is close to a column: (1) the same '
        "letters and digits once case, spaces, `_`, `-`, `.`, `/` and brackets are ignored "
        "(`Land Need (ha)`, `LandNeedHa`); (2) the same name once a trailing unit is dropped "
        "from both (`land_need` or `land_need_mu` for `land_need_ha`, `floor_need` for "
        f"`floor_need_m2`; units: {units}); (3) a typo: at most 1 edit (a letter added, "
        "dropped or changed, or two neighbours swapped) from a name of 4 to 7 letters, 2 "
        "from a name of 8 or more. Left as it is, such a column would not be read and every "
        "row would silently take the default. Its values are still checked as that column, "
        "so the other problems show at once. A close header beside the column it resembles "
        "is refused too: delete the one you do not mean.",
        "- **a warning** otherwise (a notes column is fine): printed on the console and "
        "listed in the result's `Run` sheet; the column is not read.",
        "",
        "Sheets that are not part of the schema (`README`, `Sources`, your own) are not "
        "checked. Ids must match exactly; an id that is not found but differs from a known "
        'one only in case, spaces, `_` or `-` is refused with "did you mean" (`nm` for '
        "sector `NM`); the same holds for plain-id `Overrides` keys, their id values and "
        "`Scenarios.parent`.",
        "",
        "## Overrides rows of one package",
        "",
        "A package applies its parent's overrides, then its own rows in sheet order. Two of "
        "its own rows that change the same cell (the same column of the same row, whichever "
        "key selects it: an id, `*` or filters) are refused, naming both Overrides cells, "
        "when at least one is `set` and swapping the two would change the result: two "
        "`set`s to different values, or a `set` of v with a `scale` by f (v × f ≠ v) or an "
        "`add` of a (a ≠ 0). `scale` and `add` rows combine in order; the same `set` twice "
        "is harmless. To change a value a package inherits, change it in a child package: "
        "that is no error, and the result's `Overrides` sheet notes the child's row as "
        '"replaces the parent\'s" (`set`) or "applies to the parent\'s" (`scale`, `add`), '
        "with the package and cell it overrules.",
        "",
        "## Sweeps",
        "",
        "A `Sweeps` row changes what an `Overrides` row would (`sheet`, `key`, `column`, "
        "`operation`) through `values`: a list `1,1.5,2` (text values such as `strict,free` "
        "for `set`) or a range `start:stop:step`, stop included (`0:0.6:0.05` = 13 values; a "
        "falling range takes a negative step). If Excel turns a range into a time, format "
        "the cell as Text. Rows with the same `sweep_id` combine as a grid (every "
        "combination), all with the same `parent` (default baseline). Each point becomes a "
        "package named from its values, `<sweep_id>:<parameter>=<value>[,...]` (the "
        "parameter is the Policy parameter or the column; `key.column` where two rows of "
        "a grid change the same column), e.g. `exchange:exchange_ratio=1.5`; its parent is "
        f"the sweep's parent, so the points form one generation. At most {MAX_POINTS} "
        "points per sweep. `enclave validate` checks every point and says how many each "
        "sweep has; a plain `enclave solve` leaves the points out, "
        "`enclave solve WORKBOOK --sweep ID` solves them (and their parent) and adds the "
        "`Sweep` sheet; `--scenario <point id>` solves one point.",
        "",
    ]


def results_markdown() -> str:
    """docs/results.md: every sheet and column of the result workbook."""
    from .report.audit import FIRM_FORMULAS, FIRM_INPUTS
    from .report.compare import DECISION_COLUMNS, KPI_COLUMNS
    from .report.schema import BRIEF_KPIS, POINTS
    from .report.schema import SHEETS as RESULT_SHEETS

    out = [
        "# Result workbook: sheets and columns",
        "",
        "Generated from `optimizer/report/schema.py` by `enclave docs`; do not edit by "
        "hand. How to read and audit a result is in [reading-results.md]"
        "(reading-results.md).",
        "",
        "Units are the suffix of each column name: `_mcny` million CNY over the planning "
        "horizon, `_ha` hectares, `_m2` square metres. Every header carries this meaning as "
        "a cell note. Costs are shown positive in every sheet and subtracted where a net "
        "benefit is formed. Numbers show money to 0.1 mcny, land to 0.1 ha, floor to 1 m², "
        "shares in % and prices and marginal values to 0.01 (the cells keep every digit).",
        "",
        "Every sheet prints on A4, fitted to the page width, its header row repeated, with the "
        "input workbook, the tool's version and the date of the run atop every page.",
        "",
        "## Brief",
        "",
        "The first sheet, one landscape page: what each package decides in sentences (parks "
        "opened, by host; firms incubated and producing in developing regions; the quota that "
        "moves, from and to whom; against baseline, what it opens and closes and the welfare "
        "change), the key figures, the binding limits worth most at the margin, and two "
        "charts (welfare by package; developed vs developing net benefit). Its key figures:",
        "",
        "| column | meaning |",
        "|---|---|",
        *[f"| `{c}` | {text} |" for c, text in BRIEF_KPIS.items()],
        "",
        "## Network",
        "",
        "One picture per package with a plan: sponsor regions → parks (grouped by host city) → "
        "the regions where the firms produce; band widths are firms, the bands into a park "
        "carry the quota its enclave deal moves, and the quota traded outside parks is listed "
        "below. Large plans are aggregated (parks of a sponsor in a host, then all parks of a "
        "host, then the smallest regions as 'other') so that no column holds more than 14 "
        "boxes. Each picture is also written beside the workbook as "
        "`<workbook>_<package>_network.png` and `.svg` (listed in `Run`).",
        "",
    ]
    for name, columns in RESULT_SHEETS.items():
        out += [f"## {name}", "", "| column | meaning |", "|---|---|"]
        out += [f"| `{c}` | {text} |" for c, text in columns.items()]
        out.append("")
    out += [
        "## Sweep and Frontier",
        "",
        "Written by `enclave solve WORKBOOK --sweep ID` (sheet `Sweep`, right after `Brief`) "
        "and `enclave frontier WORKBOOK` (sheet `Frontier`); the rest of the workbook is "
        "that of a normal run over the points. One row per point, in order, then native "
        "charts: objective_mcny against the sweep's parameter (a grid or text values: "
        "point_no) or against developing_share (Frontier), the knees as large markers; each "
        "region's net benefit along the points; and for the frontier the agglomeration-"
        "diffusion view (incubation_value_mcny against spillover_developing_mcny).",
        "",
        "| column | meaning |",
        "|---|---|",
        *[f"| `{c}` | {text} |" for c, text in POINTS.items()],
        "",
        "Sheets `Sites`, `Firms`, `Quota`, `Regions` and `Limits` also carry "
        "`plan_status` (optimal, or feasible = stopped early, not proven optimal).",
        "",
        "## Compare",
        "",
        "Indicators against baseline, net benefit by region and package (shaded per region: "
        "green = its best package), two native charts with their data (developed vs "
        "developing net benefit; options opened per host), the decisions that changed "
        "(firms that made the same move share a row) and the overrides that caused them. "
        "Every delta says whether it lies within solver tolerance: a package's plan is "
        "proven only to within |objective| × mip_gap, so a difference smaller than the sum "
        "of the two packages' gaps may come from where the solver stopped.",
        "",
        "| indicators column | meaning |",
        "|---|---|",
        *[f"| `{c}` | {text} |" for c, text in KPI_COLUMNS.items()],
        "",
        "| decisions column | meaning |",
        "|---|---|",
        *[f"| `{c}` | {text} |" for c, text in DECISION_COLUMNS.items()],
        "",
        "## Audit sheets",
        "",
        "`AuditFirms` holds, per scenario and firm, the inputs used: "
        + ", ".join(f"`{c}`" for c in FIRM_INPUTS[7:])
        + "; and the formulas "
        + ", ".join(f"`{c}`" for c in FIRM_FORMULAS)
        + ". `AuditSites` and `AuditQuota` "
        "hold park costs and trade payments; `AuditRegions` sums them per region with "
        "SUMIFS into each net-benefit term (costs shown positive, subtracted in "
        "`net_benefit_mcny`) and the weighted welfare (quota payments left out); `Audit` "
        "adds them up per scenario and shows `check_mcny` = formula total − solver objective.",
        "",
    ]
    return "\n".join(out)


def model_tables() -> dict[str, str]:
    """The tables of docs/model.md generated from the model's declarations: variables,
    net-benefit terms, constraint families and the index sets the families define."""
    from .model.columns import VARIABLES
    from .model.families import FAMILIES
    from .model.welfare import TERMS

    def yes(flag: bool) -> str:
        return "yes" if flag else ""

    variables = ["| name | symbol | domain | unit | meaning |", "|---|---|---|---|---|"]
    variables += [
        f"| `{v.name}` | {v.symbol} | {'{0,1}' if v.domain == 'binary' else '≥ 0'} | "
        f"{v.unit} | {v.meaning} |"
        for v in VARIABLES
    ]
    terms = ["| name | symbol | unit | sign in N_r | definition |", "|---|---|---|---|---|"]
    terms += [
        f"| `e_{t.name}` | {t.symbol} | mcny | {'+' if t.sign > 0 else '−'} | {t.definition} |"
        for t in TERMS
    ]
    terms.append(
        "| `e_net_benefit` | N_r | mcny | | "
        + " ".join(("+ " if t.sign > 0 else "− ") + t.symbol.split("_")[0] for t in TERMS).lstrip(
            "+ "
        )
        + " |"
    )
    sets = ["| name | symbol | meaning | family |", "|---|---|---|---|"]
    sets += [
        f"| `{f.index_set[0]}` | {f.index_set[1]} | {f.index_set[2]} | `{f.name}` |"
        for f in FAMILIES
        if f.index_set
    ]
    cons = [
        "| name | family | one row per | definition | sense | limit, in planner words | unit | "
        "input a planner changes | diagnosis may relax | priced bound prices it |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    cons += [
        f"| `{f.name}` | ({f.number}) | {f.over or 'once'} | {f.math} | {f.sense} | {f.words} | "
        f"{f.unit} | {f'`{f.cell[0]}.{f.cell[1]}`' if f.cell else ''} | {yes(f.relax)} | "
        f"{'yes' if f.priced else 'no (kept)'} |"
        for f in FAMILIES
    ]
    return {
        "variables": "\n".join(variables),
        "terms": "\n".join(terms),
        "family sets": "\n".join(sets),
        "constraints": "\n".join(cons),
    }


def model_markdown(current: str) -> str:
    """docs/model.md with every generated table (between `<!-- generated: NAME -->` and
    `<!-- end -->`) replaced from the declarations; the prose around them is kept."""
    import re

    tables = model_tables()

    def fill(match: re.Match) -> str:
        name = match.group(1)
        return f"<!-- generated: {name} -->\n{tables[name]}\n<!-- end -->"

    return re.sub(r"<!-- generated: ([a-z ]+) -->\n.*?<!-- end -->", fill, current, flags=re.S)
