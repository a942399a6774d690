import pytest
from django.urls import reverse

from qudao.accounts.models import User
from qudao.alerts.models import Alert
from tests.alerts.factories import make_alert
from tests.factories import make_user

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:alerts_alert_changelist"


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser(username="root", password="Qudao-test-2026!")


@pytest.fixture
def alerts(dealer, other_dealer):
    return {
        "ours": make_alert(dealer, dedupe_key="ours", severity="critical"),
        "mine_too": make_alert(dealer, dedupe_key="mine_too", severity="info"),
        "theirs": make_alert(other_dealer, dedupe_key="theirs", subject_label="外部商品"),
    }


def test_changelist_shows_badges_and_filters(client, superuser, alerts):
    client.force_login(superuser)
    response = client.get(reverse(CHANGELIST))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Critical" in text
    assert "Acknowledge selected alerts" in text
    assert "Resolve selected alerts" in text
    assert "可口可乐 330ml: 3 available, safety stock 10." in text
    filtered = client.get(reverse(CHANGELIST), {"severity__exact": "info", "kind": "testing.low_stock"})
    assert filtered.status_code == 200
    assert filtered.context["cl"].result_count == 1


def test_change_page_is_read_only(client, superuser, alerts):
    client.force_login(superuser)
    alert = alerts["ours"]
    response = client.get(reverse("admin:alerts_alert_change", args=[alert.pk]))
    assert response.status_code == 200
    assert "ours" in response.content.decode()
    assert client.get(reverse("admin:alerts_alert_add")).status_code == 403
    response = client.get(reverse("admin:alerts_alert_history", args=[alert.pk]))
    assert response.status_code == 200


def test_dealer_staff_sees_only_its_alerts(client, dealer, alerts):
    user = make_user(dealer, role="manager")
    client.force_login(user)
    response = client.get(reverse(CHANGELIST))
    assert response.status_code == 200
    assert response.context["cl"].result_count == 2
    assert "外部商品" not in response.content.decode()
    other = alerts["theirs"]
    response = client.get(reverse("admin:alerts_alert_change", args=[other.pk]))
    assert response.status_code == 302  # "does not exist" → back to the index with a message


def test_actions_call_the_services(client, dealer, alerts):
    user = make_user(dealer, role="manager")
    client.force_login(user)
    ids = [alerts["ours"].pk, alerts["mine_too"].pk, alerts["theirs"].pk]
    response = client.post(
        reverse(CHANGELIST), {"action": "acknowledge_selected", "_selected_action": ids}, follow=True
    )
    assert response.status_code == 200
    statuses = dict(Alert.objects.values_list("dedupe_key", "status"))
    assert statuses == {"ours": "acknowledged", "mine_too": "acknowledged", "theirs": "open"}
    assert Alert.objects.get(dedupe_key="ours").acknowledged_by_id == user.pk
    assert "2 alerts acknowledged." in response.content.decode()

    client.post(reverse(CHANGELIST), {"action": "resolve_selected", "_selected_action": [alerts["ours"].pk]})
    ours = Alert.objects.get(dedupe_key="ours")
    assert (ours.status, ours.resolution, ours.resolved_by_id) == ("resolved", "manual", user.pk)

    # acknowledging a resolved alert is refused with a message, the others go through
    response = client.post(
        reverse(CHANGELIST),
        {"action": "acknowledge_selected", "_selected_action": [alerts["ours"].pk]},
        follow=True,
    )
    assert "cannot go from" in response.content.decode()
    assert Alert.objects.get(dedupe_key="ours").status == "resolved"


def test_clerk_may_acknowledge_but_has_no_resolve_action(client, dealer, alerts):
    user = make_user(dealer, role="warehouse_clerk")
    client.force_login(user)
    response = client.get(reverse(CHANGELIST))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Acknowledge selected alerts" in text
    assert "Resolve selected alerts" not in text
    client.post(reverse(CHANGELIST), {"action": "resolve_selected", "_selected_action": [alerts["ours"].pk]})
    assert Alert.objects.get(dedupe_key="ours").status == "open"


def test_export(client, superuser, alerts):
    client.force_login(superuser)
    response = client.get(reverse("admin:alerts_alert_export"))
    assert response.status_code == 200
