"""Overdue action items are mailed by the task worker to the owner's contact person with the
coordinators in copy, at most once a day per item."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from omzien.coalition.models import Action, Partner
from omzien.coalition.tasks import send_overdue_action_reminders
from omzien.core.models import Role
from tests.coalition.network_factories import make_action, make_meeting, make_partner
from tests.conftest import make_organisation, make_staff


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


@pytest.mark.django_db(transaction=True)  # the worker closes its connection after the batch
def test_reminders_go_out_once_a_day_through_the_worker():
    organisation = make_organisation(name="Mantelzorgsteunpunt")
    contact = make_staff(Role.PROVIDER, organisation, email="kees@steunpunt.example")
    make_staff(Role.COORDINATOR, email="noor@gemeente.example")
    owner = Partner.objects.create(organisation=organisation, contact_user=contact,
                                   contact_email="info@steunpunt.example")
    meeting = make_meeting(days_ago=20, title="Werkgroep mantelzorg")
    late = make_action(owner, meeting, due_in_days=-3, title="Folder voor mantelzorgers maken")
    make_action(owner, meeting, due_in_days=2, title="Nog niet aan de beurt")
    make_action(owner, meeting, due_in_days=-3, status=Action.Status.DONE, title="Al klaar",
                completed_on=timezone.localdate())

    send_overdue_action_reminders.enqueue()
    assert mail.outbox == []  # nothing is sent during the request or the enqueue
    run_worker()
    [message] = mail.outbox
    assert message.to == ["kees@steunpunt.example"]
    assert message.cc == ["noor@gemeente.example"]
    assert "Folder voor mantelzorgers maken" in message.subject
    assert "Folder voor mantelzorgers maken" in message.body
    assert "Werkgroep mantelzorg" in message.body
    late.refresh_from_db()
    assert late.last_reminded_on == timezone.localdate()

    # Running again the same day sends nothing new.
    send_overdue_action_reminders.enqueue()
    run_worker()
    assert len(mail.outbox) == 1

    # The next day it is still overdue, so there is a new reminder.
    Action.objects.filter(pk=late.pk).update(
        last_reminded_on=timezone.localdate() - timedelta(days=1)
    )
    send_overdue_action_reminders.enqueue()
    run_worker()
    assert len(mail.outbox) == 2


@pytest.mark.django_db(transaction=True)
def test_management_command_queues_the_task_and_contact_email_is_the_fallback(capsys):
    make_staff(Role.COORDINATOR, email="noor@gemeente.example")
    no_account = make_partner(contact_email="info@bakkerij.example")
    nobody = make_partner()
    make_action(no_account, make_meeting(), due_in_days=-1, title="Vraag klanten")
    make_action(nobody, make_meeting(), due_in_days=-1, title="Zonder contact")

    call_command("send_action_reminders")
    assert mail.outbox == []
    run_worker()
    by_subject = {message.subject: message for message in mail.outbox}
    [to_bakery] = [m for s, m in by_subject.items() if "Vraag klanten" in s]
    [to_coordinators] = [m for s, m in by_subject.items() if "Zonder contact" in s]
    assert to_bakery.to == ["info@bakkerij.example"]
    assert to_bakery.cc == ["noor@gemeente.example"]
    # Without a contact at the partner, the coordinators are told directly.
    assert to_coordinators.to == ["noor@gemeente.example"]
    assert to_coordinators.cc == []


@pytest.mark.django_db
def test_no_reminder_without_anyone_to_tell():
    make_action(make_partner(), make_meeting(), due_in_days=-1)
    assert send_overdue_action_reminders.call() == {"sent": 0}
    assert mail.outbox == []
    assert Action.objects.get().last_reminded_on is None
