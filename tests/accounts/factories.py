"""Factories and helpers for the accounts tests (second-factor devices, API tokens)."""

from __future__ import annotations

import factory
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from guichet.accounts.enums import Perm
from guichet.accounts.models import ApiToken, User
from guichet.accounts.tokens import token_generate, token_hash
from tests.factories import UserFactory


class TOTPDeviceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TOTPDevice

    user = factory.SubFactory(UserFactory)
    name = "Application d'authentification"
    confirmed = True

    class Params:
        pending = factory.Trait(confirmed=False)


def current_code(device: TOTPDevice) -> str:
    """The code the user's authenticator app shows right now for ``device``."""
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift)
    return f"{value:0{device.digits}d}"


def make_api_token(user: User, scopes: list[Perm], **fields: object) -> tuple[ApiToken, str]:
    """A stored token for ``user`` and its raw secret (bypassing the audited service, for auth tests)."""
    prefix, raw = token_generate()
    token = ApiToken.objects.create(
        name="Jeton de test",
        user=user,
        prefix=prefix,
        key_hash=token_hash(raw),
        scopes=[scope.value for scope in scopes],
        **fields,
    )
    return token, raw
