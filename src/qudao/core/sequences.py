"""Human-readable document numbers per dealer and kind, without duplicates under concurrency.

    number = next_number(dealer_id=dealer.pk, kind="customer")          # 1, 2, 3 …
    code = next_code(dealer_id=dealer.pk, kind="customer", prefix="C-")  # "C-000001"

One `DocumentSequence` row per (dealer, kind) holds the last number. `next_number` increments it
with a single `UPDATE … SET last_number = last_number + 1 … RETURNING last_number` (one round trip,
no savepoint once the counter exists), which locks the row until the caller's
transaction ends: a concurrent caller waits, then reads the next value, so two committed documents
never share a number. A rolled-back transaction gives its number back, so committed numbers have no
gaps. Call it inside the transaction that saves the document. A kind may carry a period
("sales_order:2611") for numbers that restart each month.
"""

from __future__ import annotations

from django.db import IntegrityError, connection, transaction

from qudao.core.models import DocumentSequence


def _increment(dealer_id: int, kind: str, by: int = 1) -> int | None:
    """The counter's next value in one statement (UPDATE … RETURNING; it locks the row until the
    caller's transaction ends), or None when the counter does not exist yet."""
    meta = DocumentSequence._meta
    quote = connection.ops.quote_name
    column = quote(meta.get_field("last_number").column)
    dealer, kind_column = quote(meta.get_field("dealer").column), quote(meta.get_field("kind").column)
    sql = (
        f"UPDATE {quote(meta.db_table)} SET {column} = {column} + %s "  # noqa: S608 (model metadata)
        f"WHERE {dealer} = %s AND {kind_column} = %s RETURNING {column}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [by, dealer_id, kind])
        row = cursor.fetchone()
    return None if row is None else int(row[0])


def next_number(*, dealer_id: int, kind: str) -> int:
    """The next number of `kind` for the dealer (the first one is 1)."""
    number = _increment(dealer_id, kind)
    if number is not None:
        return number
    try:
        # A savepoint: when a concurrent transaction creates the counter first, the unique
        # constraint stops this insert and the increment below waits for that row's lock.
        with transaction.atomic():
            DocumentSequence.objects.create(dealer_id=dealer_id, kind=kind)
    except IntegrityError:
        pass
    number = _increment(dealer_id, kind)
    if number is None:  # pragma: no cover - the row exists now (created here or by the other caller)
        raise DocumentSequence.DoesNotExist(f"no counter {kind!r} for dealer {dealer_id}")
    return number


def next_numbers(*, dealer_id: int, kind: str, count: int) -> range:
    """`count` consecutive numbers of `kind` in one block (a batch import numbering its documents
    takes the counter's row lock once, not once per document)."""
    if count < 1:
        raise ValueError("count must be at least 1")
    last = _increment(dealer_id, kind, count)
    if last is None:
        last = next_number(dealer_id=dealer_id, kind=kind) + count - 1
        if count > 1:
            _increment(dealer_id, kind, count - 1)
    return range(last - count + 1, last + 1)


def format_number(number: int, *, prefix: str = "", width: int = 6) -> str:
    """`format_number(123, prefix="C-")` → "C-000123" (wider numbers are never cut)."""
    return f"{prefix}{number:0{width}d}"


def next_code(*, dealer_id: int, kind: str, prefix: str, width: int = 6) -> str:
    return format_number(next_number(dealer_id=dealer_id, kind=kind), prefix=prefix, width=width)
