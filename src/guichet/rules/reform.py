"""A tariff reform on a population: who wins, who loses, what the commune earns, the effort rates
and the threshold effects, for one or several services whose grid would change.

Pure: the population is arrays (one element per household, amounts in integer cents, no names),
prices come from ``tariffs_batch`` (equal to the cent to ``tariffs.price``). A household's monthly
cost of a service is, for each member concerned (by age), the unit price × the units used per month
× the share of concerned members who attend: an expectation under the stated assumptions. Monthly
amounts are exact integers in 10⁻⁸ € (cents × units with two decimals × a share with two decimals)
and become ``Decimal`` through ``round_money`` only in the results.

Threshold effects are read on reference families (a couple with two children…): their monthly
income goes from 0 € up, one euro at a time, with a quotient of income ÷ parts (no family benefits)
and monthly resources equal to the income; wherever one more euro of income raises the family's
monthly cost of the services by more than one euro, the grid has a threshold effect there.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np
import numpy.typing as npt

from guichet.rules.money import round_money
from guichet.rules.parameters import Parameters
from guichet.rules.tariffs import FieldError, Grid, GridError
from guichet.rules.tariffs_batch import BoolArray, FactsBatch, IntArray, prices_cents

EURO = 10**8  # monthly amounts: integers in 10⁻⁸ € (cents × 100ths of a unit × 100ths of a percent)
DECILES = 10
EFFORT_STEP_CENTS = 100_00  # effort rate by quotient bands of 100 €
EFFORT_TOP_CENTS = 2_500_00  # ... up to 2,500 €, then one band above
THRESHOLD_INCOME_TOP = 8_000  # reference families: monthly income from 0 to 8,000 €
NO_QUARTIER = "Sans quartier connu"
HUNDREDTHS = "nombre positif avec au plus deux décimales attendu"
Progress = Callable[[int, int], None]


def _money(micro: int) -> Decimal:
    """An exact amount in 10⁻⁸ € as euros to the cent, through the one rounding helper."""
    return round_money(Decimal(int(micro)).scaleb(-8))


def _mean(total: int, count: int) -> Decimal:
    return round_money(Decimal(total).scaleb(-8) / count)


def _is_hundredths(value: Decimal) -> bool:
    return value.is_finite() and value >= 0 and value * 100 == (value * 100).to_integral_value()


def _hundredths(value: Decimal, what: str) -> int:
    if not _is_hundredths(value):
        raise GridError([FieldError(what, HUNDREDTHS)])
    return int(value * 100)


def assumption_errors(units_per_month: Decimal | None, attendance_percent: Decimal | None) -> list[FieldError]:
    """The problems of a service's attendance assumptions, by path; ``None`` stands for a value the caller
    could not read (and reports itself)."""
    values = (("unites_par_mois", units_per_month), ("frequentation", attendance_percent))
    errors = [FieldError(path, HUNDREDTHS) for path, value in values if value is not None and not _is_hundredths(value)]
    if not errors and units_per_month is not None and attendance_percent is not None and attendance_percent > 100:
        errors.append(FieldError("frequentation", "une part va de 0 à 100 %"))
    return errors


@dataclass(frozen=True)
class Members:
    """The members of the households concerned by one service: their household's index and their
    rank among the household's children using it (1 for adults)."""

    household: IntArray
    child_rank: IntArray

    @classmethod
    def build(cls, household: npt.ArrayLike, child_rank: npt.ArrayLike | None = None) -> Members:
        index = np.asarray(household, dtype=np.int64)
        ranks = np.ones(len(index), dtype=np.int64) if child_rank is None else np.asarray(child_rank, dtype=np.int64)
        return cls(index, ranks)


@dataclass(frozen=True)
class Population:
    """Households as arrays (no names): quotient, monthly resources and monthly income per
    consumption unit in cents; ``quartier`` indexes ``quartier_labels``; ``members`` by service key."""

    quotient_cents: IntArray
    resources_cents: IntArray
    income_uc_cents: IntArray
    dependent_children: IntArray
    has_disabled_child: BoolArray
    is_resident: BoolArray
    quartier: IntArray
    quartier_labels: tuple[str, ...]
    members: Mapping[str, Members]
    label: str = ""

    def __len__(self) -> int:
        return len(self.quotient_cents)

    def facts(self, members: Members) -> FactsBatch:
        index = members.household
        return FactsBatch(
            quotient_cents=self.quotient_cents[index],
            resources_cents=self.resources_cents[index],
            dependent_children=self.dependent_children[index],
            has_disabled_child=self.has_disabled_child[index],
            child_rank=members.child_rank,
            is_resident=self.is_resident[index],
        )


