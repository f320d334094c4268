"""De zoekpagina, de pagina van een activiteit en het zoeken voor professionals."""

import json
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from omzien.activities.models import Activity
from omzien.core.models import Role
from tests.activities.factories import make_activity, make_area, make_location, next_weekday_at
from tests.conftest import make_organisation

pytestmark = pytest.mark.django_db
SEARCH = reverse("activities:search")
STAFF_SEARCH = reverse("activities_staff:search")


def detail_url(activity):
    return reverse("activities:detail", args=[activity.pk])


def main_text(response):
    html = response.content.decode()
    return html[html.index("<main"):html.index("</main>")]


@pytest.fixture
def noord():
    municipality = make_area("GM0344", "Omzienstad")
    wijk = make_area("WK034401", "Noord", parent=municipality)
    make_area("BU03440101", "Vogelbuurt", parent=wijk)
    return wijk


def test_de_zoekpagina_toont_alles_en_werkt_zonder_javascript(client):
    make_activity(title="Wandelgroep De Stappers", organisation=make_organisation(name="Welzijn"))

    response = client.get(SEARCH)

    assert response.status_code == 200
    text = main_text(response)
    assert "Wandelgroep De Stappers" in text
    assert "Welzijn" in text
    assert "1 activiteit gevonden" in text
    assert "<script" not in response.content.decode()  # the list view needs no script at all


def test_zoeken_met_woord_wijk_en_gratis_samen(client, noord):
    vogelbuurt = noord.children.get()
    make_activity(title="Wandelen in Noord", cost=0,
                  locations=[make_location(area=vogelbuurt)])
    make_activity(title="Wandelen in Noord, betaald", cost=4,
                  locations=[make_location(area=vogelbuurt)])
    make_activity(title="Wandelen ergens anders", cost=0)
    make_activity(title="Breien in Noord", cost=0, locations=[make_location(area=vogelbuurt)])

    response = client.get(SEARCH, {"q": "wandelen", "area": noord.pk, "free": "on"})

    text = main_text(response)
    assert response.status_code == 200
    assert "Wandelen in Noord<" in text
    assert "betaald" not in text
    assert "ergens anders" not in text
    assert "Breien" not in text


def test_de_wijk_en_buurtkeuze_staat_er_altijd(client, noord):
    text = main_text(client.get(SEARCH))

    assert "Heel Noord" in text
    assert "Vogelbuurt" in text
    assert '<optgroup label="Noord">' in text


def test_resultaat_toont_datum_plaats_kosten_in_het_nederlands(client):
    starts = next_weekday_at(1, 10)
    make_activity(title="Koffie", cost=2.5, cost_note="per keer", starts_at=starts,
                  locations=[make_location(name="Buurthuis De Linde", city="Omzienstad")])

    text = main_text(client.get(SEARCH))

    assert "dinsdag" in text
    assert "10:00" in text
    assert "Buurthuis De Linde" in text
    assert "€ 2,50" in text


@pytest.mark.parametrize("params", [
    {"kind": "onbekend"},
    {"area": "abc"},
    {"area": "999999"},
    {"area": "99999999999999999999999"},
    {"days": "8"},
    {"days": "maandag"},
    {"day_parts": "nacht"},
    {"distance": "100000"},
    {"distance": "-1"},
    {"bij": "x"},
    {"bij": "99999999999999999999999"},
    {"target_group": "<script>"},
    {"q": "a" * 500},
    {"q": "nul\x00teken"},
])
def test_foute_filters_geven_een_nederlandse_melding_en_400(client, params):
    response = client.get(SEARCH, params)

    assert response.status_code == 400
    assert "Niet alles is goed ingevuld" in main_text(response)


def test_een_onbekende_pagina_geeft_gewoon_een_pagina(client):
    make_activity(title="Koffie")

    assert client.get(SEARCH, {"page": "abc"}).status_code == 200
    assert client.get(SEARCH, {"page": "99999"}).status_code == 200


