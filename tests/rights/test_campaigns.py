"""Non-take-up campaigns: who is simulated (consent only), targets written once however often a chunk
runs, work kept on re-runs, permissions per persona, pages, API and command line. OpenFisca is
replaced by made-up results (``fake_campaign_chunk``); the real run is in the browser test."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from guichet.accounts.enums import Role
from guichet.audit.models import AuditEntry
from guichet.households.enums import ConsentScope, HouseholdRole, Occupation
from guichet.households.models import Consent, Household
from guichet.rights import campaigns, tasks
from guichet.rights.campaigns import (
    CampaignError,
    TargetFilters,
    campaign_chunk_run,
    campaign_pending_chunks,
    campaign_population,
    campaign_restart,
    campaign_results,
    campaign_start,
    campaign_target_record,
    campaign_targets,
    campaign_targets_assign,
    campaign_targets_open,
)
from guichet.rights.models import Campaign, CampaignGroup, CampaignScope, CampaignStatus, CampaignTarget
from tests.factories import HouseholdFactory, PersonFactory, QuartierFactory, UserFactory
from tests.rights.factories import MONTH, made_up_assessment, single_parent_file

pytestmark = pytest.mark.django_db

RSA = Decimal("412.30")


@pytest.fixture(autouse=True)
def _synchronous(settings) -> None:  # type: ignore[no-untyped-def]
    """Chunks run in the test's thread (eager Celery, no background thread), small chunks."""
    settings.GUICHET_BACKGROUND_THREADS = False
    settings.GUICHET_CAMPAIGN_CHUNK_SIZE = 2


