"""The inventory board: a console page (an admin view, inside the one unfold navigation).

/admin/inventory/board/ lists stock by site × item with warnings, filters, server-side paging and
sorting; /admin/inventory/board/item/<id>/ drills down to one item's locations, lots, serials and
ledger. The views parse the filters, call the board selectors and render.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext_lazy as _

from qudao.catalog.models import Category, Item
from qudao.core.errors import NotFound
from qudao.core.scoping import Actor, get_actor, scoped
from qudao.inventory.selectors_board import (
    BOARD_ORDERING,
    BoardFilters,
    count_board,
    decorate_rows,
    get_item_stock,
    has_stock,
    list_board,
)
from qudao.org.models import Company, Site

PAGE_SIZE = 50
HISTORY_PAGE_SIZE = 25
VIEW_PERM = "inventory.view_stocklevel"


class BoardFilterForm(forms.Form):
    site = forms.ModelChoiceField(queryset=Site.objects.none(), required=False, label=_("Site"))
    category = forms.ModelChoiceField(
        queryset=Category.objects.none(), required=False, label=_("Category (with subcategories)")
    )
    brand = forms.ModelChoiceField(queryset=Company.objects.none(), required=False, label=_("Brand"))
    q = forms.CharField(required=False, max_length=100, label=_("Search SKU or name"))
    problems = forms.BooleanField(required=False, label=_("Only problems"))
    ordering = forms.ChoiceField(
        required=False,
        label=_("Sort by"),
        choices=[("", _("Site, then SKU"))]
        + [(key, key) for key in BOARD_ORDERING]
        + [(f"-{key}", f"-{key}") for key in BOARD_ORDERING],
    )

    def __init__(self, *args, actor: Actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = scoped(Site.objects.all(), actor).order_by("name")
        self.fields["category"].queryset = scoped(Category.objects.all(), actor).order_by("path")
        brand_ids = scoped(Item.objects.filter(brand__isnull=False), actor).values("brand_id")
        self.fields["brand"].queryset = Company.objects.filter(pk__in=brand_ids).order_by("name")

    def filters(self) -> BoardFilters:
        data = self.cleaned_data if self.is_valid() else {}
        site, brand = data.get("site"), data.get("brand")
        return BoardFilters(
            site_id=site.pk if site else None,
            category=data.get("category"),
            brand_id=brand.pk if brand else None,
            search=data.get("q") or "",
            only_problems=bool(data.get("problems")),
            ordering=data.get("ordering") or "",
        )


def _actor(request: HttpRequest) -> Actor:
    actor = get_actor(request)
    if not actor.has_perm(VIEW_PERM):
        raise PermissionDenied
    return actor


def _query_without(request: HttpRequest, *names: str) -> str:
    params = request.GET.copy()
    for name in names:
        params.pop(name, None)
    return params.urlencode()


def board_view(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    form = BoardFilterForm(request.GET or None, actor=actor)
    filters = form.filters()
    paginator = Paginator(list_board(actor=actor, filters=filters), PAGE_SIZE)
    paginator.count = count_board(actor=actor, filters=filters)  # cheaper than COUNT over the groups
    page = paginator.get_page(request.GET.get("page"))
    rows = decorate_rows(list(page.object_list))
    has_any_stock = bool(rows) or has_stock(actor=actor)
    context = {
        **admin.site.each_context(request),
        "title": _("Inventory board"),
        "form": form,
        "rows": rows,
        "page": page,
        "paginator": paginator,
        "has_any_stock": has_any_stock,
        "filtered": any(request.GET.get(name) for name in ("site", "category", "brand", "q", "problems")),
        "sort_query": _query_without(request, "ordering", "page"),
        "page_query": _query_without(request, "page"),
        "current_ordering": filters.ordering,
        "columns": [
            ("site", _("Site")),
            ("sku", _("SKU")),
            ("name", _("Item")),
            ("on_hand", _("On hand")),
            ("reserved", _("Reserved")),
            ("available", _("Available")),
            ("", _("In transit")),
            ("safety_stock", _("Safety stock")),
        ],
    }
    return render(request, "inventory/board.html", context)


def board_item_view(request: HttpRequest, item_id: int) -> HttpResponse:
    actor = _actor(request)
    site_id = request.GET.get("site")
    try:
        site_id = int(site_id) if site_id else None
        stock = get_item_stock(actor=actor, item_id=item_id, site_id=site_id)
    except (NotFound, ValueError) as exc:
        raise Http404(_("No such item, or it is not visible to you.")) from exc
    history = Paginator(stock.history, HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        **admin.site.each_context(request),
        "title": _("Stock of %(item)s") % {"item": f"{stock.item.sku} {stock.item.name}"},
        "stock": stock,
        "history": history,
        "site_id": site_id,
        "page_query": _query_without(request, "page"),
    }
    return render(request, "inventory/board_item.html", context)


urlpatterns = [
    path("", admin.site.admin_view(board_view), name="inventory_board"),
    path("item/<int:item_id>/", admin.site.admin_view(board_item_view), name="inventory_board_item"),
]
