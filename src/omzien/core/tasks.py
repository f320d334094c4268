"""Background work for the core app, run by the database-backed task worker."""

from django.core.mail import send_mail
from django.tasks import task


@task
def send_email(subject, body, recipients):
    """Send one plain-text message through Django's mail API."""
    return send_mail(subject, body, None, recipients, fail_silently=False)
