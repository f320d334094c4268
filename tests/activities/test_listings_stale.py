"""Activities not checked for a long time are flagged, and their provider is reminded once per
stale period by the daily task, with a link to say "still correct"."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from omzien.activities.models import Activity
from omzien.activities.services.listings import is_stale, stale_cutoff
from omzien.activities.tasks import refresh_activity_schedules, send_stale_reminders
from omzien.core.models import Role
from tests.activities.factories import make_activity
from tests.activities.listings_helpers import reload
from tests.conftest import login_verified, make_organisation, make_staff


@pytest.fixture
def own(db):
    return make_organisation(name="Buurtvereniging Oost", email="info@oost.example")


def age(activity, days):
    Activity.objects.filter(pk=activity.pk).update(
        verified_at=timezone.now() - timedelta(days=days)
    )
    return reload(activity)


def test_stale_after_the_configured_number_of_days(own, settings):
    settings.OMZIEN_ACTIVITY_STALE_DAYS = 30
    assert not is_stale(age(make_activity(own), 29))
    assert is_stale(age(make_activity(own), 31))
    assert stale_cutoff() < timezone.now() - timedelta(days=29)


def test_one_reminder_per_stale_period(client, own, settings):
    settings.OMZIEN_SITE_URL = "https://omzien.gemeente.example"
    kees = make_staff(Role.PROVIDER, own, email="kees@oost.example")
    make_staff(Role.PROVIDER, make_organisation(), email="ander@elders.example")
    old = age(make_activity(own, title="Breiclub"), 200)
    age(make_activity(own, title="Gisteren gecontroleerd"), 1)
    age(make_activity(own, title="Al beëindigd", status=Activity.Status.ENDED), 400)

    assert send_stale_reminders.call() == {"sent": 1}
    [message] = mail.outbox
    assert message.to == ["info@oost.example", "kees@oost.example"]
    assert message.subject == "Klopt uw informatie op de sociale kaart nog?"
    assert "Breiclub" in message.body
    assert "Gisteren gecontroleerd" not in message.body and "Al beëindigd" not in message.body
    verify = reverse("activities_staff:activity_verify", args=[old.pk])
    assert f"https://omzien.gemeente.example{verify}" in message.body

    # The next day (and every day after) nothing new: same stale period.
    assert send_stale_reminders.call() == {"sent": 0}
    assert len(mail.outbox) == 1

    # The provider follows the link and confirms; later the activity is stale again.
    login_verified(client, kees)
    client.post(verify)
    assert not is_stale(reload(old))
    age(old, 200)
    send_stale_reminders.call()
    assert len(mail.outbox) == 2


def test_no_recipient_means_no_mail_and_a_later_try(own):
    silent = make_organisation(name="Zonder adres")
    activity = age(make_activity(silent), 300)
    assert send_stale_reminders.call() == {"sent": 0}
    assert reload(activity).stale_reminder_sent_at is None


def test_daily_schedule_refresh_moves_next_date_forward(own):
    activity = make_activity(own)
    Activity.objects.filter(pk=activity.pk).update(
        next_starts_at=timezone.now() - timedelta(days=30), weekday_mask=0)
    ended = make_activity(own, status=Activity.Status.ENDED)
    Activity.objects.filter(pk=ended.pk).update(next_starts_at=None)
    assert refresh_activity_schedules.call(batch_size=1) == {"refreshed": 1}
    refreshed = reload(activity)
    assert refreshed.next_starts_at == activity.next_starts_at
    assert refreshed.weekday_mask == 1 << 1  # Tuesday
    assert reload(ended).next_starts_at is None


@pytest.mark.django_db(transaction=True)  # the worker closes its connection after the batch
def test_commands_queue_the_work_for_the_worker():
    organisation = make_organisation(email="info@koor.example")
    age(make_activity(organisation, title="Zangkoor"), 400)
    call_command("remind_stale_activities", verbosity=0)
    call_command("refresh_activity_schedules", verbosity=0)
    assert mail.outbox == []
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    [message] = mail.outbox
    assert "Zangkoor" in message.body
