"""The household file: households, people, links, monthly resources, yearly taxable income, consents."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from guichet.households.enums import (
    ChargeKind,
    ConsentScope,
    HouseholdRole,
    HousingStatus,
    LinkKind,
    Occupation,
    QuotientSource,
    ResourceKind,
    Sex,
)
from guichet.territory.models import Address


class Household(models.Model):
    """A household (foyer). ``is_synthetic`` marks generated demo data; ``is_confidential`` restricts
    access to the referents and responsables (others must break the glass, which is logged)."""

    reference = models.CharField("référence", max_length=20, unique=True)
    address = models.ForeignKey(Address, null=True, blank=True, on_delete=models.SET_NULL, related_name="households")
    phone = models.CharField("téléphone", max_length=32, blank=True)
    email = models.EmailField("courriel", blank=True)
    housing_status = models.CharField(
        "logement", max_length=32, choices=HousingStatus.choices, default=HousingStatus.PRIVATE_TENANT
    )
    landlord = models.CharField("bailleur", max_length=200, blank=True)
    rent = models.DecimalField("loyer mensuel (€)", max_digits=9, decimal_places=2, null=True, blank=True)
    caf_number = models.CharField("n° allocataire CAF", max_length=16, blank=True)
    msa_number = models.CharField("n° MSA", max_length=16, blank=True)
    caf_quotient = models.DecimalField(
        "quotient familial CAF (€)", max_digits=9, decimal_places=2, null=True, blank=True
    )
    caf_quotient_date = models.DateField("date du quotient familial", null=True, blank=True)
    caf_quotient_source = models.CharField(
        "source du quotient familial", max_length=32, choices=QuotientSource.choices, blank=True
    )
    is_confidential = models.BooleanField("dossier confidentiel", default=False)
    referents = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="referent_households")
    is_synthetic = models.BooleanField("données fictives", default=False, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["reference"]
        verbose_name = "ménage"

    def __str__(self) -> str:
        return self.reference


class Person(models.Model):
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="people")
    household_role = models.CharField("place dans le ménage", max_length=16, choices=HouseholdRole.choices)
    last_name = models.CharField("nom", max_length=120)
    birth_name = models.CharField("nom de naissance", max_length=120, blank=True)
    first_name = models.CharField("prénom", max_length=120)
    search_name = models.CharField(
        max_length=250, db_index=True, help_text="« prénom nom » sans accents ni majuscules, pour la recherche"
    )
    sex = models.CharField("sexe", max_length=1, choices=Sex.choices)
    birth_date = models.DateField("date de naissance")
    phone = models.CharField("téléphone", max_length=32, blank=True)
    email = models.EmailField("courriel", blank=True)
    occupation = models.CharField("situation", max_length=32, choices=Occupation.choices, default=Occupation.OTHER)
    disability_rate = models.PositiveSmallIntegerField("taux d'incapacité (%)", null=True, blank=True)
    has_rqth = models.BooleanField("RQTH", default=False)
    has_disability_card = models.BooleanField("carte mobilité inclusion invalidité", default=False)
    is_pregnant = models.BooleanField("grossesse en cours", default=False)

    class Meta:
        ordering = ["household_id", "birth_date"]
        verbose_name = "personne"

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"


class PersonLink(models.Model):
    """``from_person`` is <kind> of ``to_person`` (e.g. parent of a child)."""

    from_person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="links_from")
    to_person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="links_to")
    kind = models.CharField("lien", max_length=16, choices=LinkKind.choices)

    class Meta:
        verbose_name = "lien entre personnes"
        constraints = [
            models.UniqueConstraint(fields=["from_person", "to_person", "kind"], name="unique_person_link"),
        ]

    def __str__(self) -> str:
        return f"{self.from_person} — {self.get_kind_display()} — {self.to_person}"


class Resource(models.Model):
    """A net monthly amount received in ``month`` (first day of the month). ``person`` is empty for
    household-level benefits (housing aid, family benefits paid to the household)."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="resources")
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.CASCADE, related_name="resources")
    kind = models.CharField("nature", max_length=32, choices=ResourceKind.choices)
    month = models.DateField("mois")
    amount = models.DecimalField("montant net mensuel (€)", max_digits=9, decimal_places=2)

    class Meta:
        ordering = ["household_id", "month", "kind"]
        verbose_name = "ressource mensuelle"
        indexes = [models.Index(fields=["household", "month"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.month:%m/%Y} : {self.amount} €"


class Charge(models.Model):
    """A monthly charge of the household (rent, energy, water, loan...), net of aids paid to the landlord."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="charges")
    kind = models.CharField("nature", max_length=16, choices=ChargeKind.choices)
    label = models.CharField("précision", max_length=120, blank=True)
    amount = models.DecimalField("montant mensuel (€)", max_digits=9, decimal_places=2)

    class Meta:
        ordering = ["household_id", "kind", "pk"]
        verbose_name = "charge mensuelle"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} : {self.amount} €"


class TaxableIncome(models.Model):
    """Yearly income as declared for tax (needed for year N-2 by the CAF quotient and benefits)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="taxable_incomes")
    year = models.PositiveSmallIntegerField("année")
    amount = models.DecimalField("revenus déclarés (€)", max_digits=10, decimal_places=2)

    class Meta:
        verbose_name = "revenu annuel déclaré"
        constraints = [models.UniqueConstraint(fields=["person", "year"], name="unique_taxable_income_year")]

    def __str__(self) -> str:
        return f"{self.person} {self.year} : {self.amount} €"


class Consent(models.Model):
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="consents")
    scope = models.CharField("objet", max_length=32, choices=ConsentScope.choices)
    given_at = models.DateTimeField("recueilli le")
    withdrawn_at = models.DateTimeField("retiré le", null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["household_id", "scope", "given_at"]
        verbose_name = "consentement"

    def __str__(self) -> str:
        return f"{self.household} — {self.get_scope_display()}"


class BreakGlassGrant(models.Model):
    """Temporary access to a confidential household, given by a motivated "break the glass"."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="break_glass_grants")
    reason = models.TextField("motif")
    granted_at = models.DateTimeField("accordé le")
    expires_at = models.DateTimeField("expire le", db_index=True)

    class Meta:
        ordering = ["-granted_at"]
        verbose_name = "accès motivé"
        verbose_name_plural = "accès motivés"

    def __str__(self) -> str:
        return f"{self.user} → {self.household} jusqu'au {self.expires_at:%d/%m/%Y %H:%M}"


class TimelineState(models.Model):
    """Whether the stored events of one timeline provider for a household are current: every change to
    what the provider reads adds one to ``version`` (in the transaction of the change); a rebuild stores
    the provider's events and sets ``built_version`` to the version it read first. Current when equal."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="timeline_states")
    provider = models.CharField(max_length=60)
    version = models.PositiveBigIntegerField(default=0)
    built_version = models.PositiveBigIntegerField(null=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["household", "provider"], name="timeline_state_provider")]
        verbose_name = "état de l'historique"

    def __str__(self) -> str:
        current = "à jour" if self.built_version == self.version else "à reconstruire"
        return f"Historique du ménage {self.household_id}, {self.provider} ({current})"


class TimelineEntry(models.Model):
    """One event of a household's stored timeline, as its provider gave it (a derived copy, rebuilt from
    the records when they change: never edited by hand). Timeline order: ``at`` descending, then the
    provider's ``position`` among the providers, then ``seq``, its order within the provider's events.
    ``audience`` says who may see it (empty: whoever may open the household)."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="+")
    provider = models.CharField(max_length=60)
    position = models.PositiveSmallIntegerField()
    seq = models.PositiveIntegerField()
    at = models.DateTimeField()
    kind = models.CharField(max_length=40)
    title = models.TextField()
    detail = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)
    actor = models.CharField(max_length=300, blank=True)
    audience = models.CharField(max_length=60, blank=True)
    html = models.TextField()  # the event's line as the pages show it (values escaped when rendered)

    class Meta:
        indexes = [models.Index(fields=["household", "provider"], name="timeline_entry_provider")]
        verbose_name = "événement de l'historique"

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.kind} : {self.title}"
