"""The local coalition and its approach: partners, working groups, meetings with decisions and
action items, the success-factor survey, the roadmap (routekaart), campaigns, and the
assessment of grant applications that become experiments."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from omzien.core.models import Organisation


class Contribution(models.TextChoices):
    ACTIVITIES = "activities", _("activities on the social map")
    REFERRALS = "referrals", _("capacity to take referrals")
    FUNDING = "funding", _("funding")
    PREMISES = "premises", _("premises")
    VOLUNTEERS = "volunteers", _("volunteers")
    EXPERTISE = "expertise", _("knowledge and expertise")


class PartnerQuerySet(models.QuerySet):
    def current(self):
        return self.filter(archived_at__isnull=True)


class Partner(models.Model):
    """An organisation that has joined the coalition. Never deleted: archived when it leaves,
    so meetings, actions and survey answers keep pointing at it."""

    organisation = models.OneToOneField(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT,
        related_name="partner",
    )
    joined_on = models.DateField(_("joined on"), default=timezone.localdate)
    commitment_text = models.TextField(
        _("commitment statement"), blank=True,
        help_text=_("What the organisation promises in its “ik doe mee” statement."),
    )
    commitment_signed_on = models.DateField(_("commitment signed on"), null=True, blank=True)
    contact_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("contact person (account)"), null=True,
        blank=True, on_delete=models.SET_NULL, related_name="partner_contacts",
        help_text=_("This person may update the partner record of their organisation."),
    )
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    attention_officer_name = models.CharField(
        _("attention officer"), max_length=200, blank=True,
        help_text=_("The aandachtsfunctionaris who keeps their own organisation informed."),
    )
    attention_officer_email = models.EmailField(_("attention officer e-mail"), blank=True)
    contributions = models.JSONField(_("what the partner brings"), default=list, blank=True)
    contribution_notes = models.TextField(_("more about what the partner brings"), blank=True)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)

    objects = PartnerQuerySet.as_manager()

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["organisation__name"]

    def __str__(self):
        return self.organisation.name

    @property
    def sector(self):
        return self.organisation.sector

    def get_contributions_display(self):
        labels = dict(Contribution.choices)
        return [labels[value] for value in self.contributions if value in labels]

    def clean(self):
        unknown = set(self.contributions) - set(Contribution.values)
        if unknown:
            raise ValidationError({"contributions": _("Unknown contribution.")})
        if self.commitment_signed_on and self.commitment_signed_on > timezone.localdate():
            raise ValidationError(
                {"commitment_signed_on": _("The date of signing cannot be in the future.")}
            )


class WorkingGroup(models.Model):
    class Focus(models.TextChoices):
        YOUNG = "jongeren", _("young people")
        MIDDLE = "middengeneratie", _("middle generation")
        OLDER = "ouderen", _("older people")
        THEME = "thema", _("theme")

    name = models.CharField(_("name"), max_length=200)
    focus = models.CharField(_("focus"), max_length=20, choices=Focus.choices)
    theme = models.CharField(_("theme"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    members = models.ManyToManyField(
        Partner, verbose_name=_("members"), blank=True, related_name="working_groups"
    )
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)

    class Meta:
        verbose_name = _("working group")
        verbose_name_plural = _("working groups")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Meeting(models.Model):
    class Kind(models.TextChoices):
        FORMAL = "formal", _("formal meeting")
        INFORMAL = "informal", _("informal get-together")

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.FORMAL)
    working_group = models.ForeignKey(
        WorkingGroup, verbose_name=_("working group"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="meetings",
        help_text=_("Leave empty for a meeting of the whole coalition."),
    )
    starts_at = models.DateTimeField(_("date and time"))
    location = models.CharField(_("location"), max_length=200, blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    invited = models.ManyToManyField(
        Partner, verbose_name=_("invited partners"), blank=True, related_name="invitations"
    )
    attended = models.ManyToManyField(
        Partner, verbose_name=_("partners present"), blank=True, related_name="attendances"
    )

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at"]

    def __str__(self):
        return f"{self.title} ({timezone.localtime(self.starts_at):%d-%m-%Y})"


class Decision(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField(_("decision"))

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["pk"]

    def __str__(self):
        return self.text[:80]


class Chapter(models.Model):
    """One of the nine chapters of the roadmap (routekaart), as a living plan."""

    class Code(models.TextChoices):
        EXPLORATION = "verkenning", _("exploration")
        PLAN = "plan_van_aanpak", _("plan of approach")
        COMMITMENT = "commitment", _("commitment")
        NETWORK = "sterk_netwerk", _("strong network")
        MONITORING = "monitoren", _("monitoring and evaluation")
        AWARENESS = "bewustwording", _("awareness campaign")
        PREVENTION = "preventie", _("prevention")
        SIGNALLING = "signaleren", _("signalling and discussing")
        SUPPORT = "ondersteunen", _("supporting and activating")

    class Part(models.TextChoices):
        ORGANISE = "organise", _("how to organise it")
        ACT = "act", _("what you can do")

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("not started")
        IN_PROGRESS = "in_progress", _("in progress")
        DONE = "done", _("in place")

    code = models.CharField(_("chapter"), max_length=20, choices=Code.choices, unique=True)
    part = models.CharField(_("part"), max_length=10, choices=Part.choices)
    position = models.PositiveSmallIntegerField(_("order"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.NOT_STARTED
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("roadmap chapter")
        verbose_name_plural = _("roadmap chapters")
        ordering = ["position"]

    def __str__(self):
        return self.get_code_display()


class Goal(models.Model):
    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="goals")
    text = models.TextField(_("goal"))
    target_date = models.DateField(_("target date"), null=True, blank=True)
    achieved = models.BooleanField(_("achieved"), default=False)

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["pk"]

    def __str__(self):
        return self.text[:80]


class Action(models.Model):
    """An action item: from a meeting, or an action of the roadmap. It has one owner partner,
    who is reminded by mail when it is overdue."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        IN_PROGRESS = "in_progress", _("in progress")
        DONE = "done", _("done")
        DROPPED = "dropped", _("dropped")

    title = models.CharField(_("action"), max_length=300)
    description = models.TextField(_("explanation"), blank=True)
    owner = models.ForeignKey(
        Partner, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="actions"
    )
    due_date = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices,
                              default=Status.OPEN)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="actions",
    )
    chapter = models.ForeignKey(
        Chapter, verbose_name=_("roadmap chapter"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="actions",
    )
    working_group = models.ForeignKey(
        WorkingGroup, verbose_name=_("working group"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="actions",
    )
    partners = models.ManyToManyField(
        Partner, verbose_name=_("partners involved"), blank=True, related_name="involved_in"
    )
    last_reminded_on = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["due_date", "pk"]

    def __str__(self):
        return self.title

    @property
    def is_open(self):
        return self.status in {self.Status.OPEN, self.Status.IN_PROGRESS}

    def is_overdue(self, today=None):
        return self.is_open and self.due_date < (today or timezone.localdate())


class SurveyRound(models.Model):
    """A periodic round of the success-factor survey among the partners."""

    title = models.CharField(_("title"), max_length=200)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))

    class Meta:
        verbose_name = _("survey round")
        verbose_name_plural = _("survey rounds")
        ordering = ["-opens_on"]

    def __str__(self):
        return self.title

    def clean(self):
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            raise ValidationError(
                {"closes_on": _("The closing date must be after the opening date.")}
            )


