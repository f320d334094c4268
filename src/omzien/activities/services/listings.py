"""Providers keep their own listings current: saving with or without a coordinator's approval,
pausing and ending, "still correct", stale-entry reminders, and claims on imported listings.

Changes that wait for approval live in `Activity.pending_changes`, so the public keeps seeing
the approved version. The format (shared with the imports, which call `propose_changes`):

    {"fields": {field name: JSON value}, "terms": [term ids], "locations": [location ids],
     "proposed_by": user id or None, "proposed_by_name": "...", "proposed_at": ISO time}

"terms" and "locations" are only present when they change.
"""

import logging
from datetime import UTC, datetime
from decimal import Decimal

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from omzien.core.models import AuditEvent, Membership, Organisation, Role
from omzien.core.permissions import GRANTS, ORGANISATION_SCOPED, Perm, has_perm
from omzien.core.services import record_audit_event

from .. import queries
from ..models import Activity, ListingClaim, Location, TaxonomyTerm
from .catalogue import clean_description, refresh_schedule_fields, store_activity

logger = logging.getLogger(__name__)

# What a provider (or an import) sets; the rest is bookkeeping. Used for the approval diff.
CONTENT_FIELDS = [
    "title", "description", "cost", "cost_note", "access", "referral_notes",
    "wheelchair_accessible", "hearing_loop", "transport_offered", "languages",
    "schedule_kind", "starts_at", "ends_at", "recurrence", "extra_dates", "excluded_dates",
    "schedule_note", "capacity", "waiting_list", "join_method", "join_url",
    "contact_name", "contact_phone", "contact_email",
]


# --- who manages what ---


def managed_organisation_ids(user):
    """Ids of the organisations whose activities `user` manages, or None for all of them."""
    if has_perm(user, Perm.MANAGE_ACTIVITIES) and not _scoped_only(user, Perm.MANAGE_ACTIVITIES):
        return None
    return user.organisation_ids_for(*ORGANISATION_SCOPED[Perm.MANAGE_ACTIVITIES])


def _scoped_only(user, perm):
    """True when every role that gives `user` this permission is limited to own organisations."""
    granting = {m.role for m in user.current_memberships if m.role in GRANTS[perm]}
    return granting <= ORGANISATION_SCOPED.get(perm, frozenset())


def managed_activities(user):
    ids = managed_organisation_ids(user)
    activities = Activity.objects.select_related("organisation", "source")
    return activities if ids is None else activities.filter(organisation_id__in=ids)


def managed_organisations(user):
    ids = managed_organisation_ids(user)
    if ids is None:
        return Organisation.objects.filter(is_active=True)
    return Organisation.objects.filter(pk__in=ids)


def managed_locations(user):
    ids = managed_organisation_ids(user)
    locations = Location.objects.select_related("organisation", "area")
    return locations if ids is None else locations.filter(organisation_id__in=ids)


def approval_needed(user):
    """A provider's changes wait for a coordinator when the municipality wants that."""
    return settings.OMZIEN_ACTIVITY_APPROVAL_REQUIRED and not has_perm(
        user, Perm.APPROVE_ACTIVITIES
    )


# --- staleness ---


# One rule for search (which ranks stale activities lower) and for the flags and reminders.
stale_cutoff = queries.stale_cutoff


def is_stale(activity, now=None):
    """Stale and still on offer: an ended activity needs no checking."""
    return activity.status != Activity.Status.ENDED and queries.is_stale(activity, now)


def mark_verified(user, activity):
    """The provider says the listing is still correct: a new stale period starts."""
    now = timezone.now()
    Activity.objects.filter(pk=activity.pk).update(verified_at=now, stale_reminder_sent_at=None)
    activity.verified_at, activity.stale_reminder_sent_at = now, None
    record_audit_event(user, AuditEvent.Action.UPDATE, activity, detail={"verified": True})
    return activity


def stale_reminders_due(now=None):
    """Stale activities whose provider has not been reminded in this stale period yet."""
    return (
        Activity.objects.exclude(status=Activity.Status.ENDED)
        .filter(verified_at__lt=stale_cutoff(now))
        # Reminded before the last check means: not yet reminded in this stale period.
        .filter(Q(stale_reminder_sent_at__isnull=True)
                | Q(stale_reminder_sent_at__lt=F("verified_at")))
        .select_related("organisation")
        .order_by("organisation_id", "title")
    )


