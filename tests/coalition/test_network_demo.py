"""The network part of the demo: realistic, deterministic, and safe to run twice."""

import random

import pytest

from omzien.coalition.demo import build_network_demo
from omzien.coalition.models import Action, Decision, Meeting, Partner, WorkingGroup
from omzien.core.demo import DEMO_REFERENCE_DATE, build_demo_region
from omzien.core.models import Organisation

pytestmark = pytest.mark.django_db


def counts():
    return (Partner.objects.count(), WorkingGroup.objects.count(), Meeting.objects.count(),
            Decision.objects.count(), Action.objects.count())


def test_network_demo_is_realistic_and_can_run_twice():
    region = build_demo_region()
    build_network_demo(region, random.Random(1))
    first = counts()
    build_network_demo(region, random.Random(1))
    assert counts() == first

    current = Partner.objects.current()
    assert 14 <= current.count() <= 18
    assert Partner.objects.filter(archived_at__isnull=False).count() == 1
    sectors = set(current.values_list("organisation__sector", flat=True))
    assert {Organisation.Sector.WELFARE, Organisation.Sector.CARE} <= sectors
    assert Organisation.Sector.EDUCATION not in sectors  # the usual gap

    schakel = Partner.objects.get(organisation__name="Buurthuis De Schakel")
    assert schakel.contact_user.username == "aanbieder"
    assert schakel.commitment_text

    assert set(WorkingGroup.objects.values_list("focus", flat=True)) == {
        "ouderen", "jongeren", "thema"
    }
    assert WorkingGroup.objects.get(focus="thema").theme == "mantelzorg"
    assert Meeting.objects.filter(starts_at__date__lt=DEMO_REFERENCE_DATE).exists()
    assert Meeting.objects.filter(starts_at__date__gt=DEMO_REFERENCE_DATE).exists()
    assert Meeting.objects.filter(attended__isnull=False).distinct().count() >= 3

    done = Action.objects.filter(status=Action.Status.DONE)
    assert any(a.completed_on <= a.due_date for a in done)  # on time
    assert any(a.completed_on > a.due_date for a in done)  # late
    assert any(a.is_overdue(DEMO_REFERENCE_DATE) for a in Action.objects.all())
    # Every action item passes the checks the forms make.
    for action in Action.objects.select_related("meeting__working_group"):
        assert action.due_date >= action.meeting.starts_at.date()
        if action.meeting.working_group:
            assert action.meeting.working_group.members.filter(pk=action.owner_id).exists()
