"""Addresses and postcodes to coordinates and a buurt, through PDOK Locatieserver (the Dutch
government's free geocoder, no key needed). The server can be slow or away: callers get None (or
`GeocoderUnavailable` from `locate`) and the search page offers the list of wijken and buurten
instead."""

import hashlib
import http.client
import json
import logging
import math
import re
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache

from omzien.core.models import Area
from omzien.core.queries import area_for_point

logger = logging.getLogger(__name__)

MAX_QUERY_LENGTH = 200
MAX_RESPONSE_BYTES = 512 * 1024
CACHE_SECONDS = 24 * 60 * 60
POINT = re.compile(r"^\s*POINT\s*\(\s*(-?[0-9.]+)\s+(-?[0-9.]+)\s*\)\s*$", re.IGNORECASE)
FIELDS = "weergavenaam,centroide_ll,postcode,buurtcode"


class GeocoderUnavailable(Exception):
    """The geocoder could not be reached or gave an answer that cannot be read."""


@dataclass(frozen=True)
class Place:
    latitude: float
    longitude: float
    display_name: str
    postcode: str
    area: Area | None  # the buurt the point lies in, if it is one of ours


def geocode(query):
    """A match for a Dutch address or postcode (`query` is free text), or None when there is
    none or the geocoder cannot be reached."""
    try:
        return locate(query)
    except GeocoderUnavailable:
        return None


def locate(query):
    """Like `geocode`, but raises GeocoderUnavailable when the server cannot be asked, so a
    page can tell "not found" from "try again later". Answers are cached for a day."""
    query = " ".join((query or "").split())[:MAX_QUERY_LENGTH]
    if not query:
        return None
    key = "omzien-geocode:" + hashlib.sha256(query.lower().encode()).hexdigest()
    cached = cache.get(key)
    if cached is not None:
        return _place(cached) if cached else None
    doc = _first_doc(_ask_locatieserver(query))
    cache.set(key, doc or {}, CACHE_SECONDS)
    return _place(doc) if doc else None


def _ask_locatieserver(query):
    base = settings.OMZIEN_GEOCODER_URL.rstrip("/")
    if not base.startswith(("https://", "http://")):
        logger.warning("OMZIEN_GEOCODER_URL is not an http(s) address: %r", base)
        raise GeocoderUnavailable(base)
    url = f"{base}/free?" + urlencode({
        "q": query, "fq": "type:(adres OR postcode)", "rows": 1, "fl": FIELDS,
    })
    # The scheme was checked above, so urlopen cannot be made to read a local file.
    request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310
    try:
        with urllib.request.urlopen(  # noqa: S310
            request, timeout=settings.OMZIEN_GEOCODER_TIMEOUT
        ) as answer:
            return json.loads(answer.read(MAX_RESPONSE_BYTES))
    # URLError, timeouts and HTTP error statuses are OSErrors; a cut-off answer is not.
    except (OSError, http.client.HTTPException, ValueError) as error:
        logger.warning("Geocoder not available: %s", error)
        raise GeocoderUnavailable from error


def _first_doc(payload):
    """The first match as the plain fields we use, or None when there is none."""
    try:
        docs = payload["response"]["docs"]
        if not docs:
            return None
        doc = docs[0]
        longitude, latitude = _parse_point(doc["centroide_ll"])
        return {
            "latitude": latitude, "longitude": longitude,
            "display_name": str(doc.get("weergavenaam", ""))[:300],
            "postcode": str(doc.get("postcode", ""))[:7],
            "buurtcode": str(doc.get("buurtcode", ""))[:10],
        }
    except (KeyError, IndexError, TypeError, ValueError) as error:
        logger.warning("Geocoder answer not understood: %s", error)
        raise GeocoderUnavailable from error


def _parse_point(text):
    """(longitude, latitude) from WKT "POINT(lon lat)"."""
    match = POINT.match(str(text))
    if not match:
        raise ValueError(f"not a point: {text!r}")
    longitude, latitude = float(match[1]), float(match[2])
    if not (math.isfinite(longitude) and math.isfinite(latitude)
            and -180 <= longitude <= 180 and -90 <= latitude <= 90):
        raise ValueError(f"point out of range: {text!r}")
    return longitude, latitude


def _place(doc):
    area = area_for_point(doc["longitude"], doc["latitude"])
    if area is None and doc["buurtcode"]:
        area = Area.objects.filter(code=doc["buurtcode"], kind=Area.Kind.NEIGHBOURHOOD).first()
    return Place(
        latitude=doc["latitude"], longitude=doc["longitude"], display_name=doc["display_name"],
        postcode=doc["postcode"], area=area,
    )
