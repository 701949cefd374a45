"""The OpenFisca-France adapter: national benefits for a household and a month, single or in batches.

``assess(household, month)``, ``assess_many(households, month, chunk_size=...)`` and the picklable
per-chunk ``assess_chunk`` (for worker processes); ``warm_up()`` at process start. Every
assessment records the openfisca-france version it was computed with.
"""

from guichet.rules.openfisca.assessment import Assessment, BenefitResult, assess, assess_chunk, assess_many, warm_up
from guichet.rules.openfisca.catalogue import BENEFITS, CATALOGUE_VERSION
from guichet.rules.openfisca.mapping import MappingError
from guichet.rules.openfisca.system import openfisca_france_version

__all__ = [
    "BENEFITS",
    "CATALOGUE_VERSION",
    "Assessment",
    "BenefitResult",
    "MappingError",
    "assess",
    "assess_chunk",
    "assess_many",
    "openfisca_france_version",
    "warm_up",
]
