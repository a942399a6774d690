from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from qudao.alerts.errors import InvalidAlert, UnknownAlertKind
from qudao.alerts.models import Alert
from qudao.alerts.services import AlertSpec, acknowledge_alert, raise_alert, resolve_alert
from qudao.core.errors import InvalidTransition
from qudao.core.models import OutboxEvent
from tests.alerts.factories import LOW_STOCK, actor_for, make_alert
from tests.factories import make_site, make_user

pytestmark = pytest.mark.django_db


def topics(dealer) -> list[str]:
    return list(OutboxEvent.objects.filter(dealer=dealer).order_by("pk").values_list("topic", flat=True))


def test_raise_creates_an_open_alert_and_announces_it(dealer, site):
    alert = make_alert(dealer, site_id=site.pk)
    assert alert.status == "open"
    assert alert.severity == "warning"
    assert alert.occurrences == 1
    assert alert.first_seen_at == alert.last_seen_at
    assert alert.site_id == site.pk
    assert alert.text == "可口可乐 330ml: 3 available, safety stock 10."
    assert topics(dealer) == ["alerts.alert.raised"]
    event = OutboxEvent.objects.get(topic="alerts.alert.raised")
    assert event.payload["alert_id"] == alert.pk
    assert event.payload["dedupe_key"] == "item:1@site:1"


def test_raising_again_refreshes_instead_of_duplicating(dealer):
    first = make_alert(dealer)
    again = make_alert(dealer, params={"item": "可口可乐 330ml", "available": "1", "safety": "10"})
    assert again.pk == first.pk
    assert again.occurrences == 2
    assert again.last_seen_at > first.last_seen_at
    assert again.first_seen_at == first.first_seen_at
    assert again.params["available"] == "1"
    assert Alert.objects.filter(dealer=dealer).count() == 1
    assert topics(dealer) == ["alerts.alert.raised"]
    # a refresh is not an audit event: the history has the raise only
    assert again.history.count() == 1


def test_same_key_of_another_dealer_is_another_alert(dealer, other_dealer):
    ours = make_alert(dealer)
    theirs = make_alert(other_dealer)
    assert ours.pk != theirs.pk


def test_severity_escalates_and_never_drops(dealer):
    alert = make_alert(dealer, severity="warning")
    alert = make_alert(dealer, severity="critical")
    assert alert.severity == "critical"
    alert = make_alert(dealer, severity="info")
    assert alert.severity == "critical"
    assert alert.occurrences == 3
    assert topics(dealer) == ["alerts.alert.raised", "alerts.alert.escalated"]
    assert alert.history.count() == 2


def test_escalation_reopens_an_acknowledged_alert(dealer, admin_user):
    alert = make_alert(dealer, severity="warning")
    acknowledge_alert(actor=actor_for(admin_user), alert=alert)
    alert = make_alert(dealer, severity="warning")
    assert alert.status == "acknowledged"
    alert = make_alert(dealer, severity="critical")
    assert alert.status == "open"
    assert alert.acknowledged_by_id is None
    assert alert.acknowledged_at is None


def test_after_resolution_the_condition_raises_a_new_alert(dealer, admin_user):
    old = make_alert(dealer)
    resolve_alert(actor=actor_for(admin_user), alert=old)
    new = make_alert(dealer)
    assert new.pk != old.pk
    assert new.occurrences == 1
    assert list(Alert.objects.filter(dealer=dealer).order_by("pk").values_list("status", flat=True)) == [
        "resolved",
        "open",
    ]


def test_the_database_refuses_two_live_alerts_with_one_key(dealer):
    make_alert(dealer)
    with pytest.raises(IntegrityError), transaction.atomic():
        Alert.objects.create(dealer=dealer, kind=LOW_STOCK, severity="info", dedupe_key="item:1@site:1")


def test_unknown_kind_is_refused(dealer):
    with pytest.raises(UnknownAlertKind) as exc:
        make_alert(dealer, kind="nobody.registered")
    assert exc.value.code == "unknown_alert_kind"
    assert exc.value.status == 422
    assert not Alert.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"severity": "fatal"}, "severity"),
        ({"subject_label": "x" * 201}, "subject_label"),
        ({"message": "x" * 501}, "message"),
        ({"params": ["not", "a", "dict"]}, "params"),
        ({"dedupe_key": ""}, "dedupe_key"),
        ({"dedupe_key": "k" * 201}, "dedupe_key"),
    ],
)
def test_invalid_values_name_the_field(dealer, fields, field):
    with pytest.raises(InvalidAlert) as exc:
        make_alert(dealer, **fields)
    assert exc.value.details == [{"field": field, "message": exc.value.details[0]["message"]}]
    assert exc.value.status == 422
    assert not Alert.objects.exists()


