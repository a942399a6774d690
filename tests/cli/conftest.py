"""Fixtures of the `qudao` command's tests."""

from __future__ import annotations

import sys
import types

import pytest
from django.utils import translation

STRONG = "Qd-Admin-Pass-2026!"


@pytest.fixture(autouse=True)
def english(monkeypatch):
    monkeypatch.setenv("QUDAO_LANGUAGE", "en")
    yield
    translation.deactivate()  # back to LANGUAGE_CODE for the tests that follow


@pytest.fixture
def static_root(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    return settings.STATIC_ROOT


@pytest.fixture
def secure(settings):
    settings.DEBUG = False
    settings.SECRET_KEY = "k" * 20 + "-Qd7x9PzR2mVw4LtB8nKy3JhF6cGs5DaE1"
    settings.INSECURE_SECRET_KEY = False
    settings.ALLOWED_HOSTS = ["dms.example.com"]
    settings.REDIS_URL = ""
    return settings


class FakeSummary:
    """What the real load_demo returns, as far as the command cares: render() is the report."""

    def __init__(self, scale: int, seed: int):
        self.text = f"Demo (seed {seed}, scale {scale})\n  zhang.wei  Demo-2026-zw  Dealer administrator\n"

    def render(self) -> str:
        return self.text


@pytest.fixture
def fake_demo(monkeypatch):
    """Replace qudao.demo with a module whose load_demo records its calls."""
    calls = []

    def load_demo(*, scale, seed, stdout):
        calls.append({"scale": scale, "seed": seed})
        stdout.write("demo loading\n")
        return FakeSummary(scale, seed)

    monkeypatch.setitem(sys.modules, "qudao.demo", types.SimpleNamespace(load_demo=load_demo))
    return calls
