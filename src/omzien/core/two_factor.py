"""Log in, log out and two-factor authentication (TOTP with backup codes, via django-otp)."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token

from . import services
from .access import two_factor_redirect
from .forms import LoginForm, TokenForm
from .models import AuditEvent


def _safe_next(request, fallback="staff:home"):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(fallback)


class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        services.record_audit_event(self.request.user, AuditEvent.Action.LOGIN)
        # Users whose role sees personal data go on to the second step before anything else.
        pending = two_factor_redirect(self.request, next_url=self.get_success_url())
        return pending if pending is not None else response


@require_POST
def logout(request):
    if request.user.is_authenticated:
        services.record_audit_event(request.user, AuditEvent.Action.LOGOUT)
    return auth_views.LogoutView.as_view()(request)


@login_required
def two_factor_verify(request):
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            services.record_audit_event(
                request.user, AuditEvent.Action.TWO_FACTOR, detail={"result": "verified"}
            )
            return redirect(_safe_next(request))
        services.record_audit_event(
            request.user, AuditEvent.Action.TWO_FACTOR, detail={"result": "wrong code"}
        )
        form.add_error("token", _("This code is not correct or has expired. Try again."))
    status = 400 if request.method == "POST" else 200
    return render(request, "core/two_factor_verify.html",
                  {"form": form, "next": _safe_next(request)}, status=status)


@login_required
def two_factor_setup(request):
    """Link an authenticator app: show the key as a QR code, confirm with a first code, then
    hand out backup codes once."""
    if services.has_confirmed_device(request.user) and not request.user.is_verified():
        # Adding a device needs the existing second factor first, or a stolen password would do.
        query = urlencode({"next": request.get_full_path()})
        return redirect(f"{reverse('core:two_factor_verify')}?{query}")
    device = services.pending_totp_device(request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            codes = services.confirm_totp_device(request.user, device)
            otp_login(request, device)
            messages.success(request, _("Two-step login is switched on."))
            return render(request, "core/backup_codes.html",
                          {"codes": codes, "next": _safe_next(request)})
        form.add_error("token", _("This code is not correct. Check the time on your phone "
                                  "and try again."))
    status = 400 if request.method == "POST" else 200
    return render(request, "core/two_factor_setup.html", {
        "form": form,
        "qr_svg": services.totp_qr_svg(device),
        "secret": services.totp_secret_base32(device),
        "next": _safe_next(request),
    }, status=status)
