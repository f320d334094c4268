"""`manage.py anonymise_sign_ups`: wipe the names, contact details and remarks of sign-ups whose
retention period (OMZIEN_SIGN_UP_RETENTION_DAYS after the activity) is over. Run it once a day
(cron or a systemd timer); counts and attendance stay for the statistics."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from omzien.activities.tasks import anonymise_sign_ups


class Command(BaseCommand):
    help = "Anonymise sign-ups whose retention period is over."

    def add_arguments(self, parser):
        parser.add_argument(
            "--queue", action="store_true",
            help="Leave the work to the task worker instead of doing it now.",
        )

    def handle(self, *args, queue=False, **options):
        if queue:
            result = anonymise_sign_ups.enqueue()
            self.stdout.write(self.style.SUCCESS(
                _("Anonymising is queued (task %(id)s). The task worker does it.")
                % {"id": result.id}
            ))
            return
        count = anonymise_sign_ups.call()["anonymised"]
        self.stdout.write(self.style.SUCCESS(
            ngettext("%(count)s sign-up anonymised.", "%(count)s sign-ups anonymised.", count)
            % {"count": count}
        ))
