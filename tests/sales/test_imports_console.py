"""The import page in the console: check the file first, read the problems, then import it."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from qudao.sales.models import SalesOrder
from tests.factories import make_user
from tests.sales.factories import make_world

pytestmark = pytest.mark.django_db
URL = "/admin/sales/import/"


@pytest.fixture
def world(dealer):
    return make_world(dealer, items=2, price="10.00")


@pytest.fixture
def client(dealer):
    client = Client()
    client.force_login(make_user(dealer, is_staff=True))
    return client


def upload(world, *rows: str) -> SimpleUploadedFile:
    text = "订单号,客户编码,商品编码,数量\n" + "\n".join(rows) + "\n"
    return SimpleUploadedFile("本周订单.csv", text.encode("gbk"), content_type="text/csv")


def test_check_then_import_without_a_new_upload(client, world):
    a, b = world.items
    page = client.get(URL)
    assert page.status_code == 200 and "Check the file" in page.content.decode()
    file = upload(world, f"W-1,{world.customer.code},{a.sku},2", f"W-2,{world.customer.code},{b.sku},1")
    checked = client.post(URL, {"file": file, "mode": "all_or_nothing", "action": "check"})
    html = checked.content.decode()
    assert checked.status_code == 200 and "No problems found." in html and 'id="import-now"' in html
    assert not SalesOrder.objects.exists()
    token = checked.context["report"].report_token
    done = client.post(URL, {"checked": token, "mode": "all_or_nothing", "action": "import"})
    assert done.status_code == 200 and done.context["report"].orders_created == 2
    assert SalesOrder.objects.filter(source="import").count() == 2


def test_problems_are_listed_per_row_with_downloads(client, world):
    a = world.items[0]
    file = upload(world, f"W-1,{world.customer.code},{a.sku},0", f"W-2,{world.customer.code},NOPE,1")
    page = client.post(URL, {"file": file, "mode": "valid_only", "action": "check"})
    html = page.content.decode()
    assert "Problems: 2" in html and "No item with SKU or barcode NOPE." in html
    token = page.context["report"].report_token
    csv = client.get(f"{URL}reports/{token}/csv/")
    assert csv.status_code == 200 and "error" in csv.content.decode("utf-8-sig").splitlines()[0]
    assert 'id="import-now"' not in html  # no valid order to import


def test_an_unreadable_file_is_explained_on_the_page(client, world):
    file = SimpleUploadedFile("x.xls", b"\xd0\xcf\x11\xe0 old", content_type="application/vnd.ms-excel")
    page = client.post(URL, {"file": file, "mode": "all_or_nothing", "action": "check"})
    assert page.status_code == 200 and ".xlsx" in page.context["errors"][0]


def test_staff_without_the_order_permission_cannot_open_it(dealer):
    from qudao.accounts.models import Role

    client = Client()
    client.force_login(make_user(dealer, role=Role.TECHNICIAN, is_staff=True))
    assert client.get(URL).status_code == 403
