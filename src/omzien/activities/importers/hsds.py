"""Open Referral HSDS 3.0 (JSON), the standard of social-map systems. Reads a single service,
an organization with its services, a service_at_location, or a paginated list (`contents`) of
any of them. Each service becomes one activity."""

import json
from datetime import datetime, time

from django.utils import timezone
from django.utils.translation import gettext as _

from ..schedule import ALLOWED_FREQUENCIES, validate_recurrence
from .common import (
    MAX_DATES,
    MAX_NAME,
    MAX_NOTE,
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
    parse_datetime_text,
    parse_time_text,
    phone,
    postcode,
    text,
    web_url,
)

INACTIVE = {"inactive", "defunct", "temporarily closed"}
REFERRAL_WORDS = ("referral", "verwijzing", "indicatie", "beschikking")
MAX_RECORDS = 100_000


class ServiceProblem(Exception):
    """This service cannot become an activity; the message says why (Dutch)."""


def read(data, organisation_name=None):
    try:
        document = json.loads(decode(data))
    except (ValueError, RecursionError) as error:
        raise ImportFailure(_("This is not valid JSON: %(error)s")
                            % {"error": str(error)[:200]}) from error
    records = list(_services(document, organisation=None, depth=0))
    if (not records and not _looks_like_hsds(document)):
        raise ImportFailure(_("No HSDS services, organizations or lists were found in the file."))
    items = []
    for service, organisation, place_records in records[:MAX_RECORDS]:
        label = text(service.get("name"), MAX_TITLE) or text(service.get("id")) or "?"
        try:
            items.append(_item(service, organisation, place_records, organisation_name))
        except ServiceProblem as problem:
            items.append(RejectedItem(label=label, reason=str(problem)))
        except (ValueError, TypeError, AttributeError, KeyError, OverflowError) as error:
            items.append(RejectedItem(
                label=label,
                reason=_("This service could not be read: %(error)s") % {"error": str(error)[:200]},
            ))
    return items


def _looks_like_hsds(document):
    """An organization list or a location without services is HSDS, just without activities."""
    if isinstance(document, dict):
        return "contents" in document or ("id" in document and "name" in document)
    return isinstance(document, list)


def _services(document, organisation, depth):
    """(service, organisation, [service_at_location]) for every service in the document."""
    if depth > 4:
        return
    if isinstance(document, list):
        for part in document:
            yield from _services(part, organisation, depth + 1)
        return
    if not isinstance(document, dict):
        return
    if isinstance(document.get("contents"), list):
        yield from _services(document["contents"], organisation, depth + 1)
    elif isinstance(document.get("service"), dict):  # a service_at_location
        yield document["service"], organisation, [document]
    elif isinstance(document.get("services"), list):  # an organization with its services
        for service in document["services"]:
            if isinstance(service, dict):
                yield service, document, service.get("service_at_locations") or []
    elif "name" in document and any(
        key in document for key in ("organization", "schedules", "service_at_locations",
                                    "status", "organization_id")
    ):
        yield document, organisation, document.get("service_at_locations") or []


def _item(service, organisation, place_records, organisation_name):
    title = text(service.get("name"), MAX_TITLE)
    if not title:
        raise ServiceProblem(_("The service has no name."))
    if text(service.get("status")).lower() in INACTIVE:
        raise ServiceProblem(_("The service is no longer active (status: %(status)s).")
                             % {"status": text(service.get("status"), 40)})
    place_records = [record for record in place_records if isinstance(record, dict)][:50]
    cost, cost_note = _cost(service)
    application = text(service.get("application_process"))
    contact = _first_dict(service.get("contacts"))
    return ImportedItem(
        key=item_key(service.get("id"), title),
        title=title,
        description=description_from_text(service.get("description")),
        organisation=_organisation(organisation or service.get("organization"),
                                   organisation_name),
        locations=[place for record in place_records
                   if not (place := _location(record.get("location"))).is_empty],
        schedule=_schedule(service, place_records),
        cost=cost,
        cost_note=cost_note,
        access="referral" if any(w in application.lower() for w in REFERRAL_WORDS) else "open",
        referral_notes=application[:2000],
        terms=classify(_term_words(service)),
        contact_name=text(contact.get("name"), MAX_NAME),
        contact_email=email(contact.get("email")) or email(service.get("email")),
        contact_phone=phone(_first_dict(service.get("phones")).get("number")),
        source_url=web_url(service.get("url")),
        languages=[text(lang.get("code"), 10) for lang in service.get("languages") or []
                   if isinstance(lang, dict) and text(lang.get("code"))][:10],
    )


def _first_dict(value):
    if isinstance(value, list):
        value = next((part for part in value if isinstance(part, dict)), None)
    return value if isinstance(value, dict) else {}


