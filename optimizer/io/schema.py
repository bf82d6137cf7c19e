"""Workbook schema v1, declared once.

Every sheet, column and policy parameter of the input workbook is declared here with
its type, unit, default, allowed values, references and a planner-facing description.
The reader (`workbook.py`), the checks (`validate.py`), the template (`template.py`)
and `docs/inputs.md` (`docs.py`) are all generated from these declarations.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SCHEMA_VERSION = "1"
Tables = dict[str, list[dict[str, Any]]]  # typed tables: sheet -> rows (column -> value)

# Column kinds
ID = "id"  # non-empty text identifier, unique within its sheet when it is the key
TEXT = "text"  # free text
NUMBER = "number"  # real number (bounds below)
INTEGER = "integer"  # whole number
ENUM = "enum"  # one of `allowed`
BOOL = "bool"  # yes/no
REF = "ref"  # an id of another sheet (`ref`)
REFLIST = "reflist"  # "all" or a comma-separated list of ids of another sheet
ANY = "any"  # Policy.value and Overrides.value: checked against the parameter/column

YES_VALUES = ("yes", "y", "true", "1", "x")
NO_VALUES = ("no", "n", "false", "0", "")


@dataclass(frozen=True)
class Column:
    name: str
    kind: str
    description: str
    unit: str = ""
    required: bool = False
    default: Any = None
    allowed: tuple[str, ...] = ()
    ref: str | None = None  # referenced sheet (its id column)
    min: float | None = None
    max: float | None = None
    min_exclusive: bool = False

    @property
    def header(self) -> str:
        """Header as shown to planners in result sheets: name plus unit."""
        return f"{self.name} ({self.unit})" if self.unit else self.name


@dataclass(frozen=True)
class Sheet:
    name: str
    description: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]  # columns whose values identify a row (unique)
    required: bool = True
    min_rows: int = 1
    example: tuple[dict[str, Any], ...] = field(default=())

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


@dataclass(frozen=True)
class PolicyParam:
    name: str
    kind: str  # NUMBER, INTEGER or ENUM
    description: str
    unit: str = ""
    default: Any = None  # None = no limit
    allowed: tuple[str, ...] = ()
    min: float | None = None
    max: float | None = None
    min_exclusive: bool = False
    optional_limit: bool = False  # blank / "none" means "no limit"


# The declarations are tables, aligned by hand: the formatter leaves them as they are.
# fmt: off
POLICY_PARAMS: tuple[PolicyParam, ...] = (
    PolicyParam("exchange_ratio", NUMBER,
                "Hectares of land quota the sponsor transfers to the host for every hectare "
                "of park land the host provides (the land-index exchange).",
                unit="ha/ha", default=1.0, min=0),
    PolicyParam("host_share", NUMBER,
                "Share of a park's incubation value counted for the host region; the rest "
                "goes to the sponsor (all of it when host = sponsor).",
                unit="share 0-1", default=0.5, min=0, max=1),
    PolicyParam("spillover_rate", NUMBER,
                "Share of a firm's production value that spills over to the local industrial "
                "base, scaled by the base's strength in the firm's sector.",
                unit="share 0-1", default=0.2, min=0, max=1),
    PolicyParam("return_rule", ENUM,
                "strict = a firm incubated in sponsor o's park produces in region o; "
                "free = it may produce at any location.",
                default="strict", allowed=("strict", "free")),
    PolicyParam("min_developing_share", NUMBER,
                "Minimum share of the total net benefit that must go to developing regions "
                "(equity floor).", unit="share 0-1", default=0.0, min=0, max=1),
    PolicyParam("provincial_fund_mcny", NUMBER,
                "Shared provincial pool the model may allocate to regions' budgets.",
                unit="mcny", default=0.0, min=0),
    PolicyParam("max_sites_per_sponsor", INTEGER,
                "Most enclave parks one sponsor may run in other regions (blank = no limit).",
                unit="parks", default=None, min=0, optional_limit=True),
    PolicyParam("max_enclaves_per_host", INTEGER,
                "Most parks of other regions one host may accept (blank = no limit); 1 with a "
                "single host open is a single centre, 2+ across hosts a multi-centre network.",
                unit="parks", default=None, min=0, optional_limit=True),
    PolicyParam("participation", ENUM,
                "none = no region is guaranteed anything; no_loss = every region's net "
                "benefit is at least its stand-alone value (its best plan with only its own "
                "parks, its own production locations, no quota trade and no provincial fund, "
                "computed by the tool and shown in Regions).",
                default="none", allowed=("none", "no_loss")),
    PolicyParam("mip_gap", NUMBER,
                "Relative optimality gap at which the solver may stop (0.0001 = a plan "
                "proven within 0.01% of the best possible; packages compared at a looser "
                "gap may differ by solver tolerance alone).",
                unit="share", default=0.0001, min=0, max=1),
    PolicyParam("time_limit_s", NUMBER,
                "Time limit per scenario: its model, starts and solve (the first "
                "scenarios of a run also count the time spent reading the workbook, at "
                "most half the limit).", unit="s", default=300.0, min=0,
                min_exclusive=True),
)
POLICY_BY_NAME = {p.name: p for p in POLICY_PARAMS}

C = Column
CHANGEABLE = ("Policy", "Regions", "Sectors", "Sites", "Locations", "IndustrialBase", "Firms",
              "SiteAffinity", "LocationAffinity", "QuotaLinks")  # sheets Overrides may change
SHEETS: tuple[Sheet, ...] = (
    Sheet("Policy", "Scalar policy parameters, one row per parameter (see the list of "
          "parameters below). Missing parameters take their defaults.",
          (C("parameter", ENUM, "Parameter name.", required=True,
             allowed=tuple(p.name for p in POLICY_PARAMS)),
           C("value", ANY, "Parameter value (number, or text for return_rule; blank = "
             "default / no limit).", required=False),
           C("unit", TEXT, "Unit, for the reader only."),
           C("description", TEXT, "What the parameter means, for the reader only.")),
          key=("parameter",), required=False, min_rows=0),
    Sheet("Regions", "Regions (cities, districts, counties) that host or sponsor parks, "
          "produce, hold land quota and have budgets.",
          (C("region_id", ID, "Short unique id of the region.", required=True),
           C("name", TEXT, "Region name.", required=True),
           C("tier", ENUM, "developed (hosts, e.g. Hangzhou districts) or developing "
             "(sponsors, e.g. Quzhou counties).", required=True,
             allowed=("developed", "developing")),
           C("land_quota_ha", NUMBER, "Construction-land development quota the region has "
             "over the horizon.", unit="ha", required=True, min=0),
           C("budget_mcny", NUMBER, "Budget for park costs, subsidies, land costs and quota "
             "purchases over the horizon.", unit="mcny", required=True, min=0),
           C("welfare_weight", NUMBER, "Weight of the region's net benefit in the objective.",
             unit="weight", default=1.0, min=0),
           C("quota_value_mcny_per_ha", NUMBER, "Value of a hectare of quota the region keeps "
             "for its own other development.", unit="mcny/ha", default=0.0, min=0),
           C("quota_demand_ha", NUMBER, "Most quota the region can use for its own other "
             "development.", unit="ha", default=0.0, min=0),
           C("min_net_benefit_mcny", NUMBER, "Least net benefit the plan must give the region "
             "(blank = no floor); a negotiated floor, on top of participation = no_loss.",
             unit="mcny")),
          key=("region_id",)),
    Sheet("Sectors", "Industrial sectors of the candidate firms.",
          (C("sector_id", ID, "Short unique id of the sector.", required=True),
           C("name", TEXT, "Sector name.")),
          key=("sector_id",)),
    Sheet("Sites", "Enclave options: a park of a sponsor region inside a host region, on a "
          "plot. Options on the same plot exclude each other.",
          (C("site_id", ID, "Short unique id of the option.", required=True),
           C("host_region", REF, "Region where the park is.", required=True, ref="Regions"),
           C("sponsor_region", REF, "Region that runs and pays for the park.",
             required=True, ref="Regions"),
           C("floor_m2", NUMBER, "Floor area available for incubated firms.", unit="m²",
             required=True, min=0),
           C("setup_cost_mcny", NUMBER, "Cost of opening the option (build or lease) over "
             "the horizon, paid by the sponsor.", unit="mcny", required=True, min=0),
           C("name", TEXT, "Option name."),
           C("plot", TEXT, "Plot or building; at most one option per plot may open "
             "(blank = its own plot).", default=None),
           C("land_ha", NUMBER, "Park land the host provides (uses host quota; triggers the "
             "land-index exchange for cross-region parks).", unit="ha", default=0.0, min=0),
           C("opex_mcny", NUMBER, "Operating cost over the horizon, paid by the sponsor.",
             unit="mcny", default=0.0, min=0),
           C("innovation_level", NUMBER, "Multiplier of firms' R&D value at this park "
             "(host's innovation environment).", unit="factor", default=1.0, min=0),
           C("sectors", REFLIST, "Sectors the park accepts: all, or a comma list of "
             "sector ids.", default="all", ref="Sectors"),
           C("status", ENUM, "candidate = the model decides; open = must be open; closed = "
             "must stay closed.", default="candidate",
             allowed=("candidate", "open", "closed"))),
          key=("site_id",)),
    Sheet("Locations", "Production locations (development zones) where incubated firms "
          "produce after incubation.",
          (C("location_id", ID, "Short unique id of the location.", required=True),
           C("region", REF, "Region the location is in.", required=True, ref="Regions"),
           C("land_available_ha", NUMBER, "Industrial land available for firms.",
             unit="ha", required=True, min=0),
           C("name", TEXT, "Location name."),
           C("land_cost_mcny_per_ha", NUMBER, "Land price paid by the location's region.",
             unit="mcny/ha", default=0.0, min=0),
           C("cost_index", NUMBER, "Multiplier of firms' production cost here.",
             unit="factor", default=1.0, min=0),
           C("status", ENUM, "candidate = may be used; closed = may not be used.",
             default="candidate", allowed=("candidate", "closed")),
           C("sectors", REFLIST, "Sectors permitted to produce here: all, or a comma list "
             "of sector ids (extension of MODEL.md, see docs/model.md).", default="all",
             ref="Sectors")),
          key=("location_id",)),
    Sheet("IndustrialBase", "Strength of each location's industrial base per sector "
          "(drives technology spillover). Missing pairs count as 0.",
          (C("location_id", REF, "Production location.", required=True, ref="Locations"),
           C("sector_id", REF, "Sector.", required=True, ref="Sectors"),
           C("strength", NUMBER, "Strength of the local base in this sector.",
             unit="0-1", required=True, min=0, max=1)),
          key=("location_id", "sector_id"), required=False, min_rows=0),
    Sheet("Firms", "Candidate firms (start-ups and projects) to incubate and bring to "
          "production.",
          (C("firm_id", ID, "Short unique id of the firm.", required=True),
           C("sector", REF, "Sector of the firm.", required=True, ref="Sectors"),
           C("floor_need_m2", NUMBER, "Floor area the firm needs in a park.", unit="m²",
             required=True, min=0),
           C("name", TEXT, "Firm name."),
           C("land_need_ha", NUMBER, "Industrial land the firm needs for production.",
             unit="ha", default=0.0, min=0),
           C("rd_value_mcny", NUMBER, "Value of the firm's R&D and incubation (before the "
             "park's innovation level).", unit="mcny", default=0.0),
           C("prod_value_mcny", NUMBER, "Value of the firm's production if it succeeds.",
             unit="mcny", default=0.0),
           C("prod_cost_mcny", NUMBER, "Production cost (before the location's cost index).",
             unit="mcny", default=0.0),
           C("subsidy_mcny", NUMBER, "Subsidy the sponsor pays if it incubates the firm.",
             unit="mcny", default=0.0, min=0),
           C("success_prob", NUMBER, "Probability that the firm succeeds and produces.",
             unit="0-1", default=1.0, min=0, max=1),
           C("must_place", BOOL, "yes = the firm must be incubated somewhere.",
             default="no"),
           C("fixed_site", REF, "If set, the only option where the firm may be incubated "
             "(with must_place = yes it is placed there).", ref="Sites"),
           C("fixed_location", REF, "If set, the only location where the firm may produce.",
             ref="Locations")),
          key=("firm_id",)),
    Sheet("SiteAffinity", "Extra incubation value of particular firm-park pairs.",
          (C("firm_id", REF, "Firm.", required=True, ref="Firms"),
           C("site_id", REF, "Enclave option.", required=True, ref="Sites"),
           C("value_mcny", NUMBER, "Value added to the firm's incubation value at this "
             "park (negative = a cost).", unit="mcny", required=True),
           C("floor_need_m2", NUMBER, "Floor the firm needs in this particular park; blank "
             "= the firm's floor_need_m2 (extension of MODEL.md).", unit="m²", min=0)),
          key=("firm_id", "site_id"), required=False, min_rows=0),
    Sheet("LocationAffinity", "Extra production value of particular firm-location pairs.",
          (C("firm_id", REF, "Firm.", required=True, ref="Firms"),
           C("location_id", REF, "Production location.", required=True, ref="Locations"),
           C("value_mcny", NUMBER, "Value added to the firm's production value there.",
             unit="mcny", required=True)),
          key=("firm_id", "location_id"), required=False, min_rows=0),
    Sheet("QuotaLinks", "Voluntary land-quota transfers allowed beyond enclave deals.",
          (C("from_region", REF, "Region that sells quota.", required=True, ref="Regions"),
           C("to_region", REF, "Region that buys quota.", required=True, ref="Regions"),
           C("max_ha", NUMBER, "Most quota that may move on this link (blank = no limit).",
             unit="ha", min=0),
           C("price_mcny_per_ha", NUMBER, "Price the buyer pays the seller.",
             unit="mcny/ha", default=0.0, min=0)),
          key=("from_region", "to_region"), required=False, min_rows=0),
    Sheet("Scenarios", "Policy packages to solve besides baseline; each starts from its "
          "parent's data and applies its Overrides.",
          (C("scenario_id", ID, "Short unique id of the scenario.", required=True),
           C("description", TEXT, "What the policy package is."),
           C("parent", TEXT, "Scenario it starts from (blank = baseline).",
             default="baseline")),
          key=("scenario_id",), required=False, min_rows=0),
    Sheet("Overrides", "Changes a scenario makes to the data: for the rows of `sheet` "
          "selected by `key`, change `column` by `operation` with `value`.",
          (C("scenario_id", REF, "Scenario the change belongs to.", required=True,
             ref="Scenarios"),
           C("sheet", ENUM, "Sheet to change.", required=True,
             allowed=CHANGEABLE),
           C("key", TEXT, "Rows to change: a row id (for Policy the parameter name), * for "
             "all rows, or filters column=value joined by &.", required=True),
           C("column", TEXT, "Column to change (for Policy: value).", required=True),
           C("operation", ENUM, "set = replace; scale = multiply; add = add.",
             required=True, allowed=("set", "scale", "add")),
           C("value", ANY, "New value, factor or amount.")),
          key=(), required=False, min_rows=0),
    Sheet("Sweeps", "Parameter sweeps: each value (or each combination of the values of "
          "the rows with the same sweep_id, a grid) becomes a generated package that "
          "changes its parent as an Overrides row would. Solve one with "
          "`enclave solve WORKBOOK --sweep ID`.",
          (C("sweep_id", ID, "Short id of the sweep; rows with the same id combine as a "
             "grid.", required=True),
           C("sheet", ENUM, "Sheet to change (as in Overrides).", required=True,
             allowed=CHANGEABLE),
           C("key", TEXT, "Rows to change, as in Overrides: a row id (for Policy the "
             "parameter name), * or filters column=value joined by &.", required=True),
           C("column", TEXT, "Column to change (for Policy: value).", required=True),
           C("operation", ENUM, "set = replace; scale = multiply; add = add.",
             required=True, allowed=("set", "scale", "add")),
           C("values", ANY, "The values of the sweep: a list 1,1.5,2 (text allowed for "
             "set) or a range start:stop:step such as 0:0.6:0.05 (stop included).",
             required=True),
           C("parent", TEXT, "Package every point starts from (blank = baseline).",
             default="baseline")),
          key=(), required=False, min_rows=0),
)
del C
# fmt: on

SHEET_BY_NAME = {s.name: s for s in SHEETS}
# The sheets that hold model data (Overrides may change them); order = reading order.
PACKAGE_SHEETS = ("Scenarios", "Overrides", "Sweeps")  # describe packages, not model data
DATA_SHEETS = tuple(s.name for s in SHEETS if s.name not in PACKAGE_SHEETS)
BASELINE = "baseline"


def id_column(sheet: str) -> str | None:
    """The single id column of a sheet keyed by one column, else None."""
    key = SHEET_BY_NAME[sheet].key
    return key[0] if len(key) == 1 else None
