"""Merging two records of one person in the same household (entered twice, or met again after two
files were merged): likely duplicates within a household, the fields where the two records differ,
and ``person_merge``, which keeps one record and moves everything linked to the other onto it.

Other apps move their own rows through the person hooks of ``households.merge``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any, Final

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils.text import capfirst

from guichet.accounts.enums import Perm
from guichet.audit.enums import Action
from guichet.households.duplicates import find_duplicates
from guichet.households.merge import person_merge_hooks
from guichet.households.models import Household, Person, PersonLink, Resource, TaxableIncome
from guichet.households.perms import check_household_access
from guichet.households.search import search_index_invalidate
from guichet.households.services import PERSON_FIELDS, audit_write, check_nothing_left, check_perm, sync_search_name

# The fields a responsable chooses between, in the order of the comparison page.
MERGE_FIELDS: Final = PERSON_FIELDS


@dataclass(frozen=True)
class DuplicatePair:
    """Two people of one household who are probably the same person (``keep`` is the older record)."""

    keep: Person
    drop: Person
    same_birth_date: bool


@dataclass(frozen=True)
class FieldDifference:
    name: str
    label: str
    keep_display: str
    drop_display: str


@dataclass(frozen=True)
class IncomeConflict:
    """Both records declare a taxable income for ``year``: only one can stay (one per person and year)."""

    year: int
    keep_amount: Any
    drop_amount: Any


def household_duplicate_people(user: Any, household: Household) -> list[DuplicatePair]:
    """Likely duplicates among the people of ``household`` (close name, same birth year), found with
    the same search as the duplicate check at intake; same birth date first."""
    people = {person.pk: person for person in household.people.all()}
    pairs: dict[tuple[int, int], DuplicatePair] = {}
    for person in people.values():
        candidates = find_duplicates(
            user,
            first_name=person.first_name,
            last_name=person.last_name,
            birth_name=person.birth_name,
            birth_date=person.birth_date,
            exclude_person_id=person.pk,
            household_id=household.pk,
        )
        for candidate in candidates:
            other = people.get(candidate.person_id)
            if other is None:
                continue
            keep, drop = sorted((person, other), key=lambda p: p.pk)
            pairs.setdefault((keep.pk, drop.pk), DuplicatePair(keep, drop, keep.birth_date == drop.birth_date))
    return sorted(pairs.values(), key=lambda pair: (not pair.same_birth_date, pair.keep.pk, pair.drop.pk))


def _display(person: Person, name: str) -> str:
    value = getattr(person, name)
    field = Person._meta.get_field(name)
    if getattr(field, "choices", None):
        return str(getattr(person, f"get_{name}_display")()) or "—"
    if isinstance(value, bool):
        return "Oui" if value else "Non"
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if value is None or value == "":
        return "—"
    return str(value)


def person_differences(keep: Person, drop: Person) -> list[FieldDifference]:
    """The fields where the two records differ, with both values as shown to the user."""
    return [
        FieldDifference(
            name=name,
            label=capfirst(str(Person._meta.get_field(name).verbose_name)),  # type: ignore[union-attr]
            keep_display=_display(keep, name),
            drop_display=_display(drop, name),
        )
        for name in MERGE_FIELDS
        if getattr(keep, name) != getattr(drop, name)
    ]


def income_conflicts(keep: Person, drop: Person) -> list[IncomeConflict]:
    """Years where both records have a taxable income with different amounts."""
    kept = dict(keep.taxable_incomes.values_list("year", "amount"))
    return [
        IncomeConflict(year, kept[year], amount)
        for year, amount in drop.taxable_incomes.order_by("year").values_list("year", "amount")
        if year in kept and kept[year] != amount
    ]


def _check_pair(keep: Person, drop: Person) -> None:
    if keep.pk == drop.pk:
        raise ValidationError("Choisissez deux personnes différentes.", code="same_person")
    if keep.household_id != drop.household_id:
        raise ValidationError(
            "Les deux personnes doivent faire partie du même ménage : fusionnez d'abord les deux dossiers.",
            code="different_households",
        )


def _replace(person_id: int, drop: Person, keep: Person) -> int:
    return keep.pk if person_id == drop.pk else person_id


def _move_links(keep: Person, drop: Person) -> tuple[int, int]:
    """Links of ``drop`` go to ``keep``, except a link between the two (it would link ``keep`` to
    itself) and a link ``keep`` already has with the same person in the same direction (one link per
    pair of people, as ``person_link_set`` keeps it): those are deleted. (moved, deleted)."""
    taken = set(
        PersonLink.objects.filter(Q(from_person=keep) | Q(to_person=keep)).values_list("from_person_id", "to_person_id")
    )
    moved = deleted = 0
    for link in PersonLink.objects.filter(Q(from_person=drop) | Q(to_person=drop)).order_by("pk"):
        pair = (_replace(link.from_person_id, drop, keep), _replace(link.to_person_id, drop, keep))
        if pair[0] == pair[1] or pair in taken:
            link.delete()
            deleted += 1
            continue
        link.from_person_id, link.to_person_id = pair
        link.save(update_fields=["from_person", "to_person"])
        taken.add(pair)
        moved += 1
    return moved, deleted


def _move_taxable_incomes(keep: Person, drop: Person, years_from_drop: Collection[int]) -> tuple[int, int, list[int]]:
    """One income per person and year: where both have one, ``keep``'s stays unless its year is in
    ``years_from_drop``. (moved, deleted, years where ``drop``'s income replaced ``keep``'s)."""
    common = set(keep.taxable_incomes.values_list("year", flat=True)) & set(
        drop.taxable_incomes.values_list("year", flat=True)
    )
    replaced = common & set(years_from_drop)
    deleted = TaxableIncome.objects.filter(person=keep, year__in=replaced).delete()[0]
    deleted += TaxableIncome.objects.filter(person=drop, year__in=common - replaced).delete()[0]
    return TaxableIncome.objects.filter(person=drop).update(person=keep), deleted, sorted(replaced)


@transaction.atomic
def person_merge(
    *,
    user: Any,
    keep: Person,
    drop: Person,
    fields_from_drop: Collection[str] = (),
    income_years_from_drop: Collection[int] = (),
    request: HttpRequest | None = None,
    channel: str = "web",
) -> dict[str, int]:
    """Keep ``keep``, take from ``drop`` the values of ``fields_from_drop`` (and its taxable income for
    ``income_years_from_drop`` where both declare one), move every record linked to ``drop`` onto
    ``keep``, then delete ``drop``. What moved (and what was deleted as a duplicate), by kind."""
    check_perm(user, Perm.HOUSEHOLD_MERGE, "Seuls les responsables peuvent fusionner des personnes.")
    _check_pair(keep, drop)
    unknown = set(fields_from_drop) - set(MERGE_FIELDS)
    if unknown:
        raise ValidationError(f"Champs non fusionnables : {', '.join(sorted(unknown))}.", code="unknown_fields")
    check_household_access(user, keep.household)
    locked = {p.pk: p for p in Person.objects.select_for_update().filter(pk__in=[keep.pk, drop.pk])}
    if len(locked) != 2:
        raise ValidationError("L'une des deux personnes n'existe plus.", code="person_gone")
    keep, drop = locked[keep.pk], locked[drop.pk]
    _check_pair(keep, drop)  # again: one of them may have moved in the meantime

    changed = [name for name in MERGE_FIELDS if name in fields_from_drop and getattr(keep, name) != getattr(drop, name)]
    for name in changed:
        setattr(keep, name, getattr(drop, name))
    links_moved, links_deleted = _move_links(keep, drop)
    incomes_moved, incomes_deleted, incomes_from_drop = _move_taxable_incomes(keep, drop, income_years_from_drop)
    moved = {
        "resources": Resource.objects.filter(person=drop).update(person=keep),
        "taxable_incomes": incomes_moved,
        "links": links_moved,
    }
    for name, hook in person_merge_hooks().items():
        moved[name] = hook(drop, keep)
    check_nothing_left(drop)  # an app without a person hook: refused, nothing changed
    sync_search_name(keep)
    keep.full_clean()
    keep.save()
    drop_id = drop.pk
    drop.delete()
    reason = f"fusion de la personne {drop_id} dans la personne {keep.pk} (ménage {keep.household.reference})"
    if changed:
        reason += f" ; valeurs reprises de la personne {drop_id} : {', '.join(changed)}"
    if incomes_from_drop:
        reason += " ; revenus déclarés repris pour " + ", ".join(map(str, incomes_from_drop))
    audit_write(
        user=user,
        action=Action.UPDATE,
        target_type="person",
        target_id=keep.pk,
        fields=[*changed, *(kind for kind, count in moved.items() if count)],
        reason=reason,
        request=request,
        channel=channel,
    )
    search_index_invalidate()
    return {**moved, "links_deleted": links_deleted, "taxable_incomes_deleted": incomes_deleted}
