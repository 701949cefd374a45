"""The CAF family quotient (quotient familial) of a household, and the fiscal parts (never mixed).

CAF: QF = (annual resources of year N-2 ÷ 12 + monthly family benefits) ÷ parts, with the parts,
the benefits counted and the rounding read from ``data/quotient_caf.toml``. A quotient attested by
the CAF or the MSA (attestation or API) wins over the computed one. The fiscal parts (CGI art. 194,
``data/fiscal_parts.toml``) are another notion, for rules based on income tax.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal

from guichet.rules.household import AttestedQuotient, Household, MonthlyResources, Person
from guichet.rules.money import format_euros, format_number, round_money
from guichet.rules.parameters import Parameter, ParameterReader, Parameters, packaged_parameters

COMPUTED = "calculé"

SOURCE_LABELS = {
    "attestation_caf": "attestation CAF",
    "api_particulier": "API Particulier (CAF)",
    "attestation_msa": "attestation MSA",
    "declare": "déclaration du ménage",
    COMPUTED: "calcul Guichet",
}
BENEFIT_LABELS = {"af": "AF", "cf": "CF", "asf": "ASF", "paje_base": "PAJE de base", "ars": "ARS", "aeeh": "AEEH"}
YEARLY_NOTE = " (1/12 de l'année)"
MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip


def caf_parameters() -> Mapping[str, Parameter]:
    return packaged_parameters("quotient_caf")


def fiscal_parameters() -> Mapping[str, Parameter]:
    return packaged_parameters("fiscal_parts")


def source_label(source: str) -> str:
    return SOURCE_LABELS.get(source, source)


def month_label(month: dt.date) -> str:
    return f"{MONTHS[month.month - 1]} {month.year}"


@dataclass(frozen=True)
class BenefitAmount:
    kind: str  # resource kind code: af, cf, asf…
    amount: Decimal  # monthly amount counted (a yearly benefit counts for 1/12)


@dataclass(frozen=True)
class Quotient:
    """A family quotient with everything needed to explain it ("why this quotient")."""

    value: Decimal
    source: str  # "calculé", or the attestation's source ("attestation_caf", "api_particulier"…)
    date: dt.date  # day of the computation, or of the attestation
    parts: Decimal | None = None
    reference_year: int | None = None  # year N-2 whose resources were used
    annual_resources: Decimal | None = None
    monthly_resources: Decimal | None = None  # annual ÷ 12, to the cent (the PSU barème uses it)
    benefits: tuple[BenefitAmount, ...] = ()
    benefits_month: dt.date | None = None
    explanation: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    dependent_children: int = 0  # children counted in the parts (PSU: rate by number of children)
    aeeh_children: int = 0  # of whom with AEEH (PSU: a disabled child moves to the next rate)
    computed: Quotient | None = None  # for an attested quotient: Guichet's own figure, for information

    @property
    def is_attested(self) -> bool:
        return self.source != COMPUTED

    @property
    def family_benefits(self) -> Decimal:
        return sum((benefit.amount for benefit in self.benefits), Decimal(0))

    @property
    def source_label(self) -> str:
        """``attestation CAF du 12/09/2026`` or ``calcul Guichet du 01/11/2026``."""
        return f"{source_label(self.source)} du {self.date:%d/%m/%Y}"


# --- parts ------------------------------------------------------------------------------------


def caf_dependent_children(household: Household, reader: ParameterReader) -> tuple[Person, ...]:
    max_age = reader.integer("dependent_child_max_age")
    return tuple(child for child in household.children if child.age_on(reader.on) < max_age)


def _ordinal(rank: int) -> str:
    return "1er" if rank == 1 else f"{rank}e"


def _caf_parts(household: Household, reader: ParameterReader) -> tuple[Decimal, tuple[str, ...]]:
    """Parts and their detail (``2 (couple)``, ``0,5 (1er enfant)``…): adults by situation, then
    children by rank, then AEEH children."""
    children = caf_dependent_children(household, reader)
    if household.is_couple:
        terms = [(reader.decimal("parts_couple"), "couple")]
    elif children:
        terms = [(reader.decimal("parts_single_parent"), "parent isolé")]
    else:
        terms = [(reader.decimal("parts_single_without_child"), "personne seule")]
    for rank, child in enumerate(children, start=1):
        if rank <= 2:
            name = "parts_per_child_first_two"
        elif rank == 3:
            name = "parts_third_child"
        else:
            name = "parts_per_further_child"
        terms.append((reader.decimal(name), f"{_ordinal(rank)} enfant"))
        if child.has_aeeh:
            terms.append((reader.decimal("parts_per_aeeh_child"), f"AEEH du {_ordinal(rank)} enfant"))
    total = sum((amount for amount, _ in terms), Decimal(0))
    return total, tuple(f"{format_number(amount)} ({label})" for amount, label in terms)


def caf_parts(household: Household, on: dt.date, params: Parameters | None = None) -> Decimal:
    """Number of CAF parts of the household on ``on``."""
    return _caf_parts(household, ParameterReader(params or caf_parameters(), on))[0]


# --- resources and benefits -------------------------------------------------------------------


def _caf_members(household: Household, children: tuple[Person, ...]) -> tuple[Person, ...]:
    """The CAF household: the claimant, the partner and the dependent children (not other adults)."""
    return (*household.adults, *children)


def _benefit_series(household: Household, members: tuple[Person, ...], kind: str) -> list[Mapping[dt.date, Decimal]]:
    owners: list[MonthlyResources] = [household.resources, *(person.resources for person in members)]
    return [owner[kind] for owner in owners if kind in owner]


def _family_benefits(
    household: Household, members: tuple[Person, ...], reader: ParameterReader
) -> tuple[dt.date | None, tuple[BenefitAmount, ...]]:
    """Monthly benefits of the reference month (the latest month on or before the day with any of
    them), plus yearly benefits over the last twelve months ÷ 12."""
    on = reader.on
    monthly = {kind: _benefit_series(household, members, kind) for kind in reader.strings("family_benefit_kinds")}
    known = [month for series in monthly.values() for amounts in series for month in amounts if month <= on]
    reference = max(known) if known else None
    benefits = []
    for kind, series in monthly.items():
        amount = sum((amounts.get(reference, Decimal(0)) for amounts in series), Decimal(0)) if reference else None
        if amount:
            benefits.append(BenefitAmount(kind, amount))
    year_ago = dt.date(on.year - 1, on.month, 1)
    for kind in reader.strings("family_benefit_yearly_kinds"):
        total = Decimal(0)
        for amounts in _benefit_series(household, members, kind):
            total += sum((amount for month, amount in amounts.items() if year_ago < month <= on), Decimal(0))
        if total:
            benefits.append(BenefitAmount(kind, total / 12))
    return reference, tuple(benefits)


def _benefits_line(month: dt.date | None, benefits: tuple[BenefitAmount, ...], yearly: tuple[str, ...]) -> str:
    if not benefits:
        return "Prestations familiales : aucune enregistrée"
    terms = [
        f"{BENEFIT_LABELS.get(b.kind, b.kind)}{YEARLY_NOTE if b.kind in yearly else ''} {format_euros(b.amount)}"
        for b in benefits
    ]
    total = format_euros(sum((b.amount for b in benefits), Decimal(0)))
    when = ""
    if month:
        label = month_label(month)
        when = f" d'{label}" if label[0] in "aeiou" else f" de {label}"
    return f"Prestations familiales{when} : {' + '.join(terms)}" + (f" = {total}" if len(terms) > 1 else "")


# --- the quotient -----------------------------------------------------------------------------


def caf_quotient_computed(household: Household, on: dt.date, params: Parameters | None = None) -> Quotient:
    """The quotient Guichet computes from the household file, whatever the CAF says."""
    reader = ParameterReader(params or caf_parameters(), on)
    children = caf_dependent_children(household, reader)
    members = _caf_members(household, children)
    year = on.year - 2
    annual = sum((person.taxable_income.get(year, Decimal(0)) for person in members), Decimal(0))
    monthly = annual / 12
    month, benefits = _family_benefits(household, members, reader)
    benefits_total = sum((b.amount for b in benefits), Decimal(0))
    parts, parts_detail = _caf_parts(household, reader)
    value = round_money(
        (monthly + benefits_total) / parts,
        reader.decimal("quotient_rounding_quantum"),
        str(reader.value("quotient_rounding_mode")),
    )
    explanation = (
        f"Revenus {year} du foyer (avant abattements) : {format_euros(annual)} ÷ 12 = {format_euros(monthly)} par mois",
        _benefits_line(month, benefits, reader.strings("family_benefit_yearly_kinds")),
        f"Parts : {' + '.join(parts_detail)} = {format_number(parts)}",
        f"Quotient familial : ({format_euros(monthly)} + {format_euros(benefits_total)}) ÷ {format_number(parts)} = "
        f"{format_euros(value)}",
    )
    warnings = []
    if not any(year in person.taxable_income for person in members):
        warnings.append(f"Aucun revenu {year} renseigné : le quotient est calculé sur des revenus nuls.")
    others = [person for person in household.people if person not in members]
    if others:
        warnings.append(
            f"{len(others)} personne(s) du ménage hors du foyer CAF (autre adulte, enfant de 20 ans ou plus) : "
            "ni leurs revenus ni leur part ne comptent."
        )
    return Quotient(
        value=value,
        source=COMPUTED,
        date=on,
        parts=parts,
        reference_year=year,
        annual_resources=annual,
        monthly_resources=round_money(monthly),
        benefits=benefits,
        benefits_month=month,
        dependent_children=len(children),
        aeeh_children=sum(1 for child in children if child.has_aeeh),
        explanation=explanation,
        warnings=(*warnings, *reader.warnings()),
    )


def caf_quotient(
    household: Household,
    on: dt.date,
    params: Parameters | None = None,
    *,
    max_attestation_age_days: int | None = None,
) -> Quotient:
    """The household's quotient on ``on``: the attested one when the CAF or the MSA gave it (its
    source and date kept, with a warning when it is old), else the computed one."""
    params = params or caf_parameters()
    computed = caf_quotient_computed(household, on, params)
    attested = household.attested_quotient
    if attested is None or attested.date > on:
        return computed
    reader = ParameterReader(params, on)
    label = f"{source_label(attested.source)} du {attested.date:%d/%m/%Y}"
    if attested.source not in reader.strings("attested_sources"):
        note = (
            f"Quotient de {format_euros(attested.value)} ({label}) non retenu : seul un quotient attesté "
            "par la CAF ou la MSA prime sur le calcul."
        )
        return replace(computed, warnings=(note, *computed.warnings))
    return _attested(attested, label, computed, reader, max_attestation_age_days)


def _attested(
    attested: AttestedQuotient, label: str, computed: Quotient, reader: ParameterReader, max_age: int | None
) -> Quotient:
    max_age = reader.integer("attestation_max_age_days") if max_age is None else max_age
    warnings: tuple[str, ...] = ()
    age = (reader.on - attested.date).days
    if age > max_age:
        warnings = (
            f"Quotient attesté il y a {age} jours ({label}), plus de {max_age} jours : "
            "demandez une attestation récente.",
        )
    return Quotient(
        value=round_money(attested.value),
        source=attested.source,
        date=attested.date,
        explanation=(
            f"Quotient familial : {format_euros(attested.value)} ({label})",
            f"Il prime sur le quotient calculé par Guichet ({format_euros(computed.value)}), donné pour information.",
        ),
        warnings=warnings,
        computed=computed,
    )


# --- fiscal parts (income tax): a different notion -------------------------------------------


def fiscal_parts(
    *,
    is_couple: bool,
    dependent_children: int,
    on: dt.date,
    single_parent: bool = False,
    params: Parameters | None = None,
) -> Decimal:
    """Income-tax parts (CGI art. 194) — NOT the CAF parts: 1 per single adult, 2 per couple,
    +0.5 for each of the first two children, +1 from the third, +0.5 for a single parent."""
    reader = ParameterReader(params or fiscal_parameters(), on)
    parts = reader.decimal("fiscal_parts_couple" if is_couple else "fiscal_parts_single")
    parts += reader.decimal("fiscal_parts_per_child_first_two") * min(dependent_children, 2)
    parts += reader.decimal("fiscal_parts_per_child_from_third") * max(dependent_children - 2, 0)
    if single_parent and not is_couple and dependent_children:
        parts += reader.decimal("fiscal_parts_single_parent")
    return parts
