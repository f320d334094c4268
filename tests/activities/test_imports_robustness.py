"""Re-imports keep the map current; broken, hostile, oddly encoded or huge input never stops the
good items, never leaves half an activity and never crashes."""

from pathlib import Path

import pytest
from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from omzien.activities.models import Activity, ImportSource, Location, SignUp
from omzien.activities.services.imports import run_import
from omzien.activities.services.listings import set_status
from tests.conftest import make_organisation, make_staff

DATA = Path(__file__).parent / "data"
pytestmark = pytest.mark.django_db

EVENT = """BEGIN:VEVENT\r
UID:{uid}\r
DTSTART;TZID=Europe/Amsterdam:20261202T100000\r
SUMMARY:{title}\r
LOCATION:Buurthuis De Til\\, Tilstraat 12\\, 1234 AB Omzienstad\r
END:VEVENT\r
"""


def feed(*events):
    body = "".join(EVENT.format(uid=uid, title=title) for uid, title in events)
    head = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//NL\r\n"
    return f"{head}{body}END:VCALENDAR\r\n".encode()


def make_source(organisation):
    return ImportSource.objects.create(name="Agenda", format="ical", url="https://x.example/a.ics",
                                       organisation=organisation)


def test_reimport_keeps_unchanged_updates_changed_and_ends_vanished():
    organisation = make_organisation()
    source = make_source(organisation)
    first = run_import("ical", feed(("a", "Koffie"), ("b", "Breien"), ("c", "Zingen")), "a.ics",
                       source=source)
    assert (first.created, first.ended) == (3, 0)
    again = run_import("ical", feed(("a", "Koffie"), ("b", "Breien en haken")), "a.ics",
                       source=source)
    assert (again.created, again.updated, again.unchanged, again.ended) == (0, 1, 1, 1)
    assert Activity.objects.get(source_key="ical:b").title == "Breien en haken"
    assert Activity.objects.get(source_key="ical:c").status == Activity.Status.ENDED
    # One place for all three: locations are reused, not duplicated.
    assert Location.objects.filter(organisation=organisation).count() == 1
    back = run_import("ical", feed(("a", "Koffie"), ("b", "Breien en haken"), ("c", "Zingen")),
                      "a.ics", source=source)
    assert back.updated == 1
    assert Activity.objects.get(source_key="ical:c").status == Activity.Status.ACTIVE


def test_a_source_that_cannot_be_read_ends_nothing():
    source = make_source(make_organisation())
    run_import("ical", feed(("a", "Koffie")), "a.ics", source=source)
    broken = run_import("ical", b"<html>Server error</html>", "a.ics", source=source)
    assert broken.failure and broken.ended == 0
    assert Activity.objects.get().status == Activity.Status.ACTIVE


@override_settings(OMZIEN_ACTIVITY_APPROVAL_REQUIRED=True)
def test_with_approval_new_items_wait_and_changes_are_proposed():
    source = make_source(make_organisation())
    run_import("ical", feed(("a", "Koffie")), "a.ics", source=source)
    activity = Activity.objects.get()
    assert activity.review_state == Activity.ReviewState.PENDING
    Activity.objects.filter(pk=activity.pk).update(review_state=Activity.ReviewState.APPROVED)
    run = run_import("ical", feed(("a", "Koffie met gebak")), "a.ics", source=source)
    assert run.updated == 1
    activity.refresh_from_db()
    assert activity.title == "Koffie"  # the public keeps seeing the approved version
    assert activity.pending_changes["fields"]["title"] == "Koffie met gebak"


def test_broken_items_are_rejected_with_a_reason_while_the_rest_imports():
    run = run_import("ical", (DATA / "broken_items.ics").read_bytes(), "kapot.ics",
                     organisation=make_organisation())
    reasons = {rejection["item"]: rejection["reason"] for rejection in run.rejections}
    assert run.created == 2 and run.rejected == 3
    assert "20270231" in reasons["Eenendertig februari"]
    assert "herhaalpatroon" in reasons["Rare herhaling"]
    assert "begin" in reasons["Zonder begin"]
    hostile = Activity.objects.get(source_key="ical:hostile@example.nl")
    for bad in ("<script", "javascript:", "onerror", "onclick", "document.cookie"):
        assert bad not in hostile.description and bad not in hostile.title
    huge = Activity.objects.get(source_key="ical:huge@example.nl")
    assert len(huge.title) == 200 and len(huge.description) < 20_100


