"""Activities, places and organisations as Open Referral HSDS 3.0 objects.

HSDS ids are UUIDs; ours are derived with uuid5 from a fixed namespace and the kind and key of
the object, so they stay the same between requests and releases. Only public data goes out:
no sign-ups, no notes for professionals, no contact persons; phone and e-mail are the
organisation's public ones."""

import uuid
from datetime import datetime
from functools import lru_cache

from django.conf import settings
from django.conf.locale import LANG_INFO
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from icalendar import vRecur

from ..models import Activity
from ..schedule import local_zone
from ..taxonomy import Taxonomy, term_label
from .common import activity_url, cost_text, plain_text

HSDS_VERSION = "3.0"
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://omzien.nl/hsds/3.0/")
RRULE_DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
HSDS_FREQUENCIES = {"WEEKLY", "MONTHLY"}  # the only ones HSDS 3.0 schedules allow


@lru_cache(maxsize=100_000)
def hsds_id(kind, key):
    """The stable UUID of an object of `kind` (service, location, ...) with `key`."""
    return str(uuid.uuid5(NAMESPACE, f"{kind}/{key}"))


def without_empty(data):
    """HSDS fields are not nullable: leave out what we do not know."""
    return {key: value for key, value in data.items() if value not in (None, "", [])}


def language_code():
    return (get_language() or settings.LANGUAGE_CODE).split("-")[0]


def local_iso(moment):
    return moment.astimezone(local_zone()).isoformat()


# --- taxonomies ---------------------------------------------------------------------------------


def taxonomy(code):
    label = str(Taxonomy(code).label)
    return {
        "id": hsds_id("taxonomy", code),
        "name": label,
        "description": _("Omzien classification: %(name)s") % {"name": label},
        "version": "1",
    }


def taxonomy_term(term, detail=True):
    name = str(term_label(term.taxonomy, term.code))
    data = {
        "id": hsds_id("taxonomy_term", f"{term.taxonomy}/{term.code}"),
        "code": term.code,
        "name": name,
        "description": name,
        "taxonomy": str(Taxonomy(term.taxonomy).label),
        "taxonomy_id": hsds_id("taxonomy", term.taxonomy),
        "language": language_code(),
    }
    if detail:
        data["taxonomy_detail"] = taxonomy(term.taxonomy)
    return data


def term_attribute(activity, term):
    return {
        "id": hsds_id("attribute", f"service/{activity.pk}/{term.taxonomy}/{term.code}"),
        "link_id": hsds_id("service", activity.pk),
        "link_type": term.taxonomy,
        "link_entity": "service",
        "taxonomy_term_id": hsds_id("taxonomy_term", f"{term.taxonomy}/{term.code}"),
        "taxonomy_term": taxonomy_term(term),
    }


# --- organisations ------------------------------------------------------------------------------


def organization_summary(organisation):
    """The one-to-one fields (organization_list.json)."""
    return {
        **without_empty({
            "id": hsds_id("organization", organisation.pk),
            "name": organisation.name,
            "email": organisation.email,
            "website": organisation.website,
        }),
        "description": plain_text(organisation.description),  # required, even when empty
    }


def organisation_phones(organisation, **links):
    if not organisation.phone:
        return []
    owner = "/".join(f"{key}={value}" for key, value in sorted(links.items()))
    return [without_empty({
        "id": hsds_id("phone", f"organization/{organisation.pk}/{owner}"),
        "number": organisation.phone,
        "type": "voice",
        **links,
    })]


def organization_full(organisation, activities, request):
    """organization.json: with its places and (summaries of) its public services."""
    organization_id = hsds_id("organization", organisation.pk)
    locations = {}
    for activity in activities:
        for location in activity.locations.all():
            locations[location.pk] = location
    return {
        **organization_summary(organisation),
        "phones": organisation_phones(organisation, organization_id=organization_id),
        "contacts": organisation_contacts(organisation, organization_id=organization_id),
        "locations": [location_full(location) for location in locations.values()],
        "services": [service_summary(activity, request) for activity in activities],
    }


