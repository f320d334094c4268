"""`manage.py remind_stale_activities`: queue the daily reminders to providers whose activities
have not been checked for OMZIEN_ACTIVITY_STALE_DAYS. Run it once a day (cron or a systemd
timer); the task worker sends the mails, at most one per activity per stale period."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from omzien.activities.tasks import send_stale_reminders


class Command(BaseCommand):
    help = "Queue the reminders about activities that have not been checked for a long time."

    def add_arguments(self, parser):
        parser.add_argument("--now", action="store_true",
                            help="Send them now in this process instead of through the worker.")

    def handle(self, *args, **options):
        if options["now"]:
            result = send_stale_reminders.call()
            self.stdout.write(self.style.SUCCESS(
                _("%(count)s reminder(s) sent.") % {"count": result["sent"]}
            ))
            return
        queued = send_stale_reminders.enqueue()
        self.stdout.write(self.style.SUCCESS(
            _("The reminders are queued (task %(id)s). The task worker sends them.")
            % {"id": queued.id}
        ))
