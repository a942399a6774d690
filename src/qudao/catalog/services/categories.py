"""Category services: create, change and move categories, keeping every materialised path right."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Concat, Substr

from qudao.catalog.models import Category
from qudao.catalog.policies import category_path
from qudao.catalog.services._common import (
    References,
    ensure_unique,
    ensure_writable,
    resolve_dealer,
    validate_instance,
)
from qudao.core.scoping import Actor

_PLAIN_FIELDS = ("code", "name", "sort_order")


@transaction.atomic
def create_category(*, actor: Actor, data: Mapping[str, Any]) -> Category:
    dealer_id = resolve_dealer(actor, data.get("dealer_id"))
    refs = References(actor)
    parent = refs.get(Category, data.get("parent_id"), "parent_id")
    refs.raise_if_any()
    category = Category(
        dealer_id=dealer_id, parent=parent, **{name: data[name] for name in _PLAIN_FIELDS if name in data}
    )
    return _persist(category, actor=actor)


@transaction.atomic
def update_category(*, actor: Actor, category: Category, data: Mapping[str, Any]) -> Category:
    """Partial update; a new `parent_id` (or null for the root) moves the whole subtree."""
    category = Category.objects.select_for_update().get(pk=category.pk)
    for name in _PLAIN_FIELDS:
        if name in data:
            setattr(category, name, data[name])
    if "parent_id" in data:
        refs = References(actor)
        category.parent = refs.get(Category, data["parent_id"], "parent_id")
        refs.raise_if_any()
    return _persist(category, actor=actor)


@transaction.atomic
def save_category(*, actor: Actor, category: Category) -> Category:
    """Save a category edited in the console or imported from a file."""
    return _persist(category, actor=actor)


def _persist(category: Category, *, actor: Actor) -> Category:
    ensure_writable(actor, category.dealer_id)
    validate_instance(category)
    ensure_unique(category, ("dealer", "code"), report_as="code")
    old_path = (
        Category.objects.filter(pk=category.pk).values_list("path", flat=True).first()
        if category.pk
        else None
    )
    category.save()
    parent_path = (
        Category.objects.values_list("path", flat=True).get(pk=category.parent_id)
        if category.parent_id
        else None
    )
    new_path = category_path(parent_path, category.pk)
    if new_path != old_path:
        Category.objects.filter(pk=category.pk).update(path=new_path)
        if old_path:
            # move the subtree: replace the old prefix of every descendant's path in one statement
            Category.objects.filter(dealer_id=category.dealer_id, path__startswith=old_path).exclude(
                pk=category.pk
            ).update(path=Concat(Value(new_path), Substr("path", len(old_path) + 1)))
    category.path = new_path
    return category
