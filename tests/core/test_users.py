"""Administrators manage staff accounts and their roles; new staff get an invitation mail."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from omzien.core.models import Membership, Role, User
from tests.conftest import login_verified, make_organisation, make_staff

pytestmark = pytest.mark.django_db


def new_user_data(organisation, role="consultant", **overrides):
    data = {
        "username": "j.jansen", "first_name": "Joke", "last_name": "Jansen",
        "email": "j.jansen@welzijn.example", "is_active": "on",
        "roles-TOTAL_FORMS": "2", "roles-INITIAL_FORMS": "0",
        "roles-MIN_NUM_FORMS": "0", "roles-MAX_NUM_FORMS": "1000",
        "roles-0-organisation": str(organisation.pk), "roles-0-role": role,
    }
    return {**data, **overrides}


@pytest.mark.django_db(transaction=True)  # the worker closes its connection after the batch
def test_administrator_creates_a_consultant_who_is_invited_by_mail(client):
    organisation = make_organisation(name="Welzijn Omzienstad")
    login_verified(client, make_staff(Role.ADMINISTRATOR))
    response = client.post(reverse("staff:user_create"), new_user_data(organisation))
    assert response.status_code == 302
    user = User.objects.get(username="j.jansen")
    assert user.roles == {Role.CONSULTANT}
    assert not user.has_usable_password()
    # The mail is sent by the task worker, not during the request.
    assert mail.outbox == []
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    [message] = mail.outbox
    assert message.to == ["j.jansen@welzijn.example"]
    assert "/wachtwoord/" in message.body


def test_unknown_role_is_refused_and_no_account_is_made(client):
    organisation = make_organisation()
    login_verified(client, make_staff(Role.ADMINISTRATOR))
    response = client.post(reverse("staff:user_create"), new_user_data(organisation, role="koning"))
    assert response.status_code == 400
    assert b"omzien-error" in response.content
    assert not User.objects.filter(username="j.jansen").exists()


def test_broken_role_form_data_gives_a_message_not_an_error(client):
    organisation = make_organisation()
    login_verified(client, make_staff(Role.ADMINISTRATOR))
    data = new_user_data(organisation, **{"roles-TOTAL_FORMS": "x"})
    response = client.post(reverse("staff:user_create"), data)
    assert response.status_code == 400
    assert not User.objects.filter(username="j.jansen").exists()


def test_administrator_removes_a_role(client):
    organisation = make_organisation()
    staff = make_staff(Role.PROVIDER, organisation)
    membership = staff.memberships.get()
    login_verified(client, make_staff(Role.ADMINISTRATOR))
    data = new_user_data(organisation, username=staff.username, email=staff.email, **{
        "roles-TOTAL_FORMS": "1", "roles-INITIAL_FORMS": "1",
        "roles-0-id": str(membership.pk), "roles-0-user": str(staff.pk),
        "roles-0-role": "provider", "roles-0-DELETE": "on",
    })
    response = client.post(reverse("staff:user_edit", kwargs={"pk": staff.pk}), data)
    assert response.status_code == 302
    assert not Membership.objects.filter(user=staff).exists()
