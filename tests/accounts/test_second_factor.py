"""TOTP second factor: enrolment, verification, backup codes, and its enforcement by the middleware."""

from __future__ import annotations

import html
from base64 import b32encode
from urllib.parse import quote

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from guichet.accounts.models import User
from guichet.audit.enums import Action
from guichet.audit.models import AuditEntry
from tests.accounts.factories import TOTPDeviceFactory, current_code

SETUP_URL = reverse("accounts:otp_setup")
VERIFY_URL = reverse("accounts:otp_verify")
HOME_URL = reverse("core:home")


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
@override_settings(GUICHET_REQUIRE_2FA=True)
@pytest.mark.parametrize("name", ["responsable", "admin"])
def test_roles_that_need_a_second_factor_are_sent_to_enrolment(persona: type, name: str) -> None:
    client = signed_in(persona(name))
    response = client.get(HOME_URL)
    assert response.status_code == 302
    assert response["Location"] == f"{SETUP_URL}?next={quote(HOME_URL, safe='')}"


@pytest.mark.django_db
@override_settings(GUICHET_REQUIRE_2FA=True)
@pytest.mark.parametrize("name", ["accueil", "social", "direction", "outsider"])
def test_other_roles_are_not_asked_for_a_second_factor(persona: type, name: str) -> None:
    assert signed_in(persona(name)).get(HOME_URL).status_code == 200


@pytest.mark.django_db
def test_nobody_is_forced_when_the_setting_is_off(responsable: User) -> None:
    assert signed_in(responsable).get(HOME_URL).status_code == 200


@pytest.mark.django_db
@override_settings(GUICHET_REQUIRE_2FA=True)
def test_an_enrolled_user_is_sent_to_verification_then_let_through(responsable: User) -> None:
    device = TOTPDeviceFactory(user=responsable)
    client = signed_in(responsable)
    response = client.get(reverse("accounts:users"))
    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY_URL)
    verified = client.post(VERIFY_URL, {"code": current_code(device), "next": HOME_URL})
    assert verified.status_code == 302
    assert verified["Location"] == HOME_URL
    assert client.get(HOME_URL).status_code == 200


@pytest.mark.django_db
def test_a_voluntarily_enrolled_user_must_use_the_second_factor_even_in_the_demo(accueil: User) -> None:
    TOTPDeviceFactory(user=accueil)
    response = signed_in(accueil).get(HOME_URL)
    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY_URL)


@pytest.mark.django_db
@override_settings(GUICHET_REQUIRE_2FA=True)
def test_enrolment_verification_and_logout_stay_reachable(responsable: User) -> None:
    client = signed_in(responsable)
    assert client.get(SETUP_URL).status_code == 200
    assert client.post(reverse("accounts:logout")).status_code == 302


@pytest.mark.django_db
@override_settings(GUICHET_REQUIRE_2FA=True)
def test_the_api_refuses_an_unverified_session_with_a_problem(admin_user: User) -> None:
    response = signed_in(admin_user).get("/api/v1/moi")
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["title"] == "Double authentification requise"


@pytest.mark.django_db
def test_wrong_code_is_refused_in_french(responsable: User) -> None:
    TOTPDeviceFactory(user=responsable)
    client = signed_in(responsable)
    response = client.post(VERIFY_URL, {"code": "000000"})
    assert response.status_code == 200
    assert "Code incorrect ou expiré" in response.content.decode()
    assert client.get(HOME_URL).status_code == 302


@pytest.mark.django_db
@override_settings(GUICHET_REQUIRE_2FA=True)
def test_enrolment_shows_a_qr_code_and_the_secret_then_confirms_with_a_code(admin_user: User) -> None:
    client = signed_in(admin_user)
    page = client.get(SETUP_URL).content.decode()
    assert '<img src="data:image/svg+xml' in page
    assert 'alt="Code QR' in page
    device = TOTPDevice.objects.get(user=admin_user, confirmed=False)
    secret = html.unescape(page).split('<code class="secret">')[1].split("</code>")[0]
    assert secret.replace(" ", "") == b32encode(device.bin_key).decode()

    response = client.post(SETUP_URL, {"code": current_code(device), "next": HOME_URL})
    assert response.status_code == 200
    assert "Vos codes de secours" in response.content.decode()
    device.refresh_from_db()
    assert device.confirmed
    assert StaticDevice.objects.get(user=admin_user).token_set.count() == 10
    assert client.get(HOME_URL).status_code == 200  # verified for this session
    entry = AuditEntry.objects.get(action=Action.UPDATE, target_type="user", target_id=str(admin_user.pk))
    assert entry.fields == ["second_factor"]


@pytest.mark.django_db
def test_a_wrong_enrolment_code_keeps_the_device_unconfirmed(admin_user: User) -> None:
    client = signed_in(admin_user)
    client.get(SETUP_URL)
    response = client.post(SETUP_URL, {"code": "123"})
    assert response.status_code == 200
    assert "Code incorrect" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=admin_user, confirmed=True).exists()


@pytest.mark.django_db
def test_enrolment_cannot_replace_a_device_before_verification(responsable: User) -> None:
    TOTPDeviceFactory(user=responsable)
    response = signed_in(responsable).get(SETUP_URL)
    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY_URL)
    assert TOTPDevice.objects.filter(user=responsable).count() == 1


@pytest.mark.django_db
def test_a_backup_code_works_once(responsable: User) -> None:
    TOTPDeviceFactory(user=responsable)
    backup = StaticDevice.objects.create(user=responsable, name="Codes de secours", confirmed=True)
    backup.token_set.create(token="abcd2345")
    first = signed_in(responsable)
    assert first.post(VERIFY_URL, {"code": "ABCD 2345"}).status_code == 302
    second = signed_in(responsable)
    assert second.post(VERIFY_URL, {"code": "abcd2345"}).status_code == 200


@pytest.mark.django_db
def test_verification_ignores_an_external_next(responsable: User) -> None:
    device = TOTPDeviceFactory(user=responsable)
    response = signed_in(responsable).post(
        VERIFY_URL, {"code": current_code(device), "next": "https://ailleurs.example/"}
    )
    assert response["Location"] == HOME_URL


@pytest.mark.django_db
def test_backup_codes_can_be_renewed_once_verified(responsable: User) -> None:
    device = TOTPDeviceFactory(user=responsable)
    client = signed_in(responsable)
    client.post(VERIFY_URL, {"code": current_code(device)})
    response = client.post(reverse("accounts:backup_codes"))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert StaticDevice.objects.get(user=responsable).token_set.count() == 10
