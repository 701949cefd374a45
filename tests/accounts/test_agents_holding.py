"""The « agent » choices of the desk and of the campaigns: active holders of a permission, by name."""

import pytest

from guichet.accounts.enums import Perm, Role
from guichet.accounts.selectors import agents_holding
from guichet.desk.selectors import agent_choices
from guichet.rights.campaigns import agent_choices as campaign_agent_choices
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_active_holders_only_once_each_by_name_with_the_user_name_when_nameless() -> None:
    zoe = UserFactory(first_name="Zoé", last_name="Arnaud", roles=[Role.ACCUEIL, Role.TRAVAILLEUR_SOCIAL])
    bob = UserFactory(first_name="Bob", last_name="Martin", roles=[Role.ACCUEIL])
    nameless = UserFactory(username="guichet2", first_name="", last_name="", roles=[Role.ACCUEIL])
    UserFactory(first_name="Ana", last_name="Absente", roles=[Role.ACCUEIL], is_active=False)
    UserFactory(first_name="Élu", last_name="Direction", roles=[Role.DIRECTION])

    holders = agents_holding(Perm.HOUSEHOLD_EDIT)

    assert holders == [(nameless.pk, "guichet2"), (zoe.pk, "Zoé Arnaud"), (bob.pk, "Bob Martin")]


def test_the_desk_offers_editors_and_the_campaigns_followers() -> None:
    front = UserFactory(first_name="Agnès", last_name="Accueil", roles=[Role.ACCUEIL])
    worker = UserFactory(first_name="Sam", last_name="Social", roles=[Role.TRAVAILLEUR_SOCIAL])

    assert {pk for pk, _ in agent_choices()} >= {front.pk, worker.pk}
    follow = {pk for pk, _ in campaign_agent_choices()}
    assert worker.pk in follow and front.pk not in follow
