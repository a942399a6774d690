"""Stable error codes of pricing (rendered by the API as {code, message, details, request_id})."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from qudao.core.errors import QudaoError


class NoPrice(QudaoError):
    """`details` lists every line whose item has no price in any list and no list price."""

    code = "no_price"
    status = 422
    message = _("Some items have no price for this customer.")


class CouponAlreadyUsed(QudaoError):
    code = "coupon_already_used"
    status = 409
    message = _("This coupon has already been used.")


class CouponNotApplicable(QudaoError):
    code = "coupon_not_applicable"
    status = 422
    message = _("This coupon cannot be used for this order.")


class PeriodNotClosed(QudaoError):
    code = "period_not_closed"
    status = 422
    message = _("A rebate period can only be settled after it has ended.")


class PeriodAlreadySettled(QudaoError):
    code = "period_already_settled"
    status = 409
    message = _("This rebate period has already been settled.")


class InsufficientRebateBalance(QudaoError):
    code = "insufficient_rebate_balance"
    status = 409
    message = _("The customer's rebate balance is not enough.")


class RuleInUse(QudaoError):
    code = "pricing_rule_in_use"
    status = 409
    message = _("This rule is in use (coupons or settlements refer to it) and cannot be deleted.")
