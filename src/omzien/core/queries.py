"""Reads of shared data that are more than a one-liner."""

from django.db.models import Count, Q

from .models import Area, Organisation


def search_organisations(text="", sector=""):
    organisations = Organisation.objects.all()
    if text:
        organisations = organisations.filter(Q(name__icontains=text) | Q(city__icontains=text))
    if sector in Organisation.Sector.values:
        organisations = organisations.filter(sector=sector)
    return organisations.order_by("name")


def area_overview(parent_code=""):
    """Areas one level below `parent_code`, or the municipalities when it is empty."""
    areas = Area.objects.annotate(child_count=Count("children"))
    if parent_code:
        return areas.filter(parent__code=parent_code)
    return areas.filter(kind=Area.Kind.MUNICIPALITY)
