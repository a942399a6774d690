"""The phone-sized stocktake pages: scanning (a keyboard-wedge scanner types the code, then Enter) and
the review of variances with the "post variances" button. Views parse, call one service or
selector, and render; every error a user can cause is shown inline."""

from __future__ import annotations

import contextlib

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from qudao.core.errors import NotFound, QudaoError
from qudao.core.scoping import get_actor, require_perm
from qudao.inventory.selectors_documents import get_stocktake
from qudao.inventory.services import stocktakes
from qudao.inventory.states import StocktakeState

VIEW_PERM = "inventory.view_stocktakesession"
COUNT_PERM = "inventory.change_stocktakesession"
POST_PERM = "inventory.add_adjustment"


def _session(request: HttpRequest, session_id: int, perm: str):
    actor = get_actor(request)
    try:
        require_perm(actor, perm)
        return actor, get_stocktake(actor=actor, session_id=session_id)
    except NotFound as exc:
        raise Http404 from exc
    except QudaoError as exc:
        raise Http404 from exc


def _rows(session):
    """Counted rows (item, unit, location, lot, counted, expected), for the scan list."""
    return [v for v in stocktakes.compute_variances(session) if v.counted]


def _context(session, **extra):
    return {"session": session, "rows": _rows(session), "can_count": session.state in _COUNTABLE, **extra}


_COUNTABLE = (StocktakeState.COUNTING, StocktakeState.REVIEW)


@login_required
@require_http_methods(["GET", "POST"])
def scan(request: HttpRequest, session_id: int) -> HttpResponse:
    """GET: the page. POST (HTMX): record one scan and answer the updated count list."""
    if request.method == "GET":
        _actor, session = _session(request, session_id, VIEW_PERM)
        return render(request, "inventory/stocktake_scan.html", _context(session))
    actor, session = _session(request, session_id, COUNT_PERM)
    code = request.POST.get("code", "")
    data = {"code": code, "quantity": request.POST.get("quantity") or None}
    try:
        count = stocktakes.record_scan(actor=actor, session_id=session.pk, data=data)
    except QudaoError as exc:
        message = exc.render()
        if exc.code == "unknown_barcode":
            message = _("Unknown code %(code)s: it matches no item or serial number.") % {"code": code}
        session.refresh_from_db()
        return render(request, "inventory/stocktake_counts.html", _context(session, error=message))
    session.refresh_from_db()
    confirmation = _("Counted %(quantity)s × %(item)s") % {
        "quantity": count.quantity.normalize(),
        "item": count.item.name,
    }
    return render(request, "inventory/stocktake_counts.html", _context(session, confirmation=confirmation))


@login_required
@require_POST
def start(request: HttpRequest, session_id: int) -> HttpResponse:
    actor, session = _session(request, session_id, COUNT_PERM)
    with contextlib.suppress(QudaoError):  # already started: the page shows the current state
        stocktakes.start_stocktake(actor=actor, session_id=session.pk)
    return redirect(reverse("inventory:stocktake-scan", args=[session.pk]))


@login_required
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, session_id: int) -> HttpResponse:
    """GET: the variances. POST: post them as adjustments in one step."""
    perm = POST_PERM if request.method == "POST" else VIEW_PERM
    actor, session = _session(request, session_id, perm)
    context: dict = {}
    if request.method == "POST":
        try:
            moves = stocktakes.post_stocktake(actor=actor, session_id=session.pk)
            context["confirmation"] = _("Posted: %(count)s adjustments.") % {"count": len(moves)}
        except QudaoError as exc:
            context["error"] = exc.render()
        session.refresh_from_db()
    variances = stocktakes.compute_variances(session) if session.started_at else []
    return render(
        request,
        "inventory/stocktake_review.html",
        {
            "session": session,
            "variances": variances,
            "differences": sum(1 for v in variances if v.variance),
            "can_post": session.state in _COUNTABLE,
            **context,
        },
    )
