"""``guichet rappels``: run the reminder jobs once, without Celery beat.

On the embedded default (no ``REDIS_URL``) nothing runs the beat schedule: call this command from cron
(every hour, for instance). Both jobs are idempotent, so running it more often than beat does is harmless.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from guichet.agenda.tasks import appointment_reminders_task
from guichet.desk.tasks import referral_reminders_task


class Command(BaseCommand):
    help = (
        "Envoyer une fois les rappels : rendez-vous des prochaines 24 heures (e-mail et SMS) et "
        "orientations sans réponse après le délai du partenaire."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--seulement",
            choices=("rendez-vous", "orientations"),
            help="ne lancer qu'un des deux rappels",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        only = options["seulement"]
        if only in (None, "rendez-vous"):
            sent = appointment_reminders_task()
            self.stdout.write(f"Rendez-vous : {sent} rappel(s) envoyé(s).")
        if only in (None, "orientations"):
            flagged = referral_reminders_task()
            self.stdout.write(f"Orientations : {flagged} relance(s) à faire signalée(s).")
