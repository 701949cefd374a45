"""Writes on the household file: opening a file (audited read), breaking the glass, creating and
editing households and people, resources, charges and consents, merging two files.

Every write checks the permission and the household access policy (``perms.py``), runs in one
transaction and is written to the audit log with the names of the changed fields (never the values).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Final

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from guichet.accounts.enums import Perm
from guichet.audit.enums import Action
from guichet.audit.services import audit_record
from guichet.households.duplicates import DuplicateCandidate, find_duplicates
from guichet.households.enums import HouseholdRole
from guichet.households.merge import merge_hooks
from guichet.households.models import (
    BreakGlassGrant,
    Charge,
    Consent,
    Household,
    Person,
    PersonLink,
    Resource,
    TimelineEntry,
    TimelineState,
)
from guichet.households.perms import (
    BREAK_GLASS_DURATION,
    BREAK_GLASS_MIN_REASON,
    can_break_glass,
    can_see_social_situation,
    check_household_access,
    get_household_for_user,
)
from guichet.households.search import search_index_invalidate
from guichet.households.timeline import timeline_changed
from guichet.rules.text import normalize_text
from guichet.territory.models import Address
from guichet.territory.selectors import quartier_for_address

CONTACT_FIELDS = ("reference", "address", "phone", "email", "people")
SOCIAL_FIELDS = ("resources", "taxable_incomes", "housing", "rent", "caf_quotient")


def household_open(*, user: Any, pk: int, request: HttpRequest | None = None, channel: str = "web") -> Household:
    """The household ``pk`` for ``user``, after the policy check; the read is written to the audit log."""
    household = get_household_for_user(user, pk)
    fields = CONTACT_FIELDS + (SOCIAL_FIELDS if can_see_social_situation(user) else ())
    audit_record(
        actor=user,
        action=Action.READ,
        target_type="household",
        target_id=household.pk,
        fields=fields,
        request=request,
        channel=channel,
    )
    return household


@transaction.atomic
def household_break_glass(
    *, user: Any, household: Household, reason: str, request: HttpRequest | None = None, channel: str = "web"
) -> BreakGlassGrant:
    """Give ``user`` temporary access to a confidential household, with the reason logged."""
    if not can_break_glass(user):
        raise PermissionDenied("Vous ne pouvez pas accéder aux dossiers confidentiels.")
    reason = " ".join(reason.split())
    if len(reason) < BREAK_GLASS_MIN_REASON:
        raise ValidationError(
            f"Précisez le motif de l'accès (au moins {BREAK_GLASS_MIN_REASON} caractères).", code="reason_too_short"
        )
    now = timezone.now()
    grant = BreakGlassGrant.objects.create(
        user=user, household=household, reason=reason, granted_at=now, expires_at=now + BREAK_GLASS_DURATION
    )
    audit_record(
        actor=user,
        action=Action.BREAK_GLASS,
        target_type="household",
        target_id=household.pk,
        reason=reason,
        request=request,
        channel=channel,
    )
    return grant


# --- Creating and editing the file ------------------------------------------------------------

HOUSEHOLD_CONTACT_FIELDS: Final = ("phone", "email")
# The social situation: editable (and visible) only with HOUSEHOLD_FOLLOW.
HOUSEHOLD_SOCIAL_FIELDS: Final = (
    "housing_status",
    "landlord",
    "rent",
    "caf_number",
    "msa_number",
    "caf_quotient",
    "caf_quotient_date",
    "caf_quotient_source",
    "is_confidential",
)
# Health (disability and pregnancy): like the social situation, seen and recorded only with HOUSEHOLD_FOLLOW.
PERSON_HEALTH_FIELDS: Final = ("disability_rate", "has_rqth", "has_disability_card", "is_pregnant")
PERSON_FIELDS: Final = (
    "household_role",
    "first_name",
    "last_name",
    "birth_name",
    "sex",
    "birth_date",
    "occupation",
    "disability_rate",
    "has_rqth",
    "has_disability_card",
    "is_pregnant",
    "phone",
    "email",
)
NAME_FIELDS: Final = frozenset({"first_name", "last_name", "birth_name"})
ADDRESS_FIELDS: Final = ("number", "street_name", "complement", "postcode", "city")
REFERENCE_PREFIX: Final = "G-"


@dataclass(frozen=True)
class AddressInput:
    street_name: str
    postcode: str
    city: str
    number: str = ""
    complement: str = ""


KEEP_ADDRESS: Final = "keep"


class PossibleDuplicates(Exception):
    """The person about to be created may already have a file; confirm to create anyway."""

    def __init__(self, candidates: list[DuplicateCandidate]) -> None:
        super().__init__("Ces personnes existent peut-être déjà.")
        self.candidates = candidates


def check_perm(user: Any, perm: Perm, message: str) -> None:
    """Refuse with ``message`` unless ``user`` holds ``perm``."""
    if not (user.is_authenticated and user.has_perm(perm.full)):
        raise PermissionDenied(message)


def _require_edit(user: Any, household: Household | None = None) -> None:
    check_perm(user, Perm.HOUSEHOLD_EDIT, "Vous ne pouvez pas modifier les dossiers des ménages.")
    if household is not None:
        check_household_access(user, household)


def _require_follow(user: Any, household: Household) -> None:
    check_perm(user, Perm.HOUSEHOLD_FOLLOW, "La situation sociale est réservée aux travailleurs sociaux.")
    check_household_access(user, household)


def _apply(instance: Any, values: Mapping[str, Any], allowed: Iterable[str]) -> list[str]:
    """Set ``values`` on ``instance``; the names of the fields that really changed."""
    allowed = set(allowed)
    unknown = set(values) - allowed
    if unknown:
        raise ValidationError(f"Champs non modifiables : {', '.join(sorted(unknown))}.", code="unknown_fields")
    changed = []
    for name, value in values.items():
        if isinstance(value, str):
            value = value.strip()
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed.append(name)
    return changed


def _check_social_fields(user: Any, names: Iterable[str]) -> None:
    if set(names) & set(HOUSEHOLD_SOCIAL_FIELDS) and not can_see_social_situation(user):
        raise PermissionDenied("La situation sociale (logement, loyer, quotient) est réservée au suivi social.")


def _check_health_fields(user: Any, names: Iterable[str]) -> None:
    if set(names) & set(PERSON_HEALTH_FIELDS) and not can_see_social_situation(user):
        raise PermissionDenied("Le handicap et la grossesse sont réservés au suivi social.")


def _new_address(data: AddressInput) -> Address:
    address = Address(
        number=data.number.strip(),
        street_name=" ".join(data.street_name.split()),
        complement=data.complement.strip(),
        postcode=data.postcode.strip(),
        city=" ".join(data.city.split()),
    )
    address.quartier = quartier_for_address(latitude=None, longitude=None, street_name=address.street_name)
    address.full_clean(exclude=["quartier", "iris"])
    address.save()
    return address


def _same_address(address: Address | None, data: AddressInput | None) -> bool:
    if address is None or data is None:
        return address is None and data is None
    return all(str(getattr(address, name)).strip() == str(getattr(data, name)).strip() for name in ADDRESS_FIELDS)


def sync_search_name(person: Person) -> None:
    """The accent- and case-free name the search and the duplicate check read."""
    person.search_name = normalize_text(f"{person.first_name} {person.last_name} {person.birth_name}")


def audit_write(
    *,
    user: Any,
    action: Action,
    target_type: str,
    target_id: object,
    fields: Iterable[str] = (),
    reason: str = "",
    request: HttpRequest | None,
    channel: str,
) -> None:
    audit_record(
        actor=user,
        action=action,
        target_type=target_type,
        target_id=target_id,
        fields=list(fields),
        reason=reason,
        request=request,
        channel=channel,
    )


def _check_duplicates(user: Any, values: Mapping[str, Any], exclude_person_id: int | None = None) -> None:
    birth_date = values.get("birth_date")
    if not isinstance(birth_date, dt.date):
        return
    candidates = find_duplicates(
        user,
        first_name=str(values.get("first_name", "")),
        last_name=str(values.get("last_name", "")),
        birth_name=str(values.get("birth_name", "")),
        birth_date=birth_date,
        exclude_person_id=exclude_person_id,
    )
    if candidates:
        raise PossibleDuplicates(candidates)


def _create_person(household: Household, values: Mapping[str, Any], default_role: str) -> tuple[Person, list[str]]:
    person = Person(household=household, household_role=default_role)
    fields = _apply(person, values, PERSON_FIELDS)
    sync_search_name(person)
    person.full_clean()
    person.save()
    return person, fields


@transaction.atomic
def save_new_household(household: Household) -> Household:
    """Validate and save a new household, which gets its reference from its id (``G-0000042``). Not a
    service: the callers check who may create it and audit the creation."""
    household.reference = f"tmp-{uuid.uuid4().hex[:16]}"  # unique until the id gives the reference
    household.full_clean(exclude=["reference", "referents"])
    household.save()
    household.reference = f"{REFERENCE_PREFIX}{household.pk:07d}"
    household.save(update_fields=["reference"])
    return household


def household_create(
    *,
    user: Any,
    household: Mapping[str, Any],
    address: AddressInput | None,
    applicant: Mapping[str, Any],
    confirm_duplicates: bool = False,
    request: HttpRequest | None = None,
    channel: str = "web",
) -> Household:
    """A new household with its applicant. Raises ``PossibleDuplicates`` unless ``confirm_duplicates``."""
    _require_edit(user)
    _check_social_fields(user, household)
    _check_health_fields(user, applicant)
    if not confirm_duplicates:
        _check_duplicates(user, applicant)
    created = Household()
    fields = _apply(created, household, HOUSEHOLD_CONTACT_FIELDS + HOUSEHOLD_SOCIAL_FIELDS)
    if address is not None:
        created.address = _new_address(address)
        fields.append("address")
    save_new_household(created)
    person, person_fields = _create_person(created, applicant, HouseholdRole.APPLICANT)
    audit_write(
        user=user,
        action=Action.CREATE,
        target_type="household",
        target_id=created.pk,
        fields=fields,
        request=request,
        channel=channel,
    )
    audit_write(
        user=user,
        action=Action.CREATE,
        target_type="person",
        target_id=person.pk,
        fields=person_fields,
        request=request,
        channel=channel,
    )
    search_index_invalidate()
    return created


@transaction.atomic
def household_update(
    *,
    user: Any,
    household: Household,
    values: Mapping[str, Any],
    address: AddressInput | None | str = KEEP_ADDRESS,
    request: HttpRequest | None = None,
    channel: str = "web",
) -> list[str]:
    """Change contact (and, with HOUSEHOLD_FOLLOW, social) fields; the names of the changed fields.

    ``address`` is kept when ``KEEP_ADDRESS``, removed when ``None``, replaced by a new address row
    otherwise (address rows may be shared, they are never edited in place)."""
    _require_edit(user, household)
    household = Household.objects.select_for_update().get(pk=household.pk)
    changed = _apply(household, values, HOUSEHOLD_CONTACT_FIELDS + HOUSEHOLD_SOCIAL_FIELDS)
    _check_social_fields(user, changed)
    if not isinstance(address, str) and not _same_address(household.address, address):
        household.address = _new_address(address) if address is not None else None
        changed.append("address")
    if not changed:
        return []
    household.full_clean(exclude=["referents"])
    household.save()
    audit_write(
        user=user,
        action=Action.UPDATE,
        target_type="household",
        target_id=household.pk,
        fields=changed,
        request=request,
        channel=channel,
    )
    return changed


@transaction.atomic
def person_add(
    *,
    user: Any,
    household: Household,
    values: Mapping[str, Any],
    confirm_duplicates: bool = False,
    request: HttpRequest | None = None,
    channel: str = "web",
) -> Person:
    """Add a person to ``household``. Raises ``PossibleDuplicates`` unless ``confirm_duplicates``."""
    _require_edit(user, household)
    _check_health_fields(user, values)
    if not confirm_duplicates:
        _check_duplicates(user, values)
    person, fields = _create_person(household, values, HouseholdRole.OTHER)
    audit_write(
        user=user,
        action=Action.CREATE,
        target_type="person",
        target_id=person.pk,
        fields=fields,
        reason=f"ménage {household.reference}",
        request=request,
        channel=channel,
    )
    search_index_invalidate()
    return person


@transaction.atomic
def person_update(
    *, user: Any, person: Person, values: Mapping[str, Any], request: HttpRequest | None = None, channel: str = "web"
) -> list[str]:
    _require_edit(user, person.household)
    _check_health_fields(user, values)
    person = Person.objects.select_for_update().get(pk=person.pk)
    changed = _apply(person, values, PERSON_FIELDS)
    if not changed:
        return []
    sync_search_name(person)
    person.full_clean()
    person.save()
    audit_write(
        user=user,
        action=Action.UPDATE,
        target_type="person",
        target_id=person.pk,
        fields=changed,
        request=request,
        channel=channel,
    )
    if NAME_FIELDS & set(changed):
        search_index_invalidate()
    return changed


@transaction.atomic
def person_remove(*, user: Any, person: Person, request: HttpRequest | None = None, channel: str = "web") -> None:
    """Remove a person from the household (with their resources and links); the last one stays."""
    _require_edit(user, person.household)
    if not Person.objects.filter(household_id=person.household_id).exclude(pk=person.pk).exists():
        raise ValidationError("Un ménage compte au moins une personne : supprimez plutôt le dossier.", code="last")
    person_id = person.pk
    person.delete()
    audit_write(
        user=user,
        action=Action.DELETE,
        target_type="person",
        target_id=person_id,
        reason=f"ménage {person.household.reference}",
        request=request,
        channel=channel,
    )
    search_index_invalidate()


@transaction.atomic
def person_link_set(
    *,
    user: Any,
    from_person: Person,
    to_person: Person,
    kind: str | None,
    request: HttpRequest | None = None,
    channel: str = "web",
) -> PersonLink | None:
    """``from_person`` is ``kind`` of ``to_person`` (replacing any previous link); ``None`` removes it."""
    _require_edit(user, from_person.household)
    if from_person.household_id != to_person.household_id or from_person.pk == to_person.pk:
        raise ValidationError("Un lien relie deux personnes différentes du même ménage.", code="link_people")
    existing = PersonLink.objects.filter(from_person=from_person, to_person=to_person)
    link: PersonLink | None = None
    if kind is None:
        changed = existing.delete()[0] > 0
        action = Action.DELETE
    else:
        existing.exclude(kind=kind).delete()
        link, changed = PersonLink.objects.get_or_create(from_person=from_person, to_person=to_person, kind=kind)
        link.full_clean()
        action = Action.UPDATE
    if changed:
        audit_write(
            user=user,
            action=action,
            target_type="person_link",
            target_id=f"{from_person.pk}-{to_person.pk}",
            fields=["kind"],
            request=request,
            channel=channel,
        )
    return link


# --- Resources, charges, consents ----------------------------------------------------------------


@transaction.atomic
def resource_set(
    *,
    user: Any,
    household: Household,
    kind: str,
    month: dt.date,
    amount: Decimal,
    person: Person | None = None,
    request: HttpRequest | None = None,
    channel: str = "web",
) -> Resource:
    """Record (or correct) the net amount of one resource for one month (stored on the 1st)."""
    _require_follow(user, household)
    if person is not None and person.household_id != household.pk:
        raise ValidationError("Cette personne n'appartient pas au ménage.", code="person_household")
    if amount < 0:
        raise ValidationError("Le montant ne peut pas être négatif.", code="negative")
    month = month.replace(day=1)
    resource = Resource.objects.filter(household=household, person=person, kind=kind, month=month).first()
    action = Action.UPDATE if resource else Action.CREATE
    if resource is None:
        resource = Resource(household=household, person=person, kind=kind, month=month, amount=amount)
    resource.amount = amount
    resource.full_clean()
    resource.save()
    audit_write(
        user=user,
        action=action,
        target_type="resource",
        target_id=resource.pk,
        fields=["amount"] if action == Action.UPDATE else ["kind", "month", "amount", "person"],
        reason=f"ménage {household.reference}",
        request=request,
        channel=channel,
    )
    return resource


def _social_item_delete(
    *, user: Any, item: Resource | Charge, target_type: str, request: HttpRequest | None, channel: str
) -> None:
    """Delete a resource or a charge of the household's social situation, audited."""
    _require_follow(user, item.household)
    item_id = item.pk
    item.delete()
    audit_write(
        user=user,
        action=Action.DELETE,
        target_type=target_type,
        target_id=item_id,
        reason=f"ménage {item.household.reference}",
        request=request,
        channel=channel,
    )


