"""What a referral tells the partner: for each category the household agreed to share (``SharedData``),
its values read from the file; a category that was not agreed contributes nothing, not even a blank."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from guichet.desk.enums import SharedData
from guichet.desk.models import Referral
from guichet.households.enums import HouseholdRole, ResourceKind
from guichet.households.models import Household, Person, Resource
from guichet.households.selectors import age_on
from guichet.rules.money import format_euros
from guichet.rules.quotient import month_label

BULLET = "– "
NOT_GIVEN = "non renseigné"


@dataclass(frozen=True)
class SharedSection:
    title: str
    lines: tuple[str, ...]


def shared_label(value: str) -> str:
    labels = dict(SharedData.choices)
    return str(labels.get(value, value))


def agreed_categories(referral: Referral) -> list[SharedData]:
    """The agreed categories in the order of ``SharedData`` (the order of the letter), unknown values dropped."""
    agreed = set(referral.shared_data)
    return [category for category in SharedData if category.value in agreed]


def applicant_of(people: Sequence[Person]) -> Person | None:
    return next((p for p in people if p.household_role == HouseholdRole.APPLICANT), people[0] if people else None)


def full_name(person: Person) -> str:
    return f"{person.first_name} {person.last_name}"


def _age(person: Person, today: dt.date) -> str:
    years = age_on(person.birth_date, today)
    return f"{years} an{'s' if years > 1 else ''}"


def _member_label(person: Person, today: dt.date, *, with_name: bool) -> str:
    """« Hélène Lefèvre (demandeur), femme, 42 ans », or without the name when identity was not agreed."""
    role = person.get_household_role_display()
    who = f"{full_name(person)} ({role.lower()})" if with_name else role
    return f"{who}, {person.get_sex_display().lower()}, {_age(person, today)}"


def _identity(people: Sequence[Person], household: Household) -> list[str]:
    applicant = applicant_of(people)
    if applicant is None:
        return ["Aucune personne n'est enregistrée dans le dossier."]
    return [
        f"Nom : {full_name(applicant)}",
        f"Date de naissance : {applicant.birth_date:%d/%m/%Y}",
        f"Adresse : {household.address or NOT_GIVEN}",
    ]


def _contact(people: Sequence[Person], household: Household, *, with_address: bool) -> list[str]:
    applicant = applicant_of(people)
    phone = household.phone or (applicant.phone if applicant else "")
    email = household.email or (applicant.email if applicant else "")
    lines = [f"Adresse : {household.address or NOT_GIVEN}"] if with_address else []
    return [*lines, f"Téléphone : {phone or NOT_GIVEN}", f"Courriel : {email or NOT_GIVEN}"]


def _composition(people: Sequence[Person], today: dt.date, *, with_names: bool) -> list[str]:
    if not people:
        return ["Aucune personne n'est enregistrée dans le dossier."]
    count = len(people)
    lines = [f"{count} personne{'s' if count > 1 else ''} au foyer"]
    return lines + [_member_label(person, today, with_name=with_names) for person in people]


def _resources(household: Household, today: dt.date) -> tuple[str, list[str]]:
    """The last month recorded (not after the current one), by type, and its total."""
    recorded = Resource.objects.filter(household=household, month__lte=today)
    last = recorded.order_by("-month").values_list("month", flat=True).first()
    if last is None:
        return "", ["Aucune ressource n'est enregistrée dans le dossier."]
    by_kind: dict[str, tuple[str, Decimal]] = {}
    for resource in recorded.filter(month=last).order_by("kind", "pk"):
        label, amount = by_kind.get(resource.kind, (resource.get_kind_display(), Decimal(0)))
        by_kind[resource.kind] = (label, amount + resource.amount)
    total = sum((amount for _, amount in by_kind.values()), Decimal(0))
    order = {kind: position for position, kind in enumerate(ResourceKind.values)}  # activity first, then benefits
    rows = [by_kind[kind] for kind in sorted(by_kind, key=lambda kind: order.get(kind, len(order)))]
    lines = [f"{label} : {format_euros(amount)}" for label, amount in rows]
    return f" ({month_label(last)})", [*lines, f"Total : {format_euros(total)}"]


def _housing(household: Household) -> list[str]:
    lines = [f"Statut : {household.get_housing_status_display()}"]
    if household.landlord:
        lines.append(f"Bailleur : {household.landlord}")
    if household.rent is not None:
        lines.append(f"Loyer mensuel : {format_euros(household.rent)}")
    return lines


_HEALTH_FLAGS = (
    ("has_rqth", "reconnaissance de la qualité de travailleur handicapé (RQTH)"),
    ("has_disability_card", "carte mobilité inclusion invalidité"),
    ("is_pregnant", "grossesse en cours"),
)


def _health(people: Sequence[Person], today: dt.date, *, with_names: bool) -> list[str]:
    lines = []
    for person in people:
        facts = [f"taux d'incapacité {person.disability_rate} %"] if person.disability_rate else []
        facts += [label for flag, label in _HEALTH_FLAGS if getattr(person, flag)]
        if facts:
            lines.append(f"{_member_label(person, today, with_name=with_names)} : {', '.join(facts)}")
    return lines or ["Aucun élément de santé ou de handicap n'est renseigné dans le dossier."]


def shared_sections(*, household: Household, referral: Referral, today: dt.date) -> list[SharedSection]:
    """One section per agreed category, with the values of the file on ``today``."""
    agreed = agreed_categories(referral)
    people = list(household.people.order_by("birth_date", "pk")) if agreed else []
    with_names = SharedData.IDENTITY in agreed
    sections = []
    for category in agreed:
        title, lines = str(category.label), []
        if category == SharedData.IDENTITY:
            lines = _identity(people, household)
        elif category == SharedData.CONTACT:
            lines = _contact(people, household, with_address=not with_names)
        elif category == SharedData.COMPOSITION:
            lines = _composition(people, today, with_names=with_names)
        elif category == SharedData.REQUEST:
            demand = referral.request
            lines = [f"Thème : {demand.get_theme_display()}", f"Objet : {demand.summary}"]
        elif category == SharedData.RESOURCES:
            month, lines = _resources(household, today)
            title += month
        elif category == SharedData.HOUSING:
            lines = _housing(household)
        elif category == SharedData.HEALTH:
            lines = _health(people, today, with_names=with_names)
        sections.append(SharedSection(title=title, lines=tuple(lines)))
    return sections


def format_sections(sections: Iterable[SharedSection]) -> str:
    """Plain text for the letter: the title of each section, then its lines as a list."""
    return "\n\n".join("\n".join([section.title, *(BULLET + line for line in section.lines)]) for section in sections)


def referral_values(*, household: Household, referral: Referral, today: dt.date) -> dict[str, str]:
    """The template variables of a referral letter that speak of the household: empty unless agreed."""
    agreed = agreed_categories(referral)
    people = list(household.people.all()) if SharedData.IDENTITY in agreed else []
    applicant = applicant_of(people)
    shares_address = SharedData.IDENTITY in agreed or SharedData.CONTACT in agreed
    shares_request = SharedData.REQUEST in agreed
    sections = shared_sections(household=household, referral=referral, today=today)
    return {
        "demandeur": full_name(applicant) if applicant else "",
        "adresse": str(household.address) if shares_address and household.address else "",
        "demande_theme": referral.request.get_theme_display() if shares_request else "",
        "demande_objet": referral.request.summary if shares_request else "",
        "donnees_partagees": ", ".join(str(category.label) for category in agreed) or "aucune donnée",
        "informations_partagees": format_sections(sections),
    }
