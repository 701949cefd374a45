from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "guichet.records"
    label = "records"
    verbose_name = "Pièces et notes sociales"

    def ready(self) -> None:
        from guichet.households.timeline import register_timeline_provider  # noqa: PLC0415
        from guichet.records.timeline import document_events, note_events  # noqa: PLC0415

        register_timeline_provider("records.documents", document_events)
        register_timeline_provider("records.notes", note_events)
