"""`manage.py refresh_activity_schedules`: recompute every current activity's next date,
weekdays and parts of the day, so search by day and time stays right as time passes. Run it
once a day, shortly after midnight (cron or a systemd timer)."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from omzien.activities.tasks import refresh_activity_schedules


class Command(BaseCommand):
    help = "Queue the daily refresh of the activities' schedule fields."

    def add_arguments(self, parser):
        parser.add_argument("--now", action="store_true",
                            help="Refresh now in this process instead of through the worker.")

    def handle(self, *args, **options):
        if options["now"]:
            result = refresh_activity_schedules.call()
            self.stdout.write(self.style.SUCCESS(
                _("%(count)s activities refreshed.") % {"count": result["refreshed"]}
            ))
            return
        queued = refresh_activity_schedules.enqueue()
        self.stdout.write(self.style.SUCCESS(
            _("The refresh is queued (task %(id)s). The task worker does it.") % {"id": queued.id}
        ))