def provider_addresses(organisation):
    """Where reminders for an organisation go: its own address and its providers' accounts."""
    addresses = [organisation.email] if organisation.email else []
    users = (
        Membership.objects.filter(organisation=organisation, role=Role.PROVIDER,
                                  user__is_active=True)
        .exclude(user__email="").values_list("user__email", flat=True)
    )
    for address in users:
        if address not in addresses:
            addresses.append(address)
    return addresses


# --- saving ---


def to_json(field_name, value):
    """A field value as JSON (pending_changes is a JSONField), in one canonical form, so an
    unchanged value compares equal whichever way it came in (0 and 0.00 euro; 10:00+01:00 from
    the form and 09:00+00:00 from the database)."""
    if value is None or isinstance(value, bool | int | str | list | dict):
        return value
    if isinstance(value, Decimal):
        places = Activity._meta.get_field(field_name).decimal_places
        return str(value.quantize(Decimal(1).scaleb(-places)))
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat() if timezone.is_aware(value) else value.isoformat()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def from_json(field_name, value):
    return Activity._meta.get_field(field_name).to_python(value)


@transaction.atomic
def create_activity(user, activity, terms, locations):
    if approval_needed(user):
        activity.review_state = Activity.ReviewState.PENDING
    activity.verified_at = timezone.now()
    store_activity(activity, terms=terms, locations=locations)
    record_audit_event(user, AuditEvent.Action.CREATE, activity,
                       detail={"review_state": activity.review_state})
    return activity


@transaction.atomic
def update_activity(user, activity, terms, locations):
    """Save the edited `activity` (changed in memory by a form). When approval is needed and
    the activity is public, the changes wait in pending_changes; returns True when they do."""
    current = Activity.objects.select_for_update().get(pk=activity.pk)
    activity.description = clean_description(activity.description)
    changed = [name for name in CONTENT_FIELDS
               if to_json(name, getattr(activity, name)) != to_json(name, getattr(current, name))]
    if approval_needed(user) and current.review_state == Activity.ReviewState.APPROVED:
        proposal = propose_changes(
            current, {name: getattr(activity, name) for name in changed},
            terms=terms, locations=locations, actor=user,
        )
        Activity.objects.filter(pk=activity.pk).update(verified_at=timezone.now(),
                                                       stale_reminder_sent_at=None)
        return bool(proposal)
    activity.pending_changes = current.pending_changes
    activity.verified_at, activity.stale_reminder_sent_at = timezone.now(), None
    store_activity(activity, terms=terms, locations=locations)
    offer_new_places(activity, current.capacity)
    record_audit_event(user, AuditEvent.Action.UPDATE, activity, detail={"fields": changed})
    return False


def offer_new_places(activity, previous_capacity):
    """More places than before (or no limit any more): the waiting list moves up after commit,
    and whoever gets a place is mailed."""
    from . import signups

    grew = previous_capacity is not None and (
        activity.capacity is None or activity.capacity > previous_capacity
    )
    if grew:
        transaction.on_commit(
            lambda: signups.give_free_places(activity.pk, settings.OMZIEN_SITE_URL)
        )


def propose_changes(activity, changes, terms=None, locations=None, actor=None):
    """Keep `changes` ({field: new value}) and new terms/locations of an approved activity
    for a coordinator, merged with what already waits. Values equal to the approved version
    are dropped. Returns the stored proposal ({} when nothing differs)."""
    pending = dict(activity.pending_changes or {})
    fields = dict(pending.get("fields", {}))
    for name, value in changes.items():
        if name not in CONTENT_FIELDS:
            raise ValueError(f"{name} is not a field a proposal may change")
        if name == "description":
            value = clean_description(value)
        fields[name] = to_json(name, value)
    fields = {name: value for name, value in fields.items()
              if value != to_json(name, getattr(activity, name))}
    proposal = {"fields": fields} if fields else {}
    for key, given, current in (
        ("terms", terms, activity.terms.all()), ("locations", locations, activity.locations.all()),
    ):
        wanted = _ids(given) if given is not None else pending.get(key)
        if wanted is not None and wanted != _ids(current):
            proposal[key] = wanted
    if proposal:
        proposal.update({
            "proposed_by": actor.pk if actor is not None else None,
            "proposed_by_name": (actor.get_full_name() or actor.get_username()) if actor else "",
            "proposed_at": timezone.now().isoformat(),
        })
    Activity.objects.filter(pk=activity.pk).update(pending_changes=proposal)
    activity.pending_changes = proposal
    if proposal and actor is not None:
        record_audit_event(actor, AuditEvent.Action.UPDATE, activity,
                           detail={"proposed": sorted(fields)})
    return proposal


