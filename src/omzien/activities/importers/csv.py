"""The Omzien CSV template (docs/import-csv.md): one activity per row, Dutch or English column
names, separated by semicolons (what Dutch spreadsheet programs write) or commas."""

import csv
import io
import re
from datetime import datetime

from django.utils.translation import gettext as _

from ..schedule import validate_recurrence
from .common import (
    MAX_DATES,
    MAX_NAME,
    MAX_NOTE,
    MAX_RECURRENCE,
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
    phone,
    postcode,
    split_words,
    text,
    web_url,
)

# Column name (Dutch first) -> field. Names are compared lower-cased, without spaces/dashes.
COLUMNS = {
    "id": ["id", "sleutel", "key"],
    "title": ["titel", "title", "naam", "name"],
    "description": ["omschrijving", "beschrijving", "description"],
    "organisation": ["organisatie", "organisation", "organization", "aanbieder"],
    "organisation_website": ["organisatie_website", "organisation_website", "website"],
    "organisation_email": ["organisatie_email", "organisation_email"],
    "organisation_phone": ["organisatie_telefoon", "organisation_phone"],
    "location_name": ["locatie", "locatie_naam", "location", "location_name"],
    "street_address": ["adres", "straat", "street_address", "address"],
    "postcode": ["postcode", "postal_code"],
    "city": ["plaats", "woonplaats", "town", "city"],
    "latitude": ["breedtegraad", "latitude", "lat"],
    "longitude": ["lengtegraad", "longitude", "lon", "lng"],
    "schedule_kind": ["wanneer", "soort_tijd", "schedule_kind"],
    "starts_at": ["start", "begin", "starts_at"],
    "ends_at": ["eind", "einde", "ends_at", "end"],
    "recurrence": ["herhaling", "recurrence", "rrule"],
    "extra_dates": ["extra_data", "extra_dates", "rdate"],
    "excluded_dates": ["overgeslagen_data", "excluded_dates", "exdate"],
    "schedule_note": ["tijd_toelichting", "schedule_note"],
    "cost": ["kosten", "prijs", "cost", "price"],
    "cost_note": ["kosten_toelichting", "cost_note"],
    "access": ["toegang", "access"],
    "categories": ["categorieen", "categorie", "categories", "category", "trefwoorden"],
    "contact_name": ["contactpersoon", "contact_name"],
    "contact_phone": ["telefoon", "contact_telefoon", "contact_phone", "phone"],
    "contact_email": ["email", "e_mail", "contact_email"],
    "join_url": ["aanmelden_url", "aanmelden", "join_url"],
    "source_url": ["url", "meer_informatie", "source_url"],
    "wheelchair_accessible": ["rolstoeltoegankelijk", "wheelchair_accessible"],
}
ALIASES = {alias: name for name, aliases in COLUMNS.items() for alias in aliases}
SCHEDULE_KINDS = {
    "eenmalig": "one_off", "one_off": "one_off", "once": "one_off",
    "herhalend": "recurring", "terugkerend": "recurring", "recurring": "recurring",
    "op_afspraak": "by_appointment", "op afspraak": "by_appointment",
    "by_appointment": "by_appointment",
}
ACCESS = {
    "": "open", "open": "open", "vrij": "open", "vrij toegankelijk": "open",
    "verwijzing": "referral", "indicatie": "referral", "referral": "referral",
}
YES = {"ja", "yes", "j", "y", "1", "true", "waar", "x"}
DATE_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S",
                "%d-%m-%Y %H:%M", "%d/%m/%Y %H:%M", "%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y")
MAX_ROWS = 100_000


class RowProblem(Exception):
    """This row cannot become an activity; the message says why (Dutch)."""


