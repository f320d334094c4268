"""Finding activities: the public search page (list and map), the activity page, and the same
search inside the workspace for professionals, who also see how to refer someone."""

import json
import re

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from omzien.core.access import staff_view
from omzien.core.permissions import Perm

from ..forms.search import DEFAULT_DISTANCE_KM, SearchForm
from ..geocoding import GeocoderUnavailable, locate
from ..models import Activity
from ..queries import distance_km, is_stale, nearest_point, search_activities
from ..schedule import local_zone, occurrences
from ..taxonomy import Taxonomy
from .signups import signup_block_context

PAGE_SIZE = 20
# The map shows the markers of one page; a bigger page gives a fuller map.
MAP_PAGE_SIZE = 100
MAP_VIEW = "kaart"
UPCOMING_DATES = 8


# --- search ---


def search(request):
    return _search_page(request, staff=False)


@staff_view(Perm.SEARCH_ACTIVITIES)
def staff_search(request):
    return _search_page(request, staff=True)


def _search_page(request, staff):
    data = request.GET.copy()
    data.setdefault("distance", str(DEFAULT_DISTANCE_KM))
    form = SearchForm(data)
    map_view = request.GET.get("weergave") == MAP_VIEW
    context = {
        "form": form, "staff": staff, "map_view": map_view,
        "list_url": _view_url(request, ""), "map_url": _view_url(request, MAP_VIEW),
        "page_query": _query_without_page(request),
        "tile_url": settings.OMZIEN_MAP_TILE_URL,
        "map_attribution": settings.OMZIEN_MAP_ATTRIBUTION,
    }
    if not form.is_valid():
        return render(request, "activities/search.html", context, status=400)
    criteria = form.criteria()
    near_label, geocoder_unavailable = _apply_near(form, criteria)
    if form.errors:  # the address was not found
        return render(request, "activities/search.html", context, status=400)
    results = search_activities(criteria, include_referral=True).prefetch_related("locations")
    page = Paginator(results, MAP_PAGE_SIZE if map_view else PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    for activity in page:
        activity.distance_km = distance_km(activity)
        activity.point = nearest_point(activity)
    return render(request, "activities/search.html", {
        **context, "page": page, "near_label": near_label,
        "geocoder_unavailable": geocoder_unavailable,
    })


def _apply_near(form, criteria):
    """Put "near this place" into the criteria, from an address the user typed or else from
    another activity (?bij=). Returns (a description of the place or "", whether the geocoder
    was unreachable)."""
    address = form.cleaned_data["address"]
    if address:
        return _near_address(form, criteria, address)
    activity = form.cleaned_data["near_activity"]
    point = nearest_point(activity) if activity is not None else None
    if point is None:
        return "", False
    criteria.near = form.near(*point)
    return activity.title, False


def _near_address(form, criteria, address):
    try:
        place = locate(address)
    except GeocoderUnavailable:
        return "", True
    if place is None:
        form.add_error("address", _(
            "We could not find this address. Check it, try only the postcode, or choose "
            "your wijk or buurt from the list."
        ))
        return "", False
    criteria.near = form.near(place.latitude, place.longitude)
    return place.display_name or address, False


def _query_without_page(request):
    """This search's query string without the page number, ending in "&" when not empty.
    Repeated keys (several days) are kept, which the core pagination include does not."""
    params = request.GET.copy()
    params.pop("page", None)
    query = params.urlencode()
    return f"{query}&" if query else ""


def _view_url(request, view):
    """This search's address in the list or map view (always from the first page)."""
    params = request.GET.copy()
    for key in ("weergave", "page"):
        params.pop(key, None)
    if view:
        params["weergave"] = view
    query = params.urlencode()
    return f"{request.path}?{query}" if query else request.path


# --- the activity page ---


def activity_detail(request, pk):
    activity = get_object_or_404(
        Activity.objects.select_related("organisation").prefetch_related("terms", "locations"),
        pk=pk,
    )
    if activity.review_state != Activity.ReviewState.APPROVED:
        raise Http404
    if activity.status == Activity.Status.ENDED:
        return render(request, "activities/detail_ended.html", {
            "activity": activity, "search_url": reverse("activities:search"),
        }, status=410)
    dates = occurrences(activity)[:UPCOMING_DATES]
    context = {
        "activity": activity,
        "dates": dates,
        "kinds": _terms_of(activity, Taxonomy.KIND),
        "target_groups": _terms_of(activity, Taxonomy.TARGET_GROUP),
        "languages": [_language_name(code) for code in activity.languages if code],
        "locations": list(activity.locations.all()),
        "is_stale": is_stale(activity),
        "near_url": f"{reverse('activities:search')}?{urlencode({'bij': activity.pk})}",
        "json_ld": _json_ld_script(event_json_ld(request, activity, dates)),
    }
    context.update(signup_block_context(request, activity))
    return render(request, "activities/detail.html", context)


def _terms_of(activity, taxonomy):
    return [term.label for term in activity.terms.all() if term.taxonomy == taxonomy]


def _language_name(code):
    try:
        return get_language_info(str(code))["name_translated"]
    except KeyError:
        return str(code)


# --- schema.org Event (JSON-LD), for search engines and other sites' agendas ---

RRULE_FREQUENCIES = {"DAILY": "D", "WEEKLY": "W", "MONTHLY": "M", "YEARLY": "Y"}
RRULE_DAYS = {
    "MO": "Monday", "TU": "Tuesday", "WE": "Wednesday", "TH": "Thursday", "FR": "Friday",
    "SA": "Saturday", "SU": "Sunday",
}
# What keeps a JSON text inside its <script> element: no "</script>", "<!--" or "&" as is.
JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def _json_ld_script(data):
    # Safe: every character that could end the element or start markup is escaped.
    return mark_safe(  # noqa: S308
        json.dumps(data, ensure_ascii=False).translate(JSON_SCRIPT_ESCAPES)
    )


def event_json_ld(request, activity, dates):
    url = request.build_absolute_uri(reverse("activities:detail", args=[activity.pk]))
    event = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": activity.title,
        "description": " ".join(strip_tags(activity.description).split())[:5000],
        "url": url,
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "eventStatus": "https://schema.org/EventScheduled",
        "isAccessibleForFree": activity.is_free,
        "organizer": {"@type": "Organization", "name": activity.organisation.name},
        "location": [_place_json_ld(location) for location in activity.locations.all()],
        "offers": {
            "@type": "Offer", "price": f"{activity.cost:.2f}", "priceCurrency": "EUR",
            "url": url,
        },
    }
    if dates:
        event["startDate"] = dates[0][0].isoformat()
        if dates[0][1] > dates[0][0]:
            event["endDate"] = dates[0][1].isoformat()
    schedule = _event_schedule(activity)
    if schedule:
        event["eventSchedule"] = schedule
    return event