@transaction.atomic
def resource_delete(*, user: Any, resource: Resource, request: HttpRequest | None = None, channel: str = "web") -> None:
    _social_item_delete(user=user, item=resource, target_type="resource", request=request, channel=channel)


@transaction.atomic
def charge_set(
    *,
    user: Any,
    household: Household,
    kind: str,
    amount: Decimal,
    label: str = "",
    charge: Charge | None = None,
    request: HttpRequest | None = None,
    channel: str = "web",
) -> Charge:
    """Add a monthly charge, or change ``charge``."""
    _require_follow(user, household)
    if charge is not None and charge.household_id != household.pk:
        raise ValidationError("Cette charge n'appartient pas au ménage.", code="charge_household")
    if amount < 0:
        raise ValidationError("Le montant ne peut pas être négatif.", code="negative")
    target = charge or Charge(household=household)
    changed = _apply(target, {"kind": kind, "amount": amount, "label": label}, ("kind", "amount", "label"))
    target.full_clean()
    target.save()
    audit_write(
        user=user,
        action=Action.UPDATE if charge else Action.CREATE,
        target_type="charge",
        target_id=target.pk,
        fields=changed,
        reason=f"ménage {household.reference}",
        request=request,
        channel=channel,
    )
    return target


@transaction.atomic
def charge_delete(*, user: Any, charge: Charge, request: HttpRequest | None = None, channel: str = "web") -> None:
    _social_item_delete(user=user, item=charge, target_type="charge", request=request, channel=channel)