@dataclass(frozen=True)
class ServiceScenario:
    """One service of the reform: its grid now, the draft, and the attendance assumptions."""

    key: str
    label: str
    unit: str
    current: Grid
    draft: Grid
    units_per_month: Decimal  # units used per month by a member who attends (meals, hours…)
    attendance_percent: Decimal  # share of the concerned members who attend

    def __post_init__(self) -> None:
        errors = assumption_errors(self.units_per_month, self.attendance_percent)
        if errors:
            raise GridError(errors)

    @property
    def weight(self) -> int:
        """units × share in hundredths of each: × a price in cents gives 10⁻⁸ € a month."""
        return _hundredths(self.units_per_month, "") * _hundredths(self.attendance_percent, "")


@dataclass(frozen=True)
class ReferenceFamily:
    """A typical family for the threshold effects: its CAF parts and, per service key, how many of its
    members the service concerns (children ranked 1, 2… in that order)."""

    label: str
    parts: Decimal
    dependent_children: int
    members: Mapping[str, int]
    is_resident: bool = True


@dataclass(frozen=True)
class Group:
    label: str
    households: int
    winners: int
    losers: int
    unchanged: int
    mean_change: Decimal  # monthly, €
    total_change: Decimal
    mean_current: Decimal
    mean_draft: Decimal
    quotient_min: Decimal | None = None
    quotient_max: Decimal | None = None


@dataclass(frozen=True)
class ServiceRevenue:
    key: str
    label: str
    unit: str
    members: int
    attending: Decimal  # expected number of members attending
    current: Decimal  # monthly revenue under the assumptions
    draft: Decimal
    change: Decimal


@dataclass(frozen=True)
class EffortBand:
    quotient_from: Decimal
    quotient_to: Decimal | None  # None: and above
    households: int
    current_percent: Decimal | None  # mean of monthly cost ÷ monthly income per consumption unit
    draft_percent: Decimal | None


@dataclass(frozen=True)
class Threshold:
    family: str
    grid: str  # "actuelle" or "projet"
    income_from: Decimal  # monthly income where it starts (the euro after it costs too much)
    income_to: Decimal
    quotient: Decimal  # quotient at the start
    jump: Decimal  # largest monthly cost increase for one more euro of income
    total: Decimal  # monthly cost increase over the whole range


@dataclass(frozen=True)
class HistogramBin:
    label: str
    households: int


@dataclass(frozen=True)
class ReformResult:
    on: dt.date
    households: int
    concerned: int
    winners: int
    losers: int
    unchanged: int
    revenue_current: Decimal
    revenue_draft: Decimal
    revenue_change: Decimal
    services: tuple[ServiceRevenue, ...]
    deciles: tuple[Group, ...]
    quartiers: tuple[Group, ...]
    effort: tuple[EffortBand, ...]
    thresholds: tuple[Threshold, ...]
    histogram: tuple[HistogramBin, ...]
    families: tuple[str, ...] = field(default_factory=tuple)

    def as_json(self) -> dict[str, Any]:
        """JSON-ready: amounts as strings, no household-level data."""
        return _jsonable(self)  # type: ignore[no-any-return]


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal | dt.date):
        return str(value) if isinstance(value, Decimal) else value.isoformat()
    if isinstance(value, tuple | list):
        return [_jsonable(item) for item in value]
    if hasattr(value, "__dataclass_fields__"):
        return {name: _jsonable(getattr(value, name)) for name in value.__dataclass_fields__}
    return value


def evaluation_day(grid: Grid, on: dt.date) -> dt.date:
    """The day a grid is priced: ``on`` when it is in force then, else its first day (a draft)."""
    if grid.in_force(on):
        return on
    return grid.valid_from


# --- per household ----------------------------------------------------------------------------


@dataclass(frozen=True)
class HouseholdCosts:
    """Monthly costs per household in 10⁻⁸ €, and per service totals (for revenue)."""

    current: IntArray
    draft: IntArray
    concerned: BoolArray
    services: tuple[ServiceRevenue, ...]


def household_costs(
    population: Population,
    scenarios: Sequence[ServiceScenario],
    on: dt.date,
    *,
    parameters: Parameters | None = None,
    progress: Progress | None = None,
) -> HouseholdCosts:
    n = len(population)
    current = np.zeros(n, dtype=np.int64)
    draft = np.zeros(n, dtype=np.int64)
    concerned = np.zeros(n, dtype=bool)
    revenues = []
    for done, scenario in enumerate(scenarios):
        members = population.members.get(scenario.key, Members.build([]))
        facts = population.facts(members)
        weight = scenario.weight
        old = prices_cents(scenario.current, facts, evaluation_day(scenario.current, on), parameters=parameters)
        new = prices_cents(scenario.draft, facts, evaluation_day(scenario.draft, on), parameters=parameters)
        old_cost = _sum_by(members.household, old * weight, n)
        new_cost = _sum_by(members.household, new * weight, n)
        current += old_cost
        draft += new_cost
        concerned[members.household] = True
        revenues.append(
            ServiceRevenue(
                key=scenario.key,
                label=scenario.label,
                unit=scenario.unit,
                members=len(members.household),
                attending=round_money(Decimal(len(members.household)) * scenario.attendance_percent / 100),
                current=_money(int(old_cost.sum())),
                draft=_money(int(new_cost.sum())),
                change=_money(int(new_cost.sum()) - int(old_cost.sum())),
            )
        )
        if progress:
            progress(done + 1, len(scenarios))
    return HouseholdCosts(current, draft, concerned, tuple(revenues))


