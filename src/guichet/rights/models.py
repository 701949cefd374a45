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
