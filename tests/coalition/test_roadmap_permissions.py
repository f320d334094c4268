"""The permission matrix of the roadmap, grant and experiment pages: every role against every
page. Coordinators keep the roadmap; policy officers assess grants; both can look."""

import pytest
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
from tests.conftest import login_verified, make_organisation, make_staff

pytestmark = pytest.mark.django_db

A, C, P, S, K, B = (
    Role.ADMINISTRATOR, Role.COORDINATOR, Role.PROVIDER, Role.SIGNALLER, Role.CONSULTANT,
    Role.POLICY_OFFICER,
)

# Written out by hand on purpose: it is the specification the permission module must meet.
PAGES = {
    "roadmap": {C, B},
    "roadmap_chapter": {C, B},
    "roadmap_chapter_edit": {C},
    "roadmap_goal_create": {C},
    "roadmap_goal_edit": {C},
    "roadmap_action_create": {C},
    "roadmap_action_edit": {C},
    "roadmap_plan_pdf": {C, B},
    "grant_list": {C, B},
    "grant_create": {B},
    "grant_compare": {C, B},
    "grant_detail": {C, B},
    "grant_edit": {B},
    "grant_assess": {B},
    "criterion_list": {C, B},
    "criterion_create": {B},
    "criterion_edit": {B},
    "experiment_list": {C, B},
    "experiment_detail": {C, B},
    "experiment_findings": {B},
}
# Pages that only take a POST (a button on another page).
POST_ONLY = {
    "roadmap_goal_achieved": {C},
    "grant_decide": {B},
    "criterion_move": {B},
    "criterion_delete": {B},
    "experiment_stage": {B},
}


@pytest.fixture
def objects():
    partner = Partner.objects.create(organisation=make_organisation())
    goal = Goal.objects.create(chapter=Chapter.objects.get(code="verkenning"), text="Een doel")
    action = Action.objects.create(title="Een actie", owner=partner, chapter=goal.chapter,
                                   due_date="2026-01-01")
    application = GrantApplication.objects.create(
        title="Aanvraag", applicant=partner.organisation, summary="…", amount_requested=10,
    )
    funded = GrantApplication.objects.create(
        title="Gefinancierd", applicant=partner.organisation, summary="…", amount_requested=10,
        status=GrantApplication.Status.FUNDED,
    )
    criterion = Criterion.objects.create(question="Nieuwe vraag", position=99)
    return {
        "roadmap_chapter": ["verkenning"], "roadmap_chapter_edit": ["verkenning"],
        "roadmap_goal_create": ["verkenning"], "roadmap_action_create": ["verkenning"],
        "roadmap_goal_edit": [goal.pk], "roadmap_goal_achieved": [goal.pk],
        "roadmap_action_edit": [action.pk],
        "grant_detail": [application.pk], "grant_edit": [application.pk],
        "grant_assess": [application.pk], "grant_decide": [application.pk],
        "criterion_edit": [criterion.pk], "criterion_move": [criterion.pk],
        "criterion_delete": [criterion.pk],
        "experiment_detail": [Experiment.objects.create(application=funded).pk],
        "experiment_stage": [funded.experiment.pk], "experiment_findings": [funded.experiment.pk],
    }


def page_url(name, objects):
    return reverse(f"coalition_staff:{name}", args=objects.get(name, []))


def test_every_roadmap_page_is_in_the_matrix():
    names = {pattern.name for pattern in roadmap_patterns}
    assert names == set(PAGES) | set(POST_ONLY), "add new pages to PAGES or POST_ONLY"


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("name", sorted(PAGES))
def test_role_against_page(client, objects, role, name):
    login_verified(client, make_staff(role))
    response = client.get(page_url(name, objects))
    assert response.status_code == (200 if role in PAGES[name] else 403)


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("name", sorted(POST_ONLY))
def test_role_against_button(client, objects, role, name):
    login_verified(client, make_staff(role))
    response = client.post(page_url(name, objects), {
        "achieved": "1", "status": "rejected", "direction": "up", "stage": "evaluated",
    })
    if role in POST_ONLY[name]:
        assert response.status_code in {302, 400}
    else:
        assert response.status_code == 403


def test_refused_buttons_change_nothing(client, objects):
    login_verified(client, make_staff(C))  # the coordinator may look at grants, not decide
    client.post(page_url("criterion_delete", objects))
    client.post(page_url("experiment_stage", objects), {"stage": "evaluated"})
    assert Criterion.objects.filter(question="Nieuwe vraag").exists()
    assert Experiment.objects.get().stage == Experiment.Stage.FUNDED
    login_verified(client, make_staff(B))  # the policy officer may not change the roadmap
    client.post(page_url("roadmap_goal_achieved", objects), {"achieved": "1"})
    assert not Goal.objects.get().achieved


@pytest.mark.parametrize("name", sorted(PAGES))
def test_anonymous_visitor_is_sent_to_login(client, objects, name):
    response = client.get(page_url(name, objects))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("core:login"))
