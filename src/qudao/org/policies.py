"""Pure organisation rules: geometry, distances, credit codes. No database access here.

Coordinates follow GeoJSON: a position is ``[longitude, latitude]`` in degrees (WGS84 as far as the
sources say; cpca's datum is not stated, see data/ATTRIBUTION.md).
"""

from __future__ import annotations

import json
import math
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from numbers import Real
from typing import Any

from django.utils.translation import gettext_lazy as _
from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry
from shapely.prepared import PreparedGeometry, prep
from shapely.validation import explain_validity

MAX_POLYGON_VERTICES = 10_000
#: IUGG mean Earth radius (km), the usual choice for haversine distances.
EARTH_RADIUS_KM = 6371.0088
KM_PLACES = Decimal("0.001")
POLYGON_TYPES = ("Polygon", "MultiPolygon")


class PolicyError(ValueError):
    """A rule was broken; `message` is translatable and names what is wrong."""

    def __init__(self, message: Any):
        self.message = message
        super().__init__(str(message))


# --- coordinates ---------------------------------------------------------------------------------


def _number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, Real | Decimal):
        raise PolicyError(_("A coordinate must be a number."))
    number = float(value)
    if not math.isfinite(number):
        raise PolicyError(_("A coordinate must be a finite number."))
    return number


def check_longitude(value: Any) -> float:
    lon = _number(value)
    if not -180 <= lon <= 180:
        raise PolicyError(_("The longitude must be between -180 and 180 degrees."))
    return lon


def check_latitude(value: Any) -> float:
    lat = _number(value)
    if not -90 <= lat <= 90:
        raise PolicyError(_("The latitude must be between -90 and 90 degrees."))
    return lat


def check_coordinates(longitude: Any, latitude: Any) -> tuple[float, float]:
    """Both numbers, longitude in [-180, 180], latitude in [-90, 90]; returns them as floats."""
    return check_longitude(longitude), check_latitude(latitude)


def distance_km(*, lat1: Any, lon1: Any, lat2: Any, lon2: Any) -> Decimal:
    """Great-circle (haversine) distance in kilometres, rounded half-up to metres (3 places)."""
    lon_a, lat_a = check_coordinates(lon1, lat1)
    lon_b, lat_b = check_coordinates(lon2, lat2)
    phi1, phi2 = math.radians(lat_a), math.radians(lat_b)
    d_phi, d_lambda = phi2 - phi1, math.radians(lon_b - lon_a)
    h = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    km = 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))
    return Decimal(repr(km)).quantize(KM_PLACES, rounding=ROUND_HALF_UP)


# --- polygons ------------------------------------------------------------------------------------


def _check_ring(ring: Any, where: str) -> int:
    if not isinstance(ring, list) or len(ring) < 4:
        raise PolicyError(
            _("Ring %(where)s needs at least 4 positions (a closed triangle).") % {"where": where}
        )
    for position in ring:
        if not isinstance(position, list) or len(position) not in (2, 3):
            raise PolicyError(
                _("Ring %(where)s has a position that is not [longitude, latitude].") % {"where": where}
            )
        try:
            check_coordinates(position[0], position[1])
        except PolicyError as exc:
            raise PolicyError(
                _("Ring %(where)s: %(error)s") % {"where": where, "error": exc.message}
            ) from exc
        if len(position) == 3:
            _number(position[2])
    if ring[0][:2] != ring[-1][:2]:
        raise PolicyError(
            _("Ring %(where)s is not closed: its last position must repeat the first.") % {"where": where}
        )
    return len(ring)


def _polygon_rings(polygon: Any, where: str) -> int:
    if not isinstance(polygon, list) or not polygon:
        raise PolicyError(_("Polygon %(where)s has no rings.") % {"where": where})
    return sum(_check_ring(ring, f"{where}.{i}") for i, ring in enumerate(polygon))


