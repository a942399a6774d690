"""Bulk order import: a distributor's back office uploads the week's orders from a spreadsheet."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest

from qudao.core.events import subscriber, unsubscribe
from qudao.core.models import OutboxEvent
from qudao.core.scoping import build_actor
from qudao.sales.errors_imports import (
    ImportFileEmpty,
    ImportFileEncoding,
    ImportFileHeaders,
    ImportFileTooLarge,
    ImportFileUnreadable,
)
from qudao.sales.models import OrderEvent, SalesOrder, SalesOrderLine
from qudao.sales.services import imports_read
from qudao.sales.services.imports import import_orders
from qudao.sales.services.imports_report import build_report
from qudao.sales.states import OrderSource, OrderState
from tests.catalog.factories import make_barcode, make_item_unit, unit
from tests.factories import make_channel, make_user
from tests.parties.factories import make_address, make_customer
from tests.sales.factories import make_world

pytestmark = pytest.mark.django_db

HEADER = "order_ref,customer,sku,quantity,unit,ship_to,requested_date,notes,channel\n"


@pytest.fixture
def world(dealer):
    return make_world(dealer, items=3, price="11.30")


@pytest.fixture
def actor(dealer):
    return build_actor(make_user(dealer))


def csv_of(*rows: str, header: str = HEADER) -> bytes:
    return (header + "\n".join(rows) + "\n").encode()


def run(actor, content: bytes, name: str = "orders.csv", **kwargs):
    return import_orders(actor=actor, name=name, content=content, **kwargs)


def test_two_orders_from_a_csv_become_priced_drafts_with_their_timeline(world, actor):
    a, b, c = world.items
    code = world.customer.code
    content = csv_of(
        f"PO-1,{code},{a.sku},2,,,2026-12-20,first order,",
        f"PO-1,{code},{b.sku},1.5,,,,,",
        f"PO-2,{code},{c.sku},10,,,,,",
    )
    report = run(actor, content)
    assert (report.orders_created, report.lines_created, report.problems) == (2, 3, 0)
    orders = {o.external_reference: o for o in SalesOrder.objects.filter(source=OrderSource.IMPORT)}
    first = orders["PO-1"]
    assert first.state == OrderState.DRAFT and first.number.startswith("SO-")
    assert first.requested_date.isoformat() == "2026-12-20" and first.notes == "first order"
    # 1.5 each round to 2 (the base unit has no decimals, as for an order entered by hand)
    assert first.total == Decimal("45.20")  # 4 × 11.30, tax-inclusive
    assert first.ship_to_id == world.address.pk and first.ship_latitude == world.address.latitude
    lines = list(SalesOrderLine.objects.filter(order=first).order_by("line_no"))
    assert [(ln.item_id, ln.quantity_entered, ln.quantity, ln.unit_price, ln.amount) for ln in lines] == [
        (a.pk, Decimal("2.000"), Decimal("2.000"), Decimal("11.3000"), Decimal("22.60")),
        (b.pk, Decimal("1.500"), Decimal("2.000"), Decimal("11.3000"), Decimal("22.60")),
    ]
    assert lines[0].price_explanation["source"]["kind"] == "item_list_price"
    assert lines[0].tax_amount == Decimal("2.60")
    # numbers are consecutive and distinct; one timeline entry and one outbox event per order
    numbers = sorted(o.number for o in orders.values())
    assert int(numbers[1][-6:]) == int(numbers[0][-6:]) + 1
    assert OrderEvent.objects.filter(order__in=orders.values(), kind="created").count() == 2
    events = OutboxEvent.objects.filter(topic="sales.order.created")
    assert sorted(e.payload["order_id"] for e in events) == sorted(o.pk for o in orders.values())


def test_a_single_bad_row_writes_nothing_in_all_or_nothing_mode(world, actor):
    a, b, _c = world.items
    code = world.customer.code
    content = csv_of(
        f"PO-1,{code},{a.sku},2,,,,,",
        f"PO-2,{code},NOPE-1,1,,,,,",
        f"PO-2,{code},{b.sku},0,,,,,",
        f"PO-3,UNKNOWN,{b.sku},x,,,31/12/2026,,",
    )
    report = run(actor, content)
    assert report.orders_created == 0 and not SalesOrder.objects.exists()
    found = [(e["row"], e["column"], e["code"]) for e in report.errors]
    assert found == [
        (3, "sku", "unknown_item"),
        (4, "quantity", "invalid_quantity"),
        (5, "customer", "unknown_customer"),
        (5, "quantity", "invalid_quantity"),
        (5, "requested_date", "invalid_date"),
    ]
    assert all(e["message"] for e in report.errors)
    assert report.valid_orders == 1 and report.invalid_orders == 2


def test_valid_only_skips_whole_orders_that_have_a_bad_row(world, actor):
    a = world.items[0]
    code = world.customer.code
    content = csv_of(
        f"PO-1,{code},{a.sku},2,,,,,",
        f"PO-2,{code},{a.sku},1,,,,,",
        f"PO-2,{code},NOPE-1,1,,,,,",
    )
    report = run(actor, content, mode="valid_only")
    assert report.orders_created == 1 and report.lines_created == 1
    assert list(SalesOrder.objects.values_list("external_reference", flat=True)) == ["PO-1"]
    assert report.report_token
    name, body, _type = build_report(actor=actor, token=report.report_token, fmt="csv")
    text = body.decode("utf-8-sig").splitlines()
    assert name == "orders-errors.csv" and text[0].endswith(",error")
    assert text[1].endswith(",")  # PO-1 was written: no error
    assert "another row of order PO-2" in text[2] and "No item with SKU or barcode NOPE-1" in text[3]


def test_a_dry_run_checks_and_prices_but_writes_nothing(world, actor):
    a = world.items[0]
    report = run(actor, csv_of(f"PO-1,{world.customer.code},{a.sku},3,,,,,"), dry_run=True)
    assert (report.valid_orders, report.orders_created, report.total) == (1, 0, "33.90")
    assert (
        not SalesOrder.objects.exists() and not OutboxEvent.objects.filter(topic__startswith="sales").exists()
    )


def test_orders_already_imported_and_rows_that_disagree_are_refused(world, actor):
    a, b, _c = world.items
    other = make_customer(world.dealer, business_type="retail_store")
    code = world.customer.code
    assert run(actor, csv_of(f"PO-1,{code},{a.sku},1,,,,,")).orders_created == 1
    report = run(
        actor,
        csv_of(
            f"PO-1,{code},{a.sku},1,,,,,",
            f"PO-9,{code},{a.sku},1,,,2026-12-01,,",
            f"PO-9,{other.code},{b.sku},1,,,2026-12-02,,",
        ),
    )
    assert [(e["row"], e["column"], e["code"]) for e in report.errors] == [
        (2, "order_ref", "duplicate_order_ref"),
        (4, "customer", "order_ref_conflict"),
        (4, "requested_date", "order_ref_conflict"),
    ]
    assert SalesOrder.objects.count() == 1


def test_barcodes_units_addresses_and_channels_resolve_by_their_codes(world, actor):
    a, b, _c = world.items
    case = unit(world.dealer, "CS", name="箱")
    make_item_unit(a, case, 12)
    make_item_unit(b, case, 6)
    make_barcode(a, "06901234567892", unit_of_measure=case)
    shop = make_address(world.customer, line="人民路 1 号", receiver_name="王五")
    channel = make_channel(world.dealer, code="KA")
    content = csv_of(
        f"PO-1,{world.customer.code},06901234567892,2,,{shop.pk},,,KA",
        f"PO-1,{world.customer.code},{b.sku},1,cs,,,,",
    )
    report = run(actor, content)
    assert report.problems == 0, report.errors
    order = SalesOrder.objects.get()
    assert (order.ship_to_id, order.receiver_name, order.channel_id) == (shop.pk, "王五", channel.pk)
    lines = list(order.lines.order_by("line_no"))
    assert [(ln.quantity_entered, ln.unit_id, ln.quantity) for ln in lines] == [
        (Decimal("2.000"), case.pk, Decimal("24.000")),
        (Decimal("1.000"), case.pk, Decimal("6.000")),
    ]


def test_unknown_units_addresses_channels_and_units_of_other_items(world, actor):
    a, b, _c = world.items
    case = unit(world.dealer, "CS", name="箱")
    stranger = make_address(make_customer(world.dealer, business_type="wholesaler"), line="x")
    code = world.customer.code
    report = run(
        actor,
        csv_of(
            f"PO-1,{code},{a.sku},1,BOX,,,,",
            f"PO-1,{code},{b.sku},1,CS,,,,",
            f"PO-1,{code},{b.sku},1,,{stranger.pk},,,",
            f"PO-1,{code},{b.sku},1,,,,,NOPE",
            f"PO-1,{code},{b.sku},1.0001,,,,,",
        ),
    )
    assert case and [(e["row"], e["code"]) for e in report.errors] == [
        (2, "unknown_unit"),
        (3, "unit_not_convertible"),
        (4, "unknown_address"),
        (5, "unknown_channel"),
        (6, "invalid_quantity"),
    ]


def test_chinese_headers_in_a_gbk_file_from_excel(world, actor):
    a = world.items[0]
    text = f"订单号,客户编码,商品编码,数量,备注\r\nPO-中文,{world.customer.code},{a.sku},4,请尽快送货\r\n"
    report = run(actor, text.encode("gbk"))
    assert report.orders_created == 1
    assert SalesOrder.objects.get().notes == "请尽快送货"
    bom = ("\ufeff" + text.replace("PO-中文", "PO-BOM")).encode("utf-8")
    assert run(actor, bom).orders_created == 1


def test_an_excel_workbook_with_date_cells(world, actor):
    from datetime import datetime

    from openpyxl import Workbook

    a = world.items[0]
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["order_ref", "customer", "sku", "quantity", "requested_date"])
    sheet.append(["X-1", world.customer.code, a.sku, 5, datetime(2026, 12, 24)])
    sheet.append(["X-2", world.customer.code, a.sku, 1.5, 46385])
    out = io.BytesIO()
    workbook.save(out)
    report = run(actor, out.getvalue(), name="week.xlsx")
    assert report.file_kind == "xlsx" and report.orders_created == 2, report.errors
    dates = dict(SalesOrder.objects.values_list("external_reference", "requested_date"))
    assert dates["X-1"].isoformat() == "2026-12-24" and dates["X-2"].isoformat() == "2026-12-29"


@pytest.mark.parametrize(
    ("content", "name", "error"),
    [
        (b"", "a.csv", ImportFileEmpty),
        (HEADER.encode(), "a.csv", ImportFileEmpty),
        (b"ref,who,what\nA,B,C\n", "a.csv", ImportFileHeaders),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 old excel", "a.xls", ImportFileUnreadable),
        (b"PK\x03\x04 not really a zip", "a.xlsx", ImportFileUnreadable),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "a.png", ImportFileUnreadable),
        (b"order_ref,customer,sku,quantity\n\xff\xfe\xff\xfe,\x80\x80\n", "a.csv", ImportFileEncoding),
    ],
)
def test_files_that_cannot_be_read_are_refused_with_a_code(world, actor, content, name, error):
    with pytest.raises(error):
        run(actor, content, name=name)
    assert not SalesOrder.objects.exists()


def test_too_many_rows(world, actor, monkeypatch):
    monkeypatch.setattr(imports_read, "MAX_ROWS", 2)
    a = world.items[0]
    rows = [f"PO-{n},{world.customer.code},{a.sku},1,,,,," for n in range(3)]
    with pytest.raises(ImportFileTooLarge):
        run(actor, csv_of(*rows))


def test_orders_of_another_dealer_cannot_be_reached(world, actor, other_dealer):
    stranger = make_customer(other_dealer, business_type="wholesaler")
    report = run(actor, csv_of(f"PO-1,{stranger.code},{world.items[0].sku},1,,,,,"))
    assert [e["code"] for e in report.errors] == ["unknown_customer"]
    outsider = build_actor(make_user(other_dealer))
    from qudao.core.errors import NotFound

    with pytest.raises(NotFound):
        build_report(actor=outsider, token=report.report_token, fmt="csv")


def test_confirm_goes_through_the_normal_confirmation(world, actor):
    a = world.items[0]
    received = []
    subscriber("sales.order.confirmed", name="test-import-confirmed")(received.append)
    try:
        report = run(actor, csv_of(f"PO-1,{world.customer.code},{a.sku},2,,,,,"), confirm=True)
    finally:
        unsubscribe("test-import-confirmed")
    order = SalesOrder.objects.get()
    assert report.orders_confirmed == 1 and order.state == OrderState.CONFIRMED
    assert order.lines.get().reserved_quantity == Decimal("2.000")


def test_text_with_tabs_newlines_and_backslashes_survives_the_bulk_write(world, actor):
    a = world.items[0]
    notes = 'line one\nline\ttwo \\ "quoted" 中文'
    quoted = '"' + notes.replace('"', '""') + '"'
    report = run(actor, csv_of(f"PO-\\1,{world.customer.code},{a.sku},1,,,,{quoted},"))
    assert report.orders_created == 1, report.errors
    order = SalesOrder.objects.get()
    assert order.notes == notes and order.external_reference == "PO-\\1"
    assert order.lines.get().price_explanation["source"]["kind"] == "item_list_price"
