"""Sessions end after inactivity; the expiry is pushed back at most once a minute, not on every page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from guichet.accounts.middleware import TOUCH_KEY
from tests.conftest import make_persona

pytestmark = pytest.mark.django_db


def session_row(client: Client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


def test_expiry_is_pushed_back_once_per_interval_only() -> None:
    client = Client()
    client.force_login(make_persona("accueil"))
    client.get(reverse("core:home"))
    first = session_row(client).expire_date
    client.get(reverse("core:home"))
    assert session_row(client).expire_date == first  # no write within the interval
    session = client.session
    session[TOUCH_KEY] = 0  # last touched long ago
    session.save()
    Session.objects.filter(session_key=session.session_key).update(expire_date=timezone.now() + dt.timedelta(minutes=5))
    client.get(reverse("core:home"))
    assert session_row(client).expire_date > timezone.now() + dt.timedelta(minutes=29)


def test_idle_session_is_logged_out() -> None:
    client = Client()
    client.force_login(make_persona("accueil"))
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
