import pytest
from django.utils import timezone

from qudao.alerts.models import Alert
from qudao.alerts.services import resolve_alert
from tests.alerts.factories import LOW_STOCK, OVERSTOCK, actor_for, make_alert
from tests.factories import ApiClient, make_site, make_user

pytestmark = pytest.mark.django_db

URL = "/api/v1/alerts"


@pytest.fixture
def alerts(dealer, site):
    return {
        "low": make_alert(dealer, dedupe_key="low", severity="warning", site_id=site.pk),
        "crit": make_alert(dealer, dedupe_key="crit", severity="critical"),
        "over": make_alert(dealer, kind=OVERSTOCK, dedupe_key="over", severity="info", message="库存过高"),
    }


def keys(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["dedupe_key"] for row in response.json()["items"]]


def test_list_and_get(api, alerts, dealer):
    response = api.get(URL)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    row = api.get(f"{URL}/{alerts['low'].pk}").json()
    assert row["dealer_id"] == dealer.pk
    assert row["kind"] == LOW_STOCK
    assert row["kind_label"] == "Low stock (test)"
    assert row["message"] == "可口可乐 330ml: 3 available, safety stock 10."
    assert row["status"] == "open"
    assert row["occurrences"] == 1
    assert api.get(f"{URL}/{alerts['over'].pk}").json()["message"] == "库存过高"


def test_list_filters(api, alerts, site, admin_user):
    resolve_alert(actor=actor_for(admin_user), alert=alerts["over"])
    assert keys(api.get(URL, {"severity": "critical"})) == ["crit"]
    assert keys(api.get(URL, {"kind": OVERSTOCK})) == ["over"]
    assert keys(api.get(URL, {"site": site.pk})) == ["low"]
    assert keys(api.get(URL, {"status": "resolved"})) == ["over"]
    assert sorted(keys(api.get(URL, {"live": "true"}))) == ["crit", "low"]
    assert keys(api.get(URL, {"since": (timezone.now() + timezone.timedelta(hours=1)).isoformat()})) == []
    assert len(keys(api.get(URL, {"since": "2020-01-01T00:00:00Z"}))) == 3


def test_ordering_by_severity_is_by_seriousness(api, alerts):
    assert keys(api.get(URL, {"ordering": "-severity"})) == ["crit", "low", "over"]
    assert keys(api.get(URL, {"ordering": "severity"})) == ["over", "low", "crit"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"ordering": "dealer"}, "ordering"),
        ({"status": "closed"}, "status"),
        ({"severity": "fatal"}, "severity"),
        ({"site": "x"}, "site"),
        ({"since": "yesterday"}, "since"),
        ({"page_size": 1000}, "page_size"),
    ],
)
def test_list_bad_filters_are_422(api, alerts, params, field):
    response = api.get(URL, params)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_error"
    assert any(d["field"] == field for d in body["details"])


def test_counts_for_the_badge(api, alerts, admin_user):
    from qudao.alerts.services import acknowledge_alert

    acknowledge_alert(actor=actor_for(admin_user), alert=alerts["low"])
    resolve_alert(actor=actor_for(admin_user), alert=alerts["over"])
    response = api.get(f"{URL}/counts")
    assert response.status_code == 200
    assert response.json() == {
        "total": 2,
        "unacknowledged": 1,
        "by_severity": {"info": 0, "warning": 1, "critical": 1},
    }


def test_acknowledge_and_resolve(api, alerts, admin_user):
    alert = alerts["crit"]
    response = api.post(f"{URL}/{alert.pk}/acknowledge")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "acknowledged"
    assert response.json()["acknowledged_by_id"] == admin_user.pk
    response = api.post(f"{URL}/{alert.pk}/resolve", {"note": "已补货"})
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["resolution"], body["resolution_note"]) == ("resolved", "manual", "已补货")
    assert body["resolved_by_id"] == admin_user.pk


def test_resolve_without_a_note(api, alerts):
    response = api.post(f"{URL}/{alerts['low'].pk}/resolve", {})
    assert response.status_code == 200
    assert response.json()["resolution_note"] == ""


def test_resolved_alert_cannot_be_acknowledged(api, alerts):
    alert = alerts["low"]
    assert api.post(f"{URL}/{alert.pk}/resolve", {}).status_code == 200
    response = api.post(f"{URL}/{alert.pk}/acknowledge")
    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"
    assert api.post(f"{URL}/{alert.pk}/resolve", {}).json()["code"] == "invalid_transition"


@pytest.mark.parametrize(
    ("body", "field"),
    [({"note": "x" * 501}, "note"), ({"note": "ok", "status": "resolved"}, "status"), ({"note": 5}, "note")],
)
def test_resolve_validation(api, alerts, body, field):
    alert = alerts["low"]
    response = api.post(f"{URL}/{alert.pk}/resolve", body)
    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"
    assert response.json()["details"][0]["field"] == field
    alert.refresh_from_db()
    assert alert.status == "open"


def test_another_dealers_alerts_are_404(other_api, alerts):
    alert = alerts["low"]
    assert other_api.get(URL).json()["count"] == 0
    for call in (
        lambda: other_api.get(f"{URL}/{alert.pk}"),
        lambda: other_api.post(f"{URL}/{alert.pk}/acknowledge"),
        lambda: other_api.post(f"{URL}/{alert.pk}/resolve", {}),
    ):
        response = call()
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
    assert other_api.get(f"{URL}/counts").json()["total"] == 0
    alert.refresh_from_db()
    assert alert.status == "open"


def test_unknown_id_is_404(api, alerts):
    assert api.get(f"{URL}/999999").status_code == 404


def test_site_limited_clerk_cannot_touch_another_sites_alert(dealer, alerts):
    other_site = make_site(dealer)
    clerk = ApiClient(make_user(dealer, role="warehouse_clerk", sites=[other_site]))
    assert clerk.get(f"{URL}/{alerts['low'].pk}").status_code == 404
    assert clerk.post(f"{URL}/{alerts['low'].pk}/acknowledge").status_code == 404
    assert clerk.post(f"{URL}/{alerts['crit'].pk}/acknowledge").status_code == 200


def test_api_key_scopes(admin_user, alerts):
    reader = ApiClient(admin_user, scopes=("alerts:read",))
    assert reader.get(URL).status_code == 200
    response = reader.post(f"{URL}/{alerts['low'].pk}/acknowledge")
    assert response.status_code == 403
    assert response.json()["details"] == {"scope": "alerts:write"}
    other = ApiClient(admin_user, scopes=("catalog:read",))
    response = other.get(URL)
    assert response.status_code == 403
    assert response.json()["details"] == {"scope": "alerts:read"}


def test_everyone_acknowledges_only_managers_resolve(dealer, alerts):
    rep = ApiClient(make_user(dealer, role="sales_rep"))
    assert rep.get(URL).json()["count"] == 3
    assert rep.post(f"{URL}/{alerts['low'].pk}/acknowledge").status_code == 200
    response = rep.post(f"{URL}/{alerts['low'].pk}/resolve", {})
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    manager = ApiClient(make_user(dealer, role="manager"))
    assert manager.post(f"{URL}/{alerts['low'].pk}/resolve", {}).status_code == 200
    assert Alert.objects.get(pk=alerts["low"].pk).status == "resolved"