def _organisation(record, organisation_name):
    if organisation_name:
        return ImportedOrganisation(name=organisation_name)
    record = record if isinstance(record, dict) else {}
    name = text(record.get("name"), MAX_NAME)
    if not name:
        return None
    return ImportedOrganisation(
        name=name, website=web_url(record.get("website") or record.get("url")),
        email=email(record.get("email")), phone=phone(_first_dict(record.get("phones"))
                                                      .get("number")),
        description=text(record.get("description"), 2000),
    )


def _location(record):
    record = record if isinstance(record, dict) else {}
    if text(record.get("location_type")).lower() == "virtual":
        return ImportedLocation()
    address = next(
        (part for part in record.get("addresses") or [] if isinstance(part, dict)
         and text(part.get("address_type")).lower() != "postal"),
        _first_dict(record.get("addresses")),
    )
    return ImportedLocation(
        name=text(record.get("name"), MAX_NAME),
        street_address=text(address.get("address_1"), MAX_NAME),
        postcode=postcode(address.get("postal_code")),
        city=text(address.get("city"), 100),
        latitude=coordinate(record.get("latitude"), 90),
        longitude=coordinate(record.get("longitude"), 180),
    )


def _cost(service):
    option = _first_dict(service.get("cost_options"))
    if not option:
        return "0", text(service.get("fees_description"), MAX_NOTE)
    price = amount(option.get("amount"))
    if price is None:
        raise ServiceProblem(_("The cost (cost_options.amount) is not an amount."))
    note = text(option.get("amount_description"), MAX_NOTE)
    currency = text(option.get("currency")).upper()
    if currency and currency != "EUR":
        note = f"{currency} {price} {note}".strip()[:MAX_NOTE]
    return price, note


def _term_words(service):
    words = []
    for attribute in service.get("attributes") or []:
        term = _first_dict(attribute.get("taxonomy_term")) if isinstance(attribute, dict) else {}
        words += [text(term.get("code")), text(term.get("name"))]
    return words


def _schedule(service, place_records):
    candidates = list(service.get("schedules") or [])
    for record in place_records:
        candidates += record.get("schedules") or []
    candidates = [record for record in candidates if isinstance(record, dict)]
    repeating = next((record for record in candidates if record.get("freq")), None)
    chosen = repeating or (candidates[0] if candidates else None)
    if chosen is None:
        return ImportedSchedule(kind="by_appointment")
    note = text(chosen.get("description") or chosen.get("notes"), MAX_NOTE)
    opens = parse_time_text(chosen.get("opens_at"))
    closes = parse_time_text(chosen.get("closes_at"))
    first_day = _first_date(chosen)
    if opens is None or (first_day is None and not repeating):
        return ImportedSchedule(kind="by_appointment", note=note)
    first_day = first_day or timezone.localdate()
    starts = datetime.combine(first_day, opens)
    ends = datetime.combine(first_day, closes) if closes and closes > opens else None
    if not repeating:
        return ImportedSchedule(kind="one_off", starts_at=local_iso(starts),
                                ends_at=local_iso(ends) if ends else "", note=note)
    return ImportedSchedule(
        kind="recurring", starts_at=local_iso(starts), ends_at=local_iso(ends) if ends else "",
        recurrence=_rule(chosen, starts), note=note,
    )


def _first_date(record):
    for name in ("dtstart", "valid_from"):
        parsed = parse_datetime_text(record.get(name))
        if parsed is not None:
            return parsed.date()
    return None


def _rule(record, starts):
    """An RRULE from HSDS schedule fields (freq, interval, byday, bymonthday, until, count)."""
    freq = text(record.get("freq")).upper()
    if freq not in ALLOWED_FREQUENCIES:
        raise ServiceProblem(_("The schedule's frequency (freq) is not understood: %(value)s")
                             % {"value": text(record.get("freq"), 20)})
    parts = [f"FREQ={freq}"]
    interval = text(record.get("interval"))
    if interval.isdigit() and 1 < int(interval) < 1000:
        parts.append(f"INTERVAL={int(interval)}")
    byday = text(record.get("byday")).upper().replace(" ", "")
    if byday:
        parts.append(f"BYDAY={byday}")
    bymonthday = text(record.get("bymonthday")).replace(" ", "")
    if bymonthday and freq in {"MONTHLY", "YEARLY"}:
        parts.append(f"BYMONTHDAY={bymonthday}")
    until = parse_datetime_text(record.get("until") or record.get("valid_to"))
    count = text(record.get("count"))
    if until is not None:
        parts.append(f"UNTIL={datetime.combine(until.date(), time(23, 59, 59)):%Y%m%dT%H%M%S}")
    elif count.isdigit() and 0 < int(count) <= MAX_DATES * 10:
        parts.append(f"COUNT={int(count)}")
    rule = ";".join(parts)
    try:
        validate_recurrence(rule, starts)
    except (ValueError, TypeError, OverflowError) as error:
        raise ServiceProblem(_("The schedule cannot be read as a repeat pattern.")) from error
    return rule

