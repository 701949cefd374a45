from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "guichet.audit"
    label = "audit"
