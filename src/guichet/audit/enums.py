from django.db import models


class Action(models.TextChoices):
    READ = "read", "Consultation"
    CREATE = "create", "Création"
    UPDATE = "update", "Modification"
    DELETE = "delete", "Suppression"
    EXPORT = "export", "Export"
    LOGIN = "login", "Connexion"
    LOGIN_FAILED = "login_failed", "Échec de connexion"
    LOGOUT = "logout", "Déconnexion"
    PERMISSION_CHANGE = "permission_change", "Changement de droits"
    BREAK_GLASS = "break_glass", "Accès motivé à un dossier confidentiel"
    PURGE = "purge", "Purge"
