"""Each import format on realistic files: titles, places, times in Europe/Amsterdam (also
across summer time), recurrence expanded as residents will see it, skipped and moved dates."""

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings

from omzien.activities.models import Activity
from omzien.activities.schedule import occurrences
from omzien.activities.services.imports import run_import
from tests.conftest import make_organisation

DATA = Path(__file__).parent / "data"
AMS = ZoneInfo("Europe/Amsterdam")
pytestmark = pytest.mark.django_db


def local(*parts):
    return datetime(*parts, tzinfo=AMS)


def starts_between(activity, start, end):
    return [begins.astimezone(AMS).replace(tzinfo=None)
            for begins, _ends in occurrences(activity, local(*start), local(*end))]


def test_ical_feed_of_a_welfare_organisation():
    organisation = make_organisation(name="Stichting Welzijn Omzienstad")
    run = run_import("ical", (DATA / "welfare_agenda.ics").read_bytes(), "agenda.ics",
                     organisation=organisation)
    assert (run.created, run.rejected, run.failure) == (4, 0, "")
    coffee = Activity.objects.get(title="Koffieochtend in De Til")
    assert coffee.organisation == organisation
    assert coffee.recurrence.startswith("FREQ=WEEKLY")
    place = coffee.locations.get()
    assert (place.name, place.street_address, place.postcode, place.city) == (
        "Buurthuis De Til", "Tilstraat 12", "1234 AB", "Omzienstad")
    assert (place.latitude, place.longitude) == (52.0912, 5.1223)
    assert coffee.contact_email == "m.devries@welzijn-omzienstad.nl"
    assert {term.code for term in coffee.terms.all()} >= {"meeting", "age_55_plus"}
    assert "niemand kent" in coffee.description

    december = starts_between(coffee, (2026, 12, 1), (2027, 1, 1))
    # 8 Dec moved to the afternoon (RECURRENCE-ID), 29 Dec skipped (EXDATE), 31 Dec added.
    assert december == [
        datetime(2026, 12, 1, 10), datetime(2026, 12, 8, 14), datetime(2026, 12, 15, 10),
        datetime(2026, 12, 22, 10), datetime(2026, 12, 31, 14),
    ]
    # Summer time starts 28 March 2027: still 10:00 on the clock, the UNTIL still honoured.
    spring = starts_between(coffee, (2027, 3, 20), (2027, 4, 30))
    assert spring == [datetime(2027, 3, 23, 10), datetime(2027, 3, 30, 10)]
    assert coffee.ends_at - coffee.starts_at == (local(2026, 1, 1, 11, 30) - local(2026, 1, 1, 10))


def test_ical_all_day_utc_and_duration_events():
    run = run_import("ical", (DATA / "welfare_agenda.ics").read_bytes(), "agenda.ics")
    assert run.rejected == 0
    # Without a chosen organisation the calendar's name (X-WR-CALNAME) is the organisation.
    market = Activity.objects.get(title="Kerstmarkt voor de hele buurt")
    assert market.organisation.name == "Stichting Welzijn Omzienstad"
    assert market.starts_at == local(2026, 12, 19, 0, 0)
    assert market.schedule_kind == Activity.ScheduleKind.ONE_OFF
    digicafe = Activity.objects.get(title__startswith="Digicafé")
    # 13:00 UTC in March (winter time) is 14:00 in Amsterdam.
    assert digicafe.starts_at.astimezone(AMS).hour == 14
    assert {term.code for term in digicafe.terms.all()} == {"digital_skills"}
    walk = Activity.objects.get(title="Wandelgroep Beweeg mee")
    walks = starts_between(walk, (2027, 3, 1), (2027, 6, 1))
    assert len(walks) == 6
    assert walks[-1] == datetime(2027, 4, 6, 9, 30)  # after the change to summer time
    assert walk.ends_at - walk.starts_at == local(2026, 1, 1, 1, 30) - local(2026, 1, 1, 0)


def test_json_ld_event_with_weekly_schedule_and_hostile_description():
    run = run_import("jsonld", (DATA / "agenda_jsonld.html").read_bytes(), "agenda.html")
    assert (run.created, run.rejected) == (2, 2)
    reasons = " ".join(rejection["reason"] for rejection in run.rejections)
    assert "startDate" in reasons and "afgelast" in reasons
    meal = Activity.objects.get(title="Samen eten op donderdag")
    assert meal.organisation.name == "Buurtcentrum De Schakel"
    assert meal.cost == 4.5
    assert meal.join_url == "https://deschakel.example.nl/aanmelden"
    assert meal.join_method == Activity.JoinMethod.EXTERNAL
    assert "<script" not in meal.description and "javascript:" not in meal.description
    assert "onerror" not in meal.description
    assert "<strong>verse maaltijd</strong>" in meal.description
    december = starts_between(meal, (2026, 12, 1), (2027, 1, 8))
    assert december == [datetime(2026, 12, 3, 17, 30), datetime(2026, 12, 10, 17, 30),
                        datetime(2026, 12, 17, 17, 30), datetime(2027, 1, 7, 17, 30)]
    place = meal.locations.get()
    assert (place.street_address, place.postcode) == ("Schakelplein 4", "1234 GH")
    games = Activity.objects.get(title="Spelletjesmiddag")
    assert games.is_free and games.starts_at == local(2027, 7, 1, 14)


