"""Background work of the coalition app, run by the task worker."""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import queries
from .models import Action

logger = logging.getLogger(__name__)

# --- partners, working groups, meetings, action items (network) ---


def _owner_address(partner):
    """Where the owner's reminder goes: the contact person's account, else the contact e-mail."""
    contact = partner.contact_user
    if contact is not None and contact.is_active and contact.email:
        return contact.email
    return partner.contact_email


def _reminder_message(action, to, cc, today):
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Action item overdue: %(title)s") % {"title": action.title}
        body = render_to_string("coalition/network_reminder_email.txt", {
            "action": action, "days_late": (today - action.due_date).days,
            "municipality": settings.OMZIEN_MUNICIPALITY,
        })
    return EmailMessage(subject=str(subject), body=body, to=to, cc=cc)


@task
def send_overdue_action_reminders():
    """Remind the owner's contact person, with the coordinators in copy, of every overdue action
    item. Action.last_reminded_on makes sure nobody gets the same reminder twice a day, even
    when the task runs more often or on two workers at once."""
    today = timezone.localdate()
    coordinators = queries.coordinator_emails()
    sent, failed = 0, []
    for action in queries.action_reminders_due(today):
        owner = _owner_address(action.owner)
        to = [owner] if owner else coordinators
        cc = [address for address in coordinators if address not in to]
        if not to:
            continue  # nobody to tell; it stays visible on the action list
        try:
            with transaction.atomic():
                # Claim the item before sending; a failed send rolls the claim back.
                claimed = (Action.objects.filter(pk=action.pk).exclude(last_reminded_on=today)
                           .update(last_reminded_on=today))
                if claimed:
                    _reminder_message(action, to, cc, today).send()
                    sent += 1
        except Exception:
            logger.exception("Could not send the reminder for action item %s", action.pk)
            failed.append(action.pk)
    if failed:
        # Marks the task as failed in the queue, after the other reminders went out.
        raise RuntimeError(f"Reminders for action items {failed} could not be sent.")
    return {"sent": sent}
