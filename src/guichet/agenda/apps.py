from django.apps import AppConfig


class AgendaConfig(AppConfig):
    name = "guichet.agenda"
    label = "agenda"

    def ready(self) -> None:
        from guichet.agenda.timeline import appointment_events, move_appointments  # noqa: PLC0415
        from guichet.households.merge import register_merge_hook  # noqa: PLC0415
        from guichet.households.timeline import register_timeline_provider  # noqa: PLC0415

        register_timeline_provider("agenda", appointment_events)
        register_merge_hook("agenda.appointments", move_appointments)
