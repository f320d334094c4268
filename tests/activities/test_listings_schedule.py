"""Providers describe when an activity happens in plain words; the form turns that into the
RFC 5545 schedule, and schedule.occurrences gives the dates residents see."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from omzien.activities.models import Activity
from omzien.activities.schedule import occurrences
from omzien.core.models import Role
from tests.activities.listings_helpers import activity_data
from tests.conftest import login_verified, make_organisation, make_staff

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
CREATE = reverse("activities_staff:activity_create")


@pytest.fixture
def provider(client, db):
    organisation = make_organisation(name="Buurtvereniging Oost")
    user = make_staff(Role.PROVIDER, organisation)
    login_verified(client, user)
    return user


def create(client, **overrides):
    return client.post(CREATE, activity_data(**overrides))


def local_starts(activity, start, end):
    window = (datetime.combine(start, time(0), AMSTERDAM), datetime.combine(end, time(23, 59),
                                                                             AMSTERDAM))
    return [begins.astimezone(AMSTERDAM) for begins, _ends in occurrences(activity, *window)]


def test_weekly_stays_at_ten_across_the_change_to_summer_time(client, provider):
    response = create(client, first_date="2027-03-16")
    assert response.status_code == 302
    activity = Activity.objects.get()
    starts = local_starts(activity, date(2027, 3, 16), date(2027, 4, 6))
    assert [moment.date() for moment in starts] == [
        date(2027, 3, 16), date(2027, 3, 23), date(2027, 3, 30), date(2027, 4, 6)]
    assert {moment.time() for moment in starts} == {time(10, 0)}
    # The clock moved on 28 March: the same local time is an hour earlier in UTC.
    assert starts[1].utcoffset().total_seconds() == 3600
    assert starts[2].utcoffset().total_seconds() == 7200
    pairs = occurrences(activity, starts[0], starts[0].replace(hour=23))
    assert pairs[0][1] - pairs[0][0] == (datetime(2027, 1, 1, 11, 30) - datetime(2027, 1, 1, 10))


def test_first_date_on_another_weekday_starts_on_the_first_chosen_day(client, provider):
    create(client, first_date="2027-03-01", weekdays=["TH"])  # a Monday
    activity = Activity.objects.get()
    assert activity.starts_at.astimezone(AMSTERDAM).date() == date(2027, 3, 4)
    assert activity.recurrence == "FREQ=WEEKLY;BYDAY=TH"


def test_every_two_weeks_on_two_days(client, provider):
    create(client, repeat="fortnightly", weekdays=["MO", "TH"], first_date="2027-03-01")
    activity = Activity.objects.get()
    starts = local_starts(activity, date(2027, 3, 1), date(2027, 3, 31))
    assert [moment.day for moment in starts] == [1, 4, 15, 18, 29]


def test_monthly_on_the_first_monday(client, provider):
    create(client, repeat="monthly", month_week="1", month_weekday="MO",
           first_date="2027-01-01", weekdays=None)
    activity = Activity.objects.get()
    starts = local_starts(activity, date(2027, 1, 1), date(2027, 4, 30))
    assert [moment.date() for moment in starts] == [
        date(2027, 1, 4), date(2027, 2, 1), date(2027, 3, 1), date(2027, 4, 5)]


def test_monthly_on_the_last_friday_until_a_date(client, provider):
    create(client, repeat="monthly", month_week="-1", month_weekday="FR",
           first_date="2027-01-01", repeat_until="2027-03-31")
    activity = Activity.objects.get()
    starts = local_starts(activity, date(2027, 1, 1), date(2027, 12, 31))
    assert [moment.date() for moment in starts] == [
        date(2027, 1, 29), date(2027, 2, 26), date(2027, 3, 26)]


def test_advanced_rule_every_three_weeks(client, provider):
    create(client, repeat="advanced", rrule="rrule:freq=weekly;interval=3;byday=we",
           first_date="2027-01-06")
    activity = Activity.objects.get()
    assert activity.recurrence == "FREQ=WEEKLY;INTERVAL=3;BYDAY=WE"
    starts = local_starts(activity, date(2027, 1, 1), date(2027, 2, 28))
    assert [moment.date() for moment in starts] == [
        date(2027, 1, 6), date(2027, 1, 27), date(2027, 2, 17)]


def test_skipped_dates_are_left_out(client, provider):
    create(client, first_date="2026-12-01", skipped_dates="22-12-2026\n2026-12-29")
    activity = Activity.objects.get()
    starts = local_starts(activity, date(2026, 12, 1), date(2027, 1, 12))
    assert [moment.date() for moment in starts] == [
        date(2026, 12, 1), date(2026, 12, 8), date(2026, 12, 15), date(2027, 1, 5),
        date(2027, 1, 12)]


def test_once_and_by_appointment(client, provider):
    create(client, title="Kerstdiner", schedule_kind="one_off", first_date="2026-12-24",
           start_time="17:00", end_time="20:00")
    dinner = Activity.objects.get(title="Kerstdiner")
    assert local_starts(dinner, date(2026, 12, 1), date(2027, 12, 31)) == [
        datetime(2026, 12, 24, 17, tzinfo=AMSTERDAM)]
    create(client, title="Maatjesproject", schedule_kind="by_appointment", first_date=None,
           start_time=None, end_time=None)
    buddy = Activity.objects.get(title="Maatjesproject")
    assert buddy.starts_at is None and occurrences(buddy) == []


def test_edit_form_shows_the_pattern_and_saving_it_unchanged_keeps_the_dates(client, provider):
    create(client, repeat="monthly", month_week="2", month_weekday="WE",
           first_date="2027-01-01", skipped_dates="10-03-2027")
    activity = Activity.objects.get()
    url = reverse("activities_staff:activity_edit", args=[activity.pk])
    form = client.get(url).context["form"]
    assert form.initial["repeat"] == "monthly"
    assert (form.initial["month_week"], form.initial["month_weekday"]) == ("2", "WE")
    assert form.initial["skipped_dates"] == "10-03-2027"
    before = local_starts(activity, date(2027, 1, 1), date(2027, 6, 30))
    client.post(url, activity_data(repeat="monthly", month_week="2", month_weekday="WE",
                                   first_date=form.initial["first_date"].isoformat(),
                                   skipped_dates="10-03-2027"))
    after = local_starts(Activity.objects.get(), date(2027, 1, 1), date(2027, 6, 30))
    assert before == after
    assert date(2027, 3, 10) not in [moment.date() for moment in after]


@pytest.mark.parametrize(("overrides", "field", "message"), [
    ({"end_time": "09:00"}, "end_time", "De eindtijd moet na de begintijd liggen."),
    ({"first_date": ""}, "first_date", "Geef de datum (van de eerste keer)."),
    ({"first_date": "1990-01-01"}, "first_date", "Geef een datum tussen 2000 en"),
    ({"repeat": "advanced", "rrule": "FREQ=WEEKLY;BYDAY=XX"}, "rrule", "Deze regel is niet"),
    ({"repeat": "advanced", "rrule": "FREQ=HOURLY"}, "rrule", "FREQ=DAILY"),
    ({"repeat": "advanced", "rrule": "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30"}, "rrule",
     "geen datum"),
    ({"repeat": "advanced", "rrule": "FREQ=WEEKLY\nDTSTART:20200101"}, "rrule", "tekens"),
    ({"repeat": "monthly", "month_week": ""}, "month_week", "Kies welke weekdag"),
    ({"skipped_dates": "morgen"}, "skipped_dates", "Dit zijn geen datums: morgen"),
    ({"skipped_dates": "01-01-2020"}, "skipped_dates", "voor de eerste datum"),
    ({"repeat_until": "2027-01-01"}, "repeat_until", "voor de eerste datum"),
    ({"schedule_kind": "one_off", "first_date": "2026-01-05"}, "first_date",
     "Deze datum is voorbij."),
    ({"kinds": []}, "kinds", "Kies minstens één soort."),
    ({"join_method": "external"}, "join_url", "Geef het adres van de pagina"),
])
def test_bad_schedule_is_refused_with_a_dutch_message(client, provider, overrides, field,
                                                      message):
    response = create(client, **overrides)
    assert response.status_code == 400
    assert any(message in str(error) for error in response.context["form"].errors[field])
    assert not Activity.objects.exists()


TEXT = st.text(max_size=40)
DATES = st.one_of(TEXT, st.dates(min_value=date(1, 1, 1)).map(date.isoformat))
TIMES = st.one_of(TEXT, st.times().map(lambda value: value.strftime("%H:%M")))


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.fixed_dictionaries({
    "schedule_kind": st.sampled_from(["recurring", "one_off", "by_appointment", "x", ""]),
    "first_date": DATES, "start_time": TIMES, "end_time": TIMES, "repeat_until": DATES,
    "repeat": st.sampled_from(["weekly", "fortnightly", "monthly", "advanced", "", "?"]),
    "weekdays": st.lists(st.sampled_from(["MO", "TU", "SU", "XX", ""]), max_size=3),
    "month_week": st.sampled_from(["1", "-1", "5", "", "a"]),
    "month_weekday": st.sampled_from(["MO", "FR", "", "ZZ"]),
    "rrule": st.one_of(TEXT, st.from_regex(r"FREQ=(DAILY|WEEKLY|MONTHLY|YEARLY)(;[A-Z]{2,8}="
                                           r"[A-Z0-9,+-]{0,12}){0,3}", fullmatch=True)),
    "skipped_dates": st.one_of(TEXT, st.lists(DATES, max_size=4).map("\n".join)),
}))
def test_any_schedule_input_is_saved_or_refused_never_an_error(client, provider, data):
    response = client.post(CREATE, activity_data(**data))
    assert response.status_code in (302, 400)
