"""Walks every URL pattern and API operation that reaches a household (directly or through one of its
objects) with a confidential household, for every persona as referent, as stranger and after breaking
the glass.

The permission matrix (``test_permission_matrix``) checks the declared rule with an ordinary household;
this one checks the object-level rule of ``households.perms``: a stranger to a confidential file is
refused or sent to the break the glass form and never reads the file; a referent, a responsable and an
agent who broke the glass get what their role allows. Every URL and operation must be classified here:
a new one fails the test until someone says whether it reaches a household.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.contrib.auth.models import Permission
from django.test import Client
from django.utils import timezone

from guichet.accounts.enums import Perm, Role
from guichet.accounts.models import User
from guichet.agenda.models import Appointment
from guichet.desk.models import Referral, Request
from guichet.households.enums import ChargeKind, ConsentScope, HouseholdRole
from guichet.households.models import BreakGlassGrant, Charge, Consent, Household, Person, Resource
from guichet.letters.enums import LetterKind
from guichet.letters.models import Letter
from guichet.letters.services import letter_generate
from guichet.records.models import Document, Note
from guichet.rights import services as rights_services
from guichet.rights.models import Campaign, CampaignTarget, RightsAssessment
from tests.agenda.factories import AppointmentFactory
from tests.conftest import PERSONAS, make_persona
from tests.core.test_permission_matrix import api_operations, concrete, concrete_api, page_routes
from tests.desk.factories import ReferralFactory, RequestFactory
from tests.factories import HouseholdFactory, PersonFactory, ResourceFactory, UserFactory
from tests.records.factories import make_document, make_note, read_body
from tests.rights.factories import MONTH, made_up_assessment

REFERENCE = "CONF-SECRET-01"
FIRST_NAME = "Zephyrine"
LAST_NAME = "Secretowska"
BENEFIT = "rsa"

MODES = ("referent", "stranger", "glass")

# --- Classification of every page -------------------------------------------------------------------
# Pages that take a household or an object of one: route name -> the object each URL parameter names.
HOUSEHOLD_PAGES: dict[str, dict[str, str]] = {
    "households:detail": {"pk": "household"},
    "households:history": {"pk": "household"},
    "households:edit": {"pk": "household"},
    "households:person_add": {"pk": "household"},
    "households:person_edit": {"pk": "household", "person_id": "person"},
    "households:person_remove": {"pk": "household", "person_id": "person"},
    "households:links": {"pk": "household"},
    "households:resources": {"pk": "household"},
    "households:charge_edit": {"pk": "household", "charge_id": "charge"},
    "households:consents": {"pk": "household"},
    "households:merge": {"pk": "household"},
    "households:person_merge": {"pk": "household"},
    "households:person_duplicates": {"pk": "household"},
    "records:documents": {"household_id": "household"},
    "records:notes": {"household_id": "household"},
    "records:document_file": {"document_id": "document"},
    "records:document_delete": {"document_id": "document"},
    "desk:new": {"?menage": "household"},
    "desk:detail": {"pk": "request"},
    "desk:edit": {"pk": "request"},
    "desk:status": {"pk": "request"},
    "desk:close": {"pk": "request"},
    "desk:assign": {"pk": "request"},
    "desk:referral_new": {"pk": "request"},
    "desk:referral": {"pk": "referral"},
    "pricing:household": {"household_id": "household"},
    "pricing:household_sheet": {"household_id": "household"},
    "rights:household": {"household_id": "household"},
    "rights:run": {"household_id": "household"},
    "rights:scenario": {"household_id": "household"},
    "rights:assessment": {"assessment_id": "assessment"},
    "rights:replay": {"assessment_id": "assessment"},
    "rights:action": {"assessment_id": "assessment", "benefit": "benefit"},
    "rights:campaign_target": {"target_id": "target"},
    "agenda:new": {"?menage": "household"},
    "agenda:detail": {"pk": "appointment"},
    "agenda:cancel": {"pk": "appointment"},
    "agenda:mark": {"pk": "appointment"},
    "agenda:reschedule": {"pk": "appointment"},
    "letters:new": {"household_id": "household"},
    "letters:download": {"pk": "letter"},
    "letters:referral_email": {"referral_id": "referral"},
}
# The break the glass form names the household (its reference) but never the people in it.
BREAK_GLASS_PAGE = "households:break_glass"
# Lists and searches that may show the household among others: a stranger sees « Dossier confidentiel »,
# never a name. Query strings make the household come up.
LIST_PAGES: dict[str, str] = {
    "households:list": f"?q={FIRST_NAME}",
    "desk:queue": "?file=toutes",
    "desk:export_csv": "?file=toutes",
    "desk:export_xlsx": "?file=toutes",
    "desk:referrals_to_chase": "",
    "agenda:mine": "",
    "rights:campaign": "",
    "rights:campaign_targets": "",
}
# Pages that show no household file: accounts, audit, territory, catalogue, statistics, public portal.
UNRELATED_PAGES = {
    "core:home",
    "core:health",
    "accounts:login",
    "accounts:logout",
    "accounts:security",
    "accounts:otp_setup",
    "accounts:otp_verify",
    "accounts:backup_codes",
    "accounts:password_change",
    "accounts:password_set",
    "accounts:users",
    "accounts:user_create",
    "accounts:user_detail",
    "accounts:user_set_active",
    "accounts:user_password_link",
    "accounts:user_second_factor_reset",
    "accounts:api_tokens",
    "accounts:api_token_revoke",
    "audit:search",
    "audit:export",
    "territory:quartiers",
    "territory:streets",
    "territory:streets_import",
    "territory:street_edit",
    "territory:street_delete",
    "households:create",
    "desk:referral_stats",
    "desk:partners",
    "desk:partner_new",
    "desk:partner_edit",
    "pricing:catalogue",
    "pricing:service_create",
    "pricing:parameters",
    "pricing:service",
    "pricing:service_edit",
    "pricing:grid_create",
    "pricing:public_calculator",
    "pricing:reform_list",
    "pricing:reform_create",
    "pricing:reform_detail",
    "pricing:reform_service",
    "pricing:reform_service_remove",
    "pricing:reform_run",
    "pricing:reform_progress",
    "pricing:reform_results",
    "pricing:reform_report",
    "rights:public_simulator",
    "rights:public_callback",
    "rights:public_callback_done",
    "rights:campaigns",
    "rights:campaign_new",
    "rights:campaign_progress",
    "rights:campaign_restart",
    "rights:campaign_resume",
    "rights:campaign_assign",
    "agenda:calendar_token",
    "agenda:ical",
    "letters:templates",
    "letters:template_edit",
    "desk:public_request",
    "desk:public_request_done",
    "agenda:places",
    "agenda:place_new",
    "agenda:place_edit",
    "agenda:place_delete",
    "agenda:availabilities",
    "agenda:availability_new",
    "agenda:availability_edit",
    "agenda:availability_delete",
    "agenda:stats",
}
# They validate the posted form before opening the file: an empty form comes back (200, the file unread).
VALIDATES_BEFORE_OPENING = {"rights:scenario"}
# Posted last: they remove the object other pages are called with.
POSTED_LAST = ("records:document_delete", "households:person_remove")

# --- Classification of every API operation ----------------------------------------------------------
# Path parameters that name a household or an object of one.
API_OBJECTS = {
    "household_id": "household",
    "person_id": "person",
    "document_id": "document",
    "request_id": "request",
    "assessment_id": "assessment",
    "target_id": "target",
    "letter_id": "letter",
    "resource_id": "resource",
    "charge_id": "charge",
    "referral_id": "referral",
    "appointment_id": "appointment",
}
API_LISTS: dict[str, str] = {
    "GET /api/v1/menages": f"?q={FIRST_NAME}",
    "GET /api/v1/demandes": "",
    "GET /api/v1/rendez-vous": "",
    "GET /api/v1/campagnes/{campaign_id}/menages": "",
}
# Operations that name the household in their body: key -> a valid body for the world's file.
API_BODIES: dict[str, Any] = {
    "POST /api/v1/demandes": lambda world: {
        "menage": world.household.pk,
        "theme": "aide_alimentaire",
        "objet": "Colis",
        "personne": world.person.pk,
    },
    "POST /api/v1/rendez-vous": lambda world: {
        "menage": world.household.pk,
        "demande": world.request.pk,
        "lieu": world.appointment.place_id,
        "debut": (world.appointment.starts_at + dt.timedelta(days=1)).isoformat(),
        "fin": (world.appointment.ends_at + dt.timedelta(days=1)).isoformat(),
    },
}
API_UNRELATED = {
    "GET /api/v1/moi",
    "GET /api/v1/quartiers",
    "POST /api/v1/menages",
    "GET /api/v1/partenaires",
    "GET /api/v1/services-municipaux",
    "POST /api/v1/services-municipaux",
    "PATCH /api/v1/services-municipaux/{slug}",
    "POST /api/v1/tarifs/simulations",
    "POST /api/v1/tarifs/simulations/{simulation_id}/lancer",
    "GET /api/v1/tarifs/simulations/{simulation_id}",
    "GET /api/v1/tarifs/simulations/{simulation_id}/resultats",
    "GET /api/v1/campagnes",
    "POST /api/v1/campagnes",
    "GET /api/v1/campagnes/{campaign_id}",
    "POST /api/v1/partenaires",
    "PATCH /api/v1/partenaires/{partner_id}",
}


@dataclass
class World:
    household: Household
    person: Person
    resource: Resource
    charge: Charge
    consent: Consent
    request: Request
    referral: Referral
    appointment: Appointment
    document: Document
    note: Note
    letter: Letter
    assessment: RightsAssessment
    campaign: Campaign
    target: CampaignTarget
    benefit: str = BENEFIT

    def sample(self, names: dict[str, str]) -> dict[str, str]:
        values = {}
        for param, attr in names.items():
            value = getattr(self, attr)
            values[param] = value if isinstance(value, str) else str(value.pk)
        return values


@pytest.fixture
def world(settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> World:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.GUICHET_NOTES_KEY = Fernet.generate_key().decode()
    monkeypatch.setattr(
        rights_services,
        "assess",
        lambda household, month: made_up_assessment(household, month, rsa="412.30", aide_logement="251.00"),
    )
    monkeypatch.setattr(rights_services, "openfisca_france_version", lambda: "0.0.test")
    author = UserFactory(username="auteur-du-dossier", roles=[Role.RESPONSABLE])
    household = HouseholdFactory(reference=REFERENCE, confidential=True, rent=Decimal("520.00"))
    person = PersonFactory(
        household=household, first_name=FIRST_NAME, last_name=LAST_NAME, birth_date=dt.date(1990, 3, 2)
    )
    PersonFactory(household=household, household_role=HouseholdRole.CHILD, first_name="Albane", last_name=LAST_NAME)
    demand = RequestFactory(household=household, person=person)
    referral = ReferralFactory(request=demand)
    # Campaigns leave confidential files out: this one ran before the file was made confidential.
    campaign = Campaign.objects.create(name="Campagne test", month=MONTH, created_by=author)
    return World(
        household=household,
        person=person,
        resource=ResourceFactory(person=person, month=dt.date(2026, 10, 1)),
        charge=Charge.objects.create(household=household, kind=ChargeKind.RENT, amount=Decimal("520.00")),
        consent=Consent.objects.create(household=household, scope=ConsentScope.FOLLOW_UP, given_at=timezone.now()),
        request=demand,
        referral=referral,
        appointment=AppointmentFactory(household=household, agent=author),
        document=make_document(household, author),
        note=make_note(household, author),
        letter=letter_generate(user=author, household_id=household.pk, kind=LetterKind.ANSWER, request_id=demand.pk),
        assessment=rights_services.assessment_run(user=author, household_id=household.pk, month=MONTH),
        campaign=campaign,
        target=CampaignTarget.objects.create(
            campaign=campaign, household=household, benefit=BENEFIT, estimated_monthly=Decimal("412.30")
        ),
    )


def _user_in_mode(persona_name: str, mode: str, world: World) -> User:
    """The persona as referent of the file, stranger to it, or after breaking the glass; the file's
    request, appointment and campaign line are theirs (so that « my » lists and pages would show it)."""
    user = make_persona(persona_name)
    household = world.household
    Request.objects.filter(pk=world.request.pk).update(assigned_to=user)
    Appointment.objects.filter(pk=world.appointment.pk).update(agent=user)
    CampaignTarget.objects.filter(pk=world.target.pk).update(assigned_to=user)
    if mode == "referent":
        household.referents.add(user)
    elif mode == "glass":
        now = timezone.now()
        BreakGlassGrant.objects.create(
            user=user, household=household, reason="Appel du 115 pour ce ménage", granted_at=now,
            expires_at=now + dt.timedelta(hours=1),
        )  # fmt: skip
    return user


def _opens_the_file(user: User, mode: str) -> bool:
    """What ``households.perms`` promises: referents, responsables and granted agents open the file."""
    if not user.has_perm(Perm.HOUSEHOLD_VIEW.full):
        return False
    return mode != "stranger" or user.has_perm(Perm.CONFIDENTIAL_VIEW_ALL.full)


def _body(response: Any) -> str:
    return read_body(response).decode("utf-8", errors="replace")


def _leaks(response: Any, *, with_reference: bool = True, query: str = "") -> list[str]:
    """The secrets of the file found in the body, but those the URL's ``query`` holds (a search form
    shows what was typed). The body is always read: that closes a streamed file."""
    body = _body(response)
    secrets = [FIRST_NAME, LAST_NAME] + ([REFERENCE] if with_reference else [])
    return [secret for secret in secrets if secret in body and secret not in query]


def _url(route_path: str, names: dict[str, str], world: World) -> str:
    query = {key[1:]: attr for key, attr in names.items() if key.startswith("?")}
    url = concrete(route_path, world.sample({k: v for k, v in names.items() if not k.startswith("?")}))
    if query:
        url += "?" + "&".join(f"{key}={value}" for key, value in world.sample(query).items())
    return url


def test_every_page_is_classified() -> None:
    known = set(HOUSEHOLD_PAGES) | set(LIST_PAGES) | UNRELATED_PAGES | {BREAK_GLASS_PAGE}
    names = [route.name for route in page_routes()]
    assert [name for name in names if name not in known] == [], "classify these pages in this file"
    assert sorted(known - set(names)) == [], "these classified pages no longer exist"


def test_every_api_operation_is_classified() -> None:
    known = set(API_LISTS) | set(API_BODIES) | API_UNRELATED
    unclassified = [
        f"{method} {path}"
        for method, path, _ in api_operations()
        if f"{method} {path}" not in known and not any(f"{{{param}}}" in path for param in API_OBJECTS)
    ]
    assert unclassified == [], "classify these operations in this file"


def _check_page(
    failures: list[str], client: Client, method: str, name: str, url: str, *, allowed: bool, opens: bool, world: World
) -> None:
    household = world.household
    response = client.get(url) if method == "GET" else client.post(url, {})
    status = response.status_code
    location = response.get("Location", "")
    to_break_glass = status == 302 and location == f"/menages/{household.pk}/acces-motive/"
    if not allowed:
        ok = status == 403
    elif not opens:
        refusals = (403, 405, 200) if method == "POST" and name in VALIDATES_BEFORE_OPENING else (403, 405)
        ok = status in refusals or to_break_glass
    elif method == "GET":
        ok = status in (200, 302, 405) and not to_break_glass and "/comptes/connexion/" not in location
    else:
        ok = status not in (401, 403, 404) and not to_break_glass
    if not ok:
        failures.append(f"{method} {url} -> {status} {location} (allowed={allowed}, opens={opens})")
    leaked = _leaks(response)
    if not opens and leaked:
        failures.append(f"{method} {url} -> {status} shows {leaked}")
    if opens and allowed and method == "GET" and name == "households:detail" and LAST_NAME not in leaked:
        failures.append(f"GET {url} -> {status} does not show the file to someone who may open it")


@pytest.mark.django_db
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("persona_name", PERSONAS)
def test_household_pages_for_a_confidential_file(persona_name: str, mode: str, world: World) -> None:
    user = _user_in_mode(persona_name, mode, world)
    client = Client()
    client.force_login(user)
    opens = _opens_the_file(user, mode)
    routes = {route.name: route for route in page_routes() if route.name in HOUSEHOLD_PAGES}
    failures: list[str] = []
    for method in ("GET", "POST"):
        for name in sorted(routes, key=lambda name: name in POSTED_LAST):
            route = routes[name]
            url = _url(route.path, HOUSEHOLD_PAGES[name], world)
            allowed = route.callback.access_rule.allows(user)
            _check_page(failures, client, method, name, url, allowed=allowed, opens=opens, world=world)
    assert failures == []


@pytest.mark.django_db
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("persona_name", PERSONAS)
def test_break_glass_form_never_names_the_people(persona_name: str, mode: str, world: World) -> None:
    user = _user_in_mode(persona_name, mode, world)
    client = Client()
    client.force_login(user)
    url = f"/menages/{world.household.pk}/acces-motive/"
    response = client.get(url)
    if not user.has_perm(Perm.BREAK_GLASS.full) or not user.has_perm(Perm.HOUSEHOLD_VIEW.full):
        assert response.status_code == 403
    elif _opens_the_file(user, mode):
        assert response.status_code == 302 and response["Location"] == f"/menages/{world.household.pk}/"
    else:
        assert response.status_code == 200
        assert _leaks(response, with_reference=False) == []
        # An empty reason is refused and grants nothing.
        assert client.post(url, {"reason": ""}).status_code == 200
        assert not BreakGlassGrant.objects.filter(user=user).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("persona_name", PERSONAS)
def test_lists_mask_a_confidential_file(persona_name: str, mode: str, world: World) -> None:
    user = _user_in_mode(persona_name, mode, world)
    client = Client()
    client.force_login(user)
    opens = _opens_the_file(user, mode)
    failures = []
    for route in page_routes():
        if route.name not in LIST_PAGES:
            continue
        url = concrete(route.path, {"campaign_id": str(world.campaign.pk)}) + LIST_PAGES[route.name]
        response = client.get(url)
        allowed = route.callback.access_rule.allows(user)
        if response.status_code != (200 if allowed else 403):
            failures.append(f"GET {url} -> {response.status_code} (allowed={allowed})")
        leaked = _leaks(response, with_reference=False, query=LIST_PAGES[route.name])
        if not opens and leaked:
            failures.append(f"GET {url} shows {leaked}")
    assert failures == []


@pytest.mark.django_db
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("persona_name", PERSONAS)
def test_household_api_for_a_confidential_file(persona_name: str, mode: str, world: World) -> None:
    user = _user_in_mode(persona_name, mode, world)
    client = Client()
    client.force_login(user)
    opens = _opens_the_file(user, mode)
    sample = world.sample(API_OBJECTS)
    failures = []
    operations = [op for op in api_operations() if any(f"{{{param}}}" in op[1] for param in API_OBJECTS)]
    for method, path, func in sorted(operations, key=lambda op: op[0] != "GET"):
        url = concrete_api(path, sample)
        response = client.generic(method, url, data="{}", content_type="application/json")
        status = response.status_code
        allowed = func.access_rule.allows(user)
        if not allowed:
            ok = status == 403
        elif not opens:
            # A body that does not fit the operation's schema is refused (422) before the file is opened.
            ok = status == 403 or (method != "GET" and status == 422)
        elif method == "GET":
            ok = status == 200
        else:
            ok = status not in (401, 403, 404)
        if not ok:
            failures.append(f"{method} {url} -> {status} (allowed={allowed}, opens={opens})")
        leaked = _leaks(response)
        if not opens and leaked:
            failures.append(f"{method} {url} -> {status} shows {leaked}")
    for key, query in API_LISTS.items():
        method, path = key.split(" ")
        url = concrete_api(path, {"campaign_id": str(world.campaign.pk)}) + query
        response = client.get(url)
        leaked = _leaks(response, with_reference=False, query=query)
        if not opens and leaked:
            failures.append(f"GET {url} -> {response.status_code} shows {leaked}")
    assert failures == []


@pytest.mark.django_db
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("persona_name", PERSONAS)
def test_api_writes_naming_the_file_in_their_body(persona_name: str, mode: str, world: World) -> None:
    user = _user_in_mode(persona_name, mode, world)
    client = Client()
    client.force_login(user)
    opens = _opens_the_file(user, mode)
    operations = {f"{method} {path}": func for method, path, func in api_operations()}
    failures = []
    for key, body in API_BODIES.items():
        method, path = key.split(" ")
        response = client.generic(method, path, data=json.dumps(body(world)), content_type="application/json")
        allowed = operations[key].access_rule.allows(user)
        expected = "201" if allowed and opens else "403"
        if str(response.status_code) != expected:
            failures.append(f"{key} -> {response.status_code}, expected {expected}: {_body(response)[:200]}")
        leaked = _leaks(response)
        if not opens and leaked:
            failures.append(f"{key} -> {response.status_code} shows {leaked}")
    assert failures == []


@pytest.mark.django_db
@pytest.mark.parametrize("mode", MODES)
def test_merging_a_confidential_file_into_an_open_one(mode: str, world: World) -> None:
    """The merge page shows both files side by side: the source must be open to the user too. Only
    responsables merge today (and they see every file), so the merger here is a social worker who was
    given the merge permission alone."""
    user = _user_in_mode("social", mode, world)
    user.user_permissions.add(Permission.objects.get(codename=Perm.HOUSEHOLD_MERGE.value))
    user = User.objects.get(pk=user.pk)
    target = HouseholdFactory()
    PersonFactory(household=target, last_name="Ouvert")
    client = Client()
    client.force_login(user)
    response = client.post(f"/menages/{target.pk}/fusionner/", {"source": REFERENCE})
    if mode == "stranger":
        assert response.status_code == 302
        assert response["Location"] == f"/menages/{world.household.pk}/acces-motive/"
    else:
        assert response.status_code == 200
        assert LAST_NAME in _body(response)
    assert Person.objects.filter(household=world.household).count() == 2