def organisation_contacts(organisation, **links):
    """The organisation's public contact point (never a named person)."""
    if not (organisation.email or organisation.phone):
        return []
    owner = "/".join(f"{key}={value}" for key, value in sorted(links.items()))
    contact_id = hsds_id("contact", f"organization/{organisation.pk}/{owner}")
    return [without_empty({
        "id": contact_id,
        "name": organisation.name,
        "email": organisation.email,
        "phones": organisation_phones(organisation, contact_id=contact_id),
        **links,
    })]


# --- locations ----------------------------------------------------------------------------------


def location_summary(location):
    return without_empty({
        "id": hsds_id("location", location.pk),
        "location_type": "physical",
        "organization_id": hsds_id("organization", location.organisation_id),
        "name": location.name,
        "transportation": location.directions,
        "latitude": location.latitude,
        "longitude": location.longitude,
    })


def location_full(location):
    data = location_summary(location)
    if location.street_address and location.city:
        # address_1, city, state_province, postal_code and country are required; Dutch
        # addresses name no province.
        data["addresses"] = [{
            "id": hsds_id("address", location.pk),
            "location_id": data["id"],
            "address_1": location.street_address,
            "city": location.city,
            "state_province": "",
            "postal_code": location.postcode,
            "country": "NL",
            "address_type": "physical",
            **({"region": location.area.name} if location.area else {}),
        }]
    return data


# --- services -----------------------------------------------------------------------------------


def service_status(activity):
    if activity.status == Activity.Status.PAUSED:
        return "temporarily closed"
    return "active" if activity.status == Activity.Status.ACTIVE else "inactive"


def application_process(activity):
    parts = [str(activity.get_join_method_display()).capitalize()]
    if activity.access == Activity.Access.REFERRAL:
        parts.append(_("A referral (indicatie) is needed."))
    if activity.join_url:
        parts.append(activity.join_url)
    return ". ".join(part.rstrip(".") for part in parts) + "."


def eligibility_description(activity):
    groups = [str(term_label(term.taxonomy, term.code)) for term in activity.terms.all()
              if term.taxonomy == Taxonomy.TARGET_GROUP]
    if not groups:
        return ""
    return _("For: %(groups)s") % {"groups": ", ".join(groups)}


def service_summary(activity, request):
    """The one-to-one fields of a service (service_list.json, without the organisation)."""
    return without_empty({
        "id": hsds_id("service", activity.pk),
        "organization_id": hsds_id("organization", activity.organisation_id),
        "name": activity.title,
        "description": plain_text(activity.description),
        "url": activity_url(request, activity),
        "email": activity.organisation.email,
        "status": service_status(activity),
        "application_process": application_process(activity),
        "fees_description": cost_text(activity),
        "eligibility_description": eligibility_description(activity),
        "last_modified": local_iso(activity.updated_at),
    })


def service_list_item(activity, request):
    return {
        **service_summary(activity, request),
        "organization": organization_summary(activity.organisation),
    }


def service_full(activity, request):
    service_id = hsds_id("service", activity.pk)
    organisation = activity.organisation
    return without_empty({
        **service_list_item(activity, request),
        "phones": organisation_phones(organisation, service_id=service_id),
        "contacts": organisation_contacts(organisation, service_id=service_id),
        "schedules": schedules(activity),
        "service_areas": service_areas(activity),
        "service_at_locations": [
            service_at_location_full(activity, location, request, nested=True)
            for location in activity.locations.all()
        ],
        "languages": languages(activity),
        "cost_options": [cost_option(activity)],
        "attributes": [term_attribute(activity, term) for term in activity.terms.all()],
    })


def cost_option(activity):
    return without_empty({
        "id": hsds_id("cost_option", activity.pk),
        "service_id": hsds_id("service", activity.pk),
        "currency": "EUR",
        "amount": float(activity.cost),
        "amount_description": activity.cost_note,
    })


def languages(activity):
    result = []
    for code in activity.languages or []:
        if not isinstance(code, str) or not code:
            continue
        info = LANG_INFO.get(code.lower(), {})
        result.append(without_empty({
            "id": hsds_id("language", f"service/{activity.pk}/{code}"),
            "service_id": hsds_id("service", activity.pk),
            "name": info.get("name_local") or info.get("name") or code,
            "code": code.lower(),
        }))
    return result