def validate_polygon(geojson: Any) -> dict[str, Any]:
    """Check a GeoJSON Polygon or MultiPolygon; return it normalised to {"type", "coordinates"}.

    Rules: the right type and nesting, positions [lon, lat] within range, closed rings of ≥ 4
    positions, at most MAX_POLYGON_VERTICES positions in all, a valid (non self-intersecting)
    geometry with an area.
    """
    if not isinstance(geojson, dict):
        raise PolicyError(_("The polygon must be a GeoJSON object."))
    kind, coordinates = geojson.get("type"), geojson.get("coordinates")
    if kind not in POLYGON_TYPES:
        raise PolicyError(_("The GeoJSON type must be Polygon or MultiPolygon."))
    if kind == "Polygon":
        vertices = _polygon_rings(coordinates, "0")
    else:
        if not isinstance(coordinates, list) or not coordinates:
            raise PolicyError(_("The MultiPolygon has no polygons."))
        vertices = sum(_polygon_rings(p, str(i)) for i, p in enumerate(coordinates))
    if vertices > MAX_POLYGON_VERTICES:
        raise PolicyError(
            _("The polygon has %(count)d positions; at most %(max)d are allowed.")
            % {"count": vertices, "max": MAX_POLYGON_VERTICES}
        )
    geometry = shape({"type": kind, "coordinates": coordinates})
    if not geometry.is_valid:
        raise PolicyError(_("The polygon is not valid: %(reason)s.") % {"reason": explain_validity(geometry)})
    if geometry.is_empty or geometry.area <= 0:
        raise PolicyError(_("The polygon has no area."))
    return {"type": kind, "coordinates": coordinates}


@lru_cache(maxsize=256)
def _prepared(key: str) -> tuple[BaseGeometry, PreparedGeometry]:
    geometry = shape(json.loads(key))
    return geometry, prep(geometry)


def point_in_territory(polygon: dict[str, Any], longitude: Any, latitude: Any) -> bool:
    """Is the point inside (or on the border of) a valid GeoJSON Polygon/MultiPolygon?"""
    lon, lat = check_coordinates(longitude, latitude)
    _, prepared = _prepared(json.dumps(polygon, sort_keys=True, separators=(",", ":")))
    return bool(prepared.covers(Point(lon, lat)))


# --- unified social credit code (GB 32100-2015) ---------------------------------------------------

CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, S, V, Z
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)  # 3**i mod 31
#: 登记管理部门代码: 1–9 (机构编制, 外交, 司法行政, 文化, 民政, 旅游, 宗教, 工会, 市场监管), A, N, Y.
CREDIT_CODE_AUTHORITIES = "123456789ANY"


def normalize_credit_code(value: str) -> str:
    """Upper case, without spaces or hyphens (as people copy it from a licence)."""
    return "".join(ch for ch in value.upper() if ch not in " -\t")


def credit_code_check_char(first17: str) -> str:
    """The 18th character: (31 − Σ value×weight mod 31) mod 31, as a character of the alphabet."""
    total = sum(
        CREDIT_CODE_ALPHABET.index(ch) * w for ch, w in zip(first17, CREDIT_CODE_WEIGHTS, strict=True)
    )
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def validate_credit_code(value: str) -> str:
    """Return the normalised code or raise PolicyError saying what is wrong."""
    code = normalize_credit_code(value)
    if len(code) != 18:
        raise PolicyError(_("A unified social credit code has 18 characters."))
    bad = sorted({ch for ch in code if ch not in CREDIT_CODE_ALPHABET})
    if bad:
        raise PolicyError(
            _("A unified social credit code cannot contain %(chars)s.") % {"chars": "".join(bad)}
        )
    if code[0] not in CREDIT_CODE_AUTHORITIES:
        raise PolicyError(_("The first character (registration authority) is not valid."))
    if not code[2:8].isdigit():
        raise PolicyError(_("Characters 3 to 8 (the division code) must be digits."))
    if credit_code_check_char(code[:17]) != code[17]:
        raise PolicyError(_("The check character of the unified social credit code is wrong."))
    return code


# --- regions -------------------------------------------------------------------------------------


def region_prefix(code: str, level: str) -> str:
    """The code prefix shared by a region and everything inside it (110000 → 11, 110100 → 1101)."""
    return {"province": code[:2], "city": code[:4]}.get(level, code)
