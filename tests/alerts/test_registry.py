import pytest

from qudao.alerts.kinds import NOTICE
from qudao.alerts.registry import alert_kinds, get_alert_kind, kind_label, register_alert_kind, render_message
from tests.alerts.factories import LOW_STOCK, OVERSTOCK


@pytest.mark.parametrize("kind", ["", "nodot", " spaced.kind", "x." + "y" * 100])
def test_register_refuses_malformed_kinds(kind):
    with pytest.raises(ValueError, match="alert kind"):
        register_alert_kind(kind, label="x")


def test_registered_kinds_are_listed_with_labels():
    kinds = {k.kind for k in alert_kinds()}
    assert {NOTICE, LOW_STOCK, OVERSTOCK} <= kinds
    assert kind_label(LOW_STOCK) == "Low stock (test)"
    assert kind_label("unknown.kind") == "unknown.kind"
    assert get_alert_kind("unknown.kind") is None


def test_render_uses_the_kind_template():
    text = render_message(
        kind=LOW_STOCK, message_key="", params={"item": "A", "available": 3, "safety": 10}, fallback="plain"
    )
    assert text == "A: 3 available, safety stock 10."


def test_render_uses_an_explicit_message_key():
    text = render_message(
        kind=LOW_STOCK, message_key="testing.low_stock.zero", params={"item": "A"}, fallback=""
    )
    assert text == "A is out of stock."


def test_render_falls_back_to_the_plain_message_then_the_label():
    assert render_message(kind=LOW_STOCK, message_key="", params={"item": "A"}, fallback="plain") == "plain"
    assert render_message(kind=OVERSTOCK, message_key="", params={}, fallback="") == "Overstock (test)"
    assert (
        render_message(kind=NOTICE, message_key="", params={}, fallback="Check the till") == "Check the till"
    )
