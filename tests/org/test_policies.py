"""Pure rules: no database."""

import math
from decimal import Decimal

import pytest

from qudao.org import policies
from qudao.org.policies import PolicyError
from tests.org.factories import BEIJING_CENTRE, SHANGHAI_AND_HANGZHOU

BEIJING = (Decimal("39.904211"), Decimal("116.407394"))
SHANGHAI = (Decimal("31.230416"), Decimal("121.473701"))


# --- distances -----------------------------------------------------------------------------------


def test_beijing_shanghai_is_about_1067_km():
    km = policies.distance_km(lat1=BEIJING[0], lon1=BEIJING[1], lat2=SHANGHAI[0], lon2=SHANGHAI[1])
    assert km == Decimal("1067.311")
    assert isinstance(km, Decimal)
    assert km.as_tuple().exponent == -3


def test_distance_agrees_with_the_spherical_law_of_cosines():
    lat1, lon1, lat2, lon2 = (math.radians(float(v)) for v in (*BEIJING, *SHANGHAI))
    central = math.acos(
        math.sin(lat1) * math.sin(lat2) + math.cos(lat1) * math.cos(lat2) * math.cos(lon2 - lon1)
    )
    expected = central * policies.EARTH_RADIUS_KM
    km = policies.distance_km(lat1=BEIJING[0], lon1=BEIJING[1], lat2=SHANGHAI[0], lon2=SHANGHAI[1])
    assert abs(float(km) - expected) < 0.001


def test_distance_known_arcs():
    assert policies.distance_km(lat1=0, lon1=0, lat2=0, lon2=1) == Decimal("111.195")
    assert policies.distance_km(lat1=0, lon1=0, lat2=0, lon2=180) == Decimal("20015.114")  # half the equator
    assert policies.distance_km(
        lat1=BEIJING[0], lon1=BEIJING[1], lat2=BEIJING[0], lon2=BEIJING[1]
    ) == Decimal("0.000")


def test_distance_is_symmetric():
    there = policies.distance_km(lat1=BEIJING[0], lon1=BEIJING[1], lat2=SHANGHAI[0], lon2=SHANGHAI[1])
    back = policies.distance_km(lat1=SHANGHAI[0], lon1=SHANGHAI[1], lat2=BEIJING[0], lon2=BEIJING[1])
    assert there == back


@pytest.mark.parametrize(
    ("lat", "lon", "message"),
    [
        (Decimal("91"), Decimal("0"), "latitude"),
        (Decimal("0"), Decimal("-180.5"), "longitude"),
        ("39.9", Decimal("116"), "number"),
        (True, Decimal("116"), "number"),
        (float("nan"), 1, "finite"),
    ],
)
def test_distance_refuses_bad_coordinates(lat, lon, message):
    with pytest.raises(PolicyError, match=message):
        policies.distance_km(lat1=lat, lon1=lon, lat2=0, lon2=0)


# --- polygons ------------------------------------------------------------------------------------


def test_valid_polygon_and_multipolygon_are_returned_normalised():
    assert policies.validate_polygon({**BEIJING_CENTRE, "bbox": [1, 2, 3, 4]}) == BEIJING_CENTRE
    assert policies.validate_polygon(SHANGHAI_AND_HANGZHOU) == SHANGHAI_AND_HANGZHOU


def test_polygon_with_a_hole_and_altitudes_is_valid():
    outer = [[116.0, 39.0, 50], [117.0, 39.0, 50], [117.0, 40.0, 50], [116.0, 40.0, 50], [116.0, 39.0, 50]]
    hole = [[116.4, 39.4], [116.6, 39.4], [116.6, 39.6], [116.4, 39.6], [116.4, 39.4]]
    polygon = {"type": "Polygon", "coordinates": [outer, hole]}
    assert policies.validate_polygon(polygon) == polygon
    assert policies.point_in_territory(polygon, Decimal("116.2"), Decimal("39.2")) is True
    assert policies.point_in_territory(polygon, Decimal("116.5"), Decimal("39.5")) is False  # in the hole


