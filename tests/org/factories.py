"""Factories of the org tests: brand users, platform administrators, territories, polygons."""

from __future__ import annotations

import itertools
from typing import Any

from qudao.accounts.models import Role, User
from qudao.core.scoping import Actor
from qudao.org.models import Company, Region, Territory
from tests.factories import make_user

_seq = itertools.count(1)

#: a square around central Beijing (东城/西城/朝阳 seats inside, 海淀 and 通州 outside)
BEIJING_CENTRE = {
    "type": "Polygon",
    "coordinates": [[[116.36, 39.88], [116.46, 39.88], [116.46, 39.94], [116.36, 39.94], [116.36, 39.88]]],
}
#: two squares: one around 上海 (Huangpu), one around 杭州 (Shangcheng)
SHANGHAI_AND_HANGZHOU = {
    "type": "MultiPolygon",
    "coordinates": [
        [[[121.40, 31.15], [121.60, 31.15], [121.60, 31.30], [121.40, 31.30], [121.40, 31.15]]],
        [[[120.10, 30.20], [120.25, 30.20], [120.25, 30.32], [120.10, 30.32], [120.10, 30.20]]],
    ],
}


def make_platform_admin(**fields: Any) -> User:
    return make_user(None, is_superuser=True, is_staff=True, **fields)


def make_brand_user(brand: Company, **fields: Any) -> User:
    return make_user(brand, Role.BRAND_MANAGER, **fields)


def make_territory(
    owner: Company, *, region_codes: tuple[str, ...] = (), polygon: dict | None = None, **fields: Any
) -> Territory:
    n = next(_seq)
    territory = Territory.objects.create(
        owner=owner,
        code=fields.pop("code", f"T{n:03d}"),
        name=fields.pop("name", f"Territory {n}"),
        polygon=polygon,
        **fields,
    )
    if region_codes:
        territory.regions.set(Region.objects.filter(code__in=region_codes))
    return territory


def actor_for(user: User) -> Actor:
    from qudao.accounts.actors import build_actor

    return build_actor(user)
