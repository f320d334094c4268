"""The roadmap: nine chapters in two parts, each with its explanation, goals, actions and notes;
and the plan of approach as a PDF."""

import io
import re
import urllib.request

import pytest
from django.conf import settings
from django.urls import reverse
from pypdf import PdfReader

from omzien.coalition.models import Action, Chapter, Goal, Meeting, Partner, WorkingGroup
from omzien.coalition.roadmap_texts import EXPLANATIONS
from omzien.core.models import AuditEvent, Organisation, Role
from tests.conftest import make_organisation

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
ORGANISE = ["verkenning", "plan_van_aanpak", "commitment", "sterk_netwerk", "monitoren"]
ACT = ["bewustwording", "preventie", "signaleren", "ondersteunen"]


@pytest.fixture
def coordinator(staff_client):
    client, _user = staff_client(Role.COORDINATOR)
    return client


def url(name, *args):
    return reverse(f"coalition_staff:{name}", args=args)


def make_partner(name, sector=Organisation.Sector.WELFARE):
    return Partner.objects.create(organisation=make_organisation(name=name, sector=sector))


def pdf_text(content):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_nine_chapters_in_their_two_parts():
    assert list(Chapter.objects.filter(part="organise").values_list("code", flat=True)) == \
        ORGANISE
    assert list(Chapter.objects.filter(part="act").values_list("code", flat=True)) == ACT


@pytest.mark.parametrize("code", ORGANISE + ACT)
def test_every_chapter_has_a_short_explanation(code):
    sentences = [s for s in re.split(r"(?<=[.!?:;])\s+", str(EXPLANATIONS[code])) if s]
    assert 3 <= len(sentences) <= 6


def test_overview_shows_both_parts_and_every_chapter(coordinator):
    page = coordinator.get(url("roadmap"), **EN).content.decode()
    assert "How to organise it" in page and "What you can do" in page
    for code in ORGANISE + ACT:
        assert url("roadmap_chapter", code) in page


def test_chapter_page_explains_the_chapter(coordinator):
    page = coordinator.get(url("roadmap_chapter", "signaleren"), **EN).content.decode()
    assert "Many lonely people do not ask for help themselves." in page


def test_unknown_chapter_is_not_found(coordinator):
    assert coordinator.get(url("roadmap_chapter", "bestaat-niet")).status_code == 404


def test_status_and_notes_are_saved(coordinator):
    response = coordinator.post(url("roadmap_chapter_edit", "verkenning"),
                                {"status": "done", "notes": "Verkenning besproken met de raad."})
    assert response.status_code == 302
    chapter = Chapter.objects.get(code="verkenning")
    assert (chapter.status, chapter.notes) == ("done", "Verkenning besproken met de raad.")
    assert AuditEvent.objects.filter(action=AuditEvent.Action.UPDATE,
                                     object_type="coalition.Chapter").exists()
    response = coordinator.post(url("roadmap_chapter_edit", "verkenning"), {"status": "klaar"})
    assert response.status_code == 400


def test_goal_is_added_edited_and_marked_achieved(coordinator):
    response = coordinator.post(url("roadmap_goal_create", "preventie"),
                                {"text": "Elke wijk een ontmoetingsplek", "target_date": ""})
    assert response.status_code == 302
    goal = Goal.objects.get()
    assert goal.chapter.code == "preventie" and not goal.achieved
    coordinator.post(url("roadmap_goal_edit", goal.pk),
                     {"text": "Elke wijk twee ontmoetingsplekken", "target_date": "2026-06-01"})
    coordinator.post(url("roadmap_goal_achieved", goal.pk), {"achieved": "1"})
    goal.refresh_from_db()
    assert goal.text == "Elke wijk twee ontmoetingsplekken" and goal.achieved
    assert str(goal.target_date) == "2026-06-01"
    page = coordinator.get(url("roadmap_chapter", "preventie"), **EN).content.decode()
    assert "Elke wijk twee ontmoetingsplekken" in page and "achieved" in page
    assert coordinator.get(url("roadmap_goal_achieved", goal.pk)).status_code == 405


def test_empty_goal_is_refused(coordinator):
    response = coordinator.post(url("roadmap_goal_create", "preventie"), {"text": ""})
    assert response.status_code == 400
    assert not Goal.objects.exists()


