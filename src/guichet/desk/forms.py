"""Forms of the guichet unique (validation of input only; the writes are in services.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from functools import cache
from typing import Any

from django import forms
from django.forms.models import ModelChoiceIterator
from django.forms.renderers import BaseRenderer
from django.utils.safestring import SafeString, mark_safe
from markupsafe import escape

from guichet.desk.enums import (
    TRANSITIONS,
    Axis,
    Channel,
    Concern,
    PartnerKind,
    ReferralOutcome,
    RequestOutcome,
    RequestStatus,
    SharedData,
    Theme,
    Urgency,
    themes_of_axis,
)
from guichet.desk.models import PARTNER_FIELDS, Partner
from guichet.desk.selectors import QUEUES
from guichet.households.models import Person
from guichet.widgets import IsoDateInput

EMPTY = [("", "— Tous —")]

# Themes grouped by axis of the projet social (<optgroup>); THEMES lists them axis by axis in the order of
# ``Theme``, so typing the start of a theme in the select picks it as before.
THEME_CHOICES_BY_AXIS: list[tuple[str, list[tuple[str, str]]]] = [
    (axis.label, [(theme.value, theme.label) for theme in themes_of_axis(axis)]) for axis in Axis
]

# The agents of « Agent chargé »: a list, or a function that queries it (called only when the choices are
# needed: rendering, or checking a chosen agent; an intake left unassigned does not query them).
Agents = Iterable[tuple[int, str]] | Callable[[], Iterable[tuple[int, str]]]


def _assignment_choices(agents: Agents) -> Callable[[], list[tuple[int | str, str]]]:
    @cache  # once per form, however many times the field and its widget go through the choices
    def choices() -> list[tuple[int | str, str]]:
        return [("", "— Non attribuée —"), *(agents() if callable(agents) else agents)]

    return choices


def _html_attrs(attrs: dict[str, Any]) -> str:
    return "".join(
        f" {escape(name)}" if value is True else f' {escape(name)}="{escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


class OptionsSelect(forms.Select):
    """A ``<select>`` whose options are written here, in one pass: the same HTML as Django's
    ``select.html`` (Jinja2 renderer), which includes one template per option (and one more for its
    attributes), the larger part of the cost of a form of a few selects."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: BaseRenderer | None = None
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [f'<select name="{escape(widget["name"])}"{_html_attrs(widget["attrs"])}>']
        for group_name, options, _ in widget["optgroups"]:
            if group_name:
                parts.append(f'\n  <optgroup label="{escape(group_name)}">')
            parts += (
                f'\n  <option value="{escape(option["value"])}"{_html_attrs(option["attrs"])}>'
                f"{escape(option['label'])}</option>"
                for option in options
            )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped


class FetchedChoiceIterator(ModelChoiceIterator):
    """Django's iterator goes through ``queryset.iterator()``, which on PostgreSQL opens a server-side
    cursor (DECLARE, FETCH, CLOSE: three round trips) to spare memory on huge lists; the few people of a
    household are read with one plain query, kept by the queryset for a second pass."""

    def __iter__(self) -> Iterator[Any]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)


class PersonChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]  # generic only in the stubs
    iterator = FetchedChoiceIterator
    widget = OptionsSelect


