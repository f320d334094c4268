"""Forms of the coalition pages. Every form uses omzien.core.forms.StyledFormMixin for the
NL Design System look."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from omzien.core.forms import StyledFormMixin
from omzien.core.models import Organisation, User

from . import queries
from .models import (
    Action,
    Campaign,
    Chapter,
    Contribution,
    Criterion,
    Decision,
    Experiment,
    Goal,
    GrantApplication,
    Meeting,
    Partner,
    SurveyResponse,
    SurveyRound,
    WorkingGroup,
)

# --- partners, working groups, meetings, action items (network) ---


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class PartnerChoiceField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        super().__init__(queryset=Partner.objects.none(), required=False, **kwargs)
        self.error_messages["invalid_choice"] = _(
            "Choose only current partners of the coalition."
        )


class ContactUserField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        name = user.get_full_name()
        return f"{name} ({user.username})" if name else user.username


class PartnerForm(StyledFormMixin, forms.ModelForm):
    """The partner record. A coordinator picks the organisation when adding a partner and the
    contact person's account; the contact person may change the rest of their own record."""

    contributions = forms.MultipleChoiceField(
        label=_("What the partner brings"), choices=Contribution.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Partner
        fields = [
            "organisation", "commitment_text", "commitment_signed_on", "contact_user",
            "contact_name", "contact_email", "contact_phone", "attention_officer_name",
            "attention_officer_email", "contributions", "contribution_notes",
        ]
        widgets = {"commitment_signed_on": DateInput()}
        field_classes = {"contact_user": ContactUserField}

    def __init__(self, *args, may_choose_contact=True, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["organisation"]  # a partner stays the same organisation
        else:
            self.fields["organisation"].queryset = queries.organisations_without_partner()
            self.fields["organisation"].error_messages["invalid_choice"] = _(
                "Choose an organisation that is not a partner yet."
            )
            self.fields["organisation"].help_text = _(
                "Only organisations that are not a partner yet can be chosen."
            )
        if may_choose_contact:
            self.fields["contact_user"].queryset = (
                User.objects.filter(is_active=True).order_by("first_name", "last_name", "username")
            )
        else:
            del self.fields["contact_user"]

    def clean(self):
        cleaned = super().clean()
        contact = cleaned.get("contact_user")
        organisation = cleaned.get("organisation") or getattr(self.instance, "organisation", None)
        if contact and organisation and not contact.memberships.filter(
            organisation=organisation
        ).exists():
            self.add_error("contact_user", _(
                "%(person)s does not work for %(organisation)s. Choose an account of this "
                "organisation, or add the role first."
            ) % {"person": contact.get_full_name() or contact.username,
                 "organisation": organisation.name})
        return cleaned


class WorkingGroupForm(StyledFormMixin, forms.ModelForm):
    members = PartnerChoiceField(label=_("Members"))

    class Meta:
        model = WorkingGroup
        fields = ["name", "focus", "theme", "description", "members"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        existing = self.instance.members.all() if self.instance.pk else []
        self.fields["members"].queryset = queries.partner_choices(existing)
        self.fields["theme"].help_text = _("Needed when the focus is a theme, e.g. informal care.")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("focus") == WorkingGroup.Focus.THEME and not cleaned.get("theme"):
            self.add_error("theme", _("Fill in the theme of this working group."))
        return cleaned


class MeetingForm(StyledFormMixin, forms.ModelForm):
    invited = PartnerChoiceField(label=_("Invited partners"))
    attended = PartnerChoiceField(label=_("Partners present"))

    class Meta:
        model = Meeting
        fields = ["title", "kind", "working_group", "starts_at", "location", "agenda",
                  "invited", "attended", "minutes"]
        widgets = {"starts_at": DateTimeInput(), "kind": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        meeting = self.instance
        linked = [meeting.invited.all(), meeting.attended.all()] if meeting.pk else []
        for name in ("invited", "attended"):
            self.fields[name].queryset = queries.partner_choices(*linked)
        self.fields["working_group"].queryset = WorkingGroup.objects.filter(
            Q(archived_at__isnull=True) | Q(pk=meeting.working_group_id)
        )
        self.fields["starts_at"].help_text = _("For example 14-03-2026 19:30.")
        self.fields["kind"].widget.attrs["class"] = (
            "utrecht-radio-button utrecht-radio-button--html-input"
        )

    def clean(self):
        cleaned = super().clean()
        if not self.instance.pk:
            return cleaned
        # Changing the group or the date must keep the meeting's action items valid.
        group, starts_at = cleaned.get("working_group"), cleaned.get("starts_at")
        actions = self.instance.actions.select_related("owner__organisation")
        if group is not None and "working_group" in self.changed_data:
            members = set(group.members.values_list("pk", flat=True))
            outsiders = sorted({a.owner.organisation.name for a in actions
                                if a.owner_id not in members})
            if outsiders:
                self.add_error("working_group", _(
                    "%(partners)s owns an action item of this meeting but is not a member of "
                    "this working group."
                ) % {"partners": ", ".join(outsiders)})
        if starts_at and actions.filter(due_date__lt=timezone.localdate(starts_at)).exists():
            self.add_error("starts_at", _(
                "An action item of this meeting is due before this date. Change its due date "
                "first."
            ))
        return cleaned


class DecisionForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Decision
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}


class ActionForm(StyledFormMixin, forms.ModelForm):
    """An action item. Its meeting (new: given; edit: its own) decides the checks: the owner must
    be a member of the meeting's working group, and it cannot be due before the meeting."""

    class Meta:
        model = Action
        fields = ["title", "description", "owner", "due_date", "status", "completed_on"]
        widgets = {"due_date": DateInput(), "completed_on": DateInput(),
                   "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, meeting=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting or self.instance.meeting
        owner = [[self.instance.owner]] if self.instance.owner_id else []
        self.fields["owner"].queryset = queries.partner_choices(*owner)
        self.fields["owner"].error_messages["invalid_choice"] = _(
            "Choose a current partner of the coalition."
        )
        self.fields["completed_on"].help_text = _(
            "Only when it is done. Leave it empty to use today's date."
        )

    def clean(self):
        cleaned = super().clean()
        owner, due = cleaned.get("owner"), cleaned.get("due_date")
        group = self.meeting.working_group if self.meeting else self.instance.working_group
        if owner and group and not group.members.filter(pk=owner.pk).exists():
            self.add_error("owner", _("%(partner)s is not a member of this working group.")
                           % {"partner": owner.organisation.name})
        if due and self.meeting:
            meeting_day = timezone.localdate(self.meeting.starts_at)
            if due < meeting_day:
                self.add_error("due_date", _(
                    "The due date cannot be before the meeting (%(date)s)."
                ) % {"date": date_format(meeting_day, "SHORT_DATE_FORMAT")})
        completed = cleaned.get("completed_on")
        if completed and completed > timezone.localdate():
            self.add_error("completed_on", _("This date cannot be in the future."))
        return cleaned


class ActionStatusForm(StyledFormMixin, forms.ModelForm):
    """What the owner's contact person may change: how far the action item is."""

    class Meta:
        model = Action
        fields = ["status"]

# --- survey, network health, campaigns (health) ---

SCORE_CHOICES = [
    (1, _("1 — not at all")), (2, "2"), (3, _("3 — partly")), (4, "4"),
    (5, _("5 — completely")),
]


def _score_field(name):
    return forms.TypedChoiceField(
        label=SurveyResponse._meta.get_field(name).verbose_name, choices=SCORE_CHOICES,
        coerce=int, widget=forms.RadioSelect,
        error_messages={"required": _("Choose a score from 1 to 5."),
                        "invalid_choice": _("Choose a score from 1 to 5.")},
    )


def _set_class(field, css):
    # StyledFormMixin gives checkbox and radio groups the text box look; set theirs.
    field.widget.attrs["class"] = css


class SurveyRoundForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = SurveyRound
        fields = ["title", "opens_on", "closes_on"]
        widgets = {"opens_on": DateInput(), "closes_on": DateInput()}


class SurveyResponseForm(StyledFormMixin, forms.ModelForm):
    """The four success factors, each a choice from 1 to 5."""

    shared_goal = _score_field("shared_goal")
    trust = _score_field("trust")
    size_and_diversity = _score_field("size_and_diversity")
    representatives = _score_field("representatives")

    class Meta:
        model = SurveyResponse
        fields = [*queries.SURVEY_FACTORS, "remark"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in queries.SURVEY_FACTORS:
            _set_class(self.fields[name], "utrecht-radio-button utrecht-radio-button--html-input")


class CampaignForm(StyledFormMixin, forms.ModelForm):
    channels = forms.MultipleChoiceField(
        label=_("channels"), choices=Campaign.Channel.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose channels from the list.")},
    )

    class Meta:
        model = Campaign
        fields = ["title", "starts_on", "ends_on", "is_week_against_loneliness", "message",
                  "audience", "channels", "partners", "activities", "people_reached", "results"]
        widgets = {
            "starts_on": DateInput(), "ends_on": DateInput(),
            "partners": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Current partners, and archived ones that already took part, so history stays.
        shown = Q(archived_at__isnull=True)
        if self.instance.pk:
            shown |= Q(campaigns=self.instance)
        partners = self.fields["partners"]
        partners.queryset = Partner.objects.filter(shown).select_related("organisation").distinct()
        partners.help_text = ""
        partners.error_messages["invalid_choice"] = _("Choose partners from the list.")
        partners.error_messages["invalid_pk_value"] = _("Choose partners from the list.")
        for name in ("channels", "partners"):
            _set_class(self.fields[name], "utrecht-checkbox utrecht-checkbox--html-checkbox")


# --- roadmap, plan of approach, grant applications, experiments (roadmap) ---


class ChapterForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Chapter
        fields = ["status", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 6})}


class GoalForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Goal
        fields = ["text", "target_date", "achieved"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 3}),
            "target_date": DateInput(),
        }


class RoadmapActionForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Action
        fields = ["title", "description", "owner", "due_date", "status", "working_group",
                  "partners"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "due_date": DateInput(),
            "partners": forms.SelectMultiple(attrs={"size": 6}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Keep what an existing action already points at, even when it has been archived.
        action = self.instance
        linked = [[action.owner], action.partners.all()] if action.pk else []
        partners = queries.partner_choices(*linked)
        self.fields["owner"].queryset = partners
        self.fields["partners"].queryset = partners
        self.fields["working_group"].queryset = WorkingGroup.objects.filter(
            Q(archived_at__isnull=True) | Q(pk=action.working_group_id)
        )

    def clean(self):
        cleaned = super().clean()
        owner, group = cleaned.get("owner"), cleaned.get("working_group")
        if owner and group and not group.members.filter(pk=owner.pk).exists():
            self.add_error("owner", _("The owner must be a member of the working group. "
                                      "Choose another owner, or add them to the group first."))
        return cleaned


class CriterionForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Criterion
        fields = ["question", "guidance", "is_active"]
        widgets = {"guidance": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"is_active": _("Switch a question off to stop using it in new "
                                     "assessments. Earlier scores are kept.")}


class GrantApplicationForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = GrantApplication
        fields = ["title", "applicant", "summary", "amount_requested", "received_on"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 5}),
            "received_on": DateInput(),
        }
        error_messages = {
            "amount_requested": {"min_value": _("The amount cannot be negative.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applicant"].queryset = Organisation.objects.filter(is_active=True)

    def clean_received_on(self):
        received_on = self.cleaned_data["received_on"]
        if received_on > timezone.localdate():
            raise ValidationError(_("The date of receipt cannot be in the future."))
        return received_on


SCORE_LABELS = [
    (0, _("0 — not at all")), (1, _("1 — a little")), (2, _("2 — mostly")), (3, _("3 — fully")),
]
RADIO_CLASS = "utrecht-radio-button utrecht-radio-button--html-input"


class AssessmentForm(StyledFormMixin, forms.Form):
    """A score from 0 to 3 and a note for every question of the checklist in use."""

    def __init__(self, *args, criteria, scores=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        scores = scores or {}
        for criterion in self.criteria:
            existing = scores.get(criterion.pk)
            self.fields[f"score_{criterion.pk}"] = forms.TypedChoiceField(
                label=criterion.question, choices=SCORE_LABELS, coerce=int, required=False,
                widget=forms.RadioSelect,
                initial=existing.score if existing else None,
                error_messages={"invalid_choice": _("Choose a score from 0 to 3.")},
            )
            self.fields[f"note_{criterion.pk}"] = forms.CharField(
                label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                initial=existing.note if existing else "",
            )
        for name, field in self.fields.items():
            if name.startswith("score_"):
                field.widget.attrs["class"] = RADIO_CLASS

    def criterion_fields(self):
        """(criterion, score field, note field) for the template."""
        return [(criterion, self[f"score_{criterion.pk}"], self[f"note_{criterion.pk}"])
                for criterion in self.criteria]

    def clean(self):
        cleaned = super().clean()
        known = {f"score_{criterion.pk}" for criterion in self.criteria}
        unknown = [key for key in self.data if key.startswith("score_") and key not in known]
        if unknown:
            raise ValidationError(_("One of the scores belongs to a question that is not on the "
                                    "checklist (any more). Reload the page and try again."))
        for criterion in self.criteria:
            if cleaned.get(f"note_{criterion.pk}") and cleaned.get(
                f"score_{criterion.pk}"
            ) in (None, ""):
                self.add_error(f"score_{criterion.pk}", _("Give a score with your note."))
        return cleaned

    def scores(self):
        """{criterion: (score, note)} for the questions that were scored."""
        return {
            criterion: (self.cleaned_data[f"score_{criterion.pk}"],
                        self.cleaned_data[f"note_{criterion.pk}"])
            for criterion in self.criteria
            if self.cleaned_data.get(f"score_{criterion.pk}") not in (None, "")
        }


class ExperimentStageForm(StyledFormMixin, forms.Form):
    stage = forms.ChoiceField(label=_("New stage"), choices=Experiment.Stage.choices,
                              error_messages={"invalid_choice": _("Choose one of the stages.")})
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when the experiment stops."),
    )

    def __init__(self, *args, allowed=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].choices = [
            (value, label) for value, label in Experiment.Stage.choices if value in allowed
        ]


class ExperimentFindingsForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Experiment
        fields = ["findings"]
        widgets = {"findings": forms.Textarea(attrs={"rows": 8})}