def test_action_is_added_with_owner_group_and_partners(coordinator):
    owner, other = make_partner("Welzijn Noord"), make_partner("Bibliotheek Zuid")
    group = WorkingGroup.objects.create(name="Ouderen", focus="ouderen")
    group.members.add(owner)
    response = coordinator.post(url("roadmap_action_create", "bewustwording"), {
        "title": "Kerstkaart voor 75-plussers", "owner": owner.pk, "due_date": "2026-12-01",
        "status": "open", "working_group": group.pk, "partners": [other.pk],
    })
    assert response.status_code == 302
    action = Action.objects.get()
    assert action.chapter.code == "bewustwording"
    assert (action.owner, action.working_group) == (owner, group)
    assert list(action.partners.all()) == [other]
    page = coordinator.get(url("roadmap_chapter", "bewustwording")).content.decode()
    assert "Kerstkaart voor 75-plussers" in page and "Bibliotheek Zuid" in page
    coordinator.post(url("roadmap_action_edit", action.pk), {
        "title": "Kerstkaart voor 75-plussers", "owner": owner.pk, "due_date": "2026-12-01",
        "status": "done",
    })
    action.refresh_from_db()
    assert action.status == "done" and action.completed_on is not None


def test_action_owner_must_be_in_the_working_group(coordinator):
    owner = make_partner("Welzijn Noord")
    group = WorkingGroup.objects.create(name="Jongeren", focus="jongeren")
    response = coordinator.post(url("roadmap_action_create", "preventie"), {
        "title": "Gesprek met scholen", "owner": owner.pk, "due_date": "2026-03-01",
        "status": "open", "working_group": group.pk,
    }, **EN)
    assert response.status_code == 400
    assert "The owner must be a member of the working group." in response.content.decode()
    assert not Action.objects.exists()


def test_archived_partner_cannot_own_a_new_action(coordinator):
    partner = make_partner("Oud-partner")
    Partner.objects.filter(pk=partner.pk).update(archived_at="2025-01-01T00:00:00Z")
    response = coordinator.post(url("roadmap_action_create", "preventie"), {
        "title": "Iets", "owner": partner.pk, "due_date": "2026-03-01", "status": "open",
    })
    assert response.status_code == 400
    assert not Action.objects.exists()


def test_meeting_actions_are_not_edited_here(coordinator):
    owner = make_partner("Welzijn Noord")
    meeting = Meeting.objects.create(title="Overleg", starts_at="2025-05-01T10:00:00Z")
    action = Action.objects.create(title="Notulen rondsturen", owner=owner, meeting=meeting,
                                   due_date="2025-05-08")
    assert coordinator.get(url("roadmap_action_edit", action.pk)).status_code == 404


def test_plan_of_approach_pdf_has_the_roadmap_in_it(coordinator, monkeypatch):
    # Nothing may be fetched from outside while rendering.
    def no_network(*args, **kwargs):
        raise AssertionError("the PDF tried to fetch something")

    monkeypatch.setattr(urllib.request.OpenerDirector, "open", no_network)
    owner = make_partner("Welzijn Noord")
    make_partner("Woningcorporatie Thuis", Organisation.Sector.HOUSING)
    chapter = Chapter.objects.get(code="plan_van_aanpak")
    chapter.status, chapter.notes = "in_progress", "Besproken in de stuurgroep."
    chapter.save()
    Goal.objects.create(chapter=chapter, text="Plan vastgesteld door het college")
    Action.objects.create(title="Concept schrijven", owner=owner, chapter=chapter,
                          due_date="2026-02-01")

    response = coordinator.get(url("roadmap_plan_pdf"), **EN)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = " ".join(pdf_text(response.content).split())
    assert settings.OMZIEN_MUNICIPALITY["name"] in text
    for name in ["Exploration", "Plan of approach", "Commitment", "Strong network",
                 "Monitoring and evaluation", "Awareness campaign", "Prevention",
                 "Signalling and discussing", "Supporting and activating"]:
        assert name in text
    assert "Plan vastgesteld door het college" in text
    assert "Concept schrijven" in text and "Welzijn Noord" in text
    assert "Besproken in de stuurgroep." in text
    assert "2 partners" in text and "Housing" in text
    assert AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).count() == 1
