"""The permission matrix of the health pages: every role against every page."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from omzien.coalition.models import Campaign, SurveyRound
from omzien.coalition.urls import health_patterns
from omzien.core.models import Role
from tests.coalition.health_helpers import make_partner
from tests.conftest import login_verified, make_organisation, make_staff

A, C, P, S, K, B = (
    Role.ADMINISTRATOR, Role.COORDINATOR, Role.PROVIDER, Role.SIGNALLER, Role.CONSULTANT,
    Role.POLICY_OFFICER,
)
EVERYONE = set(Role)

# Written out by hand on purpose: it is the specification the permission module must meet.
EXPECTED = {
    "network_health": {C, B},
    "survey_list": EVERYONE,
    "survey_round_create": {C},
    "survey_round_edit": {C},
    "survey_answer": set(),  # only the partner's contact person, whatever the role: see below
    "campaign_list": EVERYONE,
    "campaign_detail": EVERYONE,
    "campaign_create": {C},
    "campaign_edit": {C},
}


def health_url(name, objects):
    kwargs = {}
    if name in {"survey_round_edit"}:
        kwargs = {"pk": objects["round"].pk}
    elif name == "survey_answer":
        kwargs = {"pk": objects["round"].pk, "partner_pk": objects["partner"].pk}
    elif name in {"campaign_detail", "campaign_edit"}:
        kwargs = {"pk": objects["campaign"].pk}
    return reverse(f"coalition_staff:{name}", kwargs=kwargs)


@pytest.fixture
def objects(db):
    today = timezone.localdate()
    return {
        "round": SurveyRound.objects.create(title="Ronde", opens_on=date(2020, 1, 1),
                                            closes_on=today.replace(year=today.year + 1)),
        "partner": make_partner("Partner"),
        "campaign": Campaign.objects.create(title="Campagne", starts_on=date(2026, 9, 24),
                                            ends_on=date(2026, 10, 1), message="Kijk om je heen",
                                            audience="everyone"),
    }


def test_every_health_page_is_in_the_matrix():
    assert {pattern.name for pattern in health_patterns} == set(EXPECTED)


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_role_against_health_page(client, objects, role, name):
    login_verified(client, make_staff(role, make_organisation()))
    response = client.get(health_url(name, objects))
    if role in EXPECTED[name]:
        assert response.status_code == 200
    else:
        assert response.status_code == 403
        assert b"utrecht-heading-1" in response.content


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_anonymous_visitor_is_sent_to_login(client, objects, name):
    response = client.get(health_url(name, objects))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("core:login"))


@pytest.mark.django_db
@pytest.mark.parametrize("role", [S, P, K, A, B])
def test_contact_person_answers_for_their_own_partner_only(client, objects, role):
    user = make_staff(role)
    own = make_partner("Eigen organisatie", contact_user=user)
    login_verified(client, user)
    assert client.get(health_url("survey_answer", {**objects, "partner": own})).status_code == 200
    assert client.get(health_url("survey_answer", objects)).status_code == 403
