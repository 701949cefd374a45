"""WSGI entry point (served by granian in production, see docs/admin/installation.md).

The first OpenFisca-France simulation in a process costs 10-15 s (tax-benefit system, conversion
tables): a background thread pays it at start, off the request path, unless
``GUICHET_WARM_OPENFISCA=0``.
"""

import os
import threading

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guichet.config.settings")

application = get_wsgi_application()


def _warm_openfisca() -> None:
    from guichet.rules.openfisca import warm_up  # noqa: PLC0415 - heavy import, in the background thread only

    warm_up()


if os.environ.get("GUICHET_WARM_OPENFISCA", "1") != "0":
    threading.Thread(target=_warm_openfisca, name="openfisca-warm-up", daemon=True).start()