def test_microdata_and_rdfa_pages():
    run = run_import("jsonld", (DATA / "agenda_microdata.html").read_bytes(), "bieb.html")
    assert (run.created, run.rejected) == (1, 0)
    course = Activity.objects.get(title__startswith="Cursus: videobellen")
    assert course.cost == 12.5 and course.starts_at == local(2027, 1, 12, 10)
    assert course.organisation.name == "Bibliotheek Omzienstad"
    assert {term.code for term in course.terms.all()} >= {"course", "digital_skills"}

    run = run_import("jsonld", (DATA / "agenda_rdfa.html").read_bytes(), "kerk.html")
    assert (run.created, run.rejected) == (1, 0)
    grief = Activity.objects.get(title="Gespreksgroep rouw en verlies")
    assert grief.organisation.name == "Diaconie Omzienstad"
    assert grief.starts_at == local(2027, 2, 4, 19, 30)
    assert grief.locations.get().street_address == "Kerkpad 1"
    assert {term.code for term in grief.terms.all()} == {"meaning"}


def test_hsds_list_of_services():
    run = run_import("hsds", (DATA / "hsds_services.json").read_bytes(), "hsds.json")
    assert (run.created, run.rejected) == (2, 0)
    buddy = Activity.objects.get(title="Maatjesproject Samen Verder")
    assert buddy.organisation.name == "Stichting Samen Verder"
    assert Activity.objects.get(title="Belbus voor ouderen").organisation == buddy.organisation
    assert buddy.recurrence.startswith("FREQ=WEEKLY;BYDAY=WE")
    assert starts_between(buddy, (2026, 12, 1), (2026, 12, 15)) == [
        datetime(2026, 12, 2, 14), datetime(2026, 12, 9, 14)]
    assert buddy.locations.get().postcode == "1234 MN"
    assert {term.code for term in buddy.terms.all()} == {"buddy"}
    belbus = Activity.objects.get(title="Belbus voor ouderen")
    assert belbus.schedule_kind == Activity.ScheduleKind.BY_APPOINTMENT


@pytest.mark.parametrize("name", [
    "service_full.json", "service_list.json", "organization_full.json", "organization_list.json",
    "service_at_location_full.json", "service_at_location_list.json",
])
def test_hsds_standard_examples_import_cleanly(name):
    path = Path(settings.OMZIEN_HSDS_STANDARD_DIR) / "examples" / name
    if not path.exists():
        pytest.skip(f"HSDS examples not found at {path}")
    run = run_import("hsds", path.read_bytes(), name)
    assert run.failure == "" and run.rejected == 0, run.rejections
    if name != "organization_list.json":  # that list holds organizations without services
        assert run.created == 1
        activity = Activity.objects.get()
        assert activity.title == "Community Counselling"
        assert activity.organisation.name == "Example Organization Inc."
        # The example's coordinates (100, 101) do not exist; the place is kept without them.
        assert all(place.latitude is None for place in activity.locations.all())


def test_csv_template():
    run = run_import("csv", (DATA / "activities.csv").read_bytes(), "aanbod.csv")
    assert (run.created, run.rejected) == (3, 1)
    assert run.rejections[0]["item"] == "Onmogelijke datum"
    assert "2027-02-31" in run.rejections[0]["reason"]
    club = Activity.objects.get(title="Handwerkclub")
    assert club.cost == 2.5 and club.wheelchair_accessible
    assert club.contact_phone == "030-1234567"
    assert starts_between(club, (2026, 12, 20), (2027, 1, 6)) == [
        datetime(2026, 12, 21, 13, 30), datetime(2027, 1, 4, 13, 30)]
    advice = Activity.objects.get(title="Ouderenadvies")
    assert advice.access == Activity.Access.REFERRAL
    assert advice.schedule_kind == Activity.ScheduleKind.BY_APPOINTMENT
    assert advice.join_url == ""  # a javascript: link is dropped
    carers = Activity.objects.get(title="Mantelzorgcafé")
    assert carers.starts_at == local(2027, 1, 15, 19, 30) and carers.is_free
    assert {term.code for term in carers.terms.all()} == {"carer_support", "carers"}
