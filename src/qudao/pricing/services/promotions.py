"""Promotions (with their targets and bundle components) and coupons: create, change, delete,
bulk-generate single-use codes, and redeem them when an order is confirmed."""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from qudao.catalog.models import Category, Item
from qudao.core.events import emit
from qudao.core.scoping import Actor, require_dealer
from qudao.org.models import Channel
from qudao.parties.models import Customer, CustomerGroup
from qudao.pricing.choices import PromotionKind
from qudao.pricing.errors import CouponAlreadyUsed, CouponNotApplicable, RuleInUse
from qudao.pricing.models import BundleComponent, Coupon, Promotion
from qudao.pricing.policies.checks import promotion_problems
from qudao.pricing.services._common import (
    Problems,
    apply,
    check_code_free,
    check_version,
    full_clean,
    resolve,
    writable,
)

PROMOTION_FIELDS = (
    "code",
    "name",
    "kind",
    "valid_from",
    "valid_to",
    "priority",
    "stackable",
    "requires_coupon",
    "channel_id",
    "customer_group_id",
    "min_quantity",
    "min_amount",
    "limit_per_order",
    "percent",
    "amount",
    "threshold",
    "repeat",
    "bundle_price",
    "buy_quantity",
    "gift_item_id",
    "gift_quantity",
    "is_active",
)
COUPON_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
REDEEMED = "pricing.coupon.redeemed"


def _check_promotion(actor: Actor, data: Mapping[str, Any], dealer_id: int, problems: Problems) -> dict:
    """Validate the references of a promotion; returns the targets to set."""
    resolve(actor, Channel, data.get("channel_id"), "channel_id", problems, dealer_id=dealer_id)
    resolve(
        actor,
        CustomerGroup,
        data.get("customer_group_id"),
        "customer_group_id",
        problems,
        dealer_id=dealer_id,
    )
    resolve(actor, Item, data.get("gift_item_id"), "gift_item_id", problems, dealer_id=dealer_id)
    out: dict[str, Any] = {}
    for name, model in (("item_ids", Item), ("category_ids", Category)):
        if data.get(name) is not None:
            out[name] = [
                row.pk
                for n, pk in enumerate(data[name])
                if (row := resolve(actor, model, pk, f"{name}.{n}", problems, dealer_id=dealer_id))
                is not None
            ]
    if data.get("bundle") is not None:
        out["bundle"] = []
        for n, part in enumerate(data["bundle"]):
            item = resolve(
                actor, Item, part.get("item_id"), f"bundle.{n}.item_id", problems, dealer_id=dealer_id
            )
            if item is not None:
                out["bundle"].append((item.pk, part["quantity"]))
    return out


def _write_targets(promotion: Promotion, targets: Mapping[str, Any]) -> None:
    if "item_ids" in targets:
        promotion.items.set(targets["item_ids"])
    if "category_ids" in targets:
        promotion.categories.set(targets["category_ids"])
    if "bundle" in targets:
        promotion.bundle_components.all().delete()
        BundleComponent.objects.bulk_create(
            BundleComponent(dealer_id=promotion.dealer_id, promotion=promotion, item_id=i, quantity=q)
            for i, q in targets["bundle"]
        )


@transaction.atomic
def create_promotion(*, actor: Actor, data: Mapping[str, Any]) -> Promotion:
    """data: the promotion's fields, item_ids, category_ids, bundle: [{item_id, quantity}]."""
    dealer_id = require_dealer(actor, data.get("dealer_id"))
    problems = Problems()
    problems.extend(promotion_problems(data))
    targets = _check_promotion(actor, data, dealer_id, problems)
    promotion = Promotion(dealer_id=dealer_id)
    apply(promotion, data, PROMOTION_FIELDS)
    full_clean(promotion, problems, exclude=("dealer",))
    problems.raise_if_any()
    check_code_free(Promotion, dealer_id, promotion.code)
    promotion.save()
    _write_targets(promotion, targets)
    return promotion


@transaction.atomic
def update_promotion(*, actor: Actor, promotion_id: int, data: Mapping[str, Any]) -> Promotion:
    promotion = writable(actor, Promotion, promotion_id)
    check_version(promotion, data.get("version"))
    merged = {name: getattr(promotion, name) for name in PROMOTION_FIELDS} | {
        k: v for k, v in data.items() if k in PROMOTION_FIELDS
    }
    merged["bundle"] = data.get("bundle")
    if merged["bundle"] is None and merged["kind"] == PromotionKind.BUNDLE:
        merged["bundle"] = [{"item_id": c.item_id} for c in promotion.bundle_components.all()]
    problems = Problems()
    problems.extend(promotion_problems(merged))
    targets = _check_promotion(actor, data, promotion.dealer_id, problems)
    apply(promotion, data, PROMOTION_FIELDS)
    full_clean(promotion, problems, exclude=("dealer",))
    problems.raise_if_any()
    check_code_free(Promotion, promotion.dealer_id, promotion.code, exclude_pk=promotion.pk)
    promotion.version += 1
    promotion.save()
    _write_targets(promotion, targets)
    return promotion


@transaction.atomic
def delete_promotion(*, actor: Actor, promotion_id: int) -> None:
    promotion = writable(actor, Promotion, promotion_id)
    try:
        with transaction.atomic():
            promotion.delete()
    except ProtectedError as exc:
        raise RuleInUse() from exc


