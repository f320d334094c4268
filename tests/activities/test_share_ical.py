"""Agenda-feeds (iCalendar): per activiteit, per organisatie en per wijk. Een agenda-app moet
dezelfde data uitrekenen als Omzien zelf, ook over de wisseling van zomer- naar wintertijd."""

from datetime import datetime, timedelta

import pytest
import recurring_ical_events
from icalendar import Calendar

from omzien.activities.models import Activity
from omzien.activities.schedule import occurrences
from tests.activities.factories import AMSTERDAM, make_activity, make_area, make_location
from tests.conftest import make_organisation

pytestmark = pytest.mark.django_db


def feed(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def events(calendar):
    return list(calendar.walk("VEVENT"))


def test_feed_van_een_activiteit_heeft_alles_wat_een_agenda_nodig_heeft(client):
    organisation = make_organisation(name="Welzijn Noord", email="info@welzijn.example")
    place = make_location(organisation, name="Buurthuis De Kroon",
                          street_address="Kerkstraat 5", postcode="1234 AB", city="Omzienstad",
                          latitude=52.37, longitude=4.89)
    activity = make_activity(
        organisation, title="Koffie & praten", locations=[place],
        description="<p>Samen <strong>koffie</strong> drinken.</p><ul><li>Gratis</li></ul>",
    )

    calendar = feed(client, f"/activiteiten/{activity.pk}/agenda.ics")

    assert str(calendar["X-WR-CALNAME"]) == "Koffie & praten"
    assert calendar["VERSION"] == "2.0"
    assert "Omzien" in str(calendar["PRODID"])
    assert [str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")] == ["Europe/Amsterdam"]
    [event] = events(calendar)
    assert str(event["UID"]) == f"activity-{activity.pk}@127.0.0.1"
    assert event["DTSTART"].params["TZID"] == "Europe/Amsterdam"
    assert event.decoded("DTSTART") == activity.starts_at
    assert event.decoded("DTEND") == activity.ends_at
    assert str(event["SUMMARY"]) == "Koffie & praten"
    description = str(event["DESCRIPTION"])
    assert "Samen koffie drinken." in description
    assert "- Gratis" in description
    assert "<" not in description
    assert "Welzijn Noord" in description
    assert str(event["LOCATION"]) == "Buurthuis De Kroon, Kerkstraat 5, 1234 AB Omzienstad"
    assert (event["GEO"].latitude, event["GEO"].longitude) == (52.37, 4.89)
    assert str(event["URL"]) == f"http://127.0.0.1/activiteiten/{activity.pk}/"
    assert str(event["STATUS"]) == "CONFIRMED"
    assert "DTSTAMP" in event and "LAST-MODIFIED" in event
    assert event["RRULE"].to_ical() == b"FREQ=WEEKLY"


# A start in October before the clocks go back, a window into April after they go forward.
FIRST = datetime(2026, 10, 13, 10, 0, tzinfo=AMSTERDAM)
WINDOW = (datetime(2026, 10, 1, tzinfo=AMSTERDAM), datetime(2027, 4, 30, tzinfo=AMSTERDAM))


@pytest.mark.parametrize(("recurrence", "extra", "skipped"), [
    ("FREQ=WEEKLY", [], []),
    ("FREQ=WEEKLY;BYDAY=TU,TH", ["2026-12-27T15:00"], ["2026-12-24T10:00", "2026-12-29T10:00"]),
    ("FREQ=WEEKLY;INTERVAL=2;UNTIL=20270320T100000", [], []),
    ("FREQ=MONTHLY;BYDAY=2TU;COUNT=5", ["2027-04-01T10:00"], []),
    ("FREQ=DAILY;UNTIL=20261102", [], ["2026-10-25T10:00"]),
])
def test_agenda_app_rekent_dezelfde_data_uit_als_omzien(client, recurrence, extra, skipped):
    activity = make_activity(
        starts_at=FIRST, ends_at=FIRST + timedelta(hours=2), recurrence=recurrence,
        extra_dates=extra, excluded_dates=skipped,
    )

    calendar = feed(client, f"/activiteiten/{activity.pk}/agenda.ics")
    computed = recurring_ical_events.of(calendar).between(*WINDOW)

    from_feed = sorted((event.decoded("DTSTART"), event.decoded("DTEND")) for event in computed)
    expected = occurrences(activity, *WINDOW)
    assert from_feed == expected
    assert len(expected) >= 5
    # After the clocks went back the activity still starts at 10:00 local time.
    assert {begins.astimezone(AMSTERDAM).hour for begins, _ends in expected} <= {10, 15}


def test_eenmalige_activiteit_met_extra_datum(client):
    activity = make_activity(
        schedule_kind=Activity.ScheduleKind.ONE_OFF, starts_at=FIRST,
        ends_at=FIRST + timedelta(hours=1), recurrence="", extra_dates=["2026-11-10T19:30"],
    )

    calendar = feed(client, f"/activiteiten/{activity.pk}/agenda.ics")
    computed = recurring_ical_events.of(calendar).between(*WINDOW)

    assert "RRULE" not in events(calendar)[0]
    assert sorted(event.decoded("DTSTART") for event in computed) == [
        begins for begins, _ends in occurrences(activity, *WINDOW)
    ]
    assert len(computed) == 2


def test_alleen_gepubliceerde_activiteiten_met_data(client):
    pending = make_activity(review_state=Activity.ReviewState.PENDING)
    ended = make_activity(status=Activity.Status.ENDED)
    appointment = make_activity(schedule_kind=Activity.ScheduleKind.BY_APPOINTMENT)

    for activity in (pending, ended, appointment):
        assert client.get(f"/activiteiten/{activity.pk}/agenda.ics").status_code == 404
    assert client.get("/activiteiten/999999/agenda.ics").status_code == 404


def test_feed_van_een_organisatie(client):
    organisation = make_organisation(name="Stichting Samen")
    mine = make_activity(organisation, title="Samen wandelen")
    make_activity(organisation, title="Bij u thuis",
                  schedule_kind=Activity.ScheduleKind.BY_APPOINTMENT)
    make_activity(organisation, title="Nog niet goedgekeurd",
                  review_state=Activity.ReviewState.PENDING)
    make_activity(title="Van een ander")
    paused = make_activity(organisation, title="Even stil", status=Activity.Status.PAUSED)

    calendar = feed(client, f"/activiteiten/organisaties/{organisation.pk}/agenda.ics")

    assert "Stichting Samen" in str(calendar["X-WR-CALNAME"])
    found = {str(event["SUMMARY"]): event for event in events(calendar)}
    assert set(found) == {"Samen wandelen", "Even stil"}
    assert str(found["Even stil"]["STATUS"]) == "CANCELLED"
    assert str(found["Samen wandelen"]["UID"]) == f"activity-{mine.pk}@127.0.0.1"
    assert paused.pk != mine.pk
    assert client.get("/activiteiten/organisaties/999999/agenda.ics").status_code == 404


def test_feed_van_een_wijk_bevat_de_activiteiten_in_haar_buurten(client):
    municipality = make_area("GM0344", "Omzienstad")
    noord = make_area("WK034401", "Noord", parent=municipality)
    zuid = make_area("WK034402", "Zuid", parent=municipality)
    vogelbuurt = make_area("BU03440101", "Vogelbuurt", parent=noord)
    havenbuurt = make_area("BU03440201", "Havenbuurt", parent=zuid)
    make_activity(title="In de Vogelbuurt", locations=[make_location(area=vogelbuurt)])
    make_activity(title="In de Havenbuurt", locations=[make_location(area=havenbuurt)])

    calendar = feed(client, "/activiteiten/wijken/WK034401/agenda.ics")

    assert [str(event["SUMMARY"]) for event in events(calendar)] == ["In de Vogelbuurt"]
    assert "Noord" in str(calendar["X-WR-CALNAME"])
    buurt = feed(client, "/activiteiten/wijken/BU03440201/agenda.ics")
    assert [str(event["SUMMARY"]) for event in events(buurt)] == ["In de Havenbuurt"]
    assert client.get("/activiteiten/wijken/WK999999/agenda.ics").status_code == 404
    assert client.get("/activiteiten/wijken/GM0344/agenda.ics").status_code == 404
    assert client.get("/activiteiten/wijken/%3Cscript%3E/agenda.ics").status_code == 404
