"""Saving activities. Everything that writes an activity (forms, imports, the demo) goes
through `store_activity`, so descriptions are always sanitised and the schedule and search
fields always match what was saved."""

import nh3
from django.db import transaction

from ..models import Activity, SearchTerm
from ..schedule import derived_schedule_fields
from ..search_index import indexable_text, terms_of

# What a description may contain: simple text markup, links that cannot run script.
ALLOWED_TAGS = {"p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "a", "h3", "h4"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
MAX_DESCRIPTION_LENGTH = 20_000


def clean_description(html):
    """Sanitised HTML: no script, styles, event handlers or javascript: links."""
    cleaned = nh3.clean(
        (html or "")[:MAX_DESCRIPTION_LENGTH],
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="noopener noreferrer nofollow",
    )
    return cleaned.strip()


def refresh_schedule_fields(activity, now=None, save=True):
    """Recompute next date, weekdays and parts of the day (daily, and after every change)."""
    fields = derived_schedule_fields(activity, now)
    for field, value in fields.items():
        setattr(activity, field, value)
    if save:
        Activity.objects.filter(pk=activity.pk).update(**fields)


def search_terms_for(activity, term_rows):
    """The sorted stems the activity is found by (its locations are read from it)."""
    return sorted(terms_of(indexable_text(activity, term_rows)))


def reindex(activity):
    """Replace the activity's search terms with those of its current text."""
    SearchTerm.objects.filter(activity=activity).delete()
    SearchTerm.objects.bulk_create(
        SearchTerm(activity=activity, term=term)
        for term in search_terms_for(activity, activity.terms.all())
    )


def prepare(activity):
    """What every write does before saving: sanitise, derive the schedule fields (the bulk
    import calls this too)."""
    activity.description = clean_description(activity.description)
    refresh_schedule_fields(activity, save=False)


@transaction.atomic
def store_activity(activity, terms=None, locations=None):
    """Save an activity with its terms and locations, sanitised and indexed."""
    prepare(activity)
    activity.save()
    if terms is not None:
        activity.terms.set(terms)
    if locations is not None:
        activity.locations.set(locations)
    reindex(activity)
    return activity
