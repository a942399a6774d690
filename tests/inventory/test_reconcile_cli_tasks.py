import json
from decimal import Decimal

import pytest

from qudao.cli import main
from qudao.core.models import OutboxEvent
from qudao.inventory.models import Reservation, StockLevel
from qudao.inventory.services import reconcile_levels, reserve_stock
from qudao.inventory.tasks import run_reconciliation
from tests.catalog.factories import make_item
from tests.inventory.factories import ROOT, receive

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(monkeypatch):
    monkeypatch.setenv("QUDAO_LANGUAGE", "en")


def test_reconcile_lists_on_hand_and_reserved_mismatches(dealer, site):
    item = make_item(dealer)
    receive(site, item, 5)
    reserve_stock(
        actor=ROOT,
        data={
            "reference_type": "so",
            "reference_id": 1,
            "lines": [{"item_id": item.pk, "site_id": site.pk, "quantity": 2}],
        },
    )
    assert reconcile_levels(dealer) == []
    level = StockLevel.objects.get(item=item, is_virtual=False)
    StockLevel.objects.filter(pk=level.pk).update(on_hand=Decimal(4), reserved=Decimal(1))
    [mismatch] = reconcile_levels(dealer.pk)
    assert (mismatch.on_hand, mismatch.ledger_on_hand, mismatch.reserved, mismatch.reservations) == (
        Decimal("4.000"),
        Decimal("5.000"),
        Decimal("1.000"),
        Decimal("2.000"),
    )
    assert mismatch.location_id == level.location_id


def test_a_level_missing_for_a_reservation_is_a_mismatch(dealer, site):
    item = make_item(dealer)
    receive(site, item, 5)
    reserve_stock(
        actor=ROOT,
        data={
            "reference_type": "so",
            "reference_id": 1,
            "lines": [{"item_id": item.pk, "site_id": site.pk, "quantity": 2}],
        },
    )
    Reservation.objects.update(quantity=Decimal(3))
    assert [m.reservations for m in reconcile_levels()] == [Decimal("3.000")]


def test_cli_reconcile_ok_and_mismatch(dealer, site, capsys):
    item = make_item(dealer)
    receive(site, item, 2)
    assert main(["inventory", "reconcile"]) == 0
    assert "Stock levels match the ledger." in capsys.readouterr().out
    StockLevel.objects.filter(item=item, is_virtual=False).update(on_hand=Decimal(7))
    assert main(["inventory", "reconcile", "--dealer", dealer.code, "--json"]) == 1
    [row] = json.loads(capsys.readouterr().out)
    assert (row["item_id"], row["on_hand"], row["ledger_on_hand"]) == (item.pk, "7.000", "2.000")
    assert main(["inventory", "reconcile", "--dealer", "NOPE"]) == 1
    assert "no dealer with code NOPE" in capsys.readouterr().err


def test_cli_help(capsys):
    assert main(["inventory", "reconcile", "--help"]) == 0
    assert capsys.readouterr().out.startswith("usage: qudao inventory reconcile")


def test_nightly_task_records_mismatches_as_events(dealer, site):
    item = make_item(dealer)
    receive(site, item, 2)
    assert run_reconciliation() == 0
    assert not OutboxEvent.objects.filter(topic="inventory.reconcile.mismatch").exists()
    StockLevel.objects.filter(item=item, is_virtual=False).update(on_hand=Decimal(1))
    assert run_reconciliation() == 1
    event = OutboxEvent.objects.get(topic="inventory.reconcile.mismatch")
    assert event.dealer_id == dealer.pk
    assert event.payload["count"] == 1
    assert event.payload["mismatches"][0]["ledger_on_hand"] == "2.000"
