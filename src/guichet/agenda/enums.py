from django.db import models


class PlaceKind(models.TextChoices):
    MAISON_DU_CITOYEN = "maison_citoyen", "Maison du citoyen"
    CCAS = "ccas", "CCAS"
    HOTEL_DE_VILLE = "hotel_de_ville", "Hôtel de ville"
    HOME_VISIT = "domicile", "Visite à domicile"


class AppointmentStatus(models.TextChoices):
    PLANNED = "prevu", "Prévu"
    HONOURED = "honore", "Honoré"
    CANCELLED = "annule", "Annulé"
    NO_SHOW = "absent", "Absent"


class Weekday(models.IntegerChoices):
    """Days as ``datetime.date.weekday()`` numbers them."""

    MONDAY = 0, "Lundi"
    TUESDAY = 1, "Mardi"
    WEDNESDAY = 2, "Mercredi"
    THURSDAY = 3, "Jeudi"
    FRIDAY = 4, "Vendredi"
    SATURDAY = 5, "Samedi"
    SUNDAY = 6, "Dimanche"
