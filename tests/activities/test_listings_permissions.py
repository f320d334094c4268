"""The permission matrix of the listing pages: every role against every page. Each user works
for an organisation of their own, so a provider meets another organisation's activity here
(their own is tested in test_listings_pages)."""

import pytest
from django.urls import reverse

from omzien.activities.models import ListingClaim
from omzien.activities.urls import listings_staff
from omzien.core.models import Role
from tests.activities.factories import make_activity, make_location
from tests.activities.listings_helpers import make_imported_activity
from tests.conftest import login_verified, make_organisation, make_staff

A, C, P, S, K, B = (
    Role.ADMINISTRATOR, Role.COORDINATOR, Role.PROVIDER, Role.SIGNALLER, Role.CONSULTANT,
    Role.POLICY_OFFICER,
)

# Written out by hand on purpose: the specification the views must meet.
EXPECTED_GET = {
    "my_activities": {P, C, A},
    "activity_create": {P, C, A},
    "activity_edit": {C, A},
    "activity_verify": {C, A},
    "location_list": {P, C, A},
    "location_create": {P, C, A},
    "location_edit": {C, A},
    "review_list": {C},
    "review_detail": {C},
    "claimable_list": {P},
    "activity_claim": {P},
    "claim_review_list": {C},
}
EXPECTED_POST_ONLY = {
    "activity_pause": {C, A},
    "activity_resume": {C, A},
    "activity_end": {C, A},
    "review_approve": {C},
    "review_reject": {C},
    "claim_grant": {C},
    "claim_refuse": {C},
}


@pytest.fixture
def world(db):
    imported = make_imported_activity()
    claim = ListingClaim.objects.create(
        activity=imported, organisation=make_organisation(),
        requested_by=make_staff(P), message="Van ons",
    )
    return {"activity": make_activity(), "location": make_location(), "imported": imported,
            "claim": claim}


def url_for(name, world):
    if name.startswith("location_edit"):
        target = world["location"]
    elif name == "activity_claim":
        target = world["imported"]
    elif name.startswith("claim_") and name != "claim_review_list":
        target = world["claim"]
    elif name.startswith(("activity_", "review_")) and name not in (
            "activity_create", "review_list"):
        target = world["activity"]
    else:
        return reverse(f"activities_staff:{name}")
    return reverse(f"activities_staff:{name}", args=[target.pk])


def test_every_listing_page_is_in_the_matrix():
    names = {pattern.name for pattern in listings_staff}
    assert names == set(EXPECTED_GET) | set(EXPECTED_POST_ONLY), "add new pages to the matrix"


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("name", sorted(EXPECTED_GET))
def test_role_against_listing_page(client, world, role, name):
    login_verified(client, make_staff(role, make_organisation()))
    response = client.get(url_for(name, world))
    assert response.status_code == (200 if role in EXPECTED_GET[name] else 403)


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("name", sorted(EXPECTED_POST_ONLY))
def test_role_against_listing_action(client, world, role, name):
    login_verified(client, make_staff(role, make_organisation()))
    response = client.post(url_for(name, world))
    assert response.status_code == (302 if role in EXPECTED_POST_ONLY[name] else 403)


@pytest.mark.parametrize("name", sorted(EXPECTED_GET | EXPECTED_POST_ONLY))
def test_anonymous_visitor_is_sent_to_login(client, world, name):
    response = client.get(url_for(name, world))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("core:login"))


@pytest.mark.parametrize("name", sorted(EXPECTED_POST_ONLY))
def test_actions_refuse_get(client, world, name):
    login_verified(client, make_staff(C, make_organisation()))
    assert client.get(url_for(name, world)).status_code == 405


def test_unknown_ids_are_not_found(client, world):
    login_verified(client, make_staff(C, make_organisation()))
    assert client.get(reverse("activities_staff:activity_edit", args=[99999999])).status_code \
        == 404
    assert client.post(reverse("activities_staff:claim_grant", args=[99999999])).status_code \
        == 404
