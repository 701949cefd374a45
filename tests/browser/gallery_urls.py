"""A page showing every shared component (tests only), so axe checks their contrast and markup."""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.template import RequestContext, Template
from django.urls import path

from guichet.accounts.access import public_view
from guichet.config.urls import urlpatterns as real_urlpatterns

GALLERY_TEMPLATE = Path(__file__).parent / "templates" / "gallery.html"


class SampleForm(forms.Form):
    last_name = forms.CharField(label="Nom", help_text="Tel qu'il figure sur la pièce d'identité.")
    housing = forms.ChoiceField(
        label="Logement", choices=[("social", "Locataire social"), ("prive", "Locataire privé")]
    )
    notes = forms.CharField(label="Observations", widget=forms.Textarea, required=False)
    consent = forms.BooleanField(label="Consentement au partage recueilli", required=False)


@public_view
def gallery(request: HttpRequest) -> HttpResponse:
    form = SampleForm(data={"last_name": "", "housing": "social"})
    form.is_valid()
    for level, text in (
        (messages.SUCCESS, "Le ménage a été enregistré."),
        (messages.INFO, "Trois demandes sont en attente."),
        (messages.WARNING, "Le quotient familial date de plus d'un an."),
        (messages.ERROR, "Le document n'a pas pu être lu."),
    ):
        messages.add_message(request, level, text)
    template = Template(GALLERY_TEMPLATE.read_text(encoding="utf-8"))
    return HttpResponse(template.render(RequestContext(request, {"form": form})))


urlpatterns = [path("test-composants/", gallery, name="gallery"), *real_urlpatterns]
