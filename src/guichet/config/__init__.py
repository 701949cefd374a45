"""Project wiring: settings, URLs, WSGI/ASGI and the Celery app."""

from guichet.config.celery import app as celery_app

__all__ = ["celery_app"]
