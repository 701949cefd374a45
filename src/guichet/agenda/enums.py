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
