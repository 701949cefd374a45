"""Writes of the territory: seeding the neighbourhoods, importing boundaries and IRIS codes, the
street-to-neighbourhood table, and re-attaching addresses when boundaries or streets change.

``actor=None`` means the command line (an operator on the server); web calls pass the user, whose
``TERRITORY_MANAGE`` permission is checked here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.text import slugify

from guichet.accounts.enums import Perm
from guichet.audit.enums import Action
from guichet.audit.services import audit_record
from guichet.rules.text import normalize_text
from guichet.territory.exceptions import ImportFileError, StreetConflict, TerritoryError
from guichet.territory.geometry import area_to_geojson, commune_outline, voronoi_partition
from guichet.territory.importers import BoundaryRecord, IrisRecord, StreetRecord
from guichet.territory.locator import QuartierLocator, locator_invalidate
from guichet.territory.models import Address, Iris, Quartier, StreetQuartier
from guichet.territory.neighbourhoods import ILLUSTRATIVE_SOURCE, NEIGHBOURHOODS
from guichet.territory.selectors import street_key

RELOCATE_CHUNK = 2000


def _require_territory_manage(actor: Any) -> None:
    if actor is not None and not actor.has_perm(Perm.TERRITORY_MANAGE.full):
        raise PermissionDenied("Vous n'avez pas les droits nécessaires pour gérer le territoire.")


def _audit(
    *,
    actor: Any,
    action: Action,
    target_type: str,
    target_id: object = "",
    fields: Iterable[str] = (),
    reason: str = "",
    request: HttpRequest | None = None,
    channel: str = "web",
) -> None:
    audit_record(
        actor=actor,
        action=action,
        target_type=target_type,
        target_id=target_id,
        fields=fields,
        reason=reason,
        request=request,
        channel=channel,
        actor_username="" if actor is not None else "ligne de commande",
    )


def _unique_slug(name: str) -> str:
    base = slugify(name)[:110] or "quartier"
    slug, n = base, 2
    while Quartier.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _quartiers_by_key() -> dict[str, Quartier]:
    return {normalize_text(q.name): q for q in Quartier.objects.select_for_update().order_by("pk")}


# --- Neighbourhoods -----------------------------------------------------------------------------


@dataclass(frozen=True)
class SeedResult:
    created: list[str]
    boundaries_cut: bool


@transaction.atomic
def quartiers_seed_illustrative(*, channel: str = "cli") -> SeedResult:
    """Create the commune's neighbourhoods (real names, QPV flags) and cut illustrative boundaries.

    Idempotent. Boundaries are a Voronoi partition of the real commune outline; they are cut only
    while no real (imported) boundary exists, so a later run never overwrites imported ones.
    """
    existing = _quartiers_by_key()
    created: list[str] = []
    quartiers: list[Quartier] = []
    for hood in NEIGHBOURHOODS:
        quartier = existing.get(normalize_text(hood.name))
        if quartier is None:
            quartier = Quartier.objects.create(
                name=hood.name, slug=_unique_slug(hood.slug), pole=hood.pole, is_qpv=hood.is_qpv
            )
            created.append(hood.name)
        quartiers.append(quartier)
    has_real = Quartier.objects.filter(boundary__isnull=False, is_illustrative=False).exists()
    changed: list[Quartier] = []
    if not has_real:
        cells = voronoi_partition(commune_outline(), [(hood.lon, hood.lat) for hood in NEIGHBOURHOODS])
        for quartier, cell in zip(quartiers, cells, strict=True):
            geometry = area_to_geojson(cell)
            if quartier.boundary != geometry or not quartier.is_illustrative:
                quartier.boundary = geometry
                quartier.is_illustrative = True
                quartier.boundary_source = ILLUSTRATIVE_SOURCE
                quartier.save(update_fields=["boundary", "is_illustrative", "boundary_source", "updated_at"])
                changed.append(quartier)
    if created or changed:
        _audit(
            actor=None,
            action=Action.UPDATE,
            target_type="quartier",
            fields=["name", "is_qpv", "boundary"] if created else ["boundary"],
            reason=f"Quartiers de démonstration : {len(created)} créé(s), {len(changed)} contour(s) illustratif(s)",
            channel=channel,
        )
        transaction.on_commit(locator_invalidate)
    return SeedResult(created=created, boundaries_cut=bool(changed))


@dataclass(frozen=True)
class BoundaryImportResult:
    created: list[str]
    updated: list[str]
    cleared: list[str] = field(default_factory=list)
    addresses_moved: int = 0


@transaction.atomic
def quartiers_import_boundaries(
    *,
    records: list[BoundaryRecord],
    source: str,
    actor: Any = None,
    request: HttpRequest | None = None,
    channel: str = "cli",
) -> BoundaryImportResult:
    """Real boundaries replace illustrative ones: neighbourhoods are matched by normalised name,
    missing ones are created, and illustrative boundaries left over are removed (they would overlap
    the real ones). Addresses are then re-attached to the neighbourhood that holds them."""
    _require_territory_manage(actor)
    existing = _quartiers_by_key()
    stamp = f"{source} (importé le {timezone.localdate():%d/%m/%Y})"[:200]
    created, updated = [], []
    for record in records:
        quartier = existing.get(normalize_text(record.name))
        if quartier is None:
            quartier = Quartier(name=record.name, slug=_unique_slug(record.name))
            created.append(record.name)
        else:
            updated.append(quartier.name)
        quartier.boundary = record.geometry
        quartier.is_illustrative = False
        quartier.boundary_source = stamp
        if record.is_qpv is not None:
            quartier.is_qpv = record.is_qpv
            quartier.qpv_code = record.qpv_code or (quartier.qpv_code if record.is_qpv else "")
        quartier.save()
    imported = {normalize_text(record.name) for record in records}
    cleared = []
    for key, quartier in existing.items():
        if key not in imported and quartier.is_illustrative:
            quartier.boundary = None
            quartier.is_illustrative = False
            quartier.boundary_source = ""
            quartier.save(update_fields=["boundary", "is_illustrative", "boundary_source", "updated_at"])
            cleared.append(quartier.name)
    _audit(
        actor=actor,
        action=Action.UPDATE,
        target_type="quartier",
        fields=["boundary", "is_illustrative", "is_qpv", "qpv_code"],
        reason=f"Import des contours {source} : {len(created)} créé(s), {len(updated)} mis à jour, "
        f"{len(cleared)} contour(s) illustratif(s) retiré(s)",
        request=request,
        channel=channel,
    )
    locator_invalidate()
    moved = addresses_relocate(locator=_fresh_locator())
    transaction.on_commit(locator_invalidate)
    return BoundaryImportResult(created=created, updated=updated, cleared=cleared, addresses_moved=moved)


def _fresh_locator() -> QuartierLocator:
    return QuartierLocator.from_rows(list(Quartier.objects.values_list("pk", "boundary")))


@dataclass(frozen=True)
class IrisImportResult:
    created: int
    updated: int


@transaction.atomic
def iris_import(
    *, records: list[IrisRecord], filename: str, actor: Any = None, channel: str = "cli"
) -> IrisImportResult:
    """Create or update IRIS by code, attached to the named neighbourhood (empty: none)."""
    _require_territory_manage(actor)
    quartiers = _quartiers_by_key()
    slugs = {normalize_text(q.slug): q for q in quartiers.values()}
    errors = []
    resolved: list[tuple[IrisRecord, Quartier | None]] = []
    for record in records:
        key = normalize_text(record.quartier_name)
        quartier = (quartiers.get(key) or slugs.get(key)) if key else None
        if key and quartier is None:
            errors.append(f"{filename}, ligne {record.line} : quartier « {record.quartier_name} » inconnu")
        resolved.append((record, quartier))
    if errors:
        raise ImportFileError(errors)
    existing = {iris.code: iris for iris in Iris.objects.filter(code__in=[r.code for r in records])}
    created = updated = 0
    for record, quartier in resolved:
        iris = existing.get(record.code) or Iris(code=record.code)
        created, updated = (created + 1, updated) if iris.pk is None else (created, updated + 1)
        iris.name = record.name
        iris.quartier = quartier
        iris.save()
    _audit(
        actor=actor,
        action=Action.UPDATE,
        target_type="iris",
        fields=["code", "name", "quartier"],
        reason=f"Import IRIS {filename} : {created} créé(s), {updated} mis à jour",
        channel=channel,
    )
    return IrisImportResult(created=created, updated=updated)


# --- Addresses ----------------------------------------------------------------------------------


@transaction.atomic
def addresses_relocate(*, locator: QuartierLocator | None = None, without_coordinates_only: bool = False) -> int:
    """Re-attach addresses: from coordinates when a boundary holds them, else from the street table.

    An address that neither finds keeps its neighbourhood. Returns how many addresses changed.
    """
    locator = locator or _fresh_locator()
    streets = dict(StreetQuartier.objects.values_list("street_key", "quartier_id"))
    rows = Address.objects.order_by()
    if without_coordinates_only:
        rows = rows.filter(latitude__isnull=True)
    data = list(rows.values_list("pk", "latitude", "longitude", "street_name", "quartier_id"))
    if not data:
        return 0
    lat = np.array([np.nan if row[1] is None else row[1] for row in data], dtype=float)
    lon = np.array([np.nan if row[2] is None else row[2] for row in data], dtype=float)
    found = np.zeros(len(data), dtype=np.int64)
    known = ~(np.isnan(lat) | np.isnan(lon))
    if known.any():
        found[known] = locator.locate_many(lon[known], lat[known])
    moves: dict[int, list[int]] = defaultdict(list)
    for index, (pk, _lat, _lon, street_name, current) in enumerate(data):
        target = int(found[index]) or streets.get(street_key(street_name))
        if target and target != current:
            moves[target].append(pk)
    for target, address_pks in moves.items():
        for start in range(0, len(address_pks), RELOCATE_CHUNK):
            Address.objects.filter(pk__in=address_pks[start : start + RELOCATE_CHUNK]).update(quartier_id=target)
    return sum(len(v) for v in moves.values())


# --- Street-to-neighbourhood table --------------------------------------------------------------


def _check_street_free(key: str, *, exclude_pk: int | None = None) -> None:
    if not key:
        raise TerritoryError("Indiquez le nom de la voie.")
    rows = StreetQuartier.objects.filter(street_key=key).select_related("quartier")
    if exclude_pk is not None:
        rows = rows.exclude(pk=exclude_pk)
    clash = rows.first()
    if clash is not None:
        raise StreetConflict(f"La voie « {clash.street_name} » est déjà rattachée au quartier {clash.quartier.name}.")


@transaction.atomic
def street_quartier_create(
    *, actor: Any, street_name: str, quartier: Quartier, request: HttpRequest | None = None
) -> StreetQuartier:
    _require_territory_manage(actor)
    key = street_key(street_name)
    _check_street_free(key)
    street = StreetQuartier.objects.create(street_name=street_name.strip(), street_key=key, quartier=quartier)
    _audit(
        actor=actor,
        action=Action.CREATE,
        target_type="voie",
        target_id=street.pk,
        fields=["street_name", "quartier"],
        request=request,
    )
    addresses_relocate(without_coordinates_only=True)
    return street


@transaction.atomic
def street_quartier_update(
    *, actor: Any, street: StreetQuartier, street_name: str, quartier: Quartier, request: HttpRequest | None = None
) -> StreetQuartier:
    _require_territory_manage(actor)
    key = street_key(street_name)
    _check_street_free(key, exclude_pk=street.pk)
    changed = [
        name
        for name, old, new in (
            ("street_name", street.street_name, street_name.strip()),
            ("quartier", street.quartier_id, quartier.pk),
        )
        if old != new
    ]
    street.street_name, street.street_key, street.quartier = street_name.strip(), key, quartier
    street.save()
    if changed:
        _audit(
            actor=actor, action=Action.UPDATE, target_type="voie", target_id=street.pk, fields=changed, request=request
        )
        addresses_relocate(without_coordinates_only=True)
    return street


@transaction.atomic
def street_quartier_delete(*, actor: Any, street: StreetQuartier, request: HttpRequest | None = None) -> None:
    _require_territory_manage(actor)
    pk = street.pk
    street.delete()
    _audit(
        actor=actor,
        action=Action.DELETE,
        target_type="voie",
        target_id=pk,
        fields=["street_name", "quartier"],
        request=request,
    )


@dataclass(frozen=True)
class StreetImportResult:
    created: int
    updated: int


@transaction.atomic
def streets_import(
    *,
    actor: Any,
    records: list[StreetRecord],
    filename: str,
    request: HttpRequest | None = None,
    channel: str = "web",
) -> StreetImportResult:
    """Create or update street rows (matched by normalised street); all or nothing."""
    _require_territory_manage(actor)
    quartiers = _quartiers_by_key()
    slugs = {normalize_text(q.slug): q for q in quartiers.values()}
    errors = []
    wanted: dict[str, tuple[str, Quartier]] = {}
    for record in records:
        key = normalize_text(record.quartier_name)
        quartier = quartiers.get(key) or slugs.get(key)
        if quartier is None:
            errors.append(f"{filename}, ligne {record.line} : quartier « {record.quartier_name} » inconnu")
            continue
        wanted[street_key(record.street_name)] = (record.street_name.strip(), quartier)
    if errors:
        raise ImportFileError(errors)
    existing = {row.street_key: row for row in StreetQuartier.objects.filter(street_key__in=list(wanted))}
    created = updated = 0
    for key, (name, quartier) in wanted.items():
        row = existing.get(key)
        if row is None:
            StreetQuartier.objects.create(street_name=name, street_key=key, quartier=quartier)
            created += 1
        elif row.quartier_id != quartier.pk or row.street_name != name:
            row.street_name, row.quartier = name, quartier
            row.save()
            updated += 1
    _audit(
        actor=actor,
        action=Action.UPDATE,
        target_type="voie",
        fields=["street_name", "quartier"],
        reason=f"Import {filename} : {created} voie(s) créée(s), {updated} mise(s) à jour",
        request=request,
        channel=channel,
    )
    addresses_relocate(without_coordinates_only=True)
    return StreetImportResult(created=created, updated=updated)
