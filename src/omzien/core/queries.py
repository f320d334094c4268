"""Reads of shared data that are more than a one-liner."""

import math
import threading
from collections import OrderedDict

import shapely
from django.db.models import Count, Q
from shapely.geometry import shape

from .models import Area, Organisation


def search_organisations(text="", sector=""):
    organisations = Organisation.objects.all()
    if text:
        organisations = organisations.filter(Q(name__icontains=text) | Q(city__icontains=text))
    if sector in Organisation.Sector.values:
        organisations = organisations.filter(sector=sector)
    return organisations.order_by("name")


def area_overview(parent_code=""):
    """Areas one level below `parent_code`, or the municipalities when it is empty."""
    areas = Area.objects.annotate(child_count=Count("children"))
    if parent_code:
        return areas.filter(parent__code=parent_code)
    return areas.filter(kind=Area.Kind.MUNICIPALITY)


# Prepared boundaries by (area id, bbox), so repeated lookups skip loading and parsing GeoJSON.
# Bounded, because full-detail boundaries of all buurten take a lot of memory.
AREA_GEOMETRY_CACHE_SIZE = 4096
_area_geometries = OrderedDict()
_area_geometries_lock = threading.Lock()


def clear_area_geometry_cache():
    with _area_geometries_lock:
        _area_geometries.clear()


# Nearly every area is narrower than this (in degrees of longitude). Looking first only at boxes
# that start at most this far west of the point lets the (kind, min_lon, ...) index skip almost
# all rows instead of half of them; wider areas are still found by the full query after it.
USUAL_AREA_WIDTH = {
    Area.Kind.NEIGHBOURHOOD: 0.1, Area.Kind.DISTRICT: 0.25, Area.Kind.MUNICIPALITY: 0.6,
}


def areas_whose_box_contains(lon, lat, kind, max_width=None):
    """The areas whose bounding box holds the point: the indexed first step of a lookup.
    With `max_width`, only areas whose box is at most that wide (in degrees of longitude)."""
    areas = Area.objects.filter(
        kind=kind, min_lon__lte=lon, max_lon__gte=lon, min_lat__lte=lat, max_lat__gte=lat
    )
    if max_width is not None:
        areas = areas.filter(min_lon__gte=lon - max_width)
    return areas.defer("boundary").order_by("code")


def area_for_point(lon, lat, kind=Area.Kind.NEIGHBOURHOOD):
    """The area of `kind` that contains the point (WGS84), or None. Areas of one kind do not
    overlap; a point on a shared border counts for one of them."""
    if kind not in Area.Kind.values:
        raise ValueError(f"Unknown area kind: {kind!r}")
    try:
        lon, lat = float(lon), float(lat)
    except (TypeError, ValueError):
        return None
    if not (math.isfinite(lon) and math.isfinite(lat)):
        return None
    point = shapely.Point(lon, lat)
    narrow = areas_whose_box_contains(lon, lat, kind, USUAL_AREA_WIDTH[kind])
    return _first_covering(narrow, point) or _first_covering(
        areas_whose_box_contains(lon, lat, kind), point
    )


def _first_covering(areas, point):
    candidates = list(areas)
    if not candidates:
        return None
    geometries = _prepared_geometries(candidates)
    for area in candidates:
        geometry = geometries.get(area.pk)
        if geometry is not None and geometry.covers(point):
            return area
    return None


def _prepared_geometries(areas):
    keys = {area.pk: (area.pk, area.min_lon, area.min_lat, area.max_lon, area.max_lat)
            for area in areas}
    with _area_geometries_lock:
        found = {}
        for pk, key in keys.items():
            if key in _area_geometries:
                _area_geometries.move_to_end(key)
                found[pk] = _area_geometries[key]
    missing = [pk for pk in keys if pk not in found]
    if missing:
        loaded = Area.objects.filter(pk__in=missing).values_list("pk", "boundary")
        for pk, boundary in loaded:
            try:
                geometry = shape(boundary)
            except (ValueError, TypeError, KeyError, AttributeError, IndexError):
                continue  # only the importer writes boundaries; skip anything else
            shapely.prepare(geometry)
            found[pk] = geometry
        with _area_geometries_lock:
            for pk in missing:
                if pk in found:
                    _area_geometries[keys[pk]] = found[pk]
            while len(_area_geometries) > AREA_GEOMETRY_CACHE_SIZE:
                _area_geometries.popitem(last=False)
    return found
