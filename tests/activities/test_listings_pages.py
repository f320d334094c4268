"""Providers manage their own organisation's activities and places, and nobody else's."""

from types import SimpleNamespace

import pytest
from django.urls import reverse

from omzien.activities.models import Activity, Location
from omzien.core.models import AuditEvent, Role
from tests.activities.factories import make_activity, make_area, make_location
from tests.activities.listings_helpers import activity_data, reload
from tests.conftest import login_verified, make_organisation, make_staff


@pytest.fixture
def own(db):
    return make_organisation(name="Buurtvereniging Oost", email="info@oost.example")


@pytest.fixture
def provider(client, own):
    user = make_staff(Role.PROVIDER, own)
    login_verified(client, user)
    return user


def url(name, obj):
    return reverse(f"activities_staff:{name}", args=[obj.pk])


def test_provider_creates_an_activity_at_their_own_place(client, provider, own):
    place = make_location(own)
    response = client.post(reverse("activities_staff:activity_create"),
                           activity_data(activity_locations=[place.pk]))
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert activity.organisation == own
    assert list(activity.locations.all()) == [place]
    assert activity.review_state == Activity.ReviewState.APPROVED
    # Plain text became paragraphs, sanitised by store_activity.
    assert activity.description == ("<p>Samen wandelen in het park.</p>"
                                    "<p>Iedereen is welkom.</p>")
    assert activity.search_terms.exists()
    assert AuditEvent.objects.filter(action=AuditEvent.Action.CREATE,
                                     object_id=str(activity.pk)).exists()
    page = client.get(reverse("activities_staff:my_activities"))
    assert "Wandelgroep De Stapper" in page.content.decode()


def test_script_in_a_description_is_removed(client, provider):
    client.post(reverse("activities_staff:activity_create"), activity_data(
        description='<p onclick="x()">Koffie</p><script>alert(1)</script>'))
    assert Activity.objects.get().description == "<p>Koffie</p>"


def test_another_organisations_place_cannot_be_chosen(client, provider):
    elsewhere = make_location()
    response = client.post(reverse("activities_staff:activity_create"),
                           activity_data(activity_locations=[elsewhere.pk]))
    assert response.status_code == 400
    assert not Activity.objects.exists()


def test_provider_sees_and_manages_only_their_own_activities(client, provider, own):
    mine = make_activity(own, title="Eigen koffieochtend")
    theirs = make_activity(make_organisation(), title="Andermans breiclub")
    page = client.get(reverse("activities_staff:my_activities")).content.decode()
    assert "Eigen koffieochtend" in page and "Andermans breiclub" not in page
    for name in ("activity_edit", "activity_verify"):
        assert client.get(url(name, mine)).status_code == 200
        assert client.get(url(name, theirs)).status_code == 403
    for name in ("activity_pause", "activity_end"):
        assert client.post(url(name, theirs)).status_code == 403
    assert reload(theirs).status == Activity.Status.ACTIVE
    asked = reverse("activities_staff:activity_create") + f"?organisatie={theirs.organisation_id}"
    assert client.get(asked).status_code == 403
    assert client.get(url("location_edit", make_location())).status_code == 403


def test_pause_resume_and_end(client, provider, own):
    activity = make_activity(own)
    assert client.get(url("activity_pause", activity)).status_code == 405
    client.post(url("activity_pause", activity))
    assert reload(activity).status == Activity.Status.PAUSED
    client.post(url("activity_resume", activity))
    assert reload(activity).status == Activity.Status.ACTIVE
    client.post(url("activity_end", activity))
    assert reload(activity).status == Activity.Status.ENDED
    assert not Activity.objects.published().filter(pk=activity.pk).exists()
    statuses = [event.detail["status"] for event in AuditEvent.objects.filter(
        object_id=str(activity.pk), detail__has_key="status").order_by("pk")]
    assert statuses == [["active", "paused"], ["paused", "active"], ["active", "ended"]]


def test_edit_keeps_what_was_not_changed_and_applies_the_rest(client, provider, own):
    activity = make_activity(own, term_codes=["meeting"], languages=["nl", "de"])
    response = client.post(url("activity_edit", activity), activity_data(title="Nieuwe titel"))
    assert response.status_code == 302
    activity = reload(activity)
    assert activity.title == "Nieuwe titel"
    assert activity.languages == ["nl", "de"]  # an imported language code is kept
    assert [term.code for term in activity.terms.all()] == ["exercise"]