def test_site_of_another_dealer_or_unknown_dealer_is_refused(dealer, other_dealer):
    foreign_site = make_site(other_dealer)
    with pytest.raises(InvalidAlert) as exc:
        make_alert(dealer, site_id=foreign_site.pk)
    assert exc.value.details[0]["field"] == "site_id"
    with pytest.raises(InvalidAlert) as exc:
        raise_alert(dealer_id=999_999, kind=LOW_STOCK, severity="info", dedupe_key="k")
    assert exc.value.details[0]["field"] == "dealer_id"


def test_acknowledge_records_who_and_when(dealer, admin_user):
    alert = make_alert(dealer)
    before = timezone.now()
    alert = acknowledge_alert(actor=actor_for(admin_user), alert=alert)
    alert.refresh_from_db()
    assert alert.status == "acknowledged"
    assert alert.acknowledged_by_id == admin_user.pk
    assert before <= alert.acknowledged_at <= timezone.now() + timedelta(seconds=1)
    assert topics(dealer) == ["alerts.alert.raised", "alerts.alert.acknowledged"]


def test_manual_resolution(dealer, admin_user):
    alert = make_alert(dealer)
    acknowledge_alert(actor=actor_for(admin_user), alert=alert)
    alert = resolve_alert(actor=actor_for(admin_user), alert=alert, note="盘点后补货")
    alert.refresh_from_db()
    assert alert.status == "resolved"
    assert alert.resolution == "manual"
    assert alert.resolved_by_id == admin_user.pk
    assert alert.resolution_note == "盘点后补货"
    assert alert.resolved_at is not None
    event = OutboxEvent.objects.get(topic="alerts.alert.resolved")
    assert event.payload["resolution"] == "manual"
    assert event.actor_id == admin_user.pk
    assert alert.history.count() == 3


def test_resolved_alerts_cannot_be_acknowledged_or_resolved_again(dealer, admin_user):
    actor = actor_for(admin_user)
    alert = resolve_alert(actor=actor, alert=make_alert(dealer))
    with pytest.raises(InvalidTransition) as exc:
        acknowledge_alert(actor=actor, alert=alert)
    assert exc.value.status == 409
    assert exc.value.code == "invalid_transition"
    assert exc.value.details == {"from": "resolved", "to": "acknowledged", "allowed": []}
    with pytest.raises(InvalidTransition):
        resolve_alert(actor=actor, alert=alert)
    alert.refresh_from_db()
    assert alert.acknowledged_by_id is None


def test_acknowledging_twice_is_refused(dealer, admin_user):
    actor = actor_for(admin_user)
    alert = acknowledge_alert(actor=actor, alert=make_alert(dealer))
    with pytest.raises(InvalidTransition):
        acknowledge_alert(actor=actor, alert=alert)


def test_resolution_note_is_limited(dealer, admin_user):
    alert = make_alert(dealer)
    with pytest.raises(InvalidAlert) as exc:
        resolve_alert(actor=actor_for(admin_user), alert=alert, note="x" * 501)
    assert exc.value.details[0]["field"] == "note"
    alert.refresh_from_db()
    assert alert.status == "open"


def test_alert_spec_defaults():
    spec = AlertSpec(severity="info")
    assert spec.params == {}
    assert spec.site_id is None


def test_clerk_limited_to_a_site_sees_its_site_and_dealer_wide_alerts(dealer):
    from qudao.alerts.selectors import list_alerts

    north, south = make_site(dealer), make_site(dealer)
    make_alert(dealer, dedupe_key="n", site_id=north.pk)
    make_alert(dealer, dedupe_key="s", site_id=south.pk)
    make_alert(dealer, dedupe_key="all")
    clerk = make_user(dealer, role="warehouse_clerk", sites=[north])
    keys = set(list_alerts(actor=actor_for(clerk)).values_list("dedupe_key", flat=True))
    assert keys == {"n", "all"}