class RequestForm(forms.Form):
    """Intake, in the order an agent fills it with the keyboard: theme, channel, urgency, summary, agent."""

    theme = forms.ChoiceField(
        label="Thème", choices=[("", "— Choisir —"), *THEME_CHOICES_BY_AXIS], widget=OptionsSelect
    )
    channel = forms.ChoiceField(label="Canal", choices=Channel.choices, initial=Channel.DESK, widget=OptionsSelect)
    urgency = forms.ChoiceField(label="Urgence", choices=Urgency.choices, initial=Urgency.NORMAL, widget=OptionsSelect)
    summary = forms.CharField(
        label="Objet de la demande", max_length=500, help_text="Une phrase ; Entrée enregistre la demande."
    )
    assigned_to = forms.TypedChoiceField(
        label="Agent chargé", coerce=int, required=False, empty_value=None, widget=OptionsSelect
    )
    person = PersonChoiceField(
        label="Personne concernée", queryset=Person.objects.none(), required=False, empty_label="— Le ménage —"
    )

    def __init__(self, *args: Any, agents: Agents, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["theme"].widget.attrs["autofocus"] = True
        self.fields["assigned_to"].choices = _assignment_choices(agents)  # type: ignore[attr-defined]
        self.fields["person"].queryset = people  # type: ignore[attr-defined]


class RequestEditForm(forms.Form):
    """Correction of the intake, same fields in the same order (Entrée in « Objet » saves)."""

    theme = forms.ChoiceField(label="Thème", choices=THEME_CHOICES_BY_AXIS, widget=OptionsSelect)
    channel = forms.ChoiceField(label="Canal", choices=Channel.choices, widget=OptionsSelect)
    urgency = forms.ChoiceField(label="Urgence", choices=Urgency.choices, widget=OptionsSelect)
    summary = forms.CharField(label="Objet de la demande", max_length=500)
    person = PersonChoiceField(
        label="Personne concernée", queryset=Person.objects.none(), required=False, empty_label="— Le ménage —"
    )
    comment = forms.CharField(
        label="Motif de la correction",
        required=False,
        max_length=2000,
        help_text="Facultatif ; figure dans l'historique.",
    )

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["theme"].widget.attrs["autofocus"] = True
        self.fields["person"].queryset = people  # type: ignore[attr-defined]


class QueueFilterForm(forms.Form):
    file = forms.ChoiceField(label="File", choices=list(QUEUES.items()), required=False)
    axe = forms.ChoiceField(label="Axe du projet social", choices=EMPTY + Axis.choices, required=False)
    theme = forms.ChoiceField(label="Thème", choices=[*EMPTY, *THEME_CHOICES_BY_AXIS], required=False)
    preoccupation = forms.ChoiceField(
        label="Préoccupation transversale", choices=[("", "— Toutes —"), *Concern.choices], required=False
    )
    quartier = forms.ChoiceField(label="Quartier", required=False)
    status = forms.ChoiceField(label="Statut", choices=EMPTY + RequestStatus.choices, required=False)
    agent = forms.TypedChoiceField(label="Agent", coerce=int, required=False, empty_value=None)

    def __init__(self, *args: Any, quartiers: list[tuple[str, str]], agents: list[tuple[int, str]], **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["quartier"].choices = EMPTY + quartiers  # type: ignore[attr-defined]
        self.fields["agent"].choices = EMPTY + agents  # type: ignore[attr-defined]


class StatusForm(forms.Form):
    """Closing has its own form (outcome required); offered choices are the valid next statuses."""

    to = forms.ChoiceField(
        label="Nouveau statut",
        choices=[c for c in RequestStatus.choices if c[0] != "cloturee"],
        widget=OptionsSelect,
    )
    comment = forms.CharField(label="Commentaire", required=False, max_length=2000)

    def __init__(self, *args: Any, current: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if current:
            allowed = TRANSITIONS[RequestStatus(current)] - {RequestStatus.CLOSED}
            self.fields["to"].choices = [c for c in RequestStatus.choices if c[0] in allowed]  # type: ignore[attr-defined]


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Issue", choices=[("", "— Choisir —"), *RequestOutcome.choices], widget=OptionsSelect
    )
    comment = forms.CharField(label="Commentaire", required=False, max_length=2000)


class AssignForm(forms.Form):
    assigned_to = forms.TypedChoiceField(
        label="Agent chargé", coerce=int, required=False, empty_value=None, widget=OptionsSelect
    )

    def __init__(self, *args: Any, agents: Agents, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].choices = _assignment_choices(agents)  # type: ignore[attr-defined]


class ReferralForm(forms.Form):
    partner = forms.ModelChoiceField(
        label="Partenaire ou service", queryset=Partner.objects.filter(is_active=True), empty_label="— Choisir —"
    )
    shared_data = forms.MultipleChoiceField(
        label="Données que le ménage accepte de partager",
        choices=SharedData.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Ne cochez que ce que le ménage a accepté, après l'en avoir informé.",
    )
    sent_on = forms.DateField(label="Envoyée le", widget=IsoDateInput())
    comment = forms.CharField(label="Commentaire", required=False, max_length=2000)


class ReferralAnswerForm(forms.Form):
    acknowledged_on = forms.DateField(label="Accusé de réception le", required=False, widget=IsoDateInput())
    answer = forms.CharField(label="Réponse du partenaire", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    answered_on = forms.DateField(label="Réponse reçue le", required=False, widget=IsoDateInput())
    outcome = forms.ChoiceField(label="Issue", choices=ReferralOutcome.choices)


class PartnerFilterForm(forms.Form):
    q = forms.CharField(label="Nom ou territoire", required=False)
    kind = forms.ChoiceField(label="Type", choices=EMPTY + PartnerKind.choices, required=False)
    theme = forms.ChoiceField(label="Thème", choices=EMPTY + Theme.choices, required=False)


class PartnerForm(forms.ModelForm):  # type: ignore[type-arg]  # ModelForm is generic only in the stubs
    themes = forms.MultipleChoiceField(
        label="Thèmes", choices=Theme.choices, widget=forms.CheckboxSelectMultiple, required=False
    )

    class Meta:
        model = Partner
        fields = list(PARTNER_FIELDS)
