"""« Que faire » → action: the pre-filled confirmation form of one line of a stored assessment (htmx
in the line itself, or a page of its own), and its submission to the desk services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from guichet.accounts.access import require_perm
from guichet.accounts.enums import Perm
from guichet.desk.enums import SharedData, Theme, Urgency
from guichet.desk.services import DeskError
from guichet.households.perms import BreakGlassRequired
from guichet.rights.actions import (
    DEFAULT_SHARED,
    KINDS,
    REFERRAL,
    SUMMARY_MAX_LENGTH,
    ActionError,
    ActionProposal,
    action_proposal,
    action_referral_create,
    action_request_create,
)

SUMMARY_HELP = "La référence du bilan est ajoutée à la fin de l'objet."


class ActionRequestForm(forms.Form):
    theme = forms.ChoiceField(label="Thème", choices=Theme.choices)
    summary = forms.CharField(label="Objet de la demande", max_length=SUMMARY_MAX_LENGTH - 150, help_text=SUMMARY_HELP)
    urgency = forms.ChoiceField(label="Urgence", choices=Urgency.choices, initial=Urgency.NORMAL)
    assign_to_me = forms.BooleanField(label="Me confier la demande", required=False, initial=True)

    def __init__(self, proposal: ActionProposal, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"id_{proposal.assessment.pk}_{proposal.row.result.key}_%s")
        kwargs.setdefault("initial", {"theme": proposal.theme, "summary": proposal.summary})
        super().__init__(*args, **kwargs)


class ActionReferralForm(forms.Form):
    theme = forms.ChoiceField(label="Thème", choices=Theme.choices)
    summary = forms.CharField(label="Objet de la demande", max_length=SUMMARY_MAX_LENGTH - 150, help_text=SUMMARY_HELP)
    partner = forms.TypedChoiceField(label="Partenaire", coerce=int, empty_value=None)
    shared_data = forms.MultipleChoiceField(
        label="Données que le ménage accepte de partager",
        choices=SharedData.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Ne cochez que ce que le ménage a accepté, après l'en avoir informé.",
    )
    comment = forms.CharField(
        label="Commentaire pour le partenaire",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, proposal: ActionProposal, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"id_{proposal.assessment.pk}_{proposal.row.result.key}_%s")
        kwargs.setdefault(
            "initial",
            {
                "theme": proposal.theme,
                "summary": proposal.summary,
                "partner": proposal.partner.pk if proposal.partner else "",
                "shared_data": list(DEFAULT_SHARED),
                "comment": proposal.comment,
            },
        )
        super().__init__(*args, **kwargs)
        matching = [(p.pk, str(p)) for p in proposal.candidates]
        others = [(p.pk, str(p)) for p in proposal.partners if p not in proposal.candidates]
        choices: list[Any] = [("", "— Choisir —")]
        if matching:
            choices.append(("Partenaires pour cette aide", matching))
        choices.append(("Autres partenaires" if matching else "Annuaire des partenaires", others))
        self.fields["partner"].choices = choices  # type: ignore[attr-defined]
        self.partners = {p.pk: p for p in proposal.partners}


def _form(kind: str, proposal: ActionProposal, data: Any) -> ActionRequestForm | ActionReferralForm:
    return (ActionReferralForm if kind == REFERRAL else ActionRequestForm)(proposal, data)


def _create(request: HttpRequest, kind: str, proposal: ActionProposal, form: forms.Form) -> tuple[int, str]:
    """Create what the form asks; the new request's id and what to tell the agent."""
    data = form.cleaned_data
    common = {
        "user": request.user,
        "assessment_id": proposal.assessment.pk,
        "benefit_key": proposal.row.result.key,
        "theme": data["theme"],
        "summary": data["summary"],
        "request": request,
    }
    if kind == REFERRAL:
        partner = form.partners[data["partner"]]  # type: ignore[attr-defined]
        referral = action_referral_create(
            **common, partner=partner, shared_data=data["shared_data"], comment=data["comment"]
        )
        return referral.request_id, f"Demande n° {referral.request_id} créée et orientée vers {partner}."
    created = action_request_create(**common, urgency=data["urgency"], assign_to_me=data["assign_to_me"])
    return created.pk, f"Demande n° {created.pk} créée."


@require_perm(Perm.HOUSEHOLD_FOLLOW, Perm.HOUSEHOLD_EDIT)
def action_view(request: HttpRequest, assessment_id: int, benefit: str) -> HttpResponse:
    """GET ``?type=demande|orientation``: the pre-filled form; without a type, the line's buttons
    (htmx « annuler »). POST: create, then the confirmation in the line (htmx) or the request page."""
    is_htmx = request.headers.get("HX-Request") == "true"
    try:
        proposal = action_proposal(user=request.user, assessment_id=assessment_id, benefit_key=benefit, request=request)
    except BreakGlassRequired as required:
        target = reverse("households:break_glass", kwargs={"pk": required.household.pk})
        return HttpResponse(headers={"HX-Redirect": target}) if is_htmx else redirect(target)
    except ActionError as error:
        raise Http404(error.message) from error
    context: dict[str, Any] = {"proposal": proposal, "a": proposal.assessment, "row": proposal.row}
    kind = (request.POST if request.method == "POST" else request.GET).get("type", "")
    if kind not in KINDS:
        if is_htmx:
            return render(request, "rights/_action_buttons.html", context)
        return redirect("rights:assessment", assessment_id=assessment_id)
    form = _form(kind, proposal, request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            request_id, message = _create(request, kind, proposal, form)
        except (ActionError, DeskError) as error:
            form.add_error(None, error)
        else:
            if is_htmx:
                context.update(request_id=request_id, message=message)
                return render(request, "rights/_action_done.html", context)
            messages.success(request, message)
            return redirect("desk:detail", pk=request_id)
    context.update(form=form, kind=kind, kind_label=KINDS[kind])
    return render(request, "rights/_action_form.html" if is_htmx else "rights/action.html", context)
