"""iCalendar feeds (RFC 5545), as welfare organisations publish their agenda. One VEVENT (with
its overridden instances) becomes one activity. Times become Europe/Amsterdam wall time; an
overridden instance (RECURRENCE-ID) becomes a skipped date plus an extra date."""

import re
from datetime import date, datetime, time, timedelta

import icalendar
from django.utils.translation import gettext as _

from ..schedule import local_zone, validate_recurrence
from .common import (
    MAX_DATES,
    MAX_NAME,
    MAX_RECURRENCE,
    MAX_TITLE,
    ImportedItem,
    ImportedOrganisation,
    ImportedSchedule,
    ImportFailure,
    RejectedItem,
    classify,
    coordinate,
    decode,
    description_from_text,
    email,
    item_key,
    local_iso,
    location_from_text,
    split_words,
    text,
    web_url,
)

END_OF_EVENT = re.compile(r"^END:VEVENT[ \t]*\r?$", re.MULTILINE | re.IGNORECASE)


class EventProblem(Exception):
    """This event cannot become an activity; the message says why (Dutch)."""


def read(data, organisation_name=None):
    calendar, truncated = _parse(decode(data))
    default_organiser = organisation_name or text(calendar.get("X-WR-CALNAME"), MAX_NAME)
    masters, overrides, order = {}, {}, []
    for event in calendar.walk("VEVENT"):
        uid = text(event.get("UID")) or f"{text(event.get('SUMMARY'))}|{event.get('DTSTART')}"
        if event.get("RECURRENCE-ID") is not None:
            overrides.setdefault(uid, []).append(event)
            continue
        if uid not in masters:
            order.append(uid)
        masters[uid] = event
    # Overrides whose series is not in the feed stand on their own.
    for uid, events in overrides.items():
        if uid not in masters:
            for number, event in enumerate(events):
                key = f"{uid}#{number}"
                masters[key] = event
                order.append(key)
    items = [
        _item_or_rejection(uid, masters[uid], overrides.get(uid, []), default_organiser)
        for uid in order
    ]
    if truncated:
        items.append(RejectedItem(
            label=_("end of the file"),
            reason=_("The file stops in the middle of an event; that event was not read."),
        ))
    return items


def _parse(content):
    """The calendar, and whether the file was cut off (then the events that are complete)."""
    truncated = False
    if not re.search(r"^END:VCALENDAR", content, re.MULTILINE | re.IGNORECASE):
        ends = list(END_OF_EVENT.finditer(content))
        if not ends:
            raise ImportFailure(_("This is not an iCalendar file (no BEGIN:VCALENDAR found)."))
        content = content[: ends[-1].end()] + "\r\nEND:VCALENDAR\r\n"
        truncated = True
    try:
        calendars = icalendar.Calendar.from_ical(content, multiple=True)
    except (ValueError, KeyError, IndexError, TypeError, RecursionError) as error:
        raise ImportFailure(
            _("This is not a valid iCalendar file: %(error)s") % {"error": str(error)[:200]}
        ) from error
    if not calendars:
        raise ImportFailure(_("This is not an iCalendar file (no BEGIN:VCALENDAR found)."))
    calendar = calendars[0]
    for extra in calendars[1:]:
        for component in extra.subcomponents:
            calendar.add_component(component)
    return calendar, truncated


def _item_or_rejection(uid, event, overrides, default_organiser):
    label = text(event.get("SUMMARY"), MAX_TITLE) or uid
    try:
        return _item(uid, event, overrides, default_organiser)
    except EventProblem as problem:
        return RejectedItem(label=label, reason=str(problem), key=item_key(uid, label))
    except (ValueError, TypeError, AttributeError, KeyError, OverflowError) as error:
        return RejectedItem(
            label=label, key=item_key(uid, label),
            reason=_("This event could not be read: %(error)s") % {"error": str(error)[:200]},
        )


def _item(uid, event, overrides, default_organiser):
    title = text(event.get("SUMMARY"), MAX_TITLE)
    if not title:
        raise EventProblem(_("The event has no title (SUMMARY)."))
    if text(event.get("STATUS")).upper() == "CANCELLED":
        raise EventProblem(_("The event is cancelled (STATUS:CANCELLED)."))
    if text(event.get("CLASS")).upper() in {"PRIVATE", "CONFIDENTIAL"}:
        raise EventProblem(_("The event is private (CLASS:PRIVATE); it is not for the public."))
    organiser, contact_name, contact_email = _organiser(event, default_organiser)
    return ImportedItem(
        key=item_key(uid, title),
        title=title,
        description=description_from_text(event.get("DESCRIPTION")),
        organisation=ImportedOrganisation(name=organiser) if organiser else None,
        locations=_locations(event),
        schedule=_schedule(event, overrides),
        terms=classify(_categories(event)),
        contact_name=contact_name,
        contact_email=contact_email,
        source_url=web_url(event.get("URL")),
    )


