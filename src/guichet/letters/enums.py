from django.db import models


class LetterKind(models.TextChoices):
    CONVOCATION = "convocation", "Convocation à un rendez-vous"
    REFERRAL = "orientation", "Courrier d'orientation vers un partenaire"
    FOLLOW_UP = "attestation", "Attestation de suivi"
    ANSWER = "reponse", "Réponse à une demande"
