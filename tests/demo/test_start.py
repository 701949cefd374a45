"""``guichet demo start``: prepares everything, prints the accounts, refuses without DEBUG."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from guichet.accounts.models import User
from guichet.demo.management.commands.demo import box
from guichet.households.models import Household
from guichet.territory.models import Quartier

pytestmark = pytest.mark.django_db


@override_settings(DEBUG=True, GUICHET_DEMO_PASSWORD="mot-de-passe-demo")
def test_start_prepares_territory_commune_and_accounts_then_prints_them() -> None:
    out = StringIO()
    call_command("demo", "start", "--households", "60", "--no-server", "--port", "8123", stdout=out, stderr=StringIO())
    text = out.getvalue()
    assert Quartier.objects.filter(is_illustrative=True).count() == 11
    assert Household.objects.filter(is_synthetic=True).count() == 60
    assert set(User.objects.filter(is_demo=True).values_list("username", flat=True)) == {
        "accueil", "social", "responsable", "direction", "admin",
    }  # fmt: skip
    assert "http://127.0.0.1:8123/" in text and "mot-de-passe-demo" in text
    for username in ("accueil", "social", "responsable", "direction", "admin"):
        assert f"  {username} " in text
    social = User.objects.get(username="social")
    followed = social.referent_households.count()
    assert followed >= 20  # the demo social worker has a caseload
    # A second start keeps the existing population and caseload.
    call_command("demo", "start", "--households", "10", "--no-server", stdout=StringIO(), stderr=StringIO())
    assert Household.objects.count() == 60
    assert social.referent_households.count() == followed


@override_settings(DEBUG=False)
def test_start_is_refused_without_debug() -> None:
    with pytest.raises(CommandError, match="GUICHET_DEBUG=1"):
        call_command("demo", "start", "--no-server", stdout=StringIO())
    assert not Household.objects.exists()


def test_box_frames_every_line() -> None:
    lines = box(["Guichet", "", "Mot de passe : démo"]).splitlines()
    assert len({len(line) for line in lines}) == 1
    assert lines[0].startswith("╔") and lines[-1].endswith("╝")
