"""Shared data: areas, organisations, staff users with their roles, and the audit log."""

import re

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

# CBS codes: GM + 4 digits; WK adds 2, BU adds 2 more. Since 2023 the added segments may hold
# capital letters.
AREA_CODE_PATTERNS = {
    "municipality": re.compile(r"^GM[0-9]{4}$"),
    "district": re.compile(r"^WK[0-9]{4}[0-9A-Z]{2}$"),
    "neighbourhood": re.compile(r"^BU[0-9]{4}[0-9A-Z]{4}$"),
}
AREA_CODE_PREFIXES = {"GM": "municipality", "WK": "district", "BU": "neighbourhood"}


def area_kind_for_code(code):
    """The kind an area code stands for, or ValidationError with a Dutch message."""
    kind = AREA_CODE_PREFIXES.get(code[:2]) if isinstance(code, str) else None
    if kind is None or not AREA_CODE_PATTERNS[kind].fullmatch(code):
        raise ValidationError(
            _("“%(code)s” is not a valid area code. Use GM0363, WK036300 or BU03630000."),
            code="invalid_area_code",
            params={"code": code},
        )
    return kind


def parent_code_for(code):
    """The code of the area one level up: a buurt's wijk, a wijk's gemeente."""
    if code.startswith("BU"):
        return "WK" + code[2:8]
    if code.startswith("WK"):
        return "GM" + code[2:6]
    return None


def validate_area_code(code):
    area_kind_for_code(code)


class Area(models.Model):
    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("municipality")
        DISTRICT = "district", _("district")
        NEIGHBOURHOOD = "neighbourhood", _("neighbourhood")

    code = models.CharField(_("code"), max_length=10, unique=True, validators=[validate_area_code])
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, db_index=True)
    name = models.CharField(_("name"), max_length=200)
    parent = models.ForeignKey(
        "self", verbose_name=_("part of"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="children",
    )
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    population_65_plus = models.PositiveIntegerField(_("residents aged 65+"), null=True, blank=True)
    households_single = models.PositiveIntegerField(
        _("single-person households"), null=True, blank=True
    )
    boundary = models.JSONField(_("boundary (GeoJSON, WGS84)"), null=True, blank=True)
    # The boundary's bounding box, so that finding the area of a point can use an index.
    min_lon = models.FloatField(null=True, blank=True, editable=False)
    min_lat = models.FloatField(null=True, blank=True, editable=False)
    max_lon = models.FloatField(null=True, blank=True, editable=False)
    max_lat = models.FloatField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["code"]
        indexes = [models.Index(fields=["kind", "min_lon", "max_lon", "min_lat", "max_lat"])]

    def __str__(self):
        return f"{self.name} ({self.code})"

    def clean(self):
        if self.code:
            self.kind = area_kind_for_code(self.code)

    @property
    def municipality_code(self):
        return "GM" + self.code[2:6]


class Organisation(models.Model):
    class Sector(models.TextChoices):
        WELFARE = "welzijn", _("welfare")
        CARE = "zorg", _("care")
        HOUSING = "wonen", _("housing")
        EDUCATION = "onderwijs", _("education")
        SPORT = "sport", _("sport")
        CULTURE = "cultuur", _("culture")
        BUSINESS = "ondernemers", _("businesses")
        FAITH = "levensbeschouwing", _("faith and belief")
        RESIDENTS = "bewonersinitiatief", _("residents' initiative")
        MUNICIPALITY = "gemeente", _("municipality")
        SAFETY = "veiligheid", _("safety")
        OTHER = "overig", _("other")

    name = models.CharField(_("name"), max_length=200)
    sector = models.CharField(_("sector"), max_length=32, choices=Sector.choices, db_index=True)
    description = models.TextField(_("description"), blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("phone number"), max_length=30, blank=True)
    website = models.URLField(_("website"), blank=True)
    street_address = models.CharField(_("street and number"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=7, blank=True)
    city = models.CharField(_("town"), max_length=100, blank=True)
    areas = models.ManyToManyField(
        Area, verbose_name=_("areas it works in"), blank=True, related_name="organisations"
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Role(models.TextChoices):
    SIGNALLER = "signaller", _("signaller")
    CONSULTANT = "consultant", _("consultant")
    PROVIDER = "provider", _("provider")
    COORDINATOR = "coordinator", _("coordinator")
    POLICY_OFFICER = "policy_officer", _("policy officer")
    ADMINISTRATOR = "administrator", _("administrator")


class User(AbstractUser):
    """A staff member. Residents never have an account."""

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    @property
    def current_memberships(self):
        """The user's memberships, read once per user object (so once per request): every
        permission check of a page uses them."""
        if not hasattr(self, "_memberships_cache"):
            self._memberships_cache = list(self.memberships.all())
        return self._memberships_cache

    @property
    def roles(self):
        return frozenset(m.role for m in self.current_memberships)

    def organisation_ids_for(self, *roles):
        return {m.organisation_id for m in self.current_memberships if m.role in roles}


class Membership(models.Model):
    """A user holds a role on behalf of an organisation."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="unique_membership"
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="membership_role_known"
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} — {self.organisation}"


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("The audit log is append-only.")

    def delete(self):
        raise PermissionError("The audit log is append-only.")


class AuditEvent(models.Model):
    """One entry in the append-only audit log: who viewed or changed what, and when."""

    class Action(models.TextChoices):
        VIEW = "view", _("viewed")
        CREATE = "create", _("created")
        UPDATE = "update", _("changed")
        DELETE = "delete", _("deleted")
        EXPORT = "export", _("exported")
        IMPORT = "import", _("imported")
        LOGIN = "login", _("logged in")
        LOGIN_FAILED = "login_failed", _("login failed")
        LOGOUT = "logout", _("logged out")
        TWO_FACTOR = "two_factor", _("two-factor authentication")

    timestamp = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    # Kept as plain values too, so an entry still says who it was after the user is removed.
    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL)
    username = models.CharField(_("user"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object"), max_length=64, blank=True)
    object_repr = models.CharField(_("description"), max_length=200, blank=True)
    detail = models.JSONField(_("details"), default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-timestamp", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self):
        return f"{self.timestamp:%Y-%m-%d %H:%M} {self.username} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The audit log is append-only.")
