import pytest
from django.db import transaction

from qudao.core import events
from qudao.core.models import OutboxDelivery, OutboxEvent, OutboxState

received: list[tuple[str, dict]] = []
failures = {"left": 0}


@pytest.fixture(autouse=True)
def subscribers():
    received.clear()

    @events.subscriber("test.thing.*", name="test-recorder")
    def record(event):
        received.append((event.topic, event.payload))

    @events.subscriber("test.thing.flaky", name="test-flaky")
    def flaky(event):
        if failures["left"] > 0:
            failures["left"] -= 1
            raise RuntimeError("downstream is down")

    yield
    events.unsubscribe("test-recorder")
    events.unsubscribe("test-flaky")


@pytest.mark.django_db(transaction=True)
def test_event_is_delivered_after_commit(dealer):
    with transaction.atomic():
        events.emit("test.thing.created", {"id": 1}, dealer_id=dealer.pk)
        assert received == []  # nothing is sent before commit
    assert received == [("test.thing.created", {"id": 1})]
    delivery = OutboxDelivery.objects.get(subscriber="test-recorder")
    assert delivery.state == OutboxState.DELIVERED
    assert delivery.attempts == 1


@pytest.mark.django_db(transaction=True)
def test_rolled_back_change_sends_nothing(dealer):
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        events.emit("test.thing.created", {"id": 2}, dealer_id=dealer.pk)
        1 / 0  # noqa: B018
    assert received == []
    assert not OutboxEvent.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_failing_subscriber_is_retried_with_backoff_without_blocking_others(dealer, settings):
    settings.QUDAO = {**settings.QUDAO, "OUTBOX_BACKOFF_SECONDS": 0}
    failures["left"] = 2
    with transaction.atomic():
        events.emit("test.thing.flaky", {"id": 3}, dealer_id=dealer.pk)
    flaky = OutboxDelivery.objects.get(subscriber="test-flaky")
    assert flaky.state == OutboxState.FAILED
    assert "downstream is down" in flaky.last_error
    # the other subscriber got it anyway
    assert OutboxDelivery.objects.get(subscriber="test-recorder").state == OutboxState.DELIVERED
    events.deliver_due()
    flaky.refresh_from_db()
    assert flaky.state == OutboxState.FAILED and flaky.attempts == 2
    events.deliver_due()
    flaky.refresh_from_db()
    assert flaky.state == OutboxState.DELIVERED and flaky.attempts == 3


@pytest.mark.django_db(transaction=True)
def test_delivery_gives_up_after_max_attempts(dealer, settings):
    settings.QUDAO = {**settings.QUDAO, "OUTBOX_BACKOFF_SECONDS": 0, "OUTBOX_MAX_ATTEMPTS": 2}
    failures["left"] = 10
    with transaction.atomic():
        events.emit("test.thing.flaky", {"id": 4}, dealer_id=dealer.pk)
    events.deliver_due()
    flaky = OutboxDelivery.objects.get(subscriber="test-flaky")
    assert flaky.state == OutboxState.DEAD
    events.retry_delivery(flaky)
    flaky.refresh_from_db()
    assert flaky.attempts in (0, 1)  # queued again (and tried once more on commit in immediate mode)


def test_backoff_grows_exponentially(settings):
    settings.QUDAO = {**settings.QUDAO, "OUTBOX_BACKOFF_SECONDS": 5}
    assert [events.backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [5, 10, 20, 40]
    assert events.backoff(30).total_seconds() == 3600


def test_topic_patterns_match():
    assert "test-recorder" in events.subscribers_for("test.thing.created")
    assert "test-recorder" not in events.subscribers_for("other.thing")