@hypothesis_settings(max_examples=60, deadline=None,
                     suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(params=st.dictionaries(
    st.sampled_from(["q", "area", "address", "distance", "days", "day_parts", "kind",
                     "target_group", "free", "open_access", "wheelchair", "bij", "page",
                     "weergave"]),
    st.text(max_size=30),
    max_size=6,
))
def test_geen_enkele_zoekopdracht_geeft_een_500(client, settings, params):
    # Addresses go to an address that refuses at once: no waiting on the real geocoder.
    settings.OMZIEN_GEOCODER_URL = "http://127.0.0.1:9"
    settings.OMZIEN_GEOCODER_TIMEOUT = 0.5

    response = client.get(SEARCH, params)

    assert response.status_code in (200, 400)


def test_activiteiten_met_verwijzing_staan_er_gemarkeerd_in_zonder_verwijsinformatie(client):
    make_activity(title="Lotgenotengroep", access=Activity.Access.REFERRAL,
                  referral_notes="Bel eerst de wijkverpleging op 010-1234567.")

    text = main_text(client.get(SEARCH))

    assert "Lotgenotengroep" in text
    assert "Alleen met een verwijzing" in text
    assert "wijkverpleging" not in text


def test_professionals_zien_hoe_ze_verwijzen(client, staff_client):
    make_activity(title="Lotgenotengroep", access=Activity.Access.REFERRAL,
                  referral_notes="Bel eerst de wijkverpleging op 010-1234567.",
                  contact_name="Ans de Vries", contact_phone="010-7654321")
    client, _user = staff_client(Role.CONSULTANT)

    response = client.get(STAFF_SEARCH)

    text = main_text(response)
    assert response.status_code == 200
    assert "Lotgenotengroep" in text
    assert "wijkverpleging" in text
    assert "Ans de Vries" in text


def test_zoeken_voor_professionals_vraagt_om_inloggen(client):
    response = client.get(STAFF_SEARCH)

    assert response.status_code == 302
    assert "/inloggen/" in response["Location"]


def test_adres_dat_de_adreszoeker_niet_kan_bereiken_geeft_een_melding(client, settings):
    settings.OMZIEN_GEOCODER_URL = "http://127.0.0.1:9"
    settings.OMZIEN_GEOCODER_TIMEOUT = 0.5
    make_activity(title="Koffie")

    response = client.get(SEARCH, {"address": "Dorpsstraat 1 Omzienstad"})

    text = main_text(response)
    assert response.status_code == 200
    assert "Zoeken op adres lukt nu niet" in text
    assert "Koffie" in text
    assert 'name="area"' in text


def test_bij_een_andere_activiteit_dichtstbijzijnde_eerst(client):
    here = make_activity(title="Hier", locations=[make_location(latitude=52.09, longitude=5.11)])
    make_activity(title="Verder", locations=[make_location(latitude=52.1, longitude=5.11)])
    make_activity(title="Naast", locations=[make_location(latitude=52.091, longitude=5.11)])
    make_activity(title="Andere stad", locations=[make_location(latitude=53.2, longitude=6.5)])

    text = main_text(client.get(SEARCH, {"bij": here.pk}))

    order = [title for title in ("Hier<", "Naast<", "Verder<") if title in text]
    assert order == ["Hier<", "Naast<", "Verder<"]
    assert text.index("Hier<") < text.index("Naast<") < text.index("Verder<")
    assert "Andere stad" not in text
    assert "Dichtstbijzijnde eerst, vanaf: Hier" in text


def test_kaartweergave_met_markers_in_data_attributen(client, settings):
    settings.OMZIEN_MAP_TILE_URL = "https://tiles.example/{z}/{x}/{y}.png"
    make_activity(title="Op de kaart", locations=[make_location(latitude=52.09, longitude=5.11)])

    response = client.get(SEARCH, {"weergave": "kaart"})

    html = response.content.decode()
    assert 'data-tile-url="https://tiles.example/{z}/{x}/{y}.png"' in html
    assert 'data-latitude="52.090000"' in html
    assert "activities/map.js" in html
    assert "Voor de kaart is JavaScript nodig" in html
    assert "Op de kaart" in main_text(response)  # the list is still there
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)  # no inline script


# --- the activity page ---


