"""The social map as an Open Referral HSDS 3.0 API at /api/hsds/ (read-only, public data only),
so other social-map systems, municipalities and apps can take over our activities.

Plain Django views rather than django-ninja: every response must be exactly the HSDS shape
(see `exporters/hsds.py`), and this API follows HSDS's own OpenAPI document, not ours. Errors
are RFC 9457 problem+json in the user's language, like /api/v1/; bad input is a 400, never
a 500. Paths follow the HSDS OpenAPI document (no trailing slash)."""

import math
import unicodedata
import uuid
from datetime import UTC, datetime, time
from functools import wraps

from django.http import JsonResponse
from django.urls import path, re_path
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from omzien.api import problem_response
from omzien.core.models import Organisation

from .exporters import hsds
from .exporters.common import public_activities
from .models import Activity, TaxonomyTerm
from .queries import SearchCriteria, search_activities
from .schedule import local_zone
from .search_index import query_terms
from .taxonomy import Taxonomy, term_label

HSDS_OPENAPI_URL = (
    "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/openapi.json"
)
HSDS_PROFILE_URL = "https://docs.openreferral.org/en/latest/hsds/overview.html"
DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 100
MAX_PAGE = 1_000_000
MAX_SEARCH_LENGTH = 200
MIN_YEAR, MAX_YEAR = 1900, 9999


class BadParameter(Exception):
    def __init__(self, name, reason):
        super().__init__(name, reason)
        self.name = name
        self.reason = str(reason)


