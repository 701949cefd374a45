"""Non-take-up campaigns (« aller vers »): start one over the households that accepted proactive
contact, simulate it chunk by chunk (``tasks.py`` runs the chunks), assign the households found to
agents, record the contacts and their outcome, and read the results.

Only households with an active PROACTIVE_CONTACT consent are ever simulated or listed, and the
consent is checked again when a chunk runs. Confidential files are left out: their referents
assess them from the file itself. Running a chunk twice, or the whole campaign again, replaces its
targets without duplicates and keeps the assignment and outcome already recorded for the same
household and benefit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Concat
from django.http import HttpRequest
from django.utils import timezone

from guichet.accounts.enums import Perm
from guichet.accounts.selectors import agents_holding
from guichet.audit.enums import Action
from guichet.audit.services import audit_record
from guichet.households.enums import ConsentScope, HouseholdRole
from guichet.households.models import Consent, Household, Person
from guichet.households.perms import confidential_ids_open_to
from guichet.households.rules_mapping import rules_households
from guichet.rights.comparison import benefit_table
from guichet.rights.models import (
    Campaign,
    CampaignChunk,
    CampaignGroup,
    CampaignScope,
    CampaignStatus,
    CampaignTarget,
    TargetOutcome,
)
from guichet.rights.perms import (
    can_manage_campaigns,
    check_can_manage_campaigns,
    get_campaign_for_user,
    get_target_for_user,
)
from guichet.rules import household as rules
from guichet.rules.money import round_money
from guichet.rules.openfisca import assess_chunk, openfisca_france_version
from guichet.rules.openfisca.catalogue import BENEFITS, MONTHLY
from guichet.territory.models import Quartier

SYSTEM_ACTOR = "campagne"
COMMAND_LINE_ACTOR = "ligne de commande"
BENEFIT_LABELS = {benefit.key: benefit.label for benefit in BENEFITS}
# The statuses of ``comparison`` that mean « probably eligible, not received (or received too low) ».
UNCLAIMED_STATUSES = ("a_demander", "ecart")
ZERO = Decimal("0.00")


class CampaignError(ValueError):
    """A campaign request that cannot be done (the message says why, in French)."""


def chunk_size() -> int:
    return max(1, int(settings.GUICHET_CAMPAIGN_CHUNK_SIZE))


# --- Who is in a campaign ----------------------------------------------------------------------------


def consenting_households() -> QuerySet[Household]:
    """Households with an active proactive-contact consent, confidential files left out."""
    consents = Consent.objects.filter(
        household=OuterRef("pk"),
        scope=ConsentScope.PROACTIVE_CONTACT,
        withdrawn_at__isnull=True,
        given_at__lte=timezone.now(),
    )
    return Household.objects.filter(Exists(consents), is_confidential=False)


def _people(**conditions: Any) -> Exists:
    return Exists(Person.objects.filter(household=OuterRef("pk"), **conditions))


ADULT_ROLES = (HouseholdRole.APPLICANT, HouseholdRole.SPOUSE)


def _group_filter(group: str, month: dt.date) -> Q:
    if group == CampaignGroup.SENIORS:
        born_before = month.replace(year=month.year - 60)
        return Q(_people(household_role__in=ADULT_ROLES, birth_date__lte=born_before))
    if group == CampaignGroup.FAMILIES:
        return Q(_people(household_role=HouseholdRole.CHILD))
    if group == CampaignGroup.SINGLE_PARENTS:
        return Q(_people(household_role=HouseholdRole.CHILD)) & ~Q(_people(household_role=HouseholdRole.SPOUSE))
    if group == CampaignGroup.DISABLED:
        disabled = Person.objects.filter(household=OuterRef("pk"), household_role__in=ADULT_ROLES).filter(
            Q(disability_rate__gte=50) | Q(has_rqth=True) | Q(has_disability_card=True)
        )
        return Q(Exists(disabled))
    raise CampaignError(f"Public cible inconnu : « {group} ».")


def campaign_population(*, scope: str, quartier_id: int | None, group: str, month: dt.date) -> list[int]:
    """Ids of the households a campaign of this scope covers now, in id order."""
    households = consenting_households()
    if scope == CampaignScope.QUARTIER:
        households = households.filter(address__quartier__pk=quartier_id or 0)
    elif scope == CampaignScope.GROUP:
        households = households.filter(_group_filter(group, month))
    return list(households.order_by("pk").values_list("pk", flat=True))


def _validated_scope(scope: str, quartier_id: int | None, group: str) -> tuple[int | None, str]:
    if scope not in CampaignScope.values:
        raise CampaignError(f"Périmètre inconnu : « {scope} ».")
    if scope == CampaignScope.QUARTIER:
        if quartier_id is None or not Quartier.objects.filter(pk=quartier_id).exists():
            raise CampaignError("Choisissez le quartier de la campagne.")
        return quartier_id, ""
    if scope == CampaignScope.GROUP:
        if group not in CampaignGroup.values:
            raise CampaignError("Choisissez le public cible de la campagne.")
        return None, group
    return None, ""


def _split(campaign: Campaign, household_ids: Sequence[int]) -> None:
    size = chunk_size()
    CampaignChunk.objects.bulk_create(
        CampaignChunk(campaign=campaign, index=number, household_ids=list(household_ids[start : start + size]))
        for number, start in enumerate(range(0, len(household_ids), size))
    )
    campaign.total = len(household_ids)
    campaign.chunk_count = (len(household_ids) + size - 1) // size
    if not household_ids:
        campaign.status, campaign.finished_at = CampaignStatus.DONE, timezone.now()


def _actor(user: Any | None) -> dict[str, Any]:
    return {"actor": user, "actor_username": "" if user is not None else COMMAND_LINE_ACTOR}


@transaction.atomic
def campaign_start(
    *,
    user: Any | None,
    name: str,
    month: dt.date,
    scope: str = CampaignScope.ALL,
    quartier_id: int | None = None,
    group: str = "",
    request: HttpRequest | None = None,
    channel: str = "web",
) -> Campaign:
    """Create a campaign and split its households into chunks (``GUICHET_CAMPAIGN_CHUNK_SIZE``);
    the chunks are run by ``tasks.campaign_enqueue`` or in-process by the command line.

    ``user`` None is the command line (an operator with shell access to the server); otherwise the
    user must be a responsable. Raises ``CampaignError`` on a bad scope."""
    if user is not None:
        check_can_manage_campaigns(user)
    name = name.strip()
    if not name:
        raise CampaignError("Donnez un nom à la campagne.")
    month = month.replace(day=1)
    quartier_id, group = _validated_scope(scope, quartier_id, group)
    campaign = Campaign.objects.create(
        name=name[:200], scope=scope, quartier_id=quartier_id, group=group, month=month, created_by=user
    )
    _split(campaign, campaign_population(scope=scope, quartier_id=quartier_id, group=group, month=month))
    campaign.save(update_fields=["total", "chunk_count", "status", "finished_at"])
    audit_record(
        **_actor(user),
        action=Action.CREATE,
        target_type="campaign",
        target_id=campaign.pk,
        fields=["scope", "month", "households"],
        reason=f"campagne « {campaign.name} » : {campaign.total} ménage(s) consentant(s)",
        request=request,
        channel=channel,
    )
    return campaign


@transaction.atomic
def campaign_restart(
    *, user: Any | None, campaign_id: int, request: HttpRequest | None = None, channel: str = "web"
) -> Campaign:
    """Run a finished (or failed) campaign again over its scope as it is now. Targets of households
    that left the scope (consent withdrawn, moved) are removed; the others are replaced chunk by chunk,
    keeping what was recorded for the same household and benefit."""
    if user is not None:
        check_can_manage_campaigns(user)
    campaign = Campaign.objects.select_for_update().filter(pk=campaign_id).first()
    if campaign is None:
        raise CampaignError("Campagne introuvable.")
    if campaign.is_active:
        raise CampaignError("La campagne est déjà en cours : attendez qu'elle se termine.")
    population = campaign_population(
        scope=campaign.scope, quartier_id=campaign.quartier_id, group=campaign.group, month=campaign.month
    )
    campaign.targets.exclude(household_id__in=population).delete()
    campaign.chunks.all().delete()
    campaign.status, campaign.error = CampaignStatus.QUEUED, ""
    campaign.done = campaign.skipped = campaign.chunks_done = 0
    campaign.started_at = campaign.finished_at = None
    _split(campaign, population)
    campaign.save()
    audit_record(
        **_actor(user),
        action=Action.UPDATE,
        target_type="campaign",
        target_id=campaign.pk,
        fields=["households", "status"],
        reason=f"campagne relancée : {campaign.total} ménage(s) consentant(s)",
        request=request,
        channel=channel,
    )
    return campaign


@transaction.atomic
def campaign_resume(
    *, user: Any | None, campaign_id: int, request: HttpRequest | None = None, channel: str = "web"
) -> list[tuple[int, list[int]]]:
    """The chunks still to run of a campaign left unfinished (a server restarted while it ran), to be
    queued again; running a chunk twice is harmless. Returns (index, household ids) of each."""
    if user is not None:
        check_can_manage_campaigns(user)
    campaign = Campaign.objects.filter(pk=campaign_id).first()
    if campaign is None:
        raise CampaignError("Campagne introuvable.")
    if not campaign.is_active:
        raise CampaignError("La campagne n'est pas en cours : relancez-la plutôt.")
    pending = campaign_pending_chunks(campaign.pk)
    audit_record(
        **_actor(user),
        action=Action.UPDATE,
        target_type="campaign",
        target_id=campaign.pk,
        fields=["status"],
        reason=f"campagne reprise : {len(pending)} lot(s) restant(s)",
        request=request,
        channel=channel,
    )
    return pending


# --- Running a chunk ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Found:
    amount: Decimal
    is_gap: bool


def _assessable(household: rules.Household) -> bool:
    roles = [person.role for person in household.people]
    return roles.count(HouseholdRole.APPLICANT) == 1 and roles.count(HouseholdRole.SPOUSE) <= 1


def unclaimed(households: Sequence[rules.Household], month: dt.date) -> dict[tuple[int, str], Found]:
    """(household id, benefit) → monthly amount not received, for the monthly benefits the household
    is probably eligible to and does not receive (or receives more than 5 € too low)."""
    found: dict[tuple[int, str], Found] = {}
    if not households:
        return found
    by_id = {household.id: household for household in households}
    for assessment in assess_chunk(list(households), month):
        table = benefit_table(assessment.results, by_id[assessment.household_id], month)
        for row in table.rows:
            if row.status not in UNCLAIMED_STATUSES or row.result.period != MONTHLY or row.result.is_cost:
                continue
            amount = row.result.amount if row.status == "a_demander" else row.difference
            if amount is not None and amount > 0:
                found[int(assessment.household_id), row.result.key] = Found(amount, row.status == "ecart")
    return found


def _write_targets(
    campaign: Campaign, household_ids: Sequence[int], kept: set[int], found: dict[tuple[int, str], Found]
) -> None:
    """Replace the chunk's targets by ``found``: same household and benefit → amounts updated, work
    kept; no longer found → removed unless work was recorded on it; household out of scope (``kept``
    are those still in) → removed."""
    quartiers = dict(
        Household.objects.filter(pk__in=household_ids).values_list("pk", "address__quartier_id").order_by()
    )
    existing = {
        (target.household_id, target.benefit): target
        for target in CampaignTarget.objects.filter(campaign=campaign, household_id__in=household_ids)
    }
    doomed = [
        target.pk
        for key, target in existing.items()
        if key not in found and (key[0] not in kept or target.outcome == TargetOutcome.TO_CONTACT)
    ]
    CampaignTarget.objects.filter(pk__in=doomed).delete()
    updated = []
    for key, target in existing.items():
        if key in found:
            target.estimated_monthly, target.is_gap = found[key].amount, found[key].is_gap
            target.quartier_id = quartiers.get(key[0])
            updated.append(target)
    CampaignTarget.objects.bulk_update(updated, ["estimated_monthly", "is_gap", "quartier_id", "updated_at"])
    CampaignTarget.objects.bulk_create(
        CampaignTarget(
            campaign=campaign,
            household_id=household_id,
            benefit=benefit,
            quartier_id=quartiers.get(household_id),
            estimated_monthly=value.amount,
            is_gap=value.is_gap,
        )
        for (household_id, benefit), value in found.items()
        if (household_id, benefit) not in existing
    )


def campaign_chunk_run(*, campaign_id: int, index: int, household_ids: Sequence[int]) -> int:
    """Simulate one chunk of a campaign and write its targets; returns the number of targets found.

    A system operation (Celery worker or the command line): no user to check, the read of the
    files is audited under the name « campagne ». Progress advances once per chunk whatever the
    number of runs. OpenFisca runs outside any transaction."""
    campaign = Campaign.objects.filter(pk=campaign_id).first()
    if campaign is None:
        return 0
    Campaign.objects.filter(pk=campaign_id, status=CampaignStatus.QUEUED).update(
        status=CampaignStatus.RUNNING, started_at=timezone.now()
    )
    ids = list(household_ids)
    still_in = set(consenting_households().filter(pk__in=ids).values_list("pk", flat=True))
    mapped = rules_households(sorted(still_in))
    assessable = [household for household in mapped.values() if _assessable(household)]
    found = unclaimed(assessable, campaign.month)
    with transaction.atomic():
        _write_targets(campaign, ids, still_in, found)
        audit_record(
            actor=None,
            actor_username=SYSTEM_ACTOR,
            action=Action.READ,
            target_type="campaign",
            target_id=campaign_id,
            fields=[f"household:{pk}" for pk in sorted(mapped)],
            reason=f"campagne « {campaign.name} », lot {index + 1} : {len(mapped)} dossier(s) simulé(s)",
            channel="task",
        )
        first_run = CampaignChunk.objects.filter(campaign_id=campaign_id, index=index, done_at__isnull=True).update(
            done_at=timezone.now()
        )
        if first_run:
            Campaign.objects.filter(pk=campaign_id).update(
                done=F("done") + len(ids),
                skipped=F("skipped") + len(ids) - len(assessable),
                chunks_done=F("chunks_done") + 1,
                openfisca_france_version=openfisca_france_version(),
            )
        Campaign.objects.filter(pk=campaign_id, chunks_done__gte=F("chunk_count")).exclude(
            status=CampaignStatus.DONE
        ).update(status=CampaignStatus.DONE, finished_at=timezone.now(), error="")
    return len(found)


def campaign_fail(*, campaign_id: int, index: int, error: BaseException) -> None:
    """Mark the campaign failed (the chunk can be run again: ``campaign_restart``)."""
    message = f"Le lot {index + 1} a échoué : {type(error).__name__} — {str(error)[:500]}"
    Campaign.objects.filter(pk=campaign_id).update(
        status=CampaignStatus.FAILED, error=message, finished_at=timezone.now()
    )


def campaign_pending_chunks(campaign_id: int) -> list[tuple[int, list[int]]]:
    """(index, household ids) of the chunks not done yet."""
    rows = CampaignChunk.objects.filter(campaign_id=campaign_id, done_at__isnull=True).order_by("index")
    return [(index, list(ids)) for index, ids in rows.values_list("index", "household_ids")]


# --- Working the list --------------------------------------------------------------------------------


def agent_choices() -> list[tuple[int, str]]:
    """Active agents who follow households (holders of ``HOUSEHOLD_FOLLOW`` through a role)."""
    return agents_holding(Perm.HOUSEHOLD_FOLLOW)


@transaction.atomic
def campaign_targets_assign(
    *,
    user: Any,
    campaign_id: int,
    target_ids: Iterable[int],
    agent_id: int | None,
    request: HttpRequest | None = None,
    channel: str = "web",
) -> int:
    """Assign the campaign's households ``target_ids`` to ``agent_id`` (None: unassign); how many."""
    check_can_manage_campaigns(user)
    campaign = get_campaign_for_user(user, campaign_id)
    if agent_id is not None and agent_id not in dict(agent_choices()):
        raise CampaignError("Cet agent ne peut pas recevoir de ménages à contacter.")
    targets = CampaignTarget.objects.filter(campaign=campaign, pk__in=list(target_ids))
    chosen = sorted(targets.values_list("pk", flat=True))
    if not chosen:
        raise CampaignError("Cochez au moins un ménage à attribuer.")
    count = CampaignTarget.objects.filter(pk__in=chosen).update(assigned_to_id=agent_id, updated_at=timezone.now())
    audit_record(
        actor=user,
        action=Action.UPDATE,
        target_type="campaign_targets",
        target_id=campaign.pk,
        fields=["assigned_to", *(f"campaign_target:{pk}" for pk in chosen)],
        reason=f"campagne n° {campaign.pk} : {count} ménage(s) attribué(s) à l'agent n° {agent_id or '—'}",
        request=request,
        channel=channel,
    )
    return count


