from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "omzien.activities"
    label = "activities"
    verbose_name = _("Social map and neighbourhood calendar")

    def ready(self):
        from .taxonomy import ensure_terms

        post_migrate.connect(ensure_terms, sender=self)
