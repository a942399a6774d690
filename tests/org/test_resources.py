"""Excel/CSV imports go through the services, as the importing user."""

import tablib

from qudao.core.models import OutboxEvent
from qudao.org.models import Channel, Company, Site, Territory
from qudao.org.resources import ChannelResource, CompanyResource, SiteResource, TerritoryResource
from tests.factories import make_site


def _import(resource, headers, rows, user, dry_run=False):
    dataset = tablib.Dataset(*rows, headers=headers)
    return resource.import_data(dataset, dry_run=dry_run, user=user)


def _row_errors(result):
    return [dict(row.error_dict) for row in result.invalid_rows]


def test_import_sites_creates_and_updates_through_the_service(admin_user, dealer, brand):
    existing = make_site(dealer, code="WH-1", name="旧名")
    headers = [
        "dealer",
        "code",
        "name",
        "kind",
        "region",
        "address",
        "latitude",
        "longitude",
        "brands",
        "is_active",
    ]
    result = _import(
        SiteResource(),
        headers,
        [
            [dealer.code, "WH-1", "新名", "central_warehouse", "110105", "", "", "", brand.code, "1"],
            [dealer.code, "ST-2", "门店", "store", "310101", "南京东路", "", "", "", "1"],
        ],
        admin_user,
    )
    assert not result.has_errors(), [r.errors for r in result.rows]
    assert not result.has_validation_errors(), _row_errors(result)
    existing.refresh_from_db()
    assert existing.name == "新名"
    assert existing.region.code == "110105"
    assert list(existing.brands.all()) == [brand]
    store = Site.objects.get(code="ST-2")
    assert store.dealer == dealer
    assert store.latitude is not None  # defaulted from 黄浦区
    assert OutboxEvent.objects.filter(topic="org.site.created", payload__site_id=store.pk).count() == 1
    assert OutboxEvent.objects.filter(topic="org.site.updated", payload__site_id=existing.pk).count() == 1


def test_import_refuses_rows_of_another_dealer_and_bad_values(admin_user, dealer, other_dealer):
    headers = ["dealer", "code", "name", "kind", "latitude", "longitude"]
    result = _import(
        SiteResource(),
        headers,
        [
            [other_dealer.code, "X-1", "别人的", "store", "", ""],
            [dealer.code, "X-2", "坐标错", "store", "99", "116"],
        ],
        admin_user,
    )
    errors = _row_errors(result)
    assert len(errors) == 2
    assert "dealer" in errors[0]
    assert "latitude" in errors[1]
    assert not Site.objects.filter(code__startswith="X-").exists()


def test_dry_run_leaves_nothing(admin_user, dealer):
    result = _import(
        ChannelResource(),
        ["dealer", "code", "name", "kind"],
        [[dealer.code, "KA", "卖场", "ka"]],
        admin_user,
        dry_run=True,
    )
    assert not result.has_validation_errors()
    assert not Channel.objects.exists()
    assert not OutboxEvent.objects.exists()


def test_import_companies_and_territories(admin_user, dealer, brand_user, brand):
    result = _import(
        CompanyResource(),
        ["code", "name", "is_supplier", "credit_code", "region"],
        [
            ["SUP-1", "供应商一", "1", "91110000600037341L", "110105"],
            ["SUP-2", "供应商二", "1", "91110000600037341X", ""],
        ],
        admin_user,
    )
    assert Company.objects.get(code="SUP-1").owner == dealer
    assert "credit_code" in _row_errors(result)[0]
    result = _import(
        TerritoryResource(),
        ["owner", "code", "name", "regions", "polygon"],
        [[brand.code, "N", "华北", "110000,120000", ""]],
        brand_user,
    )
    assert not result.has_validation_errors(), _row_errors(result)
    territory = Territory.objects.get(code="N")
    assert sorted(territory.regions.values_list("code", flat=True)) == ["110000", "120000"]


def test_export_uses_codes(dealer, brand):
    site = make_site(dealer, code="EXP-1")
    site.brands.add(brand)
    data = SiteResource().export(Site.objects.filter(pk=site.pk))
    assert data.dict[0]["dealer"] == dealer.code
    assert data.dict[0]["brands"] == brand.code
