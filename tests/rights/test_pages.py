import pytest
from django.test import Client
from django.urls import reverse

from guichet.rights import services
from guichet.rights.models import RightsAssessment
from tests.factories import HouseholdFactory
from tests.rights.factories import made_up_assessment, single_parent_file

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_page_answers_at_once_with_a_placeholder_that_runs_the_assessment(social, fake_assess) -> None:  # type: ignore[no-untyped-def]
    row = single_parent_file()
    response = _client(social).get(reverse("rights:household", args=[row.pk]), {"mois": "2026-11"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'hx-trigger="load, submit"' in html
    assert f'hx-post="{reverse("rights:run", args=[row.pk])}"' in html
    assert 'name="mois" value="2026-11"' in html
    assert "Calcul en cours" in html
    assert "Aucun bilan enregistré" in html
    assert fake_assess == []


def test_htmx_run_returns_the_table_with_received_beside_possible(social, fake_assess) -> None:  # type: ignore[no-untyped-def]
    row = single_parent_file()
    response = _client(social).post(reverse("rights:run", args=[row.pk]), {"mois": "2026-11"}, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assessment = RightsAssessment.objects.get()
    assert f'href="{reverse("rights:assessment", args=[assessment.pk])}"' in html
    history = html[html.index('id="historique"') :]
    assert 'hx-swap-oob="true"' in history[:100]
    assert reverse("rights:assessment", args=[assessment.pk]) in history
    pension = html[html.index("Allocation aux adultes handicapés (AAH)</th>") :][:400]
    assert "Non éligible" in pension and "0,00" not in pension
    rsa = html[html.index("Revenu de solidarité active (RSA)</th>") :][:700]
    assert "À demander" in rsa and "412,30 €" in rsa
    housing = html[html.index("Aide au logement (APL, ALF ou ALS)</th>") :][:700]
    assert "Déjà perçu" in housing and "250,00 €" in housing and "+1,00 €" in housing
    assert "Barèmes à vérifier" not in html  # the CSS, whose ceiling is stale, is not eligible here
    assert '412,30 €</span> <span class="figure-label">par mois probablement non perçus' in html
    que_faire = html[html.index("<h3>Que faire</h3>") : html.index("Détail des aides")]
    assert "Revenu de solidarité active" in que_faire and "Aide au logement" not in que_faire


def test_run_without_htmx_redirects_to_the_stored_assessment_and_history_lists_it(social, fake_assess) -> None:  # type: ignore[no-untyped-def]
    row = single_parent_file()
    client = _client(social)
    response = client.post(reverse("rights:run", args=[row.pk]), {"mois": "2026-11"})
    assessment = RightsAssessment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("rights:assessment", args=[assessment.pk])
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Rejouer ce bilan" in page.content.decode()
    history = client.get(reverse("rights:household", args=[row.pk])).content.decode()
    assert reverse("rights:assessment", args=[assessment.pk]) in history
    assert "0.0.test" in history


def test_incomplete_household_says_what_to_fix(social, fake_assess) -> None:  # type: ignore[no-untyped-def]
    row = HouseholdFactory()
    response = _client(social).post(reverse("rights:run", args=[row.pk]), {"mois": "2026-11"}, **HTMX)
    assert response.status_code == 200
    assert "exactement un demandeur" in response.content.decode()
    assert not RightsAssessment.objects.exists()


def test_replay_shows_differences(social, fake_assess, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    row = single_parent_file()
    client = _client(social)
    client.post(reverse("rights:run", args=[row.pk]), {"mois": "2026-11"})
    assessment = RightsAssessment.objects.get()
    monkeypatch.setattr(services, "assess", lambda h, m: made_up_assessment(h, m, rsa="420.00", aide_logement="251.00"))
    response = client.post(reverse("rights:replay", args=[assessment.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "éligible, 412.30 €" in html and "éligible, 420.00 €" in html
    assert RightsAssessment.objects.count() == 1


def test_front_desk_and_direction_are_refused(accueil, direction) -> None:  # type: ignore[no-untyped-def]
    row = single_parent_file()
    for user in (accueil, direction):
        client = _client(user)
        assert client.get(reverse("rights:household", args=[row.pk])).status_code == 403
        assert client.post(reverse("rights:run", args=[row.pk])).status_code == 403


def test_confidential_household_goes_to_break_the_glass(social, fake_assess) -> None:  # type: ignore[no-untyped-def]
    row = single_parent_file(is_confidential=True)
    response = _client(social).post(reverse("rights:run", args=[row.pk]), **HTMX)
    assert response["HX-Redirect"] == reverse("households:break_glass", kwargs={"pk": row.pk})


def test_stale_parameters_of_an_eligible_benefit_are_shown_plainly(social, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(services, "assess", lambda h, m: made_up_assessment(h, m, css_gratuite="0"))
    row = single_parent_file()
    html = _client(social).post(reverse("rights:run", args=[row.pk]), {"mois": "2026-11"}, **HTMX).content.decode()
    callout = html[html.index("Barèmes à vérifier") :][:400]
    assert "barème non mis à jour depuis le 01/04/2025" in callout
