"""Sign-ups: taking a place (or a place on the waiting list), cancelling, moving the waiting list
up, and wiping personal data when the retention period is over.

Places are counted in people (party_size) of confirmed sign-ups. Every change that can take or
free a place locks the activity row first, so two residents signing up at the same moment can
never both get the last place."""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Sum
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from ..models import Activity, SignUp
from ..schedule import occurrences

logger = logging.getLogger(__name__)

# What replaces a resident's name once the retention period is over.
ANONYMISED_NAME = "-"


class SignUpRefused(Exception):
    """The activity cannot take this sign-up; the message is meant for the resident."""


class ActivityFull(SignUpRefused):
    pass


class SignUpsClosed(SignUpRefused):
    pass


class PartyTooLarge(SignUpRefused):
    def __init__(self, capacity):
        super().__init__(capacity)
        self.capacity = capacity


@dataclass(frozen=True)
class Availability:
    capacity: int | None
    taken: int

    @property
    def free(self):
        """Places left, or None when there is no limit."""
        return None if self.capacity is None else max(self.capacity - self.taken, 0)

    def fits(self, party_size):
        return self.capacity is None or party_size <= self.free


def accepts_sign_ups(activity):
    """Residents can sign up here: sign-up is the way to join, and it is published and on."""
    return (
        activity.join_method == Activity.JoinMethod.SIGN_UP
        and activity.review_state == Activity.ReviewState.APPROVED
        and activity.status == Activity.Status.ACTIVE
    )


def availability(activity):
    taken = activity.sign_ups.holding_a_place().aggregate(people=Sum("party_size"))["people"]
    return Availability(capacity=activity.capacity, taken=taken or 0)


def waiting_position(sign_up):
    """1 for the first party on the waiting list; None when the sign-up is not waiting."""
    if sign_up.status != SignUp.Status.WAITING:
        return None
    ahead = SignUp.objects.filter(
        activity_id=sign_up.activity_id, status=SignUp.Status.WAITING,
        created_at__lte=sign_up.created_at,
    ).exclude(created_at=sign_up.created_at, pk__gt=sign_up.pk)
    return ahead.count()


def _locked_activity(activity_pk):
    return Activity.objects.select_for_update().get(pk=activity_pk)


def _status_for_new_sign_up(activity, party_size):
    if not accepts_sign_ups(activity):
        raise SignUpsClosed
    if activity.capacity is not None and party_size > activity.capacity:
        # Even an empty activity could not take them: the waiting list would never move.
        raise PartyTooLarge(activity.capacity)
    if availability(activity).fits(party_size):
        return SignUp.Status.CONFIRMED
    if activity.waiting_list:
        return SignUp.Status.WAITING
    raise ActivityFull


def sign_up(activity_pk, site_url, *, name, email="", phone="", party_size=1, remark=""):
    """Store a sign-up with a place or on the waiting list, and queue the mails to the
    organiser and the resident once it is committed. Raises a SignUpRefused."""
    from .. import tasks

    with transaction.atomic():
        activity = _locked_activity(activity_pk)
        status = _status_for_new_sign_up(activity, party_size)
        now = timezone.now()
        created = SignUp.objects.create(
            activity=activity, name=name, email=email or None, phone=phone or None,
            party_size=party_size, remark=remark or None, status=status, consent_at=now,
            created_at=now,
        )
        transaction.on_commit(
            lambda: tasks.notify_organiser_of_sign_up.enqueue(created.pk, site_url)
        )
        if created.email:
            transaction.on_commit(
                lambda: tasks.send_sign_up_confirmation.enqueue(created.pk, site_url)
            )
    return created


def move_waiting_list_up(activity):
    """Give free places to waiting parties in the order they signed up; a party that does not
    fit is skipped, so a smaller party after it can still come. Call with the activity locked.
    Returns the sign-ups that got a place."""
    free = availability(activity)
    promoted = []
    for waiting in activity.sign_ups.filter(status=SignUp.Status.WAITING).order_by(
        "created_at", "pk"
    ):
        if free.capacity is not None and free.free == 0:
            break
        if free.fits(waiting.party_size):
            waiting.status = SignUp.Status.CONFIRMED
            waiting.save(update_fields=["status"])
            promoted.append(waiting)
            free = Availability(free.capacity, free.taken + waiting.party_size)
    return promoted


