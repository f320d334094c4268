"""Residents' details are encrypted at rest and wiped when the retention period after the
activity is over; counts and attendance stay for the statistics."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from omzien.activities.models import Activity, SignUp
from omzien.activities.services import signups as service
from tests.activities.factories import make_activity
from tests.activities.test_signups_flow import sign_up_activity
from tests.conftest import login_verified, make_staff

pytestmark = pytest.mark.django_db

RETENTION = 90


@pytest.fixture(autouse=True)
def retention(settings):
    settings.OMZIEN_SIGN_UP_RETENTION_DAYS = RETENTION


def old_sign_up(activity, days_ago, **fields):
    signed_up_at = timezone.now() - timedelta(days=days_ago)
    defaults = {"name": "Aaltje de Vries", "email": "aaltje@example.nl", "phone": "0612345678",
                "remark": "Ik kom met de rollator.", "consent_at": signed_up_at,
                "created_at": signed_up_at}
    return SignUp.objects.create(activity=activity, **{**defaults, **fields})


def one_off(days_from_now):
    starts_at = timezone.now() + timedelta(days=days_from_now)
    return make_activity(
        join_method=Activity.JoinMethod.SIGN_UP, schedule_kind=Activity.ScheduleKind.ONE_OFF,
        starts_at=starts_at, ends_at=starts_at + timedelta(hours=2), recurrence="",
    )


def test_personal_details_are_encrypted_in_the_database():
    old_sign_up(sign_up_activity(), days_ago=1)
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, email, phone, remark FROM activities_signup")
        [row] = cursor.fetchall()
    stored = " ".join(str(value) for value in row)
    for plain in ("Aaltje", "aaltje@example.nl", "0612345678", "rollator"):
        assert plain not in stored
    assert SignUp.objects.get().name == "Aaltje de Vries"


def test_sign_ups_are_anonymised_after_the_retention_period_following_the_activity():
    past = one_off(days_from_now=-(RETENTION + 5))
    expired = old_sign_up(past, days_ago=RETENTION + 20, party_size=3, attended=True)
    # Signed up long ago for something that is still to come: kept.
    coming = old_sign_up(one_off(days_from_now=10), days_ago=RETENTION + 20)
    # A weekly activity: the sign-up was for the first time after signing up.
    weekly = sign_up_activity(starts_at=timezone.now() - timedelta(days=365))
    weekly_old = old_sign_up(weekly, days_ago=RETENTION + 10)
    weekly_recent = old_sign_up(weekly, days_ago=RETENTION - 10)
    cancelled_late = old_sign_up(past, days_ago=RETENTION + 20, status=SignUp.Status.CANCELLED,
                                 cancelled_at=timezone.now() - timedelta(days=10))

    assert service.anonymise_expired_sign_ups() == 2

    expired.refresh_from_db()
    assert expired.name == service.ANONYMISED_NAME
    assert expired.email is None and expired.phone is None and expired.remark is None
    assert expired.anonymised_at is not None
    # What the statistics need stays.
    assert (expired.party_size, expired.status, expired.attended) == (3, "confirmed", True)
    weekly_old.refresh_from_db()
    assert weekly_old.anonymised_at is not None
    for kept in (coming, weekly_recent, cancelled_late):
        kept.refresh_from_db()
        assert kept.name == "Aaltje de Vries" and kept.anonymised_at is None


def test_the_cancel_link_of_an_anonymised_sign_up_no_longer_works(client):
    expired = old_sign_up(one_off(days_from_now=-(RETENTION + 5)), days_ago=RETENTION + 20)
    link = reverse("activities:cancel_sign_up", args=[expired.cancel_token])
    service.anonymise_expired_sign_ups()
    assert client.get(link).status_code == 404
    assert client.post(link).status_code == 404


def test_the_management_command_anonymises_and_reports(capsys):
    old_sign_up(one_off(days_from_now=-(RETENTION + 5)), days_ago=RETENTION + 20)
    call_command("anonymise_sign_ups")
    assert "1 aanmelding geanonimiseerd" in capsys.readouterr().out
    assert SignUp.objects.get().anonymised_at is not None
    call_command("anonymise_sign_ups")  # again: nothing left to do
    assert "0 aanmeldingen geanonimiseerd" in capsys.readouterr().out


def test_the_organiser_sees_anonymised_sign_ups_as_deleted(client):
    activity = one_off(days_from_now=-(RETENTION + 5))
    old_sign_up(activity, days_ago=RETENTION + 20, attended=True)
    service.anonymise_expired_sign_ups()
    login_verified(client, make_staff("provider", activity.organisation))
    page = client.get(reverse("activities_staff:sign_ups", args=[activity.pk])).content.decode()
    assert "verwijderd (bewaartermijn voorbij)" in page
    assert "Aaltje" not in page
