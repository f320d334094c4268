"""The social map's part of the staff workspace home page: what needs doing about listings."""

from omzien.core.permissions import Perm, has_perm

from .models import Activity
from .services import listings


def workspace_section(request):
    user = request.user
    own_organisation = listings.managed_organisations(user).first()
    can_manage = has_perm(user, Perm.MANAGE_ACTIVITIES, own_organisation)
    can_review = has_perm(user, Perm.APPROVE_ACTIVITIES)
    can_claim = has_perm(user, Perm.CLAIM_LISTINGS, listings.claim_organisations(user).first())
    if not has_perm(user, Perm.SEARCH_ACTIVITIES):
        return None
    stale = 0
    if can_manage:
        stale = (listings.managed_activities(user).exclude(status=Activity.Status.ENDED)
                 .filter(verified_at__lt=listings.stale_cutoff()).count())
    return {
        "template": "activities/listing_workspace.html",
        "can_manage": can_manage,
        "is_provider": listings.managed_organisation_ids(user) is not None,
        "can_claim": can_claim,
        "can_view_sign_ups": has_perm(user, Perm.VIEW_SIGN_UPS, own_organisation),
        "can_import": has_perm(user, Perm.IMPORT_ACTIVITIES),
        "stale_count": stale,
        "review_count": listings.awaiting_review().count() if can_review else 0,
        "claim_count": listings.open_claims().count() if can_review else 0,
    }
