"""Small builders for the network tests: partners, working groups, meetings, action items."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from omzien.coalition.models import Action, Meeting, Partner, WorkingGroup
from tests.conftest import make_organisation, works_at


def make_partner(name=None, contact_user=None, **fields):
    organisation = make_organisation(**({"name": name} if name else {}))
    works_at(contact_user, organisation)
    return Partner.objects.create(organisation=organisation, contact_user=contact_user, **fields)


def make_group(*members, name="Werkgroep ouderen", focus=WorkingGroup.Focus.OLDER):
    group = WorkingGroup.objects.create(name=name, focus=focus)
    group.members.set(members)
    return group


def at(day, hour=10):
    return timezone.make_aware(datetime.combine(day, time(hour)))


def make_meeting(group=None, days_ago=10, title="Overleg"):
    return Meeting.objects.create(
        title=title, working_group=group,
        starts_at=at(timezone.localdate() - timedelta(days=days_ago)),
    )


def make_action(owner, meeting=None, due_in_days=-1, status=Action.Status.OPEN, **fields):
    return Action.objects.create(
        title=fields.pop("title", "Folder maken"), owner=owner, meeting=meeting,
        working_group=meeting.working_group if meeting else None,
        due_date=timezone.localdate() + timedelta(days=due_in_days), status=status, **fields,
    )