def test_a_truncated_feed_imports_its_complete_events():
    run = run_import("ical", (DATA / "truncated.ics").read_bytes(), "kort.ics",
                     organisation=make_organisation())
    assert (run.created, run.rejected, run.failure) == (1, 1, "")
    assert "houdt midden in" in run.rejections[0]["reason"]


@pytest.mark.parametrize("name", ["latin1.csv", "utf16.csv"])
def test_csv_in_windows_and_utf16_encodings(name):
    run = run_import("csv", (DATA / name).read_bytes(), name)
    assert run.created == 1, run.rejections
    activity = Activity.objects.get()
    assert activity.title == "Caféavond" and "één" in activity.description


DEEP = 100_000
HOSTILE_INPUT = {
    "deep_nesting.html": (
        '<html><head><script type="application/ld+json">' + "[" * DEEP + "]" * DEEP
        + "</script></head><body>" + "<div>" * 5000 + "x" + "</div>" * 5000 + "</body></html>"
    ).encode(),
    "deep_nesting.json": ('{"contents": ' + "[" * DEEP + "]" * DEEP + "}").encode(),
}


@pytest.mark.parametrize(("format", "name"), [
    ("jsonld", "deep_nesting.html"), ("hsds", "deep_nesting.json"), ("jsonld", "entities.html"),
])
def test_hostile_nesting_and_entities_never_crash(format, name):
    data = HOSTILE_INPUT.get(name) or (DATA / name).read_bytes()
    run = run_import(format, data, name, organisation=make_organisation())
    assert run.finished_at is not None
    for activity in Activity.objects.all():
        assert len(activity.title) <= 200 and "lollol" * 20 not in activity.title


@override_settings(OMZIEN_IMPORT_MAX_BYTES=1000)
def test_input_above_the_size_limit_is_refused():
    run = run_import("csv", b"titel\n" + b"x" * 2000, "groot.csv")
    assert "groter dan" in run.failure and Activity.objects.count() == 0


@pytest.mark.parametrize("data", [b"", b"\x00\x01\x02", b"{not json", b"titel;x\n"])
@pytest.mark.parametrize("format", ["ical", "jsonld", "hsds", "csv"])
def test_garbage_gives_a_failure_or_nothing_never_an_error(format, data):
    run = run_import(format, data, "rommel")
    assert run.created == 0 and run.finished_at is not None


def test_items_without_an_organisation_are_rejected():
    run = run_import("ical", feed(("a", "Koffie")), "a.ics")
    assert run.rejected == 1 and "organisatie" in run.rejections[0]["reason"]


# No line breaks of any kind inside a cell, so every generated row is one line of the file.
CELL = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), max_size=30
)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(rows=st.lists(st.lists(CELL, min_size=1, max_size=8), max_size=6))
def test_fuzzed_csv_never_raises_and_accounts_for_every_row(rows):
    header = "titel;organisatie;wanneer;start;herhaling;kosten;toegang;adres"
    lines = [header] + [";".join(row) for row in rows]
    before = Activity.objects.count()
    run = run_import("csv", "\n".join(lines).encode(), "fuzz.csv")
    assert run.failure == "" or run.created == 0
    assert Activity.objects.count() - before == run.created
    assert run.created + run.updated + run.unchanged + run.rejected <= len(rows) + 1


ICAL_LINE = st.sampled_from([
    "DTSTART;TZID=Europe/Amsterdam:20261202T100000", "DTSTART:20270231T100000",
    "DTSTART;VALUE=DATE:20261205", "DTEND:20261201T000000Z", "RRULE:FREQ=WEEKLY;BYDAY=TU",
    "RRULE:FREQ=NEVER", "RRULE:FREQ=DAILY;COUNT=-1", "EXDATE:20261209T100000",
    "RDATE;VALUE=PERIOD:20261210T100000Z/PT1H", "SUMMARY:Koffie", "SUMMARY:",
    "DESCRIPTION:<script>x</script>", "GEO:999;999", "STATUS:CANCELLED",
    "RECURRENCE-ID:20261209T100000", "LOCATION:\\,\\,\\,", "DURATION:P1000000D",
    "UID:same", "X-ODD;A=\"b\":c",
])


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(events=st.lists(st.lists(ICAL_LINE, max_size=8), max_size=5),
       noise=st.text(max_size=40))
def test_fuzzed_ical_never_raises_and_accounts_for_every_event(events, noise):
    organisation = make_organisation()
    body = "".join(
        "BEGIN:VEVENT\r\n" + "".join(line + "\r\n" for line in lines) + "END:VEVENT\r\n"
        for lines in events
    )
    data = f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n{body}{noise}\r\nEND:VCALENDAR\r\n".encode()
    before = Activity.objects.count()
    run = run_import("ical", data, "fuzz.ics", organisation=organisation)
    assert Activity.objects.count() - before == run.created
    if not run.failure:
        assert run.created + run.updated + run.unchanged + run.rejected <= len(events) + 1


