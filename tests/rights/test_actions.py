"""« Que faire » → action: a request or a referral from one line of a stored assessment, pre-filled
from the benefit, linked back to the assessment, through the desk services (history, audit)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from guichet.audit.models import AuditEntry
from guichet.desk.enums import Channel, PartnerKind, RequestStatus, SharedData, Theme
from guichet.desk.models import Partner, Referral, Request, RequestEvent
from guichet.desk.services import DeskError
from guichet.rights import services
from guichet.rights.actions import (
    ActionError,
    action_proposal,
    action_referral_create,
    action_request_create,
    matching_partners,
    summary_with_link,
)
from guichet.rights.models import RightsAssessment
from guichet.rights.presentation import assessment_view
from guichet.rules.money import NBSP
from tests.desk.factories import PartnerFactory
from tests.rights.factories import MONTH, made_up_assessment, single_parent_file

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def stored(social: Any, monkeypatch: pytest.MonkeyPatch) -> RightsAssessment:
    """A stored assessment of the single mother: RSA to claim (CAF), ASPA (no Carsat in the
    directory), CSS free (CPAM, in kind); the AAH is not eligible."""

    def assess(household, month):  # type: ignore[no-untyped-def]
        return made_up_assessment(household, month, rsa="412.30", aspa="300.00", css_gratuite="0")

    monkeypatch.setattr(services, "assess", assess)
    monkeypatch.setattr(services, "openfisca_france_version", lambda: "0.0.test")
    Partner.objects.all().delete()  # the directory of these tests, not the seeded one
    PartnerFactory(organisation="CAF de la Seine-Maritime", kind=PartnerKind.CAF, themes=["acces_droits"])
    PartnerFactory(organisation="CPAM Rouen-Elbeuf-Dieppe", kind=PartnerKind.CPAM, themes=["sante"])
    PartnerFactory(organisation="Département de la Seine-Maritime", service="UTAS", kind=PartnerKind.DEPARTMENT)
    PartnerFactory(organisation="Les Restos du Cœur")
    return services.assessment_run(user=social, household_id=single_parent_file().pk, month=MONTH)


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _url(assessment: RightsAssessment, benefit: str) -> str:
    return reverse("rights:action", args=[assessment.pk, benefit])


def test_proposal_is_prefilled_from_the_line(social: Any, stored: RightsAssessment) -> None:
    rsa = action_proposal(user=social, assessment_id=stored.pk, benefit_key="rsa")
    assert rsa.theme == Theme.RIGHTS
    assert rsa.summary == "Demande de RSA à accompagner"
    assert rsa.link.replace(NBSP, " ") == f"bilan de droits n° {stored.pk} du 11/2026, RSA : 412,30 € par mois estimés"
    assert rsa.partner is not None and rsa.partner.organisation == "CAF de la Seine-Maritime"
    assert rsa.existing == ()
    css = action_proposal(user=social, assessment_id=stored.pk, benefit_key="css_gratuite")
    assert css.theme == Theme.HEALTH and css.partner is not None and css.partner.kind == PartnerKind.CPAM
    assert css.link.endswith("complémentaire santé solidaire : droit probable")
    aspa = action_proposal(user=social, assessment_id=stored.pk, benefit_key="aspa")
    assert aspa.summary == "Demande d'ASPA à accompagner"
    assert aspa.partner is None and aspa.candidates == ()  # no Carsat in the directory: the agent chooses
    assert len(aspa.partners) == 4
    entry = AuditEntry.objects.filter(target_type="rights_assessment", target_id=str(stored.pk)).last()
    assert entry is not None and entry.actor == social and "ASPA" in entry.reason


def test_a_line_not_to_do_is_refused(social: Any, stored: RightsAssessment) -> None:
    with pytest.raises(ActionError):
        action_proposal(user=social, assessment_id=stored.pk, benefit_key="aah")
    assert _client(social).get(_url(stored, "aah"), {"type": "demande"}).status_code == 404
    assert _client(social).get(_url(stored, "inconnue"), {"type": "demande"}).status_code == 404


def test_partner_matching_prefers_names_and_leaves_a_tie_to_the_agent(stored: RightsAssessment) -> None:
    rows = {row.result.key: row for row in assessment_view(stored).rows}
    department = Partner.objects.get(kind=PartnerKind.DEPARTMENT)
    mdph = PartnerFactory(organisation="MDPH de Seine-Maritime", kind=PartnerKind.DEPARTMENT)
    assert matching_partners(rows["aah"], [department, mdph]) == [mdph]
    assert matching_partners(rows["aah"], [department]) == [department]
    carsat = PartnerFactory(organisation="Carsat Normandie", kind=PartnerKind.STATE)
    assert matching_partners(rows["aspa"], Partner.objects.all()) == [carsat]
    second = PartnerFactory(organisation="Caf — antenne du Madrillet", kind=PartnerKind.CAF)
    assert len(matching_partners(rows["rsa"], Partner.objects.all())) == 2
    assert second in matching_partners(rows["rsa"], Partner.objects.all())


def test_request_from_a_line(social: Any, stored: RightsAssessment) -> None:
    created = action_request_create(
        user=social,
        assessment_id=stored.pk,
        benefit_key="rsa",
        theme=Theme.RIGHTS,
        summary="Demande de RSA à accompagner",
    )
    assert created.household_id == stored.household_id
    assert created.summary.replace(NBSP, " ") == (
        f"Demande de RSA à accompagner (bilan de droits n° {stored.pk} du 11/2026, RSA : 412,30 € par mois estimés)"
    )
    assert (created.theme, created.channel, created.status) == (Theme.RIGHTS, Channel.DESK, RequestStatus.NEW)
    assert created.assigned_to == social and created.created_by == social
    assert RequestEvent.objects.filter(request=created, kind=RequestEvent.Kind.CREATED).exists()
    entries = AuditEntry.objects.filter(actor=social)
    assert entries.filter(action="create", target_type="request", target_id=str(created.pk)).exists()
    linked = entries.filter(target_type="rights_assessment", target_id=str(stored.pk), reason__contains="créée")
    assert linked.count() == 1 and f"demande n° {created.pk}" in linked.get().reason
    again = action_proposal(user=social, assessment_id=stored.pk, benefit_key="rsa")
    assert again.existing == (created,)


def test_the_link_survives_any_summary() -> None:
    link = "bilan de droits n° 7 du 11/2026, RSA : 412,30 € par mois estimés"
    assert summary_with_link("  Voir   le RSA. ", link) == f"Voir le RSA ({link})"
    assert summary_with_link(f"RSA — {link}", link) == f"RSA — {link}"
    with pytest.raises(ActionError):
        summary_with_link("   ", link)
    with pytest.raises(ActionError, match="trop long"):
        summary_with_link("x" * 450, link)


def test_referral_from_a_line(responsable: Any, stored: RightsAssessment) -> None:
    caf = Partner.objects.get(kind=PartnerKind.CAF)
    referral = action_referral_create(
        user=responsable,
        assessment_id=stored.pk,
        benefit_key="rsa",
        theme=Theme.RIGHTS,
        summary="Dossier RSA à transmettre",
        partner=caf,
        shared_data=[SharedData.IDENTITY, SharedData.RESOURCES],
        comment="Pièces réunies.",
    )
    demand = referral.request
    assert referral.partner == caf and referral.shared_data == ["identite", "ressources"]
    assert demand.status == RequestStatus.REFERRED and demand.household_id == stored.household_id
    assert f"bilan de droits n° {stored.pk}" in demand.summary
    assert AuditEntry.objects.filter(action="create", target_type="referral", target_id=str(referral.pk)).exists()
    assert AuditEntry.objects.filter(target_type="rights_assessment", reason__contains="orientée vers CAF").exists()


def test_a_refused_referral_creates_nothing(social: Any, stored: RightsAssessment) -> None:
    for partner, shared in (
        (Partner.objects.get(kind=PartnerKind.CAF), []),
        (PartnerFactory(is_active=False), [SharedData.IDENTITY]),
    ):
        with pytest.raises(DeskError):
            action_referral_create(
                user=social,
                assessment_id=stored.pk,
                benefit_key="rsa",
                theme=Theme.RIGHTS,
                summary="RSA",
                partner=partner,
                shared_data=shared,
            )
    assert not Request.objects.exists() and not Referral.objects.exists()


@pytest.mark.parametrize("name", ["accueil", "direction", "admin", "outsider"])
def test_other_personas_are_refused(name: str, persona: Any, stored: RightsAssessment) -> None:
    user = persona(name)
    client = _client(user)
    assert client.get(_url(stored, "rsa"), {"type": "demande"}).status_code == 403
    response = client.post(_url(stored, "rsa"), {"type": "demande", "theme": "acces_droits", "summary": "RSA"})
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        action_request_create(user=user, assessment_id=stored.pk, benefit_key="rsa", theme="acces_droits", summary="x")
    assert not Request.objects.exists()


def test_anonymous_goes_to_the_login_page(stored: RightsAssessment) -> None:
    response = Client().get(_url(stored, "rsa"), {"type": "demande"})
    assert response.status_code == 302 and "/comptes/connexion/" in response["Location"]


def test_assessment_page_offers_both_actions_on_each_line(responsable: Any, stored: RightsAssessment) -> None:
    html = _client(responsable).get(reverse("rights:assessment", args=[stored.pk])).content.decode()
    que_faire = html[html.index("<h3>Que faire</h3>") : html.index("Détail des aides")]
    for key in ("rsa", "aspa", "css_gratuite"):
        assert f'id="action-{stored.pk}-{key}"' in que_faire
        assert f'hx-get="{_url(stored, key)}?type=demande"' in que_faire
        assert f'hx-get="{_url(stored, key)}?type=orientation"' in que_faire
    assert f"action-{stored.pk}-aah" not in que_faire


def test_htmx_request_form_then_confirmation(social: Any, stored: RightsAssessment) -> None:
    client = _client(social)
    form = client.get(_url(stored, "rsa"), {"type": "demande"}, **HTMX).content.decode()
    assert "<html" not in form
    assert 'value="Demande de RSA à accompagner"' in form
    assert '<option value="acces_droits" selected>' in form
    assert f"bilan de droits n° {stored.pk} du 11/2026" in form
    assert f'id="id_{stored.pk}_rsa_summary"' in form  # ids unique when several lines are open
    response = client.post(
        _url(stored, "rsa"),
        {"type": "demande", "theme": "acces_droits", "summary": "RSA : dossier à monter", "urgency": "prioritaire"},
        **HTMX,
    )
    created = Request.objects.get()
    html = response.content.decode()
    assert response.status_code == 200 and f"Demande n° {created.pk} créée." in html
    assert reverse("desk:detail", args=[created.pk]) in html
    assert created.urgency == "prioritaire" and created.assigned_to is None  # « me la confier » unticked
    again = client.get(_url(stored, "rsa"), {"type": "demande"}, **HTMX).content.decode()
    assert "Déjà créée depuis ce bilan" in again and f"demande n° {created.pk}" in again
    buttons = client.get(_url(stored, "rsa"), **HTMX).content.decode()  # « annuler »
    assert "Orienter vers un partenaire" in buttons and "<form" not in buttons


def test_invalid_form_comes_back_with_the_data(social: Any, stored: RightsAssessment) -> None:
    response = _client(social).post(
        _url(stored, "rsa"), {"type": "orientation", "theme": "acces_droits", "summary": "Mon objet"}, **HTMX
    )
    html = response.content.decode()
    assert response.status_code == 200 and 'value="Mon objet"' in html
    assert "Le formulaire n'a pas été enregistré" in html
    assert not Request.objects.exists()


def test_referral_page_without_htmx(social: Any, stored: RightsAssessment) -> None:
    client = _client(social)
    caf = Partner.objects.get(kind=PartnerKind.CAF)
    page = client.get(_url(stored, "rsa"), {"type": "orientation"}).content.decode()
    assert "<h1>Orienter vers un partenaire : Revenu de solidarité active (RSA)</h1>" in page
    assert f'<option value="{caf.pk}" selected>' in page
    assert "Partenaire proposé pour cette aide" in page
    aspa = client.get(_url(stored, "aspa"), {"type": "orientation"}).content.decode()
    assert "Aucun partenaire de l'annuaire ne correspond" in aspa
    partner_select = re.search(r'<select name="partner".*?</select>', aspa, re.S)
    assert partner_select is not None and "selected" not in partner_select.group().replace('value="" selected', "")
    response = client.post(
        _url(stored, "rsa"),
        {
            "type": "orientation",
            "theme": "acces_droits",
            "summary": "Demande de RSA à accompagner",
            "partner": str(caf.pk),
            "shared_data": ["identite", "coordonnees"],
            "comment": "Merci",
        },
    )
    referral = Referral.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("desk:detail", args=[referral.request_id])
    assert referral.partner == caf and referral.request.status == RequestStatus.REFERRED


def test_confidential_household_needs_the_glass_broken(
    social: Any, responsable: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services, "assess", lambda household, month: made_up_assessment(household, month, rsa="1"))
    monkeypatch.setattr(services, "openfisca_france_version", lambda: "0.0.test")
    row = single_parent_file(is_confidential=True)
    stored = services.assessment_run(user=responsable, household_id=row.pk, month=dt.date(2026, 11, 1))
    client = _client(social)
    target = reverse("households:break_glass", kwargs={"pk": row.pk})
    assert client.get(_url(stored, "rsa"), {"type": "demande"})["Location"] == target
    assert client.get(_url(stored, "rsa"), {"type": "demande"}, **HTMX)["HX-Redirect"] == target
