"""Stored rights assessments: inputs, results, date, agent and OpenFisca-France version, so that an
assessment can be shown again and replayed from exactly what was computed."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from guichet.households.models import Household


class RightsAssessment(models.Model):
    """``inputs`` is the household in the JSON format of ``household_json`` (the file as it was);
    ``results`` the benefits computed (``results_json``)."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="rights_assessments")
    month = models.DateField("mois simulé")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("calculé le", auto_now_add=True)
    inputs = models.JSONField("données du ménage")
    results = models.JSONField("résultats")
    openfisca_france_version = models.CharField("version d'OpenFisca-France", max_length=32)
    catalogue_version = models.CharField("version du catalogue des aides", max_length=16)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "bilan de droits"
        verbose_name_plural = "bilans de droits"
        indexes = [models.Index(fields=["household", "-created_at"])]

    def __str__(self) -> str:
        return f"Bilan {self.household} {self.month:%m/%Y}"


# --- Non-take-up campaigns (« aller vers ») ----------------------------------------------------------


class CampaignScope(models.TextChoices):
    ALL = "tous", "Tous les ménages ayant accepté d'être contactés"
    QUARTIER = "quartier", "Un quartier"
    GROUP = "public", "Un public cible"


class CampaignGroup(models.TextChoices):
    SENIORS = "seniors", "Personnes de 60 ans et plus"
    SINGLE_PARENTS = "monoparentales", "Familles monoparentales"
    FAMILIES = "familles", "Familles avec enfants"
    DISABLED = "handicap", "Adultes en situation de handicap"


class CampaignStatus(models.TextChoices):
    QUEUED = "en_attente", "En attente"
    RUNNING = "en_cours", "En cours"
    DONE = "terminee", "Terminée"
    FAILED = "echec", "Échec"


class TargetOutcome(models.TextChoices):
    TO_CONTACT = "a_contacter", "À contacter"
    CONTACTED = "contacte", "Contacté"
    CLAIMED = "demande_faite", "Demande faite"
    NOT_INTERESTED = "pas_interesse", "Pas intéressé"
    NOT_ELIGIBLE = "non_eligible", "Non éligible après vérification"


class Campaign(models.Model):
    """A non-take-up campaign: the households of ``scope`` that accepted proactive contact, simulated
    for ``month`` in chunks of household ids (``CampaignChunk``); progress is ``done`` of ``total``."""

    name = models.CharField("nom", max_length=200)
    scope = models.CharField("périmètre", max_length=16, choices=CampaignScope.choices, default=CampaignScope.ALL)
    quartier = models.ForeignKey(
        "territory.Quartier", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="quartier"
    )
    group = models.CharField("public cible", max_length=16, choices=CampaignGroup.choices, blank=True)
    month = models.DateField("mois simulé")
    status = models.CharField("état", max_length=16, choices=CampaignStatus.choices, default=CampaignStatus.QUEUED)
    total = models.PositiveIntegerField("ménages à simuler", default=0)
    done = models.PositiveIntegerField("ménages simulés", default=0)
    skipped = models.PositiveIntegerField("ménages non simulables", default=0)
    chunk_count = models.PositiveIntegerField("lots", default=0)
    chunks_done = models.PositiveIntegerField("lots terminés", default=0)
    error = models.TextField("erreur", blank=True)
    openfisca_france_version = models.CharField("version d'OpenFisca-France", max_length=32, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    started_at = models.DateTimeField("lancée le", null=True, blank=True)
    finished_at = models.DateTimeField("terminée le", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "campagne « aller vers »"
        verbose_name_plural = "campagnes « aller vers »"

    def __str__(self) -> str:
        return self.name

    @property
    def percent(self) -> int:
        return 100 if not self.total else min(100, self.done * 100 // self.total)

    @property
    def is_active(self) -> bool:
        return self.status in (CampaignStatus.QUEUED, CampaignStatus.RUNNING)


class CampaignChunk(models.Model):
    """One chunk of a campaign's households; ``done_at`` set once, so progress counts each chunk once
    however many times it runs."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="chunks")
    index = models.PositiveIntegerField("numéro")
    household_ids = models.JSONField("ménages")
    done_at = models.DateTimeField("terminé le", null=True, blank=True)

    class Meta:
        ordering = ["campaign_id", "index"]
        verbose_name = "lot de campagne"
        constraints = [models.UniqueConstraint(fields=["campaign", "index"], name="unique_campaign_chunk")]

    def __str__(self) -> str:
        return f"{self.campaign} lot {self.index}"


class CampaignTarget(models.Model):
    """A household probably eligible to ``benefit`` that it does not receive (or receives too low),
    with the estimated monthly amount not claimed, and the contact made with it."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="targets")
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="campaign_targets")
    benefit = models.CharField("prestation", max_length=32)
    quartier = models.ForeignKey(
        "territory.Quartier",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="quartier",
    )
    is_gap = models.BooleanField("perçue mais trop bas", default=False)
    estimated_monthly = models.DecimalField("montant mensuel non perçu estimé (€)", max_digits=9, decimal_places=2)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="campaign_targets",
        verbose_name="agent",
    )
    outcome = models.CharField(
        "suite du contact", max_length=16, choices=TargetOutcome.choices, default=TargetOutcome.TO_CONTACT
    )
    contacted_on = models.DateField("contacté le", null=True, blank=True)
    claimed_monthly = models.DecimalField(
        "montant mensuel obtenu (€)", max_digits=9, decimal_places=2, null=True, blank=True
    )
    notes = models.TextField("notes", blank=True)
    outcome_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome_at = models.DateTimeField("suite enregistrée le", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["campaign_id", "household_id", "benefit"]
        verbose_name = "ménage à contacter"
        verbose_name_plural = "ménages à contacter"
        constraints = [
            models.UniqueConstraint(fields=["campaign", "household", "benefit"], name="unique_campaign_target")
        ]
        indexes = [
            models.Index(fields=["campaign", "benefit"]),
            models.Index(fields=["campaign", "assigned_to"]),
        ]

    def __str__(self) -> str:
        return f"{self.campaign} — {self.household} — {self.benefit}"
