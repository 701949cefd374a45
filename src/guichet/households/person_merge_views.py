"""Pages to merge two records of one person in a household (responsables): the likely duplicates
(a fragment of the household page), the choice of the two records, the comparison with one choice
per differing field, the confirmation, then back to the household."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from guichet.accounts.access import require_perm
from guichet.accounts.enums import Perm
from guichet.households.models import Household, Person
from guichet.households.person_merge import (
    FieldDifference,
    IncomeConflict,
    household_duplicate_people,
    income_conflicts,
    person_differences,
    person_merge,
)
from guichet.households.views import with_household

KEEP, DROP = "garder", "retirer"
INCOME_PREFIX = "revenu_"


class PersonPairForm(forms.Form):
    """Which record stays and which one is merged into it (both from the household)."""

    garder = forms.ModelChoiceField(queryset=Person.objects.none(), label="Personne gardée")
    retirer = forms.ModelChoiceField(
        queryset=Person.objects.none(),
        label="Personne en double",
        help_text="Cette fiche sera supprimée après le transfert de tout ce qui lui est rattaché.",
    )

    def __init__(self, *args: Any, household: Household, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = household.people.order_by("pk")
        for name in (KEEP, DROP):
            self.fields[name].queryset = people  # type: ignore[attr-defined]
            self.fields[name].label_from_instance = _person_label  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any] | None:
        data = super().clean()
        if data and data.get(KEEP) is not None and data.get(KEEP) == data.get(DROP):
            raise ValidationError("Choisissez deux personnes différentes.")
        return data


def _person_label(person: Person) -> str:
    return f"{person.first_name} {person.last_name}, né(e) le {person.birth_date:%d/%m/%Y} (fiche n° {person.pk})"


class MergeChoicesForm(forms.Form):
    """One radio per field where the two records differ (and per year where both declare an income)."""

    def __init__(
        self, *args: Any, differences: list[FieldDifference], conflicts: list[IncomeConflict], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        for difference in differences:
            self.fields[difference.name] = _choice(difference.label, difference.keep_display, difference.drop_display)
        for conflict in conflicts:
            self.fields[f"{INCOME_PREFIX}{conflict.year}"] = _choice(
                f"Revenus déclarés {conflict.year}", f"{conflict.keep_amount} €", f"{conflict.drop_amount} €"
            )

    def fields_from_drop(self) -> list[str]:
        return [
            name for name, value in self.cleaned_data.items() if value == DROP and not name.startswith(INCOME_PREFIX)
        ]

    def income_years_from_drop(self) -> list[int]:
        return [
            int(name.removeprefix(INCOME_PREFIX))
            for name, value in self.cleaned_data.items()
            if value == DROP and name.startswith(INCOME_PREFIX)
        ]

    def chosen(self) -> list[tuple[str, str]]:
        """(label, kept value) for every choice, for the confirmation page."""
        result = []
        for name, field in self.fields.items():
            labels = dict(field.choices)  # type: ignore[attr-defined]
            result.append((str(field.label), str(labels[self.cleaned_data[name]])))
        return result


def _choice(label: str, keep_value: str, drop_value: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=[(KEEP, f"{keep_value} (personne gardée)"), (DROP, f"{drop_value} (personne en double)")],
        widget=forms.RadioSelect,
        initial=KEEP,
    )


@require_perm(Perm.HOUSEHOLD_VIEW, Perm.HOUSEHOLD_MERGE)
@with_household
def person_duplicates_view(request: HttpRequest, household: Household) -> HttpResponse:
    """The likely duplicates of the household, as a block of its page (loaded by htmx)."""
    if not request.htmx:  # type: ignore[attr-defined]
        return redirect("households:person_merge", pk=household.pk)
    pairs = household_duplicate_people(request.user, household)
    return render(request, "households/_person_duplicates.html", {"household": household, "pairs": pairs})


@require_perm(Perm.HOUSEHOLD_VIEW, Perm.HOUSEHOLD_MERGE)
@with_household
def person_merge_view(request: HttpRequest, household: Household) -> HttpResponse:
    """Choose the two records (GET ``garder`` and ``retirer``), compare and choose the values (POST),
    confirm (POST ``confirmer``)."""
    data = request.POST if request.method == "POST" else request.GET
    pair_form = PersonPairForm(data if KEEP in data else None, household=household)
    if not (pair_form.is_bound and pair_form.is_valid()):
        pairs = household_duplicate_people(request.user, household)
        return render(
            request, "households/person_merge.html", {"household": household, "form": pair_form, "pairs": pairs}
        )
    keep: Person = pair_form.cleaned_data[KEEP]
    drop: Person = pair_form.cleaned_data[DROP]
    differences = person_differences(keep, drop)
    conflicts = income_conflicts(keep, drop)
    choices = MergeChoicesForm(
        request.POST if request.method == "POST" else None, differences=differences, conflicts=conflicts
    )
    context: dict[str, Any] = {
        "household": household,
        "keep": keep,
        "drop": drop,
        "form": choices,
        "differences": differences,
        "counts": _counts(drop),
    }
    if not (choices.is_bound and choices.is_valid()):
        return render(request, "households/person_merge_compare.html", context)
    if request.POST.get("confirmer") != "1":
        return render(request, "households/person_merge_confirm.html", {**context, "chosen": choices.chosen()})
    try:
        moved = person_merge(
            user=request.user,
            keep=keep,
            drop=drop,
            fields_from_drop=choices.fields_from_drop(),
            income_years_from_drop=choices.income_years_from_drop(),
            request=request,
        )
    except ValidationError as error:
        context["error"] = " ".join(error.messages)
        return render(request, "households/person_merge_confirm.html", {**context, "chosen": choices.chosen()})
    keep.refresh_from_db()
    count = sum(n for kind, n in moved.items() if not kind.endswith("_deleted"))
    messages.success(
        request,
        f"Les deux fiches ont été fusionnées en une seule : {keep.first_name} {keep.last_name} "
        f"({count} élément{'s' if count > 1 else ''} transféré{'s' if count > 1 else ''}).",
    )
    return redirect("households:detail", pk=household.pk)


def _counts(person: Person) -> dict[str, int]:
    """What is attached to the record in double within the household file (other apps' records are
    moved too, by their hooks)."""
    return {
        "resources": person.resources.count(),
        "taxable_incomes": person.taxable_incomes.count(),
        "links": person.links_from.count() + person.links_to.count(),
    }
