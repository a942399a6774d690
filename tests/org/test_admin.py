"""Console pages load, are scoped, and save through the services."""

import pytest
from django.urls import reverse

from qudao.core.models import OutboxEvent
from qudao.org.models import Channel, Company, Dealership, DealershipStatus, Region, Site, Territory
from tests.factories import make_channel, make_dealership, make_site
from tests.org.factories import BEIJING_CENTRE, make_territory

MODELS = ("company", "site", "channel", "region", "territory", "dealership")


@pytest.fixture
def rows(dealer, brand, site):
    territory = make_territory(brand, region_codes=("110000",), polygon=BEIJING_CENTRE)
    return {
        "company": dealer,
        "site": site,
        "channel": make_channel(dealer),
        "region": Region.objects.get(code="110105"),
        "territory": territory,
        "dealership": make_dealership(brand, dealer, territory=territory),
    }


@pytest.mark.parametrize("model", MODELS)
def test_platform_admin_pages_load(client, platform_admin, rows, model):
    client.force_login(platform_admin)
    changelist = client.get(reverse(f"admin:org_{model}_changelist"))
    assert changelist.status_code == 200
    shown = rows[model].dealer.name if model == "dealership" else str(rows[model])
    assert shown.encode() in changelist.content
    change = client.get(reverse(f"admin:org_{model}_change", args=[rows[model].pk]))
    assert change.status_code == 200
    if model != "region":
        assert client.get(reverse(f"admin:org_{model}_add")).status_code == 200
    history = client.get(reverse(f"admin:org_{model}_history", args=[rows[model].pk]))
    assert history.status_code == 200


def test_filters_and_search(client, platform_admin, rows):
    client.force_login(platform_admin)
    assert client.get(reverse("admin:org_company_changelist"), {"is_dealer__exact": "1"}).status_code == 200
    assert client.get(reverse("admin:org_site_changelist"), {"kind__exact": "store"}).status_code == 200
    response = client.get(reverse("admin:org_region_changelist"), {"level__exact": "province", "q": "北京"})
    assert response.status_code == 200
    assert "北京市".encode() in response.content
    assert client.get(reverse("admin:org_dealership_changelist"), {"status": "active"}).status_code == 200


def test_region_is_read_only_with_autocomplete(client, admin_user, rows):
    client.force_login(admin_user)
    assert client.get(reverse("admin:org_region_add")).status_code == 403
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "org", "model_name": "site", "field_name": "region", "term": "朝阳"},
    )
    assert response.status_code == 200
    assert {r["text"] for r in response.json()["results"]} >= {"朝阳区"}


def test_dealer_admin_sees_only_its_rows(client, admin_user, dealer, other_dealer, rows):
    theirs = make_site(other_dealer, name="别人的仓库")
    client.force_login(admin_user)
    changelist = client.get(reverse("admin:org_site_changelist"))
    assert changelist.status_code == 200
    assert rows["site"].name.encode() in changelist.content
    assert "别人的仓库".encode() not in changelist.content
    assert client.get(reverse("admin:org_site_change", args=[theirs.pk])).status_code == 302  # not found
    assert client.get(reverse("admin:org_company_changelist")).status_code == 200


def test_console_add_site_runs_the_service(client, admin_user, dealer):
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:org_site_add"),
        {
            "dealer": dealer.pk,
            "code": "WH-CONSOLE",
            "name": "控制台仓",
            "kind": "store",
            "region": Region.objects.get(code="110105").pk,
            "address": "",
            "latitude": "",
            "longitude": "",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    site = Site.objects.get(code="WH-CONSOLE")
    assert str(site.latitude) == "39.921506"  # defaulted by the service
    assert OutboxEvent.objects.filter(topic="org.site.created", payload__site_id=site.pk).exists()
    assert site.history.first().history_user == admin_user


def test_console_shows_service_errors_on_the_field(client, admin_user, dealer):
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:org_site_add"),
        {
            "dealer": dealer.pk,
            "code": "WH-X",
            "name": "x",
            "kind": "store",
            "latitude": "30",
            "longitude": "",
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["longitude"] == [
        "Give both the latitude and the longitude."
    ]
    assert not Site.objects.filter(code="WH-X").exists()


def test_console_change_channel_emits_update(client, admin_user, dealer):
    channel = make_channel(dealer, code="KA", name="旧名")
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:org_channel_change", args=[channel.pk]),
        {"dealer": dealer.pk, "code": "KA", "name": "新名", "kind": channel.kind, "is_active": "on"},
    )
    assert response.status_code == 302
    channel.refresh_from_db()
    assert channel.name == "新名"
    assert OutboxEvent.objects.get(topic="org.channel.updated").payload["changed"] == ["name"]
    assert Channel.objects.count() == 1


def test_console_cannot_grant_the_dealer_role(client, admin_user, dealer):
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:org_company_add"),
        {
            "code": "NEWCO",
            "name": "n",
            "is_dealer": "on",
            "owner": dealer.pk,
            "time_zone": "Asia/Shanghai",
            "currency": "CNY",
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert not Company.objects.filter(code="NEWCO").exists()
    assert "Only a platform administrator" in response.content.decode()


def test_territory_console_save_keeps_regions(client, brand_user, brand):
    client.force_login(brand_user)
    beijing = Region.objects.get(code="110000")
    response = client.post(
        reverse("admin:org_territory_add"),
        {
            "owner": brand.pk,
            "code": "T-CON",
            "name": "控制台大区",
            "regions": [beijing.pk],
            "polygon": "null",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    territory = Territory.objects.get(code="T-CON")
    assert list(territory.regions.values_list("code", flat=True)) == ["110000"]
    assert OutboxEvent.objects.filter(topic="org.territory.created").count() == 1


def test_dealership_workflow_actions(client, brand_user, brand, dealer):
    dealership = make_dealership(brand, dealer)
    client.force_login(brand_user)
    url = reverse("admin:org_dealership_changelist")
    response = client.post(url, {"action": "suspend", "_selected_action": [dealership.pk]})
    assert response.status_code == 302
    dealership.refresh_from_db()
    assert dealership.status == DealershipStatus.SUSPENDED
    client.post(url, {"action": "terminate", "_selected_action": [dealership.pk]})
    client.post(url, {"action": "reactivate", "_selected_action": [dealership.pk]})  # skipped: final
    assert Dealership.objects.get(pk=dealership.pk).status == DealershipStatus.TERMINATED
    assert OutboxEvent.objects.filter(topic="org.dealership.status_changed").count() == 2


def test_deactivate_sites_action(client, admin_user, dealer):
    site = make_site(dealer)
    client.force_login(admin_user)
    client.post(reverse("admin:org_site_changelist"), {"action": "deactivate", "_selected_action": [site.pk]})
    site.refresh_from_db()
    assert site.is_active is False


@pytest.mark.parametrize("model", ("company", "site", "channel", "territory"))
def test_import_pages_load(client, admin_user, model):
    client.force_login(admin_user)
    assert client.get(reverse(f"admin:org_{model}_import")).status_code == 200


def test_export_sites(client, admin_user, dealer, other_dealer):
    make_site(dealer, code="MINE-1", region=Region.objects.get(code="110105"))
    make_site(other_dealer, code="THEIRS-1")
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:org_site_export"),
        {"format": "0", "resource": "0", **{f"siteresource_{f}": "on" for f in ("dealer", "code", "region")}},
    )
    assert response.status_code == 200, response.content.decode()[:2000]
    text = response.content.decode("utf-8-sig")
    assert "MINE-1" in text
    assert "110105" in text
    assert "THEIRS-1" not in text