@transaction.atomic
def consent_record(
    *,
    user: Any,
    household: Household,
    scope: str,
    given_at: dt.datetime | None = None,
    request: HttpRequest | None = None,
    channel: str = "web",
) -> Consent:
    """Record a consent given by the household (collected at the desk: HOUSEHOLD_EDIT)."""
    _require_edit(user, household)
    consent = Consent(household=household, scope=scope, given_at=given_at or timezone.now(), recorded_by=user)
    consent.full_clean()
    consent.save()
    audit_write(
        user=user,
        action=Action.CREATE,
        target_type="consent",
        target_id=consent.pk,
        fields=["scope", "given_at"],
        reason=f"ménage {household.reference}",
        request=request,
        channel=channel,
    )
    return consent


@transaction.atomic
def consent_withdraw(
    *, user: Any, consent: Consent, request: HttpRequest | None = None, channel: str = "web"
) -> Consent:
    _require_edit(user, consent.household)
    if consent.withdrawn_at is not None:
        raise ValidationError("Ce consentement a déjà été retiré.", code="already_withdrawn")
    consent.withdrawn_at = timezone.now()
    consent.save(update_fields=["withdrawn_at"])
    audit_write(
        user=user,
        action=Action.UPDATE,
        target_type="consent",
        target_id=consent.pk,
        fields=["withdrawn_at"],
        reason=f"ménage {consent.household.reference}",
        request=request,
        channel=channel,
    )
    return consent