SCORE_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]


class SurveyResponse(models.Model):
    """One partner's answers: the four success factors of a coalition, each from 1 to 5."""

    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="responses")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="survey_responses")
    shared_goal = models.PositiveSmallIntegerField(
        _("We share a clear goal"), validators=SCORE_VALIDATORS)
    trust = models.PositiveSmallIntegerField(
        _("We trust each other"), validators=SCORE_VALIDATORS)
    size_and_diversity = models.PositiveSmallIntegerField(
        _("The network has the right size and mix of partners"), validators=SCORE_VALIDATORS)
    representatives = models.PositiveSmallIntegerField(
        _("Our representatives have the knowledge, skills and motivation"),
        validators=SCORE_VALIDATORS)
    remark = models.TextField(_("remark"), blank=True)
    submitted_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        constraints = [
            models.UniqueConstraint(fields=["round", "partner"], name="one_response_per_round"),
            *[
                models.CheckConstraint(
                    condition=models.Q(**{f"{field}__gte": 1, f"{field}__lte": 5}),
                    name=f"survey_{field}_1_to_5",
                )
                for field in ("shared_goal", "trust", "size_and_diversity", "representatives")
            ],
        ]

    def __str__(self):
        return f"{self.partner} — {self.round}"


class Campaign(models.Model):
    class Audience(models.TextChoices):
        LONELY = "lonely", _("people who feel lonely")
        SURROUNDINGS = "surroundings", _("the people around them, who can signal")
        EVERYONE = "everyone", _("all residents")

    class Channel(models.TextChoices):
        POSTER = "poster", _("posters and flyers")
        NEWSPAPER = "newspaper", _("local newspaper")
        RADIO = "radio", _("local radio or TV")
        SOCIAL = "social", _("social media")
        WEBSITE = "website", _("website")
        DOOR = "door", _("door to door")
        EVENT = "event", _("events and meetings")

    title = models.CharField(_("title"), max_length=200)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    is_week_against_loneliness = models.BooleanField(_("part of the Week tegen Eenzaamheid"),
                                                     default=False)
    message = models.TextField(_("message"))
    audience = models.CharField(_("target group"), max_length=16, choices=Audience.choices)
    channels = models.JSONField(_("channels"), default=list, blank=True)
    partners = models.ManyToManyField(Partner, verbose_name=_("partners involved"), blank=True,
                                      related_name="campaigns")
    activities = models.TextField(
        _("activities"), blank=True,
        help_text=_("The activities that belong to the campaign, one per line."),
    )
    people_reached = models.PositiveIntegerField(_("people reached"), null=True, blank=True)
    results = models.TextField(_("what it reached"), blank=True)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-starts_on"]

    def __str__(self):
        return self.title

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError(
                {"ends_on": _("The end date must be on or after the start date.")}
            )
        if set(self.channels) - set(self.Channel.values):
            raise ValidationError({"channels": _("Unknown channel.")})


