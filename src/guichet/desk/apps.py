from django.apps import AppConfig


class DeskConfig(AppConfig):
    name = "guichet.desk"
    label = "desk"

    def ready(self) -> None:
        from guichet.desk.merge import move_person_requests, move_requests  # noqa: PLC0415
        from guichet.desk.models import Request, RequestEvent  # noqa: PLC0415  # models are ready only now
        from guichet.desk.timeline import event_households, request_events  # noqa: PLC0415
        from guichet.households.merge import register_merge_hook, register_person_merge_hook  # noqa: PLC0415
        from guichet.households.timeline import register_timeline_provider  # noqa: PLC0415

        register_timeline_provider(
            "desk",
            request_events,
            sources={Request: lambda demand: [demand.household_id], RequestEvent: event_households},
        )
        register_merge_hook("desk.requests", move_requests)
        register_person_merge_hook("desk.requests", move_person_requests)
