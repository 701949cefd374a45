from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "guichet.letters"
    label = "letters"
    verbose_name = "Courriers"

    def ready(self) -> None:
        from guichet.households.timeline import register_timeline_audience, register_timeline_provider  # noqa: PLC0415
        from guichet.letters.models import Letter  # noqa: PLC0415
        from guichet.letters.services import can_write_kind  # noqa: PLC0415
        from guichet.letters.timeline import LETTER_READERS, letter_events  # noqa: PLC0415

        register_timeline_provider(
            "letters.letters", letter_events, sources={Letter: lambda letter: [letter.household_id]}
        )
        register_timeline_audience(LETTER_READERS, can_write_kind)

        from guichet.households.merge import register_merge_hook  # noqa: PLC0415
        from guichet.letters.merge import move_letters  # noqa: PLC0415

        register_merge_hook("letters", move_letters)
