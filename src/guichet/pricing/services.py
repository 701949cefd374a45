"""Writes of the pricing app: the catalogue's services, a new grid version (the past is never
edited), and the audited reads of a household's prices (page and « vos tarifs » sheet)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.text import slugify

from guichet.audit.enums import Action
from guichet.audit.services import audit_record
from guichet.households.perms import get_household_for_user
from guichet.pricing.models import MunicipalService, TariffGrid
from guichet.pricing.perms import can_manage_grids, can_see_household_prices
from guichet.pricing.selectors import HouseholdPrices, household_prices
from guichet.pricing.sheet_pdf import tariff_sheet_pdf
from guichet.rules.tariffs import FieldError, GridError, grid_from_dict, grid_to_dict

GRID_FIELDS = ["regle", "modulations", "debut", "fin", "deliberation", "arrondi"]
PRICE_FIELDS = ["caf_quotient", "resources", "taxable_incomes", "tarifs"]
SHEET_REASON = "fiche « vos tarifs » (PDF)"


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


def _prices_open(
    *, user: Any, household_id: int, action: Action, reason: str, request: HttpRequest | None, channel: str
) -> HouseholdPrices:
    if not can_see_household_prices(user):
        raise PermissionDenied("Le quotient et les tarifs d'un ménage sont réservés au suivi social.")
    household = get_household_for_user(user, household_id)
    audit_record(
        actor=user,
        action=action,
        target_type="household",
        target_id=household.pk,
        fields=PRICE_FIELDS,
        reason=reason,
        request=request,
        channel=channel,
    )
    return household_prices(household, timezone.localdate())


@transaction.atomic
def household_prices_open(
    *, user: Any, household_id: int, request: HttpRequest | None = None, channel: str = "web"
) -> HouseholdPrices:
    """The household's quotient and prices for ``user`` (household policy checked), read audited."""
    return _prices_open(
        user=user,
        household_id=household_id,
        action=Action.READ,
        reason="tarifs du ménage",
        request=request,
        channel=channel,
    )


@transaction.atomic
def household_sheet_export(
    *, user: Any, household_id: int, request: HttpRequest | None = None, channel: str = "web"
) -> tuple[HouseholdPrices, bytes]:
    """The « vos tarifs » PDF sheet of a household, with the same checks as its prices page; the
    download is audited as an export. Nothing is stored: the sheet is made again on each download."""
    prices = _prices_open(
        user=user,
        household_id=household_id,
        action=Action.EXPORT,
        reason=SHEET_REASON,
        request=request,
        channel=channel,
    )
    return prices, tariff_sheet_pdf(prices, commune=settings.GUICHET_COMMUNE_NAME)


# --- the catalogue ------------------------------------------------------------------------------

SERVICE_FIELDS = ("name", "kind", "unit", "description", "min_age", "max_age", "position", "is_example")


def _require_manage(user: Any) -> None:
    if not can_manage_grids(user):
        raise PermissionDenied("Seul un responsable peut modifier le catalogue des services.")


def _unique_slug(name: str) -> str:
    base = slugify(name)[:110] or "service"
    slug, number = base, 1
    while MunicipalService.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def _validate_service(service: MunicipalService) -> None:
    errors: dict[str, list[str]] = {}
    try:
        service.full_clean(exclude=["slug"])
    except ValidationError as error:
        errors = error.message_dict
    if service.min_age is not None and service.max_age is not None and service.min_age > service.max_age:
        errors.setdefault("max_age", []).append("L'âge maximum doit être supérieur ou égal à l'âge minimum.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def municipal_service_create(
    *, user: Any, values: Mapping[str, Any], request: HttpRequest | None = None, channel: str = "web"
) -> MunicipalService:
    """Add a service to the catalogue (without a grid: its first grid is adopted with the grid
    editor). Its address (slug) comes from its name and does not change afterwards.
    ``ValidationError`` names every field in error."""
    _require_manage(user)
    service = MunicipalService(**{name: values[name] for name in SERVICE_FIELDS if name in values})
    _validate_service(service)
    service.slug = _unique_slug(service.name)
    service.save()
    audit_record(
        actor=user,
        action=Action.CREATE,
        target_type="municipal_service",
        target_id=service.pk,
        fields=[name for name in SERVICE_FIELDS if name in values] + ["slug"],
        request=request,
        channel=channel,
    )
    return service


@transaction.atomic
def municipal_service_update(
    *,
    user: Any,
    service: MunicipalService,
    values: Mapping[str, Any],
    request: HttpRequest | None = None,
    channel: str = "web",
) -> list[str]:
    """Change a service's description in the catalogue; the names of the changed fields. Its grids
    are not touched (their history is never edited: a grid keeps the name and unit it was adopted
    with, a new grid version takes the new ones). ``ValidationError`` names every field in error."""
    _require_manage(user)
    service = MunicipalService.objects.select_for_update().get(pk=service.pk)
    changed = [name for name in SERVICE_FIELDS if name in values and getattr(service, name) != values[name]]
    if not changed:
        return []
    for name in changed:
        setattr(service, name, values[name])
    _validate_service(service)
    service.save(update_fields=changed)
    audit_record(
        actor=user,
        action=Action.UPDATE,
        target_type="municipal_service",
        target_id=service.pk,
        fields=changed,
        request=request,
        channel=channel,
    )
    return changed
