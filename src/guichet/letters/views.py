"""Pages of the letters: write one from a household, download it, edit the templates."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from guichet.accounts.access import require_perm
from guichet.accounts.enums import Perm
from guichet.audit.enums import Action
from guichet.audit.services import audit_record
from guichet.households.perms import BreakGlassRequired, get_household_for_user
from guichet.letters.downloads import pdf_response
from guichet.letters.forms import LetterForm, LetterTemplateForm
from guichet.letters.models import LetterTemplate
from guichet.letters.referral_mail import referral_send_by_email
from guichet.letters.rendering import VARIABLES, LetterTemplateError, render_text
from guichet.letters.services import letter_download, letter_generate, letter_preview

SAMPLE_VALUES = {name: f"[{label}]" for name, label in VARIABLES.items()}
INITIAL_PARAMS = {"type": "kind", "demande": "request", "orientation": "referral", "rendez_vous": "appointment"}


@require_perm(Perm.HOUSEHOLD_VIEW)
@require_http_methods(["GET", "POST"])
def letter_new_view(request: HttpRequest, household_id: int) -> HttpResponse:
    try:
        household = get_household_for_user(request.user, household_id)
    except BreakGlassRequired:
        return redirect("households:break_glass", pk=household_id)
    # Links from an appointment or a request page preselect the letter (``?type=…&rendez_vous=…``).
    initial = {name: request.GET[key] for key, name in INITIAL_PARAMS.items() if request.GET.get(key)}
    form = LetterForm(request.POST or None, household=household, user=request.user, initial=initial)
    preview = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        request_id, referral_id, appointment_id = (
            data[field].pk if data[field] else None for field in ("request", "referral", "appointment")
        )
        links = {"request_id": request_id, "referral_id": referral_id, "appointment_id": appointment_id}
        try:
            if "generer" in request.POST:
                letter_generate(
                    user=request.user, household_id=household.pk, kind=data["kind"], http_request=request,
                    request_id=request_id, referral_id=referral_id, appointment_id=appointment_id,
                )  # fmt: skip
                messages.success(request, "Le courrier a été généré et classé dans le dossier.")
                return redirect("households:detail", pk=household.pk)
            preview = letter_preview(user=request.user, household=household, kind=data["kind"], **links)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        except LetterTemplateError as error:
            form.add_error(None, str(error))
    return render(request, "letters/new.html", {"household": household, "form": form, "preview": preview})


@require_perm(Perm.HOUSEHOLD_VIEW)
def letter_download_view(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        letter = letter_download(user=request.user, letter_id=pk, http_request=request)
    except BreakGlassRequired as required:
        return redirect("households:break_glass", pk=required.household.pk)
    return pdf_response(letter)


@require_perm(Perm.HOUSEHOLD_VIEW, Perm.HOUSEHOLD_FOLLOW)
@require_http_methods(["POST"])
def referral_email_view(request: HttpRequest, referral_id: int) -> HttpResponse:
    """« Envoyer par courriel au partenaire » from the referral page; back to that page either way."""
    try:
        letter = referral_send_by_email(user=request.user, referral_id=referral_id, http_request=request)
    except BreakGlassRequired as required:
        return redirect("households:break_glass", pk=required.household.pk)
    except ValidationError as error:  # ReferralMailError, or no active referral template
        for text in error.messages:
            messages.error(request, text)
    except LetterTemplateError as error:
        messages.error(request, f"Le modèle du courrier d'orientation est invalide : {error}")
    else:
        recipient = letter.referral.partner.email if letter.referral else ""
        messages.success(
            request, f"Le courrier d'orientation a été envoyé par courriel à {recipient} et classé dans le dossier."
        )
    return redirect("desk:referral", pk=referral_id)


@require_perm(Perm.SETTINGS_MANAGE)
def template_list_view(request: HttpRequest) -> HttpResponse:
    return render(request, "letters/templates.html", {"templates": LetterTemplate.objects.all()})


@require_perm(Perm.SETTINGS_MANAGE)
@require_http_methods(["GET", "POST"])
def template_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    template = get_object_or_404(LetterTemplate, pk=pk)
    form = LetterTemplateForm(request.POST or None, instance=template)
    preview = None
    if request.method == "POST" and form.is_valid():
        if "enregistrer" in request.POST:
            form.save()
            audit_record(
                actor=request.user, action=Action.UPDATE, target_type="letter_template", target_id=template.pk,
                fields=form.changed_data, request=request, channel="web",
            )  # fmt: skip
            messages.success(request, "Le modèle a été enregistré.")
            return redirect("letters:templates")
        data = form.cleaned_data
        preview = (render_text(data["title"], SAMPLE_VALUES), render_text(data["body"], SAMPLE_VALUES))
    context = {"template": template, "form": form, "preview": preview, "variables": VARIABLES}
    return render(request, "letters/template_edit.html", context)
