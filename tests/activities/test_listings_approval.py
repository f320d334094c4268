"""When the municipality wants it, providers' new activities and changes wait for a
coordinator; the public keeps seeing the approved version meanwhile."""

from datetime import timedelta

import pytest
from django.urls import reverse

from omzien.activities.models import Activity
from omzien.activities.services.listings import approve_changes, propose_changes
from omzien.core.models import Role
from tests.activities.factories import make_activity, make_location, terms
from tests.activities.listings_helpers import activity_data, reload
from tests.conftest import login_verified, make_organisation, make_staff


@pytest.fixture
def own(db):
    return make_organisation(name="Buurtvereniging Oost")


@pytest.fixture
def provider(own):
    return make_staff(Role.PROVIDER, own)


@pytest.fixture
def coordinator(db):
    return make_staff(Role.COORDINATOR)


@pytest.fixture
def approval(settings):
    settings.OMZIEN_ACTIVITY_APPROVAL_REQUIRED = True


def edit_url(activity):
    return reverse("activities_staff:activity_edit", args=[activity.pk])


def test_without_approval_a_providers_activity_is_public_at_once(client, provider, settings):
    settings.OMZIEN_ACTIVITY_APPROVAL_REQUIRED = False
    login_verified(client, provider)
    client.post(reverse("activities_staff:activity_create"), activity_data())
    assert Activity.objects.published().count() == 1


def test_new_activity_waits_until_approved(client, provider, coordinator, approval):
    login_verified(client, provider)
    response = client.post(reverse("activities_staff:activity_create"), activity_data(),
                           follow=True)
    assert "Een coördinator bekijkt haar" in response.content.decode()
    activity = Activity.objects.get()
    assert activity.review_state == Activity.ReviewState.PENDING
    assert not Activity.objects.published().exists()
    assert "nieuw, wacht op goedkeuring" in client.get(
        reverse("activities_staff:my_activities")).content.decode()

    login_verified(client, coordinator)
    review = client.get(reverse("activities_staff:review_list")).content.decode()
    assert "Wandelgroep De Stapper" in review
    client.post(reverse("activities_staff:review_approve", args=[activity.pk]))
    assert Activity.objects.published().get() == activity


def test_changes_wait_and_the_public_sees_the_old_version(client, provider, coordinator,
                                                          approval, own):
    place = make_location(own, name="Buurthuis")
    activity = make_activity(own, title="Koffieochtend", term_codes=["meeting"], cost=0)
    first_start = activity.starts_at
    login_verified(client, provider)
    response = client.post(edit_url(activity), activity_data(
        title="Koffie- en praatochtend", cost="2.50", activity_locations=[place.pk],
        first_date="2027-03-02"), follow=True)
    assert "tot dan toont de sociale kaart de oude versie" in response.content.decode()
    public = reload(activity)
    assert (public.title, public.cost, public.starts_at) == ("Koffieochtend", 0, first_start)
    assert list(public.locations.all()) == []
    assert public.search_terms.filter(term="praatochtend").count() == 0
    assert set(public.pending_changes["fields"]) >= {"title", "cost", "starts_at"}
    assert "wijzigingen wachten op goedkeuring" in client.get(
        reverse("activities_staff:my_activities")).content.decode()

    login_verified(client, coordinator)
    review = client.get(reverse("activities_staff:review_detail", args=[activity.pk]))
    rows = {str(label): (old, new) for label, old, new in review.context["rows"]}
    assert rows["titel"] == ("Koffieochtend", "Koffie- en praatochtend")
    assert rows["kosten in euro"] == ("0.00", "2.50")
    assert rows["locaties"][1].startswith("Buurthuis")
    client.post(reverse("activities_staff:review_approve", args=[activity.pk]))
    approved = reload(activity)
    assert (approved.title, str(approved.cost)) == ("Koffie- en praatochtend", "2.50")
    assert list(approved.locations.all()) == [place]
    assert [term.code for term in approved.terms.all()] == ["exercise"]
    assert approved.pending_changes == {}
    assert approved.search_terms.filter(term__startswith="praat").exists()


def test_rejected_changes_are_dropped(client, provider, coordinator, approval, own):
    activity = make_activity(own, title="Koffieochtend")
    login_verified(client, provider)
    client.post(edit_url(activity), activity_data(title="Iets anders"))
    login_verified(client, coordinator)
    client.post(reverse("activities_staff:review_reject", args=[activity.pk]))
    rejected = reload(activity)
    assert rejected.title == "Koffieochtend" and rejected.pending_changes == {}
    assert rejected.status == Activity.Status.ACTIVE


def test_rejected_new_activity_never_becomes_public(client, provider, coordinator, approval):
    login_verified(client, provider)
    client.post(reverse("activities_staff:activity_create"), activity_data())
    activity = Activity.objects.get()
    login_verified(client, coordinator)
    client.post(reverse("activities_staff:review_reject", args=[activity.pk]))
    assert reload(activity).status == Activity.Status.ENDED
    assert not Activity.objects.published().exists()


def test_coordinators_own_edits_apply_at_once(client, coordinator, approval, own):
    activity = make_activity(own, title="Koffieochtend")
    login_verified(client, coordinator)
    client.post(edit_url(activity), activity_data(title="Koffie door de coördinator"))
    assert reload(activity).title == "Koffie door de coördinator"
    assert reload(activity).pending_changes == {}


def test_provider_cannot_approve(client, provider, approval, own):
    activity = make_activity(own)
    login_verified(client, provider)
    assert client.post(reverse("activities_staff:review_approve",
                               args=[activity.pk])).status_code == 403


def test_imports_propose_changes_the_same_way(own, coordinator):
    """The import part calls propose_changes for updates to approved activities."""
    activity = make_activity(own, title="Koffieochtend", term_codes=["meeting"])
    later = activity.starts_at + timedelta(days=7)
    proposal = propose_changes(activity, {"title": "Koffieochtend (nieuw)", "starts_at": later,
                                          "cost": 0}, terms=terms("culture"))
    assert set(proposal["fields"]) == {"title", "starts_at"}  # cost did not change
    assert proposal["terms"] == [term.pk for term in terms("culture")]
    # A later proposal adds to the earlier one.
    propose_changes(activity, {"schedule_note": "Niet in de zomer"})
    assert set(reload(activity).pending_changes["fields"]) == {"title", "starts_at",
                                                               "schedule_note"}
    approved = approve_changes(activity, coordinator)
    assert approved.title == "Koffieochtend (nieuw)" and approved.starts_at == later
    assert [term.code for term in approved.terms.all()] == ["culture"]


def test_a_proposal_equal_to_the_public_version_is_nothing(own):
    activity = make_activity(own, title="Koffieochtend")
    assert propose_changes(activity, {"title": "Koffieochtend"}) == {}
    assert reload(activity).pending_changes == {}


def test_saving_an_unchanged_activity_proposes_nothing(client, provider, settings):
    login_verified(client, provider)
    client.post(reverse("activities_staff:activity_create"), activity_data())
    activity = Activity.objects.get()
    settings.OMZIEN_ACTIVITY_APPROVAL_REQUIRED = True
    response = client.post(edit_url(activity), activity_data())
    assert response.status_code == 302
    assert reload(activity).pending_changes == {}
