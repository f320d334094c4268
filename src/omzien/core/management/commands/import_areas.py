"""manage.py import_areas FILE [FILE ...]: import municipalities, districts and neighbourhoods."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from omzien.core import services


class Command(BaseCommand):
    @property
    def help(self):
        # A property, so the text is translated when the help is shown (argparse needs a str).
        return _("Import area boundaries from GeoJSON files (such as the CBS district and "
                 "neighbourhood map). All files are imported together, or not at all.")

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE", help=_("a GeoJSON file"))

    def handle(self, *args, files, **options):
        result = services.import_boundaries(None, files)
        if not result.ok:
            for problem in result.errors:
                self.stderr.write(str(problem))
            raise CommandError(result.summary())
        self.stdout.write(self.style.SUCCESS(result.summary()))
