"""Writes of the pricing app: a new grid version (the past is never edited), and the audited read
of a household's prices."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from guichet.audit.enums import Action
from guichet.audit.services import audit_record
from guichet.households.perms import get_household_for_user
from guichet.pricing.models import MunicipalService, TariffGrid
from guichet.pricing.perms import can_manage_grids, can_see_household_prices
from guichet.pricing.selectors import HouseholdPrices, household_prices
from guichet.rules.tariffs import FieldError, GridError, grid_from_dict, grid_to_dict

GRID_FIELDS = ["regle", "modulations", "debut", "fin", "deliberation", "arrondi"]
PRICE_FIELDS = ["caf_quotient", "resources", "taxable_incomes", "tarifs"]


@transaction.atomic
def tariff_grid_create(
    *,
    user: Any,
    service: MunicipalService,
    data: dict[str, Any],
    request: HttpRequest | None = None,
    channel: str = "web",
    today: dt.date | None = None,
) -> TariffGrid:
    """Adopt a new grid version for ``service``: it starts after the latest version and not in the
    past (prices already billed stay as they were); the version in force then ends the day before.
    ``GridError`` lists every problem, with the path of each."""
    if not can_manage_grids(user):
        raise PermissionDenied("Seul un responsable peut modifier les grilles tarifaires.")
    today = today or timezone.localdate()
    grid = grid_from_dict({**data, "service": service.name, "unite": service.unit})
    latest = service.grids.select_for_update().order_by("-valid_from").first()
    errors = []
    if grid.valid_from < today:
        errors.append(FieldError("debut", "une nouvelle grille ne peut pas commencer dans le passé"))
    if latest is not None and grid.valid_from <= latest.valid_from:
        errors.append(
            FieldError(
                "debut",
                f"la grille doit commencer après le {latest.valid_from:%d/%m/%Y}, début de la dernière version",
            )
        )
    if errors:
        raise GridError(errors)
    if latest is not None and (latest.valid_to is None or latest.valid_to >= grid.valid_from):
        latest.valid_to = grid.valid_from - dt.timedelta(days=1)
        latest.data = {**latest.data, "fin": latest.valid_to.isoformat()}
        latest.save(update_fields=["valid_to", "data"])
        audit_record(
            actor=user,
            action=Action.UPDATE,
            target_type="tariff_grid",
            target_id=latest.pk,
            fields=["fin"],
            reason=f"remplacée par la grille du {grid.valid_from:%d/%m/%Y}",
            request=request,
            channel=channel,
        )
    row = TariffGrid.objects.create(
        service=service,
        data=grid_to_dict(grid),
        valid_from=grid.valid_from,
        valid_to=grid.valid_to,
        deliberation=grid.deliberation,
        deliberation_date=grid.deliberation_date,
        created_by=user,
    )
    audit_record(
        actor=user,
        action=Action.CREATE,
        target_type="tariff_grid",
        target_id=row.pk,
        fields=GRID_FIELDS,
        request=request,
        channel=channel,
    )
    return row


@transaction.atomic
def household_prices_open(
    *, user: Any, household_id: int, request: HttpRequest | None = None, channel: str = "web"
) -> HouseholdPrices:
    """The household's quotient and prices for ``user`` (household policy checked), read audited."""
    if not can_see_household_prices(user):
        raise PermissionDenied("Le quotient et les tarifs d'un ménage sont réservés au suivi social.")
    household = get_household_for_user(user, household_id)
    audit_record(
        actor=user,
        action=Action.READ,
        target_type="household",
        target_id=household.pk,
        fields=PRICE_FIELDS,
        reason="tarifs du ménage",
        request=request,
        channel=channel,
    )
    return household_prices(household, timezone.localdate())
