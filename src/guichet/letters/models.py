"""Letter templates (editable French texts) and the letters generated from a household file."""

from django.conf import settings
from django.db import models

from guichet.desk.models import Referral, Request
from guichet.households.models import Household
from guichet.letters.enums import LetterKind


class LetterTemplate(models.Model):
    """One French text per kind; ``body`` uses the variables listed in ``rendering.VARIABLES`` only."""

    kind = models.CharField("type de courrier", max_length=16, choices=LetterKind.choices, unique=True)
    title = models.CharField("objet", max_length=200)
    body = models.TextField("texte")
    is_active = models.BooleanField("actif", default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind"]
        verbose_name = "modèle de courrier"

    def __str__(self) -> str:
        return self.get_kind_display()


class Letter(models.Model):
    """A generated letter: the rendered text and its PDF, kept in the household file."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="letters")
    kind = models.CharField("type de courrier", max_length=16, choices=LetterKind.choices)
    title = models.CharField("objet", max_length=200)
    text = models.TextField("texte")
    pdf = models.BinaryField("PDF")
    request = models.ForeignKey(Request, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    referral = models.ForeignKey(Referral, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "courrier"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.household}"

    @property
    def filename(self) -> str:
        return f"courrier-{self.kind}-{self.household.reference}-{self.pk}.pdf"
