"""The commune's own aids (aides facultatives, CASF L123-5) as declarative, versioned, dated YAML
files, and their evaluator. Format: docs/admin/aides-locales.md; examples in ``data/``.

``load_directory(path)`` reads a directory of aid files (``LocalAidFileError`` with file, line and
what is wrong); ``evaluate(aids, household, on)`` gives, for each aid version valid on ``on``,
eligibility, amount and the reasons.
"""

from pathlib import Path

from guichet.rules.local_aids.errors import LocalAidFileError
from guichet.rules.local_aids.evaluator import LocalAidResult, Reason, compute_amount, evaluate
from guichet.rules.local_aids.loader import aids_signature, check_directory, load_directory, load_file, parse_aid
from guichet.rules.local_aids.model import LocalAid

EXAMPLES_DIR = Path(__file__).resolve().parent / "data"

__all__ = [
    "EXAMPLES_DIR",
    "LocalAid",
    "LocalAidFileError",
    "LocalAidResult",
    "Reason",
    "aids_signature",
    "check_directory",
    "compute_amount",
    "evaluate",
    "load_directory",
    "load_file",
    "parse_aid",
]