def test_de_activiteitpagina_toont_alles_wat_een_bewoner_wil_weten(client):
    organisation = make_organisation(name="Stichting Welzijn Noord")
    activity = make_activity(
        title="Wandelgroep De Stappers", organisation=organisation,
        description="<p>Elke week <strong>samen</strong> wandelen.</p>",
        starts_at=next_weekday_at(1, 10), term_codes=["exercise", "age_75_plus"],
        cost=0, wheelchair_accessible=True, languages=["nl", "tr"],
        contact_name="Ans de Vries", contact_phone="010-7654321",
        locations=[make_location(name="Buurthuis De Linde", street_address="Lindelaan 3",
                                 directions="Bus 12, halte Lindeplein.")],
    )

    response = client.get(detail_url(activity))

    text = main_text(response)
    assert response.status_code == 200
    assert "<strong>samen</strong>" in text
    assert "Stichting Welzijn Noord" in text
    assert text.count("dinsdag") == 8
    assert "10:00 – 11:30" in text
    assert "Bewegen en sport" in text
    assert "75-plussers" in text
    assert "Gratis" in text
    assert "Toegankelijk met een rolstoel" in text
    assert "Turks" in text
    assert "Lindelaan 3" in text
    assert "Bus 12, halte Lindeplein." in text
    assert "Ans de Vries" in text
    assert "Laatst nagekeken op" in text
    assert f"?bij={activity.pk}" in text


def test_op_afspraak(client):
    activity = make_activity(schedule_kind=Activity.ScheduleKind.BY_APPOINTMENT)

    assert "Op afspraak" in main_text(client.get(detail_url(activity)))


def test_verwijsinformatie_staat_niet_op_de_openbare_pagina(client):
    activity = make_activity(access=Activity.Access.REFERRAL, referral_notes="Geheim nummer")

    text = main_text(client.get(detail_url(activity)))

    assert "Alleen met een verwijzing" in text
    assert "Geheim nummer" not in text


def test_json_ld_is_een_geldig_event_met_rooster(client):
    activity = make_activity(title="Koffie", recurrence="FREQ=WEEKLY;BYDAY=TU,TH",
                             starts_at=next_weekday_at(1, 10))

    html = client.get(detail_url(activity)).content.decode()

    block = re.search(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', html, re.S)
    data = json.loads(block[1])
    assert data["@type"] == "Event"
    assert data["name"] == "Koffie"
    assert data["eventSchedule"]["repeatFrequency"] == "P1W"
    assert data["eventSchedule"]["byDay"] == ["https://schema.org/Tuesday",
                                              "https://schema.org/Thursday"]
    assert data["eventSchedule"]["startTime"] == "10:00"
    assert data["startDate"].startswith(str(next_weekday_at(1, 10).date()))


def test_een_vijandige_titel_breekt_niet_uit_de_json_ld(client):
    hostile = '</script><script>alert("x")</script><!--'
    activity = make_activity(title=hostile)

    html = client.get(detail_url(activity)).content.decode()

    assert "<script>alert" not in html
    block = re.search(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', html, re.S)
    assert json.loads(block[1])["name"] == hostile


def test_een_gestopte_activiteit_geeft_een_vriendelijke_410(client):
    activity = make_activity(title="Oude breiclub", status=Activity.Status.ENDED)

    response = client.get(detail_url(activity))

    assert response.status_code == 410
    assert "Deze activiteit is gestopt" in main_text(response)
    assert "Oude breiclub" in main_text(response)


def test_een_niet_goedgekeurde_activiteit_bestaat_niet_voor_het_publiek(client):
    activity = make_activity(review_state=Activity.ReviewState.PENDING)

    assert client.get(detail_url(activity)).status_code == 404
    assert client.get(reverse("activities:detail", args=[99999])).status_code == 404


def test_verouderde_informatie_wordt_gemeld(client, settings):
    settings.OMZIEN_ACTIVITY_STALE_DAYS = 30
    activity = make_activity()
    Activity.objects.filter(pk=activity.pk).update(
        verified_at=timezone.now() - timedelta(days=31)
    )

    assert "lang niet nagekeken" in main_text(client.get(detail_url(activity)))


def test_de_volgende_pagina_houdt_alle_gekozen_dagen_vast(client):
    for number in range(25):
        make_activity(title=f"Dinsdag {number:02d}", starts_at=next_weekday_at(1, 10))
    make_activity(title="Zaterdag", starts_at=next_weekday_at(5, 10))

    first = client.get(SEARCH + "?days=1&days=3")
    html = first.content.decode()
    assert "days=1&amp;days=3&amp;page=2" in html

    second = main_text(client.get(SEARCH + "?days=1&days=3&page=2"))
    assert "Dinsdag 24" in second
    assert "Zaterdag" not in second