@transaction.atomic
def campaign_target_open(
    *, user: Any, target_id: int, request: HttpRequest | None = None, channel: str = "web"
) -> CampaignTarget:
    """One campaign household for the agent it is assigned to (or a responsable); the read is audited."""
    target = get_target_for_user(user, target_id)
    audit_record(
        actor=user,
        action=Action.READ,
        target_type="campaign_target",
        target_id=target.pk,
        fields=["household", "benefit", "estimated_monthly", "outcome", "notes"],
        reason=f"campagne n° {target.campaign_id}, ménage {target.household.reference}",
        request=request,
        channel=channel,
    )
    return target


@transaction.atomic
def campaign_target_record(
    *,
    user: Any,
    target_id: int,
    outcome: str,
    contacted_on: dt.date | None = None,
    claimed_monthly: Decimal | None = None,
    notes: str = "",
    request: HttpRequest | None = None,
    channel: str = "web",
) -> CampaignTarget:
    """Record the contact with a campaign household and its outcome (assigned agent or responsable)."""
    target = get_target_for_user(user, target_id)
    if outcome not in TargetOutcome.values:
        raise ValidationError({"outcome": "Suite du contact inconnue."})
    errors: dict[str, str] = {}
    if claimed_monthly is not None and outcome != TargetOutcome.CLAIMED:
        errors["claimed_monthly"] = "Le montant obtenu ne se renseigne que pour une demande faite."
    if claimed_monthly is not None and claimed_monthly < 0:
        errors["claimed_monthly"] = "Le montant obtenu ne peut pas être négatif."
    today = timezone.localdate()
    if contacted_on is not None and contacted_on > today:
        errors["contacted_on"] = "La date du contact ne peut pas être dans le futur."
    if errors:
        raise ValidationError(errors)
    if outcome != TargetOutcome.TO_CONTACT and contacted_on is None:
        contacted_on = today
    target.outcome = outcome
    target.contacted_on = contacted_on
    target.claimed_monthly = claimed_monthly
    target.notes = notes.strip()
    target.outcome_by = user
    target.outcome_at = timezone.now()
    target.save(
        update_fields=["outcome", "contacted_on", "claimed_monthly", "notes", "outcome_by", "outcome_at", "updated_at"]
    )
    audit_record(
        actor=user,
        action=Action.UPDATE,
        target_type="campaign_target",
        target_id=target.pk,
        fields=["outcome", "contacted_on", "claimed_monthly", "notes"],
        reason=f"campagne n° {target.campaign_id}, ménage {target.household.reference}",
        request=request,
        channel=channel,
    )
    return target


