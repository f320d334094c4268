"""Shared bits of the listing tests: a valid activity form submission and an imported
listing."""

from omzien.activities.models import Activity, ImportSource, TaxonomyTerm
from tests.activities.factories import make_activity
from tests.conftest import make_organisation


def kind_pk(code="meeting"):
    return TaxonomyTerm.objects.get(taxonomy="kind", code=code).pk


def activity_data(**overrides):
    """A complete, valid form: every Tuesday 10:00-11:30 from 2 March 2027."""
    data = {
        "title": "Wandelgroep De Stapper",
        "description": "Samen wandelen in het park.\n\nIedereen is welkom.",
        "kinds": [kind_pk("exercise")],
        "cost": "0",
        "access": "open",
        "schedule_kind": "recurring",
        "first_date": "2027-03-02",
        "start_time": "10:00",
        "end_time": "11:30",
        "repeat": "weekly",
        "weekdays": ["TU"],
        "join_method": "walk_in",
        "waiting_list": "on",
        "languages_spoken": ["nl"],
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def make_imported_activity(**fields):
    """A listing read from an import source, for an organisation without provider accounts."""
    source = ImportSource.objects.create(
        name="Agenda Wijkcentrum", format=ImportSource.Format.ICAL,
        url="https://wijkcentrum.example/agenda.ics",
    )
    organisation = fields.pop("organisation", None) or make_organisation(name="Wijkcentrum")
    return make_activity(organisation, source=source, source_key="event-1",
                         source_url="https://wijkcentrum.example/agenda", **fields)


def reload(activity):
    return Activity.objects.get(pk=activity.pk)
