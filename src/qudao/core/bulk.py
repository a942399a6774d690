"""Many rows, one statement: per-row values applied with a single UPDATE … FROM (VALUES …).

Django's `bulk_update` compiles a CASE WHEN per row and column, which costs more Python time than
the statement itself on the hot paths of the ledger. This builds the SQL directly: a CTE of
(id, values…) joined to the table, on PostgreSQL and on SQLite (3.33+: UPDATE … FROM).
Decimal values are cast to NUMERIC so both databases do exact decimal arithmetic.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from django.db import connection
from django.db.models import DecimalField, Model


def update_rows(
    model: type[Model],
    rows: Mapping[int, Sequence[Any]],
    fields: Sequence[str],
    *,
    add: bool = False,
    updated_at: datetime | None = None,
) -> int:
    """For each `pk → values`, set `fields` to the values (or, with `add`, increase them by the
    values) in one statement; optionally stamp `updated_at`. Returns the number of rows updated.

    The caller holds the row locks (the ledger's ordering protocol); this only writes."""
    if not rows:
        return 0
    meta = model._meta
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    columns = [meta.get_field(name) for name in fields]
    casts = ["CAST(%s AS NUMERIC)" if isinstance(f, DecimalField) else "%s" for f in columns]
    row_sql = "(%s, " + ", ".join(casts) + ")"
    params: list[Any] = []
    for pk, values in rows.items():
        if len(values) != len(columns):
            raise ValueError("one value per field")
        params.append(pk)
        params.extend(values)
    names = ", ".join(["qid"] + [f"v{n}" for n in range(len(columns))])
    sets = []
    for n, field in enumerate(columns):
        column = quote(field.column)
        sets.append(f"{column} = {table}.{column} + v.v{n}" if add else f"{column} = v.v{n}")
    if updated_at is not None:
        sets.append(f"{quote(meta.get_field('updated_at').column)} = %s")
        params.append(connection.ops.adapt_datetimefield_value(updated_at))
    # identifiers come from the model's metadata (quoted); every value is a parameter
    values_sql = ", ".join([row_sql] * len(rows))
    where = f"{table}.{quote(meta.pk.column)} = v.qid"
    sql = (
        f"WITH v({names}) AS (VALUES {values_sql}) UPDATE {table} SET {', '.join(sets)} FROM v WHERE {where}"  # noqa: S608
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        if cursor.rowcount >= 0:
            return cursor.rowcount
        # Python's sqlite3 reports no row count for a statement that starts with WITH
        cursor.execute("SELECT changes()")
        return cursor.fetchone()[0]
