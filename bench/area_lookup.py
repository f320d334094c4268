"""Finding the buurt of a point among 14,000 buurten (national size).

Generates 355 gemeenten, 3,550 wijken and 14,200 buurten as a grid of squares over the
Netherlands' bounding box, then looks up random points: the whole lookup (bbox query plus exact
shapely test, with a cold and a warm geometry cache) and the bare bbox query in the database.
"""

import random
import time

from django.db import connection
from timing import summary, time_calls

from omzien.core.models import Area
from omzien.core.queries import (
    USUAL_AREA_WIDTH,
    area_for_point,
    areas_whose_box_contains,
    clear_area_geometry_cache,
)

MIN_LON, MAX_LON, MIN_LAT, MAX_LAT = 3.3, 7.2, 50.75, 53.5
GEMEENTEN_PER_SIDE = (25, 15)  # 375 cells; the first 355 are used
WIJKEN_PER_GEMEENTE = 10
BUURTEN_PER_WIJK = 4
LOOKUPS = 2000


def square(min_lon, min_lat, max_lon, max_lat):
    return {"type": "Polygon", "coordinates": [[
        [min_lon, min_lat], [max_lon, min_lat], [max_lon, max_lat], [min_lon, max_lat],
        [min_lon, min_lat],
    ]]}


def make_area(code, kind, name, parent, box):
    return Area(code=code, kind=kind, name=name, parent=parent, boundary=square(*box),
                min_lon=box[0], min_lat=box[1], max_lon=box[2], max_lat=box[3])


def split(box, columns, rows):
    min_lon, min_lat, max_lon, max_lat = box
    width, height = (max_lon - min_lon) / columns, (max_lat - min_lat) / rows
    return [
        (min_lon + c * width, min_lat + r * height, min_lon + (c + 1) * width,
         min_lat + (r + 1) * height)
        for r in range(rows) for c in range(columns)
    ]


def generate():
    cells = split((MIN_LON, MIN_LAT, MAX_LON, MAX_LAT), *GEMEENTEN_PER_SIDE)[:355]
    gemeenten = Area.objects.bulk_create([
        make_area(f"GM{i:04d}", "municipality", f"Gemeente {i}", None, box)
        for i, box in enumerate(cells, start=1)
    ])
    wijken = Area.objects.bulk_create([
        make_area(f"WK{g.code[2:]}{w:02d}", "district", f"Wijk {g.code}-{w}", g, box)
        for g, gbox in zip(gemeenten, cells, strict=True)
        for w, box in enumerate(split(gbox, 5, 2))
    ])
    wijk_boxes = [box for gbox in cells for box in split(gbox, 5, 2)]
    Area.objects.bulk_create([
        make_area(f"BU{wijk.code[2:]}{b:02d}", "neighbourhood", f"Buurt {b}", wijk, box)
        for wijk, wbox in zip(wijken, wijk_boxes, strict=True)
        for b, box in enumerate(split(wbox, 2, 2))
    ], batch_size=2000)
    return cells


def bare_bbox_query(lon, lat):
    # The same first query the lookup runs, without the exact shape test.
    list(areas_whose_box_contains(lon, lat, "neighbourhood", USUAL_AREA_WIDTH["neighbourhood"]))


def run():
    start = time.perf_counter()
    cells = generate()
    generated_s = time.perf_counter() - start
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    rng = random.Random(14)
    points = []
    for _ in range(LOOKUPS):
        box = rng.choice(cells)
        points.append((rng.uniform(box[0], box[2]), rng.uniform(box[1], box[3])))
    found = sum(area_for_point(lon, lat) is not None for lon, lat in points[:50])
    clear_area_geometry_cache()
    cold = time_calls(area_for_point, points)
    warm = time_calls(area_for_point, points)
    bare = time_calls(bare_bbox_query, points)
    warm_summary, bare_summary = summary(warm), summary(bare)
    return {
        "database": connection.vendor,
        "buurten": Area.objects.filter(kind="neighbourhood").count(),
        "generate_s": round(generated_s, 2),
        "points_found_of_50": found,
        "lookup_cold_cache": summary(cold),
        "lookup_warm_cache": warm_summary,
        "bare_bbox_query": bare_summary,
        "p95_ratio_lookup_to_query": round(warm_summary["p95_ms"] / bare_summary["p95_ms"], 2),
    }
