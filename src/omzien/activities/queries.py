"""Finding activities: the search behind the public search page, the professionals' search and
the map. Every filter is a `pk IN (subquery)` on an indexed table or a condition on the activity
row itself, so the database never has to join and de-duplicate (no DISTINCT), and a search over
100,000 activities stays a few index range scans (see tests/activities/test_search_queries.py
and the benchmark)."""

import math
from dataclasses import dataclass, field
from datetime import timedelta
from typing import NamedTuple

from django.conf import settings
from django.db.models import BooleanField, Case, F, OuterRef, Q, Subquery, Value, When
from django.utils import timezone

from omzien.core.models import Area

from .models import Activity, Location, SearchTerm
from .schedule import DAY_PARTS
from .search_index import prefix_upper_bound, query_terms
from .taxonomy import Taxonomy

DAY_PART_BITS = {code: 1 << index for index, (code, _label, _hours) in enumerate(DAY_PARTS)}
# Kilometres per degree of latitude; a degree of longitude is this times cos(latitude).
KM_PER_DEGREE = 111.2


class Near(NamedTuple):
    """Around a point (WGS84), within `km` kilometres."""

    latitude: float
    longitude: float
    km: float


@dataclass
class SearchCriteria:
    text: str = ""
    area: Area | None = None  # a wijk (its buurten count) or a buurt
    near: Near | tuple | None = None  # (latitude, longitude, km)
    weekdays: set = field(default_factory=set)  # 0 = Monday
    day_parts: set = field(default_factory=set)  # codes of schedule.DAY_PARTS
    kinds: set = field(default_factory=set)  # term codes; any of them
    target_groups: set = field(default_factory=set)  # term codes; any of them
    free_only: bool = False
    open_access_only: bool = False  # no referral (indicatie) needed
    accessible_only: bool = False  # wheelchair accessible


def stale_cutoff(now=None):
    """Activities last checked before this moment may be out of date."""
    return (now or timezone.now()) - timedelta(days=settings.OMZIEN_ACTIVITY_STALE_DAYS)


def is_stale(activity, now=None):
    return activity.verified_at < stale_cutoff(now)


def with_staleness(activities, now=None):
    """Annotate `is_stale` on a queryset of activities (same rule as `is_stale`)."""
    return activities.annotate(is_stale=Case(
        When(verified_at__lt=stale_cutoff(now), then=Value(True)),
        default=Value(False), output_field=BooleanField(),
    ))


def search_activities(criteria, include_referral=False):
    """Published activities that match every given criterion: fresh ones first, then by next
    date (those without one last), then title. With `include_referral`, activities that need a
    referral (indicatie) are included too; the public search and the professionals' search
    include them (the public page marks them), lists for other uses may leave them out."""
    activities = Activity.objects.published()
    if not include_referral:
        activities = activities.filter(access=Activity.Access.OPEN)
    activities = activities.filter(_row_conditions(criteria))
    candidates = _candidate_ids(criteria)
    if candidates is not None:
        activities = activities.filter(pk__in=candidates)
    activities = _filter_schedule(activities, criteria)
    activities = with_staleness(activities)
    ordering = ["is_stale", F("next_starts_at").asc(nulls_last=True), "title", "pk"]
    if criteria.near:
        activities = _within_distance(activities, Near(*criteria.near))
        ordering.insert(1, "distance_sq")
    return activities.select_related("organisation").order_by(*ordering)


def _row_conditions(criteria):
    conditions = Q()
    if criteria.free_only:
        conditions &= Q(cost=0)
    if criteria.open_access_only:
        conditions &= Q(access=Activity.Access.OPEN)
    if criteria.accessible_only:
        conditions &= Q(wheelchair_accessible=True)
    return conditions


def _candidate_ids(criteria):
    """The ids of activities that match every criterion kept in another table, as one nested
    subquery: each step keeps only the ids of the step inside it. The database intersects the
    sets on narrow, indexed tables before it reads a single activity row, so a common word and
    a wijk cost a few index scans, not thousands of lookups of whole activities. None when no
    such criterion is given."""
    ids = None
    for rows in _rows_per_criterion(criteria):
        if ids is not None:
            rows = rows.filter(activity_id__in=ids)
        ids = rows.values("activity_id")
    return ids


