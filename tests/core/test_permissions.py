"""The permission matrix: every role against every staff page."""

import pytest
from django.urls import reverse

from omzien.core.models import Role
from omzien.core.urls import staff_urlpatterns
from tests.conftest import login_verified, make_organisation, make_staff

A, C, P, S, K, B = (
    Role.ADMINISTRATOR, Role.COORDINATOR, Role.PROVIDER, Role.SIGNALLER, Role.CONSULTANT,
    Role.POLICY_OFFICER,
)
EVERYONE = set(Role)

# Written out by hand on purpose: it is the specification the permission module must meet.
EXPECTED = {
    "home": EVERYONE,
    "organisation_list": EVERYONE,
    "organisation_detail": EVERYONE,
    "organisation_create": {A, C},
    "organisation_edit": {A, C, P},  # P: only its own organisation, see the test below
    "area_list": {A, C, B},
    "area_import": {A},
    "user_list": {A},
    "user_create": {A},
    "user_edit": {A},
    "audit_log": {A},
}


def staff_url(name, organisation, user):
    kwargs = {}
    if name in {"organisation_detail", "organisation_edit"}:
        kwargs = {"pk": organisation.pk}
    elif name == "user_edit":
        kwargs = {"pk": user.pk}
    return reverse(f"staff:{name}", kwargs=kwargs)


def test_every_staff_page_is_in_the_matrix():
    names = {pattern.name for pattern in staff_urlpatterns[0]}
    assert names == set(EXPECTED), "add new staff pages to EXPECTED"


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_role_against_staff_page(client, role, name):
    organisation = make_organisation()
    user = make_staff(role, organisation)
    login_verified(client, user)
    response = client.get(staff_url(name, organisation, user))
    if role in EXPECTED[name]:
        assert response.status_code == 200
    else:
        assert response.status_code == 403
        assert b"utrecht-heading-1" in response.content


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_anonymous_visitor_is_sent_to_login(client, name):
    organisation = make_organisation()
    user = make_staff(Role.ADMINISTRATOR, organisation)
    response = client.get(staff_url(name, organisation, user))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("core:login"))


@pytest.mark.django_db
def test_provider_edits_only_its_own_organisation(client):
    own, other = make_organisation(), make_organisation()
    login_verified(client, make_staff(Role.PROVIDER, own))
    assert client.get(reverse("staff:organisation_edit", kwargs={"pk": own.pk})).status_code == 200
    response = client.post(
        reverse("staff:organisation_edit", kwargs={"pk": other.pk}),
        {"name": "Overgenomen", "sector": "welzijn"},
    )
    assert response.status_code == 403
    other.refresh_from_db()
    assert other.name != "Overgenomen"


@pytest.mark.django_db
def test_inactive_user_has_no_access(client):
    user = make_staff(Role.ADMINISTRATOR)
    login_verified(client, user)
    user.is_active = False
    user.save()
    response = client.get(reverse("staff:home"))
    assert response.status_code == 302