def _mail_who_moved_up(promoted, site_url):
    from .. import tasks

    for moved_up in promoted:
        transaction.on_commit(
            lambda pk=moved_up.pk: tasks.send_place_available.enqueue(pk, site_url)
        )


def give_free_places(activity_pk, site_url):
    """After the organiser raised the number of places: the waiting list moves up, and who
    got a place is told. Returns the sign-ups that got a place."""
    with transaction.atomic():
        promoted = move_waiting_list_up(_locked_activity(activity_pk))
        _mail_who_moved_up(promoted, site_url)
    return promoted


def cancel(sign_up_pk, site_url, by_organiser=False):
    """Cancel a sign-up (harmless when it already is) and give its places to the waiting list.
    Mails go out after commit: the organiser hears of a resident's cancellation, residents who
    move up hear they now have a place. Returns the sign-up."""
    from .. import tasks

    with transaction.atomic():
        activity_pk = SignUp.objects.values_list("activity_id", flat=True).get(pk=sign_up_pk)
        activity = _locked_activity(activity_pk)
        cancelled = SignUp.objects.select_for_update().get(pk=sign_up_pk)
        if cancelled.status == SignUp.Status.CANCELLED:
            return cancelled
        cancelled.status = SignUp.Status.CANCELLED
        cancelled.cancelled_at = timezone.now()
        cancelled.save(update_fields=["status", "cancelled_at"])
        # A paused or ended activity has no place to give: nobody is told they have one.
        promoted = move_waiting_list_up(activity) if accepts_sign_ups(activity) else []
        if not by_organiser:
            transaction.on_commit(
                lambda: tasks.notify_organiser_of_cancellation.enqueue(cancelled.pk, site_url)
            )
        _mail_who_moved_up(promoted, site_url)
    return cancelled


def set_attendance(sign_up, attended):
    """Record whether the party came (True/False) or that it is not known yet (None)."""
    sign_up.attended = attended
    sign_up.save(update_fields=["attended"])


# --- retention ---


def occasion_of(sign_up):
    """When the sign-up was for: the activity's first time at or after signing up (the end of
    it), or the sign-up itself when the activity has no dates (by appointment)."""
    upcoming = occurrences(
        sign_up.activity, start=sign_up.created_at,
        end=sign_up.created_at + timedelta(days=366), limit=1,
    )
    return upcoming[0][1] if upcoming else sign_up.created_at


def keep_until(sign_up):
    """The moment after which the sign-up's personal data is no longer needed."""
    last_needed = max(
        moment for moment in (occasion_of(sign_up), sign_up.created_at, sign_up.cancelled_at)
        if moment is not None
    )
    return last_needed + timedelta(days=settings.OMZIEN_SIGN_UP_RETENTION_DAYS)


def anonymise(sign_up, now=None):
    """Wipe what identifies the resident; keep status, number of people and attendance for
    the statistics. The cancel link stops working too."""
    from ..models import new_cancel_token

    sign_up.name = ANONYMISED_NAME
    sign_up.email = None
    sign_up.phone = None
    sign_up.remark = None
    sign_up.cancel_token = new_cancel_token()
    sign_up.anonymised_at = now or timezone.now()
    sign_up.save(update_fields=[
        "name", "email", "phone", "remark", "cancel_token", "anonymised_at",
    ])


def anonymise_expired_sign_ups(now=None):
    """Anonymise every sign-up whose retention period is over. Returns how many."""
    now = now or timezone.now()
    retention = timedelta(days=settings.OMZIEN_SIGN_UP_RETENTION_DAYS)
    # Nothing signed up within the retention period can be due, whatever its date.
    candidates = SignUp.objects.filter(
        anonymised_at__isnull=True, created_at__lt=now - retention
    ).select_related("activity")
    done = 0
    for candidate in candidates.iterator(chunk_size=500):
        if keep_until(candidate) < now:
            anonymise(candidate, now)
            done += 1
    return done


