from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from . import queries, services
from .access import staff_view
from .extensions import app_hooks
from .forms import BoundaryUploadForm, MembershipFormSet, OrganisationForm, UserForm
from .models import Area, AuditEvent, Organisation, User
from .pages import render_form
from .permissions import Perm, editable_organisations, has_perm


def home(request):
    return render(request, "core/home.html")


def privacy(request):
    return render(request, "core/privacy.html")


def accessibility(request):
    return render(request, "core/accessibility.html")


@require_GET
@cache_control(max_age=3600, public=True)
def theme_css(request):
    """The municipality's colours as CSS custom properties, so the theme is a setting."""
    return render(
        request, "core/theme.css", {"theme": settings.OMZIEN_MUNICIPALITY},
        content_type="text/css; charset=utf-8",
    )


def _organisation_from_url(request, pk, **kwargs):
    return get_object_or_404(Organisation, pk=pk)


@staff_view(Perm.USE_WORKSPACE)
def staff_home(request):
    user = request.user
    return render(request, "core/staff/home.html", {
        "my_organisations": Organisation.objects.filter(memberships__user=user).distinct(),
        "memberships": user.memberships.select_related("organisation"),
        "can": {perm.value: has_perm(user, perm) for perm in Perm},
        "sections": [section for workspace_section in app_hooks("workspace", "workspace_section")
                     if (section := workspace_section(request))],
    })


@staff_view(Perm.VIEW_ORGANISATIONS)
def organisation_list(request):
    organisations = queries.search_organisations(
        text=request.GET.get("q", ""), sector=request.GET.get("sector", "")
    )
    page = Paginator(organisations, 25).get_page(request.GET.get("page"))
    return render(request, "core/staff/organisation_list.html", {
        "page": page,
        "sectors": Organisation.Sector.choices,
        "can_create": has_perm(request.user, Perm.CREATE_ORGANISATION),
        "editable_ids": set(
            editable_organisations(request.user, Organisation.objects.all())
            .values_list("pk", flat=True)
        ),
    })


@staff_view(Perm.VIEW_ORGANISATIONS)
def organisation_detail(request, pk):
    organisation = get_object_or_404(
        Organisation.objects.prefetch_related("areas"), pk=pk
    )
    return render(request, "core/staff/organisation_detail.html", {
        "organisation": organisation,
        "can_edit": has_perm(request.user, Perm.EDIT_ORGANISATION, organisation),
    })


@staff_view(Perm.CREATE_ORGANISATION)
def organisation_create(request):
    return _organisation_form(request, Organisation())


@staff_view(Perm.EDIT_ORGANISATION, organisation_from=_organisation_from_url)
def organisation_edit(request, pk):
    return _organisation_form(request, get_object_or_404(Organisation, pk=pk))


def _organisation_form(request, organisation):
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        organisation = services.save_organisation(request.user, form)
        messages.success(request, _("The organisation has been saved."))
        return redirect("staff:organisation_detail", pk=organisation.pk)
    return render_form(request, "core/staff/organisation_form.html", {}, form)


@staff_view(Perm.VIEW_AREAS)
def area_list(request):
    areas = queries.area_overview(parent_code=request.GET.get("in", ""))
    return render(request, "core/staff/area_list.html", {
        "areas": areas,
        "parent": Area.objects.filter(code=request.GET.get("in", "")).first(),
        "can_import": has_perm(request.user, Perm.IMPORT_AREAS),
    })


@staff_view(Perm.IMPORT_AREAS)
def area_import(request):
    form = BoundaryUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        result = services.import_boundaries(request.user, form.cleaned_data["file"])
        if result.ok:
            messages.success(request, result.summary())
            return redirect("staff:area_list")
        form.add_error("file", result.error)
    return render_form(request, "core/staff/area_import.html", {}, form)


@staff_view(Perm.MANAGE_USERS)
def user_list(request):
    users = User.objects.prefetch_related("memberships__organisation").order_by("username")
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    return render(request, "core/staff/user_list.html", {"page": page})


@staff_view(Perm.MANAGE_USERS)
def user_create(request):
    return _user_form(request, User())


@staff_view(Perm.MANAGE_USERS)
def user_edit(request, pk):
    return _user_form(request, get_object_or_404(User, pk=pk))


def _user_form(request, account):
    is_new = account.pk is None
    form = UserForm(request.POST or None, instance=account)
    formset = MembershipFormSet(request.POST or None, instance=account, prefix="roles")
    if request.method == "POST":
        if form.is_valid() and formset.is_valid():
            with transaction.atomic():
                account = services.save_user(request.user, form, formset)
            if is_new:
                services.invite_user(request, account)
                messages.success(request, _("The account has been created and an invitation "
                                            "has been sent by e-mail."))
            else:
                messages.success(request, _("The account has been saved."))
            return redirect("staff:user_list")
        status = 400
    else:
        status = 200
    return render(request, "core/staff/user_form.html",
                  {"form": form, "formset": formset, "is_new": is_new}, status=status)


@staff_view(Perm.VIEW_AUDIT_LOG)
def audit_log(request):
    events = AuditEvent.objects.all()
    if request.GET.get("user"):
        events = events.filter(username=request.GET["user"])
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "core/staff/audit_log.html", {"page": page})