def _ids(objects_or_ids):
    return sorted(item if isinstance(item, int) else item.pk for item in objects_or_ids)


def awaiting_review():
    """Activities a coordinator has to look at: new ones and proposed changes."""
    return (
        Activity.objects.filter(
            Q(review_state=Activity.ReviewState.PENDING) & ~Q(status=Activity.Status.ENDED)
            | ~Q(pending_changes={})
        )
        .select_related("organisation")
        .order_by("updated_at")
    )


def has_pending_changes(activity):
    return bool(activity.pending_changes)


@transaction.atomic
def approve_changes(activity, user):
    """Make the waiting changes (or the new activity) public."""
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    previous_capacity = activity.capacity
    pending = activity.pending_changes or {}
    for name, value in pending.get("fields", {}).items():
        setattr(activity, name, from_json(name, value))
    terms = locations = None
    if "terms" in pending:
        terms = TaxonomyTerm.objects.filter(pk__in=pending["terms"])
    if "locations" in pending:
        locations = Location.objects.filter(pk__in=pending["locations"])
    activity.pending_changes = {}
    was_new = activity.review_state == Activity.ReviewState.PENDING
    activity.review_state = Activity.ReviewState.APPROVED
    store_activity(activity, terms=terms, locations=locations)
    offer_new_places(activity, previous_capacity)
    record_audit_event(user, AuditEvent.Action.UPDATE, activity, detail={
        "approved": "new activity" if was_new else sorted(pending.get("fields", {})),
    })
    return activity


@transaction.atomic
def reject_changes(activity, user):
    """Drop the waiting changes; a new activity that is refused is ended (never public)."""
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    rejected = sorted(activity.pending_changes.get("fields", {}))
    activity.pending_changes = {}
    if activity.review_state == Activity.ReviewState.PENDING:
        activity.status = Activity.Status.ENDED
    store_activity(activity)
    record_audit_event(user, AuditEvent.Action.UPDATE, activity, detail={"rejected": rejected
                                                                         or "new activity"})
    return activity


@transaction.atomic
def set_status(user, activity, status):
    """Pause, resume or end: applies at once, also under approval (it only hides things)."""
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    previous = activity.status
    activity.status = status
    activity.ended_by_import = False  # a person decided: an import no longer brings it back
    if status == Activity.Status.ENDED and previous != Activity.Status.ENDED:
        from .. import tasks

        transaction.on_commit(lambda: tasks.tell_residents_activity_stopped.enqueue(
            activity.pk, settings.OMZIEN_SITE_URL
        ))
    store_activity(activity)
    record_audit_event(user, AuditEvent.Action.UPDATE, activity,
                       detail={"status": [previous, status]})
    return activity


# --- claims on imported listings ---


def claimable_activities():
    """Imported listings whose organisation has nobody to keep them current."""
    has_provider = Membership.objects.filter(
        organisation=OuterRef("organisation"), role=Role.PROVIDER
    )
    return (
        Activity.objects.filter(source__isnull=False).exclude(status=Activity.Status.ENDED)
        .filter(~Exists(has_provider)).select_related("organisation", "source")
    )


def is_claimable(activity):
    return claimable_activities().filter(pk=activity.pk).exists()


def claim_organisations(user):
    """The organisations on whose behalf `user` may claim listings."""
    return Organisation.objects.filter(
        pk__in=user.organisation_ids_for(*GRANTS[Perm.CLAIM_LISTINGS]), is_active=True
    )


@transaction.atomic
def request_claim(user, activity, organisation, message):
    """Ask to take over an imported listing. Returns the (new or existing) open claim."""
    claim, created = ListingClaim.objects.get_or_create(
        activity=activity, organisation=organisation, state=ListingClaim.State.OPEN,
        defaults={"requested_by": user, "message": message},
    )
    if created:
        record_audit_event(user, AuditEvent.Action.CREATE, claim,
                           detail={"activity": activity.pk})
    return claim


