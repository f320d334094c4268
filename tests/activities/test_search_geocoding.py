"""De adreszoeker (PDOK Locatieserver), tegen een nagebootste server die antwoordt zoals PDOK:
adres gevonden, niets gevonden, kapot antwoord, onbereikbaar."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.cache import cache
from django.urls import reverse

from omzien.activities.geocoding import GeocoderUnavailable, geocode, locate
from tests.activities.factories import make_activity, make_area, make_location

pytestmark = pytest.mark.django_db

# A real answer of https://api.pdok.nl/bzk/locatieserver/search/v3_1/free (fields as asked).
FOUND = {
    "response": {
        "numFound": 1, "start": 0, "maxScore": 18.4, "numFoundExact": True,
        "docs": [{
            "weergavenaam": "Lindelaan 3, 9999AA Omzienstad",
            "centroide_ll": "POINT(5.11 52.09)",
            "postcode": "9999AA",
            "buurtcode": "BU03440101",
        }],
    },
}
NOT_FOUND = {"response": {"numFound": 0, "start": 0, "maxScore": 0.0, "numFoundExact": True,
                          "docs": []}}
SQUARE = {"type": "Polygon", "coordinates": [[
    [5.10, 52.08], [5.12, 52.08], [5.12, 52.10], [5.10, 52.10], [5.10, 52.08],
]]}


class StandInLocatieserver(BaseHTTPRequestHandler):
    answers = {}  # query text -> (status, body bytes)
    requests = []

    def do_GET(self):  # noqa: N802 (the name http.server calls)
        url = urlsplit(self.path)
        params = parse_qs(url.query)
        type(self).requests.append((url.path, params))
        status, body = self.answers.get(params.get("q", [""])[0], (200, NOT_FOUND))
        payload = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


@pytest.fixture
def locatieserver(settings):
    cache.clear()
    StandInLocatieserver.answers = {}
    StandInLocatieserver.requests = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), StandInLocatieserver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.OMZIEN_GEOCODER_URL = f"http://127.0.0.1:{server.server_address[1]}/search/v3_1"
    settings.OMZIEN_GEOCODER_TIMEOUT = 2
    yield StandInLocatieserver
    server.shutdown()
    server.server_close()
    cache.clear()


@pytest.fixture
def vogelbuurt():
    municipality = make_area("GM0344", "Omzienstad")
    wijk = make_area("WK034401", "Noord", parent=municipality)
    buurt = make_area("BU03440101", "Vogelbuurt", parent=wijk)
    buurt.boundary = SQUARE
    buurt.min_lon, buurt.min_lat, buurt.max_lon, buurt.max_lat = 5.10, 52.08, 5.12, 52.10
    buurt.save()
    return buurt


def test_een_adres_geeft_coordinaten_en_de_buurt(locatieserver, vogelbuurt):
    locatieserver.answers["Lindelaan 3 Omzienstad"] = (200, FOUND)

    place = geocode("Lindelaan 3 Omzienstad")

    assert place.latitude == 52.09
    assert place.longitude == 5.11
    assert place.display_name == "Lindelaan 3, 9999AA Omzienstad"
    assert place.postcode == "9999AA"
    assert place.area == vogelbuurt
    path, params = locatieserver.requests[0]
    assert path == "/search/v3_1/free"
    assert params["fq"] == ["type:(adres OR postcode)"]
    assert params["rows"] == ["1"]
    assert params["fl"] == ["weergavenaam,centroide_ll,postcode,buurtcode"]


def test_buurt_uit_de_buurtcode_als_er_geen_grens_bekend_is(locatieserver):
    municipality = make_area("GM0344")
    buurt = make_area("BU03440101", parent=make_area("WK034401", parent=municipality))
    locatieserver.answers["9999 AA"] = (200, FOUND)

    assert geocode("9999 AA").area == buurt


def test_niets_gevonden(locatieserver):
    assert geocode("Nergensstraat 99") is None
    assert locate("Nergensstraat 99") is None


def test_een_zelfde_adres_wordt_maar_een_keer_gevraagd(locatieserver, vogelbuurt):
    locatieserver.answers["Lindelaan 3"] = (200, FOUND)

    geocode("Lindelaan 3")
    geocode("  lindelaan   3 ")

    assert len(locatieserver.requests) == 1


@pytest.mark.parametrize("answer", [
    (500, {"error": "intern"}),
    (200, b"<html>niet json</html>"),
    (200, {"response": {"docs": [{"centroide_ll": "POINT(abc def)"}]}}),
    (200, {"response": {"docs": [{"weergavenaam": "zonder punt"}]}}),
    (200, {"iets": "anders"}),
    (200, b"\xff\xfe"),
])
def test_een_kapot_antwoord_geeft_none(locatieserver, answer):
    locatieserver.answers["Lindelaan 3"] = answer

    assert geocode("Lindelaan 3") is None
    with pytest.raises(GeocoderUnavailable):
        locate("Lindelaan 3")


def test_een_onbereikbare_server_geeft_none(settings):
    cache.clear()
    settings.OMZIEN_GEOCODER_URL = "http://127.0.0.1:9/search"
    settings.OMZIEN_GEOCODER_TIMEOUT = 0.5

    assert geocode("Lindelaan 3") is None


def test_een_geen_http_adres_wordt_niet_geopend(settings):
    cache.clear()
    settings.OMZIEN_GEOCODER_URL = "file:///etc"

    assert geocode("passwd") is None


def test_zoeken_in_de_buurt_van_een_adres_op_de_zoekpagina(client, locatieserver):
    locatieserver.answers["Lindelaan 3 Omzienstad"] = (200, FOUND)
    make_activity(title="Verder weg", locations=[make_location(latitude=52.1, longitude=5.11)])
    make_activity(title="Om de hoek", locations=[make_location(latitude=52.091, longitude=5.11)])
    make_activity(title="Andere stad", locations=[make_location(latitude=53.2, longitude=6.5)])

    response = client.get(reverse("activities:search"),
                          {"address": "Lindelaan 3 Omzienstad", "distance": "5"})

    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("Om de hoek") < html.index("Verder weg")
    assert "Andere stad" not in html
    assert "Lindelaan 3, 9999AA Omzienstad" in html


def test_een_onbekend_adres_op_de_zoekpagina_geeft_een_melding(client, locatieserver):
    response = client.get(reverse("activities:search"), {"address": "Nergensstraat 99"})

    assert response.status_code == 400
    assert "We konden dit adres niet vinden" in response.content.decode()