@pytest.fixture
def fake_campaign_chunk(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """RSA 412.30 for everyone, housing aid 251.00 (the sample file receives 250: within tolerance)
    and PPA 300.00 for households with a salary above 1,000 € (received 100 by some: a gap)."""
    calls: list[list[str]] = []

    def assess_chunk(households, month):  # type: ignore[no-untyped-def]
        calls.append([household.id for household in households])
        found = []
        for household in households:
            amounts = {"rsa": str(RSA), "aide_logement": "251.00"}
            if any(max(p.resources.get("salaire", {}).values(), default=0) > 1000 for p in household.adults):
                amounts["ppa"] = "300.00"
            found.append(made_up_assessment(household, month, **amounts))
        return found

    monkeypatch.setattr(campaigns, "assess_chunk", assess_chunk)
    monkeypatch.setattr(campaigns, "openfisca_france_version", lambda: "0.0.test")
    return calls


def consenting(row: Household, scope: str = ConsentScope.PROACTIVE_CONTACT, **fields: object) -> Household:
    given = timezone.now() - dt.timedelta(days=30)
    Consent.objects.create(household=row, scope=scope, given_at=given, **fields)
    return row


@pytest.fixture
def commune() -> dict[str, Household]:
    """Three consenting files in two neighbourhoods, and four that must never appear."""
    nord, sud = QuartierFactory(name="Nord", slug="nord"), QuartierFactory(name="Sud", slug="sud")
    files = {
        "a": consenting(single_parent_file(address__quartier=nord)),
        "b": consenting(single_parent_file(address__quartier=nord)),
        "c": consenting(single_parent_file(address__quartier=sud)),
        "no_consent": single_parent_file(address__quartier=nord),
        "other_scope": consenting(single_parent_file(), scope=ConsentScope.FOLLOW_UP),
        "withdrawn": consenting(single_parent_file(), withdrawn_at=timezone.now()),
        "confidential": consenting(single_parent_file(is_confidential=True)),
    }
    return files


def run_all(campaign: Campaign) -> None:
    for index, household_ids in campaign_pending_chunks(campaign.pk):
        campaign_chunk_run(campaign_id=campaign.pk, index=index, household_ids=household_ids)


def started(user: object, **options: object) -> Campaign:
    campaign = campaign_start(user=user, name="Test", month=MONTH, **options)  # type: ignore[arg-type]
    run_all(campaign)
    campaign.refresh_from_db()
    return campaign


def test_only_consenting_households_are_simulated_and_listed(responsable, commune, fake_campaign_chunk) -> None:  # type: ignore[no-untyped-def]
    campaign = started(responsable)
    expected = sorted(commune[key].pk for key in "abc")
    assert (campaign.total, campaign.done, campaign.chunk_count, campaign.chunks_done) == (3, 3, 2, 2)
    assert campaign.status == CampaignStatus.DONE
    assert campaign.openfisca_france_version == "0.0.test"
    assert sorted(int(pk) for call in fake_campaign_chunk for pk in call) == expected
    targets = CampaignTarget.objects.filter(campaign=campaign)
    assert sorted(targets.values_list("household_id", "benefit")) == [(pk, "rsa") for pk in expected]
    assert {t.estimated_monthly for t in targets} == {RSA}


def test_results_by_benefit_and_quartier_exact(responsable, commune, fake_campaign_chunk) -> None:  # type: ignore[no-untyped-def]
    campaign = started(responsable)
    results = campaign_results(campaign)
    assert (results.households, results.targets, results.monthly) == (3, 3, Decimal("1236.90"))
    assert [(r.key, r.households, r.monthly) for r in results.by_benefit] == [("rsa", 3, Decimal("1236.90"))]
    assert [(r.label, r.households, r.monthly) for r in results.by_quartier] == [
        ("Nord", 2, Decimal("824.60")),
        ("Sud", 1, Decimal("412.30")),
    ]
    assert (results.contacted_households, results.claims, results.recovered_monthly) == (0, 0, Decimal(0))


def test_a_gap_counts_the_difference(responsable, commune, fake_campaign_chunk) -> None:  # type: ignore[no-untyped-def]
    row = commune["a"]
    mother = row.people.get(household_role=HouseholdRole.APPLICANT)
    mother.resources.filter(kind="salaire").update(amount=Decimal("1200.00"))
    row.resources.create(person=mother, kind="ppa", month=dt.date(2026, 10, 1), amount=Decimal("100.00"))
    campaign = started(responsable)
    gap = CampaignTarget.objects.get(campaign=campaign, household=row, benefit="ppa")
    assert (gap.estimated_monthly, gap.is_gap) == (Decimal("200.00"), True)
    assert list(campaign_targets(responsable, campaign, TargetFilters(gap=True))) == [gap]
    assert campaign_targets(responsable, campaign, TargetFilters(gap=False)).count() == 3
    listed = _client(responsable).get(f"/api/v1/campagnes/{campaign.pk}/menages?ecart=true").json()
    assert [item["id"] for item in listed["items"]] == [gap.pk]
    page = _client(responsable).get(reverse("rights:campaign_targets", args=[campaign.pk]) + "?type=ecart")
    assert page.content.decode().count('name="cibles"') == 1


def test_running_a_chunk_twice_changes_nothing(responsable, commune, fake_campaign_chunk) -> None:  # type: ignore[no-untyped-def]
    campaign = campaign_start(user=responsable, name="Deux fois", month=MONTH)
    (index, ids), *_ = campaign_pending_chunks(campaign.pk)
    campaign_chunk_run(campaign_id=campaign.pk, index=index, household_ids=ids)
    campaign_chunk_run(campaign_id=campaign.pk, index=index, household_ids=ids)
    campaign.refresh_from_db()
    assert (campaign.done, campaign.chunks_done, campaign.status) == (2, 1, CampaignStatus.RUNNING)
    assert CampaignTarget.objects.filter(campaign=campaign).count() == 2
    run_all(campaign)
    campaign.refresh_from_db()
    assert (campaign.done, campaign.status) == (3, CampaignStatus.DONE)


def test_web_and_command_queue_the_same_pending_chunks(  # type: ignore[no-untyped-def]
    responsable, commune, fake_campaign_chunk, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    """With workers, the page (after commit) and ``campagne lancer --workers`` send each chunk not done yet."""
    queued: list[tuple[object, ...]] = []
    monkeypatch.setattr(tasks.campaign_chunk_task, "delay", lambda *args: queued.append(args))
    campaign = campaign_start(user=responsable, name="Workers", month=MONTH)
    (index, ids), *pending = campaign_pending_chunks(campaign.pk)
    campaign_chunk_run(campaign_id=campaign.pk, index=index, household_ids=ids)
    with django_capture_on_commit_callbacks(execute=True):
        tasks.campaign_enqueue(campaign.pk)
    tasks.campaign_queue_chunks(campaign.pk)
    expected = [(campaign.pk, chunk, households) for chunk, households in pending]
    assert len(expected) == 1 and queued == expected * 2


def test_restart_keeps_work_and_drops_who_withdrew(responsable, social, commune, fake_campaign_chunk) -> None:  # type: ignore[no-untyped-def]
    campaign = started(responsable)
    worked = CampaignTarget.objects.get(campaign=campaign, household=commune["a"])
    campaign_targets_assign(user=responsable, campaign_id=campaign.pk, target_ids=[worked.pk], agent_id=social.pk)
    campaign_target_record(
        user=social, target_id=worked.pk, outcome="demande_faite", claimed_monthly=Decimal("400.00"), notes="RDV CAF"
    )
    Consent.objects.filter(household=commune["c"]).update(withdrawn_at=timezone.now())
    campaign_restart(user=responsable, campaign_id=campaign.pk)
    run_all(campaign)
    campaign.refresh_from_db()
    assert (campaign.total, campaign.done, campaign.status) == (2, 2, CampaignStatus.DONE)
    assert sorted(CampaignTarget.objects.filter(campaign=campaign).values_list("household_id", flat=True)) == sorted(
        [commune["a"].pk, commune["b"].pk]
    )
    worked.refresh_from_db()
    assert (worked.assigned_to, worked.outcome, worked.claimed_monthly, worked.notes) == (
        social,
        "demande_faite",
        Decimal("400.00"),
        "RDV CAF",
    )
    results = campaign_results(campaign)
    assert (results.contacted_households, results.claims, results.recovered_monthly) == (1, 1, Decimal("400.00"))


def test_consent_withdrawn_between_start_and_chunk(responsable, commune, fake_campaign_chunk) -> None:  # type: ignore[no-untyped-def]
    campaign = campaign_start(user=responsable, name="Retrait", month=MONTH)
    Consent.objects.filter(household=commune["a"]).update(withdrawn_at=timezone.now())
    run_all(campaign)
    assert not CampaignTarget.objects.filter(campaign=campaign, household=commune["a"]).exists()
    assert CampaignTarget.objects.filter(campaign=campaign).count() == 2


def test_scopes_quartier_and_groups(responsable, commune) -> None:  # type: ignore[no-untyped-def]
    nord = commune["a"].address.quartier
    assert campaign_population(scope=CampaignScope.QUARTIER, quartier_id=nord.pk, group="", month=MONTH) == sorted(
        [commune["a"].pk, commune["b"].pk]
    )
    senior = consenting(HouseholdFactory())
    PersonFactory(household=senior, birth_date=dt.date(1950, 1, 1), occupation=Occupation.RETIRED)
    couple = consenting(HouseholdFactory())
    PersonFactory(household=couple)
    PersonFactory(household=couple, household_role=HouseholdRole.SPOUSE)
    PersonFactory(household=couple, household_role=HouseholdRole.CHILD, birth_date=dt.date(2020, 1, 1))
    disabled = consenting(HouseholdFactory())
    PersonFactory(household=disabled, has_disability_card=True)

    def group(name: str) -> list[int]:
        return campaign_population(scope=CampaignScope.GROUP, quartier_id=None, group=name, month=MONTH)

    single_parents = sorted(commune[key].pk for key in "abc")
    assert group(CampaignGroup.SENIORS) == [senior.pk]
    assert group(CampaignGroup.SINGLE_PARENTS) == single_parents
    assert group(CampaignGroup.FAMILIES) == sorted([*single_parents, couple.pk])
    # the sample files' mother has the RQTH
    assert group(CampaignGroup.DISABLED) == sorted([*single_parents, disabled.pk])


def test_incomplete_households_are_skipped(responsable, commune, fake_campaign_chunk) -> None:  # type: ignore[no-untyped-def]
    consenting(HouseholdFactory())  # nobody in it
    campaign = started(responsable)
    assert (campaign.total, campaign.done, campaign.skipped) == (4, 4, 1)


def test_bad_scope_is_refused(responsable, commune) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CampaignError, match="quartier"):
        campaign_start(user=responsable, name="X", month=MONTH, scope=CampaignScope.QUARTIER)
    with pytest.raises(CampaignError, match="public cible"):
        campaign_start(user=responsable, name="X", month=MONTH, scope=CampaignScope.GROUP, group="martiens")
    with pytest.raises(CampaignError, match="nom"):
        campaign_start(user=responsable, name="  ", month=MONTH)
    assert not Campaign.objects.exists()


@pytest.mark.parametrize("name", ["accueil", "social", "direction", "admin", "outsider"])
def test_only_responsables_start_and_assign(persona, responsable, commune, fake_campaign_chunk, name) -> None:  # type: ignore[no-untyped-def]
    user = persona(name)
    with pytest.raises(PermissionDenied):
        campaign_start(user=user, name="Non", month=MONTH)
    campaign = started(responsable)
    target = CampaignTarget.objects.filter(campaign=campaign).first()
    assert target is not None
    with pytest.raises(PermissionDenied):
        campaign_targets_assign(user=user, campaign_id=campaign.pk, target_ids=[target.pk], agent_id=None)
    with pytest.raises(PermissionDenied):
        campaign_restart(user=user, campaign_id=campaign.pk)


def test_social_workers_see_and_work_only_their_households(
    persona, responsable, social, commune, fake_campaign_chunk
) -> None:  # type: ignore[no-untyped-def]
    campaign = started(responsable)
    mine, other = CampaignTarget.objects.filter(campaign=campaign)[:2]
    colleague = UserFactory(username="collegue", roles=[Role.TRAVAILLEUR_SOCIAL])
    assert campaign_targets_assign(user=responsable, campaign_id=campaign.pk, target_ids=[mine.pk], agent_id=social.pk)
    campaign_targets_assign(user=responsable, campaign_id=campaign.pk, target_ids=[other.pk], agent_id=colleague.pk)
    _campaign, seen = campaign_targets_open(user=social, campaign_id=campaign.pk, filters=TargetFilters())
    assert list(seen) == [mine]
    assert campaign_targets(responsable, campaign, TargetFilters(agent=0)).count() == 1
    entry = AuditEntry.objects.filter(target_type="campaign_targets", action="read", actor=social).get()
    assert "1 ligne" in entry.reason
    campaign_target_record(user=social, target_id=mine.pk, outcome="contacte", notes="Message laissé")
    mine.refresh_from_db()
    assert (mine.outcome, mine.contacted_on, mine.outcome_by) == ("contacte", timezone.localdate(), social)
    with pytest.raises(PermissionDenied):
        campaign_target_record(user=social, target_id=other.pk, outcome="contacte")
    for name in ("direction", "accueil"):
        with pytest.raises(PermissionDenied):
            campaign_targets_open(user=persona(name), campaign_id=campaign.pk, filters=TargetFilters())
    assert AuditEntry.objects.filter(target_type="campaign_target", action="update", actor=social).count() == 1


def test_outcome_is_checked(responsable, commune, fake_campaign_chunk) -> None:  # type: ignore[no-untyped-def]
    target = CampaignTarget.objects.filter(campaign=started(responsable)).first()
    assert target is not None
    with pytest.raises(ValidationError):
        campaign_target_record(user=responsable, target_id=target.pk, outcome="contacte", claimed_monthly=Decimal(10))
    with pytest.raises(ValidationError):
        campaign_target_record(
            user=responsable,
            target_id=target.pk,
            outcome="contacte",
            contacted_on=timezone.localdate() + dt.timedelta(days=2),
        )
    with pytest.raises(CampaignError):
        campaign_targets_assign(user=responsable, campaign_id=target.campaign_id, target_ids=[], agent_id=None)


def test_merge_moves_campaign_targets(responsable, commune, fake_campaign_chunk) -> None:  # type: ignore[no-untyped-def]
    from guichet.households.services import household_merge

    campaign = started(responsable)
    household_merge(user=responsable, source=commune["a"], target=commune["b"])
    assert CampaignTarget.objects.filter(campaign=campaign).count() == 2


# --- Pages -------------------------------------------------------------------------------------------


def _client(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_responsable_starts_from_the_form_and_sees_the_results(  # type: ignore[no-untyped-def]
    responsable, commune, fake_campaign_chunk, django_capture_on_commit_callbacks
) -> None:
    client = _client(responsable)
    assert client.get(reverse("rights:campaign_new")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("rights:campaign_new"),
            {"name": "Novembre", "month": f"{timezone.localdate():%Y-%m}", "scope": "tous"},
        )
    campaign = Campaign.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("rights:campaign", args=[campaign.pk])
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.DONE  # eager, no background thread in tests
    page = client.get(response["Location"]).content.decode()
    assert "Revenu de solidarité active" in page and "Nord" in page and "<progress" in page
    targets_page = client.get(reverse("rights:campaign_targets", args=[campaign.pk])).content.decode()
    assert commune["a"].reference in targets_page and "Attribuer" in targets_page
    mother = commune["a"].people.get(household_role=HouseholdRole.APPLICANT)
    assert f"{mother.first_name} {mother.last_name}" in targets_page


def test_form_errors_keep_the_data(responsable, commune) -> None:  # type: ignore[no-untyped-def]
    response = _client(responsable).post(
        reverse("rights:campaign_new"), {"name": "Quartier sans quartier", "month": "2000-01", "scope": "quartier"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Quartier sans quartier" in page and "Choisissez le quartier" in page
    assert not Campaign.objects.exists()


def test_direction_sees_aggregates_never_a_name(direction, responsable, commune, fake_campaign_chunk) -> None:  # type: ignore[no-untyped-def]
    campaign = started(responsable)
    client = _client(direction)
    page = client.get(reverse("rights:campaign", args=[campaign.pk])).content.decode()
    assert "1 236,90" in page.replace("\u202f", " ").replace("\xa0", " ")
    for row in commune.values():
        assert row.reference not in page
    assert client.get(reverse("rights:campaign_targets", args=[campaign.pk])).status_code == 403
    assert client.get(reverse("rights:campaigns")).status_code == 200
    assert _client(make_accueil()).get(reverse("rights:campaigns")).status_code == 403


def make_accueil() -> object:
    from tests.conftest import make_persona

    return make_persona("accueil")


def test_progress_fragment_asks_a_reload_when_done(responsable, commune, fake_campaign_chunk) -> None:  # type: ignore[no-untyped-def]
    campaign = campaign_start(user=responsable, name="Suivi", month=MONTH)
    client = _client(responsable)
    url = reverse("rights:campaign_progress", args=[campaign.pk]) + "?suivi=1"
    running = client.get(url)
    assert "every 2s" in running.content.decode() and "HX-Refresh" not in running
    run_all(campaign)
    assert client.get(url)["HX-Refresh"] == "true"


def test_bulk_assignment_and_outcome_pages(responsable, social, commune, fake_campaign_chunk) -> None:  # type: ignore[no-untyped-def]
    campaign = started(responsable)
    ids = list(CampaignTarget.objects.filter(campaign=campaign).values_list("pk", flat=True))
    response = _client(responsable).post(
        reverse("rights:campaign_assign", args=[campaign.pk]), {"cibles": ids[:2], "attribution-agent": social.pk}
    )
    assert response.status_code == 302
    assert CampaignTarget.objects.filter(assigned_to=social).count() == 2
    client = _client(social)
    page = client.get(reverse("rights:campaign_targets", args=[campaign.pk])).content.decode()
    assert "Attribuer" not in page and "2 lignes" in page
    url = reverse("rights:campaign_target", args=[ids[0]])
    assert client.get(url).status_code == 200
    bad = client.post(url, {"outcome": "contacte", "claimed_monthly": "20", "notes": "garder ce texte"})
    assert bad.status_code == 200 and "garder ce texte" in bad.content.decode()
    ok = client.post(url, {"outcome": "demande_faite", "claimed_monthly": "412.30", "contacted_on": "2026-11-02"})
    assert ok.status_code == 302
    assert CampaignTarget.objects.get(pk=ids[0]).claimed_monthly == Decimal("412.30")
    assert client.get(reverse("rights:campaign_target", args=[ids[2]])).status_code == 403


# --- API ---------------------------------------------------------------------------------------------


def test_api_campaign_lifecycle(  # type: ignore[no-untyped-def]
    responsable, social, direction, commune, fake_campaign_chunk, django_capture_on_commit_callbacks
) -> None:
    client = _client(responsable)
    with django_capture_on_commit_callbacks(execute=True):
        created = client.post(
            "/api/v1/campagnes",
            data=json.dumps({"nom": "API", "mois": "2026-11", "perimetre": "quartier", "quartier": "nord"}),
            content_type="application/json",
        )
    assert created.status_code == 201, created.content
    campaign_id = created.json()["id"]
    status = _client(direction).get(f"/api/v1/campagnes/{campaign_id}").json()
    assert (status["etat"], status["progression"], status["menages_reperes"]) == ("terminee", 100, 2)
    assert status["non_percu_mensuel"] == "824.60"
    listed = client.get(f"/api/v1/campagnes/{campaign_id}/menages?prestation=rsa").json()
    assert listed["count"] == 2
    target_id = listed["items"][0]["id"]
    assigned = client.patch(
        f"/api/v1/campagnes/menages/{target_id}",
        data=json.dumps({"agent_id": social.pk}),
        content_type="application/json",
    )
    assert assigned.json()["agent_id"] == social.pk
    recorded = _client(social).patch(
        f"/api/v1/campagnes/menages/{target_id}",
        data=json.dumps({"suite": "pas_interesse", "notes": "Ne souhaite pas"}),
        content_type="application/json",
    )
    assert recorded.status_code == 200 and recorded.json()["suite"] == "pas_interesse"
    contacted_on = CampaignTarget.objects.get(pk=target_id).contacted_on
    changed = _client(social).patch(  # PATCH: what is not sent keeps its recorded value
        f"/api/v1/campagnes/menages/{target_id}",
        data=json.dumps({"suite": "contacte"}),
        content_type="application/json",
    )
    assert changed.status_code == 200
    kept = CampaignTarget.objects.get(pk=target_id)
    assert (kept.outcome, kept.notes, kept.contacted_on) == ("contacte", "Ne souhaite pas", contacted_on)
    refused = _client(social).patch(
        f"/api/v1/campagnes/menages/{target_id}",
        data=json.dumps({"agent_id": social.pk}),
        content_type="application/json",
    )
    assert refused.status_code == 403
    assert _client(direction).get(f"/api/v1/campagnes/{campaign_id}/menages").status_code == 403
    bad = client.post(
        "/api/v1/campagnes", data=json.dumps({"nom": "X", "mois": "26-1"}), content_type="application/json"
    )
    assert bad.status_code == 422


# --- Command line ------------------------------------------------------------------------------------


def test_cli_runs_lists_and_shows_results(commune, fake_campaign_chunk) -> None:  # type: ignore[no-untyped-def]
    out = StringIO()
    call_command("campagne", "lancer", "--mois", "2026-11", "--quartier", "nord", "--nom", "CLI", stdout=out)
    text = out.getvalue()
    assert "2 ménage(s) consentant(s)" in text and "Revenu de solidarité active" in text
    campaign = Campaign.objects.get(name="CLI")
    assert (campaign.status, campaign.done, campaign.created_by) == (CampaignStatus.DONE, 2, None)
    assert AuditEntry.objects.filter(target_type="campaign", actor_username="ligne de commande").exists()
    out = StringIO()
    call_command("campagne", "liste", stdout=out)
    assert "CLI" in out.getvalue()
    out = StringIO()
    call_command("campagne", "resultats", str(campaign.pk), stdout=out)
    assert "Nord" in out.getvalue()


# --- Who reaches what, with real objects (the matrix in tests/core uses missing ids) ------------------

PAGES = {
    # persona: (list, campaign page, progress, targets list, own target, new campaign form)
    "accueil": (403, 403, 403, 403, 403, 403),
    "social": (200, 200, 200, 200, 200, 403),
    "responsable": (200, 200, 200, 200, 200, 200),
    "direction": (200, 200, 200, 403, 403, 403),
    "admin": (403, 403, 403, 403, 403, 403),
    "outsider": (403, 403, 403, 403, 403, 403),
}


@pytest.mark.parametrize("name", list(PAGES))
def test_pages_per_persona(persona, responsable, commune, fake_campaign_chunk, name) -> None:  # type: ignore[no-untyped-def]
    user = responsable if name == "responsable" else persona(name)
    campaign = started(responsable)
    target = CampaignTarget.objects.filter(campaign=campaign).first()
    assert target is not None
    target.assigned_to = user
    target.save()
    urls = [
        reverse("rights:campaigns"),
        reverse("rights:campaign", args=[campaign.pk]),
        reverse("rights:campaign_progress", args=[campaign.pk]),
        reverse("rights:campaign_targets", args=[campaign.pk]),
        reverse("rights:campaign_target", args=[target.pk]),
        reverse("rights:campaign_new"),
    ]
    client = _client(user)
    assert tuple(client.get(url).status_code for url in urls) == PAGES[name]
    restart = client.post(reverse("rights:campaign_restart", args=[campaign.pk]))
    assert restart.status_code == (302 if name == "responsable" else 403)


def test_an_unfinished_campaign_can_be_resumed(  # type: ignore[no-untyped-def]
    responsable, social, commune, fake_campaign_chunk, django_capture_on_commit_callbacks
) -> None:
    campaign = campaign_start(user=responsable, name="Interrompue", month=MONTH)
    (index, ids), *_ = campaign_pending_chunks(campaign.pk)
    campaign_chunk_run(campaign_id=campaign.pk, index=index, household_ids=ids)
    url = reverse("rights:campaign_resume", args=[campaign.pk])
    assert _client(social).post(url).status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        assert _client(responsable).post(url).status_code == 302
    campaign.refresh_from_db()
    assert (campaign.status, campaign.done, CampaignTarget.objects.filter(campaign=campaign).count()) == (
        CampaignStatus.DONE,
        3,
        3,
    )


def test_cli_refuses_workers_without_redis_and_bad_input(commune) -> None:  # type: ignore[no-untyped-def]
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="REDIS_URL"):
        call_command("campagne", "lancer", "--workers", stdout=StringIO())
    with pytest.raises(CommandError, match="« ouest » inconnu. Quartiers : nord, "):
        call_command("campagne", "lancer", "--quartier", "ouest", stdout=StringIO())
    with pytest.raises(CommandError, match="AAAA-MM"):
        call_command("campagne", "lancer", "--mois", "11/2026", stdout=StringIO())
    with pytest.raises(CommandError, match="introuvable"):
        call_command("campagne", "resultats", "999", stdout=StringIO())
    assert not Campaign.objects.exists()


def test_bar_chart_is_proportional() -> None:
    from guichet.rights.campaign_charts import LABEL_WIDTH, VALUE_ROOM, WIDTH, bar_chart
    from guichet.rights.campaigns import ResultRow

    chart = bar_chart([ResultRow("rsa", "RSA", 3, Decimal("800.00")), ResultRow("af", "AF", 1, Decimal("200.00"))])
    room = WIDTH - LABEL_WIDTH - VALUE_ROOM
    assert [bar.width for bar in chart.bars] == [room, room / 4]
    assert [bar.value for bar in chart.bars] == ["800\xa0€", "200\xa0€"]
