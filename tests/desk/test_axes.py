"""The theme taxonomy: axes of the projet social and cross-cutting concerns in the forms, the queue filters,
the exports and the statistics page."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from guichet.audit.enums import Action
from guichet.audit.models import AuditEntry
from guichet.desk.enums import THEMES, Axis, Concern, RequestStatus, Theme, themes_of_axis, themes_with_concern
from guichet.desk.forms import THEME_CHOICES_BY_AXIS, QueueFilterForm, RequestEditForm, RequestForm
from guichet.desk.selectors import request_stats
from guichet.households.models import Person
from tests.desk.factories import RequestFactory
from tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db


# --- the taxonomy itself --------------------------------------------------------------------------------------


@pytest.mark.parametrize("theme", list(Theme))
def test_every_theme_has_an_axis_and_valid_distinct_concerns(theme: Theme) -> None:
    info = THEMES[theme]
    assert isinstance(info.axis, Axis) and info.axis in Axis
    assert info.concerns, f"{theme} has no cross-cutting concern"
    assert all(isinstance(concern, Concern) and concern in Concern for concern in info.concerns)
    assert len(set(info.concerns)) == len(info.concerns)
    assert info.target_days >= 1


def test_every_axis_and_every_concern_is_reached_by_a_theme() -> None:
    assert set(THEMES) == set(Theme)
    assert {info.axis for info in THEMES.values()} == set(Axis)
    assert {concern for info in THEMES.values() for concern in info.concerns} == set(Concern)


def test_themes_of_axis_and_with_concern() -> None:
    assert themes_of_axis(Axis.HOUSING_MOBILITY) == [Theme.HOUSING_ACCESS, Theme.RENT_ARREARS, Theme.MOBILITY]
    assert themes_with_concern(Concern.SENIORS) == [Theme.ISOLATION, Theme.SENIOR_SUPPORT, Theme.MOBILITY]
    assert themes_of_axis("inconnu") == [] and themes_with_concern("inconnue") == []


# --- forms: the theme select grouped by axis --------------------------------------------------------------------


def test_theme_choices_are_grouped_by_axis_in_the_order_of_the_themes() -> None:
    assert [label for label, _ in THEME_CHOICES_BY_AXIS] == list(Axis.labels)
    flat = [value for _, options in THEME_CHOICES_BY_AXIS for value, _ in options]
    # Same order as before the grouping: typing the start of a theme picks the same option.
    assert flat == list(Theme.values)


def test_intake_and_correction_forms_render_optgroups_and_accept_a_theme() -> None:
    people = Person.objects.none()
    for form in (RequestForm(agents=[], people=people), RequestEditForm(people=people)):
        html = str(form["theme"])
        assert html.count("<optgroup") == 4
        assert '<optgroup label="Logement et mobilité">' in html
        housing = html.split('<optgroup label="Logement et mobilité">')[1].split("</optgroup>")[0]
        assert re.findall(r'value="([^"]+)"', housing) == ["acces_logement", "impayes_loyer", "mobilite"]
    data = {"theme": Theme.RENT_ARREARS, "channel": "accueil", "urgency": "normale", "summary": "Loyer"}
    assert RequestEditForm(data, people=people).is_valid()
    assert not RequestEditForm({**data, "theme": "logement_mobilite"}, people=people).is_valid()


def test_intake_and_correction_pages_show_the_groups(client, accueil) -> None:
    demand = RequestFactory(theme=Theme.MOBILITY)
    client.force_login(accueil)
    new = client.get(reverse("desk:new"), {"menage": demand.household_id}).content.decode()
    edit = client.get(reverse("desk:edit", args=[demand.pk])).content.decode()
    for html in (new, edit):
        assert '<optgroup label="Liens sociaux">' in html
        assert '<optgroup label="Environnement et cadre de vie">' in html
    assert '<option value="mobilite" selected>' in edit


def test_queue_filter_form_offers_axes_and_concerns() -> None:
    form = QueueFilterForm({"axe": "inconnu"}, quartiers=[], agents=[])
    assert not form.is_valid() and "axe" in form.errors
    form = QueueFilterForm({"axe": Axis.SOCIAL_TIES, "preoccupation": Concern.FOOD}, quartiers=[], agents=[])
    assert form.is_valid()
    assert (form.cleaned_data["axe"], form.cleaned_data["preoccupation"]) == ("liens_sociaux", "alimentation")


# --- queue filters ----------------------------------------------------------------------------------------------


@pytest.fixture
def one_request_per_theme() -> dict[Theme, int]:
    return {theme: RequestFactory(theme=theme).pk for theme in Theme}


def _ids(response) -> set[int]:
    assert response.status_code == 200
    return {row.request.pk for row in response.context["rows"]}


@pytest.mark.parametrize("axis", list(Axis))
def test_filter_by_axis_returns_exactly_the_requests_of_its_themes(client, accueil, one_request_per_theme, axis):
    client.force_login(accueil)
    response = client.get(reverse("desk:queue"), {"file": "toutes", "axe": axis.value})
    expected = {pk for theme, pk in one_request_per_theme.items() if THEMES[theme].axis == axis}
    assert _ids(response) == expected and expected


def test_filter_by_concern_and_combined_with_axis(client, accueil, one_request_per_theme) -> None:
    client.force_login(accueil)
    url = reverse("desk:queue")
    seniors = _ids(client.get(url, {"file": "toutes", "preoccupation": Concern.SENIORS}))
    assert seniors == {one_request_per_theme[t] for t in (Theme.ISOLATION, Theme.SENIOR_SUPPORT, Theme.MOBILITY)}
    budget_housing = _ids(
        client.get(url, {"file": "toutes", "axe": Axis.HOUSING_MOBILITY, "preoccupation": Concern.BUDGET})
    )
    assert budget_housing == {one_request_per_theme[Theme.RENT_ARREARS]}
    # An axis and a theme of another axis: nothing, not an error.
    assert _ids(client.get(url, {"file": "toutes", "axe": Axis.SOCIAL_TIES, "theme": Theme.FOOD_AID})) == set()


def test_queue_page_shows_the_filters_and_the_axis_of_each_request(client, accueil) -> None:
    RequestFactory(theme=Theme.ENERGY)
    client.force_login(accueil)
    html = client.get(reverse("desk:queue"), {"file": "toutes"}).content.decode()
    assert 'name="axe"' in html and 'name="preoccupation"' in html
    assert "Préoccupation transversale" in html and "Environnement et cadre de vie</span>" in html


# --- exports ----------------------------------------------------------------------------------------------------


def test_csv_export_has_the_axis_and_concern_columns_and_the_axis_filter(client, social) -> None:
    rent = RequestFactory(theme=Theme.RENT_ARREARS)
    RequestFactory(theme=Theme.FOOD_AID)
    client.force_login(social)
    response = client.get(reverse("desk:export_csv"), {"file": "toutes", "axe": Axis.HOUSING_MOBILITY})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][-2:] == ["Axe du projet social", "Préoccupations transversales"]
    assert len(rows) == 2 and rows[1][0] == str(rent.pk)
    assert rows[1][3] == "Impayés de loyer, prévention des expulsions"
    assert rows[1][-2:] == ["Logement et mobilité", "Budget"]
    entry = AuditEntry.objects.get(action=Action.EXPORT)
    assert "1 demande(s)" in entry.reason and "axe logement_mobilite" in entry.reason


def test_xlsx_export_has_the_axis_and_concern_columns(client, responsable) -> None:
    RequestFactory(theme=Theme.SENIOR_SUPPORT)
    client.force_login(responsable)
    response = client.get(reverse("desk:export_xlsx"), {"file": "toutes"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][-2:] == ("Axe du projet social", "Préoccupations transversales")
    assert rows[1][-2:] == ("Liens sociaux", "Seniors, Handicap, Santé")


# --- statistics -------------------------------------------------------------------------------------------------


@pytest.fixture
def some_requests() -> None:
    household = HouseholdFactory()
    RequestFactory(household=household, theme=Theme.FOOD_AID)
    RequestFactory(household=household, theme=Theme.FOOD_AID, closed=True)
    RequestFactory(household=household, theme=Theme.RENT_ARREARS, status=RequestStatus.IN_PROGRESS)
    RequestFactory(household=household, theme=Theme.ISOLATION)


def test_request_stats_counts_by_axis_and_by_concern(some_requests) -> None:
    stats = request_stats()
    assert stats.total == 4
    by_axis = {line.label: line for line in stats.by_axis}
    assert [line.label for line in stats.by_axis] == list(Axis.labels)
    assert {label: line.total for label, line in by_axis.items()} == {
        "Liens sociaux": 1,
        "Logement et mobilité": 1,
        "Besoins socio-économiques": 2,
        "Environnement et cadre de vie": 0,
    }
    assert by_axis["Besoins socio-économiques"].by_outcome == {
        "Nouvelle": 1,
        "En cours": 0,
        "Orientée": 0,
        "En attente du ménage": 0,
        "Clôturée": 1,
    }
    by_concern = {line.label: line.total for line in stats.by_concern}
    assert by_concern == {
        "Budget": 3,
        "Alimentation": 2,
        "Santé": 1,
        "Seniors": 1,
        "Handicap": 0,
        "Violences faites aux femmes": 0,
        "Emploi et formation": 0,
        "Énergie et eau": 0,
        "Numérique": 0,
        "Aide administrative": 0,
    }
    assert [line.label for line in stats.by_concern][:4] == ["Budget", "Alimentation", "Santé", "Seniors"]


def test_statistics_page_shows_the_request_counts(client, social, direction, some_requests) -> None:
    for user in (social, direction):
        client.force_login(user)
        response = client.get(reverse("desk:referral_stats"))
        assert response.status_code == 200
        html = response.content.decode()
        assert "4 demandes enregistrées" in html
        axis = html.split('id="titre-axe"')[1].split("</section>")[0]
        assert "<svg" in axis and "Demandes par axe du projet social, par statut" in axis
        row = re.search(r'<th scope="row">Besoins socio-économiques</th>(.*?)</tr>', axis)
        assert row is not None
        assert re.findall(r'<td class="number">(\d+)</td>', row.group(1)) == ["2", "1", "0", "0", "0", "1"]
        concern = html.split('id="titre-preoccupation"')[1].split("</section>")[0]
        row = re.search(r'<th scope="row">Budget</th><td class="number">(\d+)</td>', concern)
        assert row is not None and row.group(1) == "3"
        assert "<svg" in concern


def test_statistics_page_without_requests_and_refused_to_accueil(client, social, accueil) -> None:
    client.force_login(social)
    html = client.get(reverse("desk:referral_stats")).content.decode()
    assert "Aucune demande enregistrée." in html and "Aucune demande." in html
    client.force_login(accueil)
    assert client.get(reverse("desk:referral_stats")).status_code == 403