def _sum_by(index: IntArray, values: IntArray, n: int) -> IntArray:
    """Exact integer sums of ``values`` by ``index`` (``np.bincount`` goes through floats)."""
    totals = np.zeros(n, dtype=np.int64)
    np.add.at(totals, index, values.astype(np.int64))
    return totals


# --- groups -----------------------------------------------------------------------------------


def _group(label: str, change: IntArray, current: IntArray, draft: IntArray, quotient: IntArray | None) -> Group:
    count = len(change)
    if count == 0:
        zero = Decimal("0.00")
        return Group(label, 0, 0, 0, 0, zero, zero, zero, zero)
    return Group(
        label=label,
        households=count,
        winners=int((change < 0).sum()),
        losers=int((change > 0).sum()),
        unchanged=int((change == 0).sum()),
        mean_change=_mean(int(change.sum()), count),
        total_change=_money(int(change.sum())),
        mean_current=_mean(int(current.sum()), count),
        mean_draft=_mean(int(draft.sum()), count),
        quotient_min=None if quotient is None else Decimal(int(quotient.min())).scaleb(-2),
        quotient_max=None if quotient is None else Decimal(int(quotient.max())).scaleb(-2),
    )


def deciles(quotient: IntArray, n_groups: int = DECILES) -> IntArray:
    """Decile (0–9) of each household by quotient: equal counts, ties broken by position."""
    order = np.argsort(quotient, kind="stable")
    result = np.empty(len(quotient), dtype=np.int64)
    result[order] = (np.arange(len(quotient)) * n_groups) // max(len(quotient), 1)
    return result