@pytest.mark.parametrize(
    ("geojson", "message"),
    [
        ("POLYGON((0 0, 1 0, 1 1, 0 0))", "GeoJSON object"),
        ({"type": "Point", "coordinates": [116, 39]}, "Polygon or MultiPolygon"),
        ({"type": "Polygon", "coordinates": []}, "no rings"),
        ({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [0, 0]]]}, "at least 4"),
        ({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1]]]}, "not closed"),
        ({"type": "Polygon", "coordinates": [[[0, 0], [181, 0], [1, 1], [0, 0]]]}, "longitude"),
        ({"type": "Polygon", "coordinates": [[[0, 0], [1, 95], [1, 1], [0, 0]]]}, "latitude"),
        ({"type": "Polygon", "coordinates": [[[0, 0], ["1", 0], [1, 1], [0, 0]]]}, "number"),
        ({"type": "Polygon", "coordinates": [[[0, 0], [1], [1, 1], [0, 0]]]}, r"\[longitude, latitude\]"),
        ({"type": "MultiPolygon", "coordinates": []}, "no polygons"),
        # a bow tie crosses itself
        ({"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}, "not valid"),
        ({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [2, 0], [0, 0]]]}, "not valid|no area"),
    ],
)
def test_invalid_polygons_are_refused_with_a_reason(geojson, message):
    with pytest.raises(PolicyError, match=message):
        policies.validate_polygon(geojson)


def test_polygon_vertex_limit():
    def circle(n):
        ring = [
            [round(100 + math.cos(2 * math.pi * i / n), 6), round(30 + math.sin(2 * math.pi * i / n), 6)]
            for i in range(n)
        ]
        return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}

    assert (
        policies.validate_polygon(circle(9_999))["type"] == "Polygon"
    )  # 10,000 positions with the closing one
    with pytest.raises(PolicyError, match="10001 positions"):
        policies.validate_polygon(circle(10_000))


def test_point_in_territory():
    assert policies.point_in_territory(BEIJING_CENTRE, Decimal("116.407394"), Decimal("39.904211")) is True
    assert policies.point_in_territory(BEIJING_CENTRE, Decimal("116.298262"), Decimal("39.95993")) is False
    assert policies.point_in_territory(BEIJING_CENTRE, Decimal("116.36"), Decimal("39.90")) is True  # border
    assert policies.point_in_territory(SHANGHAI_AND_HANGZHOU, Decimal("120.17"), Decimal("30.25")) is True
    assert policies.point_in_territory(SHANGHAI_AND_HANGZHOU, Decimal("120.90"), Decimal("30.75")) is False
    with pytest.raises(PolicyError):
        policies.point_in_territory(BEIJING_CENTRE, Decimal("200"), Decimal("39.9"))


# --- unified social credit codes -----------------------------------------------------------------


@pytest.mark.parametrize("code", ["91110000600037341L", "91350100M000100Y43", " 9111-0000-6000-3734-1l "])
def test_valid_credit_codes(code):
    assert policies.validate_credit_code(code) == policies.normalize_credit_code(code)
    assert len(policies.validate_credit_code(code)) == 18


def test_check_character_is_computed_per_gb_32100():
    assert policies.credit_code_check_char("91110000600037341") == "L"
    assert policies.credit_code_check_char("91350100M000100Y4") == "3"


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("91110000600037341X", "check character"),
        ("91110000600037341", "18 characters"),
        ("911100006000373411L", "18 characters"),
        ("9111000060003734IL", "cannot contain I"),
        ("91110000600O37341L", "cannot contain O"),
        ("B1110000600037341L", "registration authority"),
        ("911A0000600037341L", "division code"),
    ],
)
def test_invalid_credit_codes(code, message):
    with pytest.raises(PolicyError, match=message):
        policies.validate_credit_code(code)


def test_region_prefix():
    assert policies.region_prefix("110000", "province") == "11"
    assert policies.region_prefix("110100", "city") == "1101"
    assert policies.region_prefix("110105", "district") == "110105"
