"""The stored timeline: after every kind of change, made through the services of each app, the
household page shows exactly what asking every provider again gives (nothing stale, nothing missing);
each reader sees only the events of the audiences they belong to; a rebuild that overlaps a change is
not taken as current; ``guichet historique`` rebuilds from the records."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from guichet.accounts.enums import Role
from guichet.accounts.models import User
from guichet.agenda.models import Place
from guichet.agenda.services import appointment_book, appointment_cancel, place_save
from guichet.desk.enums import ReferralOutcome, RequestStatus, SharedData, Theme
from guichet.desk.services import (
    referral_create,
    referral_record_answer,
    request_change_status,
    request_create,
    request_update,
)
from guichet.households import timeline
from guichet.households.enums import ConsentScope
from guichet.households.models import Household, TimelineEntry, TimelineState
from guichet.households.services import consent_record, consent_withdraw, household_merge
from guichet.households.timeline import (
    TimelineEvent,
    computed_timeline,
    household_timeline,
    household_timeline_items,
    rebuild,
    render_line,
)
from guichet.letters.enums import LetterKind
from guichet.letters.services import letter_generate
from guichet.records.services import document_delete
from guichet.rights.models import RightsAssessment
from tests.conftest import make_persona
from tests.desk.factories import PartnerFactory
from tests.factories import HouseholdFactory, PersonFactory, UserFactory
from tests.records.factories import make_document, make_note

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _records_storage(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.GUICHET_NOTES_KEY = Fernet.generate_key().decode()


@pytest.fixture
def people() -> dict[str, User]:
    return {name: make_persona(name) for name in ("accueil", "social", "responsable", "direction")}


def stored(household: Household) -> list[TimelineEvent]:
    """What the stored rows hold, when every provider's are current (else an empty list)."""
    states = TimelineState.objects.filter(household=household)
    if sorted(states.values_list("provider", flat=True)) != sorted(timeline._providers) or any(
        state.built_version != state.version for state in states
    ):
        return []
    rows = TimelineEntry.objects.filter(household=household).order_by("-at", "position", "seq")
    return [TimelineEvent._make(row) for row in rows.values_list(*timeline._COLUMNS)]


def assert_current(household: Household, reader: User) -> list[TimelineEvent]:
    """The reader's timeline is the providers' answer, and is now stored as current."""
    shown = household_timeline(reader, household)
    expected = computed_timeline(household)
    assert stored(household) == expected
    assert [event for event in expected if timeline._may_see(reader, event.audience)] == shown
    lines = household_timeline_items(reader, household)  # what the pages show: the lines rendered when stored
    assert lines == [(event.kind, render_line(event)) for event in shown]
    return shown


def changes(household: Household, social: User, responsable: User) -> Iterator[tuple[str, Callable[[], Any]]]:
    """Every kind of change an app makes to what the timeline shows, in a sensible order."""
    partner = PartnerFactory()
    place = Place.objects.order_by("pk").first()
    assert place is not None
    demand = request_create(user=social, household=household, theme=Theme.FOOD_AID, summary="Colis")
    yield "request created", lambda: None
    yield "status", lambda: request_change_status(user=social, demand=demand, to=RequestStatus.IN_PROGRESS)
    yield "theme corrected", lambda: request_update(user=social, demand=demand, theme=Theme.ENERGY)
    referral = referral_create(user=social, demand=demand, partner=partner, shared_data=[SharedData.IDENTITY])
    yield "referral", lambda: None
    yield (
        "partner's answer",
        lambda: referral_record_answer(
            user=social,
            referral=referral,
            acknowledged_on=None,
            answer="Pris en charge.",
            answered_on=None,
            outcome=ReferralOutcome.ACCEPTED,
        ),
    )
    starts_at = timezone.now().replace(microsecond=0) + dt.timedelta(days=2)
    appointment = appointment_book(
        user=social,
        household=household,
        agent=social,
        place=place,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(minutes=30),
    )
    yield "appointment", lambda: None
    yield "appointment cancelled", lambda: appointment_cancel(user=social, appointment=appointment)

    def rename_place() -> None:
        place.name = "Salle des Coquelicots"
        place_save(user=responsable, place=place, changed=["name"])

    yield "place renamed", rename_place
    document = make_document(household, social)
    yield "document", lambda: None
    yield "document deleted", lambda: document_delete(user=social, document_id=document.pk)
    make_note(household, social)
    yield "note", lambda: None
    make_note(household, social, is_sensitive=True)
    yield "sensitive note", lambda: None
    letter_generate(user=social, household_id=household.pk, kind=LetterKind.FOLLOW_UP)
    yield "letter", lambda: None
    RightsAssessment.objects.create(
        household=household,
        month=dt.date(2026, 1, 1),
        created_by=social,
        inputs={},
        results={"benefits": []},
        openfisca_france_version="0.0.test",
        catalogue_version="test",
    )
    yield "rights assessment", lambda: None
    consent = consent_record(user=social, household=household, scope=ConsentScope.FOLLOW_UP)
    yield "consent", lambda: None
    yield "consent withdrawn", lambda: consent_withdraw(user=social, consent=consent)

    def rename_agent() -> None:
        social.first_name = "Renommée"
        social.save()

    yield "agent renamed", rename_agent


