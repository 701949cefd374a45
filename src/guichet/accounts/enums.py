"""Roles and named permissions, defined in code (groups and permissions are created by migration)."""

from django.db import models


class Role(models.TextChoices):
    ACCUEIL = "accueil", "Accueil"
    TRAVAILLEUR_SOCIAL = "travailleur_social", "Travailleur social"
    RESPONSABLE = "responsable", "Responsable"
    DIRECTION = "direction", "Direction / élu"
    ADMINISTRATEUR = "administrateur", "Administrateur"


class Perm(models.TextChoices):
    """Named permissions. The value is the codename on accounts.User; check with ``user.has_perm(perm.full)``."""

    HOUSEHOLD_VIEW = "household_view", "Voir les ménages (coordonnées et demandes)"
    HOUSEHOLD_EDIT = "household_edit", "Créer et modifier les ménages et les demandes"
    HOUSEHOLD_FOLLOW = "household_follow", "Suivre les ménages (notes sociales, évaluations)"
    HOUSEHOLD_MERGE = "household_merge", "Fusionner des ménages"
    HOUSEHOLD_EXPORT = "household_export", "Exporter des données personnelles"
    CONFIDENTIAL_VIEW_ALL = "confidential_view_all", "Voir tous les dossiers confidentiels"
    BREAK_GLASS = "break_glass", "Accéder à un dossier confidentiel en motivant l'accès"
    DECIDE = "decide", "Décider (aides, budgets)"
    STATS_VIEW = "stats_view", "Voir les statistiques agrégées"
    AUDIT_VIEW = "audit_view", "Consulter le journal d'audit"
    USERS_MANAGE = "users_manage", "Gérer les utilisateurs et les rôles"
    SETTINGS_MANAGE = "settings_manage", "Gérer les paramètres"
    TERRITORY_MANAGE = "territory_manage", "Gérer le territoire (quartiers, rues)"

    @property
    def full(self) -> str:
        return f"accounts.{self.value}"


ROLE_PERMISSIONS: dict[Role, frozenset[Perm]] = {
    Role.ACCUEIL: frozenset({Perm.HOUSEHOLD_VIEW, Perm.HOUSEHOLD_EDIT, Perm.BREAK_GLASS}),
    Role.TRAVAILLEUR_SOCIAL: frozenset(
        {Perm.HOUSEHOLD_VIEW, Perm.HOUSEHOLD_EDIT, Perm.HOUSEHOLD_FOLLOW, Perm.HOUSEHOLD_EXPORT, Perm.BREAK_GLASS}
    ),
    Role.RESPONSABLE: frozenset(
        {
            Perm.HOUSEHOLD_VIEW,
            Perm.HOUSEHOLD_EDIT,
            Perm.HOUSEHOLD_FOLLOW,
            Perm.HOUSEHOLD_MERGE,
            Perm.HOUSEHOLD_EXPORT,
            Perm.CONFIDENTIAL_VIEW_ALL,
            Perm.DECIDE,
            Perm.STATS_VIEW,
            Perm.AUDIT_VIEW,
            Perm.SETTINGS_MANAGE,
            Perm.TERRITORY_MANAGE,
        }
    ),
    Role.DIRECTION: frozenset({Perm.STATS_VIEW}),
    Role.ADMINISTRATEUR: frozenset({Perm.USERS_MANAGE, Perm.SETTINGS_MANAGE, Perm.AUDIT_VIEW, Perm.TERRITORY_MANAGE}),
}
