"""Web pages with schema.org Events: JSON-LD, microdata or RDFa (read with extruct). A repeating
activity is an Event with an `eventSchedule` (schema.org Schedule: byDay, startTime,
repeatFrequency "P1W", ...)."""

import json
import re
from datetime import datetime, time, timedelta

import extruct
from django.utils import timezone
from django.utils.translation import gettext as _

from ..schedule import validate_recurrence
from .common import (
    MAX_DATES,
    MAX_NAME,
    MAX_TITLE,
    ImportedItem,
    ImportedLocation,
    ImportedOrganisation,
    ImportedSchedule,
    ImportFailure,
    RejectedItem,
    amount,
    classify,
    coordinate,
    decode,
    description_from_text,
    email,
    item_key,
    local_iso,
    location_from_text,
    parse_datetime_text,
    parse_time_text,
    phone,
    postcode,
    split_words,
    text,
    web_url,
)

SCHEMA_PREFIXES = ("http://schema.org/", "https://schema.org/")
EVENT_TYPES = {
    "Event", "SocialEvent", "EducationEvent", "ExhibitionEvent", "Festival", "FoodEvent",
    "LiteraryEvent", "MusicEvent", "ScreeningEvent", "SportsEvent", "TheaterEvent",
    "VisualArtsEvent", "DanceEvent", "ChildrensEvent", "CourseInstance", "CourseEvent",
}
MAX_DEPTH = 12  # how deep events may sit inside other structured data (@graph, lists)
WEEKDAYS = {
    "monday": "MO", "tuesday": "TU", "wednesday": "WE", "thursday": "TH", "friday": "FR",
    "saturday": "SA", "sunday": "SU",
}
FREQUENCIES = {"D": "DAILY", "W": "WEEKLY", "M": "MONTHLY", "Y": "YEARLY"}
DURATION = re.compile(r"^P(?:(\d{1,3})([DWMY]))$", re.IGNORECASE)


class EventProblem(Exception):
    """This event cannot become an activity; the message says why (Dutch)."""


def read(data, base_url=None, organisation_name=None):
    page = decode(data)
    if "<" not in page and not page.lstrip().startswith(("{", "[")):
        raise ImportFailure(_("This is not a web page."))
    events = _events(page, base_url or "")
    if events is None:
        raise ImportFailure(_("The web page could not be read."))
    items = []
    for event in events:
        label = text(event.get("name"), MAX_TITLE) or _("event without a name")
        try:
            items.append(_item(event, base_url or "", organisation_name))
        except EventProblem as problem:
            items.append(RejectedItem(label=label, reason=str(problem)))
        except (ValueError, TypeError, AttributeError, KeyError, OverflowError) as error:
            items.append(RejectedItem(
                label=label,
                reason=_("This event could not be read: %(error)s") % {"error": str(error)[:200]},
            ))
    return items


def _events(page, base_url):
    """Every schema.org Event on the page, as plain dicts with short property names."""
    if page.lstrip().startswith(("{", "[")):
        try:
            return _find_events(json.loads(page))
        except (ValueError, RecursionError):
            return None
    try:
        found = extruct.extract(
            page, base_url=base_url, syntaxes=["json-ld", "microdata", "rdfa"], uniform=True,
            errors="ignore",
        )
    except Exception:  # noqa: BLE001 - a hostile page may break the parsers in any way
        return None
    events = _find_events(found.get("json-ld", [])) + _find_events(found.get("microdata", []))
    events += _find_events(_rdfa_nodes(found.get("rdfa", [])))
    return events


def _short(name):
    for prefix in SCHEMA_PREFIXES:
        if isinstance(name, str) and name.startswith(prefix):
            return name[len(prefix):]
    return name


def _types(node):
    kinds = node.get("@type", [])
    kinds = kinds if isinstance(kinds, list) else [kinds]
    return {_short(kind) for kind in kinds if isinstance(kind, str)}


def _find_events(value, depth=0):
    """Events anywhere in JSON-LD: at the top, in @graph, in lists, under other things."""
    if depth > MAX_DEPTH:
        return []
    if isinstance(value, list):
        return [event for part in value for event in _find_events(part, depth + 1)]
    if not isinstance(value, dict):
        return []
    if _types(value) & EVENT_TYPES:
        return [value]
    return [
        event for key, part in value.items() if key != "@context"
        for event in _find_events(part, depth + 1)
    ]


