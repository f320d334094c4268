"""Audit entries for events Django signals rather than our own views."""

from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver

from .models import AuditEvent
from .services import record_audit_event


@receiver(user_login_failed)
def audit_failed_login(sender, credentials, request=None, **kwargs):
    # Django has already masked the password in `credentials`; keep only the name tried.
    record_audit_event(
        None, AuditEvent.Action.LOGIN_FAILED,
        detail={"username_tried": str(credentials.get("username", ""))[:150]},
    )
