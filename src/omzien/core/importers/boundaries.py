"""Reads area boundaries from GeoJSON (the CBS/PDOK wijk- en buurtkaart format).

Two steps, so that an import is all or nothing: `read_boundaries` parses and checks the files
without touching the database; `save_boundaries` checks the parents against the database and
writes everything, or nothing when there is any problem. The service runs the second step in one
transaction.
"""

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy
import shapely
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from shapely.errors import GEOSException
from shapely.geometry import shape

from ..models import Area, area_kind_for_code, parent_code_for

MAX_BOUNDARY_FILE_BYTES = 200 * 1024 * 1024
# The web page shows this many problems; the command prints them all.
MAX_PROBLEMS_SHOWN = 20
MAX_NAME_LENGTH = Area._meta.get_field("name").max_length
# Property names for the number of residents in the CBS files over the years.
POPULATION_KEYS = ("aantal_inwoners", "AANT_INW", "aantalInwoners")
# No Dutch area has more residents; larger numbers are a mistake in the file.
MAX_POPULATION = 30_000_000
WGS84_NAMES = ("CRS84", "EPSG:4326", "EPSG::4326", "EPSG:6.6:4326", "EPSG/0/4326")
KIND_ORDER = (Area.Kind.MUNICIPALITY, Area.Kind.DISTRICT, Area.Kind.NEIGHBOURHOOD)
BATCH_SIZE = 500
UPDATED_FIELDS = (
    "name", "boundary", "min_lon", "min_lat", "max_lon", "max_lat", "parent_id", "population",
)


@dataclass(frozen=True)
class Problem:
    """One reason an import cannot go ahead. `number` counts the areas in a file from 1."""

    message: str
    number: int | None = None
    code: str = ""
    source: str = ""

    def __str__(self):
        if self.number is not None and self.code:
            text = _("Area %(number)s (%(code)s): %(message)s")
        elif self.number is not None:
            text = _("Area %(number)s: %(message)s")
        else:
            text = "%(message)s"
        text = text % {"number": self.number, "code": self.code, "message": self.message}
        return f"{self.source}: {text}" if self.source else text


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    errors: list[Problem] = field(default_factory=list)

    @property
    def ok(self):
        return not self.errors

    def summary(self):
        if not self.ok:
            count = len(self.errors)
            return ngettext(
                "Nothing has been imported, because of %(count)s problem.",
                "Nothing has been imported, because of %(count)s problems.",
                count,
            ) % {"count": count}
        created = ngettext("%(count)s area added", "%(count)s areas added", self.created) % {
            "count": self.created
        }
        updated = ngettext(
            "%(count)s area updated", "%(count)s areas updated", self.updated
        ) % {"count": self.updated}
        return _("Import finished: %(created)s, %(updated)s.") % {
            "created": created, "updated": updated,
        }

    @property
    def error(self):
        """All problems in one message, for a form field; long lists are cut short."""
        if self.ok:
            return ""
        lines = [self.summary(), *(str(p) for p in self.errors[:MAX_PROBLEMS_SHOWN])]
        hidden = len(self.errors) - MAX_PROBLEMS_SHOWN
        if hidden > 0:
            lines.append(ngettext(
                "And %(count)s more problem.", "And %(count)s more problems.", hidden
            ) % {"count": hidden})
        return " ".join(lines)


@dataclass
class Boundary:
    """One checked area from a file, ready to be saved."""

    code: str
    kind: str
    name: str
    geometry: dict
    bbox: tuple[float, float, float, float]
    population: int | None
    number: int
    source: str
    is_water: bool = False


@dataclass
class BoundaryBatch:
    boundaries: dict[str, Boundary] = field(default_factory=dict)
    # Every code named in the files, also of areas with problems, so that their children are not
    # reported as orphans on top of that.
    codes: set[str] = field(default_factory=set)
    problems: list[Problem] = field(default_factory=list)


def read_boundaries(sources):
    """Parse and check one or more files (paths, open files, uploads or bytes)."""
    sources = list(sources)
    batch = BoundaryBatch()
    for source in sources:
        label = _source_label(source) if len(sources) > 1 else ""
        data = _read_bytes(source)
        if isinstance(data, Problem):
            batch.problems.append(Problem(data.message, source=label))
            continue
        features = _parse_feature_collection(data)
        if isinstance(features, Problem):
            batch.problems.append(Problem(features.message, source=label))
            continue
        for number, feature in enumerate(features, start=1):
            _read_feature(batch, feature, number, label)
    return batch