def _rdfa_nodes(nodes):
    """Expanded RDFa (one node per subject, full property IRIs) to nested JSON-LD-like dicts."""
    by_id = {node.get("@id"): node for node in nodes if isinstance(node, dict)}

    def compact(node, depth):
        if depth > MAX_DEPTH:
            return {}
        result = {"@type": [_short(kind) for kind in node.get("@type", [])]}
        if node.get("@id") and not str(node["@id"]).startswith("_:"):
            result["@id"] = node["@id"]
        for key, values in node.items():
            if key.startswith("@") or not isinstance(values, list):
                continue
            converted = [convert(value, depth) for value in values]
            result[_short(key)] = converted[0] if len(converted) == 1 else converted

        return result

    def convert(value, depth):
        if not isinstance(value, dict):
            return value
        if "@value" in value:
            return value["@value"]
        target = by_id.get(value.get("@id"))
        return compact(target, depth + 1) if target else value.get("@id")

    return [compact(node, 0) for node in by_id.values() if _types(node) & EVENT_TYPES]


def _first(value):
    while isinstance(value, list):
        value = value[0] if value else None
    return value


def _name_of(value):
    value = _first(value)
    if isinstance(value, dict):
        return text(value.get("name"), MAX_NAME)
    return text(value, MAX_NAME)


def _item(event, base_url, organisation_name):
    title = text(_first(event.get("name")), MAX_TITLE)
    if not title:
        raise EventProblem(_("The event has no name."))
    status = _short(text(_first(event.get("eventStatus"))))
    if status in {"EventCancelled", "EventPostponed"}:
        raise EventProblem(_("The event is cancelled or postponed."))
    source_url = web_url(_first(event.get("url")), base_url)
    organiser = _organiser(event.get("organizer"), organisation_name)
    schedule = _schedule(event)
    cost, cost_note = _cost(event)
    contact = _first(event.get("organizer"))
    key = (
        (event.get("@id") if isinstance(event.get("@id"), str) else "") or source_url
        or f"{title}|{schedule.starts_at}"
    )
    return ImportedItem(
        key=item_key(key, title),
        title=title,
        description=description_from_text(_first(event.get("description"))),
        organisation=organiser,
        locations=_locations(event.get("location")),
        schedule=schedule,
        cost=cost,
        cost_note=cost_note,
        terms=classify(split_words(event.get("keywords")) + split_words(event.get("about"))),
        contact_email=email(contact.get("email")) if isinstance(contact, dict) else "",
        contact_phone=phone(contact.get("telephone")) if isinstance(contact, dict) else "",
        join_url=_join_url(event, base_url),
        source_url=source_url,
        languages=[text(lang, 10) for lang in split_words(event.get("inLanguage"))][:10],
        wheelchair_accessible=_accessible(event),
    )


def _organiser(value, organisation_name):
    value = _first(value)
    if organisation_name:
        return ImportedOrganisation(name=organisation_name)
    if isinstance(value, dict) and text(value.get("name")):
        return ImportedOrganisation(
            name=text(value.get("name"), MAX_NAME), website=web_url(value.get("url")),
            email=email(value.get("email")), phone=phone(value.get("telephone")),
        )
    if isinstance(value, str) and text(value):
        return ImportedOrganisation(name=text(value, MAX_NAME))
    return None


def _locations(value):
    values = value if isinstance(value, list) else [value]
    places = []
    for place in values[:20]:
        if isinstance(place, str):
            found = location_from_text(place)
        elif isinstance(place, dict) and "VirtualLocation" not in _types(place):
            found = _place(place)
        else:
            continue
        if not found.is_empty:
            places.append(found)
    return places


def _place(place):
    address = _first(place.get("address"))
    found = ImportedLocation(name=text(_first(place.get("name")), MAX_NAME))
    if isinstance(address, dict):
        found.street_address = text(_first(address.get("streetAddress")), MAX_NAME)
        found.postcode = postcode(_first(address.get("postalCode")))
        found.city = text(_first(address.get("addressLocality")), 100)
    elif isinstance(address, str):
        parsed = location_from_text(address)
        found.street_address, found.postcode, found.city = (
            parsed.street_address, parsed.postcode, parsed.city,
        )
    geo = _first(place.get("geo"))
    if isinstance(geo, dict):
        found.latitude = coordinate(_first(geo.get("latitude")), 90)
        found.longitude = coordinate(_first(geo.get("longitude")), 180)
    return found


