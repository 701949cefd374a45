"""Reads of the pricing app: the catalogue with its grids, a grid's preview, a household's prices."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.http import Http404

from guichet.households.models import Household
from guichet.households.rules_mapping import rules_household, rules_households
from guichet.pricing.models import MunicipalService, TariffGrid
from guichet.rules import household as rules
from guichet.rules.money import format_euros, format_number
from guichet.rules.parameters import (
    DATA_DIR,
    Parameter,
    ParameterValue,
    check_parameters_dir,
    overridden_names,
    override_file,
    packaged_parameters,
    parameters_dir,
    shipped_files,
)
from guichet.rules.quotient import Quotient, caf_quotient
from guichet.rules.tariffs import (
    Brackets,
    EffortRate,
    Grid,
    PricingFacts,
    PsuBareme,
    SiblingReduction,
    grid_from_dict,
    price,
    pricing_facts,
)

PREVIEW_MAX = {"quotient": Decimal(3000), "ressources": Decimal(9000)}
PREVIEW_STEP = {"quotient": Decimal(10), "ressources": Decimal(30)}
TABLE_STEP = {"quotient": Decimal(250), "ressources": Decimal(750)}


def is_resident(household: rules.Household) -> bool:
    """Resident of the commune: its address lies in the commune; a household without an address is
    counted as resident (the CCAS follows the commune's residents and the people it domiciles)."""
    if not household.postcode and not household.insee_code:
        return True
    return household.insee_code == settings.GUICHET_COMMUNE_INSEE


@dataclass(frozen=True)
class GridVersion:
    row: TariffGrid
    grid: Grid


@dataclass(frozen=True)
class ServiceEntry:
    service: MunicipalService
    versions: tuple[GridVersion, ...]  # newest first
    in_force: GridVersion | None
    upcoming: tuple[GridVersion, ...]
    past: tuple[GridVersion, ...]


def _entry(service: MunicipalService, rows: Sequence[TariffGrid], on: dt.date) -> ServiceEntry:
    versions = tuple(GridVersion(row, grid_from_dict(row.data)) for row in rows)
    in_force = next((v for v in versions if v.grid.in_force(on)), None)
    return ServiceEntry(
        service=service,
        versions=versions,
        in_force=in_force,
        upcoming=tuple(v for v in versions if v.grid.valid_from > on),
        past=tuple(v for v in versions if v.grid.valid_to is not None and v.grid.valid_to < on),
    )


def catalogue(on: dt.date) -> list[ServiceEntry]:
    """Every service with its grids (two queries)."""
    rows: dict[int, list[TariffGrid]] = defaultdict(list)
    for row in TariffGrid.objects.order_by("service_id", "-valid_from"):
        rows[row.service_id].append(row)
    return [_entry(service, rows[service.pk], on) for service in MunicipalService.objects.all()]


def service_entry(slug: str, on: dt.date) -> ServiceEntry:
    service = MunicipalService.objects.filter(slug=slug).first()
    if service is None:
        raise Http404("Service introuvable.")
    return _entry(service, list(service.grids.order_by("-valid_from")), on)


# --- preview ----------------------------------------------------------------------------------


def preview_basis(grid: Grid) -> str:
    """The axis of a grid's preview: the quotient, or monthly resources (PSU, grids on resources)."""
    if isinstance(grid.rule, PsuBareme):
        return "ressources"
    return str(getattr(grid.rule, "basis", "quotient"))


def _facts(value: Decimal) -> PricingFacts:
    """A resident first child of a one-child family whose quotient and resources are ``value``."""
    return PricingFacts(quotient=value, monthly_resources=value)


def preview_points(grid: Grid, on: dt.date) -> list[tuple[Decimal, Decimal]]:
    """(value, price) for a resident first child with one dependent child, from 0 to the axis maximum."""
    basis = preview_basis(grid)
    step, top = PREVIEW_STEP[basis], PREVIEW_MAX[basis]
    points = []
    value = Decimal(0)
    while value <= top:
        points.append((value, price(grid, _facts(value), on).amount))
        value += step
    return points


def preview_table(grid: Grid, on: dt.date) -> list[tuple[Decimal, Decimal]]:
    """The price at round values and at every bracket start."""
    basis = preview_basis(grid)
    values = {Decimal(0)}
    value = TABLE_STEP[basis]
    while value <= PREVIEW_MAX[basis]:
        values.add(value)
        value += TABLE_STEP[basis]
    for bracket in getattr(grid.rule, "brackets", ()):
        values.add(bracket.lower)
    return [(v, price(grid, _facts(v), on).amount) for v in sorted(values)]


# --- a household's prices ---------------------------------------------------------------------


@dataclass(frozen=True)
class PersonPrice:
    person: rules.Person
    name: str
    age: int
    amount: Decimal
    unit: str
    explanation: tuple[str, ...]
    warnings: tuple[str, ...]
    child_rank: int | None


@dataclass(frozen=True)
class ServicePrices:
    service: MunicipalService
    grid: Grid | None
    lines: tuple[PersonPrice, ...]


@dataclass(frozen=True)
class HouseholdPrices:
    household: Household
    quotient: Quotient
    is_resident: bool
    services: tuple[ServicePrices, ...]
    on: dt.date


def _service_prices(
    entry: ServiceEntry, facts_base: Quotient, people: Sequence[tuple[rules.Person, str]], resident: bool, on: dt.date
) -> ServicePrices:
    concerned = [(p, name) for p, name in people if entry.service.concerns_age(p.age_on(on))]
    if entry.in_force is None:
        return ServicePrices(entry.service, None, ())
    grid = entry.in_force.grid
    lines = []
    rank = 0
    for person, name in concerned:
        is_child = person.role == "enfant"
        rank += 1 if is_child else 0
        facts = pricing_facts(facts_base, child_rank=rank if is_child else 1, is_resident=resident)
        result = price(grid, facts, on)
        lines.append(
            PersonPrice(
                person=person,
                name=name,
                age=person.age_on(on),
                amount=result.amount,
                unit=result.unit,
                explanation=result.explanation,
                warnings=result.warnings,
                child_rank=rank if is_child else None,
            )
        )
    return ServicePrices(entry.service, grid, tuple(lines))


def _all_prices(
    data: rules.Household, names: dict[str, str], entries: Sequence[ServiceEntry], on: dt.date
) -> tuple[Quotient, bool, tuple[ServicePrices, ...]]:
    quotient = caf_quotient(data, on)
    people = sorted(((p, names.get(p.id, "")) for p in data.people), key=lambda item: item[0].birth_date)
    resident = is_resident(data)
    return quotient, resident, tuple(_service_prices(entry, quotient, people, resident, on) for entry in entries)


def household_prices(household: Household, on: dt.date) -> HouseholdPrices:
    """The household's quotient on ``on`` and the price of every service for each member it
    concerns (by age); children are ranked by age, eldest first, among those using the service."""
    names = {str(p.pk): f"{p.first_name} {p.last_name}" for p in household.people.all()}
    quotient, resident, services = _all_prices(rules_household(household), names, catalogue(on), on)
    return HouseholdPrices(household, quotient, resident, services, on)


def households_prices(
    household_ids: Iterable[int], on: dt.date
) -> dict[int, tuple[Quotient, tuple[ServicePrices, ...]]]:
    """Quotient and prices of many households at once (six queries whatever their number), for
    batch work: no names, no audit — callers check permissions and record what they read."""
    entries = catalogue(on)
    result = {}
    for household_id, data in rules_households(household_ids).items():
        quotient, _, services = _all_prices(data, {}, entries, on)
        result[household_id] = (quotient, services)
    return result


# --- a grid in words --------------------------------------------------------------------------


def grid_summary(grid: Grid) -> list[str]:
    """The grid's rule and modulations in French, one line each (for the lists of versions)."""
    rule = grid.rule
    if isinstance(rule, Brackets):
        lines = [f"{bracket.label()} : {format_euros(bracket.price, cents=True)}" for bracket in rule.brackets]
        if rule.basis == "ressources":
            lines.insert(0, "Tranches de ressources mensuelles")
    elif isinstance(rule, EffortRate):
        basis = "du quotient" if rule.basis == "quotient" else "des ressources mensuelles"
        lines = [f"{format_number(rule.rate_percent)} % {basis}"]
        if rule.floor is not None:
            lines.append(f"plancher {format_euros(rule.floor, cents=True)}")
        if rule.ceiling is not None:
            lines.append(f"plafond {format_euros(rule.ceiling, cents=True)}")
    elif isinstance(rule, PsuBareme):
        lines = ["Barème national CNAF (PSU) : taux d'effort selon le nombre d'enfants, plancher et plafond nationaux"]
    else:
        lines = [f"Tarif unique : {format_euros(rule.amount, cents=True)}"]
    for modifier in grid.modifiers:
        if isinstance(modifier, SiblingReduction):
            lines.append(f"−{format_number(modifier.percent)} % à partir du {modifier.from_rank}e enfant")
        else:
            lines.append(f"+{format_number(modifier.percent)} % hors commune")
    if grid.non_resident_rule is not None:
        lines.append("Grille particulière pour les non-résidents")
    return lines


# --- the dated parameters the pricing uses ------------------------------------------------------

PARAMETER_FILE_LABELS = {
    "quotient_caf": "Quotient familial CAF : parts et règles de calcul",
    "psu": "Barème national des crèches (CNAF, PSU)",
    "cantine_1_euro": "Cantine à 1 € : conditions de l'aide de l'État",
    "fiscal_parts": "Parts fiscales (impôt sur le revenu, pour information)",
}


def parameter_value_text(value: object) -> str:
    """A parameter's value in French: numbers with a decimal comma, dates, lists, tables by key."""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, Decimal):
        return format_number(value)
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, tuple):
        return ", ".join(parameter_value_text(item) for item in value) if value else "(aucun)"
    if isinstance(value, dict):
        return " ; ".join(f"{key} : {parameter_value_text(item)}" for key, item in value.items())
    return str(value)


