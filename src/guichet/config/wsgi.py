"""WSGI entry point (served by granian in production, see docs/admin/installation.md)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guichet.config.settings")

application = get_wsgi_application()
