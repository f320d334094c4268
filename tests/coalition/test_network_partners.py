"""Partners: the coordinator adds, edits and archives them; a contact person keeps their own
record current; the public page lists the current partners without personal data."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from omzien.coalition.models import Contribution, Partner
from omzien.core.models import AuditEvent, Membership, Organisation, Role
from tests.coalition.network_factories import make_action, make_meeting, make_partner
from tests.conftest import login_verified, make_organisation, make_staff

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def partner_data(organisation=None, **overrides):
    data = {
        "commitment_text": "Wij letten op wie er alleen voor staat.",
        "commitment_signed_on": "2026-03-01",
        "contact_name": "Anouk Smit", "contact_email": "anouk@buurthuis.example",
        "contact_phone": "0000-123456",
        "attention_officer_name": "Bram de Vries",
        "attention_officer_email": "bram@buurthuis.example",
        "contributions": [Contribution.PREMISES, Contribution.VOLUNTEERS],
        "contribution_notes": "Zaal op dinsdagavond.",
    }
    if organisation is not None:
        data["organisation"] = str(organisation.pk)
    return {**data, **overrides}


@pytest.fixture
def coordinator(client):
    user = make_staff(Role.COORDINATOR)
    login_verified(client, user)
    return user


def test_coordinator_adds_a_partner_with_a_commitment(client, coordinator):
    buurthuis = make_organisation(name="Buurthuis De Schakel")
    contact = make_staff(Role.PROVIDER, buurthuis, first_name="Kees", last_name="Hoekstra")
    response = client.post(reverse("coalition_staff:partner_create"),
                           partner_data(buurthuis, contact_user=str(contact.pk)))
    partner = Partner.objects.get(organisation=buurthuis)
    assert response.status_code == 302
    assert response["Location"] == reverse("coalition_staff:partner_detail", args=[partner.pk])
    assert partner.contact_user == contact
    assert partner.commitment_signed_on.isoformat() == "2026-03-01"
    assert partner.get_contributions_display() == [
        Contribution.PREMISES.label, Contribution.VOLUNTEERS.label,
    ]
    assert AuditEvent.objects.filter(action=AuditEvent.Action.CREATE,
                                     object_type="coalition.Partner",
                                     object_id=str(partner.pk), user=coordinator).exists()
    detail = client.get(response["Location"]).content.decode()
    assert "Wij letten op wie er alleen voor staat." in detail
    assert "Kees Hoekstra" in detail


def test_an_organisation_can_be_a_partner_only_once(client, coordinator):
    existing = make_partner(name="Bibliotheek")
    form_page = client.get(reverse("coalition_staff:partner_create")).content.decode()
    assert f'value="{existing.organisation.pk}"' not in form_page
    response = client.post(reverse("coalition_staff:partner_create"),
                           partner_data(existing.organisation), **EN)
    assert response.status_code == 400
    assert "Choose an organisation that is not a partner yet." in response.content.decode()
    assert Partner.objects.count() == 1


@pytest.mark.parametrize(("overrides", "field", "message"), [
    ({"commitment_signed_on": "2999-01-01"}, "commitment_signed_on",
     "The date of signing cannot be in the future."),
    ({"commitment_signed_on": "31-02-2026"}, "commitment_signed_on", "Enter a valid date."),
    ({"contributions": ["gold"]}, "contributions", "Select a valid choice."),
    ({"contact_email": "geen-adres"}, "contact_email", "Enter a valid email address."),
])
def test_bad_partner_input_is_refused_with_a_message(client, coordinator, overrides, field,
                                                     message):
    organisation = make_organisation()
    response = client.post(reverse("coalition_staff:partner_create"),
                           partner_data(organisation, **overrides), **EN)
    assert response.status_code == 400
    assert message in str(response.context["form"].errors[field])
    assert not Partner.objects.exists()


def test_contact_person_must_work_for_the_organisation(client, coordinator):
    organisation = make_organisation(name="Zorgcentrum De Linde")
    outsider = make_staff(Role.PROVIDER, first_name="Piet", last_name="Elders")
    response = client.post(reverse("coalition_staff:partner_create"),
                           partner_data(organisation, contact_user=str(outsider.pk)), **EN)
    assert response.status_code == 400
    assert "Piet Elders does not work for Zorgcentrum De Linde." in response.content.decode()
    assert not Partner.objects.exists()


def test_contact_person_edits_their_own_partner_record_only(client):
    own_org = make_organisation(name="Buurthuis")
    contact = make_staff(Role.SIGNALLER, own_org)
    own = Partner.objects.create(organisation=own_org, contact_user=contact)
    other = make_partner(name="Bibliotheek")
    login_verified(client, contact)

    response = client.post(reverse("coalition_staff:partner_edit", args=[own.pk]),
                           partner_data(commitment_text="Wij openen ook op zondag."))
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.commitment_text == "Wij openen ook op zondag."

    response = client.post(reverse("coalition_staff:partner_edit", args=[other.pk]),
                           partner_data(commitment_text="Overgenomen"))
    assert response.status_code == 403
    other.refresh_from_db()
    assert other.commitment_text != "Overgenomen"


def test_contact_person_cannot_hand_their_record_to_someone_else(client):
    organisation = make_organisation()
    contact = make_staff(Role.PROVIDER, organisation)
    colleague = make_staff(Role.PROVIDER, organisation)
    partner = Partner.objects.create(organisation=organisation, contact_user=contact)
    login_verified(client, contact)
    page = client.get(reverse("coalition_staff:partner_edit", args=[partner.pk]))
    assert "contact_user" not in page.context["form"].fields
    client.post(reverse("coalition_staff:partner_edit", args=[partner.pk]),
                partner_data(contact_user=str(colleague.pk)))
    partner.refresh_from_db()
    assert partner.contact_user == contact


def test_coordinator_archives_a_partner_with_history_and_brings_it_back(client, coordinator):
    partner = make_partner(name="Rouwcafé")
    make_action(partner, make_meeting())
    response = client.post(reverse("coalition_staff:partner_archive", args=[partner.pk]))
    assert response.status_code == 302
    partner.refresh_from_db()
    assert partner.archived_at is not None
    assert partner.actions.count() == 1  # nothing removed
    link = reverse("coalition_staff:partner_detail", args=[partner.pk])
    current = client.get(reverse("coalition_staff:partner_list")).content.decode()
    archived = client.get(reverse("coalition_staff:partner_list") + "?show=archived")
    assert link not in current
    assert link in archived.content.decode()

    client.post(reverse("coalition_staff:partner_unarchive", args=[partner.pk]))
    partner.refresh_from_db()
    assert partner.archived_at is None
    assert AuditEvent.objects.filter(object_id=str(partner.pk),
                                     action=AuditEvent.Action.UPDATE).count() == 2


def test_archiving_needs_a_post(client, coordinator):
    partner = make_partner()
    response = client.get(reverse("coalition_staff:partner_archive", args=[partner.pk]))
    assert response.status_code == 405
    partner.refresh_from_db()
    assert partner.archived_at is None


def test_public_page_lists_current_partners_by_sector_without_personal_data(client):
    contact = make_staff(Role.PROVIDER, first_name="Kees", last_name="Hoekstra",
                         email="kees@schakel.example")
    welfare = Partner.objects.create(
        organisation=make_organisation(name="Buurthuis De Schakel",
                                       website="https://www.schakel.example/",
                                       phone="0000-111111"),
        commitment_text="Koffie en een praatje voor iedereen.",
        commitment_signed_on=timezone.localdate() - timedelta(days=30),
        contact_user=contact, contact_name="Kees Hoekstra", contact_email="kees@schakel.example",
        contact_phone="06-12345678", attention_officer_name="Bram de Vries",
        attention_officer_email="bram@schakel.example",
    )
    Partner.objects.create(organisation=make_organisation(name="Sportclub Vooruit",
                                                          sector=Organisation.Sector.SPORT),
                           commitment_text="Iedereen doet mee.")
    Partner.objects.create(organisation=make_organisation(name="Oud Partner"),
                           archived_at=timezone.now())

    response = client.get(reverse("coalition:partner_list"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Buurthuis De Schakel" in page
    assert "Koffie en een praatje voor iedereen." in page
    assert "https://www.schakel.example/" in page
    assert "0000-111111" in page
    assert "Sportclub Vooruit" in page
    assert "Oud Partner" not in page
    for personal in ("Kees", "Hoekstra", "kees@schakel.example", "06-12345678", "Bram",
                     "bram@schakel.example"):
        assert personal not in page
    assert str(welfare.commitment_signed_on.year) in page

    sport_only = client.get(reverse("coalition:partner_list") + "?sector=sport")
    assert "Sportclub Vooruit" in sport_only.content.decode()
    assert "Buurthuis De Schakel" not in sport_only.content.decode()
    # An unknown sector shows everyone rather than an error.
    assert client.get(reverse("coalition:partner_list") + "?sector=<x>").status_code == 200


def test_public_page_needs_no_login_and_ignores_partner_edit_rights(client):
    assert client.get(reverse("coalition:partner_list")).status_code == 200


def test_only_organisation_members_are_offered_as_contact_on_a_later_edit(client, coordinator):
    organisation = make_organisation()
    partner = Partner.objects.create(organisation=organisation)
    member = make_staff(Role.CONSULTANT, organisation)
    response = client.post(reverse("coalition_staff:partner_edit", args=[partner.pk]),
                           partner_data(contact_user=str(member.pk)))
    assert response.status_code == 302
    partner.refresh_from_db()
    assert partner.contact_user == member
    assert Membership.objects.filter(user=member, organisation=organisation).exists()
