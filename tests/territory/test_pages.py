"""The Quartiers page (aggregates and an inline SVG map) and the street table screens."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from guichet.accounts.models import User
from guichet.audit.enums import Action
from guichet.audit.models import AuditEntry
from guichet.territory.models import Quartier, StreetQuartier
from guichet.territory.services import quartiers_seed_illustrative
from tests.factories import AddressFactory, HouseholdFactory, PersonFactory
from tests.territory.factories import StreetQuartierFactory

pytestmark = pytest.mark.django_db


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_quartiers_page_shows_illustrative_map_and_counts_but_no_name(direction: User) -> None:
    quartiers_seed_illustrative()
    chateau = Quartier.objects.get(name="Château Blanc")
    household = HouseholdFactory(address=AddressFactory(quartier=chateau))
    PersonFactory(household=household, first_name="Zéphyrine", last_name="Quasimodo")
    PersonFactory(household=household, first_name="Barnabé", last_name="Quasimodo")
    response = logged_in(direction).get(reverse("territory:quartiers"))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("Contours illustratifs") >= 3  # notice, map text and caption
    assert "<svg" in html and "<script" not in html.split("<main", 1)[1] and not re.search(r'\sstyle="', html)
    assert len(re.findall(r'<path d="M', html)) >= 12  # the outline and one path per neighbourhood
    assert "Quasimodo" not in html and "Zéphyrine" not in html and household.reference not in html
    row = re.search(r"Château Blanc.*?</tr>", html.split("<table", 1)[1], re.S)
    assert row is not None
    assert "QPV" in row.group(0)
    assert re.findall(r'<td class="number">(\d+)</td>', row.group(0)) == ["1", "2"]


def test_quartiers_page_without_illustrative_boundaries_says_nothing_of_them(accueil: User) -> None:
    Quartier.objects.create(name="Réel", slug="reel", boundary=None)
    html = logged_in(accueil).get(reverse("territory:quartiers")).content.decode()
    assert "Contours illustratifs" not in html and "sans contour" in html


def test_svg_numbers_are_not_localised(social: User) -> None:
    quartiers_seed_illustrative()
    html = logged_in(social).get(reverse("territory:quartiers")).content.decode()
    view_box = re.search(r'viewBox="([^"]+)"', html)
    assert view_box is not None and "," not in view_box.group(1)


def test_street_screen_lists_adds_and_rejects_duplicates(admin_user: User) -> None:
    quartiers_seed_illustrative()
    chateau = Quartier.objects.get(name="Château Blanc")
    client = logged_in(admin_user)
    response = client.post(reverse("territory:streets"), {"street_name": "Rue du Madrillet", "quartier": chateau.pk})
    assert response.status_code == 302
    street = StreetQuartier.objects.get()
    assert (street.street_key, street.quartier) == ("rue du madrillet", chateau)
    assert AuditEntry.objects.filter(action=Action.CREATE, target_type="voie", target_id=str(street.pk)).exists()
    again = client.post(reverse("territory:streets"), {"street_name": "rue du MADRILLET", "quartier": chateau.pk})
    assert again.status_code == 400
    assert "déjà rattachée au quartier Château Blanc" in again.content.decode()
    assert 'value="rue du MADRILLET"' in again.content.decode()  # nothing typed is lost
    listing = client.get(reverse("territory:streets"), {"q": "madrillet"}).content.decode()
    assert "Rue du Madrillet" in listing


def test_street_edit_and_delete_are_audited(responsable: User) -> None:
    street = StreetQuartierFactory(street_name="rue Gambetta")
    other = Quartier.objects.create(name="Cateliers", slug="cateliers")
    client = logged_in(responsable)
    url = reverse("territory:street_edit", args=[street.pk])
    assert client.post(url, {"street_name": "Rue Léon-Gambetta", "quartier": other.pk}).status_code == 302
    street.refresh_from_db()
    assert (street.street_key, street.quartier) == ("rue leon gambetta", other)
    entry = AuditEntry.objects.get(action=Action.UPDATE, target_type="voie")
    assert entry.fields == ["quartier", "street_name"]
    delete_url = reverse("territory:street_delete", args=[street.pk])
    assert "Supprimer" in client.get(delete_url).content.decode()
    assert client.post(delete_url).status_code == 302
    assert not StreetQuartier.objects.exists()
    assert AuditEntry.objects.filter(action=Action.DELETE, target_type="voie").exists()


def test_street_csv_import_all_or_nothing(admin_user: User) -> None:
    quartiers_seed_illustrative()
    client = logged_in(admin_user)
    url = reverse("territory:streets_import")
    bad = SimpleUploadedFile("voies.csv", b"voie;quartier\nrue A;Cateliers\nrue B;Atlantide\n")
    response = client.post(url, {"file": bad})
    assert response.status_code == 400
    assert "voies.csv, ligne 3 : quartier « Atlantide » inconnu" in response.content.decode()
    assert not StreetQuartier.objects.exists()
    good = SimpleUploadedFile("voies.csv", b"voie,quartier\nrue A,Cateliers\nav. B,chateau-blanc\n")
    assert client.post(url, {"file": good}).status_code == 302
    assert dict(StreetQuartier.objects.values_list("street_key", "quartier__name")) == {
        "rue a": "Cateliers",
        "avenue b": "Château Blanc",
    }


@pytest.mark.parametrize("name", ["accueil", "social", "direction", "outsider"])
def test_street_screens_need_territory_manage(persona: type, name: str) -> None:
    street = StreetQuartierFactory()
    client = logged_in(persona(name))
    for url in (reverse("territory:streets"), reverse("territory:street_delete", args=[street.pk])):
        assert client.get(url).status_code == 403
    assert client.post(reverse("territory:street_delete", args=[street.pk])).status_code == 403
    assert StreetQuartier.objects.exists()
