"""Inserting many new rows at once, without model instances: the QMS bootstrap writes some 11,000 rows
per commune, and Django's bulk_create spends most of that time building instances and adapting values.

`bulk_insert(model, rows)` takes plain dicts keyed by field attname (`agency_id`, not `agency`), fills
what a row leaves out the way a model instance would (defaults, `auto_now`/`auto_now_add` times, a new
UUID primary key) and writes them with COPY on PostgreSQL, with one executemany elsewhere. It sends no
signals and calls no save(): the caller computes derived columns (such as `search_text`) itself, like
for bulk_create. Use it only for rows that are new; the transaction is the caller's.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from operator import itemgetter

from django.db import connections, models
from django.db.models.fields import AutoFieldMixin
from django.utils import timezone


def _columns(model) -> list:
    """Concrete fields to write: all but an auto-incremented primary key and generated columns (the database
    computes them)."""
    return [f for f in model._meta.concrete_fields
            if not (f.primary_key and isinstance(f, AutoFieldMixin)) and not getattr(f, "generated", False)]


def _defaults(fields: list, now) -> tuple[dict, list]:
    """What a row may leave out: constant values, and the fields whose default is computed per row."""
    constant, computed = {}, []
    for field in fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            constant[field.attname] = now
        elif not field.has_default() and field.has_db_default():  # a literal database default, e.g. ""
            constant[field.attname] = getattr(field.db_default, "value", field.db_default)
        elif field.has_default() and callable(field.default):
            computed.append(field)
        elif field.has_default() or not field.null:
            constant[field.attname] = field.get_default()
        else:
            constant[field.attname] = None
    return constant, computed


def _complete(row: dict, constant: dict, computed: list) -> dict:
    full = {**constant, **row}
    for field in computed:
        if field.attname not in row:
            full[field.attname] = field.get_default()
    return full


def _plain_types(field, connection) -> tuple:
    """Types of values the database takes as they are for this field (a str for a text column, an int for
    an integer one, a UUID where the database has a UUID type): get_db_prep_save would only check them."""
    target = field.target_field if field.is_relation else field
    if isinstance(target, (models.CharField, models.TextField, models.FileField)):
        return (str,)
    if isinstance(target, models.BooleanField):
        return (bool,)
    if isinstance(target, models.IntegerField):
        return (int,)
    if isinstance(target, models.UUIDField) and connection.features.has_native_uuid_field:
        return (uuid.UUID,)
    return ()


def _preparer(field, connection):
    """get_db_prep_save, except for JSON on PostgreSQL: the JSON text itself, which COPY parses (the same
    text the driver's Jsonb adapter would send, made once per object instead of once per row)."""
    if isinstance(field, models.JSONField) and connection.vendor == "postgresql":
        return lambda value, _connection: json.dumps(value, cls=field.encoder)
    return field.get_db_prep_save


def _prepare(fields: list, rows: list[dict], connection) -> list[list]:
    """Database values of the rows, column by column: a column whose values are all plain (or None) is
    taken as it is; the others go through get_db_prep_save (JSON, dates, decimals...), once per object."""
    values = [list(row) for row in map(itemgetter(*(field.attname for field in fields)), rows)]
    for index, field in enumerate(fields):
        plain = {*_plain_types(field, connection), type(None)}
        if {type(row[index]) for row in values} <= plain:
            continue
        prepare, done = _preparer(field, connection), {}
        for row in values:
            value = row[index]
            if type(value) in plain:
                continue
            # An object shared by many rows (the time stamp, a constant list) is prepared once; keyed by
            # id(), which is safe while `rows` holds every value.
            key = id(value)
            if key not in done:
                done[key] = prepare(value, connection)
            row[index] = done[key]
    return values


def bulk_insert(model, rows: Iterable[dict], *, using: str = "default") -> list[dict]:
    """Insert `rows` (dicts by attname) as new rows of `model`; returns the rows, completed (with their
    primary keys when the model's key has a default, such as a UUID)."""
    connection = connections[using]
    fields = _columns(model)
    constant, computed = _defaults(fields, timezone.now())
    rows = [_complete(row, constant, computed) for row in rows]
    if not rows:
        return rows
    values = _prepare(fields, rows, connection)
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(field.column) for field in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # the driver's cursor, its errors turned into Django's
            with connection.wrap_database_errors, cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in values:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(fields))
            sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608 — names from the model  # nosec B608
            cursor.executemany(sql, values)
    return rows
