"""The roadmap and the subsidy check in a real browser: the policy officer scores two grant
applications and compares them; the coordinator downloads the plan of approach; every page
passes axe-core."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from omzien.coalition.models import (
    Action,
    Chapter,
    Criterion,
    Experiment,
    Goal,
    GrantApplication,
    Partner,
)
from omzien.coalition.urls import roadmap_patterns
from omzien.core.models import Role
from tests.browser.conftest import axe_check, log_in, log_in_with_cookie
from tests.coalition.test_roadmap_permissions import PAGES
from tests.conftest import make_organisation, make_staff

pytestmark = pytest.mark.browser


@pytest.fixture
def roadmap_world(transactional_db):
    """The chapters and checklist of migration 0002 (a transactional test before this one may
    have flushed them), a partner, and two applications waiting to be scored."""
    seed = importlib.import_module(
        "omzien.coalition.migrations.0002_roadmap_chapters_and_checklist")
    seed.create(apps, None)
    partner = Partner.objects.create(organisation=make_organisation(name="Welzijn Omzienstad"))
    chapter = Chapter.objects.get(code="plan_van_aanpak")
    goal = Goal.objects.create(chapter=chapter, text="Plan vastgesteld door het college")
    action = Action.objects.create(title="Concept plan schrijven", owner=partner,
                                   chapter=chapter, due_date="2026-03-01")
    first = GrantApplication.objects.create(
        title="Samen aan tafel", applicant=make_organisation(name="Stichting Warme Maaltijd"),
        summary="Twee keer per week samen koken en eten.", amount_requested=12500,
    )
    second = GrantApplication.objects.create(
        title="Wandelen met een praatje", applicant=make_organisation(name="De Stappers"),
        summary="Elke week samen wandelen.", amount_requested=2400,
    )
    funded = GrantApplication.objects.create(
        title="Digitaal Café", applicant=partner.organisation, summary="Hulp met de tablet.",
        amount_requested=6200, status=GrantApplication.Status.FUNDED,
    )
    experiment = Experiment.objects.create(application=funded)
    return {"partner": partner, "goal": goal, "action": action, "first": first,
            "second": second, "experiment": experiment,
            "criterion": Criterion.objects.filter(is_active=True).first()}


def score(page, application, values):
    page.goto(reverse("coalition_staff:grant_detail", args=[application.pk]))
    page.get_by_role("link", name="Score this application").or_(
        page.get_by_role("link", name="Deze aanvraag beoordelen")).click()
    page.wait_for_load_state()
    axe_check(page)
    for criterion, value in zip(Criterion.objects.filter(is_active=True), values, strict=True):
        page.locator(f"#id_score_{criterion.pk}_{value}").check()
    page.locator(f"#id_note_{Criterion.objects.filter(is_active=True).first().pk}").fill(
        "Het doel staat er duidelijk in.")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.url.endswith(reverse("coalition_staff:grant_detail", args=[application.pk]))


def test_policy_officer_scores_two_applications_and_compares_them(page, roadmap_world):
    officer = make_staff(Role.POLICY_OFFICER, with_device=False)
    log_in(page, officer)
    count = Criterion.objects.filter(is_active=True).count()
    score(page, roadmap_world["first"], [3] * count)
    axe_check(page)
    score(page, roadmap_world["second"], [1] * count)
    for application in ("first", "second"):
        roadmap_world[application].refresh_from_db()
        assert roadmap_world[application].status == GrantApplication.Status.ASSESSED

    # Choose both on the list and compare them.
    page.goto(reverse("coalition_staff:grant_list"))
    page.locator(f"#compare-{roadmap_world['first'].pk}").check()
    page.locator(f"#compare-{roadmap_world['second'].pk}").check()
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()
    totals = page.locator("#comparison tfoot td[data-total]").all_inner_texts()
    maximum = 3 * count
    assert [text.split(" (")[0] for text in totals] == [f"{maximum} / {maximum}",
                                                         f"{count} / {maximum}"]
    headers = page.locator("#comparison thead th").all_inner_texts()
    assert "Samen aan tafel" in headers[1] and "Wandelen met een praatje" in headers[2]
    axe_check(page)


def test_coordinator_downloads_the_plan_of_approach(page, roadmap_world):
    coordinator = make_staff(Role.COORDINATOR)
    log_in(page, coordinator)
    page.goto(reverse("coalition_staff:roadmap"))
    axe_check(page)
    with page.expect_download() as download_info:
        page.locator(f"a[href='{reverse('coalition_staff:roadmap_plan_pdf')}']").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    response = page.request.get(reverse("coalition_staff:roadmap_plan_pdf"))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")


def page_args(name, world):
    pk_of = {
        "roadmap_goal_edit": world["goal"], "roadmap_action_edit": world["action"],
        "grant_detail": world["first"], "grant_edit": world["first"],
        "grant_assess": world["first"], "criterion_edit": world["criterion"],
        "experiment_detail": world["experiment"], "experiment_findings": world["experiment"],
    }
    if name.startswith("roadmap_") and name not in pk_of:
        return ["sterk_netwerk"]
    return [pk_of[name].pk] if name in pk_of else []


GET_PAGES = [pattern.name for pattern in roadmap_patterns
             if pattern.name in PAGES and pattern.name != "roadmap_plan_pdf"]


@pytest.mark.parametrize("name", GET_PAGES)
def test_roadmap_page_is_accessible(page, live_server, client, roadmap_world, name):
    role = Role.COORDINATOR if Role.COORDINATOR in PAGES[name] else Role.POLICY_OFFICER
    log_in_with_cookie(page, live_server, make_staff(role), client)
    response = page.goto(reverse(f"coalition_staff:{name}", args=page_args(name, roadmap_world)))
    assert response.status == 200, f"{name} answered {response.status}"
    assert page.locator("main h1").count() == 1
    axe_check(page)


@pytest.mark.parametrize(("role", "name", "button"), [
    (Role.POLICY_OFFICER, "grant_assess", "main form button[type=submit]"),
    (Role.POLICY_OFFICER, "experiment_detail", "main form button[type=submit]"),
    (Role.COORDINATOR, "roadmap_action_create", "main form button[type=submit]"),
    (Role.POLICY_OFFICER, "grant_create", "main form button[type=submit]"),
])
def test_form_with_errors_is_accessible(page, live_server, client, roadmap_world, role, name,
                                        button):
    log_in_with_cookie(page, live_server, make_staff(role), client)
    page.goto(reverse(f"coalition_staff:{name}", args=page_args(name, roadmap_world)))
    if name == "grant_assess":  # a note without a score
        page.locator(f"#id_note_{roadmap_world['criterion'].pk}").fill("Zonder score")
    if name == "experiment_detail":  # stopping without a reason
        page.locator("#id_stage").select_option("stopped")
    page.locator(button).last.click()
    page.wait_for_load_state()
    assert page.locator("[role=alert]").first.is_visible()
    axe_check(page)
