"""Excel/CSV import and export with natural keys, saved through the services."""

from decimal import Decimal

import tablib

from qudao.core.models import OutboxEvent
from qudao.core.scoping import build_actor
from qudao.parties.models import Customer, CustomerGroup
from qudao.parties.resources import CustomerGroupResource, CustomerResource
from tests.factories import make_user
from tests.parties.factories import make_customer, make_customer_group

HEADERS = [
    "code",
    "kind",
    "business_type",
    "name",
    "mobile",
    "customer_group",
    "channel",
    "region",
    "sales_rep",
    "credit_limit",
    "payment_terms_days",
    "tags",
    "status",
]


def run(resource, rows, headers=HEADERS):
    dataset = tablib.Dataset(*rows, headers=headers)
    return resource.import_data(dataset, dry_run=False, raise_errors=False)


def row_errors(result):
    return [
        (row.number, {k: [str(m) for m in v] for k, v in row.error_dict.items()})
        for row in result.invalid_rows
    ]


def test_import_creates_with_natural_keys(actor, dealer, group, channel, regions, sales_rep):
    result = run(
        CustomerResource(actor=actor),
        [
            (
                "",
                "business",
                "wholesaler",
                "福州批发部",
                "+86 138 0013 8000",
                group.code,
                channel.code,
                regions[2].code,
                sales_rep.username,
                "20000",
                "30",
                "批发, VIP",
                "active",
            ),
            ("KA-9", "individual", "", "王小明", "", "", "", "", "", "", "", "", ""),
        ],
    )
    assert not result.has_errors() and not result.has_validation_errors(), row_errors(result)
    first = Customer.objects.get(code="C-000001")
    assert (first.dealer, first.customer_group, first.channel, first.region) == (
        dealer,
        group,
        channel,
        regions[2],
    )
    assert (first.mobile, first.credit_limit, first.tags, first.status) == (
        "13800138000",
        Decimal("20000.00"),
        ["批发", "VIP"],
        "active",
    )
    second = Customer.objects.get(code="KA-9")
    assert (second.kind, second.status, second.payment_terms_days) == ("individual", "prospect", 0)
    assert OutboxEvent.objects.filter(topic="parties.customer.created").count() == 2


def test_import_updates_and_moves_status_through_the_machine(actor, dealer):
    customer = make_customer(dealer, code="W-1", name="旧名", status="active")
    result = run(
        CustomerResource(actor=actor),
        [("W-1", "business", "wholesaler", "新名", "", "", "", "", "", "0", "0", "", "blocked")],
    )
    assert not result.has_validation_errors(), row_errors(result)
    customer.refresh_from_db()
    assert (customer.name, customer.status, customer.version) == ("新名", "blocked", 2)
    topics = sorted(OutboxEvent.objects.values_list("topic", flat=True))
    assert topics == ["parties.customer.status_changed", "parties.customer.updated"]
    kept = run(
        CustomerResource(actor=actor),
        [("W-1", "business", "wholesaler", "新名", "", "", "", "", "", "0", "0", "", "")],
    )
    assert not kept.has_validation_errors(), row_errors(kept)
    customer.refresh_from_db()
    assert (customer.status, customer.version) == ("blocked", 2)
    refused = run(
        CustomerResource(actor=actor),
        [("W-1", "business", "wholesaler", "新名", "", "", "", "", "", "0", "0", "", "prospect")],
    )
    assert refused.has_validation_errors()
    customer.refresh_from_db()
    assert customer.status == "blocked"


def test_import_refuses_bad_rows_per_column(actor, other_dealer):
    foreign = make_customer_group(other_dealer, code="THEIRS")
    result = run(
        CustomerResource(actor=actor),
        [
            ("", "business", "", "A", "12345", "", "", "", "", "0", "0", "", ""),
            ("", "business", "", "B", "", foreign.code, "", "", "", "0", "0", "", ""),
            ("", "business", "", "C", "", "", "", "", "", "-5", "0", "", ""),
        ],
    )
    errors = dict(row_errors(result))
    assert set(errors) == {1, 2, 3}
    assert set(errors[1]) == {"mobile"}
    assert set(errors[2]) == {"customer_group"}
    assert set(errors[3]) == {"credit_limit"}
    assert not Customer.objects.exists()


def test_import_into_another_dealer_is_refused(actor, other_dealer):
    headers = ["dealer", "code", "kind", "name"]
    result = run(CustomerResource(actor=actor), [(other_dealer.code, "X1", "business", "越权")], headers)
    assert result.has_validation_errors() and "dealer" in dict(row_errors(result))[1]
    assert not Customer.objects.exists()


def test_import_cannot_touch_another_dealers_rows(other_dealer, dealer):
    theirs = make_customer(other_dealer, code="SAME", name="别人的")
    run(
        CustomerResource(actor=build_actor(make_user(dealer))),
        [("SAME", "business", "wholesaler", "我的", "", "", "", "", "", "0", "0", "", "")],
    )
    theirs.refresh_from_db()
    assert theirs.name == "别人的"
    assert Customer.objects.get(dealer=dealer).code == "SAME"


def test_export_uses_codes_and_masks_documents(actor, dealer, group):
    make_customer(
        dealer,
        code="E-1",
        customer_group=group,
        tags=["VIP", "KA"],
        id_number_masked="",
        credit_limit=Decimal("10.00"),
    )
    dataset = CustomerResource(actor=actor).export(Customer.objects.all())
    row = dict(zip(dataset.headers, dataset[0], strict=True))
    assert (row["dealer"], row["code"], row["customer_group"], row["tags"]) == (
        dealer.code,
        "E-1",
        group.code,
        "VIP, KA",
    )
    assert "id_number_digest" not in dataset.headers and "version" not in dataset.headers


def test_group_import(actor, dealer):
    result = run(
        CustomerGroupResource(actor=actor),
        [("KA", "重点客户", ""), ("SMALL", "小店", "社区")],
        ["code", "name", "description"],
    )
    assert not result.has_validation_errors(), row_errors(result)
    assert sorted(CustomerGroup.objects.filter(dealer=dealer).values_list("code", flat=True)) == [
        "KA",
        "SMALL",
    ]
    result = run(CustomerGroupResource(actor=actor), [("KA", "大卖场", "")], ["code", "name", "description"])
    assert CustomerGroup.objects.get(code="KA").name == "大卖场"
    bad = run(CustomerGroupResource(actor=actor), [("B A D", "x", "")], ["code", "name", "description"])
    assert "code" in dict(row_errors(bad))[1]