def _effort(population: Population, costs: HouseholdCosts, mask: BoolArray) -> tuple[EffortBand, ...]:
    quotient = population.quotient_cents[mask]
    income = population.income_uc_cents[mask].astype(float)
    valid = income > 0
    # monthly cost (10⁻⁸ €) ÷ monthly income per unit (cents) × 100 %: ×10⁻⁶ × 100
    old = np.where(valid, costs.current[mask] / np.where(valid, income, 1) / 1e4, np.nan)
    new = np.where(valid, costs.draft[mask] / np.where(valid, income, 1) / 1e4, np.nan)
    starts = list(range(0, EFFORT_TOP_CENTS + 1, EFFORT_STEP_CENTS))
    band = np.minimum(np.maximum(quotient, 0) // EFFORT_STEP_CENTS, len(starts) - 1)
    result = []
    for index, start in enumerate(starts):
        inside = (band == index) & valid
        count = int(inside.sum())
        last = index == len(starts) - 1
        result.append(
            EffortBand(
                quotient_from=Decimal(start // 100),
                quotient_to=None if last else Decimal((start + EFFORT_STEP_CENTS) // 100),
                households=count,
                current_percent=_percent(old[inside]) if count else None,
                draft_percent=_percent(new[inside]) if count else None,
            )
        )
    return tuple(result)


def _percent(values: npt.NDArray[np.float64]) -> Decimal:
    return Decimal(repr(float(np.mean(values)))).quantize(Decimal("0.01"))


def _histogram(change: IntArray) -> tuple[HistogramBin, ...]:
    euros = change / EURO
    bins = [
        ("baisse de plus de 50 €", euros < -50),
        ("baisse de 20 à 50 €", (euros >= -50) & (euros < -20)),
        ("baisse de 5 à 20 €", (euros >= -20) & (euros < -5)),
        ("baisse de moins de 5 €", (euros >= -5) & (change < 0)),
        ("inchangé", change == 0),
        ("hausse de moins de 5 €", (change > 0) & (euros <= 5)),
        ("hausse de 5 à 20 €", (euros > 5) & (euros <= 20)),
        ("hausse de 20 à 50 €", (euros > 20) & (euros <= 50)),
        ("hausse de plus de 50 €", euros > 50),
    ]
    return tuple(HistogramBin(label, int(mask.sum())) for label, mask in bins)


# --- threshold effects ------------------------------------------------------------------------


def family_costs(
    family: ReferenceFamily,
    scenarios: Sequence[ServiceScenario],
    on: dt.date,
    which: str,
    *,
    top_euros: int = THRESHOLD_INCOME_TOP,
    parameters: Parameters | None = None,
) -> tuple[IntArray, IntArray]:
    """(income in cents, monthly cost in 10⁻⁸ €) for the family's income from 0 € to ``top_euros``
    € in steps of one euro, under the current grids (``which="actuelle"``) or the drafts."""
    income = np.arange(0, top_euros + 1, dtype=np.int64) * 100
    parts_hundredths = _hundredths(family.parts, "parts") or 100
    quotient = income * 100 // parts_hundredths  # to the cent, rounded down
    cost = np.zeros(len(income), dtype=np.int64)
    for scenario in scenarios:
        grid = scenario.current if which == "actuelle" else scenario.draft
        day = evaluation_day(grid, on)
        for rank in range(1, family.members.get(scenario.key, 0) + 1):
            facts = FactsBatch.build(
                quotient_cents=quotient,
                resources_cents=income,
                dependent_children=np.full(len(income), family.dependent_children),
                child_rank=np.full(len(income), rank),
                is_resident=np.full(len(income), family.is_resident),
            )
            cost += prices_cents(grid, facts, day, parameters=parameters) * scenario.weight
    return income, cost


def threshold_effects(
    families: Sequence[ReferenceFamily],
    scenarios: Sequence[ServiceScenario],
    on: dt.date,
    *,
    top_euros: int = THRESHOLD_INCOME_TOP,
    parameters: Parameters | None = None,
) -> tuple[Threshold, ...]:
    """Income ranges where one more euro of monthly income costs more than one euro a month."""
    found = []
    for family in families:
        for which in ("actuelle", "projet"):
            income, cost = family_costs(family, scenarios, on, which, top_euros=top_euros, parameters=parameters)
            steps = np.diff(cost)
            hits = np.flatnonzero(steps > EURO)
            if not hits.size:
                continue
            # consecutive euros form one range
            breaks = np.flatnonzero(np.diff(hits) > 1)
            for chunk in np.split(hits, breaks + 1):
                start, end = int(chunk[0]), int(chunk[-1]) + 1
                found.append(
                    Threshold(
                        family=family.label,
                        grid=which,
                        income_from=Decimal(int(income[start])).scaleb(-2),
                        income_to=Decimal(int(income[end])).scaleb(-2),
                        quotient=Decimal(int(income[start]) * 100 // (_hundredths(family.parts, "") or 100)).scaleb(-2),
                        jump=_money(int(steps[chunk].max())),
                        total=_money(int(cost[end]) - int(cost[start])),
                    )
                )
    return tuple(found)


# --- the whole simulation ---------------------------------------------------------------------


def simulate(
    population: Population,
    scenarios: Sequence[ServiceScenario],
    on: dt.date,
    *,
    families: Sequence[ReferenceFamily] = (),
    parameters: Parameters | None = None,
    progress: Progress | None = None,
) -> ReformResult:
    """The reform's effects on ``population`` under the scenarios' assumptions (monthly amounts)."""
    costs = household_costs(population, scenarios, on, parameters=parameters, progress=progress)
    change = costs.draft - costs.current
    mask = costs.concerned
    quotient = population.quotient_cents[mask]
    decile = deciles(quotient)
    sub_change, sub_current, sub_draft = change[mask], costs.current[mask], costs.draft[mask]
    decile_groups = tuple(
        _group(
            f"D{index + 1}",
            sub_change[decile == index],
            sub_current[decile == index],
            sub_draft[decile == index],
            quotient[decile == index] if (decile == index).any() else None,
        )
        for index in range(DECILES)
    )
    quartier = population.quartier[mask]
    labels = [label or NO_QUARTIER for label in population.quartier_labels]
    quartier_groups = tuple(
        sorted(
            (
                _group(labels[index], sub_change[quartier == index], sub_current[quartier == index],
                       sub_draft[quartier == index], None)
                for index in np.unique(quartier).tolist()
            ),
            key=lambda group: group.label,
        )
    )  # fmt: skip
    total_current, total_draft = int(costs.current.sum()), int(costs.draft.sum())
    return ReformResult(
        on=on,
        households=len(population),
        concerned=int(mask.sum()),
        winners=int((sub_change < 0).sum()),
        losers=int((sub_change > 0).sum()),
        unchanged=int((sub_change == 0).sum()),
        revenue_current=_money(total_current),
        revenue_draft=_money(total_draft),
        revenue_change=_money(total_draft - total_current),
        services=costs.services,
        deciles=decile_groups,
        quartiers=quartier_groups,
        effort=_effort(population, costs, mask),
        thresholds=threshold_effects(families, scenarios, on, parameters=parameters),
        histogram=_histogram(sub_change),
        families=tuple(family.label for family in families),
    )
