import datetime as dt
from decimal import Decimal
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse

from guichet.audit.models import AuditEntry
from guichet.rights.scenarios import SMIC_NET_MONTHLY, Scenario, ScenarioError, apply_scenario
from guichet.rules import household as rules
from tests.rights.factories import MONTH, single_parent_file

APPLICANT = rules.Person(
    id="1",
    role="demandeur",
    birth_date=dt.date(1990, 1, 1),
    occupation="demandeur_emploi",
    resources={"chomage": {dt.date(2026, 10, 1): Decimal("800")}, "pension_alimentaire": {MONTH: Decimal("100")}},
)
SPOUSE = rules.Person(id="2", role="conjoint", birth_date=dt.date(1991, 1, 1))
COUPLE = rules.Household(id="h", people=(APPLICANT, SPOUSE), rent=Decimal("500"))


def test_job_replaces_unemployment_by_a_steady_salary() -> None:
    after = apply_scenario(COUPLE, Scenario("emploi"), MONTH)
    applicant = after.people[0]
    assert applicant.occupation == "salarie"
    assert applicant.resources == {"salaire": {MONTH: SMIC_NET_MONTHLY}, "pension_alimentaire": {MONTH: Decimal("100")}}
    assert after.people[1] == SPOUSE


def test_separation_birth_and_move() -> None:
    assert apply_scenario(COUPLE, Scenario("separation"), MONTH).people == (APPLICANT,)
    with pytest.raises(ScenarioError, match="pas de conjoint"):
        apply_scenario(rules.Household(id="h", people=(APPLICANT,)), Scenario("separation"), MONTH)
    born = apply_scenario(COUPLE, Scenario("naissance"), MONTH).children
    assert [(p.role, p.birth_date) for p in born] == [("enfant", MONTH)]
    moved = apply_scenario(
        COUPLE, Scenario("demenagement", rent=Decimal("650"), housing_status="locataire_social"), MONTH
    )
    assert (moved.rent, moved.housing_status) == (Decimal("650"), "locataire_social")
    assert apply_scenario(COUPLE, Scenario("demenagement"), MONTH).rent == Decimal("500")


@pytest.mark.django_db
def test_what_if_page_shows_both_side_by_side_in_one_simulation(social, fake_assess_chunk) -> None:  # type: ignore[no-untyped-def]
    row = single_parent_file()
    client = Client()
    client.force_login(social)
    page = client.get(reverse("rights:household", args=[row.pk])).content.decode()
    assert f'hx-post="{reverse("rights:scenario", args=[row.pk])}"' in page
    response = client.post(
        reverse("rights:scenario", args=[row.pk]),
        {"kind": "emploi", "salary": "1500.00", "mois": "2026-11"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert len(fake_assess_chunk) == 1 and len(fake_assess_chunk[0]) == 2  # type: ignore[arg-type]
    rsa = html[html.index("Revenu de solidarité active (RSA)</th>") :][:600]
    # the fake takes a tenth of the salaries recorded: 2 × 900 now (RSA 232.30), 1,500 after (RSA 262.30)
    assert "232,30 €" in rsa and "262,30 €" in rsa and "+30,00 €" in rsa
    assert AuditEntry.objects.filter(reason__startswith="simulation « et si »").count() == 1


@pytest.mark.django_db
def test_what_if_errors_are_shown_in_the_form(social, accueil, fake_assess_chunk) -> None:  # type: ignore[no-untyped-def]
    row = single_parent_file()
    client = Client()
    client.force_login(social)
    html = client.post(reverse("rights:scenario", args=[row.pk]), {"kind": "separation"}).content.decode()
    assert "la séparation ne s'applique pas" in unescape(html)
    assert "<h1>Et si… : simulation d" in html
    assert fake_assess_chunk == []
    client.force_login(accueil)
    assert client.post(reverse("rights:scenario", args=[row.pk]), {"kind": "emploi"}).status_code == 403
