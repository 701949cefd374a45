from django.apps import AppConfig


class HouseholdsConfig(AppConfig):
    name = "guichet.households"
    label = "households"

    def ready(self) -> None:
        from guichet.households.timeline import _household_events, register_timeline_provider  # noqa: PLC0415

        register_timeline_provider("households", _household_events)