def _coupon_row(actor: Actor, promotion: Promotion, data: Mapping[str, Any], problems: Problems) -> Coupon:
    resolve(actor, Customer, data.get("customer_id"), "customer_id", problems, dealer_id=promotion.dealer_id)
    coupon = Coupon(dealer_id=promotion.dealer_id, promotion=promotion)
    apply(coupon, data, ("customer_id", "valid_from", "valid_to", "is_active"))
    coupon.code = (data.get("code") or "").strip().upper()
    if coupon.valid_from and coupon.valid_to and coupon.valid_to < coupon.valid_from:
        problems.add("valid_to", _("The end is before the start."))
    return coupon


@transaction.atomic
def create_coupon(*, actor: Actor, data: Mapping[str, Any]) -> Coupon:
    """data: {promotion_id, code, customer_id?, valid_from?, valid_to?}."""
    problems = Problems()
    promotion = resolve(actor, Promotion, data.get("promotion_id"), "promotion_id", problems, dealer_id=None)
    if promotion is not None and promotion.dealer_id not in actor.own_dealers and not actor.is_platform_admin:
        problems.add("promotion_id", _("No such record, or it is not visible to you."))
    problems.raise_if_any()
    coupon = _coupon_row(actor, promotion, data, problems)
    problems.raise_if_any()
    check_code_free(Coupon, promotion.dealer_id, coupon.code)
    coupon.save()
    return coupon


@transaction.atomic
def generate_coupons(*, actor: Actor, data: Mapping[str, Any]) -> list[Coupon]:
    """N single-use codes `PREFIX-XXXXXXXX` (random, unambiguous letters and digits) for a promotion."""
    problems = Problems()
    promotion = resolve(actor, Promotion, data.get("promotion_id"), "promotion_id", problems, dealer_id=None)
    if promotion is not None and promotion.dealer_id not in actor.own_dealers and not actor.is_platform_admin:
        problems.add("promotion_id", _("No such record, or it is not visible to you."))
    problems.raise_if_any()
    template = _coupon_row(actor, promotion, data, problems)
    problems.raise_if_any()
    prefix = (data.get("prefix") or promotion.code).strip().upper()[:20]
    count = int(data["count"])
    codes: set[str] = set()
    while len(codes) < count:
        fresh = {
            f"{prefix}-{''.join(secrets.choice(COUPON_ALPHABET) for _ in range(8))}" for _ in range(count)
        }
        taken = set(
            Coupon.objects.filter(dealer_id=promotion.dealer_id, code__in=fresh).values_list(
                "code", flat=True
            )
        )
        codes |= fresh - taken
    coupons = [
        Coupon(
            dealer_id=promotion.dealer_id,
            promotion=promotion,
            code=code,
            customer_id=template.customer_id,
            valid_from=template.valid_from,
            valid_to=template.valid_to,
        )
        for code in sorted(codes)[:count]
    ]
    return Coupon.objects.bulk_create(coupons)


@transaction.atomic
def delete_coupon(*, actor: Actor, coupon_id: int) -> None:
    coupon = writable(actor, Coupon, coupon_id)
    if coupon.redeemed_at is not None:
        raise CouponAlreadyUsed()
    coupon.delete()


@transaction.atomic
def redeem_coupons(
    *,
    actor: Actor,
    dealer_id: int,
    codes: Sequence[str],
    customer_id: int | None,
    reference_type: str,
    reference_id: int,
    on=None,
) -> list[Coupon]:
    """Mark the coupons used by this document, all or none. Each is taken with one conditional UPDATE
    (… WHERE redeemed_at IS NULL): of two orders redeeming the same code, one wins and the other gets
    `coupon_already_used` (409). Redeeming again for the same reference is a no-op (replays)."""
    on = on or timezone.localdate()
    now = timezone.now()
    redeemed = []
    for code in sorted({c.strip().upper() for c in codes}):
        coupon = Coupon.objects.select_related("promotion").filter(dealer_id=dealer_id, code=code).first()
        detail = [{"field": "coupon_codes", "code": "not_usable", "message": code}]
        if coupon is None:
            raise CouponNotApplicable(details=detail)
        usable = (
            coupon.is_active
            and coupon.promotion.is_active
            and (coupon.valid_from is None or coupon.valid_from <= on)
            and (coupon.valid_to is None or coupon.valid_to >= on)
            and coupon.customer_id in (None, customer_id)
        )
        if not usable:
            raise CouponNotApplicable(details=detail)
        # one conditional UPDATE on the coupon row alone: PostgreSQL re-checks `redeemed_at IS NULL`
        # after waiting for a concurrent redemption of the same row, so exactly one order wins
        taken = Coupon.objects.filter(pk=coupon.pk, redeemed_at__isnull=True).update(
            redeemed_at=now,
            redeemed_by_id=actor.user_id,
            reference_type=reference_type,
            reference_id=reference_id,
            updated_at=now,
        )
        coupon.refresh_from_db()
        if not taken:
            if (coupon.reference_type, coupon.reference_id) != (reference_type, reference_id):
                raise CouponAlreadyUsed(
                    details=[{"field": "coupon_codes", "code": "already_used", "message": code}]
                )
            redeemed.append(coupon)  # a replay of the same document
            continue
        emit(
            REDEEMED,
            {
                "coupon_id": coupon.pk,
                "code": code,
                "reference_type": reference_type,
                "reference_id": reference_id,
            },
            dealer_id=dealer_id,
            actor_id=actor.user_id,
        )
        redeemed.append(coupon)
    return redeemed
