"""Human-readable document numbers per dealer and kind, without duplicates under concurrency.

    number = next_number(dealer_id=dealer.pk, kind="customer")          # 1, 2, 3 …
    code = next_code(dealer_id=dealer.pk, kind="customer", prefix="C-")  # "C-000001"

One `DocumentSequence` row per (dealer, kind) holds the last number. `next_number` increments it
with a single `UPDATE … SET last_number = last_number + 1`, which locks the row until the caller's
transaction ends: a concurrent caller waits, then reads the next value, so two committed documents
never share a number. A rolled-back transaction gives its number back, so committed numbers have no
gaps. Call it inside the transaction that saves the document. A kind may carry a period
("sales_order:2611") for numbers that restart each month.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F

from qudao.core.models import DocumentSequence


def _increment(dealer_id: int, kind: str) -> int:
    return DocumentSequence.objects.filter(dealer_id=dealer_id, kind=kind).update(
        last_number=F("last_number") + 1
    )


def next_number(*, dealer_id: int, kind: str) -> int:
    """The next number of `kind` for the dealer (the first one is 1)."""
    with transaction.atomic():
        if not _increment(dealer_id, kind):
            try:
                # A savepoint: when a concurrent transaction creates the counter first, the unique
                # constraint stops this insert and the increment below waits for that row's lock.
                with transaction.atomic():
                    DocumentSequence.objects.create(dealer_id=dealer_id, kind=kind)
            except IntegrityError:
                pass
            _increment(dealer_id, kind)
        return (
            DocumentSequence.objects.filter(dealer_id=dealer_id, kind=kind)
            .values_list("last_number", flat=True)
            .get()
        )


def format_number(number: int, *, prefix: str = "", width: int = 6) -> str:
    """`format_number(123, prefix="C-")` → "C-000123" (wider numbers are never cut)."""
    return f"{prefix}{number:0{width}d}"


def next_code(*, dealer_id: int, kind: str, prefix: str, width: int = 6) -> str:
    return format_number(next_number(dealer_id=dealer_id, kind=kind), prefix=prefix, width=width)
