from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "guichet.records"
    label = "records"
    verbose_name = "Pièces et notes sociales"

    def ready(self) -> None:
        from guichet.households.timeline import register_timeline_audience, register_timeline_provider  # noqa: PLC0415
        from guichet.records.models import Document, Note  # noqa: PLC0415
        from guichet.records.timeline import NOTE_READERS, document_events, may_read_note, note_events  # noqa: PLC0415

        register_timeline_provider(
            "records.documents", document_events, sources={Document: lambda document: [document.household_id]}
        )
        register_timeline_provider("records.notes", note_events, sources={Note: lambda note: [note.household_id]})
        register_timeline_audience(NOTE_READERS, may_read_note)

        from guichet.households.merge import register_merge_hook, register_person_merge_hook  # noqa: PLC0415
        from guichet.records.merge import move_person_documents, move_records  # noqa: PLC0415

        register_merge_hook("records", move_records)
        register_person_merge_hook("records.documents", move_person_documents)
