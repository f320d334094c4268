"""`manage.py reimport_sources`: queue a re-import of every active import source that is due
(last read + its interval). Run it every hour from cron or a systemd timer; the task worker
does the reading."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from ...services.imports import sources_due
from ...tasks import reimport_source


class Command(BaseCommand):
    help = "Queue a re-import of every import source that is due."

    def handle(self, *args, **options):
        due = sources_due()
        for source in due:
            reimport_source.enqueue(source.pk)
        self.stdout.write(_("%(count)s import sources queued.") % {"count": len(due)})
