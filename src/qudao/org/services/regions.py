"""China's administrative regions: load the fixture shipped in org/data/regions.csv.gz."""

from __future__ import annotations

import csv
import gzip
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction

from qudao.org.models import CoordinateSource, Region, RegionLevel

FIXTURE = Path(__file__).resolve().parent.parent / "data" / "regions.csv.gz"
LEVELS = (RegionLevel.PROVINCE, RegionLevel.CITY, RegionLevel.DISTRICT)
_FIELDS = ("name", "level", "parent_id", "latitude", "longitude", "coordinates_source")


def read_region_fixture(path: Path = FIXTURE) -> list[dict[str, Any]]:
    """The fixture's rows: code, name, level, parent_code, latitude/longitude (Decimal or None), source."""
    with gzip.open(path, "rb") as handle:
        text = io.TextIOWrapper(handle, encoding="utf-8", newline="")
        rows = list(csv.DictReader(text))
    for row in rows:
        for key in ("latitude", "longitude"):
            row[key] = Decimal(row[key]) if row[key] else None
    return rows


@transaction.atomic
def load_regions(*, path: Path = FIXTURE, region_model: type[Region] | None = None) -> dict[str, int]:
    """Create or update every region of the fixture, parents first; idempotent.

    Coordinates a person entered by hand (source "manual") are kept. Regions that are no longer in
    the fixture are kept too (sites may point at them). `region_model` lets a data migration pass
    its historical model. Returns {"created", "updated", "unchanged", "total"}.
    """
    model = region_model or Region
    rows = read_region_fixture(path)
    existing = {r.code: r for r in model.objects.only("id", "code", *_FIELDS)}
    ids = {code: r.pk for code, r in existing.items()}
    counts = {"created": 0, "updated": 0, "unchanged": 0, "total": len(rows)}
    for level in LEVELS:
        to_create, to_update = [], []
        for row in rows:
            if row["level"] != level:
                continue
            values = {
                "name": row["name"],
                "level": row["level"],
                "parent_id": ids[row["parent_code"]] if row["parent_code"] else None,
                "latitude": row["latitude"],
                "longitude": row["longitude"],
                "coordinates_source": row["coord_source"],
            }
            region = existing.get(row["code"])
            if region is None:
                to_create.append(model(code=row["code"], **values))
                continue
            if region.coordinates_source == CoordinateSource.MANUAL:
                for key in ("latitude", "longitude", "coordinates_source"):
                    values.pop(key)
            if all(getattr(region, k) == v for k, v in values.items()):
                counts["unchanged"] += 1
                continue
            for key, value in values.items():
                setattr(region, key, value)
            to_update.append(region)
        created = model.objects.bulk_create(to_create, batch_size=1000)
        if created and created[0].pk is None:  # a backend that does not return keys
            ids.update(model.objects.filter(code__in=[r.code for r in created]).values_list("code", "id"))
        else:
            ids.update((r.code, r.pk) for r in created)
        model.objects.bulk_update(to_update, list(_FIELDS), batch_size=1000)
        counts["created"] += len(created)
        counts["updated"] += len(to_update)
    return counts