def service_areas(activity):
    areas = {}
    for location in activity.locations.all():
        if location.area:
            areas[location.area.pk] = location.area
    return [{
        "id": hsds_id("service_area", f"{activity.pk}/{area.code}"),
        "service_id": hsds_id("service", activity.pk),
        "name": area.name,
        "description": area.code,
    } for area in areas.values()]


def accessibility_note(activity):
    notes = []
    if activity.wheelchair_accessible:
        notes.append(_("Wheelchair accessible."))
    if activity.hearing_loop:
        notes.append(_("Hearing loop available."))
    if activity.transport_offered:
        notes.append(_("Transport can be arranged."))
    return " ".join(notes)


def service_at_location_summary(activity, location, request):
    return without_empty({
        "id": hsds_id("service_at_location", f"{activity.pk}/{location.pk}"),
        "service_id": hsds_id("service", activity.pk),
        "location_id": hsds_id("location", location.pk),
        "description": accessibility_note(activity),
    })


def service_at_location_list_item(activity, location, request):
    return {
        **service_at_location_summary(activity, location, request),
        "location": location_summary(location),
        "service": service_list_item(activity, request),
    }


def service_at_location_full(activity, location, request, nested=False):
    """service_at_location.json; inside a service it leaves out the service itself."""
    data = {
        **service_at_location_summary(activity, location, request),
        "location": location_full(location),
    }
    if not nested:
        data["service"] = service_list_item(activity, request)
        data["schedules"] = schedules(activity)
    return data


# --- schedules ----------------------------------------------------------------------------------


def schedules(activity):
    """HSDS schedules: the RRULE as its parts, opening and closing in local time; anything
    HSDS cannot express (other frequencies, skipped dates) goes in the description."""
    service_id = hsds_id("service", activity.pk)
    note = activity.schedule_note
    if activity.schedule_kind == Activity.ScheduleKind.BY_APPOINTMENT or not activity.starts_at:
        return [without_empty({
            "id": hsds_id("schedule", f"{activity.pk}/appointment"),
            "service_id": service_id,
            "description": _("By appointment") + (f". {note}" if note else ""),
        })]
    first = activity.starts_at.astimezone(local_zone())
    base = without_empty({
        "service_id": service_id,
        "opens_at": first.strftime("%H:%M:%S"),
        "closes_at": (
            activity.ends_at.astimezone(local_zone()).strftime("%H:%M:%S")
            if activity.ends_at else None
        ),
        "notes": note,
    })
    result = [{
        "id": hsds_id("schedule", f"{activity.pk}/main"),
        **base,
        "dtstart": first.date().isoformat(),
        "valid_from": first.date().isoformat(),
        **rule_fields(activity, first),
    }]
    for value in activity.extra_dates:
        day = value[:10]
        result.append({
            "id": hsds_id("schedule", f"{activity.pk}/extra/{value}"),
            **base, "dtstart": day, "valid_from": day, "valid_to": day, "count": 1,
        })
    return result


def rule_fields(activity, first):
    if activity.schedule_kind != Activity.ScheduleKind.RECURRING or not activity.recurrence:
        day = first.date().isoformat()
        return {"valid_to": day, "count": 1}
    rule = vRecur.from_ical(activity.recurrence)
    frequency = rule["FREQ"][0]
    if frequency not in HSDS_FREQUENCIES:
        return {"description": _("Repeats: %(rule)s") % {"rule": activity.recurrence}}
    fields = {"freq": frequency, "interval": int(rule.get("INTERVAL", [1])[0])}
    byday = rule.get("BYDAY") or ([RRULE_DAYS[first.weekday()]] if frequency == "WEEKLY" else [])
    if byday:
        fields["byday"] = ",".join(byday)
    if rule.get("BYMONTHDAY"):
        fields["bymonthday"] = ",".join(str(day) for day in rule["BYMONTHDAY"])
    if rule.get("WKST"):
        fields["wkst"] = rule["WKST"][0]
    if rule.get("COUNT"):
        fields["count"] = int(rule["COUNT"][0])
    if rule.get("UNTIL"):
        until = rule["UNTIL"][0]
        day = (until.date() if isinstance(until, datetime) else until).isoformat()
        fields["until"] = fields["valid_to"] = day
    if activity.excluded_dates:
        skipped = ", ".join(value[:10] for value in activity.excluded_dates)
        fields["description"] = _("Not on: %(dates)s") % {"dates": skipped}
    return fields
