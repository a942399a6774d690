"""Sign-in throttling: per username (any case), within a window, on the console login."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from qudao.accounts.models import LoginFailure, Role
from qudao.accounts.services import throttle
from qudao.accounts.tasks import purge_login_failures_task
from tests.factories import make_user

LOGIN = "/admin/login/"
PASSWORD = "Qudao-test-2026!"
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def staff(dealer):
    return make_user(dealer, Role.MANAGER, username="wang.fang", password=PASSWORD)


def _login(client, username, password):
    return client.post(f"{LOGIN}?next=/admin/", {"username": username, "password": password}, **EN)


def _age_failures(username, minutes):
    LoginFailure.objects.filter(username__iexact=username).update(
        at=timezone.now() - timedelta(minutes=minutes)
    )


@pytest.mark.django_db
def test_lock_after_max_failures_counts_any_case(db):
    for name in ("li", "LI", "Li", "lI"):
        throttle.record_failure(username=name)
    assert throttle.is_locked(username="li") is False
    throttle.record_failure(username="li")
    assert throttle.is_locked(username="li") is True
    assert throttle.is_locked(username="LI") is True
    assert throttle.is_locked(username="wang") is False
    until = throttle.locked_until(username="li")
    assert timedelta(minutes=14) < until - timezone.now() <= timedelta(minutes=15)


@pytest.mark.django_db
def test_attempts_while_locked_are_not_recorded(db):
    for _ in range(5):
        assert throttle.record_failure(username="li") is True
    assert throttle.record_failure(username="li") is False
    assert LoginFailure.objects.filter(username="li").count() == 5


@pytest.mark.django_db
def test_the_window_passes(db):
    for _ in range(5):
        throttle.record_failure(username="li")
    _age_failures("li", 16)
    assert throttle.is_locked(username="li") is False


@pytest.mark.django_db
@override_settings(LOGIN_THROTTLE={"MAX_FAILURES": 2, "WINDOW_SECONDS": 60})
def test_settings_drive_the_throttle(db):
    throttle.record_failure(username="li")
    assert throttle.is_locked(username="li") is False
    throttle.record_failure(username="li")
    assert throttle.is_locked(username="li") is True


@pytest.mark.django_db
def test_console_login_locks_after_five_failures_even_for_the_right_password(client, staff):
    for attempt in range(5):
        response = _login(client, "wang.fang", f"wrong-{attempt}")
        assert response.status_code == 200
    assert LoginFailure.objects.filter(username="wang.fang").count() == 5
    # the fifth failure already shows the lock
    assert "temporarily locked" in response.content.decode()

    response = _login(client, "wang.fang", PASSWORD)
    assert response.status_code == 200
    page = response.content.decode()
    assert "This account is temporarily locked after too many failed sign-in attempts." in page
    assert "Try again in 15 minutes." in page
    assert "_auth_user_id" not in client.session
    assert LoginFailure.objects.filter(username="wang.fang").count() == 5  # not extended

    # another spelling of the same username is locked too
    assert "temporarily locked" in _login(client, "WANG.FANG", PASSWORD).content.decode()

    # when the window has passed, the right password works and clears the failures
    _age_failures("wang.fang", 16)
    response = _login(client, "wang.fang", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert int(client.session["_auth_user_id"]) == staff.pk
    assert not LoginFailure.objects.filter(username__iexact="wang.fang").exists()


@pytest.mark.django_db
def test_a_wrong_password_below_the_threshold_says_so(client, staff):
    response = _login(client, "wang.fang", "wrong")
    page = response.content.decode()
    assert "Please enter the correct username and password" in page
    assert "temporarily locked" not in page


@pytest.mark.django_db
def test_a_success_clears_earlier_failures(client, staff):
    for _ in range(4):
        _login(client, "Wang.Fang", "wrong")
    assert _login(client, "wang.fang", PASSWORD).status_code == 302
    assert LoginFailure.objects.count() == 0


@pytest.mark.django_db
def test_the_backend_refuses_a_locked_username_outside_the_console(staff):
    from django.contrib.auth import authenticate

    assert authenticate(username="wang.fang", password=PASSWORD) == staff
    for _ in range(5):
        throttle.record_failure(username="wang.fang")
    assert authenticate(username="wang.fang", password=PASSWORD) is None


@pytest.mark.django_db
def test_login_page_keeps_the_unfold_look(client):
    response = client.get(LOGIN, **EN)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="login-form"' in page
    assert "Welcome back to" in page


@pytest.mark.django_db
def test_purge_task_removes_old_failures_only(db):
    LoginFailure.objects.create(username="old", at=timezone.now() - timedelta(days=8))
    LoginFailure.objects.create(username="recent", at=timezone.now() - timedelta(days=6))
    LoginFailure.objects.create(username="now")
    assert purge_login_failures_task.call_local() == 1
    assert set(LoginFailure.objects.values_list("username", flat=True)) == {"recent", "now"}


@pytest.mark.django_db
@override_settings(LOGIN_THROTTLE={"MAX_FAILURES": 5, "WINDOW_SECONDS": 900, "RETENTION_DAYS": 0})
def test_retention_is_never_shorter_than_the_window(db):
    LoginFailure.objects.create(username="inside", at=timezone.now() - timedelta(minutes=10))
    LoginFailure.objects.create(username="outside", at=timezone.now() - timedelta(minutes=20))
    assert throttle.purge_login_failures() == 1
    assert list(LoginFailure.objects.values_list("username", flat=True)) == ["inside"]
