"""The order center in the console: list, order page, staff entry, actions."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from qudao.sales.models import SalesOrder
from tests.factories import make_user
from tests.inventory.factories import reserved
from tests.sales.factories import make_world, submit

pytestmark = pytest.mark.django_db
LIST = "/admin/sales/salesorder/"


@pytest.fixture
def staff(dealer):
    client = Client()
    client.force_login(make_user(dealer, is_staff=True))
    return client


def test_order_center_list_is_scoped_and_has_no_n_plus_1(staff, dealer, other_dealer):
    world = make_world(dealer)
    orders = [submit(world, [1, 1, 1]) for _ in range(3)]
    foreign = submit(make_world(other_dealer), [1, 1, 1])
    page = staff.get(LIST)
    assert page.status_code == 200
    text = page.content.decode()
    assert all(f"/salesorder/{o.pk}/" in text for o in orders) and f"/salesorder/{foreign.pk}/" not in text

    more = [submit(world, [1, 0, 0]) for _ in range(5)]
    with CaptureQueriesContext(connection) as few:
        staff.get(LIST)
    with CaptureQueriesContext(connection) as many:
        assert more[0].number in staff.get(LIST).content.decode()
    assert len(many.captured_queries) == len(few.captured_queries)
    # filters and exact search
    assert orders[0].number in staff.get(LIST, {"q": orders[0].number}).content.decode()
    assert staff.get(LIST, {"state__exact": "confirmed", "site_id": world.shanghai.pk}).status_code == 200
    by_customer = staff.get(LIST, {"customer_id": world.customer.pk}).content.decode()
    assert f"/salesorder/{orders[0].pk}/" in by_customer
    assert foreign.customer.name not in by_customer  # the filter's choices are the user's own


def test_order_page_shows_lines_explanations_plan_and_timeline(staff, dealer):
    world = make_world(dealer, stock={"shanghai": 10, "hangzhou": 10})
    order = submit(world, [1, 2, 3])
    page = staff.get(f"{LIST}{order.pk}/change/")
    assert page.status_code == 200
    text = page.content.decode()
    assert order.number in text
    assert "score (lower is better)" in text and world.hangzhou.code in text
    assert "One site can ship everything" in text
    assert "confirmed" in text  # timeline


def test_staff_enters_an_order(staff, dealer):
    world = make_world(dealer, items=2)
    form = staff.get(f"{LIST}enter/")
    assert form.status_code == 200
    response = staff.post(
        f"{LIST}enter/",
        {
            "customer": world.customer.pk,
            "confirm": "on",
            "lines-TOTAL_FORMS": "2",
            "lines-INITIAL_FORMS": "0",
            "lines-MIN_NUM_FORMS": "0",
            "lines-MAX_NUM_FORMS": "50",
            "lines-0-code": world.items[0].sku,
            "lines-0-quantity": "2",
            "lines-1-code": world.items[1].sku,
            "lines-1-quantity": "1",
        },
    )
    assert response.status_code == 302
    order = SalesOrder.objects.get()
    assert (order.source, order.state, order.total) == ("console", "confirmed", Decimal("339.00"))
    assert reserved(world.items[0]) == 2


def test_staff_entry_shows_service_errors(staff, dealer):
    world = make_world(dealer, items=1)
    response = staff.post(
        f"{LIST}enter/",
        {
            "customer": world.customer.pk,
            "lines-TOTAL_FORMS": "1",
            "lines-INITIAL_FORMS": "0",
            "lines-MIN_NUM_FORMS": "0",
            "lines-MAX_NUM_FORMS": "50",
        },
    )
    assert response.status_code == 200
    assert "Give at least one line." in response.content.decode()
    assert not SalesOrder.objects.exists()


def _entry(customer, *rows):
    data = {
        "customer": customer.pk,
        "confirm": "on",
        "lines-TOTAL_FORMS": str(len(rows)),
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "50",
    }
    for n, (code, quantity) in enumerate(rows):
        data[f"lines-{n}-code"] = code
        data[f"lines-{n}-quantity"] = quantity
    return data


def test_staff_scans_a_case_barcode_and_orders_cases(staff, dealer):
    from tests.catalog.factories import make_barcode, make_item_unit, make_unit

    world = make_world(dealer, items=1)
    case = make_unit(dealer, code="CS", name="箱")
    make_item_unit(world.items[0], case, 12)
    make_barcode(world.items[0], "6901234567892", unit_of_measure=case)
    response = staff.post(f"{LIST}enter/", _entry(world.customer, ("6901234567892", "2")))
    assert response.status_code == 302, response.content.decode()[:2000]
    line = SalesOrder.objects.get().lines.get()
    assert (line.quantity_entered, line.unit_id, line.quantity) == (Decimal(2), case.pk, Decimal(24))
    assert reserved(world.items[0]) == 24


def test_staff_entry_reports_unknown_codes_on_their_rows_and_writes_nothing(staff, dealer):
    world = make_world(dealer, items=1)
    other = make_world(dealer.__class__.objects.create(code="OTHER", name="别家", is_dealer=True), items=1)
    response = staff.post(
        f"{LIST}enter/",
        _entry(world.customer, (world.items[0].sku, "1"), ("NO-SUCH-SKU", "1"), (other.items[0].sku, "1")),
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert text.count("No item with this SKU or barcode.") == 2
    assert not SalesOrder.objects.exists()


def test_staff_entry_asks_for_the_missing_half_of_a_row(staff, dealer):
    world = make_world(dealer, items=1)
    response = staff.post(f"{LIST}enter/", _entry(world.customer, (world.items[0].sku, ""), ("", "3")))
    text = response.content.decode()
    assert "Give a quantity for this item." in text and "Give the SKU or barcode of this line." in text
    assert not SalesOrder.objects.exists()


def test_staff_entry_picks_the_customer_by_search(staff, dealer):
    world = make_world(dealer, items=1)
    page = staff.get(f"{LIST}enter/").content.decode()
    assert "admin-autocomplete" in page and world.customer.name not in page  # no full list of customers
    found = staff.get(
        "/admin/autocomplete/",
        {
            "term": world.customer.name[:2],
            "app_label": "sales",
            "model_name": "salesorder",
            "field_name": "customer",
        },
    )
    assert found.status_code == 200
    assert [r["id"] for r in found.json()["results"]] == [str(world.customer.pk)]


def test_actions_call_the_services(staff, dealer):
    world = make_world(dealer, items=1, stock={})
    draft = submit(world, [2], confirm=False)
    backordered = submit(world, [3])
    staff.post(LIST, {"action": "confirm_selected", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.state == "confirmed"
    from tests.inventory.factories import receive

    receive(world.shanghai, world.items[0], 10)
    staff.post(LIST, {"action": "allocate_wave", "_selected_action": [draft.pk, backordered.pk]})
    assert reserved(world.items[0]) == 5
    staff.post(LIST, {"action": "cancel_selected", "_selected_action": [backordered.pk]})
    backordered.refresh_from_db()
    assert backordered.state == "cancelled" and reserved(world.items[0]) == 2


def test_search_finds_an_order_by_number_reference_or_customer_code(staff, dealer):
    world = make_world(dealer, items=1)
    first = submit(world, [1], confirm=False, external_reference="JD-778899")
    second = submit(world, [1], confirm=False)

    def found(term):
        page = staff.get(LIST, {"q": term}).content.decode()
        return {o.number for o in (first, second) if f">{o.number}<" in page}

    assert found(first.number) == {first.number}
    assert found(first.number.lower()) == {first.number}
    assert found("JD-778899") == {first.number}
    assert found(world.customer.code) == {first.number, second.number}
    assert found("no-such-order") == set()
