"""The regions fixture: built from the shared sources, loaded by the data migration, idempotent."""

import gzip
import time
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from qudao.org.data import build_regions
from qudao.org.models import CoordinateSource, Region, RegionLevel
from qudao.org.services.regions import FIXTURE, load_regions, read_region_fixture


def test_migration_loaded_every_region(db):
    assert Region.objects.count() >= 3000
    assert Region.objects.count() == len(read_region_fixture())
    assert Region.objects.filter(level=RegionLevel.PROVINCE).count() == 34  # 31 NBS + HK, Macao, Taiwan
    assert Region.objects.filter(latitude__isnull=True).count() == 0


def test_beijing_and_chaoyang(db):
    beijing = Region.objects.get(code="110000")
    assert beijing.name == "北京市"
    assert beijing.level == RegionLevel.PROVINCE
    assert beijing.parent is None
    assert (beijing.latitude, beijing.longitude) == (Decimal("39.904211"), Decimal("116.407394"))
    chaoyang = Region.objects.select_related("parent__parent").get(code="110105")
    assert chaoyang.name == "朝阳区"
    assert chaoyang.level == RegionLevel.DISTRICT
    assert chaoyang.parent.code == "110100"
    assert chaoyang.parent.parent.code == "110000"
    assert chaoyang.coordinates_source == CoordinateSource.CPCA


def test_fallback_coordinates_are_labelled(db):
    # 省直辖县级行政区划 of Henan: no coordinates in cpca, the mean of its districts (济源市 only)
    henan_direct = Region.objects.get(code="419000")
    jiyuan = Region.objects.get(code="419001")
    assert henan_direct.coordinates_source == CoordinateSource.DISTRICTS_MEAN
    assert (henan_direct.latitude, henan_direct.longitude) == (jiyuan.latitude, jiyuan.longitude)
    # a development zone takes its city's coordinates
    zone = Region.objects.get(code="130171")
    assert zone.coordinates_source == CoordinateSource.CITY
    assert zone.latitude == Region.objects.get(code="130100").latitude
    # 肥乡区 (was 肥乡县 130428 in cpca)
    assert Region.objects.get(code="130407").coordinates_source == CoordinateSource.CPCA_RENAMED
    # 东莞市 has no districts: it is a city, listed once
    dongguan = Region.objects.get(code="441900")
    assert dongguan.level == RegionLevel.CITY
    assert not dongguan.children.exists()


def test_reloading_changes_nothing_and_is_fast(db):
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        counts = load_regions()
    assert counts == {
        "created": 0,
        "updated": 0,
        "unchanged": len(read_region_fixture()),
        "total": len(read_region_fixture()),
    }
    assert len(queries) <= 5
    assert time.perf_counter() - started < 2


def test_loader_repairs_and_recreates_rows_but_keeps_manual_coordinates(db):
    Region.objects.filter(code="110105").update(name="wrong", latitude=Decimal("1"))
    Region.objects.filter(code="110106").update(
        latitude=Decimal("40.1"), longitude=Decimal("116.1"), coordinates_source=CoordinateSource.MANUAL
    )
    counts = load_regions()
    assert counts["updated"] == 1
    assert counts["created"] == 0
    assert Region.objects.get(code="110105").name == "朝阳区"
    assert Region.objects.get(code="110105").latitude == Decimal("39.921506")
    fengtai = Region.objects.get(code="110106")
    assert (fengtai.latitude, fengtai.longitude) == (Decimal("40.100000"), Decimal("116.100000"))


def test_loader_fills_an_empty_table(db):
    for level in (RegionLevel.DISTRICT, RegionLevel.CITY, RegionLevel.PROVINCE):
        Region.objects.filter(level=level).delete()
    assert not Region.objects.exists()
    counts = load_regions()
    assert counts["created"] == counts["total"] == Region.objects.count()
    assert Region.objects.get(code="110105").parent.code == "110100"


def test_fixture_is_the_builders_output():
    rows = read_region_fixture(FIXTURE)
    assert [r["code"] for r in rows] == sorted(r["code"] for r in rows)
    with gzip.open(FIXTURE) as handle:
        assert handle.readline().decode().strip() == ",".join(build_regions.COLUMNS)


def test_builder_joins_and_falls_back():
    provinces = [{"code": "13", "name": "河北省"}]
    cities = [
        {"code": "1301", "name": "石家庄市", "provinceCode": "13"},
        {"code": "1390", "name": "省直辖县级行政区划", "provinceCode": "13"},
        {"code": "1399", "name": "空城", "provinceCode": "13"},
    ]
    areas = [
        {"code": "130102", "name": "长安区", "cityCode": "1301"},
        {"code": "130171", "name": "高新区", "cityCode": "1301"},
        {"code": "130199", "name": "新乐区", "cityCode": "1301"},
        {"code": "139001", "name": "甲县", "cityCode": "1390"},
        {"code": "139002", "name": "乙县", "cityCode": "1390"},
        {"code": "139900", "name": "空城", "cityCode": "1399"},
    ]
    d = Decimal
    cpca = {
        "130000": ("河北省", d("38.0"), d("114.5")),
        "130100": ("石家庄市", d("38.04"), d("114.51")),
        "130102": ("长安区", d("38.05"), d("114.54")),
        "130184": ("新乐市", d("38.34"), d("114.68")),  # renamed: 新乐市 → 新乐区
        "139001": ("甲县", d("30.0"), d("110.0")),
        "139002": ("乙县", d("32.0"), d("112.0")),
    }
    rows = {r.code: r for r in build_regions.build_rows(provinces, cities, areas, cpca)}
    assert list(rows) == sorted(rows)
    assert rows["130102"].coord_source == "cpca"
    assert rows["130199"].coord_source == "cpca_renamed"
    assert rows["130199"].latitude == d("38.34")
    assert rows["130171"].coord_source == "city"
    assert rows["130171"].latitude == d("38.04")
    assert rows["139000"].coord_source == "districts_mean"
    assert (rows["139000"].latitude, rows["139000"].longitude) == (d("31.000000"), d("111.000000"))
    assert rows["139900"].level == "city"  # a city repeated as its own area is kept once
    assert rows["139900"].coord_source == "province"
    assert rows["130102"].parent_code == "130100"
    assert build_regions.name_stem("鄂温克族自治旗") == "鄂温克族"
    assert build_regions.name_stem("沙县") == "沙县"  # too short to strip
    # deterministic bytes
    assert build_regions.render(list(rows.values())) == build_regions.render(list(rows.values()))
