"""The coalition network in a real browser: the coordinator adds a partner with its commitment,
starts a working group, holds a meeting with an action item that is overdue, and the task
worker mails the reminder to the partner's contact person. Every network page passes axe."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from omzien.coalition.models import Action, Meeting, Partner, WorkingGroup
from omzien.coalition.tasks import send_overdue_action_reminders
from omzien.coalition.urls import network_patterns
from omzien.core.models import Role
from tests.browser.conftest import axe_check, log_in, log_in_with_cookie
from tests.coalition.network_factories import make_action, make_group, make_meeting
from tests.conftest import make_organisation, make_staff

pytestmark = pytest.mark.browser


def submit(page):
    page.locator("main form.omzien-form button[type=submit]").first.click()
    page.wait_for_load_state()


def test_coordinator_runs_the_network_and_the_owner_is_reminded(new_page, worker):
    municipality = make_organisation(name="Gemeente Omzienstad")
    coordinator = make_staff(Role.COORDINATOR, municipality, first_name="Noor")
    buurthuis = make_organisation(name="Buurthuis De Schakel", website="https://schakel.example/")
    kees = make_staff(Role.PROVIDER, buurthuis, first_name="Kees", last_name="Hoekstra",
                      email="kees@schakel.example")
    make_organisation(name="Bibliotheek Omzienland")
    today = timezone.localdate()

    page = new_page()
    log_in(page, coordinator)

    # A partner joins with its "ik doe mee" statement.
    page.goto(reverse("coalition_staff:partner_list"))
    axe_check(page)
    page.locator(f"main a[href='{reverse('coalition_staff:partner_create')}']").click()
    page.wait_for_load_state()
    axe_check(page)
    page.locator("#id_organisation").select_option(label="Buurthuis De Schakel")
    page.locator("#id_commitment_text").fill("Wie binnenloopt, krijgt koffie en een praatje.")
    page.locator("#id_commitment_signed_on").fill((today - timedelta(days=7)).isoformat())
    page.locator("#id_contact_user").select_option(str(kees.pk))
    page.locator("#id_contact_name").fill("Kees Hoekstra")
    page.locator("input[name=contributions][value=premises]").check()
    page.locator("input[name=contributions][value=activities]").check()
    submit(page)
    partner = Partner.objects.get(organisation=buurthuis)
    assert page.url.endswith(reverse("coalition_staff:partner_detail", args=[partner.pk]))
    assert "Wie binnenloopt" in page.locator("main").inner_text()
    assert partner.contact_user == kees
    axe_check(page)

    # A working group with that partner.
    page.goto(reverse("coalition_staff:working_group_create"))
    axe_check(page)
    page.locator("#id_name").fill("Werkgroep ouderen")
    page.locator("#id_focus").select_option("ouderen")
    page.locator(f"input[name=members][value='{partner.pk}']").check()
    submit(page)
    group = WorkingGroup.objects.get()
    assert list(group.members.all()) == [partner]
    axe_check(page)

    # A meeting of the group, planned from the group's page, with the partner present.
    page.locator(f"main a[href$='?werkgroep={group.pk}']").click()
    page.wait_for_load_state()
    assert page.locator(f"input[name=invited][value='{partner.pk}']").is_checked()
    axe_check(page)
    meeting_day = today - timedelta(days=10)
    page.locator("#id_title").fill("Werkgroep ouderen: kennismaking")
    page.locator("input[name=kind][value=informal]").check()
    page.locator("#id_starts_at").fill(f"{meeting_day.isoformat()}T10:00")
    page.locator("#id_agenda").fill("1. Kennismaken\n2. Ideeën")
    page.locator(f"input[name=attended][value='{partner.pk}']").check()
    page.locator("#id_minutes").fill("Goede sfeer, veel ideeën.")
    submit(page)
    meeting = Meeting.objects.get()
    assert page.url.endswith(reverse("coalition_staff:meeting_detail", args=[meeting.pk]))
    assert list(meeting.attended.all()) == [partner]
    axe_check(page)

    # A decision, and an action item that was due three days ago.
    page.goto(reverse("coalition_staff:decision_create", args=[meeting.pk]))
    axe_check(page)
    page.locator("#id_text").fill("De werkgroep komt elke zes weken bij elkaar.")
    submit(page)
    assert "elke zes weken" in page.locator("main").inner_text()

    page.goto(reverse("coalition_staff:action_create", args=[meeting.pk]))
    page.locator("#id_title").fill("Buurtmaaltijd voor alleenstaande ouderen starten")
    page.locator("#id_owner").select_option(str(partner.pk))
    # First a due date before the meeting: refused with a message, and still accessible.
    page.locator("#id_due_date").fill((meeting_day - timedelta(days=1)).isoformat())
    submit(page)
    assert page.locator("[role=alert]").is_visible()
    assert page.locator(".omzien-error").count() >= 1
    assert not Action.objects.exists()
    axe_check(page)
    page.locator("#id_due_date").fill((today - timedelta(days=3)).isoformat())
    submit(page)
    action = Action.objects.get()
    assert action.owner == partner and action.is_overdue()
    assert page.locator("main .omzien-error").count() == 1  # marked overdue

    # The coordinator sees it among the overdue action items.
    page.goto(reverse("coalition_staff:action_list") + "?show=overdue")
    assert "Buurtmaaltijd" in page.locator("main table").inner_text()
    axe_check(page)

    # The printable agenda and minutes.
    page.goto(reverse("coalition_staff:meeting_print", args=[meeting.pk]))
    assert page.locator("#print-page").is_visible()
    assert "Goede sfeer" in page.locator("main").inner_text()
    page.emulate_media(media="print")
    assert not page.locator("header.utrecht-page-header").is_visible()
    page.emulate_media(media="screen")
    axe_check(page)

    # The worker mails the reminder to the partner's contact person.
    send_overdue_action_reminders.enqueue()
    mail = worker.wait_for_mail("kees@schakel.example")
    assert "Buurtmaaltijd voor alleenstaande ouderen starten" in mail["Subject"]
    assert coordinator.email in mail["Cc"]
    action.refresh_from_db()
    assert action.last_reminded_on == today

    # The network health page reflects it: one partner, its attendance, one overdue item.
    page.goto(reverse("coalition_staff:network_health"))
    row = page.locator("table tr", has_text="Buurthuis De Schakel").first
    assert row.locator("td").all_inner_texts()[:2] == ["1", "1"]
    overdue_card = page.locator("li.omzien-card", has_text="over de datum")
    assert overdue_card.locator("strong").inner_text() == "1"
    axe_check(page)

    # Anyone can see the partner on the public page, without the contact person's name.
    visitor = new_page()
    visitor.goto(reverse("coalition:partner_list"))
    public = visitor.locator("main").inner_text()
    assert "Buurthuis De Schakel" in public
    assert "Wie binnenloopt, krijgt koffie en een praatje." in public
    assert "Kees" not in public and "kees@schakel.example" not in visitor.content()
    axe_check(visitor)


@pytest.fixture
def network_world(transactional_db):
    coordinator = make_staff(Role.COORDINATOR, first_name="Noor")
    organisation = make_organisation(name="Bibliotheek Omzienland")
    partner = Partner.objects.create(organisation=organisation, commitment_text="Wij doen mee.",
                                     contact_name="Anouk Smit",
                                     commitment_signed_on=timezone.localdate())
    Partner.objects.create(organisation=make_organisation(name="Rouwcafé"),
                           archived_at=timezone.now())
    group = make_group(partner)
    meeting = make_meeting(group, title="Werkgroep ouderen")
    action = make_action(partner, meeting, due_in_days=-1)
    objects = {"partner": partner, "working_group": group, "meeting": meeting, "action": action}
    return coordinator, objects


PAGES_WITH_OBJECT = {
    "partner_detail": "partner", "partner_edit": "partner",
    "working_group_detail": "working_group", "working_group_edit": "working_group",
    "meeting_detail": "meeting", "meeting_edit": "meeting", "meeting_print": "meeting",
    "decision_create": "meeting", "action_create": "meeting", "action_edit": "action",
}
NOT_A_PAGE = {"partner_archive", "partner_unarchive", "action_export"}


@pytest.mark.parametrize(
    "pattern", [p for p in network_patterns if p.name not in NOT_A_PAGE], ids=lambda p: p.name
)
def test_network_page_is_accessible(page, live_server, client, network_world, pattern):
    coordinator, objects = network_world
    log_in_with_cookie(page, live_server, coordinator, client)
    if pattern.pattern.converters:
        if pattern.name not in PAGES_WITH_OBJECT:
            pytest.fail(f"Add network page {pattern.name!r} to PAGES_WITH_OBJECT.")
        url = reverse(f"coalition_staff:{pattern.name}",
                      args=[objects[PAGES_WITH_OBJECT[pattern.name]].pk])
    else:
        url = reverse(f"coalition_staff:{pattern.name}")
    response = page.goto(url)
    assert response.status == 200
    assert page.locator("main h1").count() == 1
    axe_check(page)


def test_archived_partners_and_empty_public_page_are_accessible(page, live_server, client,
                                                               network_world):
    page.goto(reverse("coalition:partner_list") + "?sector=welzijn")
    assert "Bibliotheek Omzienland" in page.locator("main").inner_text()
    axe_check(page)
    page.goto(reverse("coalition:partner_list") + "?sector=sport")
    assert "Bibliotheek Omzienland" not in page.locator("main").inner_text()
    axe_check(page)
    log_in_with_cookie(page, live_server, network_world[0], client)
    page.goto(reverse("coalition_staff:partner_list") + "?show=archived")
    assert "Rouwcafé" in page.locator("main table").inner_text()
    axe_check(page)


def test_public_partner_page_works_without_javascript(new_page, network_world):
    page = new_page(javascript=False)
    assert page.goto(reverse("coalition:partner_list")).status == 200
    assert "Wij doen mee." in page.locator("main").inner_text()
    assert "Anouk" not in page.locator("main").inner_text()
