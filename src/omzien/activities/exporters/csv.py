"""Activities as CSV, one row per activity, in the columns of the import template
(docs/import-csv.md, importers/csv.py), so an export can be edited in a spreadsheet and
imported again, here or in another municipality's Omzien.

Written with a byte order mark (so Excel reads the accents) and every cell that a spreadsheet
would run as a formula is defused with a leading apostrophe (CSV injection)."""

import csv

from omzien.core.spreadsheets import defused

from ..importers.csv import COLUMNS as TEMPLATE_COLUMNS
from ..models import Activity
from ..schedule import format_local
from .common import activity_url, plain_text

CONTENT_TYPE = "text/csv; charset=utf-8"
BOM = "\ufeff"
DELIMITER = ";"  # what Dutch spreadsheet programs expect


def categories(activity):
    """Every term as taxonomy:code, which the importer takes as is."""
    return ", ".join(f"{term.taxonomy}:{term.code}" for term in activity.terms.all())


def moment(value):
    """Local wall-clock time as the template writes it: 2026-12-01 10:00."""
    return format_local(value).replace("T", " ") if value else ""


def moments(values):
    return " | ".join(value.replace("T", " ") for value in values)


def dutch_number(value):
    """Dutch spreadsheets read a decimal comma as a number; the importer accepts both."""
    return "" if value is None else str(value).replace(".", ",")


def first_location(activity):
    locations = list(activity.locations.all())
    return locations[0] if locations else None


def location_field(name):
    def read(activity, request):
        location = first_location(activity)
        value = getattr(location, name, "") if location else ""
        if name in ("latitude", "longitude"):
            return dutch_number(value)
        return value or ""
    return read


SCHEDULE_KINDS = {
    Activity.ScheduleKind.ONE_OFF: "eenmalig",
    Activity.ScheduleKind.RECURRING: "herhalend",
    Activity.ScheduleKind.BY_APPOINTMENT: "op afspraak",
}
ACCESS = {Activity.Access.OPEN: "open", Activity.Access.REFERRAL: "verwijzing"}

# Template field (importers.csv.COLUMNS) -> how to read it from an activity.
FIELDS = {
    "id": lambda a, r: f"omzien-{a.pk}",
    "title": lambda a, r: a.title,
    "description": lambda a, r: plain_text(a.description),
    "organisation": lambda a, r: a.organisation.name,
    "organisation_website": lambda a, r: a.organisation.website,
    "organisation_email": lambda a, r: a.organisation.email,
    "organisation_phone": lambda a, r: a.organisation.phone,
    "location_name": location_field("name"),
    "street_address": location_field("street_address"),
    "postcode": location_field("postcode"),
    "city": location_field("city"),
    "latitude": location_field("latitude"),
    "longitude": location_field("longitude"),
    "schedule_kind": lambda a, r: SCHEDULE_KINDS.get(a.schedule_kind, ""),
    "starts_at": lambda a, r: moment(a.starts_at),
    "ends_at": lambda a, r: moment(a.ends_at),
    "recurrence": lambda a, r: a.recurrence,
    "extra_dates": lambda a, r: moments(a.extra_dates),
    "excluded_dates": lambda a, r: moments(a.excluded_dates),
    "schedule_note": lambda a, r: a.schedule_note,
    "cost": lambda a, r: dutch_number(f"{a.cost:.2f}"),
    "cost_note": lambda a, r: a.cost_note,
    "access": lambda a, r: ACCESS.get(a.access, ""),
    "categories": lambda a, r: categories(a),
    "contact_name": lambda a, r: a.contact_name,
    "contact_phone": lambda a, r: a.contact_phone,
    "contact_email": lambda a, r: a.contact_email,
    "join_url": lambda a, r: a.join_url,
    "source_url": lambda a, r: activity_url(r, a),
    "wheelchair_accessible": lambda a, r: "ja" if a.wheelchair_accessible else "nee",
}


def header():
    """The template's own (Dutch) column names, in the template's order."""
    return [aliases[0] for field, aliases in TEMPLATE_COLUMNS.items() if field in FIELDS]


def write_activities(stream, activities, request):
    """Write the header and one row per activity to a text stream (or an HttpResponse).
    Only what the public activity page shows; never notes for professionals or sign-ups."""
    stream.write(BOM)
    writer = csv.writer(stream, delimiter=DELIMITER, lineterminator="\r\n")
    writer.writerow(header())
    fields = [field for field in TEMPLATE_COLUMNS if field in FIELDS]
    for activity in activities:
        writer.writerow([defused(FIELDS[field](activity, request)) for field in fields])