def hsds_endpoint(view):
    """GET only; JSON out; bad parameters become a 400 problem, unknown ids a 404."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            response = problem_response(request, 405)
            response["Allow"] = "GET, HEAD"
            return response
        try:
            data = view(request, *args, **kwargs)
        except BadParameter as error:
            return problem_response(request, 400, detail=_(
                "A query parameter is not correct. See invalid-params."
            ), invalid_params=[{"name": error.name, "reason": error.reason}])
        if data is None:
            return problem_response(request, 404)
        response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
        # Public, read-only data: any website may read it.
        response["Access-Control-Allow-Origin"] = "*"
        response["API-Version"] = hsds.HSDS_VERSION
        return response

    return wrapper


# --- query parameters ---------------------------------------------------------------------------


def integer_parameter(request, name, default, minimum, maximum):
    raw = request.GET.get(name, "").strip()
    if not raw:
        return default
    if not raw.isascii() or not raw.isdigit() or len(raw) > 9:
        raise BadParameter(name, _("Enter a whole number from %(min)s to %(max)s.") % {
            "min": minimum, "max": maximum,
        })
    value = int(raw)
    if not minimum <= value <= maximum:
        raise BadParameter(name, _("Enter a whole number from %(min)s to %(max)s.") % {
            "min": minimum, "max": maximum,
        })
    return value


def uuid_parameter(request, name):
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None
    try:
        return str(uuid.UUID(raw))
    except ValueError:
        raise BadParameter(name, _("Enter an id in the form of a UUID.")) from None


def datetime_parameter(request, name):
    """An ISO 8601 date or date and time; without a zone it is local time."""
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None
    try:
        moment = parse_datetime(raw)
        if moment is None:
            day = parse_date(raw)
            moment = datetime.combine(day, time.min) if day else None
    except ValueError:
        moment = None
    if moment is None:
        raise BadParameter(name, _(
            "Enter a date and time in ISO 8601 form, for example 2026-11-01T09:00:00+01:00."
        ))
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=local_zone())
    try:
        moment.astimezone(UTC)  # what the database gets; year 1 in a zone east of UTC fails
    except OverflowError:
        moment = None
    if moment is None or not MIN_YEAR <= moment.year <= MAX_YEAR:
        raise BadParameter(name, _("Enter a date between the years %(min)s and %(max)s.") % {
            "min": MIN_YEAR, "max": MAX_YEAR,
        })
    return moment


def search_parameter(request):
    text = request.GET.get("search", "")
    if any(unicodedata.category(char) == "Cc" for char in text):
        raise BadParameter("search", _("Use only letters, digits and punctuation."))
    if len(text) > MAX_SEARCH_LENGTH:
        raise BadParameter("search", _("Use at most %(max)s characters.") % {
            "max": MAX_SEARCH_LENGTH,
        })
    return text.strip()


def check_format(request):
    value = request.GET.get("format", "").strip()
    if value and value != "json":
        raise BadParameter("format", _("Only the format json is offered."))


def paginate(request, items, serialise):
    """The HSDS page: total_items, total_pages, page_number, size, first_page, last_page,
    empty and contents. A page past the end is empty, not an error."""
    check_format(request)
    page = integer_parameter(request, "page", 1, 1, MAX_PAGE)
    per_page = integer_parameter(request, "per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE)
    total = len(items) if isinstance(items, list) else items.count()
    total_pages = math.ceil(total / per_page)
    start = (page - 1) * per_page
    contents = [serialise(item) for item in items[start:start + per_page]]
    return {
        "total_items": total,
        "total_pages": total_pages,
        "page_number": page,
        "size": len(contents),
        "first_page": page == 1,
        "last_page": page >= total_pages,
        "empty": not contents,
        "contents": contents,
    }


# --- finding objects by their HSDS id -----------------------------------------------------------


def by_hsds_id(kind, keys, wanted):
    """The key among `keys` whose derived id is `wanted`, or None. Ids are uuid5 hashes, so
    they are compared rather than decoded."""
    try:
        wanted = str(uuid.UUID(wanted))
    except ValueError:
        return None
    return next((key for key in keys if hsds.hsds_id(kind, key) == wanted), None)


def service_activities(request):
    """Published activities (with what the serialisers read, see public_activities),
    filtered by the HSDS query parameters."""
    activities = public_activities()
    text = search_parameter(request)
    if query_terms(text):
        matches = search_activities(SearchCriteria(text=text), include_referral=True)
        activities = activities.filter(pk__in=matches.values("pk"))
    modified_after = datetime_parameter(request, "modified_after")
    if modified_after is not None:
        activities = activities.filter(updated_at__gte=modified_after)
    organization_id = uuid_parameter(request, "organization_id")
    if organization_id is not None:
        organisation_pk = by_hsds_id(
            "organization",
            activities.order_by().values_list("organisation_id", flat=True).distinct(),
            organization_id,
        )
        activities = activities.filter(organisation_id=organisation_pk)
    term_id = uuid_parameter(request, "taxonomy_term_id")
    if term_id is not None:
        term = term_by_id(term_id)
        activities = activities.filter(terms=term) if term else activities.none()
    taxonomy_id = uuid_parameter(request, "taxonomy_id")
    if taxonomy_id is not None:
        taxonomy = by_hsds_id("taxonomy", Taxonomy.values, taxonomy_id)
        activities = (
            activities.filter(pk__in=Activity.objects.filter(terms__taxonomy=taxonomy).values("pk"))
            if taxonomy else activities.none()
        )
    return activities.order_by("title", "pk")


def term_by_id(term_id):
    terms = {(term.taxonomy, term.code): term for term in TaxonomyTerm.objects.all()}
    key = by_hsds_id("taxonomy_term", [f"{t}/{c}" for t, c in terms], term_id)
    return terms[tuple(key.split("/", 1))] if key else None


def public_organisations():
    """Organisations with at least one published activity: the ones on the social map."""
    return Organisation.objects.filter(
        is_active=True, pk__in=Activity.objects.published().values("organisation_id"),
    ).order_by("name", "pk")


# --- endpoints ----------------------------------------------------------------------------------


@hsds_endpoint
def root(request):
    return {
        "version": hsds.HSDS_VERSION,
        "profile": HSDS_PROFILE_URL,
        "openapi_url": HSDS_OPENAPI_URL,
    }


@hsds_endpoint
def service_list(request):
    return paginate(
        request, service_activities(request),
        lambda activity: hsds.service_list_item(activity, request),
    )


@hsds_endpoint
def service_detail(request, id):
    activities = public_activities()
    pk = by_hsds_id("service", activities.values_list("pk", flat=True), id)
    if pk is None:
        return None
    return hsds.service_full(activities.get(pk=pk), request)


@hsds_endpoint
def organization_list(request):
    organisations = public_organisations()
    text = search_parameter(request)
    if text:
        organisations = organisations.filter(name__icontains=text)
    return paginate(request, organisations, hsds.organization_summary)


@hsds_endpoint
def organization_detail(request, id):
    organisations = public_organisations()
    pk = by_hsds_id("organization", organisations.values_list("pk", flat=True), id)
    if pk is None:
        return None
    organisation = organisations.get(pk=pk)
    activities = public_activities().filter(organisation=organisation)
    return hsds.organization_full(organisation, list(activities), request)


def service_at_location_pairs(activities):
    return [(activity, location)
            for activity in activities for location in activity.locations.all()]


@hsds_endpoint
def service_at_location_list(request):
    pairs = service_at_location_pairs(service_activities(request))
    return paginate(
        request, pairs,
        lambda pair: hsds.service_at_location_list_item(*pair, request),
    )


@hsds_endpoint
def service_at_location_detail(request, id):
    links = Activity.locations.through.objects.filter(
        activity__in=public_activities()
    ).values_list("activity_id", "location_id")
    key = by_hsds_id("service_at_location", [f"{a}/{b}" for a, b in links], id)
    if key is None:
        return None
    activity_pk, location_pk = (int(part) for part in key.split("/"))
    activity = public_activities().get(pk=activity_pk)
    location = next(loc for loc in activity.locations.all() if loc.pk == location_pk)
    return hsds.service_at_location_full(activity, location, request)


@hsds_endpoint
def taxonomy_list(request):
    text = search_parameter(request).lower()
    codes = [code for code in Taxonomy.values
             if not text or text in str(Taxonomy(code).label).lower()]
    return paginate(request, codes, hsds.taxonomy)


@hsds_endpoint
def taxonomy_detail(request, id):
    code = by_hsds_id("taxonomy", Taxonomy.values, id)
    return hsds.taxonomy(code) if code else None


@hsds_endpoint
def taxonomy_term_list(request):
    terms = list(TaxonomyTerm.objects.all())
    taxonomy_id = uuid_parameter(request, "taxonomy_id")
    if taxonomy_id is not None:
        taxonomy = by_hsds_id("taxonomy", Taxonomy.values, taxonomy_id)
        terms = [term for term in terms if term.taxonomy == taxonomy]
    if uuid_parameter(request, "parent_id") is not None:
        terms = []  # our taxonomies are flat: no term has a parent
    text = search_parameter(request).lower()
    if text:
        terms = [term for term in terms
                 if text in str(term_label(term.taxonomy, term.code)).lower() or text in term.code]
    return paginate(request, terms, hsds.taxonomy_term)


@hsds_endpoint
def taxonomy_term_detail(request, id):
    term = term_by_id(id)
    return hsds.taxonomy_term(term) if term else None


def not_found(request, rest=""):
    return problem_response(request, 404)


urlpatterns = [
    path("", root, name="root"),
    path("services", service_list, name="services"),
    path("services/<str:id>", service_detail, name="service"),
    path("organizations", organization_list, name="organizations"),
    path("organizations/<str:id>", organization_detail, name="organization"),
    path("service_at_locations", service_at_location_list, name="service_at_locations"),
    path("service_at_locations/<str:id>", service_at_location_detail,
         name="service_at_location"),
    path("taxonomies", taxonomy_list, name="taxonomies"),
    path("taxonomies/<str:id>", taxonomy_detail, name="taxonomy"),
    path("taxonomy_terms", taxonomy_term_list, name="taxonomy_terms"),
    path("taxonomy_terms/<str:id>", taxonomy_term_detail, name="taxonomy_term"),
    re_path(r"^(?P<rest>.*)$", not_found),
]
hsds_urls = (urlpatterns, "hsds")
