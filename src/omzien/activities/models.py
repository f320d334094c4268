"""The social map and neighbourhood calendar: what is on offer (activities), where (locations),
when (a schedule with RFC 5545 recurrence), who signed up, and where an entry came from
(imports). Taxonomy terms classify activities; they double as the HSDS taxonomy."""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from encrypted_fields.fields import EncryptedCharField, EncryptedTextField

from omzien.core.models import Area, Organisation

from .taxonomy import Taxonomy


class TaxonomyTerm(models.Model):
    """One value of a classification (a kind, a target group, ...). Rows are kept in step with
    `taxonomy.TERMS` after every migrate; the labels come from there, translated."""

    taxonomy = models.CharField(_("taxonomy"), max_length=32, choices=Taxonomy.choices)
    code = models.CharField(_("code"), max_length=40)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("taxonomy term")
        verbose_name_plural = _("taxonomy terms")
        ordering = ["taxonomy", "position"]
        constraints = [
            models.UniqueConstraint(fields=["taxonomy", "code"], name="unique_term_per_taxonomy"),
        ]

    def __str__(self):
        return str(self.label)

    @property
    def label(self):
        from .taxonomy import term_label

        return term_label(self.taxonomy, self.code)


class Location(models.Model):
    """A place where activities happen: a community centre, a library, a church hall."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE,
        related_name="locations",
    )
    name = models.CharField(_("name of the place"), max_length=200, blank=True)
    street_address = models.CharField(_("street and number"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=7, blank=True)
    city = models.CharField(_("town"), max_length=100, blank=True)
    latitude = models.FloatField(
        _("latitude"), null=True, blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.FloatField(
        _("longitude"), null=True, blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    area = models.ForeignKey(
        Area, verbose_name=_("neighbourhood"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="activity_locations", limit_choices_to={"kind": Area.Kind.NEIGHBOURHOOD},
    )
    directions = models.TextField(
        _("how to get there"), blank=True,
        help_text=_("Bus stop, parking, entrance, which floor."),
    )

    class Meta:
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        ordering = ["name", "street_address"]
        indexes = [models.Index(fields=["latitude", "longitude"])]

    def __str__(self):
        parts = [self.name, self.street_address, self.city]
        return ", ".join(part for part in parts if part) or str(_("location without address"))


class ImportSource(models.Model):
    """A feed or page that is read again on a schedule, so the map stays current."""

    class Format(models.TextChoices):
        ICAL = "ical", _("iCalendar feed")
        JSONLD = "jsonld", _("web page with schema.org events")
        HSDS = "hsds", _("Open Referral HSDS 3.0 (JSON)")
        CSV = "csv", _("CSV (Omzien template)")

    name = models.CharField(_("name"), max_length=200)
    format = models.CharField(_("format"), max_length=10, choices=Format.choices)
    url = models.URLField(_("address (URL)"), max_length=500)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="import_sources",
        help_text=_("Leave empty when the source names its own organisations (HSDS, CSV)."),
    )
    is_active = models.BooleanField(_("read again automatically"), default=True)
    interval_hours = models.PositiveIntegerField(
        _("read again every (hours)"), default=24,
        validators=[MinValueValidator(1), MaxValueValidator(24 * 31)],
    )
    last_run_at = models.DateTimeField(_("last read at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("import source")
        verbose_name_plural = _("import sources")
        ordering = ["name"]

    def __str__(self):
        return self.name


class ImportRun(models.Model):
    """One reading of a file or source, with what happened to each item."""

    source = models.ForeignKey(
        ImportSource, verbose_name=_("import source"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="runs",
    )
    format = models.CharField(_("format"), max_length=10, choices=ImportSource.Format.choices)
    source_label = models.CharField(_("file or address"), max_length=500)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("started by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    rejected = models.PositiveIntegerField(_("rejected"), default=0)
    ended = models.PositiveIntegerField(_("ended"), default=0)
    # Why the whole run failed (nothing could be read), if it did.
    failure = models.TextField(_("failure"), blank=True)
    # One entry per rejected item: {"item": "...", "reason": "..."} in Dutch.
    rejections = models.JSONField(_("rejected items"), default=list, blank=True)

    class Meta:
        verbose_name = _("import run")
        verbose_name_plural = _("import runs")
        ordering = ["-started_at"]

    def __str__(self):
        return f"{self.source_label} ({self.started_at:%Y-%m-%d %H:%M})"


class ActivityQuerySet(models.QuerySet):
    def published(self):
        """What residents may see: approved, not ended."""
        return self.filter(
            review_state=Activity.ReviewState.APPROVED,
            status__in=[Activity.Status.ACTIVE, Activity.Status.PAUSED],
        )


class Activity(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        PAUSED = "paused", _("paused")
        ENDED = "ended", _("ended")

    class ReviewState(models.TextChoices):
        APPROVED = "approved", _("approved")
        PENDING = "pending", _("waiting for approval")

    class Access(models.TextChoices):
        OPEN = "open", _("freely accessible")
        REFERRAL = "referral", _("needs a referral (indicatie)")

    class JoinMethod(models.TextChoices):
        WALK_IN = "walk_in", _("just come along")
        SIGN_UP = "sign_up", _("sign up on this site")
        EXTERNAL = "external", _("sign up on the organiser's website")

    class ScheduleKind(models.TextChoices):
        ONE_OFF = "one_off", _("once")
        RECURRING = "recurring", _("recurring")
        BY_APPOINTMENT = "by_appointment", _("by appointment")

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT,
        related_name="activities",
    )
    title = models.CharField(_("title"), max_length=200)
    # Sanitised HTML (see services.clean_description): never trusted as it came in.
    description = models.TextField(_("description"), blank=True)
    terms = models.ManyToManyField(
        TaxonomyTerm, verbose_name=_("classification"), blank=True, related_name="activities"
    )
    cost = models.DecimalField(
        _("cost in euros"), max_digits=7, decimal_places=2, default=0,
        validators=[MinValueValidator(0)],
    )
    cost_note = models.CharField(
        _("about the cost"), max_length=200, blank=True, help_text=_("For example: per visit.")
    )
    access = models.CharField(
        _("access"), max_length=10, choices=Access.choices, default=Access.OPEN
    )
    referral_notes = models.TextField(
        _("for professionals: how to refer"), blank=True,
        help_text=_("Shown only to professionals inside Omzien."),
    )
    wheelchair_accessible = models.BooleanField(_("wheelchair accessible"), default=False)
    hearing_loop = models.BooleanField(_("hearing loop"), default=False)
    transport_offered = models.BooleanField(_("transport offered"), default=False)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    locations = models.ManyToManyField(
        Location, verbose_name=_("locations"), blank=True, related_name="activities"
    )

    # --- schedule (times are wall-clock times in Europe/Amsterdam; see schedule.py) ---
    schedule_kind = models.CharField(
        _("when"), max_length=16, choices=ScheduleKind.choices, default=ScheduleKind.RECURRING
    )
    starts_at = models.DateTimeField(_("first time starts at"), null=True, blank=True)
    ends_at = models.DateTimeField(_("first time ends at"), null=True, blank=True)
    recurrence = models.CharField(
        _("repeats (RRULE)"), max_length=500, blank=True,
        help_text=_("An iCalendar RRULE, for example FREQ=WEEKLY;BYDAY=TU."),
    )
    extra_dates = models.JSONField(_("extra dates (RDATE)"), default=list, blank=True)
    excluded_dates = models.JSONField(_("skipped dates (EXDATE)"), default=list, blank=True)
    schedule_note = models.CharField(
        _("about the times"), max_length=200, blank=True,
        help_text=_("For example: not in the school holidays."),
    )
    # Kept up to date from the schedule, so search can filter and sort without expanding rules.
    next_starts_at = models.DateTimeField(null=True, blank=True, editable=False, db_index=True)
    weekday_mask = models.PositiveSmallIntegerField(default=0, editable=False)  # bit 0 = Monday
    day_part_mask = models.PositiveSmallIntegerField(default=0, editable=False)  # see schedule.py

    capacity = models.PositiveIntegerField(
        _("places"), null=True, blank=True, validators=[MinValueValidator(1)],
        help_text=_("Leave empty when there is no limit."),
    )
    waiting_list = models.BooleanField(_("waiting list when full"), default=True)
    join_method = models.CharField(
        _("how to join"), max_length=10, choices=JoinMethod.choices, default=JoinMethod.WALK_IN
    )
    join_url = models.URLField(_("sign-up address (URL)"), max_length=500, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)

    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE, db_index=True
    )
    # Ended by an import because its item vanished from the source; a later import may bring
    # it back. An activity a person ended (or merged away) stays ended.
    ended_by_import = models.BooleanField(default=False, editable=False)
    review_state = models.CharField(
        _("review"), max_length=10, choices=ReviewState.choices, default=ReviewState.APPROVED
    )
    # Changes to an approved activity that wait for a coordinator: {field: new value}.
    pending_changes = models.JSONField(default=dict, blank=True, editable=False)

    source = models.ForeignKey(
        ImportSource, verbose_name=_("import source"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="activities",
    )
    source_url = models.CharField(_("imported from"), max_length=500, blank=True)
    source_key = models.CharField(_("key in the source"), max_length=300, blank=True)
    source_fingerprint = models.CharField(max_length=64, blank=True, editable=False)
    last_import_run = models.ForeignKey(
        ImportRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="activities",
        editable=False,
    )
    verified_at = models.DateTimeField(_("last checked at"), default=timezone.now)
    stale_reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["title"]
        indexes = [
            models.Index(fields=["source", "source_key"]),
            models.Index(fields=["organisation", "status"]),
            models.Index(fields=["updated_at"]),
        ]

    def __str__(self):
        return self.title

    @property
    def is_free(self):
        return self.cost == 0


class SearchTerm(models.Model):
    """A stemmed word of an activity's text, so Dutch search ("wandelen" finds "wandelgroep")
    works by index range scans on SQLite and PostgreSQL alike (see docs/adr)."""

    # Two covering indexes: by term for a word's range scan, by activity for checking the
    # words of a few activities already chosen by wijk or kind (and for reindexing).
    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="search_terms", db_index=False
    )
    term = models.CharField(max_length=40)

    class Meta:
        indexes = [
            models.Index(fields=["term", "activity"]),
            models.Index(fields=["activity", "term"]),
        ]

    def __str__(self):
        return self.term


class SignUpQuerySet(models.QuerySet):
    def holding_a_place(self):
        return self.filter(status=SignUp.Status.CONFIRMED)


def new_cancel_token():
    return secrets.token_urlsafe(24)


class SignUp(models.Model):
    """A resident's sign-up. Name, contact details and remark are personal data: encrypted at
    rest, visible only to the organiser, wiped when the retention period ends."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("has a place")
        WAITING = "waiting", _("on the waiting list")
        CANCELLED = "cancelled", _("cancelled")

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="sign_ups"
    )
    name = EncryptedCharField(_("name"), max_length=200)
    # The encrypted fields store an empty value as NULL.
    email = EncryptedCharField(_("e-mail address"), max_length=254, blank=True, null=True)
    phone = EncryptedCharField(_("phone number"), max_length=30, blank=True, null=True)
    party_size = models.PositiveSmallIntegerField(
        _("number of people"), default=1, validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    remark = EncryptedTextField(_("remark"), blank=True, null=True)
    consent_at = models.DateTimeField(_("consent given at"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.CONFIRMED
    )
    attended = models.BooleanField(_("came"), null=True, blank=True)
    cancel_token = models.CharField(max_length=64, unique=True, default=new_cancel_token)
    created_at = models.DateTimeField(_("signed up at"), default=timezone.now)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    anonymised_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = SignUpQuerySet.as_manager()

    class Meta:
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["activity", "status", "created_at"])]

    def __str__(self):
        return f"{self.activity} #{self.pk}"


class DuplicateCandidate(models.Model):
    """Two activities that look like the same thing: same organisation, similar title, same
    place. A coordinator merges them or says they differ."""

    class State(models.TextChoices):
        OPEN = "open", _("to check")
        MERGED = "merged", _("merged")
        DISMISSED = "dismissed", _("not the same")

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="+")
    duplicate_of = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="+")
    similarity = models.FloatField(_("similarity"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    found_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("possible duplicate")
        verbose_name_plural = _("possible duplicates")
        ordering = ["-found_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "duplicate_of"], name="unique_duplicate_pair"
            ),
        ]

    def __str__(self):
        return f"{self.activity_id} ~ {self.duplicate_of_id}"


class ListingClaim(models.Model):
    """An organisation asks to take over an imported listing, so it keeps it current itself."""

    class State(models.TextChoices):
        OPEN = "open", _("to decide")
        GRANTED = "granted", _("granted")
        REFUSED = "refused", _("refused")

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="claims")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    message = models.TextField(_("message"), blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("claim on a listing")
        verbose_name_plural = _("claims on listings")
        ordering = ["-requested_at"]

    def __str__(self):
        return f"{self.organisation} → {self.activity}"
