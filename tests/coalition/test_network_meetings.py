"""Working groups, meetings with attendance and decisions, action items with their checks, the
action list, the printable agenda and minutes, and the CSV export."""

import csv
import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import timezone

from omzien.coalition.models import Action, Decision, Meeting, Partner, WorkingGroup
from omzien.coalition.queries import overdue_actions_for
from omzien.core.models import AuditEvent, Role
from tests.coalition.network_factories import (
    make_action,
    make_group,
    make_meeting,
    make_partner,
)
from tests.conftest import login_verified, make_organisation, make_staff

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def coordinator(client):
    user = make_staff(Role.COORDINATOR)
    login_verified(client, user)
    return user


def day(offset):
    return (timezone.localdate() + timedelta(days=offset)).isoformat()


def test_coordinator_creates_a_theme_working_group_with_members(client, coordinator):
    one, two = make_partner(name="Steunpunt"), make_partner(name="Thuiszorg")
    response = client.post(reverse("coalition_staff:working_group_create"), {
        "name": "Werkgroep mantelzorg", "focus": "thema", "theme": "mantelzorg",
        "members": [one.pk, two.pk],
    })
    group = WorkingGroup.objects.get()
    assert response.status_code == 302
    assert set(group.members.all()) == {one, two}
    assert AuditEvent.objects.filter(object_type="coalition.WorkingGroup",
                                     action=AuditEvent.Action.CREATE).exists()
    assert "Steunpunt" in client.get(response["Location"]).content.decode()


def test_theme_group_needs_a_theme_and_archived_partners_cannot_join(client, coordinator):
    gone = make_partner(name="Weg", archived_at=timezone.now())
    response = client.post(reverse("coalition_staff:working_group_create"), {
        "name": "Werkgroep", "focus": "thema", "theme": "", "members": [gone.pk],
    }, **EN)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["theme"] == ["Fill in the theme of this working group."]
    assert errors["members"] == ["Choose only current partners of the coalition."]
    assert not WorkingGroup.objects.exists()


def test_meeting_with_attendance_of_current_partners_only(client, coordinator):
    member, other = make_partner(name="Bibliotheek"), make_partner(name="Sportclub")
    gone = make_partner(name="Weg", archived_at=timezone.now())
    group = make_group(member)
    data = {
        "title": "Werkgroep ouderen", "kind": "informal", "working_group": group.pk,
        "starts_at": f"{day(-3)}T19:30", "location": "Bibliotheek", "agenda": "1. Welkom",
        "invited": [member.pk], "attended": [member.pk, other.pk], "minutes": "Goed gesprek.",
    }
    refused = client.post(reverse("coalition_staff:meeting_create"),
                          {**data, "attended": [member.pk, gone.pk]}, **EN)
    assert refused.status_code == 400
    assert refused.context["form"].errors["attended"] == [
        "Choose only current partners of the coalition."
    ]
    assert not Meeting.objects.exists()

    # Present without being invited is fine: people bring a colleague.
    response = client.post(reverse("coalition_staff:meeting_create"), data)
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert set(meeting.attended.all()) == {member, other}
    assert timezone.localtime(meeting.starts_at).strftime("%H:%M") == "19:30"


def test_editing_an_old_meeting_keeps_a_partner_that_has_left(client, coordinator):
    stays, left = make_partner(name="Blijft"), make_partner(name="Vertrokken")
    meeting = make_meeting()
    meeting.attended.set([stays, left])
    left.archived_at = timezone.now()
    left.save()
    response = client.post(reverse("coalition_staff:meeting_edit", args=[meeting.pk]), {
        "title": "Overleg", "kind": "formal", "starts_at": f"{day(-10)}T10:00",
        "attended": [stays.pk, left.pk], "minutes": "Verslag erbij.",
    })
    assert response.status_code == 302
    assert set(meeting.attended.all()) == {stays, left}


def test_meeting_date_is_required_and_must_be_a_date(client, coordinator):
    response = client.post(reverse("coalition_staff:meeting_create"),
                           {"title": "Overleg", "kind": "formal", "starts_at": "morgen"}, **EN)
    assert response.status_code == 400
    assert "Enter a valid date/time." in str(response.context["form"].errors["starts_at"])


def test_several_decisions_per_meeting(client, coordinator):
    meeting = make_meeting()
    url = reverse("coalition_staff:decision_create", args=[meeting.pk])
    first = client.post(url, {"text": "We starten drie werkgroepen.", "another": "1"})
    assert first["Location"] == url
    client.post(url, {"text": "Iedere partner tekent de verklaring."})
    assert list(meeting.decisions.values_list("text", flat=True)) == [
        "We starten drie werkgroepen.", "Iedere partner tekent de verklaring."
    ]
    assert client.post(url, {"text": ""}).status_code == 400
    assert Decision.objects.count() == 2