# --- Merging two files ------------------------------------------------------------------------------


# Deleted with the merged file: temporary accesses to it mean nothing for the kept one, and its stored
# timeline is rebuilt from the records that moved.
MERGE_DROPPED = frozenset({BreakGlassGrant, TimelineState, TimelineEntry})


def check_nothing_left(merged: Household | Person, *, dropped: frozenset[type] = frozenset()) -> None:
    """Refuse a merge when records of any app still point to ``merged`` (an app without a merge hook,
    other than the ``dropped`` models): deleting it would delete them or lose their link."""
    left = []
    for relation in type(merged)._meta.related_objects:
        model = relation.related_model
        if not relation.one_to_many or model in dropped:
            continue
        if model._default_manager.filter(**{relation.field.name: merged}).exists():  # type: ignore[union-attr]
            left.append(str(model._meta.verbose_name_plural))  # type: ignore[union-attr]
    if left:
        raise ValidationError(
            "La fusion ne sait pas encore transférer : "
            + ", ".join(sorted(left))
            + ". Rien n'a été modifié ; signalez-le à l'administrateur.",
            code="merge_incomplete",
        )


MERGE_WITH_PEOPLE_REFUSED: Final = (
    "Ce dossier contient des personnes : seuls les responsables peuvent le fusionner. Un dossier sans "
    "personne (demande faite en ligne) peut être rattaché par l'accueil et les travailleurs sociaux."
)


