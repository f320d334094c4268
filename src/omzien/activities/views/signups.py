"""Sign-ups: a resident signs up on an activity page, cancels by link; the organiser sees them."""

import csv

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Q, Sum
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from omzien.core.access import staff_view
from omzien.core.forms import is_plain_id
from omzien.core.models import AuditEvent, Organisation
from omzien.core.permissions import GRANTS, Perm
from omzien.core.services import record_audit_event
from omzien.core.spreadsheets import defused

from ..forms.signups import SignUpForm
from ..models import Activity, SignUp
from ..services import signups as service

# The session remembers a few recent sign-ups, so the thank-you page can show them.
SESSION_KEY = "activity_sign_ups"
SESSION_LIMIT = 20
# Audit detail that marks a look at an activity's sign-ups (also used to count new ones).
SIGN_UPS_VIEWED = "sign_ups"
MAX_TOKEN_LENGTH = 64
# Sign-ups one address (IP) may send per window; more get a 429 with a Dutch message.
SIGN_UPS_PER_ADDRESS = 10
SIGN_UP_WINDOW_SECONDS = 60 * 60

# --- residents ---


def activity_url(activity):
    """The activity's public page (the sign-up page while that page does not exist)."""
    try:
        return reverse("activities:detail", args=[activity.pk])
    except NoReverseMatch:
        return reverse("activities:sign_up", args=[activity.pk])


def block_state(activity, free_places):
    """What the sign-up part of an activity page shows."""
    if activity.join_method == Activity.JoinMethod.WALK_IN:
        return "walk_in"
    if activity.join_method == Activity.JoinMethod.EXTERNAL:
        return "external" if activity.join_url else "contact"
    if not service.accepts_sign_ups(activity):
        return "closed"
    if free_places == 0 and not activity.waiting_list:
        return "full"
    return "waiting_list" if free_places == 0 else "open"


def signup_block_context(request, activity, form=None):
    """What the activity page needs to show the sign-up part."""
    places = service.availability(activity)
    state = block_state(activity, places.free)
    if form is None and state in {"open", "waiting_list"}:
        form = SignUpForm(activity=activity)
    return {
        "signup_activity": activity,
        "signup_state": state,
        "signup_places": places,
        "signup_form": form,
    }


def _published_activity(pk):
    if not is_plain_id(pk):
        raise Http404
    return get_object_or_404(Activity.objects.published().select_related("organisation"), pk=pk)


def _site_url(request):
    return request.build_absolute_uri("/").rstrip("/")


def _refusal_message(error):
    if isinstance(error, service.ActivityFull):
        return _("Sorry, this activity is full. There is no waiting list.")
    if isinstance(error, service.PartyTooLarge):
        return _("This activity has %(count)s places in total. Sign up fewer people, or ask "
                 "the organiser.") % {"count": error.capacity}
    return _("You can no longer sign up for this activity.")


def _remember(request, sign_up):
    remembered = dict(request.session.get(SESSION_KEY, {}))
    remembered[str(sign_up.activity_id)] = sign_up.pk
    request.session[SESSION_KEY] = dict(list(remembered.items())[-SESSION_LIMIT:])


@require_http_methods(["GET", "POST"])
def sign_up(request, pk):
    """The sign-up form on its own page; the activity page posts here too. A refused
    sign-up comes back here with its messages."""
    activity = _published_activity(pk)
    form = None
    status = 200
    if request.method == "POST":
        form = SignUpForm(request.POST, activity=activity)
        status = 400
        if _too_many_sign_ups(request):
            status = 429
            form.add_error(None, _("You have signed up many times in a short while. Try again "
                                   "in an hour, or call the organiser."))
        elif not service.accepts_sign_ups(activity):
            form.add_error(None, _("You can no longer sign up for this activity."))
        elif form.is_valid():
            data = form.cleaned_data
            try:
                created = service.sign_up(
                    activity.pk, _site_url(request), name=data["name"], email=data["email"],
                    phone=data["phone"], party_size=data["party_size"], remark=data["remark"],
                )
            except service.SignUpRefused as error:
                form.add_error(None, _refusal_message(error))
            else:
                _remember(request, created)
                return redirect("activities:signed_up", pk=activity.pk)
    context = signup_block_context(request, activity, form)
    return render(request, "activities/signup_form.html", {
        **context, "activity": activity, "activity_url": activity_url(activity),
    }, status=status)


