from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "guichet.letters"
    label = "letters"
    verbose_name = "Courriers"

    def ready(self) -> None:
        from guichet.households.timeline import register_timeline_provider  # noqa: PLC0415
        from guichet.letters.timeline import letter_events  # noqa: PLC0415

        register_timeline_provider("letters.letters", letter_events)

        from guichet.households.merge import register_merge_hook  # noqa: PLC0415
        from guichet.letters.merge import move_letters  # noqa: PLC0415

        register_merge_hook("letters", move_letters)