def read(data, organisation_name=None):
    content = decode(data).lstrip("\ufeff")
    if "\x00" in content:
        raise ImportFailure(_("This is not a CSV file (it contains binary data)."))
    header_line = content.split("\n", 1)[0]
    delimiter = max([";", ",", "\t"], key=header_line.count)
    reader = csv.reader(io.StringIO(content, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as error:
        raise ImportFailure(_("The CSV file is empty.")) from error
    columns = [ALIASES.get(_column_name(name)) for name in header]
    if "title" not in columns:
        raise ImportFailure(_("The CSV file has no column “titel” (title). Use the template."))
    items = []
    line = 1
    try:
        for line, row in enumerate(reader, start=2):  # noqa: B007 - used after the loop
            if len(items) >= MAX_ROWS:
                items.append(RejectedItem(label=_("line %(line)s") % {"line": line},
                                          reason=_("The file has too many rows.")))
                break
            if not any(cell.strip() for cell in row):
                continue
            values = {name: cell for name, cell in zip(columns, row, strict=False) if name}
            items.append(_item_or_rejection(values, line, organisation_name))
    except csv.Error as error:
        items.append(RejectedItem(
            label=_("line %(line)s") % {"line": line + 1},
            reason=_("The file cannot be read from this line on: %(error)s")
            % {"error": str(error)[:200]},
        ))
    return items


def _column_name(name):
    return re.sub(r"[\s\-]+", "_", name.strip().lower().replace("é", "e").replace("ë", "e"))


def _item_or_rejection(values, line, organisation_name):
    label = text(values.get("title"), MAX_TITLE) or _("line %(line)s") % {"line": line}
    try:
        return _item(values, organisation_name)
    except RowProblem as problem:
        return RejectedItem(label=label, reason=str(problem))
    except (ValueError, TypeError, OverflowError) as error:
        return RejectedItem(
            label=label,
            reason=_("This row could not be read: %(error)s") % {"error": str(error)[:200]},
        )


def _item(values, organisation_name):
    title = text(values.get("title"), MAX_TITLE)
    if not title:
        raise RowProblem(_("The row has no title."))
    access = ACCESS.get(text(values.get("access")).lower())
    if access is None:
        raise RowProblem(_("Access must be “open” or “verwijzing”, not “%(value)s”.")
                         % {"value": text(values.get("access"), 40)})
    cost = amount(values.get("cost"))
    if cost is None:
        raise RowProblem(_("The cost is not an amount in euros: %(value)s")
                         % {"value": text(values.get("cost"), 40)})
    schedule = _schedule(values)
    organisation = organisation_name or text(values.get("organisation"), MAX_NAME)
    place = ImportedLocation(
        name=text(values.get("location_name"), MAX_NAME),
        street_address=text(values.get("street_address"), MAX_NAME),
        postcode=postcode(values.get("postcode")),
        city=text(values.get("city"), 100),
        latitude=coordinate(values.get("latitude", "").replace(",", "."), 90),
        longitude=coordinate(values.get("longitude", "").replace(",", "."), 180),
    )
    return ImportedItem(
        key=item_key(values.get("id"), f"{title}|{schedule.starts_at}"),
        title=title,
        description=description_from_text(values.get("description")),
        organisation=ImportedOrganisation(
            name=organisation,
            website=web_url(values.get("organisation_website")),
            email=email(values.get("organisation_email")),
            phone=phone(values.get("organisation_phone")),
        ) if organisation else None,
        locations=[] if place.is_empty else [place],
        schedule=schedule,
        cost=cost,
        cost_note=text(values.get("cost_note"), MAX_NOTE),
        access=access,
        terms=classify(split_words(values.get("categories"))),
        contact_name=text(values.get("contact_name"), MAX_NAME),
        contact_phone=phone(values.get("contact_phone")),
        contact_email=email(values.get("contact_email")),
        join_url=web_url(values.get("join_url")),
        source_url=web_url(values.get("source_url")),
        wheelchair_accessible=text(values.get("wheelchair_accessible")).lower() in YES,
    )


def _moment(value, column):
    value = text(value)
    if not value:
        return None
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(value, pattern)
        except ValueError:
            continue
    raise RowProblem(_("“%(value)s” in column %(column)s is not a date and time that exists. "
                       "Write it as 2026-12-01 10:00.") % {"value": value[:40], "column": column})


def _dates(value, column):
    moments = [_moment(part, column) for part in re.split(r"[;|]", text(value)) if part.strip()]
    if len(moments) > MAX_DATES:
        raise RowProblem(_("The row has too many separate dates (more than %(max)s).")
                         % {"max": MAX_DATES})
    return sorted({local_iso(moment) for moment in moments})


def _schedule(values):
    kind_text = text(values.get("schedule_kind")).lower()
    recurrence = text(values.get("recurrence")).upper().removeprefix("RRULE:")
    kind = SCHEDULE_KINDS.get(kind_text) if kind_text else (
        "recurring" if recurrence else "one_off"
    )
    if kind is None:
        raise RowProblem(_("“%(value)s” is not a kind of time; use eenmalig, herhalend or "
                           "op afspraak.") % {"value": kind_text[:40]})
    note = text(values.get("schedule_note"), MAX_NOTE)
    starts = _moment(values.get("starts_at"), "start")
    ends = _moment(values.get("ends_at"), "eind")
    if kind == "by_appointment":
        return ImportedSchedule(kind=kind, note=note)
    if starts is None:
        raise RowProblem(_("The row has no start (column start)."))
    if ends is not None and ends < starts:
        raise RowProblem(_("The end is before the start."))
    if kind == "recurring":
        if not recurrence:
            raise RowProblem(_("A recurring activity needs a repeat pattern (column herhaling), "
                               "for example FREQ=WEEKLY;BYDAY=TU."))
        try:
            if len(recurrence) > MAX_RECURRENCE:
                raise ValueError(recurrence)
            validate_recurrence(recurrence, starts)
        except (ValueError, TypeError, OverflowError) as error:
            raise RowProblem(_("The repeat pattern “%(value)s” cannot be read.")
                             % {"value": recurrence[:60]}) from error
    return ImportedSchedule(
        kind=kind, starts_at=local_iso(starts), ends_at=local_iso(ends) if ends else "",
        recurrence=recurrence if kind == "recurring" else "",
        extra_dates=_dates(values.get("extra_dates"), "extra_data"),
        excluded_dates=_dates(values.get("excluded_dates"), "overgeslagen_data"),
        note=note,
    )