# --- Reading -----------------------------------------------------------------------------------------


def campaign_list() -> QuerySet[Campaign]:
    return Campaign.objects.select_related("quartier", "created_by")


@dataclass(frozen=True)
class TargetFilters:
    benefit: str = ""
    quartier: str = ""  # slug; "-" for households without a neighbourhood
    agent: int | None = None  # 0: not assigned
    outcome: str = ""
    gap: bool | None = None  # True: received too low; False: not received at all


def campaign_targets(user: Any, campaign: Campaign, filters: TargetFilters) -> QuerySet[CampaignTarget]:
    """The campaign's households ``user`` may see (all for a responsable, their own otherwise)."""
    applicant = Person.objects.filter(household=OuterRef("household"), household_role=HouseholdRole.APPLICANT)
    targets = (
        CampaignTarget.objects.filter(campaign=campaign)
        .select_related("household", "quartier", "assigned_to", "outcome_by")
        .annotate(
            applicant_name=Subquery(
                applicant.annotate(full=Concat("first_name", Value(" "), "last_name")).values("full")[:1]
            )
        )
    )
    if not can_manage_campaigns(user):
        targets = targets.filter(assigned_to=user)
        # A file made confidential after the campaign ran stays out of the list of those who may not open it.
        confidential = list(targets.filter(household__is_confidential=True).values_list("household_id", flat=True))
        if confidential:
            targets = targets.exclude(household_id__in=set(confidential) - confidential_ids_open_to(user, confidential))
    if filters.benefit:
        targets = targets.filter(benefit=filters.benefit)
    if filters.quartier == "-":
        targets = targets.filter(quartier__isnull=True)
    elif filters.quartier:
        targets = targets.filter(quartier__slug=filters.quartier)
    if filters.agent == 0:
        targets = targets.filter(assigned_to__isnull=True)
    elif filters.agent is not None:
        targets = targets.filter(assigned_to_id=filters.agent)
    if filters.outcome:
        targets = targets.filter(outcome=filters.outcome)
    if filters.gap is not None:
        targets = targets.filter(is_gap=filters.gap)
    return targets.order_by("-estimated_monthly", "household__reference", "benefit")