def _rows_per_criterion(criteria):
    """Per criterion, the rows (each with an activity_id) that satisfy it, the most selective
    first (innermost): a wijk holds a few dozen activities, a common word thousands."""
    if criteria.area is not None:
        yield Activity.locations.through.objects.filter(
            location_id__in=Location.objects.filter(
                area_id__in=buurt_ids(criteria.area)
            ).values("pk")
        )
    if criteria.near:
        yield Activity.locations.through.objects.filter(
            location_id__in=_locations_in_box(Near(*criteria.near)).values("pk")
        )
    for taxonomy, codes in ((Taxonomy.KIND, criteria.kinds),
                            (Taxonomy.TARGET_GROUP, criteria.target_groups)):
        if codes:
            yield Activity.terms.through.objects.filter(
                taxonomyterm__taxonomy=taxonomy, taxonomyterm__code__in=codes
            )
    for term in query_terms(criteria.text):
        yield SearchTerm.objects.filter(term__gte=term, term__lt=prefix_upper_bound(term))


def buurt_ids(area):
    """The buurten of an area: a buurt itself, or a wijk's (or municipality's) buurten."""
    if area.kind == Area.Kind.NEIGHBOURHOOD:
        return [area.pk]
    if area.kind == Area.Kind.DISTRICT:
        return list(area.children.values_list("pk", flat=True))
    return list(Area.objects.filter(
        parent__parent=area, kind=Area.Kind.NEIGHBOURHOOD
    ).values_list("pk", flat=True))


def _filter_schedule(activities, criteria):
    """Weekdays and parts of the day: on any of the chosen days, in any of the chosen parts."""
    weekday_bits = sum(1 << day for day in set(criteria.weekdays) if 0 <= day <= 6)
    if weekday_bits:
        activities = activities.alias(
            on_weekday=F("weekday_mask").bitand(weekday_bits)
        ).filter(on_weekday__gt=0)
    day_part_bits = sum(DAY_PART_BITS.get(code, 0) for code in set(criteria.day_parts))
    if day_part_bits:
        activities = activities.alias(
            in_day_part=F("day_part_mask").bitand(day_part_bits)
        ).filter(in_day_part__gt=0)
    return activities


def _degree_scales(latitude):
    """Kilometres per degree of latitude and of longitude around `latitude`: a flat-earth
    approximation that is off by well under 1% within a municipality."""
    return KM_PER_DEGREE, KM_PER_DEGREE * max(math.cos(math.radians(latitude)), 0.01)


def _locations_in_box(near):
    """Locations inside the square around the point: an index range scan on latitude."""
    per_lat, per_lon = _degree_scales(near.latitude)
    delta_lat, delta_lon = near.km / per_lat, near.km / per_lon
    return Location.objects.filter(
        latitude__gte=near.latitude - delta_lat, latitude__lte=near.latitude + delta_lat,
        longitude__gte=near.longitude - delta_lon, longitude__lte=near.longitude + delta_lon,
    )


def _distance_sq_expression(near):
    """Squared distance in km² from the point to a location (arithmetic only, so it runs the
    same on SQLite and PostgreSQL)."""
    per_lat, per_lon = _degree_scales(near.latitude)
    d_lat = (F("latitude") - Value(near.latitude)) * Value(per_lat)
    d_lon = (F("longitude") - Value(near.longitude)) * Value(per_lon)
    return d_lat * d_lat + d_lon * d_lon


def _within_distance(activities, near):
    """Annotate each activity's squared distance to its nearest location and keep those
    within the circle (the box subquery already narrowed them down)."""
    nearest = (
        _locations_in_box(near).filter(activities=OuterRef("pk"))
        .annotate(distance_sq=_distance_sq_expression(near))
        .order_by("distance_sq").values("distance_sq")[:1]
    )
    return activities.annotate(distance_sq=Subquery(nearest)).filter(
        distance_sq__lte=near.km * near.km
    )


def distance_km(activity):
    """The distance annotated by a search near a point, in km, or None."""
    distance_sq = getattr(activity, "distance_sq", None)
    return math.sqrt(distance_sq) if distance_sq is not None else None


def nearest_point(activity):
    """(latitude, longitude) of the activity's first location with coordinates, or None."""
    for location in activity.locations.all():
        if location.latitude is not None and location.longitude is not None:
            return location.latitude, location.longitude
    return None
