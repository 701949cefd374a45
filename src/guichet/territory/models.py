"""The commune's territory: neighbourhoods (quartiers) with their QPV flag and boundaries, IRIS, addresses."""

from __future__ import annotations

from django.db import models


class Quartier(models.Model):
    """A neighbourhood. ``boundary`` is a GeoJSON geometry (Polygon or MultiPolygon, WGS 84).

    ``is_illustrative`` marks demo boundaries cut from the commune outline: every screen that shows
    them says so. Real boundaries are imported with ``guichet territoire importer``.
    """

    name = models.CharField("nom", max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    pole = models.CharField("pôle urbain", max_length=120, blank=True)
    is_qpv = models.BooleanField("quartier prioritaire (QPV)", default=False)
    qpv_code = models.CharField("code QPV", max_length=16, blank=True)
    boundary = models.JSONField("contour (GeoJSON)", null=True, blank=True)
    is_illustrative = models.BooleanField("contour illustratif", default=False)
    boundary_source = models.CharField("origine du contour", max_length=200, blank=True)
    # Changes with every save: the point-in-polygon cache of each process compares it to know when to reload.
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "quartier"

    def __str__(self) -> str:
        return self.name


class Iris(models.Model):
    """An INSEE IRIS (statistical unit), optionally attached to a neighbourhood."""

    code = models.CharField(max_length=9, unique=True)
    name = models.CharField("nom", max_length=120, blank=True)
    quartier = models.ForeignKey(Quartier, null=True, blank=True, on_delete=models.SET_NULL, related_name="iris")
    boundary = models.JSONField("contour (GeoJSON)", null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = "IRIS"
        verbose_name_plural = "IRIS"

    def __str__(self) -> str:
        return f"{self.code} {self.name}".strip()


class StreetQuartier(models.Model):
    """Street-to-neighbourhood table kept by an administrator, used when an address has no coordinates."""

    street_name = models.CharField("voie", max_length=200)
    street_key = models.CharField(max_length=200, unique=True, help_text="nom de voie normalisé")
    quartier = models.ForeignKey(Quartier, on_delete=models.CASCADE, related_name="streets")

    class Meta:
        ordering = ["street_name"]
        verbose_name = "rattachement voie → quartier"

    def __str__(self) -> str:
        return f"{self.street_name} → {self.quartier}"


class Address(models.Model):
    number = models.CharField("numéro", max_length=16, blank=True)
    street_name = models.CharField("voie", max_length=200)
    complement = models.CharField("complément", max_length=200, blank=True)
    postcode = models.CharField("code postal", max_length=5)
    city = models.CharField("commune", max_length=120)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    quartier = models.ForeignKey(Quartier, null=True, blank=True, on_delete=models.SET_NULL, related_name="addresses")
    iris = models.ForeignKey(Iris, null=True, blank=True, on_delete=models.SET_NULL, related_name="addresses")
    is_synthetic = models.BooleanField("données fictives", default=False, db_index=True)

    class Meta:
        verbose_name = "adresse"

    def __str__(self) -> str:
        return f"{self.number} {self.street_name}, {self.postcode} {self.city}".strip()
