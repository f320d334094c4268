"""`manage.py load_demo`: fill the database with the fictional demo region and print the logins."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from omzien.core.demo import DEMO_SEED, build_demo_region
from omzien.core.extensions import app_hooks


class Command(BaseCommand):
    help = "Load the fictional demo region and print a login for every role."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=DEMO_SEED,
                            help="Seed of the generator; the same seed gives the same data.")

    def handle(self, *args, seed, **options):
        if not settings.OMZIEN_DEMO:
            # Demo accounts with a published password must never end up next to real data.
            raise CommandError(_(
                "This is not a demo instance (OMZIEN_DEMO is off), so no demo data was loaded. "
                "Set OMZIEN_DEMO=1 only on a database for trying Omzien out."
            ))
        with transaction.atomic():  # all of it or nothing
            region = build_demo_region(seed)
            for build_app_demo in app_hooks("demo", "build_app_demo"):
                # Relative to today, so upcoming meetings and open survey rounds look current.
                build_app_demo(region, seed, timezone.localdate())
        self.stdout.write(self.style.SUCCESS(_(
            "Demo data loaded: %(areas)d areas and %(organisations)d organisations."
        ) % {"areas": region.area_count, "organisations": region.organisation_count}))
        self.stdout.write(self.style.WARNING(_(
            "All names, addresses, people and figures in the demo are fictional."
        )))
        self._print_logins(region.logins)

    def _print_logins(self, logins):
        headers = [_("Role"), _("Username"), _("Password"), _("Organisation")]
        rows = [[capfirst(login.role_label), login.username, login.password, login.organisation]
                for login in logins]
        widths = [max(len(row[i]) for row in [headers, *rows]) for i in range(len(headers))]
        indent = " " * (widths[0] + 2)

        def line(cells):
            return "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True))

        self.stdout.write("")
        self.stdout.write(_("Log in at %(path)s. After the password, enter a code from your "
                            "authenticator app (add the key below) or one of the backup codes; "
                            "each backup code works once. Running load_demo again resets them.")
                          % {"path": reverse("core:login")})
        self.stdout.write("")
        self.stdout.write(line(headers).rstrip())
        self.stdout.write(line(["-" * width for width in widths]))
        for login, row in zip(logins, rows, strict=True):
            self.stdout.write(line(row).rstrip())
            self.stdout.write(indent + _("Authenticator key: %(key)s") % {"key": login.totp_key})
            self.stdout.write(indent + _("Backup codes: %(codes)s")
                              % {"codes": " ".join(login.backup_codes)})
