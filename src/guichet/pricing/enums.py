from django.db import models


class ServiceKind(models.TextChoices):
    CANTEEN = "cantine", "Restauration scolaire"
    AFTER_SCHOOL = "periscolaire", "Accueil périscolaire"
    LEISURE_CENTRE = "centre_loisirs", "Centre de loisirs"
    CRECHE = "creche", "Crèche"
    MUSIC_SCHOOL = "ecole_musique", "École de musique"
    MEALS_ON_WHEELS = "portage_repas", "Portage de repas"
    REMOTE_ASSISTANCE = "teleassistance", "Téléassistance"
    TRANSPORT = "transport", "Transport"
    HOLIDAYS = "sejours", "Séjours"
    OTHER = "autre", "Autre service"
