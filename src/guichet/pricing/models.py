"""Municipal services and their tariff grids (one row per version; the past is never edited)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from guichet.pricing.enums import ServiceKind


class MunicipalService(models.Model):
    """A service the commune prices by household (canteen, crèche…). ``min_age``/``max_age`` say
    which members it concerns (inclusive; empty = no bound). ``is_example`` marks the demo catalogue."""

    name = models.CharField("nom", max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    kind = models.CharField("nature", max_length=32, choices=ServiceKind.choices)
    unit = models.CharField("unité facturée", max_length=40, help_text="repas, heure, journée, mois…")
    description = models.TextField("description", blank=True)
    min_age = models.PositiveSmallIntegerField("âge minimum", null=True, blank=True)
    max_age = models.PositiveSmallIntegerField("âge maximum (inclus)", null=True, blank=True)
    is_example = models.BooleanField("exemple (démonstration)", default=False)
    position = models.PositiveSmallIntegerField("ordre d'affichage", default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = "service municipal"
        verbose_name_plural = "services municipaux"

    def __str__(self) -> str:
        return self.name

    def concerns_age(self, age: int) -> bool:
        return (self.min_age is None or age >= self.min_age) and (self.max_age is None or age <= self.max_age)


class TariffGrid(models.Model):
    """One version of a service's tariff: ``data`` is the grid's dict form (``rules.tariffs.grid_to_dict``),
    always valid; ``valid_from``/``valid_to`` mirror its dates for queries."""

    service = models.ForeignKey(MunicipalService, on_delete=models.CASCADE, related_name="grids")
    data = models.JSONField("grille")
    valid_from = models.DateField("en vigueur du")
    valid_to = models.DateField("au (inclus)", null=True, blank=True)
    deliberation = models.CharField("délibération", max_length=200, blank=True)
    deliberation_date = models.DateField("date de la délibération", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["service_id", "-valid_from"]
        verbose_name = "grille tarifaire"
        constraints = [models.UniqueConstraint(fields=["service", "valid_from"], name="unique_grid_start")]

    def __str__(self) -> str:
        return f"{self.service} depuis le {self.valid_from:%d/%m/%Y}"


class ReformPopulation(models.TextChoices):
    FILE = "fichier", "Ménages du fichier"
    SYNTHETIC = "synthetique", "Commune synthétique (démonstration)"


class ReformStatus(models.TextChoices):
    DRAFT = "brouillon", "En préparation"
    QUEUED = "en_attente", "En attente de calcul"
    RUNNING = "en_cours", "Calcul en cours"
    DONE = "terminee", "Terminée"
    FAILED = "echec", "Échec"


class ReformSimulation(models.Model):
    """A tariff reform simulated on a population: draft grids of one or several services with the
    attendance assumptions (``scenario``), and the aggregated ``results`` (no household-level data).

    ``scenario`` is a list of ``{"service": slug, "grille": draft grid dict, "unites_par_mois": "16",
    "frequentation": "80"}``; ``results`` is ``rules.reform.ReformResult.as_json()``."""

    title = models.CharField("intitulé", max_length=200)
    population = models.CharField(
        "population", max_length=16, choices=ReformPopulation.choices, default=ReformPopulation.FILE
    )
    reference_date = models.DateField("date de référence des grilles actuelles")
    scenario = models.JSONField("projet", default=list, blank=True)
    status = models.CharField("état", max_length=16, choices=ReformStatus.choices, default=ReformStatus.DRAFT)
    progress = models.PositiveSmallIntegerField("avancement (%)", default=0)
    progress_label = models.CharField("étape", max_length=200, blank=True)
    results = models.JSONField("résultats", null=True, blank=True)
    error = models.TextField("erreur", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField("lancée le", null=True, blank=True)
    finished_at = models.DateTimeField("terminée le", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "simulation de réforme tarifaire"
        verbose_name_plural = "simulations de réforme tarifaire"

    def __str__(self) -> str:
        return self.title

    @property
    def is_running(self) -> bool:
        return self.status in {ReformStatus.QUEUED, ReformStatus.RUNNING}
