"""A provider keeps their listing current in a real browser: adds a place, creates a weekly
activity there, finds it in their list and pauses it. Every listing page passes axe."""

from types import SimpleNamespace

import pytest
from django.urls import reverse

from omzien.activities.models import Activity, ListingClaim, Location
from omzien.core.models import Role
from tests.activities.factories import make_area
from tests.activities.listings_helpers import make_imported_activity
from tests.browser.conftest import axe_check, log_in, log_in_with_cookie
from tests.conftest import make_organisation, make_staff

pytestmark = pytest.mark.browser


def submit(page):
    page.locator("main form.omzien-form button[type=submit]").first.click()
    page.wait_for_load_state()


def test_provider_creates_a_weekly_activity_and_pauses_it(page, live_server, monkeypatch):
    buurt = make_area("BU00000201", "Oude Centrum")
    monkeypatch.setattr("omzien.activities.geocoding.geocode", lambda query: SimpleNamespace(
        latitude=52.1, longitude=5.1, area=buurt))
    organisation = make_organisation(name="Buurthuis De Schakel")
    provider = make_staff(Role.PROVIDER, organisation, first_name="Kees")
    log_in(page, provider)

    page.goto(reverse("activities_staff:location_create"))
    axe_check(page)
    page.locator("#id_name").fill("Buurthuis De Schakel")
    page.locator("#id_street_address").fill("Kerkstraat 12")
    page.locator("#id_postcode").fill("1234 AB")
    page.locator("#id_city").fill("Omzienstad")
    submit(page)
    place = Location.objects.get()
    assert place.area == buurt
    axe_check(page)  # the list of locations

    page.goto(reverse("activities_staff:activity_create"))
    axe_check(page)
    page.locator("#id_title").fill("Koffieochtend")
    page.locator("#id_description").fill("Elke dinsdag koffie en een praatje.")
    page.get_by_label("ontmoeten").first.check()
    page.locator("input[name=schedule_kind][value=recurring]").check()
    page.locator("#id_first_date").fill("2027-03-02")
    page.locator("#id_start_time").fill("10:00")
    page.locator("#id_end_time").fill("11:30")
    page.locator("input[name=repeat][value=weekly]").check()
    page.locator("input[name=weekdays][value=TU]").check()
    page.locator(f"input[name=activity_locations][value='{place.pk}']").check()
    submit(page)
    activity = Activity.objects.get()
    assert activity.recurrence == "FREQ=WEEKLY;BYDAY=TU"
    assert list(activity.locations.all()) == [place]
    assert page.url.endswith(reverse("activities_staff:my_activities"))
    assert "Koffieochtend" in page.locator("main table").inner_text()
    axe_check(page)

    page.locator("main table button", has_text="Pauzeren").click()
    page.wait_for_load_state()
    assert "gepauzeerd" in page.locator("main").inner_text()
    assert Activity.objects.get().status == Activity.Status.PAUSED

    page.goto(reverse("activities_staff:activity_verify", args=[activity.pk]))
    axe_check(page)
    page.get_by_role("button", name="Ja, dit klopt nog").click()
    page.wait_for_load_state()
    axe_check(page)


def test_a_form_with_mistakes_passes_axe(page, live_server, client):
    provider = make_staff(Role.PROVIDER, make_organisation())
    log_in_with_cookie(page, live_server, provider, client)
    page.goto(reverse("activities_staff:activity_create"))
    page.locator("#id_title").fill("Zonder tijden")
    submit(page)
    assert "Geef de datum" in page.locator("main").inner_text()
    axe_check(page)


def test_coordinator_pages_pass_axe(page, live_server, client, settings):
    settings.OMZIEN_ACTIVITY_APPROVAL_REQUIRED = True
    listing = make_imported_activity(title="Repair Café")
    ListingClaim.objects.create(activity=listing, organisation=make_organisation(),
                                requested_by=make_staff(Role.PROVIDER), message="Van ons")
    coordinator = make_staff(Role.COORDINATOR)
    log_in_with_cookie(page, live_server, coordinator, client)
    for name in ("my_activities", "review_list", "claim_review_list", "location_list"):
        page.goto(reverse(f"activities_staff:{name}"))
        axe_check(page)
    page.goto(reverse("activities_staff:review_detail", args=[listing.pk]))
    axe_check(page)
    page.goto(reverse("activities_staff:activity_edit", args=[listing.pk]))
    axe_check(page)
    page.goto(reverse("staff:home"))
    assert "Sociale kaart" in page.locator("main").inner_text()
    axe_check(page)


def test_claim_pages_pass_axe(page, live_server, client):
    make_imported_activity(title="Repair Café")
    provider = make_staff(Role.PROVIDER, make_organisation())
    log_in_with_cookie(page, live_server, provider, client)
    page.goto(reverse("activities_staff:claimable_list"))
    axe_check(page)
    page.get_by_role("link", name="Repair Café").click()
    page.wait_for_load_state()
    axe_check(page)
