"""Build `regions.csv.gz`, China's administrative regions with coordinates, from the shared sources.

    python src/qudao/org/data/build_regions.py [--source DIR] [--output FILE]

Sources (read SOURCE.txt in the source folder; licences in ATTRIBUTION.md):

* NBS 2023 statistical division codes (via modood/Administrative-divisions-of-China, WTFPL):
  nbs2023_provinces.csv, nbs2023_cities.csv, nbs2023_areas.csv (streets are not used);
* cpca 0.5.5 adcodes.csv (MIT): 12-digit adcode, name, longitude, latitude.

Rows are joined by the 6-digit code. Coordinates come, in order of preference, from:

1. ``cpca`` — the same code in cpca has coordinates;
2. ``cpca_renamed`` — a district/county whose code changed since cpca's vintage (county → district or
   city, a county moved to a new prefecture): the unique cpca row in the same city (or, failing that,
   the same province) with the same name stem (the name without 区/县/市/旗/自治县...);
3. ``districts_mean`` — a city-level row without coordinates (e.g. 省直辖县级行政区划, 那曲市): the mean
   of its districts' coordinates from steps 1–2;
4. ``city`` — a district-level row still without coordinates (mostly development zones, which have no
   seat of their own): its city's coordinates;
5. ``province`` — anything left: the province seat.

The output is deterministic (sorted by code, gzip without a timestamp) so rebuilding gives the same bytes.
Columns: code, name, level, parent_code, latitude, longitude, coord_source.
Cities without districts (东莞市 441900, 中山市 442000, 儋州市 460400) appear in the NBS areas file
with the city's own code; they are kept once, as cities.
Hong Kong, Macao and Taiwan (outside the NBS statistical codes) are added as province-level rows with
their GB/T 2260 codes and cpca coordinates; their subdivisions have no official 6-digit codes and are
left out.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

DEFAULT_SOURCE = Path(__file__).resolve().parents[5] / "shared" / "data" / "china_regions"
DEFAULT_OUTPUT = Path(__file__).resolve().parent / "regions.csv.gz"
COLUMNS = ("code", "name", "level", "parent_code", "latitude", "longitude", "coord_source")
#: Province-level rows outside the NBS statistical codes (GB/T 2260 codes; cpca has their coordinates).
EXTRA_PROVINCES = ("710000", "810000", "820000")
#: Longest first, so that 自治县 is stripped before 县.
_SUFFIXES = ("自治县", "自治旗", "林区", "特区", "区", "县", "市", "旗")
_SIX_PLACES = Decimal("0.000001")


@dataclass
class RegionRow:
    code: str
    name: str
    level: str
    parent_code: str
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    coord_source: str = ""

    def as_csv(self) -> list[str]:
        return [
            self.code,
            self.name,
            self.level,
            self.parent_code,
            "" if self.latitude is None else str(self.latitude),
            "" if self.longitude is None else str(self.longitude),
            self.coord_source,
        ]


def name_stem(name: str) -> str:
    """The name without its administrative suffix: 肥乡县 and 肥乡区 → 肥乡."""
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


def six_digits(code: str) -> str:
    return code.strip()[:6].ljust(6, "0")


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def read_cpca(path: Path) -> dict[str, tuple[str, Decimal | None, Decimal | None]]:
    """6-digit code → (name, latitude, longitude); coordinates None when cpca has none."""
    out: dict[str, tuple[str, Decimal | None, Decimal | None]] = {}
    for row in read_csv(path):
        lon, lat = row["longitude"].strip(), row["latitude"].strip()
        coords = (
            (Decimal(lat).quantize(_SIX_PLACES), Decimal(lon).quantize(_SIX_PLACES))
            if lon and lat
            else (None, None)
        )
        out[six_digits(row["adcode"])] = (row["name"].strip(), *coords)
    return out


def _mean(values: Iterable[Decimal]) -> Decimal:
    values = list(values)
    return (sum(values) / len(values)).quantize(_SIX_PLACES, rounding=ROUND_HALF_UP)


def build_rows(
    provinces: list[dict[str, str]],
    cities: list[dict[str, str]],
    areas: list[dict[str, str]],
    cpca: dict[str, tuple[str, Decimal | None, Decimal | None]],
) -> list[RegionRow]:
    """Join the NBS rows to cpca coordinates (see the module docstring for the fallbacks)."""
    rows: dict[str, RegionRow] = {}
    for p in provinces:
        rows[six_digits(p["code"])] = RegionRow(six_digits(p["code"]), p["name"].strip(), "province", "")
    for code in EXTRA_PROVINCES:
        if code in cpca and code not in rows:
            rows[code] = RegionRow(code, cpca[code][0], "province", "")
    for c in cities:
        rows[six_digits(c["code"])] = RegionRow(
            six_digits(c["code"]), c["name"].strip(), "city", six_digits(c["provinceCode"])
        )
    for a in areas:
        if six_digits(a["code"]) == six_digits(a["cityCode"]):
            continue  # 东莞市, 中山市, 儋州市: NBS repeats the city (no districts) as its own area
        rows[six_digits(a["code"])] = RegionRow(
            six_digits(a["code"]), a["name"].strip(), "district", six_digits(a["cityCode"])
        )

    # 1. exact code
    for row in rows.values():
        found = cpca.get(row.code)
        if found and found[1] is not None:
            row.latitude, row.longitude, row.coord_source = found[1], found[2], "cpca"

    # 2. renamed districts: unique same-stem cpca row in the same city, else in the same province
    cpca_districts = [
        (code, name_stem(name), lat, lon)
        for code, (name, lat, lon) in cpca.items()
        if code[4:] != "00" and lat is not None
    ]
    for row in rows.values():
        if row.level != "district" or row.coord_source:
            continue
        stem = name_stem(row.name)
        for prefix in (row.code[:4], row.code[:2]):
            matches = [m for m in cpca_districts if m[0].startswith(prefix) and m[1] == stem]
            if len(matches) == 1:
                row.latitude, row.longitude, row.coord_source = matches[0][2], matches[0][3], "cpca_renamed"
                break

    # 3. cities without coordinates: mean of their districts
    children: dict[str, list[RegionRow]] = {}
    for row in rows.values():
        children.setdefault(row.parent_code, []).append(row)
    for row in rows.values():
        if row.level != "city" or row.coord_source:
            continue
        located = [c for c in children.get(row.code, []) if c.coord_source]
        if located:
            row.latitude = _mean(c.latitude for c in located)
            row.longitude = _mean(c.longitude for c in located)
            row.coord_source = "districts_mean"

    # 4./5. whatever is left inherits from its city, then its province
    for level, source in (("city", "province"), ("district", "city")):
        for row in rows.values():
            if row.level != level or row.coord_source:
                continue
            parent = rows.get(row.parent_code)
            if parent is not None and parent.coord_source:
                row.latitude, row.longitude, row.coord_source = parent.latitude, parent.longitude, source
    for row in rows.values():
        if row.level == "district" and not row.coord_source:
            province = rows.get(row.code[:2] + "0000")
            if province is not None and province.coord_source:
                row.latitude, row.longitude, row.coord_source = (
                    province.latitude,
                    province.longitude,
                    "province",
                )
    return sorted(rows.values(), key=lambda r: r.code)


def render(rows: list[RegionRow]) -> bytes:
    """Gzip-compressed CSV with a header, without a timestamp (reproducible bytes)."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow(row.as_csv())
    return gzip.compress(text.getvalue().encode("utf-8"), compresslevel=9, mtime=0)


def build(source: Path) -> list[RegionRow]:
    return build_rows(
        read_csv(source / "nbs2023_provinces.csv"),
        read_csv(source / "nbs2023_cities.csv"),
        read_csv(source / "nbs2023_areas.csv"),
        read_cpca(source / "cpca_adcodes.csv"),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--source", type=Path, default=DEFAULT_SOURCE, help="folder with the shared CSV files"
    )
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)
    rows = build(args.source)
    args.output.write_bytes(render(rows))
    counts: dict[tuple[str, str], int] = {}
    for row in rows:
        counts[(row.level, row.coord_source or "none")] = (
            counts.get((row.level, row.coord_source or "none"), 0) + 1
        )
    sys.stdout.write(f"{len(rows)} regions written to {args.output}\n")
    for (level, source), count in sorted(counts.items()):
        sys.stdout.write(f"  {level:<9} {source:<15} {count:>5}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
