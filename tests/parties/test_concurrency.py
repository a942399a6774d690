"""Customer numbering under concurrency: real threads on PostgreSQL."""

import threading

import pytest
from django.db import connection

from qudao.core.scoping import build_actor
from qudao.parties.models import Customer
from qudao.parties.services import create_customer
from tests.factories import make_dealer, make_user


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_creations_get_distinct_consecutive_codes():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is tested on PostgreSQL (SQLite serialises writers)")
    dealer = make_dealer()
    actor = build_actor(make_user(dealer))
    threads_count, per_thread = 6, 5
    barrier = threading.Barrier(threads_count)
    failures: list[BaseException] = []

    def work(n: int):
        try:
            barrier.wait()
            for i in range(per_thread):
                create_customer(
                    actor=actor,
                    data={
                        "kind": "business",
                        "name": f"并发客户 {n}-{i}",
                        "contacts": [{"name": "联系人", "is_primary": True}],
                    },
                )
        except BaseException as exc:  # reported below
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    codes = sorted(Customer.objects.filter(dealer=dealer).values_list("code", flat=True))
    assert codes == [f"C-{n:06d}" for n in range(1, threads_count * per_thread + 1)]
