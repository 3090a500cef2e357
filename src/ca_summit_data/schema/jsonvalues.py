"""JSON values in cells: objects, arrays, GeoJSON, TopoJSON and geographic points, one text at a time.

Helpers of ``fieldtypes``, called once per distinct cell text (a JSON parse cannot be
vectorised). Each reader returns the value's canonical text (keys sorted, no spaces),
so equal values compare equal whatever their spacing or key order, or None when the
text is not such a value. GeoJSON follows RFC 7946's structure (the object types, and
the shape of their coordinates); TopoJSON its specification's (a ``Topology`` with
``objects`` and ``arcs``).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

_CONSTANTS = {"NaN", "Infinity", "-Infinity"}


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def loads(text: str) -> Any:
    """Strict JSON (no NaN or Infinity, which Python's json module would accept)."""
    return json.loads(text, parse_constant=_refuse_constant)


def canonical(value: Any) -> str:
    text: str = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text


def read_json(text: str, kind: type) -> tuple[str, int] | None:
    """(canonical text, length) of a JSON ``kind`` (dict or list) cell, or None."""
    try:
        value = loads(text)
    except (ValueError, RecursionError):
        return None
    if not isinstance(value, dict | list) or not isinstance(value, kind):
        return None
    return canonical(value), len(value)


# --------------------------------------------------------------------------- GeoJSON (RFC 7946)


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _position(value: Any) -> bool:
    return isinstance(value, list) and len(value) >= 2 and all(_number(v) for v in value)


def _positions(value: Any, least: int = 0) -> bool:
    return isinstance(value, list) and len(value) >= least and all(_position(p) for p in value)


def _rings(value: Any) -> bool:
    return isinstance(value, list) and all(_positions(ring, 4) for ring in value)


_COORDINATES: dict[str, Callable[[Any], bool]] = {
    "Point": _position,
    "MultiPoint": _positions,
    "LineString": lambda c: _positions(c, 2),
    "MultiLineString": lambda c: isinstance(c, list) and all(_positions(line, 2) for line in c),
    "Polygon": _rings,
    "MultiPolygon": lambda c: isinstance(c, list) and all(_rings(p) for p in c),
}


def _bbox(value: dict[str, Any]) -> bool:
    box = value.get("bbox")
    return box is None or (isinstance(box, list) and len(box) >= 4 and len(box) % 2 == 0 and all(map(_number, box)))


def _geometry(value: Any, depth: int = 0) -> bool:
    if not isinstance(value, dict) or not _bbox(value) or depth > 32:
        return False
    kind = value.get("type")
    if kind == "GeometryCollection":
        members = value.get("geometries")
        return isinstance(members, list) and all(_geometry(g, depth + 1) for g in members)
    check: Callable[[Any], bool] | None = _COORDINATES.get(kind) if isinstance(kind, str) else None
    return check is not None and "coordinates" in value and bool(check(value["coordinates"]))


def _feature(value: Any) -> bool:
    if not isinstance(value, dict) or value.get("type") != "Feature" or not _bbox(value):
        return False
    if "geometry" not in value or "properties" not in value:
        return False
    geometry, properties, ident = value["geometry"], value["properties"], value.get("id")
    return ((geometry is None or _geometry(geometry)) and (properties is None or isinstance(properties, dict))
            and (ident is None or isinstance(ident, str) or _number(ident)))


def is_geojson(value: Any) -> bool:
    """A GeoJSON object: a geometry, a Feature, or a FeatureCollection of Features."""
    if not isinstance(value, dict):
        return False
    if value.get("type") == "FeatureCollection":
        features = value.get("features")
        return _bbox(value) and isinstance(features, list) and all(_feature(f) for f in features)
    return _feature(value) or _geometry(value)


# --------------------------------------------------------------------------- TopoJSON


def _topology_geometry(value: Any, depth: int = 0) -> bool:
    if not isinstance(value, dict) or depth > 32:
        return False
    kind = value.get("type")
    if kind is None:
        return True  # a null object
    if kind == "GeometryCollection":
        members = value.get("geometries")
        return isinstance(members, list) and all(_topology_geometry(g, depth + 1) for g in members)
    if kind in ("Point", "MultiPoint"):
        return "coordinates" in value
    if kind in ("LineString", "MultiLineString", "Polygon", "MultiPolygon"):
        return isinstance(value.get("arcs"), list)
    return False


def is_topojson(value: Any) -> bool:
    """A TopoJSON ``Topology``: its ``objects`` (geometries by name) and ``arcs`` (lists of positions)."""
    if not isinstance(value, dict) or value.get("type") != "Topology":
        return False
    objects, arcs = value.get("objects"), value.get("arcs")
    if not isinstance(objects, dict) or not isinstance(arcs, list):
        return False
    return all(_positions(arc, 2) for arc in arcs) and all(_topology_geometry(o) for o in objects.values())


def read_geojson(text: str, topojson: bool) -> str | None:
    try:
        value = loads(text)
    except (ValueError, RecursionError):
        return None
    valid = is_topojson(value) if topojson else is_geojson(value)
    return canonical(value) if valid else None


# --------------------------------------------------------------------------- geopoint


def point_text(lon: float, lat: float) -> str | None:
    """The canonical ``lon,lat`` of a point, or None if it is off the globe (or not finite)."""
    if not (math.isfinite(lon) and math.isfinite(lat)) or not (-180 <= lon <= 180 and -90 <= lat <= 90):
        return None
    return f"{lon + 0.0!r},{lat + 0.0!r}"


def read_point(text: str, fmt: str) -> str | None:
    """A geopoint cell in its ``array`` (``[lon, lat]``) or ``object`` (``{"lon":…, "lat":…}``) form."""
    try:
        value = loads(text)
    except (ValueError, RecursionError):
        return None
    if fmt == "array":
        if not isinstance(value, list) or len(value) != 2:
            return None
        lon, lat = value
    else:
        if not isinstance(value, dict) or set(value) != {"lon", "lat"}:
            return None
        lon, lat = value["lon"], value["lat"]
    if not (_number(lon) and _number(lat)):
        return None
    try:
        return point_text(float(Decimal(str(lon))), float(Decimal(str(lat))))
    except (InvalidOperation, OverflowError):
        return None
