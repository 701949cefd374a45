from django.apps import AppConfig


class AgendaConfig(AppConfig):
    name = "guichet.agenda"
    label = "agenda"

    def ready(self) -> None:
        from guichet.agenda.models import Appointment, Place  # noqa: PLC0415
        from guichet.agenda.timeline import appointment_events, move_appointments, place_households  # noqa: PLC0415
        from guichet.households.merge import register_merge_hook  # noqa: PLC0415
        from guichet.households.timeline import register_timeline_provider  # noqa: PLC0415

        register_timeline_provider(
            "agenda",
            appointment_events,
            sources={Appointment: lambda appointment: [appointment.household_id], Place: place_households},
        )
        register_merge_hook("agenda.appointments", move_appointments)
