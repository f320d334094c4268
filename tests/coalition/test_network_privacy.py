"""Partners' contact people: who sees their details, and when their rights end."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from omzien.coalition.tasks import send_overdue_action_reminders
from omzien.core.models import Membership, Role
from tests.coalition.network_factories import make_action, make_partner
from tests.conftest import login_verified, make_staff

CONTACT_NAME = "Kees Hoekstra"


@pytest.fixture
def partner(db):
    contact = make_staff(Role.PROVIDER, email="kees@schakel.example")
    return make_partner("Buurthuis De Schakel", contact_user=contact, contact_name=CONTACT_NAME)


@pytest.mark.django_db
@pytest.mark.parametrize("role, sees_contacts", [
    (Role.COORDINATOR, True), (Role.CONSULTANT, True),
    (Role.POLICY_OFFICER, False), (Role.SIGNALLER, False),
])
def test_only_roles_with_two_factor_login_see_contact_people(client, partner, role,
                                                             sees_contacts):
    login_verified(client, make_staff(role))
    for url in (reverse("coalition_staff:partner_list"),
                reverse("coalition_staff:partner_detail", args=[partner.pk])):
        response = client.get(url)
        assert response.status_code == 200
        assert (CONTACT_NAME in response.text) is sees_contacts


@pytest.mark.django_db
def test_a_contact_person_who_left_the_organisation_loses_their_rights(client, partner):
    contact = partner.contact_user
    login_verified(client, contact)
    edit_url = reverse("coalition_staff:partner_edit", args=[partner.pk])
    assert client.get(edit_url).status_code == 200
    Membership.objects.filter(user=contact, organisation=partner.organisation).delete()
    assert client.get(edit_url).status_code == 403


@pytest.mark.django_db(transaction=True)
def test_partners_that_left_get_no_reminders():
    contact = make_staff(Role.PROVIDER, email="oud@partner.example")
    partner = make_partner("Vertrokken partner", contact_user=contact)
    make_action(partner, due_in_days=-5)
    partner.archived_at = timezone.now() - timedelta(days=1)
    partner.save()
    send_overdue_action_reminders.enqueue()
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert mail.outbox == []
