"""The network health page, the success-factor survey and the campaign pages in a real browser:
no axe-core violations, with enough data that every chart is drawn."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from omzien.coalition.models import Campaign, SurveyResponse, SurveyRound, WorkingGroup
from omzien.core.models import Role
from tests.browser.conftest import axe_check, log_in_with_cookie
from tests.coalition.health_helpers import answer, at, make_meeting, make_partner
from tests.conftest import make_staff

pytestmark = pytest.mark.browser


@pytest.fixture
def world(transactional_db):
    today = timezone.localdate()
    contact = make_staff(Role.PROVIDER, first_name="Petra", last_name="Buurthuis")
    partners = [
        make_partner("Buurthuis De Schakel", "welzijn", joined_on=today - timedelta(days=400),
                     contact_user=contact),
        make_partner("Huisartsenpraktijk Centrum", "zorg", joined_on=today - timedelta(days=200)),
        make_partner("Woningcorporatie Thuisdal", "wonen", joined_on=today - timedelta(days=90)),
        make_partner("Bibliotheek Omzienland met een heel lange naam", "cultuur",
                     joined_on=today - timedelta(days=30)),
    ]
    group = WorkingGroup.objects.create(name="Werkgroep ouderen", focus="ouderen")
    group.members.set(partners[:3])
    last_month = today - timedelta(days=30)
    make_meeting("Coalitieoverleg", at(last_month.year, last_month.month, last_month.day),
                 invited=partners, attended=partners[:3])
    past = SurveyRound.objects.create(title="Voorjaarsronde", opens_on=date(2025, 3, 1),
                                      closes_on=date(2025, 3, 31))
    current = SurveyRound.objects.create(title="Najaarsronde", opens_on=today - timedelta(days=5),
                                         closes_on=today + timedelta(days=20))
    for survey_round, scores in ((past, (3, 2, 2, 3)), (current, (4, 3, 3, 4))):
        for partner in partners[1:]:
            answer(survey_round, partner, *scores)
    campaign = Campaign.objects.create(
        title="Week tegen Eenzaamheid", starts_on=date(2026, 9, 24), ends_on=date(2026, 10, 1),
        is_week_against_loneliness=True, message="Een praatje maakt het verschil.",
        audience=Campaign.Audience.SURROUNDINGS, channels=["poster", "social"],
        activities="Koffie op de markt\nOpen huis", people_reached=1200)
    campaign.partners.set(partners[:2])
    return {
        "coordinator": make_staff(Role.COORDINATOR), "contact": contact,
        "partner": partners[0], "round": current, "campaign": campaign,
    }


def test_network_health_page_is_accessible(page, live_server, client, world):
    log_in_with_cookie(page, live_server, world["coordinator"], client)
    response = page.goto(reverse("coalition_staff:network_health"))
    assert response.status == 200
    assert page.locator("main h1").count() == 1
    # Three charts, each with a name, and the pairs table under the network picture.
    charts = page.locator("main svg[role=img]")
    assert charts.count() == 3
    for index in range(3):
        assert charts.nth(index).get_attribute("aria-labelledby")
    assert page.get_by_role("cell", name="Woningcorporatie Thuisdal").count() >= 1
    axe_check(page)


def test_contact_person_fills_in_the_survey(page, live_server, client, world):
    log_in_with_cookie(page, live_server, world["contact"], client)
    page.goto(reverse("coalition_staff:survey_list"))
    axe_check(page)
    page.get_by_role("link", name="Buurthuis De Schakel").click()
    page.wait_for_load_state()
    assert page.locator("main h1").count() == 1
    axe_check(page)

    # Leaving a factor out gives a clear message, and the page stays accessible.
    page.locator("#id_shared_goal_3").check()
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".omzien-error").count() == 3
    axe_check(page)

    for name, index in (("shared_goal", 3), ("trust", 4), ("size_and_diversity", 2),
                        ("representatives", 4)):
        page.locator(f"#id_{name}_{index}").check()
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.url.endswith(reverse("coalition_staff:survey_list"))
    saved = SurveyResponse.objects.get(round=world["round"], partner=world["partner"])
    assert (saved.shared_goal, saved.trust, saved.size_and_diversity,
            saved.representatives) == (4, 5, 3, 5)


def test_survey_round_form_is_accessible(page, live_server, client, world):
    log_in_with_cookie(page, live_server, world["coordinator"], client)
    page.goto(reverse("coalition_staff:survey_round_create"))
    axe_check(page)
    page.locator("#id_title").fill("Achterstevoren")
    page.locator("#id_opens_on").fill("2026-05-31")
    page.locator("#id_closes_on").fill("2026-05-01")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".omzien-error").count() == 1
    axe_check(page)
    page.goto(reverse("coalition_staff:survey_round_edit", args=[world["round"].pk]))
    axe_check(page)


def test_campaign_pages_are_accessible(page, live_server, client, world):
    log_in_with_cookie(page, live_server, world["coordinator"], client)
    campaign = world["campaign"]
    for url in (reverse("coalition_staff:campaign_list"),
                reverse("coalition_staff:campaign_detail", args=[campaign.pk]),
                reverse("coalition_staff:campaign_edit", args=[campaign.pk]),
                reverse("coalition_staff:campaign_create")):
        response = page.goto(url)
        assert response.status == 200, url
        assert page.locator("main h1").count() == 1
        axe_check(page)

    # On the empty form, a period that ends before it starts is refused, accessibly.
    page.locator("#id_title").fill("Verkeerd om")
    page.locator("#id_starts_on").fill("2026-10-01")
    page.locator("#id_ends_on").fill("2026-09-01")
    page.locator("#id_message").fill("Kijk om je heen.")
    page.locator("#id_audience").select_option("everyone")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".omzien-error").count() == 1
    axe_check(page)
    assert not Campaign.objects.filter(title="Verkeerd om").exists()