def _too_many_sign_ups(request):
    """Stop a script that signs up again and again from one address (to take every place,
    or to have Omzien mail strangers); a family signing up for a few things passes."""
    key = f"sign-ups:{get_client_ip_address(request) or 'unknown'}"
    cache.add(key, 0, timeout=SIGN_UP_WINDOW_SECONDS)
    try:
        return cache.incr(key) > SIGN_UPS_PER_ADDRESS
    except ValueError:  # the entry expired in between
        return False


@never_cache
def signed_up(request, pk):
    """Thank you: with a place or on the waiting list, and what happens next."""
    sign_up_pk = request.session.get(SESSION_KEY, {}).get(str(pk))
    if sign_up_pk is None or not is_plain_id(pk):
        raise Http404
    created = get_object_or_404(
        SignUp.objects.select_related("activity__organisation"), pk=sign_up_pk, activity_id=pk
    )
    return render(request, "activities/signup_thanks.html", {
        "sign_up": created,
        "activity": created.activity,
        "activity_url": activity_url(created.activity),
        "waiting_position": service.waiting_position(created),
        "retention_days": settings.OMZIEN_SIGN_UP_RETENTION_DAYS,
    })


def _sign_up_by_token(token):
    if len(token) > MAX_TOKEN_LENGTH:
        raise Http404
    return get_object_or_404(
        SignUp.objects.select_related("activity__organisation"),
        cancel_token=token, anonymised_at__isnull=True,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def cancel_sign_up(request, token):
    """The link in the confirmation mail: GET asks to confirm, POST cancels (twice is fine)."""
    found = _sign_up_by_token(token)
    if request.method == "POST":
        service.cancel(found.pk, _site_url(request))
        return redirect("activities:cancel_sign_up", token=token)
    return render(request, "activities/signup_cancel.html", {
        "sign_up": found,
        "activity": found.activity,
        "activity_url": activity_url(found.activity),
        "is_cancelled": found.status == SignUp.Status.CANCELLED,
    })


# --- organisers ---


def _activity_from_url(request, pk, **kwargs):
    if not is_plain_id(pk):
        raise Http404
    return get_object_or_404(Activity.objects.select_related("organisation"), pk=pk)


def _organisation_from_url(request, pk, **kwargs):
    return _activity_from_url(request, pk).organisation


def _own_organisation(request, **kwargs):
    """One of the organisations the user sees sign-ups for (none: the check refuses)."""
    ids = _sign_up_organisation_ids(request.user)
    return Organisation.objects.filter(pk__in=ids).first()


def _sign_up_organisation_ids(user):
    return user.organisation_ids_for(*GRANTS[Perm.VIEW_SIGN_UPS])


def _sign_up_of(activity, sign_up_pk):
    if not is_plain_id(sign_up_pk):
        raise Http404
    return get_object_or_404(SignUp, pk=sign_up_pk, activity=activity)


def _grouped(sign_ups):
    groups = {status: [] for status in SignUp.Status.values}
    for item in sign_ups:
        groups[item.status].append(item)
    return groups


@staff_view(Perm.VIEW_SIGN_UPS, organisation_from=_organisation_from_url)
def sign_up_list(request, pk):
    activity = _activity_from_url(request, pk)
    sign_ups = list(activity.sign_ups.order_by("created_at", "pk"))
    groups = _grouped(sign_ups)
    record_audit_event(request.user, AuditEvent.Action.VIEW, activity,
                       detail={"what": SIGN_UPS_VIEWED, "count": len(sign_ups)})
    return render(request, "activities/signup_list.html", {
        "activity": activity,
        "places": service.availability(activity),
        "confirmed": groups[SignUp.Status.CONFIRMED],
        "waiting": groups[SignUp.Status.WAITING],
        "cancelled": groups[SignUp.Status.CANCELLED],
        "retention_days": settings.OMZIEN_SIGN_UP_RETENTION_DAYS,
    })


ATTENDANCE_VALUES = {"yes": True, "no": False, "unknown": None}


@staff_view(Perm.VIEW_SIGN_UPS, organisation_from=_organisation_from_url)
@require_POST
def mark_attendance(request, pk, sign_up_pk):
    activity = _activity_from_url(request, pk)
    item = _sign_up_of(activity, sign_up_pk)
    value = request.POST.get("attended", "")
    if value not in ATTENDANCE_VALUES:
        messages.error(request, _("Choose whether they came: yes, no or not known."))
        return redirect("activities_staff:sign_ups", pk=activity.pk)
    service.set_attendance(item, ATTENDANCE_VALUES[value])
    record_audit_event(request.user, AuditEvent.Action.UPDATE, item,
                       detail={"fields": ["attended"], "attended": value})
    messages.success(request, _("Saved who came."))
    list_url = reverse("activities_staff:sign_ups", args=[activity.pk])
    return redirect(f"{list_url}#sign-up-{item.pk}")


@staff_view(Perm.VIEW_SIGN_UPS, organisation_from=_organisation_from_url)
@require_POST
def cancel_by_organiser(request, pk, sign_up_pk):
    """The resident phoned to cancel: the organiser cancels for them."""
    activity = _activity_from_url(request, pk)
    item = _sign_up_of(activity, sign_up_pk)
    if item.anonymised_at is not None:
        raise PermissionDenied
    service.cancel(item.pk, _site_url(request), by_organiser=True)
    record_audit_event(request.user, AuditEvent.Action.UPDATE, item,
                       detail={"fields": ["status"], "status": SignUp.Status.CANCELLED})
    messages.success(request, _("The sign-up has been cancelled. Free places went to the "
                                "waiting list."))
    return redirect("activities_staff:sign_ups", pk=activity.pk)


def _attendance_label(attended):
    return {True: _("yes"), False: _("no"), None: ""}[attended]


@staff_view(Perm.VIEW_SIGN_UPS, organisation_from=_organisation_from_url)
def sign_up_export(request, pk):
    activity = _activity_from_url(request, pk)
    sign_ups = list(activity.sign_ups.order_by("created_at", "pk"))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"aanmeldingen-{activity.pk}-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    response.write("\ufeff")  # so spreadsheet programs read the accents correctly
    writer = csv.writer(response, delimiter=";")
    writer.writerow([_("Name"), _("E-mail address"), _("Phone number"), _("Number of people"),
                     _("Remark"), _("Status"), _("Signed up at"), _("Cancelled at"), _("Came")])
    for item in sign_ups:
        writer.writerow([defused(value) for value in (
            item.name, item.email, item.phone, item.party_size, item.remark,
            item.get_status_display(),
            timezone.localtime(item.created_at).strftime("%Y-%m-%d %H:%M"),
            timezone.localtime(item.cancelled_at).strftime("%Y-%m-%d %H:%M")
            if item.cancelled_at else "",
            _attendance_label(item.attended),
        )])
    record_audit_event(request.user, AuditEvent.Action.EXPORT, activity,
                       detail={"what": SIGN_UPS_VIEWED, "count": len(sign_ups)})
    return response


def _last_views(user, activity_ids):
    """When the user last looked at each activity's sign-ups."""
    events = AuditEvent.objects.filter(
        user=user, action=AuditEvent.Action.VIEW, object_type=Activity._meta.label,
        object_id__in=[str(pk) for pk in activity_ids], detail__what=SIGN_UPS_VIEWED,
    )
    return {int(row["object_id"]): row["last"]
            for row in events.values("object_id").annotate(last=Max("timestamp"))}


def _new_counts(user, activity_ids):
    """Sign-ups (not cancelled) since the user last looked at the list."""
    last_views = _last_views(user, activity_ids)
    counts = dict.fromkeys(activity_ids, 0)
    rows = SignUp.objects.filter(activity_id__in=activity_ids).exclude(
        status=SignUp.Status.CANCELLED
    ).values_list("activity_id", "created_at")
    for activity_id, created_at in rows:
        seen = last_views.get(activity_id)
        if seen is None or created_at > seen:
            counts[activity_id] += 1
    return counts


@staff_view(Perm.VIEW_SIGN_UPS, organisation_from=_own_organisation)
def sign_up_overview(request):
    """The provider's activities with sign-ups, and how many are new since they last looked."""
    organisation_ids = _sign_up_organisation_ids(request.user)
    confirmed = Q(sign_ups__status=SignUp.Status.CONFIRMED)
    activities = list(
        Activity.objects.filter(organisation_id__in=organisation_ids)
        .filter(Q(join_method=Activity.JoinMethod.SIGN_UP, status=Activity.Status.ACTIVE)
                | Q(pk__in=SignUp.objects.values("activity_id")))
        .select_related("organisation")
        .annotate(
            people=Sum("sign_ups__party_size", filter=confirmed),
            waiting=Count("sign_ups", filter=Q(sign_ups__status=SignUp.Status.WAITING)),
        )
        .order_by("next_starts_at", "title")
    )
    new_counts = _new_counts(request.user, [activity.pk for activity in activities])
    for activity in activities:
        activity.new_sign_ups = new_counts[activity.pk]
        activity.people = activity.people or 0
    return render(request, "activities/signup_overview.html", {"activities": activities})
