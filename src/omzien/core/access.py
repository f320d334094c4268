"""The gate in front of every staff page: logged in, two-factor verified where the role needs
it, and holding the permission (decided in permissions.py)."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from .permissions import has_perm, requires_two_factor
from .services import has_confirmed_device


def two_factor_redirect(request, next_url=None):
    """Where a user who still has to pass two-factor authentication must go, or None.
    Afterwards they continue to `next_url` (default: the page they asked for)."""
    user = request.user
    # Right after login the user object is not yet wrapped by OTPMiddleware: not verified.
    verified = getattr(user, "is_verified", lambda: False)()
    if not requires_two_factor(user) or verified:
        return None
    target = "core:two_factor_verify" if has_confirmed_device(user) else "core:two_factor_setup"
    query = urlencode({"next": next_url or request.get_full_path()})
    return redirect(f"{reverse(target)}?{query}")


def staff_view(perm, organisation_from=None):
    """Protect a view with `perm`. `organisation_from(request, **kwargs)` gives the organisation
    a scoped permission is checked against."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            pending = two_factor_redirect(request)
            if pending is not None:
                return pending
            organisation = organisation_from(request, **kwargs) if organisation_from else None
            if not has_perm(request.user, perm, organisation):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.staff_permission = perm
        return wrapped

    return decorator
