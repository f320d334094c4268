"""The demo survey rounds and campaigns, built on the demo region and the network demo."""

import random

import pytest
from django.urls import reverse

from omzien.coalition import queries
from omzien.coalition.demo import build_health_demo, build_network_demo
from omzien.coalition.models import Campaign, SurveyResponse, SurveyRound
from omzien.core.demo import DEMO_REFERENCE_DATE, DEMO_SEED, build_demo_region
from omzien.core.models import User
from tests.conftest import login_verified


def build_all():
    region = build_demo_region()
    build_network_demo(region, random.Random(DEMO_SEED))
    return build_health_demo(random.Random(DEMO_SEED))


@pytest.mark.django_db
def test_demo_has_two_past_rounds_one_open_round_and_two_campaigns():
    build_all()
    rounds = list(SurveyRound.objects.order_by("opens_on"))
    assert len(rounds) == 3
    assert [queries.survey_round_is_open(r, DEMO_REFERENCE_DATE) for r in rounds] == [
        False, False, True]
    trend = queries.survey_trend()
    assert [r.enough_responses for r in trend] == [True, True, False]
    assert all(1 <= average <= 5 for r in trend[:2] for average in r.averages)
    week = Campaign.objects.get(is_week_against_loneliness=True)
    assert week.partners.count() >= 3
    assert Campaign.objects.count() == 2


@pytest.mark.django_db
def test_running_the_demo_twice_duplicates_nothing():
    build_all()
    counts = (SurveyRound.objects.count(), SurveyResponse.objects.count(),
              Campaign.objects.count())
    scores = list(SurveyResponse.objects.order_by("pk").values_list("trust", flat=True))
    build_all()
    assert (SurveyRound.objects.count(), SurveyResponse.objects.count(),
            Campaign.objects.count()) == counts
    assert list(SurveyResponse.objects.order_by("pk").values_list("trust", flat=True)) == scores


@pytest.mark.django_db
def test_demo_network_health_page_renders(client):
    build_all()
    coordinator = User.objects.filter(memberships__role="coordinator").first()
    login_verified(client, coordinator)
    response = client.get(reverse("coalition_staff:network_health"))
    assert response.status_code == 200
    assert "Najaarsronde 2025" in response.text