@pytest.mark.parametrize("rule", [
    "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=31",  # never happens: would keep dateutil busy for seconds
    "FREQ=MINUTELY",  # not a pattern for an activity
])
def test_repeat_patterns_that_never_happen_or_run_every_minute_are_rejected(rule):
    event = EVENT.format(uid="x", title="Nooit")
    event = event.replace("END:VEVENT", f"RRULE:{rule}\r\nEND:VEVENT")
    data = feed().replace(b"END:VCALENDAR", event.encode() + b"END:VCALENDAR")
    run = run_import("ical", data, "a.ics", organisation=make_organisation())
    assert (run.created, run.rejected) == (0, 1)
    assert "herhaalpatroon" in run.rejections[0]["reason"]


def test_reimport_brings_back_what_it_ended_but_not_what_a_person_ended_or_paused():
    organisation = make_organisation()
    source = make_source(organisation)
    run_import("ical", feed(("a", "Koffie"), ("b", "Breien"), ("c", "Zingen")), "a.ics",
               source=source)
    by_person, paused = Activity.objects.get(title="Breien"), Activity.objects.get(title="Zingen")
    coordinator = make_staff("coordinator")
    set_status(coordinator, by_person, Activity.Status.ENDED)
    set_status(coordinator, paused, Activity.Status.PAUSED)
    run_import("ical", feed(("b", "Breien"), ("c", "Zingen")), "a.ics", source=source)
    assert Activity.objects.get(title="Koffie").status == Activity.Status.ENDED

    again = run_import("ical", feed(("a", "Koffie"), ("b", "Breien!"), ("c", "Zingen!")), "a.ics",
                       source=source)
    assert Activity.objects.get(source_key__endswith=":a").status == Activity.Status.ACTIVE
    assert Activity.objects.get(pk=by_person.pk).status == Activity.Status.ENDED
    assert Activity.objects.get(pk=by_person.pk).title == "Breien"
    assert Activity.objects.get(pk=paused.pk).status == Activity.Status.PAUSED
    assert Activity.objects.get(pk=paused.pk).title == "Zingen!"
    assert again.ended == 0


def test_a_broken_item_or_an_empty_source_ends_nothing():
    organisation = make_organisation()
    source = make_source(organisation)
    run_import("ical", feed(("a", "Koffie"), ("b", "Breien")), "a.ics", source=source)
    broken = feed(("a", "Koffie"), ("b", "Breien")).replace(
        b"SUMMARY:Breien", b"SUMMARY:Breien\r\nRRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=31")
    run = run_import("ical", broken, "a.ics", source=source)
    assert (run.rejected, run.ended) == (1, 0)
    empty = run_import("ical", feed(), "a.ics", source=source)
    assert empty.ended == 0
    assert not Activity.objects.filter(status=Activity.Status.ENDED).exists()


CSV_HEAD = "id;titel;organisatie;wanneer;start;herhaling;aanmelden_url\n"


def test_reimport_keeps_sign_ups_with_their_organiser_and_sign_up_in_omzien():
    source = ImportSource.objects.create(name="Lijst", format="csv", url="https://x.example/a.csv")
    row = '1;Koffieochtend;{org};herhalend;02-03-2027 10:00;"FREQ=WEEKLY;BYDAY=TU";{url}\n'
    run_import("csv", (CSV_HEAD + row.format(org="Wijkcentrum", url="")).encode(), "a.csv",
               source=source)
    activity = Activity.objects.get()
    Activity.objects.filter(pk=activity.pk).update(join_method=Activity.JoinMethod.SIGN_UP)
    SignUp.objects.create(activity=activity, name="Aaltje", phone="0612345678",
                          consent_at=activity.created_at)

    moved = run_import("csv", (CSV_HEAD + row.format(org="Andere club", url="")).encode(),
                       "a.csv", source=source)
    assert moved.rejected == 1 and "andere organisatie" in moved.rejections[0]["reason"]
    assert Activity.objects.get().organisation.name == "Wijkcentrum"

    changed = run_import("csv", (CSV_HEAD + row.format(
        org="Wijkcentrum", url="https://wijkcentrum.example/aanmelden")).encode(), "a.csv",
        source=source)
    assert changed.updated == 1
    assert Activity.objects.get().join_method == Activity.JoinMethod.SIGN_UP
