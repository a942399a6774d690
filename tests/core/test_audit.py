"""The audit trail: who changed which record, when, old and new values — from the API and the console."""

import pytest
from django.urls import reverse

from qudao.org.models import Channel

pytestmark = pytest.mark.django_db


def test_api_change_is_recorded_with_user_and_values(api, admin_user):
    created = api.post("/api/v1/org/channels", {"code": "KA", "name": "KA 卖场", "kind": "ka"}).json()
    assert api.patch(f"/api/v1/org/channels/{created['id']}", {"name": "重点客户"}).status_code == 200
    channel = Channel.objects.get(pk=created["id"])
    latest, previous = channel.history.all()[:2]
    assert latest.history_user == admin_user
    assert latest.history_type == "~"
    delta = latest.diff_against(previous)
    assert [(c.field, c.old, c.new) for c in delta.changes] == [("name", "KA 卖场", "重点客户")]


def test_history_is_viewable_in_the_console(client, admin_user, api):
    created = api.post("/api/v1/org/channels", {"code": "KA", "name": "KA 卖场", "kind": "ka"}).json()
    api.patch(f"/api/v1/org/channels/{created['id']}", {"name": "重点客户"})
    client.force_login(admin_user)
    response = client.get(reverse("admin:org_channel_history", args=[created["id"]]))
    assert response.status_code == 200
    text = response.content.decode()
    assert "重点客户" in text and admin_user.username in text