class Criterion(models.Model):
    """One question of the checklist for grant applications; a policy officer can edit them."""

    question = models.CharField(_("question"), max_length=300)
    guidance = models.TextField(_("what to look for"), blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.question


class GrantApplication(models.Model):
    class Status(models.TextChoices):
        RECEIVED = "received", _("received")
        ASSESSED = "assessed", _("assessed")
        FUNDED = "funded", _("funded")
        REJECTED = "rejected", _("rejected")

    title = models.CharField(_("title"), max_length=200)
    applicant = models.ForeignKey(
        Organisation, verbose_name=_("applicant"), on_delete=models.PROTECT,
        related_name="grant_applications",
    )
    summary = models.TextField(_("summary"))
    amount_requested = models.DecimalField(
        _("amount requested (euro)"), max_digits=10, decimal_places=2,
        validators=[MinValueValidator(0)],
    )
    received_on = models.DateField(_("received on"), default=timezone.localdate)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.RECEIVED)

    class Meta:
        verbose_name = _("grant application")
        verbose_name_plural = _("grant applications")
        ordering = ["-received_on", "title"]

    def __str__(self):
        return self.title


SCORE_MAX = 3


class CriterionScore(models.Model):
    """How well an application meets one criterion: 0 (not at all) to 3 (fully)."""

    application = models.ForeignKey(GrantApplication, on_delete=models.CASCADE,
                                    related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    score = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(0), MaxValueValidator(SCORE_MAX)]
    )
    note = models.TextField(_("note"), blank=True)
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    assessed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "criterion"], name="one_score_per_criterion"
            ),
            models.CheckConstraint(condition=models.Q(score__lte=SCORE_MAX), name="score_in_range"),
        ]

    def __str__(self):
        return f"{self.application} — {self.criterion}: {self.score}"


class Experiment(models.Model):
    """A funded application followed until it is made structural or stopped."""

    class Stage(models.TextChoices):
        FUNDED = "funded", _("funded")
        EVALUATED = "evaluated", _("evaluated")
        PROMISING = "promising", _("promising")
        STRUCTURAL = "structural", _("made structural")
        STOPPED = "stopped", _("stopped")

    application = models.OneToOneField(GrantApplication, on_delete=models.PROTECT,
                                       related_name="experiment")
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices,
                             default=Stage.FUNDED)
    findings = models.TextField(_("evaluation findings"), blank=True)

    class Meta:
        verbose_name = _("experiment")
        verbose_name_plural = _("experiments")

    def __str__(self):
        return str(self.application)


class ExperimentStageChange(models.Model):
    """The history of an experiment's stage, append-only."""

    experiment = models.ForeignKey(Experiment, on_delete=models.CASCADE, related_name="history")
    from_stage = models.CharField(max_length=12, choices=Experiment.Stage.choices, blank=True)
    to_stage = models.CharField(max_length=12, choices=Experiment.Stage.choices)
    reason = models.TextField(_("reason"), blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["changed_at", "pk"]

    def __str__(self):
        return f"{self.experiment}: {self.from_stage} → {self.to_stage}"
