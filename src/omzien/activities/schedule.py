"""When an activity happens. A schedule is a first start (and end), an RFC 5545 RRULE, extra
dates (RDATE) and skipped dates (EXDATE). Rules are expanded in wall-clock time in
Europe/Amsterdam, so "every Tuesday at 10:00" stays at 10:00 across summer time."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from dateutil.rrule import rrule, rrulestr
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


ALLOWED_FREQUENCIES = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
# A rule must happen within this time after its first start to be accepted.
FIRST_OCCURRENCE_WITHIN = timedelta(days=2 * 366)
# The Gregorian calendar (weekdays and leap years) repeats every 400 years.
CALENDAR_CYCLE_YEARS = 400
LAST_YEAR = 9999


def first_occurrence(rule_text, start):
    """The first time (naive, local) the RRULE happens on or after `start`, or None when it
    does not happen within FIRST_OCCURRENCE_WITHIN (or has ended before). ValueError for a rule
    that cannot be read or repeats more often than daily."""
    start = start.replace(tzinfo=None) if start.tzinfo else start
    if not can_happen(rule_text, start):
        return None
    return _first_until(_single_rule(rule_text, start), start + FIRST_OCCURRENCE_WITHIN)


def can_happen(rule_text, start):
    """Whether the pattern has a date within FIRST_OCCURRENCE_WITHIN of `start` when its own
    end (COUNT, UNTIL) is left aside. ValueError as for first_occurrence.

    dateutil looks for a next date until the year 9999 and never gives up earlier, so a rule
    that never happens ("31 February") would cost seconds on every page that shows dates. So
    the question is asked of the same rule in the last 400-year cycle before 9999 (same
    weekdays, same leap years): an impossible rule fails there within a few hundred years."""
    start = start.replace(tzinfo=None) if start.tzinfo else start
    if _single_rule(rule_text, start)._freq > 3:  # 0 yearly ... 3 daily, 4 hourly, ...
        raise ValueError("the rule repeats more often than daily")
    cycles = (LAST_YEAR - 3 - start.year) // CALENDAR_CYCLE_YEARS
    probe_start = start.replace(year=start.year + cycles * CALENDAR_CYCLE_YEARS)
    probe = _single_rule(rule_text, probe_start)
    return _first_until(probe, probe_start + FIRST_OCCURRENCE_WITHIN, ignore_end=True) is not None


def _single_rule(rule_text, start):
    try:
        rule = rrulestr(rule_text, dtstart=start)
    except Exception as error:  # dateutil raises many kinds on odd input
        raise ValueError(str(error)) from error
    if not isinstance(rule, rrule):
        raise ValueError("more than one rule")
    return rule


def _first_until(rule, bound, ignore_end=False):
    """The rule's first date up to `bound` (its own COUNT/UNTIL kept unless ignore_end)."""
    until = bound if ignore_end or not rule._until else min(rule._until, bound)
    try:
        changed = rule.replace(until=until, count=None if ignore_end else rule._count)
        return next(iter(changed), None)
    except Exception as error:
        raise ValueError(str(error)) from error


def validate_recurrence(rule_text, first_start):
    """ValueError unless the RRULE can be read, repeats at most daily and can happen at all
    (a pattern that has already ended is fine): every importer checks this before storing."""
    if not can_happen(rule_text, first_start):
        raise ValueError("the rule never happens")
