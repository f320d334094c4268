"""`manage.py import_activities --format {ical,jsonld,hsds,csv} SOURCE [--organisation ID]`:
import a file or URL once and print what happened. Exits non-zero only when nothing could be
read."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from omzien.core.models import Organisation

from ...models import ImportSource
from ...services.imports import FetchError, fetch, run_import, too_large_message


class Command(BaseCommand):
    help = "Import activities from an iCalendar feed, web page, HSDS JSON or CSV file."

    def add_arguments(self, parser):
        parser.add_argument("--format", required=True, choices=ImportSource.Format.values)
        parser.add_argument("source", help="A file path or an http(s) URL.")
        parser.add_argument("--organisation", type=int, default=None,
                            help="Id of the organisation that offers every item.")

    def handle(self, *args, **options):
        organisation = None
        if options["organisation"] is not None:
            organisation = Organisation.objects.filter(pk=options["organisation"]).first()
            if organisation is None:
                raise CommandError(_("There is no organisation with id %(id)s.")
                                   % {"id": options["organisation"]})
        data = self.read(options["source"])
        run = run_import(options["format"], data, options["source"], organisation=organisation)
        self.stdout.write(
            f"created {run.created}, updated {run.updated}, unchanged {run.unchanged}, "
            f"rejected {run.rejected}, ended {run.ended}"
        )
        for rejection in run.rejections:
            self.stdout.write(f"- {rejection['item']}: {rejection['reason']}")
        if run.failure:
            raise CommandError(run.failure)

    def read(self, source):
        if source.lower().startswith(("http://", "https://")):
            try:
                return fetch(source)
            except FetchError as error:
                raise CommandError(str(error)) from error
        path = Path(source)
        try:
            if path.stat().st_size > settings.OMZIEN_IMPORT_MAX_BYTES:
                raise CommandError(too_large_message())
            return path.read_bytes()
        except OSError as error:
            raise CommandError(_("The file %(path)s cannot be read: %(error)s")
                               % {"path": source, "error": error.strerror or error}) from error
