"""The social map's demo: several hundred realistic activities in every demo wijk, at places
inside their buurt, findable and with dates still to come, the same for the same seed."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from omzien.activities.demo import build_app_demo
from omzien.activities.models import (
    Activity,
    DuplicateCandidate,
    ImportSource,
    Location,
    SearchTerm,
    SignUp,
)
from omzien.activities.schedule import occurrences
from omzien.activities.search_index import query_terms
from omzien.core.demo import DEMO_REFERENCE_DATE, DEMO_SEED, build_demo_region
from omzien.core.models import Area
from omzien.core.queries import area_for_point

pytestmark = pytest.mark.django_db


def published_titles():
    return sorted(Activity.objects.published().values_list("title", flat=True))


def test_load_demo_fills_the_social_map_of_every_wijk():
    call_command("load_demo", stdout=StringIO())
    published = Activity.objects.published()
    assert published.count() >= 300

    for wijk in Area.objects.filter(kind=Area.Kind.DISTRICT, code__startswith="WK99"):
        assert published.filter(locations__area__parent=wijk).exists(), wijk.name

    locations = Location.objects.select_related("area")
    assert locations.count() >= 50
    for location in locations:
        assert area_for_point(location.longitude, location.latitude) == location.area, location

    for query in ["wandelen", "koffie", "samen eten", "digitaal", "rouw", "mantelzorg"]:
        for term in query_terms(query):
            assert SearchTerm.objects.filter(
                term__startswith=term, activity__in=published
            ).exists(), query


def test_the_demo_shows_the_variety_a_real_social_map_has():
    call_command("load_demo", stdout=StringIO())
    activities = Activity.objects.all()
    assert activities.filter(cost=0).count() > activities.count() * 0.6
    assert activities.filter(cost__gt=0, cost_note="per keer").exists()
    referral = activities.filter(access=Activity.Access.REFERRAL)
    assert referral.exists() and all(a.referral_notes for a in referral)
    assert activities.filter(status=Activity.Status.PAUSED).exists()
    assert activities.filter(status=Activity.Status.ENDED).exists()
    assert activities.filter(review_state=Activity.ReviewState.PENDING).exists()
    six_months_ago = timezone.now() - timezone.timedelta(days=183)
    assert activities.filter(verified_at__lt=six_months_ago).exists()
    assert set(activities.values_list("schedule_kind", flat=True)) == set(
        Activity.ScheduleKind.values
    )
    assert any("tr" in languages for languages in activities.values_list("languages", flat=True))
    assert activities.filter(wheelchair_accessible=True, hearing_loop=True).exists()

    source = ImportSource.objects.get(format=ImportSource.Format.ICAL)
    assert source.url.endswith(".ics") and ".example/" in source.url
    assert source.activities.count() >= 5
    assert DuplicateCandidate.objects.count() == 2

    assert SignUp.objects.filter(status=SignUp.Status.WAITING).exists()
    full = [a for a in activities.filter(capacity__isnull=False)
            if sum(s.party_size for s in a.sign_ups.holding_a_place()) == a.capacity]
    assert full
    for activity in activities.filter(capacity__isnull=False):
        taken = sum(s.party_size for s in activity.sign_ups.holding_a_place())
        assert taken <= activity.capacity


def test_the_same_seed_gives_the_same_activities_with_dates_still_to_come():
    region = build_demo_region(DEMO_SEED)
    build_app_demo(region, DEMO_SEED, DEMO_REFERENCE_DATE)
    first = published_titles()
    build_app_demo(region, DEMO_SEED, DEMO_REFERENCE_DATE)
    assert published_titles() == first  # and loading again adds nothing

    # The reference date has long passed, yet the agenda still shows what is coming.
    now = timezone.now()
    upcoming = Activity.objects.published().filter(next_starts_at__gte=now)
    assert upcoming.count() >= 250
    assert upcoming.filter(schedule_kind=Activity.ScheduleKind.ONE_OFF).exists()
    weekly = upcoming.filter(recurrence__startswith="FREQ=WEEKLY;BYDAY").first()
    assert len(occurrences(weekly, now, now + timezone.timedelta(weeks=4))) >= 3

    build_app_demo(region, DEMO_SEED + 1, DEMO_REFERENCE_DATE)
    assert published_titles() != first