def save_boundaries(batch):
    """Link every area to its parent and write them all; call inside a transaction."""
    problems = list(batch.problems)
    boundaries = list(batch.boundaries.values())
    wanted_parents = {parent_code_for(b.code) for b in boundaries} - {None} - batch.codes
    parent_ids = _ids_for_codes(wanted_parents)
    for b in boundaries:
        parent_code = parent_code_for(b.code)
        if parent_code and parent_code not in batch.codes and parent_code not in parent_ids:
            message = (
                _("the district %(parent)s it belongs to is not in the file and not in Omzien "
                  "yet. Import the districts first, or add it to the file.")
                if b.kind == Area.Kind.NEIGHBOURHOOD
                else _("the municipality %(parent)s it belongs to is not in the file and not in "
                       "Omzien yet. Import the municipality first, or add it to the file.")
            )
            problems.append(Problem(message % {"parent": parent_code}, b.number, b.code, b.source))
    if problems:
        problems.sort(key=lambda p: (p.source, p.number or 0))
        return ImportResult(errors=problems)

    existing = _existing_areas(batch.boundaries)
    ids = {code: pk for code, (pk, _population) in existing.items()} | parent_ids
    result = ImportResult()
    for kind in KIND_ORDER:
        new, changed = [], []
        for b in boundaries:
            if b.kind != kind:
                continue
            area = Area(
                code=b.code, kind=b.kind, name=b.name, boundary=b.geometry,
                min_lon=b.bbox[0], min_lat=b.bbox[1], max_lon=b.bbox[2], max_lat=b.bbox[3],
                parent_id=ids.get(parent_code_for(b.code)), population=b.population,
            )
            if b.code in existing:
                area.pk, old_population = existing[b.code]
                # A file without population figures keeps the figures imported earlier.
                if area.population is None:
                    area.population = old_population
                changed.append(area)
            else:
                new.append(area)
        Area.objects.bulk_create(new, batch_size=BATCH_SIZE)
        # One UPDATE per area: bulk_update builds a CASE expression per field and row, which
        # is many times slower for thousands of large boundaries.
        for area in changed:
            Area.objects.filter(pk=area.pk).update(**{
                name: getattr(area, name) for name in UPDATED_FIELDS
            })
        ids.update(_ids_for_codes([a.code for a in new]))
        result.created += len(new)
        result.updated += len(changed)
    return result


def _source_label(source):
    name = getattr(source, "name", None) if not isinstance(source, (str, os.PathLike)) else source
    return os.path.basename(str(name)) if name else _("file")


def _too_large():
    return Problem(_("This file is too large. The limit is %(size)s MB.") % {
        "size": MAX_BOUNDARY_FILE_BYTES // (1024 * 1024)
    })


def _read_bytes(source):
    if isinstance(source, bytes):
        data = source
    elif isinstance(source, (str, os.PathLike)):
        path = Path(source)
        if not path.is_file():
            return Problem(_("The file %(name)s does not exist.") % {"name": path})
        try:
            if path.stat().st_size > MAX_BOUNDARY_FILE_BYTES:
                return _too_large()
            data = path.read_bytes()
        except OSError:
            return Problem(_("The file %(name)s could not be read.") % {"name": path})
    else:
        if getattr(source, "size", 0) and source.size > MAX_BOUNDARY_FILE_BYTES:
            return _too_large()
        if hasattr(source, "seek"):
            source.seek(0)
        data = source.read(MAX_BOUNDARY_FILE_BYTES + 1)
    if len(data) > MAX_BOUNDARY_FILE_BYTES:
        return _too_large()
    if not data.strip():
        return Problem(_("The file is empty."))
    return data


