"""Test data for the social map: activities with a schedule, a place and terms."""

import itertools
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from omzien.activities.models import Activity, Location, TaxonomyTerm
from omzien.activities.services.catalogue import store_activity
from omzien.core.models import Area
from tests.conftest import make_organisation

_counter = itertools.count(1)
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def make_area(code, name=None, parent=None):
    from omzien.core.models import area_kind_for_code

    return Area.objects.create(
        code=code, kind=area_kind_for_code(code), name=name or code, parent=parent
    )


def make_location(organisation=None, area=None, **fields):
    organisation = organisation or make_organisation()
    defaults = {
        "name": f"Buurthuis {next(_counter)}", "street_address": "Dorpsstraat 1",
        "postcode": "9999 AA", "city": "Omzienstad", "latitude": 52.1, "longitude": 5.1,
    }
    return Location.objects.create(organisation=organisation, area=area, **{**defaults, **fields})


def terms(*codes, taxonomy=None):
    """Term rows by code, e.g. terms("meeting", taxonomy="kind")."""
    rows = TaxonomyTerm.objects.filter(code__in=codes)
    if taxonomy:
        rows = rows.filter(taxonomy=taxonomy)
    return list(rows)


def next_weekday_at(weekday, hour, minute=0):
    """The next local date on `weekday` (0 = Monday) at hour:minute, aware."""
    today = timezone.localdate()
    days = (weekday - today.weekday()) % 7 or 7
    day = today + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=AMSTERDAM)


def make_activity(organisation=None, term_codes=(), locations=(), **fields):
    """A weekly activity (next Tuesday 10:00-11:30 unless told otherwise), stored through the
    service so search terms and schedule fields are filled."""
    organisation = organisation or make_organisation()
    starts_at = fields.pop("starts_at", next_weekday_at(1, 10))
    defaults = {
        "title": f"Koffieochtend {next(_counter)}",
        "description": "<p>Elke week samen koffie drinken en praten.</p>",
        "schedule_kind": Activity.ScheduleKind.RECURRING,
        "starts_at": starts_at,
        "ends_at": starts_at + timedelta(minutes=90),
        "recurrence": "FREQ=WEEKLY",
    }
    activity = Activity(organisation=organisation, **{**defaults, **fields})
    return store_activity(activity, terms=terms(*term_codes), locations=list(locations))
