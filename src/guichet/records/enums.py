from django.db import models


class DocumentType(models.TextChoices):
    IDENTITY = "identite", "Pièce d'identité"
    PROOF_OF_ADDRESS = "domicile", "Justificatif de domicile"
    TAX_NOTICE = "imposition", "Avis d'imposition"
    CAF_CERTIFICATE = "caf", "Attestation CAF"
    PAYSLIP = "salaire", "Bulletin de salaire"
    RENT_RECEIPT = "loyer", "Quittance de loyer"
    BANK_DETAILS = "rib", "RIB"
    OTHER = "autre", "Autre"


class ExpiryStatus(models.TextChoices):
    VALID = "valid", "Valide"
    SOON = "soon", "Expire bientôt"
    EXPIRED = "expired", "Expirée"
