"""One real OpenFisca-France run through the whole path: file → mapping → assessment → stored → page."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from guichet.rights.mapping import rules_household
from guichet.rights.results_json import results_from_json
from guichet.rights.scenarios import Scenario
from guichet.rights.services import assessment_run, scenario_compare
from guichet.rules.openfisca import assess, openfisca_france_version
from tests.rights.factories import single_parent_file

pytestmark = pytest.mark.django_db


def test_real_assessment_is_stored_replayable_and_shown(social, openfisca_month: dt.date) -> None:  # type: ignore[no-untyped-def]
    row = single_parent_file()
    stored = assessment_run(user=social, household_id=row.pk, month=openfisca_month)
    assert stored.openfisca_france_version == openfisca_france_version()
    results = {r.key: r for r in results_from_json(stored.results)}
    assert results == {r.key: r for r in assess(rules_household(row), openfisca_month).results}
    assert results["af"].eligible and results["af"].amount and results["af"].amount > 0  # two children
    client = Client()
    client.force_login(social)
    html = client.get(reverse("rights:assessment", args=[stored.pk])).content.decode()
    assert "Allocations familiales" in html and openfisca_france_version() in html
    replay = client.post(reverse("rights:replay", args=[stored.pk])).content.decode()
    assert "Le nouveau calcul donne les mêmes résultats" in replay


def test_real_what_if_birth(social, openfisca_month: dt.date) -> None:  # type: ignore[no-untyped-def]
    row = single_parent_file()
    comparison = scenario_compare(
        user=social, household_id=row.pk, month=openfisca_month, scenario=Scenario("naissance")
    )
    lines = {line.now.key: line for line in comparison.lines}
    assert lines["af"].then.amount is not None and lines["af"].now.amount is not None
    assert lines["af"].then.amount > lines["af"].now.amount  # a third child
