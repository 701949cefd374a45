from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "guichet.audit"
    label = "audit"
    verbose_name = "Journal d'audit"

    def ready(self) -> None:
        # Models are loaded only now; accounts (a lower layer) writes its entries through this recorder.
        from django.contrib.auth import signals

        from guichet.accounts.audit_sink import register_audit_sink
        from guichet.audit import handlers
        from guichet.audit.services import audit_record

        register_audit_sink(audit_record)
        signals.user_logged_in.connect(handlers.on_user_logged_in, dispatch_uid="guichet.audit.login")
        signals.user_logged_out.connect(handlers.on_user_logged_out, dispatch_uid="guichet.audit.logout")
        signals.user_login_failed.connect(handlers.on_user_login_failed, dispatch_uid="guichet.audit.login_failed")
