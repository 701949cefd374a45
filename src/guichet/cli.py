"""The ``guichet`` command: Django's management commands under the platform's name.

``guichet audit verify`` is ``manage.py audit verify``; ``guichet demo generate`` is ``manage.py demo generate``.
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guichet.config.settings")
    from django.core.management import execute_from_command_line  # noqa: PLC0415 - after settings module is set

    execute_from_command_line(["guichet", *sys.argv[1:]])