def may_merge(user: Any, source: Household) -> bool:
    """Whether ``user`` may merge ``source`` into another file (see ``household_merge``)."""
    if user.has_perm(Perm.HOUSEHOLD_MERGE.full):
        return True
    return bool(user.has_perm(Perm.HOUSEHOLD_EDIT.full)) and not Person.objects.filter(household=source).exists()


@transaction.atomic
def household_merge(
    *, user: Any, source: Household, target: Household, request: HttpRequest | None = None, channel: str = "web"
) -> dict[str, int]:
    """Move everything of ``source`` into ``target``, then delete ``source``; what moved, by kind.

    Responsables merge any two files. Those who edit households may attach a file without any person
    (what a request made online creates: contact details and the request) to the household's file.
    Other apps move their own records through the hooks of ``households.merge``."""
    if not may_merge(user, source):
        check_perm(user, Perm.HOUSEHOLD_EDIT, "Seuls les responsables peuvent fusionner des dossiers.")
        raise PermissionDenied(MERGE_WITH_PEOPLE_REFUSED)
    if source.pk == target.pk:
        raise ValidationError("Choisissez deux dossiers différents.", code="same_household")
    check_household_access(user, source)
    check_household_access(user, target)
    source = Household.objects.select_for_update().get(pk=source.pk)
    target = Household.objects.select_for_update().get(pk=target.pk)
    people = Person.objects.filter(household=source)
    if Person.objects.filter(household=target, household_role=HouseholdRole.APPLICANT).exists():
        people.filter(household_role=HouseholdRole.APPLICANT).update(household_role=HouseholdRole.OTHER)
    moved = {
        "people": people.update(household=target),
        "resources": Resource.objects.filter(household=source).update(household=target),
        "charges": Charge.objects.filter(household=source).update(household=target),
        "consents": Consent.objects.filter(household=source).update(household=target),
    }
    target.referents.add(*source.referents.all())
    for name, hook in merge_hooks().items():
        moved[name] = hook(source, target)
    check_nothing_left(source, dropped=MERGE_DROPPED)
    timeline_changed([target.pk])  # records came in bulk, without their signals
    if source.is_confidential and not target.is_confidential:
        target.is_confidential = True
        target.save(update_fields=["is_confidential", "updated_at"])
    reason = f"fusion du dossier {source.reference} dans {target.reference}"
    audit_write(
        user=user,
        action=Action.UPDATE,
        target_type="household",
        target_id=target.pk,
        fields=[name for name, count in moved.items() if count],
        reason=reason,
        request=request,
        channel=channel,
    )
    audit_write(
        user=user,
        action=Action.DELETE,
        target_type="household",
        target_id=source.pk,
        reason=reason,
        request=request,
        channel=channel,
    )
    source.delete()
    search_index_invalidate()
    return moved
