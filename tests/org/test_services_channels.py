import pytest

from qudao.core.errors import DuplicateRecord, ValidationFailed
from qudao.core.models import OutboxEvent
from qudao.org.models import Channel, ChannelKind
from qudao.org.services.channels import create_channel, delete_channel, update_channel
from tests.factories import make_channel


def test_create_update_delete_channel(dealer, dealer_actor):
    channel = create_channel(
        actor=dealer_actor, data={"code": "KA", "name": "KA 卖场", "kind": ChannelKind.KA}
    )
    assert channel.dealer_id == dealer.pk
    assert OutboxEvent.objects.get(topic="org.channel.created").payload == {
        "channel_id": channel.pk,
        "dealer_id": dealer.pk,
        "code": "KA",
        "kind": "ka",
    }
    channel = update_channel(actor=dealer_actor, channel=channel, data={"name": "大卖场", "is_active": False})
    assert (channel.name, channel.is_active) == ("大卖场", False)
    assert OutboxEvent.objects.get(topic="org.channel.updated").payload["changed"] == ["name", "is_active"]
    channel_id = channel.pk
    delete_channel(actor=dealer_actor, channel=channel)
    assert not Channel.objects.filter(pk=channel_id).exists()


def test_channel_validation(dealer, dealer_actor, other_dealer):
    make_channel(dealer, code="WS")
    with pytest.raises(DuplicateRecord):
        create_channel(actor=dealer_actor, data={"code": "WS", "name": "x", "kind": ChannelKind.WHOLESALE})
    with pytest.raises(ValidationFailed) as exc:
        create_channel(
            actor=dealer_actor,
            data={"dealer_id": other_dealer.pk, "code": "Z", "name": "z" * 81, "kind": "tv"},
        )
    assert {d["field"] for d in exc.value.details} == {"dealer_id", "name", "kind"}
    channel = make_channel(dealer, code="EC")
    with pytest.raises(DuplicateRecord):
        update_channel(actor=dealer_actor, channel=channel, data={"code": "WS"})
