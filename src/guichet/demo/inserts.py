"""Column-wise bulk inserts for the synthetic commune.

The generator knows every primary key before it inserts (people point at households, resources at
people...), so it sends plain ``executemany`` batches of tuples instead of building model instances:
building and compiling hundreds of thousands of instances costs ten times more than the database
itself. Fields the caller leaves out get their model default, so a field added later with a default
needs no change here.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
from django.db import connection, models
from django.db.models import Max
from django.utils import timezone

BATCH = 20_000


def reserve_ids(model: type[models.Model], count: int) -> int:
    """First of ``count`` consecutive primary keys for ``model`` that no other insert will take.

    PostgreSQL: the identity sequence is moved past them. SQLite: the caller's transaction holds the
    database write lock, so nobody else inserts meanwhile.
    """
    current = int(model._default_manager.aggregate(m=Max("pk"))["m"] or 0)
    if connection.vendor != "postgresql":
        return current + 1
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [model._meta.db_table, model._meta.pk.column])
        sequence = cursor.fetchone()[0]
        cursor.execute("SELECT nextval(%s)", [sequence])
        first = max(int(cursor.fetchone()[0]), current + 1)
        cursor.execute("SELECT setval(%s, %s)", [sequence, first + count - 1])
    return first


def _db_values(field: models.Field[Any, Any], values: Sequence[Any]) -> Sequence[Any]:
    """Values in database form for the fields the generator fills (dates, datetimes, the rest as is)."""
    ops = connection.ops
    if isinstance(field, models.DateTimeField):
        return [None if v is None else ops.adapt_datetimefield_value(v) for v in values]
    if isinstance(field, models.DateField):
        return [None if v is None else ops.adapt_datefield_value(v) for v in values]
    return values


def _default(field: models.Field[Any, Any]) -> Any:
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return timezone.now()
    if field.has_default():
        return field.get_default()
    if field.null:
        return None
    if isinstance(field, models.CharField | models.TextField):
        return ""
    raise ValueError(f"{field.model.__name__}.{field.name}: no value and no default")


def insert_columns(model: type[models.Model], count: int, columns: dict[str, Sequence[Any] | Any]) -> None:
    """INSERT ``count`` rows into ``model``'s table. ``columns`` maps a field name (``household_id``
    style attnames for foreign keys) to a sequence of ``count`` values or to one value for every row."""
    meta = model._meta
    names: list[str] = []
    data: list[Any] = []
    for field in meta.concrete_fields:
        key = field.attname if field.attname in columns else field.name
        if key in columns:
            value = columns[key]
        elif field.primary_key:
            raise ValueError(f"{model.__name__}: primary keys must be given")
        else:
            value = _default(field)
        if isinstance(value, str | bytes) or not isinstance(value, Sequence):
            data.append(itertools.repeat(_db_values(field, [value])[0], count))
        else:
            if len(value) != count:
                raise ValueError(f"{model.__name__}.{key}: {len(value)} values for {count} rows")
            data.append(_db_values(field, value))
        names.append(connection.ops.quote_name(field.column))
    unknown = set(columns) - {f.attname for f in meta.concrete_fields} - {f.name for f in meta.concrete_fields}
    if unknown:
        raise ValueError(f"{model.__name__}: unknown columns {sorted(unknown)}")
    table = connection.ops.quote_name(meta.db_table)
    placeholders = ", ".join(["%s"] * len(names))
    sql = f"INSERT INTO {table} ({', '.join(names)}) VALUES ({placeholders})"  # noqa: S608 - names come from _meta
    rows = itertools.islice(zip(*data, strict=False), count)
    with connection.cursor() as cursor:
        while batch := list(itertools.islice(rows, BATCH)):
            cursor.executemany(sql, batch)


def insert_new(model: type[models.Model], count: int, columns: dict[str, Sequence[Any] | Any]) -> npt.NDArray[np.int64]:
    """Insert ``count`` new rows under freshly reserved primary keys; returns the keys, in row order."""
    ids = reserve_ids(model, count) + np.arange(count, dtype=np.int64)
    insert_columns(model, count, {"id": ids.tolist(), **columns})
    return ids
