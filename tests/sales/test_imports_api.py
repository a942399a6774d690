"""POST /api/v1/orders/import: the same import over the API (multipart), dry run first."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from qudao.sales.models import SalesOrder
from tests.factories import ApiClient, make_user
from tests.sales.factories import make_world

pytestmark = pytest.mark.django_db
URL = "/api/v1/orders/import"


@pytest.fixture
def world(dealer):
    return make_world(dealer, items=2, price="10.00")


def upload(api: ApiClient, content: bytes, name: str = "orders.csv", **fields):
    data = {"file": SimpleUploadedFile(name, content, content_type="text/csv"), **fields}
    return api.client.post(URL, data, HTTP_AUTHORIZATION=f"Bearer {api.token}")


def body(world, *rows: str) -> bytes:
    return ("order_ref,customer,sku,quantity\n" + "\n".join(rows) + "\n").encode()


def test_dry_run_then_import(api, world):
    a, b = world.items
    content = body(world, f"W-1,{world.customer.code},{a.sku},3", f"W-1,{world.customer.code},{b.sku},1")
    dry = upload(api, content, dry_run="true")
    assert dry.status_code == 200, dry.content
    assert dry.json()["valid_orders"] == 1 and dry.json()["orders_created"] == 0
    assert not SalesOrder.objects.exists()
    done = upload(api, content)
    assert done.status_code == 201
    report = done.json()
    assert (report["orders_created"], report["lines_created"], report["total"]) == (1, 2, "40.00")
    order = SalesOrder.objects.get(pk=report["order_ids"][0])
    assert order.source == "import" and order.external_reference == "W-1"
    again = upload(api, content).json()
    assert [e["code"] for e in again["errors"]] == ["duplicate_order_ref"]


def test_row_errors_are_reported_with_download_links(api, world):
    a = world.items[0]
    response = upload(
        api, body(world, f"W-1,{world.customer.code},{a.sku},-1", f"W-2,{world.customer.code},{a.sku},2")
    )
    assert response.status_code == 200
    report = response.json()
    assert report["errors"] == [
        {
            "row": 2,
            "column": "quantity",
            "code": "invalid_quantity",
            "message": "The quantity must be a number greater than zero, with at most 3 decimal places.",
        }
    ]
    assert report["orders_created"] == 0
    csv_link, xlsx_link = report["error_report"]["csv"], report["error_report"]["xlsx"]
    csv_file = api.get(csv_link)
    assert csv_file.status_code == 200 and csv_file["Content-Type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(csv_file.content.decode("utf-8-sig"))))
    assert lines[0] == ["order_ref", "customer", "sku", "quantity", "error"]
    assert (
        lines[1][-1]
        == "quantity: The quantity must be a number greater than zero, with at most 3 decimal places."
    )
    assert "all or nothing" in lines[2][-1]
    xlsx = api.get(xlsx_link)
    assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK")
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(xlsx.content)).worksheets[0]
    assert [c.value for c in sheet[1]] == ["order_ref", "customer", "sku", "quantity", "error"]
    assert sheet.cell(2, 5).value.startswith("quantity:")


def test_valid_only_mode_over_the_api(api, world):
    a = world.items[0]
    response = upload(
        api,
        body(world, f"W-1,{world.customer.code},{a.sku},1", f"W-2,NOBODY,{a.sku},1"),
        mode="valid_only",
    )
    assert response.status_code == 201
    assert response.json()["orders_created"] == 1 and response.json()["invalid_orders"] == 1


@pytest.mark.parametrize(
    ("content", "fields", "code"),
    [
        (b"", {}, "import_file_empty"),
        (b"a,b\n1,2\n", {}, "import_file_headers"),
        (b"order_ref,customer,sku,quantity\nA,B,C,1\n", {"mode": "sometimes"}, "validation_error"),
        (b"order_ref,customer,sku,quantity\nA,B,C,1\n", {"surprise": "1"}, "validation_error"),
    ],
)
def test_bad_requests_are_422_with_a_code(api, world, content, fields, code):
    response = upload(api, content, **fields)
    assert response.status_code == 422, response.content
    assert response.json()["code"] == code


def test_missing_file_is_422(api, world):
    response = api.client.post(URL, {"mode": "valid_only"}, HTTP_AUTHORIZATION=f"Bearer {api.token}")
    assert response.status_code == 422


def test_an_api_key_without_sales_write_cannot_import(world, admin_user):
    reader = ApiClient(admin_user, scopes=("sales:read",))
    response = upload(reader, body(world, f"W-1,{world.customer.code},{world.items[0].sku},1"))
    assert response.status_code == 403


def test_another_dealer_reads_no_report_and_imports_nothing_for_us(api, other_api, world):
    a = world.items[0]
    report = upload(api, body(world, f"W-1,{world.customer.code},{a.sku},0")).json()
    assert other_api.get(report["error_report"]["csv"]).status_code == 404
    theirs = upload(other_api, body(world, f"W-1,{world.customer.code},{a.sku},1")).json()
    assert [e["code"] for e in theirs["errors"]] == ["unknown_customer", "unknown_item"]
    assert not SalesOrder.objects.exists()


def test_a_technician_without_the_add_permission_is_refused(dealer, world):
    from qudao.accounts.models import Role

    viewer = ApiClient(make_user(dealer, role=Role.TECHNICIAN))
    response = upload(viewer, body(world, f"W-1,{world.customer.code},{world.items[0].sku},1"))
    assert response.status_code == 403
