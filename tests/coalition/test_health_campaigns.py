"""Campaigns: the coordinator adds and edits them, everyone in the workspace can read them, and
bad input is refused without saving anything."""

import pytest
from django.urls import reverse
from django.utils import timezone

from omzien.coalition.models import Campaign
from omzien.core.models import AuditEvent, Role
from tests.coalition.health_helpers import make_partner, shows_message


def campaign_data(**overrides):
    data = {
        "title": "Week tegen Eenzaamheid 2026", "starts_on": "2026-09-24",
        "ends_on": "2026-10-01", "is_week_against_loneliness": "on",
        "message": "Een klein gebaar maakt een groot verschil.", "audience": "surroundings",
        "channels": ["poster", "social"], "activities": "Koffie op het plein\nOpen huis\n",
        "people_reached": "350", "results": "Veel nieuwe gezichten.",
    }
    return {**data, **overrides}


@pytest.mark.django_db
def test_coordinator_adds_a_campaign_and_everyone_can_read_it(staff_client, client):
    partner = make_partner("Bibliotheek")
    coordinator, user = staff_client(Role.COORDINATOR)
    response = coordinator.post(reverse("coalition_staff:campaign_create"),
                                campaign_data(partners=[partner.pk]))
    campaign = Campaign.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("coalition_staff:campaign_detail", args=[campaign.pk])
    assert campaign.channels == ["poster", "social"]
    assert list(campaign.partners.all()) == [partner]
    assert campaign.is_week_against_loneliness
    assert AuditEvent.objects.filter(user=user, action=AuditEvent.Action.CREATE,
                                     object_type="coalition.Campaign").exists()

    signaller, _user = staff_client(Role.SIGNALLER)
    detail = signaller.get(reverse("coalition_staff:campaign_detail", args=[campaign.pk]))
    assert detail.status_code == 200
    assert "Koffie op het plein" in detail.text and "Bibliotheek" in detail.text
    assert reverse("coalition_staff:campaign_edit", args=[campaign.pk]) not in detail.text
    listing = signaller.get(reverse("coalition_staff:campaign_list"))
    assert "Week tegen Eenzaamheid 2026" in listing.text


@pytest.mark.django_db
def test_coordinator_edits_a_campaign(staff_client):
    client, _user = staff_client(Role.COORDINATOR)
    client.post(reverse("coalition_staff:campaign_create"), campaign_data())
    campaign = Campaign.objects.get()
    response = client.post(reverse("coalition_staff:campaign_edit", args=[campaign.pk]),
                           campaign_data(people_reached="900", channels=["radio"]))
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert (campaign.people_reached, campaign.channels) == (900, ["radio"])


@pytest.mark.django_db
def test_a_campaign_that_ends_before_it_starts_is_refused(staff_client):
    client, _user = staff_client(Role.COORDINATOR)
    response = client.post(reverse("coalition_staff:campaign_create"),
                           campaign_data(starts_on="2026-10-01", ends_on="2026-09-24"))
    assert response.status_code == 400
    assert shows_message(response, "The end date must be on or after the start date.")
    assert not Campaign.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("overrides, message", [
    ({"channels": ["pigeon"]}, "Choose channels from the list."),
    ({"partners": ["999999"]}, "Choose partners from the list."),
    ({"partners": ["niet-een-nummer"]}, "Choose partners from the list."),
    ({"people_reached": "-5"}, None),
    ({"audience": "martians"}, None),
    ({"message": ""}, None),
])
def test_bad_campaign_input_is_refused(staff_client, overrides, message):
    client, _user = staff_client(Role.COORDINATOR)
    response = client.post(reverse("coalition_staff:campaign_create"), campaign_data(**overrides))
    assert response.status_code == 400
    assert b"omzien-error" in response.content
    if message:
        assert shows_message(response, message)
    assert not Campaign.objects.exists()


@pytest.mark.django_db
def test_an_archived_partner_cannot_be_added_to_a_new_campaign(staff_client):
    gone = make_partner("Vertrokken", archived_at=timezone.now())
    client, _user = staff_client(Role.COORDINATOR)
    response = client.post(reverse("coalition_staff:campaign_create"),
                           campaign_data(partners=[gone.pk]))
    assert response.status_code == 400
    assert not Campaign.objects.exists()


@pytest.mark.django_db
def test_only_the_coordinator_adds_or_edits(staff_client):
    coordinator, _user = staff_client(Role.COORDINATOR)
    coordinator.post(reverse("coalition_staff:campaign_create"), campaign_data())
    campaign = Campaign.objects.get()
    provider, _user = staff_client(Role.PROVIDER)
    assert provider.post(reverse("coalition_staff:campaign_create"),
                         campaign_data(title="Andere")).status_code == 403
    assert provider.post(reverse("coalition_staff:campaign_edit", args=[campaign.pk]),
                         campaign_data(title="Overgenomen")).status_code == 403
    campaign.refresh_from_db()
    assert campaign.title == "Week tegen Eenzaamheid 2026"
    assert Campaign.objects.count() == 1
