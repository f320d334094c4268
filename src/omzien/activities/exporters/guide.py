"""The printable neighbourhood guide: a wijk's activities on paper, for residents who do not
use the internet. Grouped per weekday with times, place, address, phone and cost; activities
by appointment get their own section. Rendered with WeasyPrint from a template that fetches
nothing from outside."""

from datetime import timedelta

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.dates import WEEKDAYS

from ..models import Activity
from ..schedule import LOOKAHEAD, local_zone, occurrences
from .common import address_line, cost_text, public_phone


def entry(activity, dates=()):
    """What the guide says about one activity."""
    locations = list(activity.locations.all())
    return {
        "activity": activity,
        "places": [
            {"name": location.name, "address": address_line(location)} for location in locations
        ],
        "phone": public_phone(activity),
        "cost": cost_text(activity),
        "dates": list(dates),
    }


def weekday_sections(activities, start, end):
    """[(weekday name, [entry with starts/ends/every_week/dates])] for the days that have
    something on, Monday first, each day in order of time."""
    zone = local_zone()
    weeks_in_window = max(1, (end - start).days // 7)
    days = {number: [] for number in WEEKDAYS}
    for activity in activities:
        by_slot = {}
        for begins, ends in occurrences(activity, start, end):
            begins, ends = begins.astimezone(zone), ends.astimezone(zone)
            slot = (begins.weekday(), begins.time(), ends.time() if ends > begins else None)
            by_slot.setdefault(slot, []).append(begins.date())
        for (weekday, starts, ends), dates in by_slot.items():
            days[weekday].append({
                **entry(activity, dates),
                "starts": starts,
                "ends": ends,
                "every_week": len(dates) >= weeks_in_window,
            })
    def by_time(item):
        return item["starts"], item["activity"].title

    return [(WEEKDAYS[number], sorted(entries, key=by_time))
            for number, entries in days.items() if entries]


def guide_context(area, activities, now=None):
    now = now or timezone.now()
    activities = list(activities)
    by_appointment = [
        entry(activity) for activity in activities
        if activity.schedule_kind == Activity.ScheduleKind.BY_APPOINTMENT
    ]
    end = now + LOOKAHEAD
    return {
        "area": area,
        "municipality": settings.OMZIEN_MUNICIPALITY,
        "today": timezone.localdate(now),
        "until": timezone.localdate(end - timedelta(days=1)),
        "weekdays": weekday_sections(activities, now, end),
        "by_appointment": by_appointment,
    }


def render_guide_pdf(context):
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    class NoFetching(URLFetcher):
        """Rendered from its own HTML and CSS only: nothing is fetched from outside."""

        def fetch(self, url, headers=None):
            raise ValueError(f"Not fetched while rendering the guide: {url}")

    html = render_to_string("activities/guide_pdf.html", context)
    return HTML(string=html, url_fetcher=NoFetching()).write_pdf()