@transaction.atomic
def decide_claim(user, claim, grant):
    """Grant (the listing moves to the claimer and leaves the import) or refuse a claim."""
    claim = ListingClaim.objects.select_for_update().select_related("activity").get(pk=claim.pk)
    if claim.state != ListingClaim.State.OPEN:
        return claim, False
    now = timezone.now()
    claim.state = ListingClaim.State.GRANTED if grant else ListingClaim.State.REFUSED
    claim.decided_by, claim.decided_at = user, now
    claim.save()
    if grant:
        _move_listing(claim.activity, claim.organisation, now)
        # Only one organisation can have it: the other open claims are refused.
        ListingClaim.objects.filter(activity=claim.activity, state=ListingClaim.State.OPEN) \
            .update(state=ListingClaim.State.REFUSED, decided_by=user, decided_at=now)
    record_audit_event(user, AuditEvent.Action.UPDATE, claim, detail={"state": claim.state})
    return claim, True


def _move_listing(activity, organisation, now):
    activity.organisation = organisation
    # Detached: later imports of the source no longer recognise (and overwrite) it.
    activity.source = None
    activity.source_key = ""
    activity.source_fingerprint = ""
    activity.verified_at, activity.stale_reminder_sent_at = now, None
    store_activity(activity)


def open_claims():
    return ListingClaim.objects.filter(state=ListingClaim.State.OPEN).select_related(
        "activity__organisation", "organisation", "requested_by"
    ).order_by("requested_at")


# --- daily work (run by the task worker, see tasks.py) ---


def refresh_all_schedules(batch_size=500, now=None):
    """Recompute the schedule fields of every activity that has not ended, in pk order."""
    now = now or timezone.now()
    refreshed, last_pk = 0, 0
    current = Activity.objects.exclude(status=Activity.Status.ENDED).order_by("pk")
    while True:
        batch = list(current.filter(pk__gt=last_pk)[:batch_size])
        if not batch:
            return refreshed
        for activity in batch:
            refresh_schedule_fields(activity, now=now)
        refreshed += len(batch)
        last_pk = batch[-1].pk


def send_stale_reminders(site_url="", now=None):
    """Mail each organisation with stale activities once per stale period. An activity is
    claimed (stale_reminder_sent_at set) in the same transaction as its mail is sent, so a
    failed mail is tried again the next day and a second worker sends nothing twice."""
    now = now or timezone.now()
    site_url = (site_url or settings.OMZIEN_SITE_URL).rstrip("/")
    by_organisation = {}
    for activity in stale_reminders_due(now):
        by_organisation.setdefault(activity.organisation, []).append(activity)
    sent, failed = 0, []
    for organisation, activities in by_organisation.items():
        recipients = provider_addresses(organisation)
        if not recipients:
            continue  # nobody to tell; the flag stays visible to coordinators
        try:
            with transaction.atomic():
                claimed = _claim_for_reminder(activities, now)
                if claimed:
                    _stale_message(organisation, claimed, recipients, site_url, now).send()
                    sent += 1
        except Exception:
            logger.exception("Could not send the stale reminder to organisation %s",
                             organisation.pk)
            failed.append(organisation.pk)
    if failed:
        raise RuntimeError(f"Stale reminders for organisations {failed} could not be sent.")
    return {"sent": sent}


def _claim_for_reminder(activities, now):
    due = stale_reminders_due(now).filter(pk__in=[activity.pk for activity in activities])
    claimed = list(due.select_for_update(of=("self",)))
    Activity.objects.filter(pk__in=[activity.pk for activity in claimed]).update(
        stale_reminder_sent_at=now
    )
    return claimed


def _stale_message(organisation, activities, recipients, site_url, now):
    with translation.override(settings.LANGUAGE_CODE):
        subject = gettext("Is your information on the social map still correct?")
        body = render_to_string("activities/email/stale_reminder.txt", {
            "organisation": organisation,
            "items": [
                {"activity": activity,
                 "link": site_url + reverse("activities_staff:activity_verify",
                                            args=[activity.pk]),
                 "edit_link": site_url + reverse("activities_staff:activity_edit",
                                                 args=[activity.pk])}
                for activity in activities
            ],
            "stale_days": settings.OMZIEN_ACTIVITY_STALE_DAYS,
            "municipality": settings.OMZIEN_MUNICIPALITY,
        })
    return EmailMessage(subject=str(subject), body=body, to=recipients)
