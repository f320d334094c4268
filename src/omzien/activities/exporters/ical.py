"""iCalendar (RFC 5545) feeds of activities, for residents' and organisations' calendar apps.

Times go out with TZID=Europe/Amsterdam and a VTIMEZONE, so a weekly 10:00 stays at 10:00 across
summer time in every client. The RRULE, RDATEs and EXDATEs are the activity's own schedule, so
a client expands the same dates as `schedule.occurrences`."""

from datetime import UTC, date, datetime, time, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vRecur

from ..models import Activity
from ..schedule import local_zone, parse_local
from .common import activity_url, address_line, plain_text

PRODUCT_ID = "-//Omzien//Sociale kaart en wijkagenda//NL"
CONTENT_TYPE = "text/calendar; charset=utf-8"


def feed_activities(activities):
    """The activities a feed can show: published, with a first date, not by appointment."""
    return (
        activities.filter(starts_at__isnull=False)
        .exclude(schedule_kind=Activity.ScheduleKind.BY_APPOINTMENT)
    )


def build_calendar(request, activities, name):
    """A VCALENDAR with one VEVENT per activity, as bytes."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    host = request.get_host().split(":")[0]
    now = timezone.now()
    firsts = []
    for activity in feed_activities(activities):
        calendar.add_component(activity_event(request, activity, host, now))
        firsts.append(activity.starts_at.date())
    if firsts:
        # Only the transitions the events need, so the feed stays small.
        calendar.add_missing_timezones(
            first_date=min(firsts) - timedelta(days=366),
            last_date=max(now.date(), max(firsts)) + timedelta(days=10 * 366),
        )
    return calendar.to_ical()


def activity_event(request, activity, host, now):
    zone = local_zone()
    event = Event()
    event.add("uid", f"activity-{activity.pk}@{host}")
    event.add("dtstamp", now.astimezone(UTC))
    event.add("dtstart", activity.starts_at.astimezone(zone))
    if activity.ends_at and activity.ends_at > activity.starts_at:
        event.add("dtend", activity.ends_at.astimezone(zone))
    if activity.schedule_kind == Activity.ScheduleKind.RECURRING and activity.recurrence:
        event.add("rrule", recurrence_rule(activity.recurrence))
    extra = local_moments(activity.extra_dates)
    if extra:
        event.add("rdate", extra)
    excluded = local_moments(activity.excluded_dates)
    if excluded:
        event.add("exdate", excluded)
    event.add("summary", activity.title)
    description = event_description(activity)
    if description:
        event.add("description", description)
    locations = list(activity.locations.all())
    if locations:
        event.add("location", " / ".join(location_text(location) for location in locations))
        with_coordinates = [loc for loc in locations if loc.latitude is not None
                            and loc.longitude is not None]
        if with_coordinates:
            event.add("geo", (with_coordinates[0].latitude, with_coordinates[0].longitude))
    event.add("url", activity_url(request, activity))
    if activity.organisation.email:
        event.add("organizer", f"mailto:{activity.organisation.email}",
                  parameters={"CN": activity.organisation.name})
    event.add("status", "CANCELLED" if activity.status == Activity.Status.PAUSED else "CONFIRMED")
    event.add("transp", "TRANSPARENT")
    event.add("created", activity.created_at.astimezone(UTC))
    event.add("last-modified", activity.updated_at.astimezone(UTC))
    return event


def recurrence_rule(rule_text):
    """The stored RRULE, with UNTIL in UTC as RFC 5545 requires next to a TZID start.
    Omzien stores UNTIL as local wall-clock time (that is how schedule.py reads it)."""
    rule = vRecur.from_ical(rule_text)
    if "UNTIL" in rule:
        until = rule["UNTIL"][0]
        if not isinstance(until, datetime) and isinstance(until, date):
            until = datetime.combine(until, time.min)
        if timezone.is_naive(until):
            until = until.replace(tzinfo=local_zone())
        rule["UNTIL"] = [until.astimezone(UTC)]
    return rule


def local_moments(values):
    zone = local_zone()
    return [parse_local(value).replace(tzinfo=zone) for value in values]


def location_text(location):
    parts = [location.name, address_line(location)]
    return ", ".join(part for part in parts if part)


def event_description(activity):
    parts = [plain_text(activity.description)]
    if activity.schedule_note:
        parts.append(activity.schedule_note)
    parts.append(_("Organised by %(name)s") % {"name": activity.organisation.name})
    return "\n\n".join(part for part in parts if part)