@transaction.atomic
def campaign_targets_open(
    *,
    user: Any,
    campaign_id: int,
    filters: TargetFilters,
    request: HttpRequest | None = None,
    channel: str = "web",
) -> tuple[Campaign, QuerySet[CampaignTarget]]:
    """The campaign and the named households ``user`` may see; the read of the list is audited."""
    campaign = get_campaign_for_user(user, campaign_id)
    if not user.has_perm(Perm.HOUSEHOLD_FOLLOW.full):
        raise PermissionDenied("La liste des ménages d'une campagne est réservée au suivi social.")
    targets = campaign_targets(user, campaign, filters)
    audit_record(
        actor=user,
        action=Action.READ,
        target_type="campaign_targets",
        target_id=campaign.pk,
        fields=["household", "benefit", "estimated_monthly", "outcome"],
        reason=(
            f"liste des ménages de la campagne « {campaign.name} » ({targets.count()} ligne(s) ; filtres "
            f"prestation={filters.benefit or '*'}, quartier={filters.quartier or '*'}, "
            f"agent={'*' if filters.agent is None else filters.agent}, suite={filters.outcome or '*'}, "
            f"écart={'*' if filters.gap is None else filters.gap})"
        ),
        request=request,
        channel=channel,
    )
    return campaign, targets