def _moment(event, name):
    """A property's date or datetime, or EventProblem when it is not a real date."""
    if event.get(name) is None:
        return None
    broken = dict(getattr(event, "errors", ()) or ()).get(name)
    value = event.decoded(name) if broken is None else None
    if broken is not None or not isinstance(value, date):
        raise EventProblem(
            _("%(property)s is not a valid date or time: %(value)s")
            % {"property": name, "value": text(event.get(name), 40)}
        )
    return value


def _local(value):
    """Naive Europe/Amsterdam wall time; a date is midnight; a floating time is local."""
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            return value.astimezone(local_zone()).replace(tzinfo=None)
        return value
    return datetime.combine(value, time(0, 0))


def _schedule(event, overrides):
    first = _moment(event, "DTSTART")
    if first is None:
        raise EventProblem(_("The event has no start (DTSTART)."))
    all_day = not isinstance(first, datetime)
    starts = _local(first)
    end = _moment(event, "DTEND")
    if end is not None:
        ends = _local(end)
    elif event.get("DURATION") is not None:
        ends = starts + event.decoded("DURATION")
    else:
        ends = starts + timedelta(days=1) if all_day else None
    if ends is not None and ends < starts:
        raise EventProblem(_("The event ends (DTEND) before it starts (DTSTART)."))

    rule = _recurrence(event, starts)
    extra = _dates(event, "RDATE")
    excluded = _dates(event, "EXDATE")
    for override in overrides:
        original = _moment(override, "RECURRENCE-ID")
        excluded.append(local_iso(_local(original)))
        if text(override.get("STATUS")).upper() != "CANCELLED" and override.get("DTSTART"):
            extra.append(local_iso(_local(_moment(override, "DTSTART"))))
    if len(extra) > MAX_DATES or len(excluded) > MAX_DATES:
        raise EventProblem(_("The event has too many separate dates (more than %(max)s).")
                           % {"max": MAX_DATES})
    return ImportedSchedule(
        kind="recurring" if rule else "one_off",
        starts_at=local_iso(starts),
        ends_at=local_iso(ends) if ends else "",
        recurrence=rule,
        extra_dates=sorted(set(extra)),
        excluded_dates=sorted(set(excluded)),
        note=_("all day") if all_day else "",
    )


def _recurrence(event, starts):
    """The RRULE as text for a naive local start; UNTIL converted to local wall time too."""
    prop = event.get("RRULE")
    if prop is None:
        return ""
    if isinstance(prop, list):
        prop = prop[0]
    if "RRULE" in dict(getattr(event, "errors", ()) or ()) or not hasattr(prop, "items"):
        raise EventProblem(_("The repeat pattern (RRULE) cannot be read."))
    parts = []
    for name, values in prop.items():
        name = name.upper()
        if name == "UNTIL":
            until = values[0] if isinstance(values, list) else values
            if isinstance(until, datetime):
                until = _local(until)
            else:
                until = datetime.combine(until, time(23, 59, 59))
            parts.append(f"UNTIL={until:%Y%m%dT%H%M%S}")
            continue
        values = values if isinstance(values, list) else [values]
        parts.append(f"{name}={','.join(str(value) for value in values)}")
    rule = ";".join(parts)
    if len(rule) > MAX_RECURRENCE:
        raise EventProblem(_("The repeat pattern (RRULE) is too long."))
    try:
        validate_recurrence(rule, starts)
    except (ValueError, TypeError, OverflowError) as error:
        raise EventProblem(_("The repeat pattern (RRULE) cannot be read.")) from error
    return rule


def _dates(event, name):
    """RDATE or EXDATE values as naive local ISO strings (several properties, lists, periods)."""
    props = event.get(name)
    if props is None:
        return []
    if name in dict(getattr(event, "errors", ()) or ()):
        raise EventProblem(_("%(property)s is not a valid date or time.") % {"property": name})
    props = props if isinstance(props, list) else [props]
    found = []
    for prop in props:
        for value in getattr(prop, "dts", []):
            moment = value.dt
            if isinstance(moment, tuple):  # a PERIOD: its start
                moment = moment[0]
            if not isinstance(moment, date):
                raise EventProblem(_("%(property)s is not a valid date or time.")
                                   % {"property": name})
            found.append(local_iso(_local(moment)))
    return found


def _organiser(event, default_organiser):
    """(organisation name, contact name, contact e-mail) from ORGANIZER and the calendar."""
    organiser = event.get("ORGANIZER")
    if organiser is None:
        return default_organiser or "", "", ""
    name = text(organiser.params.get("CN"), MAX_NAME) if hasattr(organiser, "params") else ""
    return default_organiser or name, name, email(str(organiser))


def _categories(event):
    props = event.get("CATEGORIES")
    if props is None:
        return []
    props = props if isinstance(props, list) else [props]
    words = []
    for prop in props:
        cats = getattr(prop, "cats", None)
        words += split_words(list(cats) if cats is not None else str(prop))
    return words


def _locations(event):
    place = location_from_text(event.get("LOCATION"))
    geo = event.get("GEO")
    if geo is not None:
        place.latitude = coordinate(getattr(geo, "latitude", None), 90)
        place.longitude = coordinate(getattr(geo, "longitude", None), 180)
    return [] if place.is_empty else [place]

