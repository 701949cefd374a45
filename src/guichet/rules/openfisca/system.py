"""The one OpenFisca-France tax-benefit system of the process: built lazily once (about 8 s),
shared by every simulation, and warmed up at process start so no request pays for it."""

from __future__ import annotations

import threading
from importlib.metadata import version
from typing import Any

from openfisca_france import FranceTaxBenefitSystem

_lock = threading.Lock()
_system: Any = None


def openfisca_france_version() -> str:
    """Stored with every result so that an assessment can be replayed with the same rules."""
    return version("openfisca-france")


def tax_benefit_system() -> Any:
    global _system
    if _system is None:
        with _lock:
            if _system is None:
                _system = FranceTaxBenefitSystem()
    return _system