def _parse_feature_collection(data):
    """The list of features in the file, or a Problem saying why there is none."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return Problem(_("The file is not saved as UTF-8 text. GeoJSON files are always UTF-8; "
                         "save or export the file again as UTF-8."))
    try:
        document = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as error:
        return Problem(_("This is not a GeoJSON file: the text is not valid JSON (line %(line)s, "
                         "column %(column)s).") % {"line": error.lineno, "column": error.colno})
    except (ValueError, RecursionError):
        return Problem(_("This is not a GeoJSON file: the text is not valid JSON."))
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        return Problem(_("This file is JSON, but not a GeoJSON FeatureCollection. Use a GeoJSON "
                         "file with areas, such as the CBS district and neighbourhood map."))
    crs_problem = _check_crs(document.get("crs"))
    if crs_problem:
        return crs_problem
    features = document.get("features")
    if not isinstance(features, list):
        return Problem(_("This GeoJSON file has no list of features."))
    if not features:
        return Problem(_("The file contains no areas."))
    return features


def _reject_constant(name):
    # NaN and Infinity are not JSON; a coordinate like that is never right.
    raise ValueError(name)


def _check_crs(crs):
    """Old-style GeoJSON may name its coordinate system; only WGS84 longitude/latitude fits."""
    if crs is None:
        return None
    name = crs.get("properties", {}).get("name") if isinstance(crs, dict) else None
    if isinstance(name, str) and any(name.upper().endswith(w) for w in WGS84_NAMES):
        return None
    shown = name if isinstance(name, str) else _("unknown")
    message = _("The file uses the coordinate system %(crs)s. Omzien needs longitude and "
                "latitude in WGS84 (EPSG:4326). Export the file again in WGS84, for example "
                "with: ogr2ogr -t_srs EPSG:4326 new.geojson old.geojson")
    return Problem(message % {"crs": shown[:80]})


def _read_feature(batch, feature, number, source):
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        batch.problems.append(Problem(_("this is not a GeoJSON Feature."), number, source=source))
        return
    properties = feature.get("properties")
    properties = properties if isinstance(properties, dict) else {}
    problems = []

    code, kind = properties.get("statcode"), None
    if isinstance(code, str) and code.strip():
        code = code.strip()
        try:
            kind = area_kind_for_code(code)
        except ValidationError:
            problems.append(_("“%(code)s” is not a valid area code. Use GM0363, WK036300 or "
                              "BU03630000.") % {"code": _shorten(code)})
    else:
        problems.append(_("the area code (statcode) is missing."))
        code = ""
    shown_code = _shorten(code)
    if kind:
        batch.codes.add(code)

    name = properties.get("statnaam")
    name = name.strip() if isinstance(name, str) else ""
    if not name:
        problems.append(_("the name (statnaam) is missing."))
    elif len(name) > MAX_NAME_LENGTH:
        problems.append(_("the name is longer than %(max)s characters.") % {"max": MAX_NAME_LENGTH})

    geometry, bbox, geometry_problem = _check_geometry(feature.get("geometry"))
    if geometry_problem:
        problems.append(geometry_problem)

    if problems:
        batch.problems.extend(Problem(p, number, shown_code, source) for p in problems)
        return
    boundary = Boundary(
        code=code, kind=kind, name=name, geometry=geometry, bbox=bbox,
        population=_population(properties), number=number, source=source,
        is_water=str(properties.get("water", properties.get("H2O", ""))).upper() == "JA",
    )
    _add_boundary(batch, boundary)


def _add_boundary(batch, boundary):
    other = batch.boundaries.get(boundary.code)
    if other is None or other.is_water and not boundary.is_water:
        batch.boundaries[boundary.code] = boundary
    elif boundary.is_water and not other.is_water:
        # Some CBS files hold the water of an area as a separate feature with the same code;
        # residents live on land, so the land part is the area.
        pass
    else:
        message = _("this code appears more than once in the file (also area %(number)s).")
        batch.problems.append(Problem(
            message % {"number": other.number}, boundary.number, boundary.code, boundary.source
        ))


def _check_geometry(raw):
    """(GeoJSON to store, bbox, None) or (None, None, the problem)."""
    if not isinstance(raw, dict) or "type" not in raw:
        return None, None, _("the shape (geometry) is missing.")
    if raw["type"] not in ("Polygon", "MultiPolygon"):
        return None, None, _("the shape must be a Polygon or MultiPolygon, not %(type)s.") % {
            "type": _shorten(str(raw["type"]))
        }
    try:
        geometry = shape(raw)
        coordinates = shapely.get_coordinates(geometry)
    except (ValueError, TypeError, IndexError, KeyError, AttributeError, GEOSException):
        return None, None, _("the coordinates of the shape are not valid GeoJSON.")
    if geometry.is_empty:
        return None, None, _("the shape is empty.")
    if not numpy.isfinite(coordinates).all():
        return None, None, _("the coordinates of the shape are not valid GeoJSON.")
    min_lon, min_lat, max_lon, max_lat = geometry.bounds
    if min_lon < -180 or max_lon > 180 or min_lat < -90 or max_lat > 90:
        return None, None, _("the coordinates are not longitude and latitude (WGS84). The file "
                             "probably uses Dutch RD coordinates (EPSG:28992); export it again "
                             "in WGS84 (EPSG:4326).")
    if geometry.is_valid and not geometry.has_z:
        return {"type": raw["type"], "coordinates": raw["coordinates"]}, geometry.bounds, None
    # Repair self-intersections and the like, and keep only the parts that have an area.
    geometry = shapely.force_2d(shapely.make_valid(geometry))
    parts = [g for g in shapely.get_parts(geometry) if g.geom_type in ("Polygon", "MultiPolygon")]
    geometry = shapely.union_all(parts) if parts else None
    if geometry is None or geometry.is_empty or geometry.area == 0:
        return None, None, _("the shape has no area.")
    return json.loads(shapely.to_geojson(geometry)), geometry.bounds, None


def _population(properties):
    """The number of residents, when the file has a believable one. CBS marks secret or unknown
    figures with negative numbers such as -99999997; those are left out."""
    for key in POPULATION_KEYS:
        value = properties.get(key)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            continue
        if isinstance(value, float) and not value.is_integer():
            continue
        if 0 <= value <= MAX_POPULATION:
            return int(value)
    return None


def _shorten(text, limit=20):
    return text if len(text) <= limit else text[:limit] + "…"


def _existing_areas(codes):
    """code -> (id, population) of the areas that are already stored."""
    codes = list(codes)
    found = {}
    for start in range(0, len(codes), BATCH_SIZE):
        rows = Area.objects.filter(code__in=codes[start:start + BATCH_SIZE])
        found.update({code: (pk, pop) for code, pk, pop in rows.values_list("code", "pk",
                                                                              "population")})
    return found


def _ids_for_codes(codes):
    codes = list(codes)
    found = {}
    for start in range(0, len(codes), BATCH_SIZE):
        rows = Area.objects.filter(code__in=codes[start:start + BATCH_SIZE])
        found.update(rows.values_list("code", "pk"))
    return found
