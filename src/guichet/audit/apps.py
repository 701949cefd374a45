from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "guichet.audit"
    label = "audit"

    def ready(self) -> None:
        # Models are loaded only now; accounts (a lower layer) writes its entries through this recorder.
        from guichet.accounts.audit_sink import register_audit_sink
        from guichet.audit.services import audit_record

        register_audit_sink(audit_record)
