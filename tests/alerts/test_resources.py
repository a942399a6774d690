import pytest

from qudao.alerts.models import Alert
from qudao.alerts.resources import AlertResource
from tests.alerts.factories import make_alert

pytestmark = pytest.mark.django_db


def test_export_renders_codes_and_the_message(dealer, site):
    make_alert(dealer, site_id=site.pk, severity="critical")
    dataset = AlertResource().export(Alert.objects.all())
    row = dict(zip(dataset.headers, dataset[0], strict=True))
    assert row["dealer"] == dealer.code
    assert row["site"] == site.code
    assert row["severity"] == "critical"
    assert row["message"] == "可口可乐 330ml: 3 available, safety stock 10."
    assert row["occurrences"] == "1"
    assert dataset.headers[:4] == ["id", "dealer", "site", "kind"]
