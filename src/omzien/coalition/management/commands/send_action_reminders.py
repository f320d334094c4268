"""`manage.py send_action_reminders`: queue the daily reminders about overdue action items.
Run it once a day (cron or a systemd timer); the task worker sends the mails."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from omzien.coalition.tasks import send_overdue_action_reminders


class Command(BaseCommand):
    help = "Queue the reminders about overdue action items of the coalition."

    def handle(self, *args, **options):
        result = send_overdue_action_reminders.enqueue()
        self.stdout.write(self.style.SUCCESS(
            _("The reminders are queued (task %(id)s). The task worker sends them.")
            % {"id": result.id}
        ))
