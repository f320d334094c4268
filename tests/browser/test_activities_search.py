"""Een bewoner zoekt een activiteit in een echte browser: met en zonder JavaScript, in de lijst
en op de kaart, en opent de activiteit. Elke pagina doorstaat axe-core (WCAG 2.1 AA)."""

import base64

import pytest
from django.urls import reverse

from tests.activities.factories import make_activity, make_area, make_location, next_weekday_at
from tests.browser.conftest import axe_check
from tests.conftest import make_organisation

pytestmark = pytest.mark.browser

# A 1x1 transparent PNG: stands in for map tiles, so the test needs no internet.
TILE = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)


@pytest.fixture
def neighbourhood(transactional_db):
    municipality = make_area("GM0344", "Omzienstad")
    noord = make_area("WK034401", "Noord", parent=municipality)
    zuid = make_area("WK034402", "Zuid", parent=municipality)
    vogelbuurt = make_area("BU03440101", "Vogelbuurt", parent=noord)
    havenbuurt = make_area("BU03440201", "Havenbuurt", parent=zuid)
    welzijn = make_organisation(name="Welzijn Omzienstad")
    make_activity(
        title="Wandelgroep De Stappers", organisation=welzijn, cost=0,
        starts_at=next_weekday_at(3, 10), term_codes=["exercise"],
        locations=[make_location(welzijn, vogelbuurt, name="Buurthuis De Linde",
                                 latitude=52.09, longitude=5.11)],
    )
    make_activity(title="Wandelclub Zuid", organisation=welzijn, cost=0,
                  locations=[make_location(welzijn, havenbuurt, latitude=52.07,
                                           longitude=5.12)])
    make_activity(title="Wandelen met gids", organisation=welzijn, cost=7,
                  locations=[make_location(welzijn, vogelbuurt, latitude=52.095,
                                           longitude=5.115)])
    make_activity(title="Breicafé", organisation=welzijn, cost=0,
                  locations=[make_location(welzijn, vogelbuurt)])
    return noord


def serve_fake_tiles(page):
    page.context.route("https://service.pdok.nl/**", lambda route: route.fulfill(
        body=TILE, content_type="image/png"
    ))


def result_titles(page):
    return page.locator(".omzien-result h3").all_inner_texts()


@pytest.mark.parametrize("javascript", [True, False])
def test_bewoner_zoekt_wandelen_in_de_wijk_gratis_en_opent_de_activiteit(
    new_page, neighbourhood, javascript
):
    page = new_page(javascript=javascript)
    page.goto(reverse("activities:search"))
    if javascript:  # axe itself is a script
        axe_check(page)

    page.locator("#id_q").fill("wandelen")
    page.locator("#id_area").select_option(label="Heel Noord")
    page.locator("#id_free").check()
    page.locator("main form[role=search] button[type=submit]").click()
    page.wait_for_load_state()

    assert result_titles(page) == ["Wandelgroep De Stappers"]
    assert "1 activiteit gevonden" in page.locator("main").inner_text()
    if javascript:
        axe_check(page)

    page.get_by_role("link", name="Wandelgroep De Stappers").click()
    page.wait_for_load_state()
    main = page.locator("main").inner_text()
    assert page.locator("h1").inner_text() == "Wandelgroep De Stappers"
    first_date = page.locator(".omzien-dates li").first.inner_text()
    assert first_date.startswith("donderdag")
    assert "10:00" in first_date
    assert "Buurthuis De Linde" in main
    if javascript:
        axe_check(page)


def test_de_kaart_toont_de_resultaten_en_de_lijst_blijft(new_page, neighbourhood):
    page = new_page()
    serve_fake_tiles(page)
    page.goto(reverse("activities:search") + "?q=wandelen&weergave=kaart")

    page.locator("#activity-map .leaflet-marker-icon").first.wait_for()
    assert page.locator("#activity-map .leaflet-marker-icon").count() == 3
    assert page.locator("#activity-map-fallback").is_hidden()
    assert len(result_titles(page)) == 3
    axe_check(page)

    page.locator("#activity-map .leaflet-marker-icon[title='Wandelgroep De Stappers']").click()
    assert page.locator(".leaflet-popup-close-button").get_attribute("aria-label") == "Sluiten"
    page.locator(".leaflet-popup-content a").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Wandelgroep De Stappers"


def test_de_kaart_zonder_javascript_laat_de_lijst_zien(new_page, neighbourhood):
    page = new_page(javascript=False)
    page.goto(reverse("activities:search") + "?q=wandelen&weergave=kaart")

    assert page.locator("#activity-map").is_hidden()
    assert "Voor de kaart is JavaScript nodig" in page.locator("main").inner_text()
    assert len(result_titles(page)) == 3


def test_als_de_kaarttegels_niet_laden_blijft_de_lijst_bruikbaar(new_page, neighbourhood):
    page = new_page()
    page.context.route("https://service.pdok.nl/**", lambda route: route.abort())
    page.goto(reverse("activities:search") + "?weergave=kaart")

    page.get_by_text("De kaart kon niet geladen worden").wait_for()
    page.get_by_role("link", name="Breicafé").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Breicafé"
