"""Who may do what. Every permission decision in Omzien is made here, from one table.

A permission is granted to roles. Some roles hold a permission only for the organisations they
are a member of (ORGANISATION_SCOPED): a provider may edit its own organisation, not another's.
"""

from enum import StrEnum

from django.conf import settings

from .models import Role


class Perm(StrEnum):
    USE_WORKSPACE = "use_workspace"
    VIEW_ORGANISATIONS = "view_organisations"
    CREATE_ORGANISATION = "create_organisation"
    EDIT_ORGANISATION = "edit_organisation"
    VIEW_AREAS = "view_areas"
    IMPORT_AREAS = "import_areas"
    MANAGE_USERS = "manage_users"
    VIEW_AUDIT_LOG = "view_audit_log"
    VIEW_COALITION = "view_coalition"
    MANAGE_COALITION = "manage_coalition"
    VIEW_NETWORK_HEALTH = "view_network_health"
    VIEW_ROADMAP = "view_roadmap"
    MANAGE_ROADMAP = "manage_roadmap"
    VIEW_GRANTS = "view_grants"
    MANAGE_GRANTS = "manage_grants"
    VIEW_PARTNER_CONTACTS = "view_partner_contacts"
    SEARCH_ACTIVITIES = "search_activities"
    MANAGE_ACTIVITIES = "manage_activities"
    VIEW_SIGN_UPS = "view_sign_ups"
    APPROVE_ACTIVITIES = "approve_activities"
    IMPORT_ACTIVITIES = "import_activities"
    CLAIM_LISTINGS = "claim_listings"


ALL_ROLES = frozenset(Role)

GRANTS: dict[Perm, frozenset[Role]] = {
    Perm.USE_WORKSPACE: ALL_ROLES,
    Perm.VIEW_ORGANISATIONS: ALL_ROLES,
    Perm.CREATE_ORGANISATION: frozenset({Role.COORDINATOR, Role.ADMINISTRATOR}),
    Perm.EDIT_ORGANISATION: frozenset({Role.PROVIDER, Role.COORDINATOR, Role.ADMINISTRATOR}),
    Perm.VIEW_AREAS: frozenset({Role.COORDINATOR, Role.POLICY_OFFICER, Role.ADMINISTRATOR}),
    Perm.IMPORT_AREAS: frozenset({Role.ADMINISTRATOR}),
    Perm.MANAGE_USERS: frozenset({Role.ADMINISTRATOR}),
    Perm.VIEW_AUDIT_LOG: frozenset({Role.ADMINISTRATOR}),
    Perm.VIEW_COALITION: ALL_ROLES,
    Perm.MANAGE_COALITION: frozenset({Role.COORDINATOR}),
    Perm.VIEW_NETWORK_HEALTH: frozenset({Role.COORDINATOR, Role.POLICY_OFFICER}),
    Perm.VIEW_ROADMAP: frozenset({Role.COORDINATOR, Role.POLICY_OFFICER}),
    Perm.MANAGE_ROADMAP: frozenset({Role.COORDINATOR}),
    Perm.VIEW_GRANTS: frozenset({Role.COORDINATOR, Role.POLICY_OFFICER}),
    Perm.MANAGE_GRANTS: frozenset({Role.POLICY_OFFICER}),
    # Names and addresses of partners' staff: only roles that log in with two factors.
    Perm.VIEW_PARTNER_CONTACTS: frozenset(
        {Role.CONSULTANT, Role.PROVIDER, Role.COORDINATOR, Role.ADMINISTRATOR}
    ),
    # The social map inside Omzien shows referral details to every professional.
    Perm.SEARCH_ACTIVITIES: ALL_ROLES,
    Perm.MANAGE_ACTIVITIES: frozenset({Role.PROVIDER, Role.COORDINATOR, Role.ADMINISTRATOR}),
    # Residents' sign-ups are seen by the organiser only.
    Perm.VIEW_SIGN_UPS: frozenset({Role.PROVIDER}),
    Perm.APPROVE_ACTIVITIES: frozenset({Role.COORDINATOR}),
    Perm.IMPORT_ACTIVITIES: frozenset({Role.COORDINATOR, Role.ADMINISTRATOR}),
    Perm.CLAIM_LISTINGS: frozenset({Role.PROVIDER}),
}

# Roles that hold a permission only for their own organisations.
ORGANISATION_SCOPED: dict[Perm, frozenset[Role]] = {
    Perm.EDIT_ORGANISATION: frozenset({Role.PROVIDER}),
    Perm.MANAGE_ACTIVITIES: frozenset({Role.PROVIDER}),
    Perm.VIEW_SIGN_UPS: frozenset({Role.PROVIDER}),
    Perm.CLAIM_LISTINGS: frozenset({Role.PROVIDER}),
}

# Roles that see personal data (of residents, or of staff) and so must use two-factor login.
ROLES_SEEING_PERSONAL_DATA = frozenset(
    {Role.CONSULTANT, Role.PROVIDER, Role.COORDINATOR, Role.ADMINISTRATOR}
)


def has_perm(user, perm, organisation=None):
    """True if the user may do `perm`; for scoped roles only on their own organisation."""
    if not user.is_authenticated or not user.is_active:
        return False
    for membership in user.current_memberships:
        if membership.role not in GRANTS[perm]:
            continue
        if membership.role not in ORGANISATION_SCOPED.get(perm, ()):
            return True
        if organisation is not None and membership.organisation_id == organisation.pk:
            return True
    return False


def requires_two_factor(user):
    if not settings.OMZIEN_TWO_FACTOR_REQUIRED or not user.is_authenticated:
        return False
    return bool(user.roles & ROLES_SEEING_PERSONAL_DATA)


def editable_organisations(user, queryset):
    """The organisations in `queryset` the user may edit."""
    if has_perm(user, Perm.CREATE_ORGANISATION):
        return queryset
    return queryset.filter(pk__in=user.organisation_ids_for(*GRANTS[Perm.EDIT_ORGANISATION]))


def can_edit_partner(user, partner):
    """Coordinators edit every partner record; a partner's contact person edits only their own
    (whatever their role), so organisations keep their own commitment current."""
    return has_perm(user, Perm.MANAGE_COALITION) or is_partner_contact(user, partner)


def is_partner_contact(user, partner):
    """The partner's contact person, as long as they still work for its organisation."""
    return (
        user.is_authenticated and user.is_active and partner.contact_user_id == user.pk
        and any(m.organisation_id == partner.organisation_id for m in user.current_memberships)
    )
