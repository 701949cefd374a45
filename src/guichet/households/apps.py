from django.apps import AppConfig


class HouseholdsConfig(AppConfig):
    name = "guichet.households"
    label = "households"

    def ready(self) -> None:
        from guichet.households import timeline  # noqa: PLC0415

        timeline.connect()
