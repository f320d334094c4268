"""The coalition's part of the staff workspace home page."""

from omzien.core.permissions import Perm, has_perm

from .queries import overdue_actions_for


def workspace_section(request):
    user = request.user
    if not has_perm(user, Perm.VIEW_COALITION):
        return None
    return {
        "template": "coalition/workspace_section.html",
        "overdue_count": overdue_actions_for(user).count(),
        "can_see_health": has_perm(user, Perm.VIEW_NETWORK_HEALTH),
        "can_see_roadmap": has_perm(user, Perm.VIEW_ROADMAP),
        "can_see_grants": has_perm(user, Perm.VIEW_GRANTS),
    }