def target_applicant(target: CampaignTarget) -> Person | None:
    """The applicant of a campaign household, to call them (callers have checked and audited)."""
    return Person.objects.filter(household_id=target.household_id, household_role=HouseholdRole.APPLICANT).first()


@dataclass(frozen=True)
class ResultRow:
    key: str
    label: str
    households: int
    monthly: Decimal


@dataclass(frozen=True)
class OutcomeRow:
    key: str
    label: str
    count: int


@dataclass(frozen=True)
class CampaignResults:
    households: int  # distinct households with at least one benefit not claimed
    targets: int
    monthly: Decimal
    by_benefit: list[ResultRow]
    by_quartier: list[ResultRow]
    by_outcome: list[OutcomeRow]
    contacted_households: int
    claims: int
    recovered_monthly: Decimal  # amount obtained when recorded, else the estimate, of the claims made


def campaign_results(campaign: Campaign) -> CampaignResults:
    """Aggregates only (counts and amounts), never a name: what direction may see."""
    targets = CampaignTarget.objects.filter(campaign=campaign)
    money = Coalesce(Sum("estimated_monthly"), ZERO)
    benefit_rows = {
        row["benefit"]: row
        for row in targets.values("benefit").annotate(n=Count("household", distinct=True), m=money).order_by()
    }
    by_benefit = [
        ResultRow(key, BENEFIT_LABELS.get(key, key), benefit_rows[key]["n"], round_money(benefit_rows[key]["m"]))
        for key in BENEFIT_LABELS
        if key in benefit_rows
    ]
    by_benefit.sort(key=lambda row: row.monthly, reverse=True)
    quartier_rows = (
        targets.values("quartier__slug", "quartier__name")
        .annotate(n=Count("household", distinct=True), m=money)
        .order_by("quartier__name")
    )
    by_quartier = [
        ResultRow(
            row["quartier__slug"] or "-", row["quartier__name"] or "Sans quartier", row["n"], round_money(row["m"])
        )
        for row in quartier_rows
    ]
    outcome_counts = dict(targets.values_list("outcome").annotate(n=Count("pk")).order_by())
    claimed = targets.filter(outcome=TargetOutcome.CLAIMED)
    recovered = claimed.aggregate(total=Coalesce(Sum(Coalesce("claimed_monthly", "estimated_monthly")), ZERO))
    totals = targets.aggregate(households=Count("household", distinct=True), monthly=money, count=Count("pk"))
    return CampaignResults(
        households=totals["households"],
        targets=totals["count"],
        monthly=round_money(totals["monthly"]),
        by_benefit=by_benefit,
        by_quartier=by_quartier,
        by_outcome=[OutcomeRow(key, label, outcome_counts.get(key, 0)) for key, label in TargetOutcome.choices],
        contacted_households=targets.exclude(outcome=TargetOutcome.TO_CONTACT).values("household").distinct().count(),
        claims=claimed.count(),
        recovered_monthly=round_money(recovered["total"]),
    )


def move_campaign_targets(source: Household, target: Household) -> int:
    """Merge hook: the merged file's campaign households move to the kept file, unless the kept file
    is already listed for the same campaign and benefit (then the duplicate goes)."""
    taken = set(CampaignTarget.objects.filter(household=target).values_list("campaign_id", "benefit"))
    duplicates = [
        row.pk for row in CampaignTarget.objects.filter(household=source) if (row.campaign_id, row.benefit) in taken
    ]
    CampaignTarget.objects.filter(pk__in=duplicates).delete()
    return CampaignTarget.objects.filter(household=source).update(household=target)
