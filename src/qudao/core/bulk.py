"""Many rows, one statement: per-row values applied with a single UPDATE … FROM (VALUES …)
(`update_rows`); new rows inserted with one INSERT … RETURNING (`insert_rows`); one row's fields set
(`update_fields`) — each built directly from the model's metadata.

Django's `bulk_update` compiles a CASE WHEN per row and column, which costs more Python time than
the statement itself on the hot paths of the ledger. This builds the SQL directly: a CTE of
(id, values…) joined to the table, on PostgreSQL and on SQLite (3.33+: UPDATE … FROM).
Decimal values are cast to NUMERIC so both databases do exact decimal arithmetic.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from django.db import connection, models
from django.db.models import DecimalField, Field, Model


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


#: fields whose database value is the Python value itself when it has exactly this type (what
#: get_db_prep_save would return, without the calls): plain Django classes only, never a subclass
_AS_IS: dict[type[Field], type] = {
    models.CharField: str,
    models.TextField: str,
    models.BooleanField: bool,
    models.IntegerField: int,
    models.SmallIntegerField: int,
    models.BigIntegerField: int,
    models.PositiveIntegerField: int,
    models.PositiveSmallIntegerField: int,
    models.PositiveBigIntegerField: int,
    models.AutoField: int,
    models.BigAutoField: int,
}


class _Column:
    __slots__ = ("as_is", "attname", "field", "pre_save", "relation")

    def __init__(self, field: Field) -> None:
        self.field = field
        self.attname = field.attname
        # DateField/DateTimeField (auto_now…) and custom fields compute their value on save
        self.pre_save = type(field).pre_save is not Field.pre_save
        target = field.target_field if field.many_to_one or field.one_to_one else field
        self.as_is = _AS_IS.get(type(target)) if type(field) in (*_AS_IS, models.ForeignKey) else None
        self.relation = bool(field.is_relation and (field.many_to_one or field.one_to_one))


def _insert_columns(model: type[Model]) -> list[_Column]:
    columns = _INSERT_COLUMNS.get(model)
    if columns is None:
        columns = [
            _Column(f)
            for f in model._meta.concrete_fields
            if not f.primary_key and not getattr(f, "generated", False)
        ]
        _INSERT_COLUMNS[model] = columns
    return columns


_INSERT_COLUMNS: dict[type[Model], list[_Column]] = {}


def _related_id(obj: Model, column: _Column) -> None:
    """What save() does for a related object assigned before it had an id: take its id now."""
    field = column.field
    if not field.is_cached(obj):
        return
    related = field.get_cached_value(obj)
    if related is None:
        return
    if related.pk is None:
        raise ValueError(f"insert_rows: the related {field.name} of {obj!r} is not saved")
    value = getattr(related, field.target_field.attname)
    if getattr(obj, column.attname) in field.empty_values:
        setattr(obj, column.attname, value)
    elif getattr(obj, column.attname) != value:
        field.delete_cached_value(obj)


def insert_rows(objs: Sequence[Model]) -> list[Model]:
    """INSERT new instances of one model in one statement and give them their ids — what
    `bulk_create` does for plain rows (`pre_save` for auto_now, related objects' ids, each value
    as `get_db_prep_save` makes it), without compiling a query, for hot paths. No signals (as
    bulk_create). Rows with an id already, or with an expression as a value, go through bulk_create."""
    objs = list(objs)
    if not objs:
        return objs
    model = type(objs[0])
    meta = model._meta
    if any(type(obj) is not model or obj.pk is not None for obj in objs):
        return model._default_manager.bulk_create(objs)
    columns = _insert_columns(model)
    params: list[Any] = []
    append = params.append
    for obj in objs:
        values = obj.__dict__
        for column in columns:
            if column.relation:
                _related_id(obj, column)
            value = column.field.pre_save(obj, add=True) if column.pre_save else values[column.attname]
            if value is None and column.as_is is not None:
                append(None)
            elif type(value) is column.as_is:
                append(value)
            elif hasattr(value, "resolve_expression"):
                return model._default_manager.bulk_create(objs)
            else:
                append(column.field.get_db_prep_save(value, connection))
    quote = connection.ops.quote_name
    row = "(" + ", ".join(["%s"] * len(columns)) + ")"
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(c.field.column) for c in columns)}) "  # noqa: S608
        f"VALUES {', '.join([row] * len(objs))} RETURNING {quote(meta.pk.column)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        ids = cursor.fetchall()
    for obj, (pk,) in zip(objs, ids, strict=True):
        obj.pk = pk
        obj._state.adding = False
        obj._state.db = connection.alias
    return objs


def update_fields(model: type[Model], pk: Any, values: Mapping[str, Any]) -> int:
    """UPDATE one row's fields (names or attnames → values, through `get_db_prep_save`) in one
    statement built without the ORM's compiler. Returns the number of rows updated (0 or 1)."""
    meta = model._meta
    quote = connection.ops.quote_name
    sets, params = [], []
    for name, value in values.items():
        field = meta.get_field(name)
        sets.append(f"{quote(field.column)} = %s")
        params.append(field.get_db_prep_save(value, connection))
    params.append(pk)
    sql = f"UPDATE {quote(meta.db_table)} SET {', '.join(sets)} WHERE {quote(meta.pk.column)} = %s"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


class RowLoader:
    """Model instances from the columns of a hand-written SELECT, as the ORM builds them: every
    concrete field, in order, through the backend's and the field's converters (SQLite hands back
    text for datetimes, floats for decimals…), then `Model.from_db`.

        items = RowLoader(Item, "i")
        sql = f"SELECT {items.columns} FROM catalog_item i WHERE …"
        item, end = items.load(row, 0)      # the next model's columns start at `end`
    """

    def __init__(self, model: type[Model], alias: str) -> None:
        self.model = model
        self.alias = alias
        self.fields = list(model._meta.concrete_fields)
        self.names = [f.attname for f in self.fields]
        quote = connection.ops.quote_name
        self.columns = ", ".join(f"{alias}.{quote(f.column)}" for f in self.fields)
        self._converters: dict[str, list] = {}

    def _converters_for(self) -> list:
        found = self._converters.get(connection.vendor)
        if found is None:
            found = []
            for n, field in enumerate(self.fields):
                col = field.get_col(self.alias)
                funcs = connection.ops.get_db_converters(col) + field.get_db_converters(connection)
                if funcs:
                    found.append((n, col, funcs))
            self._converters[connection.vendor] = found
        return found

    def load(self, row: Sequence[Any], start: int = 0) -> tuple[Model | None, int]:
        """The instance whose columns start at `start` (None when its key is NULL: an outer join
        that found nothing), and where the next columns start."""
        end = start + len(self.fields)
        values = list(row[start:end])
        pk_index = self.fields.index(self.model._meta.pk)
        if values[pk_index] is None:
            return None, end
        for n, col, funcs in self._converters_for():
            value = values[n]
            for func in funcs:
                value = func(value, col, connection)
            values[n] = value
        return self.model.from_db(connection.alias, self.names, values), end


def fetch(sql: str, params: Sequence[Any]) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        return cursor.fetchall()


def in_sql(column: str, values: Sequence[Any]) -> tuple[str, list[Any]]:
    """`column IN (…)` and its parameters: one array parameter on PostgreSQL (`= ANY(%s)`: parsed and
    planned once whatever the length), a list of placeholders elsewhere; never-true when empty."""
    values = list(values)
    if not values:
        return "1 = 0", []
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s)", [values]
    return f"{column} IN ({', '.join(['%s'] * len(values))})", values