def _place_json_ld(location):
    place = {
        "@type": "Place",
        "name": location.name or location.street_address,
        "address": {
            "@type": "PostalAddress", "streetAddress": location.street_address,
            "postalCode": location.postcode, "addressLocality": location.city,
            "addressCountry": "NL",
        },
    }
    if location.latitude is not None and location.longitude is not None:
        place["geo"] = {
            "@type": "GeoCoordinates", "latitude": location.latitude,
            "longitude": location.longitude,
        }
    return place


def _event_schedule(activity):
    """A schema.org Schedule for a recurring activity, from its RRULE, or None."""
    if (activity.schedule_kind != Activity.ScheduleKind.RECURRING or not activity.recurrence
            or activity.starts_at is None):
        return None
    rule = activity.recurrence.upper().removeprefix("RRULE:")
    parts = dict(part.split("=", 1) for part in rule.split(";") if "=" in part)
    frequency = RRULE_FREQUENCIES.get(parts.get("FREQ", ""))
    if frequency is None:
        return None
    interval = parts.get("INTERVAL", "1")
    first = activity.starts_at.astimezone(local_zone())
    schedule = {
        "@type": "Schedule",
        "repeatFrequency": f"P{interval if interval.isdigit() else '1'}{frequency}",
        "startDate": first.date().isoformat(),
        "startTime": first.strftime("%H:%M"),
        "scheduleTimezone": settings.TIME_ZONE,
    }
    if activity.ends_at:
        schedule["endTime"] = activity.ends_at.astimezone(local_zone()).strftime("%H:%M")
    days = re.findall(r"(MO|TU|WE|TH|FR|SA|SU)", parts.get("BYDAY", ""))
    if not days and frequency == "W":
        days = [list(RRULE_DAYS)[first.weekday()]]
    if days:
        schedule["byDay"] = [f"https://schema.org/{RRULE_DAYS[day]}" for day in days]
    if parts.get("COUNT", "").isdigit():
        schedule["repeatCount"] = int(parts["COUNT"])
    if re.match(r"^\d{8}", parts.get("UNTIL", "")):
        until = parts["UNTIL"]
        schedule["endDate"] = f"{until[:4]}-{until[4:6]}-{until[6:8]}"
    return schedule
