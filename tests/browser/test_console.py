"""The console as a person uses it: sign in, switch language, open every list, read the API docs offline."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from django.contrib import admin
from django.urls import reverse

from tests.factories import make_dealer, make_site, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Qudao-test-2026!"


def sign_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")


def test_sign_in_in_chinese_switch_to_english_and_open_every_list(page, live_server, artifacts, chinese):
    user = make_user(username="boss", is_superuser=True, is_staff=True)
    dealer = make_dealer(name="测试经销商")
    make_site(dealer, name="上海中心仓")
    assert user.is_superuser

    page.goto(f"{live_server.url}/admin/login/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert "登录" in page.content()
    sign_in(page, live_server, "boss")
    page.screenshot(path=str(artifacts / "console-home-zh.png"), full_page=True)

    # every registered admin list opens without an error, in Chinese
    failures = []
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        response = page.goto(f"{live_server.url}{url}")
        if response is None or response.status != 200:
            failures.append((url, response and response.status))
            continue
        if "Traceback" in page.content() or "Server Error" in page.content():
            failures.append((url, "error page"))
    assert failures == []

    # the site list shows the site we made
    page.goto(f"{live_server.url}{reverse('admin:org_site_changelist')}")
    assert "上海中心仓" in page.content()
    assert "网点" in page.content() and "经销授权" in page.content()  # the console speaks Chinese
    page.screenshot(path=str(artifacts / "console-sites-zh.png"), full_page=True)

    # switch to English through the language form the console offers
    page.goto(f"{live_server.url}/admin/")
    page.evaluate(
        """() => {
            const form = document.createElement('form');
            form.method = 'post'; form.action = '/i18n/setlang/';
            const csrf = document.querySelector('input[name=csrfmiddlewaretoken]')
                || Object.assign(document.createElement('input'), {name: 'csrfmiddlewaretoken',
                     value: (document.cookie.match(/csrftoken=([^;]+)/) || [])[1]});
            csrf.name = 'csrfmiddlewaretoken';
            for (const [k, v] of [['language', 'en'], ['next', '/admin/']]) {
                const i = document.createElement('input'); i.name = k; i.value = v; form.appendChild(i);
            }
            form.appendChild(csrf.cloneNode()); document.body.appendChild(form); form.submit();
        }"""
    )
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == "en"
    page.goto(f"{live_server.url}{reverse('admin:org_site_changelist')}")
    assert "Sites" in page.content()
    page.screenshot(path=str(artifacts / "console-sites-en.png"), full_page=True)


def test_api_docs_load_offline(page, live_server, artifacts):
    make_user(username="boss", is_superuser=True, is_staff=True)
    sign_in(page, live_server, "boss")
    outside: list[str] = []
    page.on(
        "request",
        lambda request: (
            outside.append(request.url)
            if urlparse(request.url).hostname not in {"localhost", "127.0.0.1"}
            and request.url.startswith("http")
            else None
        ),
    )
    page.goto(f"{live_server.url}/api/v1/docs")
    page.wait_for_selector(".swagger-ui .info .title", timeout=20_000)
    assert "Qudao API" in page.inner_text(".swagger-ui .info .title")
    page.screenshot(path=str(artifacts / "api-docs.png"))
    assert outside == [], f"the docs page reached outside: {outside}"
