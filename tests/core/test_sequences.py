import threading

import pytest
from django.db import connection, transaction

from qudao.core.models import DocumentSequence
from qudao.core.sequences import format_number, next_code, next_number
from tests.factories import make_dealer


def test_numbers_count_per_dealer_and_kind(dealer, other_dealer):
    assert [next_number(dealer_id=dealer.pk, kind="customer") for _ in range(3)] == [1, 2, 3]
    assert next_number(dealer_id=dealer.pk, kind="sales_order") == 1
    assert next_number(dealer_id=other_dealer.pk, kind="customer") == 1
    assert DocumentSequence.objects.get(dealer=dealer, kind="customer").last_number == 3


def test_codes_are_zero_padded_and_never_cut(dealer):
    assert next_code(dealer_id=dealer.pk, kind="customer", prefix="C-") == "C-000001"
    assert format_number(1234567, prefix="SO-2611-") == "SO-2611-1234567"
    assert format_number(42, width=3) == "042"


def test_a_rolled_back_number_is_handed_out_again(dealer):
    next_number(dealer_id=dealer.pk, kind="invoice")
    with pytest.raises(RuntimeError), transaction.atomic():
        assert next_number(dealer_id=dealer.pk, kind="invoice") == 2
        raise RuntimeError("the document was not saved")
    assert next_number(dealer_id=dealer.pk, kind="invoice") == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_callers_never_share_a_number():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is tested on PostgreSQL (SQLite serialises writers)")
    dealer = make_dealer()
    threads_count, per_thread = 8, 10
    barrier = threading.Barrier(threads_count)
    numbers: list[int] = []
    failures: list[BaseException] = []
    lock = threading.Lock()

    def work():
        try:
            barrier.wait()
            for _ in range(per_thread):
                with transaction.atomic():
                    number = next_number(dealer_id=dealer.pk, kind="race")
                with lock:
                    numbers.append(number)
        except BaseException as exc:  # reported below
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert sorted(numbers) == list(range(1, threads_count * per_thread + 1))
