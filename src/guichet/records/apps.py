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

        from guichet.households.merge import register_merge_hook, register_person_merge_hook  # noqa: PLC0415
        from guichet.records.merge import move_person_documents, move_records  # noqa: PLC0415

        register_merge_hook("records", move_records)
        register_person_merge_hook("records.documents", move_person_documents)