def _cost(event):
    if _first(event.get("isAccessibleForFree")) in (True, "true", "True", "https://schema.org/True"):
        return "0", ""
    offer = _first(event.get("offers"))
    if not isinstance(offer, dict):
        return "0", ""
    price = amount(_first(offer.get("price")))
    if price is None:
        raise EventProblem(_("The price (offers.price) is not an amount in euros."))
    currency = text(_first(offer.get("priceCurrency"))).upper()
    if currency and currency != "EUR":
        raise EventProblem(_("The price is not in euros."))
    return price, text(_first(offer.get("description")), 200)


def _join_url(event, base_url):
    offer = _first(event.get("offers"))
    if isinstance(offer, dict):
        return web_url(_first(offer.get("url")), base_url)
    return ""


def _accessible(event):
    for feature in event.get("amenityFeature", []) if isinstance(
        event.get("amenityFeature"), list
    ) else []:
        if isinstance(feature, dict) and "wheelchair" in text(feature.get("name")).lower():
            return True
    return False


def _schedule(event):
    starts = parse_datetime_text(_first(event.get("startDate")))
    ends = parse_datetime_text(_first(event.get("endDate")))
    if _first(event.get("startDate")) and starts is None:
        raise EventProblem(
            _("The start date is not a valid date: %(value)s")
            % {"value": text(_first(event.get("startDate")), 40)}
        )
    schedule = _first(event.get("eventSchedule"))
    if isinstance(schedule, dict):
        return _repeating(schedule, starts)
    if starts is None:
        raise EventProblem(_("The event has no start date (startDate)."))
    if ends is not None and (ends < starts or ends - starts > timedelta(days=31)):
        ends = None
    return ImportedSchedule(
        kind="one_off", starts_at=local_iso(starts), ends_at=local_iso(ends) if ends else "",
    )


def _repeating(schedule, event_start):
    """A schema.org Schedule as an RRULE from a first start."""
    start_date = parse_datetime_text(_first(schedule.get("startDate")))
    start_time = parse_time_text(_first(schedule.get("startTime")))
    end_time = parse_time_text(_first(schedule.get("endTime")))
    if start_time is None:
        if event_start is None:
            raise EventProblem(_("The schedule has no start time (startTime)."))
        start_time = event_start.time()
    day = (start_date or event_start or datetime.combine(timezone.localdate(), time())).date()
    starts = datetime.combine(day, start_time)
    ends = datetime.combine(day, end_time) if end_time and end_time > start_time else None

    parts = [_frequency(_first(schedule.get("repeatFrequency")))]
    days = [WEEKDAYS.get(_short(text(value)).lower()) for value in _list(schedule.get("byDay"))]
    if any(code is None for code in days):
        raise EventProblem(_("The schedule names a day that does not exist (byDay)."))
    if days:
        parts.append("BYDAY=" + ",".join(days))
    month_days = [text(value) for value in _list(schedule.get("byMonthDay"))]
    if month_days:
        parts.append("BYMONTHDAY=" + ",".join(month_days))
    until = parse_datetime_text(_first(schedule.get("endDate")))
    if until is not None:
        parts.append(f"UNTIL={datetime.combine(until.date(), time(23, 59, 59)):%Y%m%dT%H%M%S}")
    elif text(_first(schedule.get("repeatCount"))).isdigit():
        parts.append(f"COUNT={min(int(text(_first(schedule.get('repeatCount')))), 1000)}")
    rule = ";".join(parts)
    try:
        validate_recurrence(rule, starts)
    except (ValueError, TypeError, OverflowError) as error:
        raise EventProblem(_("The schedule (eventSchedule) cannot be read.")) from error
    excluded = [parse_datetime_text(value) for value in _list(schedule.get("exceptDate"))]
    excluded = [
        local_iso(datetime.combine(value.date(), start_time)) for value in excluded if value
    ][:MAX_DATES]
    return ImportedSchedule(
        kind="recurring", starts_at=local_iso(starts), ends_at=local_iso(ends) if ends else "",
        recurrence=rule, excluded_dates=sorted(set(excluded)),
    )


def _frequency(value):
    match = DURATION.match(text(value) or "P1W")
    if not match:
        raise EventProblem(_("The schedule's repeat frequency is not understood: %(value)s")
                           % {"value": text(value, 20)})
    count, unit = int(match.group(1)), match.group(2).upper()
    if count < 1:
        raise EventProblem(_("The schedule's repeat frequency is not understood: %(value)s")
                           % {"value": text(value, 20)})
    rule = f"FREQ={FREQUENCIES[unit]}"
    return rule if count == 1 else f"{rule};INTERVAL={count}"


def _list(value):
    if value is None:
        return []
    return value[:50] if isinstance(value, list) else [value]
