"""What every demo loader shares: the load context, regions, coordinates, codes and bulk inserts."""

from __future__ import annotations

import random
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from functools import reduce
from operator import or_
from typing import Any, TextIO

from django.db.models import F, Model, Q
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from qudao.core.models import DocumentSequence
from qudao.core.scoping import Actor
from qudao.demo.customer_plans import Spot
from qudao.demo.errors import DemoPrerequisiteMissing
from qudao.demo.plans import part_rng
from qudao.demo.summary import DemoSummary
from qudao.org.models import Region

BATCH_SIZE = 500
COORDINATE_STEP = Decimal("0.000001")
#: ± degrees added to a region's seat for a shop or a store (about ±2 km)
JITTER = 0.02
#: what the console's history shows as the reason of the demo rows
CHANGE_REASON = "演示数据"


@dataclass
class DemoContext:
    """The state of one load: the seed, the scale, who writes, what was created so far."""

    seed: int
    scale: int
    actor: Actor
    admin_user: Any
    summary: DemoSummary
    stdout: TextIO | None = None
    #: named rows later parts refer to ("auto.group", "fmcg.dealer", "auto.rep_site", "fmcg.sales_rep" …)
    refs: dict[str, Any] = field(default_factory=dict)
    _regions: dict[str, Region] = field(default_factory=dict)

    def rng(self, part: str) -> random.Random:
        return part_rng(self.seed, part)

    def say(self, message: str) -> None:
        if self.stdout is not None:
            self.stdout.write(message + "\n")
            flush = getattr(self.stdout, "flush", None)
            if flush is not None:
                flush()

    def count(self, label: str, n: int) -> None:
        self.summary.counts[label] = self.summary.counts.get(label, 0) + n

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        """Time a part of the load (reported in the summary) and say when it is done."""
        started = time.perf_counter()
        self.say(f"… {name}")
        yield
        seconds = time.perf_counter() - started
        self.summary.timings[name] = round(seconds, 3)
        self.say(f"✓ {name} ({seconds:.2f} s)")

    # --- regions -----------------------------------------------------------------------------------

    def region(self, code: str) -> Region:
        """A region by its 6-digit code (loaded by org's migration), with its parents."""
        if code not in self._regions:
            region = Region.objects.select_related("parent__parent").filter(code=code).first()
            if region is None:
                raise DemoPrerequisiteMissing(
                    what=_("the China region %(code)s") % {"code": code}, details={"region_code": code}
                )
            self._regions[code] = region
        return self._regions[code]

    def districts(self, *prefixes: str) -> list[Region]:
        """District-level regions whose code starts with one of `prefixes`, by code, with coordinates."""
        found = list(
            Region.objects.select_related("parent__parent")
            .filter(level="district", latitude__isnull=False, longitude__isnull=False)
            .filter(reduce(or_, [Q(code__startswith=prefix) for prefix in prefixes]))
            .order_by("code")
        )
        if not found:
            raise DemoPrerequisiteMissing(what=_("the China regions"), details={"prefixes": list(prefixes)})
        for region in found:
            self._regions.setdefault(region.code, region)
        return found


# --- places --------------------------------------------------------------------------------------


def jitter(
    rng: random.Random, latitude: Decimal, longitude: Decimal, spread: float = JITTER
) -> tuple[Decimal, Decimal]:
    """A point near a region's seat: a small deterministic offset, rounded to 6 places (~0.1 m)."""
    d_lat = Decimal(rng.randint(-int(spread * 1e6), int(spread * 1e6))) * COORDINATE_STEP
    d_lon = Decimal(rng.randint(-int(spread * 1e6), int(spread * 1e6))) * COORDINATE_STEP
    return (latitude + d_lat).quantize(COORDINATE_STEP), (longitude + d_lon).quantize(COORDINATE_STEP)


def place_name(region: Region) -> str:
    """上海市浦东新区, 江苏省苏州市昆山市: province, city (unless 市辖区) and district names."""
    parts, node = [], region
    while node is not None:
        parts.append(node.name)
        node = node.parent
    names = [name for name in reversed(parts) if name not in ("市辖区", "县", "省直辖县级行政区划")]
    # 上海市 / 北京市 …: the province-level city is not repeated as a city
    return "".join(dict.fromkeys(names))


def city_of(region: Region) -> Region:
    """The city of a district (for municipalities, the province: 上海市)."""
    city = region.parent if region.parent is not None else region
    if city.name == "市辖区" and city.parent is not None:
        return city.parent
    return city


def spot_of(region: Region) -> Spot:
    """The plain description of a district the pure customer generators work with."""
    return Spot(
        region.code, region.name, place_name(region), city_of(region).name, region.latitude, region.longitude
    )


# --- writes --------------------------------------------------------------------------------------


def bulk_insert(ctx: DemoContext, model: type[Model], rows: Sequence[Model]) -> list[Model]:
    """Insert many rows at once, with their history rows (the console's audit trail shows them)."""
    if not rows:
        return []
    if hasattr(model, "history"):
        return bulk_create_with_history(
            list(rows),
            model,
            batch_size=BATCH_SIZE,
            default_user=ctx.admin_user,
            default_change_reason=CHANGE_REASON,
        )
    return model.objects.bulk_create(list(rows), batch_size=BATCH_SIZE)


def reserve_numbers(*, dealer_id: int, kind: str, count: int) -> range:
    """Take `count` consecutive numbers of a document sequence (core.sequences) in one update, so that
    numbers given later by the services follow on from the demo rows."""
    DocumentSequence.objects.get_or_create(dealer_id=dealer_id, kind=kind)
    DocumentSequence.objects.filter(dealer_id=dealer_id, kind=kind).update(
        last_number=F("last_number") + count
    )
    last = (
        DocumentSequence.objects.filter(dealer_id=dealer_id, kind=kind)
        .values_list("last_number", flat=True)
        .get()
    )
    return range(last - count + 1, last + 1)
