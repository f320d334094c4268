"""Sharing the social map: calendar feeds, the CSV export, the wijken with their printable
guide. All public: they show only published activities and no personal data."""

from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_page

from omzien.core.models import AREA_CODE_PATTERNS, Area, Organisation

from ..exporters import csv as csv_export
from ..exporters import ical
from ..exporters.common import public_activities
from ..exporters.guide import guide_context, render_guide_pdf
from ..forms.search import SearchForm
from ..models import Activity
from ..queries import SearchCriteria, search_activities

FEED_CACHE_SECONDS = 15 * 60
GUIDE_CACHE_SECONDS = 60 * 60


def calendar_response(request, activities, name, filename):
    response = HttpResponse(ical.build_calendar(request, activities, name),
                            content_type=ical.CONTENT_TYPE)
    response["Content-Disposition"] = f'inline; filename="{filename}.ics"'
    response["Cache-Control"] = f"public, max-age={FEED_CACHE_SECONDS}"
    return response


def guide_area(code):
    """A wijk or buurt by its CBS code, or 404 (also for text that cannot be a code, which
    PostgreSQL would refuse, such as a NUL character)."""
    if not AREA_CODE_PATTERNS["district"].fullmatch(code) and not AREA_CODE_PATTERNS[
        "neighbourhood"
    ].fullmatch(code):
        raise Http404
    return get_object_or_404(
        Area, code=code, kind__in=[Area.Kind.DISTRICT, Area.Kind.NEIGHBOURHOOD]
    )


def activities_in(area):
    matches = search_activities(SearchCriteria(area=area), include_referral=True)
    return public_activities().filter(pk__in=matches.values("pk"))


def activity_feed(request, pk):
    activity = get_object_or_404(public_activities(), pk=pk)
    if not ical.feed_activities(Activity.objects.filter(pk=activity.pk)).exists():
        raise Http404  # by appointment, or no date yet: nothing to put in a calendar
    return calendar_response(
        request, public_activities().filter(pk=pk), activity.title, f"activiteit-{pk}"
    )


def organisation_feed(request, pk):
    organisation = get_object_or_404(Organisation, pk=pk, is_active=True)
    activities = public_activities().filter(organisation=organisation)
    name = _("Activities of %(name)s") % {"name": organisation.name}
    return calendar_response(request, activities, name, f"agenda-{slugify(organisation.name)}")


def area_feed(request, code):
    area = guide_area(code)
    name = _("What is on in %(name)s") % {"name": area.name}
    return calendar_response(request, activities_in(area), name, f"agenda-{area.code.lower()}")


# Rendering a guide takes WeasyPrint a second or more; it changes little within an hour.
@cache_page(GUIDE_CACHE_SECONDS)
def area_guide_pdf(request, code):
    area = guide_area(code)
    pdf = render_guide_pdf(guide_context(area, activities_in(area)))
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"wijkgids-{slugify(area.name) or area.code.lower()}-{timezone.localdate():%Y-%m-%d}"
    response["Content-Disposition"] = f'inline; filename="{filename}.pdf"'
    return response


def area_list(request):
    """The wijken (and buurten outside any wijk) that have activities, with their guide and
    calendar feed."""
    published = Activity.objects.published()
    links = Activity.locations.through.objects.filter(activity__in=published)
    per_district = dict(
        links.filter(location__area__parent__kind=Area.Kind.DISTRICT)
        .values_list("location__area__parent").annotate(count=Count("activity", distinct=True))
    )
    per_loose_buurt = dict(
        links.filter(location__area__isnull=False, location__area__parent__isnull=True)
        .values_list("location__area").annotate(count=Count("activity", distinct=True))
    )
    counts = {**per_district, **per_loose_buurt}
    areas = Area.objects.filter(pk__in=counts).filter(
        Q(kind=Area.Kind.DISTRICT) | Q(kind=Area.Kind.NEIGHBOURHOOD, parent__isnull=True)
    ).order_by("name")
    return render(request, "activities/guide_areas.html", {
        "areas": [(area, counts[area.pk]) for area in areas],
    })


def export_csv(request):
    """Published activities as CSV in the import template's columns; the search page's
    filters apply (except near an address, which needs the geocoder)."""
    form = SearchForm(request.GET)
    if not form.is_valid():
        return HttpResponse(
            _("The search filters are not correct. Go back to the search page and try again."),
            status=400, content_type="text/plain; charset=utf-8",
        )
    criteria = form.criteria()
    if form.cleaned_data["near_activity"] is not None:
        activity = form.cleaned_data["near_activity"]
        point = next((loc for loc in activity.locations.all() if loc.latitude is not None), None)
        if point is not None:
            criteria.near = form.near(point.latitude, point.longitude)
    matches = search_activities(criteria, include_referral=True)
    activities = public_activities().filter(pk__in=matches.values("pk"))
    response = HttpResponse(content_type=csv_export.CONTENT_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="activiteiten-{timezone.localdate():%Y-%m-%d}.csv"'
    )
    csv_export.write_activities(response, activities, request)
    return response
