"""The demo has shipments (one partial), deliveries with proof, drafts to pick and a received return."""

from __future__ import annotations

import pytest

from qudao.inventory.services import reconcile_levels
from qudao.sales.models import DeliveryProof, ReturnRequest, Shipment

pytestmark = pytest.mark.django_db


def test_demo_fulfilment():
    from qudao.demo import load_demo

    load_demo(scale=1, seed=7)
    states = list(Shipment.objects.values_list("state", flat=True))
    assert states.count("delivered") >= 4
    assert states.count("draft") >= 2
    assert "shipped" in states
    assert DeliveryProof.objects.filter(latitude__isnull=False).exists()
    request = ReturnRequest.objects.get()
    assert request.state in ("received", "credited", "closed")
    assert reconcile_levels() == []