def test_every_change_is_shown_at_once(people: dict[str, User]) -> None:
    household = HouseholdFactory()
    PersonFactory(household=household)
    responsable = people["responsable"]
    seen = len(assert_current(household, responsable))
    for label, change in changes(household, people["social"], responsable):
        change()
        shown = assert_current(household, responsable)
        assert shown != [] and (len(shown) >= seen or label == "document deleted"), label
        seen = len(shown)
    titles = " ".join(event.title for event in shown)
    assert "Salle des Coquelicots" in titles and "(Énergie et eau (factures" in titles
    assert any(event.actor.startswith("Renommée") for event in shown)
    assert not any(event.kind == "Pièce" for event in shown)  # the deleted document left the timeline


def test_each_reader_sees_their_audiences_only(people: dict[str, User]) -> None:
    household = HouseholdFactory()
    social = people["social"]
    for _ in changes(household, social, people["responsable"]):
        pass
    other_social = UserFactory(roles=[Role.TRAVAILLEUR_SOCIAL])
    kinds = {name: {event.kind for event in household_timeline(user, household)} for name, user in people.items()}
    assert {"Note", "Bilan de droits", "Courrier", "Orientation", "Demande"} <= kinds["social"]
    assert "Note" not in kinds["accueil"] and "Bilan de droits" not in kinds["accueil"]
    assert "Demande" in kinds["accueil"]
    assert kinds["direction"] <= {"Dossier", "Consentement", "Rendez-vous"}  # may not open households
    notes = {name: sum(e.kind == "Note" for e in household_timeline(user, household)) for name, user in people.items()}
    assert notes == {"accueil": 0, "social": 2, "responsable": 2, "direction": 0}
    assert sum(e.kind == "Note" for e in household_timeline(other_social, household)) == 1  # not the sensitive one


def test_a_change_during_a_rebuild_leaves_the_timeline_to_rebuild(people: dict[str, User], monkeypatch) -> None:
    household = HouseholdFactory()
    household_timeline(people["social"], household)

    def meddling(household: Household) -> Iterator[TimelineEvent]:  # a change committed while we read
        timeline.timeline_changed([household.pk])
        return iter(())

    make_note(household, people["social"])
    monkeypatch.setitem(timeline._providers, "records.notes", meddling)  # while the notes are read again
    rebuild(household)
    assert stored(household) == []  # not current: the next reader rebuilds
    monkeypatch.undo()
    assert_current(household, people["social"])


def test_the_page_reads_the_stored_timeline_in_one_query(people: dict[str, User], monkeypatch) -> None:
    household = HouseholdFactory()
    for _ in changes(household, people["social"], people["responsable"]):
        pass
    household_timeline(people["social"], household)  # built
    with CaptureQueriesContext(connection) as queries:
        household_timeline(people["social"], household)
    assert len(queries) == 1
    asked = spy_on_providers(monkeypatch)
    make_note(household, people["social"])  # only the notes are out of date: only their provider is asked
    assert_current(household, people["social"])
    assert asked == ["records.notes"] + list(timeline._providers)  # (then assert_current asks them all)
    with CaptureQueriesContext(connection) as queries:
        household_timeline(people["social"], household)
    assert len(queries) == 1


def spy_on_providers(monkeypatch) -> list[str]:
    """The names of the providers asked from now on, in order."""
    asked: list[str] = []
    for name, provider in list(timeline._providers.items()):

        def spy(household: Household, name: str = name, provider: Any = provider) -> Any:
            asked.append(name)
            return provider(household)

        monkeypatch.setitem(timeline._providers, name, spy)
    return asked


def test_merge_brings_the_merged_file_events(people: dict[str, User]) -> None:
    target, source = HouseholdFactory(), HouseholdFactory()
    make_note(source, people["social"])
    household_timeline(people["responsable"], target)  # built before the merge
    household_merge(user=people["responsable"], source=source, target=target)
    shown = assert_current(target, people["responsable"])
    assert [event.kind for event in shown].count("Note") == 1


def test_command_rebuilds_from_the_records(people: dict[str, User], capsys) -> None:
    first, second = HouseholdFactory(), HouseholdFactory()
    make_note(first, people["social"])
    TimelineEntry.objects.all().delete()
    TimelineState.objects.all().delete()  # as after an upgrade: no state at all
    call_command("historique", "--menage", first.reference)
    assert stored(first) == computed_timeline(first) and stored(second) == []
    call_command("historique")
    assert stored(second) == computed_timeline(second)
    assert "2 historique(s) reconstruit(s)." in capsys.readouterr().out
    with pytest.raises(CommandError, match="introuvable"):
        call_command("historique", "--menage", "M-INCONNU")


def test_a_reader_who_waited_for_the_lock_reads_what_the_other_built(people: dict[str, User], monkeypatch) -> None:
    household = HouseholdFactory()
    assert rebuild(household) == len(timeline._providers)  # new: every provider asked
    asked = spy_on_providers(monkeypatch)
    assert rebuild(household) == 0 and asked == []  # current once the lock is ours: not built twice
