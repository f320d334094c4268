"""Background work of the social map, run by the task worker. Each part has its own section."""

from django.tasks import task  # noqa: F401

# --- sign-ups: mails to organisers and residents, anonymising old sign-ups ---


@task
def notify_organiser_of_sign_up(sign_up_pk, site_url=""):
    """Tell the organiser at once who signed up (they need it to welcome them)."""
    from .services import signups

    return {"sent": signups.mail_organiser(sign_up_pk, "new", site_url)}


@task
def notify_organiser_of_cancellation(sign_up_pk, site_url=""):
    from .services import signups

    return {"sent": signups.mail_organiser(sign_up_pk, "cancelled", site_url)}


@task
def send_sign_up_confirmation(sign_up_pk, site_url):
    """The resident's confirmation, with the link to cancel."""
    from .services import signups

    return {"sent": signups.mail_resident(sign_up_pk, "confirmation", site_url)}


@task
def send_place_available(sign_up_pk, site_url):
    """A waiting party got a place: the resident hears it, and so does the organiser (who can
    phone residents without an e-mail address)."""
    from .services import signups

    sent = signups.mail_resident(sign_up_pk, "place_available", site_url)
    sent += signups.mail_organiser(sign_up_pk, "moved_up", site_url)
    return {"sent": sent}


@task
def tell_residents_activity_stopped(activity_pk, site_url=""):
    from .services import signups

    return {"sent": signups.tell_residents_activity_stopped(activity_pk, site_url)}


@task
def anonymise_sign_ups():
    """Daily: wipe the personal data of sign-ups whose retention period is over."""
    from .services import signups

    return {"anonymised": signups.anonymise_expired_sign_ups()}

# --- listings: daily schedule refresh, stale-entry reminders ---


@task
def refresh_activity_schedules(batch_size=500):
    """Daily: recompute next date, weekdays and parts of the day of every current activity,
    so search stays right as time passes (batches keep memory flat on a national catalogue)."""
    from .services import listings

    return {"refreshed": listings.refresh_all_schedules(batch_size)}


@task
def send_stale_reminders(site_url=""):
    """Daily: one mail per organisation listing its activities that have not been checked for
    too long, at most once per stale period per activity."""
    from .services import listings

    return listings.send_stale_reminders(site_url)


# --- imports: scheduled re-import of sources ---


@task
def reimport_source(source_id):
    """Read an import source again (queued by `reimport_sources` or "read now")."""
    from .models import ImportSource
    from .services.imports import import_source

    source = ImportSource.objects.filter(pk=source_id, is_active=True).first()
    if source is None:
        return None
    run = import_source(source)
    return run.pk