def test_still_correct_starts_a_new_period(client, provider, own):
    activity = make_activity(own)
    Activity.objects.filter(pk=activity.pk).update(verified_at="2025-01-01T00:00:00Z")
    assert "lang geleden" in client.get(url("activity_verify", activity)).content.decode()
    client.post(url("activity_verify", activity))
    assert reload(activity).verified_at.year == 2026


def test_location_is_looked_up_on_save(client, provider, own, monkeypatch):
    buurt = make_area("BU00000101", "Oude Centrum")
    asked = []

    def geocode(query):
        asked.append(query)
        return SimpleNamespace(latitude=52.37, longitude=4.89, area=buurt)

    monkeypatch.setattr("omzien.activities.geocoding.geocode", geocode)
    response = client.post(reverse("activities_staff:location_create"), {
        "name": "Buurthuis De Kring", "street_address": "Kerkstraat 12", "postcode": "1234ab",
        "city": "Omzienstad",
    })
    assert response.status_code == 302
    place = Location.objects.get()
    assert asked == ["Kerkstraat 12 1234 AB Omzienstad"]
    assert (place.latitude, place.longitude, place.area, place.organisation) == (
        52.37, 4.89, buurt, own)


def test_location_without_a_match_is_saved_and_asks_for_the_neighbourhood(
        client, provider, monkeypatch):
    buurt = make_area("BU00000102", "Noordkant")
    monkeypatch.setattr("omzien.activities.geocoding.geocode", lambda query: None)
    response = client.post(reverse("activities_staff:location_create"), {
        "street_address": "Onbekendeweg 1", "postcode": "", "city": "Nergenshuizen",
    }, follow=True)
    place = Location.objects.get()
    assert place.latitude is None
    assert "adres is niet gevonden" in response.content.decode()
    assert response.redirect_chain[-1][0] == url("location_edit", place)
    client.post(url("location_edit", place), {
        "street_address": "Onbekendeweg 1", "city": "Nergenshuizen", "area": buurt.pk,
    })
    assert reload_location(place).area == buurt


def reload_location(place):
    return Location.objects.get(pk=place.pk)


def test_geocoder_failure_never_loses_the_location(client, provider, monkeypatch):
    def broken(query):
        raise TimeoutError

    monkeypatch.setattr("omzien.activities.geocoding.geocode", broken)
    response = client.post(reverse("activities_staff:location_create"), {
        "street_address": "Dorpsstraat 1", "city": "Omzienstad"})
    assert response.status_code == 302
    assert Location.objects.count() == 1


def test_bad_postcode_is_refused(client, provider):
    response = client.post(reverse("activities_staff:location_create"), {
        "street_address": "Dorpsstraat 1", "city": "Omzienstad", "postcode": "12345"})
    assert response.status_code == 400
    assert "Vul een Nederlandse postcode in" in response.content.decode()


def test_coordinator_sees_all_and_filters_by_organisation_and_flag(client, own):
    login_verified(client, make_staff(Role.COORDINATOR))
    make_activity(own, title="Koffie Oost")
    other = make_organisation(name="Bibliotheek")
    old = make_activity(other, title="Voorlezen")
    Activity.objects.filter(pk=old.pk).update(verified_at="2025-01-01T00:00:00Z")
    listing = reverse("activities_staff:my_activities")
    page = client.get(listing).content.decode()
    assert "Koffie Oost" in page and "Voorlezen" in page
    assert "niet gecontroleerd sinds 1 januari 2025" in page
    page = client.get(listing, {"organisation": own.pk}).content.decode()
    assert "Koffie Oost" in page and "Voorlezen" not in page
    page = client.get(listing, {"flag": "stale"}).content.decode()
    assert "Koffie Oost" not in page and "Voorlezen" in page
    assert client.get(listing, {"organisation": "99999999999999999999"}).status_code == 200


def test_provider_with_two_organisations_chooses_one(client, provider, own):
    second = make_organisation(name="Zangkoor")
    provider.memberships.create(organisation=second, role=Role.PROVIDER)
    login_verified(client, provider)
    page = client.get(reverse("activities_staff:activity_create"))
    assert "Kies de organisatie" in page.content.decode()
    form = client.get(reverse("activities_staff:activity_create"), {"organisatie": second.pk})
    assert form.context["organisation"] == second
    assert client.get(reverse("activities_staff:activity_create"),
                      {"organisatie": "abc"}).status_code == 404


def test_workspace_shows_the_social_map_section(client, provider, own):
    old = make_activity(own)
    Activity.objects.filter(pk=old.pk).update(verified_at="2025-01-01T00:00:00Z")
    page = client.get(reverse("staff:home")).content.decode()
    assert "Sociale kaart" in page
    assert "1 activiteit is lang niet gecontroleerd." in page
