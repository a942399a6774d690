"""Field helpers shared by the finance models."""

from __future__ import annotations

from django.conf import settings
from django.db import models


def fk(model: str, label, **kwargs):
    kwargs.setdefault("null", True)
    kwargs.setdefault("blank", True)
    return models.ForeignKey(model, on_delete=models.PROTECT, related_name="+", verbose_name=label, **kwargs)


def user_fk(label):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=label,
    )
