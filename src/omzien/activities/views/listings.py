"""Staff pages where providers keep their own listings current and coordinators approve
changes and claims. Mounted at /werkplek/aanbod/ (namespace activities_staff)."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from omzien.core.access import staff_view
from omzien.core.forms import is_plain_id
from omzien.core.models import AuditEvent, Organisation
from omzien.core.pages import render_form
from omzien.core.permissions import Perm, has_perm
from omzien.core.services import record_audit_event

from .. import geocoding
from ..forms.listings import (
    ActivityFilterForm,
    ActivityForm,
    ClaimForm,
    LocationForm,
)
from ..models import Activity, ListingClaim, Location, TaxonomyTerm
from ..services import listings as services

PAGE_SIZE = 50

# --- whose activity is it (for the organisation-scoped permission) ---


def _activity_organisation(request, pk, **kwargs):
    return get_object_or_404(Activity.objects.select_related("organisation"), pk=pk).organisation


def _location_organisation(request, pk, **kwargs):
    return get_object_or_404(Location.objects.select_related("organisation"), pk=pk).organisation


def _organisation_asked_or_own(request, **kwargs):
    """The organisation in ?organisatie= (checked against the user's scope), else one the user
    manages, else None (so a user who manages none is refused)."""
    raw = request.GET.get("organisatie", "")
    if raw:
        if not is_plain_id(raw):
            raise Http404
        return get_object_or_404(Organisation, pk=raw)
    return services.managed_organisations(request.user).first()


def _claimer_organisation(request, **kwargs):
    return services.claim_organisations(request.user).first()


def _nav(request):
    """What the sub-menu of the listing pages offers this user."""
    user = request.user
    return {
        "can_review": has_perm(user, Perm.APPROVE_ACTIVITIES),
        "can_claim": has_perm(user, Perm.CLAIM_LISTINGS,
                              services.claim_organisations(user).first()),
        "stale_days": settings.OMZIEN_ACTIVITY_STALE_DAYS,
    }


def _own_activity(pk):
    return get_object_or_404(Activity.objects.select_related("organisation", "source"), pk=pk)


# --- my activities ---


@staff_view(Perm.MANAGE_ACTIVITIES, organisation_from=_organisation_asked_or_own)
def my_activities(request):
    organisations = services.managed_organisations(request.user)
    form = ActivityFilterForm(request.GET or None, organisations=organisations)
    activities = services.managed_activities(request.user).order_by("status", "title")
    if form.is_bound and form.is_valid():
        activities = _filtered(activities, form.cleaned_data)
    page = Paginator(activities, PAGE_SIZE).get_page(request.GET.get("page"))
    for activity in page:
        activity.is_stale = services.is_stale(activity)
    return render(request, "activities/listing_list.html", {
        **_nav(request), "page": page, "form": form,
        "show_filters": services.managed_organisation_ids(request.user) is None
        or organisations.count() > 1,
    })


def _filtered(activities, data):
    if data.get("organisation"):
        activities = activities.filter(organisation=data["organisation"])
    if data.get("status"):
        activities = activities.filter(status=data["status"])
    flag = data.get("flag")
    if flag == "stale":
        activities = activities.exclude(status=Activity.Status.ENDED).filter(
            verified_at__lt=services.stale_cutoff()
        )
    elif flag == "pending":
        activities = activities.filter(pk__in=services.awaiting_review().values("pk"))
    elif flag == "imported":
        activities = activities.filter(source__isnull=False)
    return activities


@staff_view(Perm.MANAGE_ACTIVITIES, organisation_from=_organisation_asked_or_own)
def activity_create(request):
    organisation = _chosen_organisation(request)
    if organisation is None:
        return render(request, "activities/listing_choose_organisation.html", {
            "organisations": services.managed_organisations(request.user),
        })
    form = ActivityForm(request.POST or None, organisation=organisation,
                        instance=Activity(organisation=organisation))
    if request.method == "POST" and form.is_valid():
        activity, terms, locations = form.apply()
        services.create_activity(request.user, activity, terms, locations)
        if activity.review_state == Activity.ReviewState.PENDING:
            messages.success(request, _("The activity has been saved. A coordinator checks it "
                                        "before it is shown on the social map."))
        else:
            messages.success(request, _("The activity has been saved and is on the social map."))
        return redirect("activities_staff:my_activities")
    return render_form(request, "activities/listing_form.html",
                       {"organisation": organisation}, form)


def _chosen_organisation(request):
    """The organisation a new activity is for: the one asked, or the only one the user has."""
    if request.GET.get("organisatie"):
        return _organisation_asked_or_own(request)
    organisations = services.managed_organisations(request.user)
    return organisations.first() if organisations.count() == 1 else None


@staff_view(Perm.MANAGE_ACTIVITIES, organisation_from=_activity_organisation)
def activity_edit(request, pk):
    activity = _own_activity(pk)
    form = ActivityForm(request.POST or None, organisation=activity.organisation,
                        instance=activity)
    if request.method == "POST" and form.is_valid():
        edited, terms, locations = form.apply()
        waiting = services.update_activity(request.user, edited, terms, locations)
        if waiting:
            messages.success(request, _("Your changes have been saved. A coordinator checks "
                                        "them; until then the social map shows the old version."))
        else:
            messages.success(request, _("The activity has been saved."))
        return redirect("activities_staff:my_activities")
    return render_form(request, "activities/listing_form.html", {
        "organisation": activity.organisation, "activity": activity,
        "pending": activity.pending_changes,
    }, form)


def _status_action(status, message):
    @staff_view(Perm.MANAGE_ACTIVITIES, organisation_from=_activity_organisation)
    @require_POST
    def action(request, pk):
        activity = services.set_status(request.user, _own_activity(pk), status)
        messages.success(request, message() % {"title": activity.title})
        return redirect(_next_or(request, reverse("activities_staff:my_activities")))

    return action


activity_pause = _status_action(
    Activity.Status.PAUSED,
    lambda: _("“%(title)s” is paused: it stays findable, marked as paused."),
)
activity_resume = _status_action(
    Activity.Status.ACTIVE, lambda: _("“%(title)s” is active again."),
)
activity_end = _status_action(
    Activity.Status.ENDED, lambda: _("“%(title)s” has ended and is no longer shown."),
)


def _next_or(request, default):
    target = request.POST.get("next", "")
    # Only our own pages: never send the user elsewhere.
    return target if target.startswith("/werkplek/") and "//" not in target else default


@staff_view(Perm.MANAGE_ACTIVITIES, organisation_from=_activity_organisation)
def activity_verify(request, pk):
    """The page the stale reminder links to: "is this still correct?"."""
    activity = _own_activity(pk)
    if request.method == "POST":
        services.mark_verified(request.user, activity)
        messages.success(request, _("Thank you. “%(title)s” is marked as checked today.")
                         % {"title": activity.title})
        return redirect("activities_staff:my_activities")
    return render(request, "activities/listing_verify.html", {
        "activity": activity,
        "is_stale": services.is_stale(activity),
        "locations": activity.locations.all(),
        "terms": activity.terms.all(),
    })


# --- locations ---


@staff_view(Perm.MANAGE_ACTIVITIES, organisation_from=_organisation_asked_or_own)
def location_list(request):
    locations = services.managed_locations(request.user).order_by("organisation__name", "name")
    return render(request, "activities/listing_locations.html", {
        **_nav(request),
        "page": Paginator(locations, PAGE_SIZE).get_page(request.GET.get("page")),
        "organisations": services.managed_organisations(request.user),
    })


@staff_view(Perm.MANAGE_ACTIVITIES, organisation_from=_organisation_asked_or_own)
def location_create(request):
    organisation = _chosen_organisation(request)
    if organisation is None:
        return render(request, "activities/listing_choose_organisation.html", {
            "organisations": services.managed_organisations(request.user),
            "for_location": True,
        })
    return _location_form(request, Location(organisation=organisation))


@staff_view(Perm.MANAGE_ACTIVITIES, organisation_from=_location_organisation)
def location_edit(request, pk):
    return _location_form(request, get_object_or_404(Location, pk=pk))


def _location_form(request, location):
    is_new = location.pk is None
    form = LocationForm(request.POST or None, instance=location)
    if request.method == "POST" and form.is_valid():
        found = _look_up(form) if is_new or form.address_changed() or location.latitude is None \
            else True
        with transaction.atomic():
            location = form.save()
            record_audit_event(request.user, AuditEvent.Action.CREATE if is_new
                               else AuditEvent.Action.UPDATE, location,
                               detail={"fields": sorted(form.changed_data)})
        if found or location.area_id:
            messages.success(request, _("The location has been saved."))
            return redirect("activities_staff:location_list")
        messages.warning(request, _("The location has been saved, but the address could not be "
                                    "looked up. Choose the neighbourhood from the list, so "
                                    "people can find it by neighbourhood."))
        return redirect("activities_staff:location_edit", pk=location.pk)
    return render_form(request, "activities/listing_location_form.html",
                       {"location": location}, form)


def _look_up(form):
    """Fill coordinates and neighbourhood from the address. False when it cannot be found;
    the location is saved anyway."""
    data = form.cleaned_data
    query = f"{data['street_address']} {data['postcode']} {data['city']}".strip()
    try:
        match = geocoding.geocode(query)
    except Exception:  # the geocoder is a convenience; a failure must never lose the input
        match = None
    location = form.instance
    if match is None:
        location.latitude = location.longitude = None
        return False
    location.latitude, location.longitude = match.latitude, match.longitude
    area = getattr(match, "area", None)
    # The neighbourhood follows the address, unless the user just chose one themselves.
    if area is not None and "area" not in form.changed_data:
        location.area = area
    return True


# --- approval ---


@staff_view(Perm.APPROVE_ACTIVITIES)
def review_list(request):
    return render(request, "activities/listing_review_list.html", {
        **_nav(request),
        "activities": services.awaiting_review(),
    })


@staff_view(Perm.APPROVE_ACTIVITIES)
def review_detail(request, pk):
    activity = _own_activity(pk)
    return render(request, "activities/listing_review.html", {
        **_nav(request),
        "activity": activity,
        "is_new": activity.review_state == Activity.ReviewState.PENDING,
        "rows": _comparison(activity),
        "proposal": activity.pending_changes,
    })


def _comparison(activity):
    """(label, approved value, proposed value) for every field that would change."""
    pending = activity.pending_changes or {}
    rows = []
    for name, value in pending.get("fields", {}).items():
        field = Activity._meta.get_field(name)
        rows.append((field.verbose_name, _display(activity, name, getattr(activity, name)),
                     _display(activity, name, services.from_json(name, value))))
    if "terms" in pending:
        rows.append((_("classification"),
                     ", ".join(str(term) for term in activity.terms.all()),
                     ", ".join(str(term) for term in
                               TaxonomyTerm.objects.filter(pk__in=pending["terms"]))))
    if "locations" in pending:
        rows.append((_("locations"),
                     "; ".join(str(place) for place in activity.locations.all()),
                     "; ".join(str(place) for place in
                               Location.objects.filter(pk__in=pending["locations"]))))
    return rows


def _display(activity, name, value):
    field = Activity._meta.get_field(name)
    if value in (None, "", [], {}):
        return "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if hasattr(value, "astimezone"):
        return timezone.localtime(value).strftime("%d-%m-%Y %H:%M")
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


@staff_view(Perm.APPROVE_ACTIVITIES)
@require_POST
def review_approve(request, pk):
    activity = services.approve_changes(_own_activity(pk), request.user)
    messages.success(request, _("“%(title)s” is approved and shown on the social map.")
                     % {"title": activity.title})
    return redirect("activities_staff:review_list")


@staff_view(Perm.APPROVE_ACTIVITIES)
@require_POST
def review_reject(request, pk):
    activity = services.reject_changes(_own_activity(pk), request.user)
    messages.success(request, _("The changes to “%(title)s” have been rejected.")
                     % {"title": activity.title})
    return redirect("activities_staff:review_list")


# --- claims on imported listings ---


@staff_view(Perm.CLAIM_LISTINGS, organisation_from=_claimer_organisation)
def claimable_list(request):
    query = request.GET.get("q", "").strip()[:100]
    listings = services.claimable_activities().order_by("title")
    if query:
        listings = listings.filter(title__icontains=query)
    return render(request, "activities/listing_claimable.html", {
        **_nav(request),
        "page": Paginator(listings, PAGE_SIZE).get_page(request.GET.get("page")),
        "query": query,
        "my_claims": ListingClaim.objects.filter(requested_by=request.user)
        .select_related("activity", "organisation")[:20],
    })


@staff_view(Perm.CLAIM_LISTINGS, organisation_from=_claimer_organisation)
def activity_claim(request, pk):
    activity = _own_activity(pk)
    if not services.is_claimable(activity):
        raise Http404
    organisations = services.claim_organisations(request.user)
    form = ClaimForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        if not has_perm(request.user, Perm.CLAIM_LISTINGS, form.cleaned_data["organisation"]):
            raise PermissionDenied
        services.request_claim(request.user, activity, form.cleaned_data["organisation"],
                               form.cleaned_data["message"])
        messages.success(request, _("Your request has been sent. A coordinator decides; you "
                                    "receive an e-mail."))
        return redirect("activities_staff:claimable_list")
    return render_form(request, "activities/listing_claim_form.html",
                       {"activity": activity}, form)


@staff_view(Perm.APPROVE_ACTIVITIES)
def claim_review_list(request):
    return render(request, "activities/listing_claim_review.html", {
        **_nav(request),
        "claims": services.open_claims(),
    })


def _claim_decision(grant):
    @staff_view(Perm.APPROVE_ACTIVITIES)
    @require_POST
    def decide(request, pk):
        claim, decided = services.decide_claim(
            request.user, get_object_or_404(ListingClaim, pk=pk), grant
        )
        if decided:
            _mail_claim_decision(request, claim)
            messages.success(request, _("The request has been granted.") if grant
                             else _("The request has been refused."))
        else:
            messages.info(request, _("This request had already been decided."))
        return redirect("activities_staff:claim_review_list")

    return decide


claim_grant = _claim_decision(True)
claim_refuse = _claim_decision(False)


def _mail_claim_decision(request, claim):
    from omzien.core.tasks import send_email

    user = claim.requested_by
    if not user.email:
        return
    body = render_to_string("activities/email/listing_claim_decision.txt", {
        "claim": claim, "granted": claim.state == ListingClaim.State.GRANTED,
        "link": request.build_absolute_uri(
            reverse("activities_staff:activity_edit", args=[claim.activity_id])
        ),
        "municipality": settings.OMZIEN_MUNICIPALITY,
    })
    subject = (_("Your request for “%(title)s” has been granted") if
               claim.state == ListingClaim.State.GRANTED else
               _("Your request for “%(title)s” has been refused")) % {"title": claim.activity.title}
    transaction.on_commit(lambda: send_email.enqueue(subject=subject, body=body,
                                                     recipients=[user.email]))