def action_data(owner, due, **overrides):
    return {"title": "Folder maken", "owner": owner.pk, "due_date": due, "status": "open",
            **overrides}


def test_action_owner_must_be_a_member_of_the_meetings_working_group(client, coordinator):
    member, outsider = make_partner(name="Steunpunt"), make_partner(name="Bakkerij Van Dalen")
    meeting = make_meeting(make_group(member))
    url = reverse("coalition_staff:action_create", args=[meeting.pk])
    response = client.post(url, action_data(outsider, day(7)), **EN)
    assert response.status_code == 400
    assert ("Bakkerij Van Dalen is not a member of this working group."
            in response.content.decode())
    assert not Action.objects.exists()

    response = client.post(url, action_data(member, day(7)))
    action = Action.objects.get()
    assert response.status_code == 302
    assert action.meeting == meeting
    assert action.working_group == meeting.working_group
    assert action.completed_on is None


def test_action_cannot_be_due_before_the_meeting(client, coordinator):
    owner = make_partner()
    meeting = make_meeting(days_ago=5)
    response = client.post(reverse("coalition_staff:action_create", args=[meeting.pk]),
                           action_data(owner, day(-6)), **EN)
    assert response.status_code == 400
    assert "The due date cannot be before the meeting" in response.content.decode()
    # On the meeting day itself is fine.
    response = client.post(reverse("coalition_staff:action_create", args=[meeting.pk]),
                           action_data(owner, day(-5)))
    assert response.status_code == 302


def test_moving_a_meeting_after_its_action_items_is_refused(client, coordinator):
    owner = make_partner()
    meeting = make_meeting(days_ago=5)
    make_action(owner, meeting, due_in_days=-2)
    response = client.post(reverse("coalition_staff:meeting_edit", args=[meeting.pk]), {
        "title": "Overleg", "kind": "formal", "starts_at": f"{day(1)}T10:00",
    }, **EN)
    assert response.status_code == 400
    assert "An action item of this meeting is due before this date." in response.content.decode()


def test_completed_on_is_set_when_done_and_cleared_when_reopened(client, coordinator):
    action = make_action(make_partner(), make_meeting(), due_in_days=-1)
    url = reverse("coalition_staff:action_edit", args=[action.pk])
    client.post(url, action_data(action.owner, action.due_date.isoformat(), status="done"))
    action.refresh_from_db()
    assert action.completed_on == timezone.localdate()

    client.post(url, action_data(action.owner, action.due_date.isoformat(), status="open"))
    action.refresh_from_db()
    assert action.completed_on is None

    # The coordinator may record the real date afterwards, not one in the future.
    client.post(url, action_data(action.owner, action.due_date.isoformat(), status="done",
                                 completed_on=day(-1)))
    action.refresh_from_db()
    assert action.completed_on == timezone.localdate() - timedelta(days=1)
    response = client.post(url, action_data(action.owner, action.due_date.isoformat(),
                                            status="done", completed_on=day(3)), **EN)
    assert response.status_code == 400
    assert "This date cannot be in the future." in response.content.decode()


def test_owner_contact_person_may_only_change_the_status(client):
    organisation = make_organisation()
    contact = make_staff(Role.PROVIDER, organisation)
    own = Partner.objects.create(organisation=organisation, contact_user=contact)
    action = make_action(own, make_meeting(), due_in_days=-1, title="Buurtmaaltijd")
    someone_elses = make_action(make_partner(), make_meeting(), due_in_days=-1)
    login_verified(client, contact)

    url = reverse("coalition_staff:action_edit", args=[action.pk])
    response = client.post(url, {"status": "done", "title": "Anders", "due_date": day(30)})
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.status, action.title) == ("done", "Buurtmaaltijd")
    assert action.completed_on == timezone.localdate()
    assert action.due_date == timezone.localdate() - timedelta(days=1)
    other_url = reverse("coalition_staff:action_edit", args=[someone_elses.pk])
    assert client.post(other_url, {"status": "done"}).status_code == 403


