"""An organisation claims an imported listing nobody keeps current; a coordinator grants or
refuses; granting moves it to the organisation and out of the import."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from omzien.activities.models import Activity, ListingClaim
from omzien.core.models import Role
from tests.activities.factories import make_activity
from tests.activities.listings_helpers import make_imported_activity, reload
from tests.conftest import login_verified, make_organisation, make_staff


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def claim_url(activity):
    return reverse("activities_staff:activity_claim", args=[activity.pk])


@pytest.mark.django_db(transaction=True)  # the worker closes its connection after the batch
def test_claim_granted_moves_the_listing_and_mails_the_claimer(client):
    listing = make_imported_activity(title="Repair Café")
    own = make_organisation(name="Repair Café Omzienstad")
    kees = make_staff(Role.PROVIDER, own, email="kees@repair.example")
    coordinator = make_staff(Role.COORDINATOR)

    login_verified(client, kees)
    page = client.get(reverse("activities_staff:claimable_list")).content.decode()
    assert "Repair Café" in page
    response = client.post(claim_url(listing), {"organisation": own.pk,
                                                "message": "Dit is ons maandelijkse café."})
    assert response.status_code == 302
    claim = ListingClaim.objects.get()
    assert (claim.organisation, claim.requested_by, claim.state) == (own, kees, "open")

    login_verified(client, coordinator)
    review = client.get(reverse("activities_staff:claim_review_list")).content.decode()
    assert "Dit is ons maandelijkse café." in review
    client.post(reverse("activities_staff:claim_grant", args=[claim.pk]))
    moved = reload(listing)
    assert moved.organisation == own
    assert moved.source is None and moved.source_key == ""
    assert reload_claim(claim).state == ListingClaim.State.GRANTED
    assert mail.outbox == []  # sent by the worker, not during the request
    run_worker()
    [message] = mail.outbox
    assert message.to == ["kees@repair.example"]
    assert "toegekend" in message.subject and "Repair Café" in message.body

    # Now it is theirs to manage, and no longer claimable.
    login_verified(client, kees)
    assert client.get(reverse("activities_staff:activity_edit",
                              args=[listing.pk])).status_code == 200
    assert client.get(claim_url(listing)).status_code == 404


def reload_claim(claim):
    return ListingClaim.objects.get(pk=claim.pk)


@pytest.mark.django_db(transaction=True)
def test_refused_claim_changes_nothing_and_tells_the_claimer(client):
    listing = make_imported_activity()
    own = make_organisation()
    claimer = make_staff(Role.PROVIDER, own, email="claimer@example.org")
    login_verified(client, claimer)
    client.post(claim_url(listing), {"organisation": own.pk, "message": ""})
    login_verified(client, make_staff(Role.COORDINATOR))
    claim = ListingClaim.objects.get()
    client.post(reverse("activities_staff:claim_refuse", args=[claim.pk]))
    assert reload(listing).organisation != own and reload(listing).source is not None
    # Deciding twice does nothing more.
    client.post(reverse("activities_staff:claim_grant", args=[claim.pk]))
    assert reload_claim(claim).state == ListingClaim.State.REFUSED
    run_worker()
    [message] = mail.outbox
    assert "geweigerd" in message.subject


@pytest.mark.django_db
def test_only_imported_listings_without_providers_can_be_claimed(client):
    own = make_organisation()
    login_verified(client, make_staff(Role.PROVIDER, own))
    ordinary = make_activity(make_organisation())
    cared_for = make_imported_activity(organisation=make_organisation(name="Met beheerder"))
    make_staff(Role.PROVIDER, cared_for.organisation)
    ended = make_imported_activity(status=Activity.Status.ENDED)
    for activity in (ordinary, cared_for, ended):
        assert client.get(claim_url(activity)).status_code == 404
    assert "Met beheerder" not in client.get(
        reverse("activities_staff:claimable_list")).content.decode()


@pytest.mark.django_db
def test_claim_on_behalf_of_someone_elses_organisation_is_refused(client):
    listing = make_imported_activity()
    own = make_organisation()
    login_verified(client, make_staff(Role.PROVIDER, own))
    response = client.post(claim_url(listing), {"organisation": make_organisation().pk})
    assert response.status_code == 400
    assert not ListingClaim.objects.exists()


@pytest.mark.django_db
def test_granting_one_claim_refuses_the_others(client):
    listing = make_imported_activity()
    first, second = make_organisation(), make_organisation()
    for organisation in (first, second):
        login_verified(client, make_staff(Role.PROVIDER, organisation))
        client.post(claim_url(listing), {"organisation": organisation.pk})
    login_verified(client, make_staff(Role.COORDINATOR))
    winner = ListingClaim.objects.get(organisation=first)
    client.post(reverse("activities_staff:claim_grant", args=[winner.pk]))
    assert ListingClaim.objects.get(organisation=second).state == ListingClaim.State.REFUSED