# --- mails (sent by the task worker, see tasks.py) ---

ORGANISER_SUBJECTS = {
    "new": _("New sign-up for %(title)s"),
    "cancelled": _("Cancelled sign-up for %(title)s"),
    "moved_up": _("From the waiting list to a place: %(title)s"),
}
RESIDENT_SUBJECTS = {
    "confirmation": _("You have signed up for %(title)s"),
    "place_available": _("There is a place for you at %(title)s"),
    "stopped": _("%(title)s does not take place any more"),
}


def organiser_addresses(activity):
    """Where news about sign-ups goes: the activity's contact address, else the
    organisation's, else the organisation's providers (who can see the sign-ups)."""
    from omzien.core.models import Role

    if activity.contact_email:
        return [activity.contact_email]
    if activity.organisation.email:
        return [activity.organisation.email]
    members = activity.organisation.memberships.filter(
        role=Role.PROVIDER, user__is_active=True
    ).exclude(user__email="")
    return sorted({membership.user.email for membership in members.select_related("user")})


def _one_line(text):
    # A title with a line break must not break the mail's Subject header.
    return " ".join(str(text).split())


def _next_time(activity, after):
    upcoming = occurrences(activity, start=after, limit=1)
    return upcoming[0][0] if upcoming else None


def _mail_context(sign_up, site_url):
    activity = sign_up.activity
    return {
        "sign_up": sign_up,
        "activity": activity,
        "availability": availability(activity),
        "waiting_position": waiting_position(sign_up),
        "next_time": _next_time(activity, timezone.now()),
        "locations": list(activity.locations.all()),
        "retention_days": settings.OMZIEN_SIGN_UP_RETENTION_DAYS,
        "municipality": settings.OMZIEN_MUNICIPALITY,
        "cancel_url": site_url + reverse("activities:cancel_sign_up", args=[sign_up.cancel_token]),
        "dashboard_url": site_url + reverse("activities_staff:sign_ups", args=[activity.pk]),
        "search_url": site_url + reverse("activities:search"),
    }


def _send(template, subject, context, to):
    with translation.override(settings.LANGUAGE_CODE):
        subject = str(subject) % {"title": _one_line(context["activity"].title)}
        body = render_to_string(template, context)
    EmailMessage(subject=subject, body=body, to=to).send()
    return 1


def mail_organiser(sign_up_pk, kind, site_url=""):
    """Mail the organiser about a new, cancelled or moved-up sign-up. Returns mails sent."""
    sign_up = SignUp.objects.select_related("activity__organisation").get(pk=sign_up_pk)
    to = organiser_addresses(sign_up.activity)
    if sign_up.anonymised_at is not None or not to:
        if not to:
            logger.warning("Nobody to tell about sign-up %s: no organiser address", sign_up.pk)
        return 0
    context = {**_mail_context(sign_up, site_url), "kind": kind}
    return _send("activities/email/signup_organiser.txt", ORGANISER_SUBJECTS[kind], context, to)


def mail_resident(sign_up_pk, kind, site_url):
    """Mail the resident (when they gave an address) their confirmation or their new place."""
    sign_up = SignUp.objects.select_related("activity__organisation").get(pk=sign_up_pk)
    if (not sign_up.email or sign_up.anonymised_at is not None
            or sign_up.status == SignUp.Status.CANCELLED):
        return 0
    context = {**_mail_context(sign_up, site_url), "kind": kind}
    return _send(
        f"activities/email/signup_{kind}.txt", RESIDENT_SUBJECTS[kind], context, [sign_up.email]
    )


def tell_residents_activity_stopped(activity_pk, site_url):
    """The activity has ended: everyone with a place or on the waiting list hears it (those
    with an e-mail address; the organiser phones the others). Returns how many were mailed."""
    sign_ups = SignUp.objects.filter(
        activity_id=activity_pk, status__in=[SignUp.Status.CONFIRMED, SignUp.Status.WAITING]
    ).values_list("pk", flat=True)
    return sum(mail_resident(pk, "stopped", site_url) for pk in sign_ups)
