"""Assessment results ↔ JSON, for storage: amounts as text (exact decimals), tuples as lists."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from guichet.rights.local_aids import LocalAidsOutcome, outcome_json
from guichet.rules.openfisca import Assessment, BenefitResult


def results_to_json(assessment: Assessment, *, local_aids: LocalAidsOutcome | None = None) -> dict[str, Any]:
    """``local_aids`` (the commune's own aids) is stored under ``local_aids`` when given."""
    stored = {
        "benefits": [
            {
                "key": r.key,
                "label": r.label,
                "eligible": r.eligible,
                "amount": None if r.amount is None else str(r.amount),
                "period": r.period,
                "facts": list(r.facts),
                "organisme": r.organisme,
                "link": r.link,
                "how_to_claim": r.how_to_claim,
                "documents": list(r.documents),
                "warnings": list(r.warnings),
                "is_cost": r.is_cost,
            }
            for r in assessment.results
        ],
        "inputs_summary": list(assessment.inputs_summary),
    }
    if local_aids is not None:
        stored["local_aids"] = outcome_json(local_aids)
    return stored


def results_from_json(data: dict[str, Any]) -> tuple[BenefitResult, ...]:
    return tuple(
        BenefitResult(
            key=item["key"],
            label=item["label"],
            eligible=item["eligible"],
            amount=None if item["amount"] is None else Decimal(item["amount"]),
            period=item["period"],
            facts=tuple(item["facts"]),
            organisme=item["organisme"],
            link=item["link"],
            how_to_claim=item["how_to_claim"],
            documents=tuple(item["documents"]),
            warnings=tuple(item["warnings"]),
            is_cost=item["is_cost"],
        )
        for item in data["benefits"]
    )
