from django.apps import AppConfig
from django.contrib.staticfiles import apps as staticfiles
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    default = True
    name = "omzien.core"
    label = "core"
    verbose_name = _("Omzien core")

    def ready(self):
        from . import signals  # noqa: F401  (connects the audit handlers)


class StaticFilesConfig(staticfiles.StaticFilesConfig):
    """Leave out the files of the npm packages that pages never load. The Utrecht tokens'
    background-image-icon.css points at icons its package does not ship, which would stop
    collectstatic with hashed names in production."""

    ignore_patterns = [
        *staticfiles.StaticFilesConfig.ignore_patterns,
        "background-image-icon.css", "*prince-xml.css", "*.scss", "*.less", "*.cjs", "*.mjs",
        "*.d.ts",
    ]
