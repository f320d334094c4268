from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "omzien.core"
    label = "core"
    verbose_name = _("Omzien core")

    def ready(self):
        from . import signals  # noqa: F401  (connects the audit handlers)