@dataclass(frozen=True)
class ParameterPeriod:
    valid_from: dt.date
    valid_to: dt.date | None
    value: str
    to_verify: bool
    in_force: bool


@dataclass(frozen=True)
class ParameterRow:
    name: str
    source: str
    current: ParameterValue | None  # None: no value yet on the day
    current_text: str
    periods: tuple[ParameterPeriod, ...]
    corrected: bool  # replaced by the commune's file

    @property
    def to_verify(self) -> bool:
        return self.current is not None and self.current.to_verify


@dataclass(frozen=True)
class ParameterFile:
    name: str
    label: str
    shipped_path: Path
    override_path: Path | None
    rows: tuple[ParameterRow, ...]


@dataclass(frozen=True)
class ParametersOverview:
    on: dt.date
    files: tuple[ParameterFile, ...]
    directory: Path | None  # the override directory in use
    setting: str  # GUICHET_PARAMETERS_DIR as configured
    errors: tuple[str, ...]  # problems of the directory as it is on disk now (a restart would fail)


def _parameter_row(parameter: Parameter, on: dt.date, corrected: bool) -> ParameterRow:
    current = parameter.lookup(on) if parameter.values[0].valid_from <= on else None
    periods = []
    for entry in parameter.values:
        in_force = current is not None and entry.valid_from == current.valid_from
        periods.append(
            ParameterPeriod(
                entry.valid_from, entry.valid_to, parameter_value_text(entry.value), entry.to_verify, in_force
            )
        )
    text = parameter_value_text(current.value) if current is not None else "pas encore en vigueur"
    return ParameterRow(parameter.name, parameter.source, current, text, tuple(periods), corrected)


def parameters_overview(on: dt.date) -> ParametersOverview:
    """Every parameter file the pricing uses, as loaded (shipped values with the commune's
    corrections), each parameter with its value on ``on``, its dated values and its source."""
    names = sorted(
        shipped_files(), key=lambda n: list(PARAMETER_FILE_LABELS).index(n) if n in PARAMETER_FILE_LABELS else 99
    )
    files = []
    for name in names:
        corrected = overridden_names(name)
        rows = tuple(
            _parameter_row(parameter, on, parameter.name in corrected)
            for parameter in packaged_parameters(name).values()
        )
        files.append(
            ParameterFile(
                name, PARAMETER_FILE_LABELS.get(name, name), DATA_DIR / f"{name}.toml", override_file(name), rows
            )
        )
    directory = parameters_dir()
    setting = str(getattr(settings, "GUICHET_PARAMETERS_DIR", "") or "")
    errors = tuple(check_parameters_dir(Path(setting))) if setting else ()
    return ParametersOverview(on, tuple(files), directory, setting, errors)
