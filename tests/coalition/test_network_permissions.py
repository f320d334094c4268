"""The permission matrix of the network pages: every role against every page."""

import pytest
from django.urls import reverse

from omzien.coalition.urls import network_patterns
from omzien.core.models import Role
from tests.coalition.network_factories import make_action, make_group, make_meeting, make_partner
from tests.conftest import login_verified, make_organisation, make_staff

A, C, P, S, K, B = (
    Role.ADMINISTRATOR, Role.COORDINATOR, Role.PROVIDER, Role.SIGNALLER, Role.CONSULTANT,
    Role.POLICY_OFFICER,
)
EVERYONE = set(Role)

# Written out by hand on purpose: the specification the permission module must meet. The
# contact person of a partner may also edit that partner and its action items' status, see the
# tests below; that right comes from the record, not from a role.
EXPECTED_GET = {
    "partner_list": EVERYONE,
    "partner_detail": EVERYONE,
    "partner_create": {C},
    "partner_edit": {C},
    "working_group_list": EVERYONE,
    "working_group_detail": EVERYONE,
    "working_group_create": {C},
    "working_group_edit": {C},
    "meeting_list": EVERYONE,
    "meeting_detail": EVERYONE,
    "meeting_print": EVERYONE,
    "meeting_create": {C},
    "meeting_edit": {C},
    "decision_create": {C},
    "action_create": {C},
    "action_list": EVERYONE,
    "action_export": EVERYONE,
    "action_edit": {C},
}
EXPECTED_POST_ONLY = {
    "partner_archive": {C},
    "partner_unarchive": {C},
}


@pytest.fixture
def world(db):
    partner = make_partner()
    group = make_group(partner)
    meeting = make_meeting(group)
    action = make_action(partner, meeting)
    return {"partner": partner, "group": group, "meeting": meeting, "action": action}


def url_for(name, world):
    objects = {"partner": world["partner"], "working_group": world["group"],
               "meeting": world["meeting"], "decision": world["meeting"],
               "action": world["action"]}
    prefix = name.rsplit("_", 1)[0]
    needs_object = name.endswith(("_detail", "_edit", "_print", "_archive", "_unarchive")) or (
        name in {"decision_create", "action_create"}
    )
    if not needs_object:
        return reverse(f"coalition_staff:{name}")
    target = world["meeting"] if name in {"decision_create", "action_create"} else objects[prefix]
    return reverse(f"coalition_staff:{name}", args=[target.pk])


def test_every_network_page_is_in_the_matrix():
    names = {pattern.name for pattern in network_patterns}
    assert names == set(EXPECTED_GET) | set(EXPECTED_POST_ONLY), "add new pages to the matrix"


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("name", sorted(EXPECTED_GET))
def test_role_against_network_page(client, world, role, name):
    login_verified(client, make_staff(role, make_organisation()))
    response = client.get(url_for(name, world))
    assert response.status_code == (200 if role in EXPECTED_GET[name] else 403)


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("name", sorted(EXPECTED_POST_ONLY))
def test_role_against_network_action(client, world, role, name):
    login_verified(client, make_staff(role, make_organisation()))
    response = client.post(url_for(name, world))
    assert response.status_code == (302 if role in EXPECTED_POST_ONLY[name] else 403)


@pytest.mark.parametrize("name", sorted(EXPECTED_GET | EXPECTED_POST_ONLY))
def test_anonymous_visitor_is_sent_to_login(client, world, name):
    response = client.get(url_for(name, world))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("core:login"))


@pytest.mark.django_db
@pytest.mark.parametrize("role", [S, K, P, B, A])
def test_contact_person_of_any_role_edits_their_own_partner_and_action_status(client, role):
    organisation = make_organisation()
    contact = make_staff(role, organisation)
    own = make_partner(contact_user=contact)
    other = make_partner()
    own_action = make_action(own, make_meeting())
    other_action = make_action(other, make_meeting())
    login_verified(client, contact)
    assert client.get(reverse("coalition_staff:partner_edit", args=[own.pk])).status_code == 200
    assert client.get(reverse("coalition_staff:partner_edit", args=[other.pk])).status_code == 403
    assert client.get(reverse("coalition_staff:action_edit",
                              args=[own_action.pk])).status_code == 200
    assert client.get(reverse("coalition_staff:action_edit",
                              args=[other_action.pk])).status_code == 403
    # Archiving stays with the coordinator, also for the own record.
    assert client.post(reverse("coalition_staff:partner_archive",
                               args=[own.pk])).status_code == 403


def test_public_partner_page_is_open_to_everyone(client, db):
    assert client.get(reverse("coalition:partner_list")).status_code == 200