def test_overdue_actions_for_coordinator_and_for_the_owners_contact_person():
    organisation = make_organisation()
    contact = make_staff(Role.SIGNALLER, organisation)
    own = Partner.objects.create(organisation=organisation, contact_user=contact)
    other = make_partner()
    meeting = make_meeting(days_ago=30)
    mine_late = make_action(own, meeting, due_in_days=-2)
    other_late = make_action(other, meeting, due_in_days=-2)
    make_action(own, meeting, due_in_days=3)  # not yet due
    make_action(own, meeting, due_in_days=-5, status=Action.Status.DONE)  # done
    make_action(own, meeting, due_in_days=-5, status=Action.Status.DROPPED)  # dropped
    coordinator = make_staff(Role.COORDINATOR)
    assert set(overdue_actions_for(coordinator)) == {mine_late, other_late}
    assert set(overdue_actions_for(contact)) == {mine_late}
    assert not overdue_actions_for(make_staff(Role.PROVIDER)).exists()


def test_action_list_filters(client):
    organisation = make_organisation()
    contact = make_staff(Role.PROVIDER, organisation)
    own = Partner.objects.create(organisation=organisation, contact_user=contact)
    other = make_partner()
    meeting = make_meeting(days_ago=30)
    make_action(own, meeting, due_in_days=-2, title="Eigen te laat")
    make_action(other, meeting, due_in_days=-2, title="Ander te laat")
    make_action(other, meeting, due_in_days=5, title="Nog tijd")
    make_action(own, meeting, due_in_days=-9, status=Action.Status.DONE, title="Klaar",
                completed_on=timezone.localdate() - timedelta(days=10))
    login_verified(client, contact)
    url = reverse("coalition_staff:action_list")

    def titles(show):
        response = client.get(url, {"show": show})
        assert response.status_code == 200
        return {action.title for action in response.context["page"]}

    assert titles("open") == {"Eigen te laat", "Ander te laat", "Nog tijd"}
    assert titles("overdue") == {"Eigen te laat", "Ander te laat"}
    assert titles("mine") == {"Eigen te laat"}
    assert titles("done") == {"Klaar"}
    assert titles("all") == {"Eigen te laat", "Ander te laat", "Nog tijd", "Klaar"}
    assert titles("<script>") == titles("open")  # unknown filter: the default
    assert client.get(url).context["my_overdue"] == 1


def test_print_page_has_agenda_minutes_decisions_and_print_css(client, coordinator):
    owner = make_partner(name="Bibliotheek Omzienland")
    meeting = make_meeting(title="Startbijeenkomst")
    meeting.agenda, meeting.minutes = "1. Welkom\n2. Verklaring", "Dertig mensen kwamen."
    meeting.save()
    meeting.attended.add(owner)
    Decision.objects.create(meeting=meeting, text="We starten drie werkgroepen.")
    make_action(owner, meeting, due_in_days=4, title="Sociale kaart aanvullen")
    response = client.get(reverse("coalition_staff:meeting_print", args=[meeting.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    for text in ("Startbijeenkomst", "1. Welkom<br>2. Verklaring", "Dertig mensen kwamen.",
                 "We starten drie werkgroepen.", "Sociale kaart aanvullen",
                 "Bibliotheek Omzienland", "coalition/network.css"):
        assert text in page
    css = Path(finders.find("coalition/network.css")).read_text()
    assert "@media print" in css


def test_csv_export_of_action_items_is_audited(client, coordinator):
    owner = make_partner(name="Bibliotheek")
    meeting = make_meeting(make_group(owner, name="Werkgroep jongeren"), title="Jongeren")
    make_action(owner, meeting, due_in_days=-2, title="Jongerenavond")
    make_action(owner, meeting, due_in_days=-2, title="=HYPERLINK(\"http://x\")")
    response = client.get(reverse("coalition_staff:action_export"), {"show": "overdue"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 3
    by_title = {row[0]: row for row in rows[1:]}
    assert by_title["Jongerenavond"][1] == "Bibliotheek"
    assert by_title["Jongerenavond"][2] == day(-2)
    assert by_title["Jongerenavond"][6:8] == ["Jongeren", "Werkgroep jongeren"]
    # A cell that a spreadsheet would run as a formula is made harmless.
    assert "'=HYPERLINK(\"http://x\")" in by_title
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert event.user == coordinator
    assert event.detail == {"filter": "overdue", "rows": 2}


def test_unknown_meeting_or_partner_is_a_404(client, coordinator):
    assert client.get(reverse("coalition_staff:meeting_detail", args=[999])).status_code == 404
    assert client.post(reverse("coalition_staff:partner_archive", args=[999])).status_code == 404
    assert client.get(reverse("coalition_staff:meeting_create") + "?werkgroep=abc").status_code \
        == 200
