"""A small SMS provider interface.

``send_sms(to, body)`` hands the message to the backend named by the setting ``GUICHET_SMS_BACKEND``
(a dotted path to a class with a ``send(to, body)`` method). The default backend,
``RecordingSmsBackend``, does NOT send anything: it only records the message in the ``SmsMessage``
model, so that the commune can check what would be sent before plugging a real provider in.
"""

from __future__ import annotations

from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from guichet.agenda.models import SmsMessage

DEFAULT_BACKEND = "guichet.agenda.sms.RecordingSmsBackend"


class SmsBackend(Protocol):
    def send(self, to: str, body: str) -> None: ...


class RecordingSmsBackend:
    """Records the message in ``SmsMessage`` only; no SMS leaves the server."""

    def send(self, to: str, body: str) -> None:
        SmsMessage.objects.create(to=to, body=body)


def sms_backend() -> SmsBackend:
    backend: SmsBackend = import_string(getattr(settings, "GUICHET_SMS_BACKEND", "") or DEFAULT_BACKEND)()
    return backend


def send_sms(to: str, body: str) -> None:
    sms_backend().send(to, body)
