"""When an activity happens. A schedule is a first start (and end), an RFC 5545 RRULE, extra
dates (RDATE) and skipped dates (EXDATE). Rules are expanded in wall-clock time in
Europe/Amsterdam, so "every Tuesday at 10:00" stays at 10:00 across summer time."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# How far ahead search looks to decide on which days and parts of the day something is on.
LOOKAHEAD = timedelta(weeks=8)
MAX_OCCURRENCES = 500

DAY_PARTS = [
    ("morning", _("morning"), range(0, 12)),
    ("afternoon", _("afternoon"), range(12, 18)),
    ("evening", _("evening"), range(18, 24)),
]


def local_zone():
    return ZoneInfo(settings.TIME_ZONE)


def parse_local(value):
    """A naive wall-clock datetime from an ISO string stored in extra_dates/excluded_dates."""
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(local_zone()).replace(tzinfo=None)
    return parsed


def format_local(value):
    """The form extra_dates/excluded_dates store: naive wall-clock time, to the minute."""
    if timezone.is_aware(value):
        value = value.astimezone(local_zone()).replace(tzinfo=None)
    return value.replace(second=0, microsecond=0).isoformat(timespec="minutes")


def occurrences(activity, start=None, end=None, limit=MAX_OCCURRENCES):
    """(starts_at, ends_at) pairs, aware, of the activity's times between start and end
    (default: from now, for a year)."""
    if activity.starts_at is None or activity.schedule_kind == activity.ScheduleKind.BY_APPOINTMENT:
        return []
    zone = local_zone()
    start = start or timezone.now()
    end = end or start + timedelta(days=366)
    first = activity.starts_at.astimezone(zone).replace(tzinfo=None)
    duration = (activity.ends_at - activity.starts_at) if activity.ends_at else timedelta(0)
    window_start = start.astimezone(zone).replace(tzinfo=None) - duration
    window_end = end.astimezone(zone).replace(tzinfo=None)

    starts = set()
    if activity.schedule_kind == activity.ScheduleKind.RECURRING and activity.recurrence:
        rule = rrulestr(activity.recurrence, dtstart=first)
        for moment in rule.xafter(window_start, count=limit, inc=True):
            if moment > window_end:
                break
            starts.add(moment)
    elif window_start <= first <= window_end:
        starts.add(first)
    for value in activity.extra_dates:
        moment = parse_local(value)
        if window_start <= moment <= window_end:
            starts.add(moment)
    starts -= {parse_local(value) for value in activity.excluded_dates}

    result = []
    for moment in sorted(starts)[:limit]:
        begins = moment.replace(tzinfo=zone)
        result.append((begins, begins + duration))
    return [pair for pair in result if pair[1] >= start or pair[0] >= start]


def day_part_bit(local_time):
    for index, (_code, _label, hours) in enumerate(DAY_PARTS):
        if local_time.hour in hours:
            return 1 << index
    return 0


def derived_schedule_fields(activity, now=None):
    """next_starts_at, weekday_mask and day_part_mask from the schedule, for search."""
    now = now or timezone.now()
    upcoming = occurrences(activity, start=now, end=now + LOOKAHEAD)
    if not upcoming:
        later = occurrences(activity, start=now, limit=1)
        return {
            "next_starts_at": later[0][0] if later else None,
            "weekday_mask": 0,
            "day_part_mask": 0,
        }
    weekdays = day_parts = 0
    for begins, _ends in upcoming:
        weekdays |= 1 << begins.weekday()
        day_parts |= day_part_bit(begins)
    return {
        "next_starts_at": upcoming[0][0],
        "weekday_mask": weekdays,
        "day_part_mask": day_parts,
    }


def validate_recurrence(rule_text, first_start):
    """Raise ValueError when dateutil cannot read the RRULE."""
    rrulestr(rule_text, dtstart=first_start.replace(tzinfo=None))
