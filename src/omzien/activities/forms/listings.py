"""Forms providers use to keep their listings current. The schedule is asked in plain Dutch
("every week on Tuesday", "every first Monday of the month") and turned into the RFC 5545
fields the model stores (starts_at, ends_at, recurrence, excluded_dates)."""

import re
from datetime import date, datetime
from html import unescape

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from omzien.core.forms import StyledFormMixin
from omzien.core.models import Area

from ..models import Activity, Location, TaxonomyTerm
from ..schedule import (
    ALLOWED_FREQUENCIES,
    first_occurrence,
    format_local,
    local_zone,
    parse_local,
)
from ..taxonomy import Taxonomy

WEEKDAYS = [
    ("MO", _("Monday")), ("TU", _("Tuesday")), ("WE", _("Wednesday")), ("TH", _("Thursday")),
    ("FR", _("Friday")), ("SA", _("Saturday")), ("SU", _("Sunday")),
]
WEEKDAY_CODES = [code for code, _label in WEEKDAYS]
ORDINALS = [("1", _("first")), ("2", _("second")), ("3", _("third")), ("4", _("fourth")),
            ("-1", _("last"))]
LANGUAGES = [
    ("nl", _("Dutch")), ("en", _("English")), ("tr", _("Turkish")), ("ar", _("Arabic")),
    ("pl", _("Polish")), ("fy", _("Frisian")), ("pap", _("Papiamento")),
    ("other", _("another language")),
]
LANGUAGE_CODES = {code for code, _label in LANGUAGES}


class Repeat:
    WEEKLY = "weekly"
    FORTNIGHTLY = "fortnightly"
    MONTHLY = "monthly"
    ADVANCED = "advanced"
    CHOICES = [
        (WEEKLY, _("every week")),
        (FORTNIGHTLY, _("every two weeks")),
        (MONTHLY, _("once a month, on a fixed weekday")),
        (ADVANCED, _("otherwise (advanced: an iCalendar RRULE)")),
    ]


EARLIEST_DATE = date(2000, 1, 1)
YEARS_AHEAD = 5
# A rule that has no date within this period after its first date is refused: it is either
# impossible (30 February) or a mistake, and expanding it would take very long.
MAX_SKIPPED_DATES = 200
RRULE_TEXT = re.compile(r"^[A-Z0-9=;,+\-]+$")
DATE_FORMATS = ["%d-%m-%Y", "%Y-%m-%d", "%d/%m/%Y", "%d-%m-%y"]


# --- turning plain choices into an RRULE, and back ---


def build_rule(repeat, weekdays=(), month_week="", month_weekday="", advanced="", until=None):
    """The RRULE text for a choice in the form (not yet checked by dateutil)."""
    if repeat == Repeat.ADVANCED:
        rule = advanced
    elif repeat in (Repeat.WEEKLY, Repeat.FORTNIGHTLY):
        interval = ";INTERVAL=2" if repeat == Repeat.FORTNIGHTLY else ""
        days = ",".join(code for code in WEEKDAY_CODES if code in weekdays)
        rule = f"FREQ=WEEKLY{interval};BYDAY={days}"
    else:
        rule = f"FREQ=MONTHLY;BYDAY={month_week}{month_weekday}"
    if until is not None and repeat != Repeat.ADVANCED:
        rule += f";UNTIL={until:%Y%m%d}T235959"
    return rule


def read_rule(rule_text, first_start):
    """The form's plain choices for a stored RRULE; "advanced" when it has no plain form."""
    advanced = {"repeat": Repeat.ADVANCED, "rrule": rule_text}
    try:
        parts = dict(part.split("=", 1) for part in rule_text.upper().split(";") if part)
    except ValueError:
        return advanced
    until = None
    if "UNTIL" in parts:
        match = re.fullmatch(r"(\d{8})(T235959)?", parts.pop("UNTIL"))
        if not match:
            return advanced
        until = datetime.strptime(match.group(1), "%Y%m%d").date()
    freq, interval = parts.pop("FREQ", ""), parts.pop("INTERVAL", "1")
    byday = parts.pop("BYDAY", "")
    if parts:
        return advanced
    if freq == "WEEKLY" and interval in ("1", "2"):
        days = byday.split(",") if byday else [WEEKDAY_CODES[first_start.weekday()]]
        if all(day in WEEKDAY_CODES for day in days):
            repeat = Repeat.WEEKLY if interval == "1" else Repeat.FORTNIGHTLY
            return {"repeat": repeat, "weekdays": days, "repeat_until": until}
    match = re.fullmatch(r"(-1|[1-4])(MO|TU|WE|TH|FR|SA|SU)", byday)
    if freq == "MONTHLY" and interval == "1" and match:
        return {"repeat": Repeat.MONTHLY, "month_week": match.group(1),
                "month_weekday": match.group(2), "repeat_until": until}
    return advanced


def parse_dates(text):
    """Dates from free text: one per line or separated by commas, as 31-12-2026 or 2026-12-31.
    Returns (dates, unreadable parts)."""
    found, unreadable = [], []
    for part in re.split(r"[\s,;]+", text.strip()):
        if not part:
            continue
        for pattern in DATE_FORMATS:
            try:
                found.append(datetime.strptime(part, pattern).date())
                break
            except ValueError:
                continue
        else:
            unreadable.append(part[:20])
    return found, unreadable


def plain_text_to_html(text):
    """Providers may type plain text: blank lines make paragraphs, line ends stay."""
    if re.search(r"</?[a-zA-Z][^>]*>", text):
        return text
    paragraphs = [part.strip() for part in re.split(r"\n\s*\n", text.strip()) if part.strip()]
    return "".join(f"<p>{escape(part).replace(chr(10), '<br>')}</p>" for part in paragraphs)


def html_to_plain_text(html):
    """Back to plain text for editing, when the description is only paragraphs and breaks."""
    if re.search(r"<(?!/?p>|br>|br/>|br />)[^>]*>", html):
        return html
    text = re.sub(r"<br\s*/?>", "\n", html)
    text = re.sub(r"</p>\s*<p>", "\n\n", text)
    text = re.sub(r"</?p>", "", text)
    return unescape(text)


# --- forms ---


class TermChoiceField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return str(obj.label)


class LocationChoiceField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return str(obj)


RADIO_CLASS = "utrecht-radio-button utrecht-radio-button--html-input"


def _radio(form, *names):
    for name in names:
        form.fields[name].widget.attrs["class"] = RADIO_CLASS


class ActivityForm(StyledFormMixin, forms.ModelForm):
    """Everything a provider sets about one activity of `organisation`."""

    kinds = TermChoiceField(TaxonomyTerm.objects.none(), label=_("Kind of activity"),
                            error_messages={"required": _("Choose at least one kind.")})
    target_groups = TermChoiceField(TaxonomyTerm.objects.none(), label=_("For whom"),
                                    required=False)
    active_elements = TermChoiceField(TaxonomyTerm.objects.none(), required=False,
                                      label=_("What it offers (active elements)"))
    loneliness_levels = TermChoiceField(TaxonomyTerm.objects.none(), required=False,
                                        label=_("Suits loneliness that is"))
    languages_spoken = forms.MultipleChoiceField(
        label=_("Languages spoken"), choices=LANGUAGES, required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    activity_locations = LocationChoiceField(
        Location.objects.none(), label=_("Where"), required=False,
        help_text=_("Places of your organisation. Add a new place under Locations."),
    )
    schedule_kind = forms.ChoiceField(
        label=_("When"), choices=Activity.ScheduleKind.choices, widget=forms.RadioSelect,
        initial=Activity.ScheduleKind.RECURRING,
    )
    first_date = forms.DateField(
        label=_("Date (the first time)"), required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("For example 31-12-2026."),
    )
    start_time = forms.TimeField(label=_("Start time"), required=False,
                                 widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    end_time = forms.TimeField(label=_("End time"), required=False,
                               widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    repeat = forms.ChoiceField(label=_("Repeats"), choices=Repeat.CHOICES, required=False,
                               widget=forms.RadioSelect, initial=Repeat.WEEKLY)
    weekdays = forms.MultipleChoiceField(
        label=_("On (for every week or every two weeks)"), choices=WEEKDAYS, required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Nothing chosen: the weekday of the first date."),
    )
    month_week = forms.ChoiceField(label=_("Which one in the month"), choices=ORDINALS,
                                   required=False)
    month_weekday = forms.ChoiceField(label=_("Weekday in the month"), choices=WEEKDAYS,
                                      required=False)
    rrule = forms.CharField(
        label=_("Advanced: RRULE"), required=False, max_length=300,
        help_text=_("For example FREQ=WEEKLY;INTERVAL=3;BYDAY=WE for every three weeks on "
                    "Wednesday."),
    )
    repeat_until = forms.DateField(
        label=_("Repeats until"), required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Leave empty when there is no end date."),
    )
    skipped_dates = forms.CharField(
        label=_("Skipped dates"), required=False, max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Days it does not take place, one per line, for example 29-12-2026."),
    )

    class Meta:
        model = Activity
        fields = [
            "title", "description", "cost", "cost_note", "access", "referral_notes",
            "wheelchair_accessible", "hearing_loop", "transport_offered", "schedule_note",
            "capacity", "waiting_list", "join_method", "join_url",
            "contact_name", "contact_phone", "contact_email",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 8}),
            "referral_notes": forms.Textarea(attrs={"rows": 3}),
            "access": forms.RadioSelect,
            "join_method": forms.RadioSelect,
        }
        help_texts = {
            "description": _("Plain text is fine: an empty line starts a new paragraph."),
        }

    # Which fields the template shows together, under which heading.
    GROUPS = [
        (_("What"), ["title", "description"]),
        (_("Classification"), ["kinds", "target_groups", "active_elements",
                                "loneliness_levels"]),
        (_("When"), ["schedule_kind", "first_date", "start_time", "end_time", "repeat",
                     "weekdays", "month_week", "month_weekday", "rrule", "repeat_until",
                     "skipped_dates", "schedule_note"]),
        (_("Where"), ["activity_locations", "wheelchair_accessible", "hearing_loop",
                      "transport_offered", "languages_spoken"]),
        (_("Cost and access"), ["cost", "cost_note", "access", "referral_notes"]),
        (_("Joining"), ["join_method", "join_url", "capacity", "waiting_list"]),
        (_("Contact"), ["contact_name", "contact_phone", "contact_email"]),
    ]

    def grouped_fields(self):
        """[(heading, [bound fields])] in the order of GROUPS, for the template."""
        return [(heading, [self[name] for name in names]) for heading, names in self.GROUPS]

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        for name, taxonomy in (
            ("kinds", Taxonomy.KIND), ("target_groups", Taxonomy.TARGET_GROUP),
            ("active_elements", Taxonomy.ACTIVE_ELEMENT),
            ("loneliness_levels", Taxonomy.LONELINESS_LEVEL),
        ):
            self.fields[name].queryset = TaxonomyTerm.objects.filter(taxonomy=taxonomy)
        places = Location.objects.filter(organisation=organisation)
        if self.instance.pk:
            # Places it already has stay choosable, also after a claim moved it here.
            places = places | Location.objects.filter(activities=self.instance)
        self.fields["activity_locations"].queryset = places.distinct()
        _radio(self, "schedule_kind", "repeat", "access", "join_method")
        if self.instance.pk:
            self._initial_from_instance()
        self.schedule = {}

    def _initial_from_instance(self):
        activity = self.instance
        chosen = {term.pk: term.taxonomy for term in activity.terms.all()}
        for name, taxonomy in (
            ("kinds", Taxonomy.KIND), ("target_groups", Taxonomy.TARGET_GROUP),
            ("active_elements", Taxonomy.ACTIVE_ELEMENT),
            ("loneliness_levels", Taxonomy.LONELINESS_LEVEL),
        ):
            self.initial[name] = [pk for pk, tax in chosen.items() if tax == taxonomy]
        self.initial["languages_spoken"] = [c for c in activity.languages if c in LANGUAGE_CODES]
        self.initial["activity_locations"] = [place.pk for place in activity.locations.all()]
        self.initial["description"] = html_to_plain_text(activity.description)
        self.initial["schedule_kind"] = activity.schedule_kind
        if activity.starts_at:
            start = activity.starts_at.astimezone(local_zone())
            self.initial.update(first_date=start.date(), start_time=start.time())
            if activity.ends_at:
                self.initial["end_time"] = activity.ends_at.astimezone(local_zone()).time()
            if activity.recurrence:
                self.initial.update(read_rule(activity.recurrence, start))
        self.initial["skipped_dates"] = "\n".join(
            f"{parse_local(value):%d-%m-%Y}" for value in activity.excluded_dates
        )

    # --- checks ---

    def clean_description(self):
        return plain_text_to_html(self.cleaned_data["description"])

    def clean_rrule(self):
        text = self.cleaned_data["rrule"].strip().upper().removeprefix("RRULE:")
        if text and not RRULE_TEXT.match(text):
            raise ValidationError(_("This rule contains characters an RRULE cannot have."))
        return text

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("join_method") == Activity.JoinMethod.EXTERNAL and not cleaned.get(
            "join_url"
        ):
            self.add_error("join_url", _("Give the address of the page where people sign up."))
        places = cleaned.get("activity_locations")
        if places is not None:
            cleaned["activity_locations"] = list(places)
        kind = cleaned.get("schedule_kind")
        if kind == Activity.ScheduleKind.BY_APPOINTMENT:
            self.schedule = {"starts_at": None, "ends_at": None, "recurrence": "",
                             "excluded_dates": []}
        elif kind:
            self._clean_schedule(cleaned, kind)
        return cleaned

    def _clean_schedule(self, cleaned, kind):
        first_date, start_time = cleaned.get("first_date"), cleaned.get("start_time")
        end_time = cleaned.get("end_time")
        if first_date is None and "first_date" not in self.errors:
            self.add_error("first_date", _("Give the date (of the first time)."))
        if start_time is None and "start_time" not in self.errors:
            self.add_error("start_time", _("Give the start time."))
        if first_date is None or start_time is None:
            return
        if not self._sensible_date(first_date, "first_date"):
            return
        if end_time is not None and end_time <= start_time:
            self.add_error("end_time", _("The end time must be after the start time."))
            return
        start = datetime.combine(first_date, start_time)
        recurrence = ""
        if kind == Activity.ScheduleKind.RECURRING:
            recurrence = self._recurrence(cleaned, first_date)
            if recurrence is None:
                return
            start = self._first_time(recurrence, start)
            if start is None:
                return
        elif self.instance.pk is None and first_date < timezone.localdate():
            self.add_error("first_date", _("This date has passed."))
            return
        skipped = self._skipped(cleaned, first_date, start_time)
        if skipped is None:
            return
        zone = local_zone()
        starts_at = start.replace(tzinfo=zone)
        ends_at = None
        if end_time is not None:
            ends_at = (start + (datetime.combine(first_date, end_time)
                                - datetime.combine(first_date, start_time))).replace(tzinfo=zone)
        self.schedule = {"starts_at": starts_at, "ends_at": ends_at, "recurrence": recurrence,
                         "excluded_dates": skipped}

    def _sensible_date(self, value, field):
        latest = date(timezone.localdate().year + YEARS_AHEAD, 12, 31)
        if value < EARLIEST_DATE or value > latest:
            self.add_error(field, _("Give a date between 2000 and %(year)s.")
                           % {"year": latest.year})
            return False
        return True

    def _recurrence(self, cleaned, first_date):
        repeat = cleaned.get("repeat")
        until = cleaned.get("repeat_until")
        if not repeat:
            self.add_error("repeat", _("Choose how often it repeats."))
            return None
        if until is not None:
            if not self._sensible_date(until, "repeat_until"):
                return None
            if until < first_date:
                self.add_error("repeat_until", _("This date is before the first date."))
                return None
        if repeat == Repeat.ADVANCED:
            return self._advanced_rule(cleaned)
        weekdays = cleaned.get("weekdays") or [WEEKDAY_CODES[first_date.weekday()]]
        month_week, month_weekday = cleaned.get("month_week"), cleaned.get("month_weekday")
        if repeat == Repeat.MONTHLY and not (month_week and month_weekday):
            self.add_error("month_week",
                           _("Choose which weekday of the month, for example the first Monday."))
            return None
        return build_rule(repeat, weekdays, month_week, month_weekday, until=until)

    def _advanced_rule(self, cleaned):
        text = cleaned.get("rrule", "")
        if "rrule" in self.errors:
            return None
        if not text:
            self.add_error("rrule", _("Write the rule, or choose one of the simple patterns."))
            return None
        parts = dict(part.partition("=")[::2] for part in text.split(";"))
        if parts.get("FREQ") not in ALLOWED_FREQUENCIES:
            self.add_error("rrule", _("The rule must repeat daily, weekly, monthly or yearly "
                                      "(FREQ=DAILY, WEEKLY, MONTHLY or YEARLY)."))
            return None
        return text

    def _first_time(self, recurrence, start):
        field = "rrule" if self.cleaned_data.get("repeat") == Repeat.ADVANCED else "repeat"
        try:
            first = first_occurrence(recurrence, start)
        except ValueError:
            self.add_error(field, _("This rule cannot be read. Check it, or choose one of the "
                                    "simple patterns."))
            return None
        if first is None:
            self.add_error(field, _("With this pattern there is no date in the two years after "
                                    "the first date. Check the pattern and the dates."))
        return first

    def _skipped(self, cleaned, first_date, start_time):
        dates, unreadable = parse_dates(cleaned.get("skipped_dates", ""))
        if unreadable:
            self.add_error("skipped_dates", _("These are not dates: %(values)s. Write them as "
                                              "31-12-2026.") % {"values": ", ".join(unreadable)})
            return None
        if len(dates) > MAX_SKIPPED_DATES:
            self.add_error("skipped_dates", _("Give at most %(count)s skipped dates.")
                           % {"count": MAX_SKIPPED_DATES})
            return None
        wrong = [day for day in dates if day < first_date or day.year > first_date.year + 10]
        if wrong:
            self.add_error("skipped_dates", _("These dates are before the first date or too far "
                                              "ahead: %(values)s.")
                           % {"values": ", ".join(f"{day:%d-%m-%Y}" for day in wrong[:5])})
            return None
        return sorted({format_local(datetime.combine(day, start_time)) for day in dates})

    # --- result ---

    def apply(self):
        """The activity with the form's values set (not saved), its terms and its places."""
        activity = self.instance
        activity.organisation = self.organisation
        activity.schedule_kind = self.cleaned_data["schedule_kind"]
        for field, value in self.schedule.items():
            setattr(activity, field, value)
        chosen = list(self.cleaned_data["languages_spoken"])
        kept = [code for code in activity.languages if code not in LANGUAGE_CODES]
        activity.languages = chosen + kept
        terms = [term for name in ("kinds", "target_groups", "active_elements",
                                   "loneliness_levels") for term in self.cleaned_data[name]]
        return activity, terms, self.cleaned_data["activity_locations"]


def normalise_postcode(value):
    postcode = value.replace(" ", "").upper()
    well_formed = len(postcode) == 6 and postcode[:4].isdigit() and postcode[4:].isalpha()
    if postcode and not well_formed:
        raise ValidationError(_("Enter a Dutch postcode such as 1234 AB."))
    return f"{postcode[:4]} {postcode[4:]}" if postcode else ""


class NeighbourhoodField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.parent.name})" if obj.parent_id else obj.name


class LocationForm(StyledFormMixin, forms.ModelForm):
    area = NeighbourhoodField(
        Area.objects.filter(kind=Area.Kind.NEIGHBOURHOOD).select_related("parent")
        .order_by("name"),
        label=_("Neighbourhood"), required=False,
        help_text=_("Found from the address. Choose it yourself when the address cannot be "
                    "looked up."),
    )

    class Meta:
        model = Location
        fields = ["name", "street_address", "postcode", "city", "area", "directions"]
        widgets = {"directions": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("street_address", "city"):
            self.fields[name].required = True

    def clean_postcode(self):
        return normalise_postcode(self.cleaned_data["postcode"])

    def address_changed(self):
        return bool({"street_address", "postcode", "city"} & set(self.changed_data))


class ClaimForm(StyledFormMixin, forms.Form):
    organisation = forms.ModelChoiceField(None, label=_("On behalf of"), empty_label=None)
    message = forms.CharField(
        label=_("Message to the coordinator"), max_length=2000, required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Why does this activity belong to your organisation?"),
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class ActivityFilterForm(StyledFormMixin, forms.Form):
    FLAG_CHOICES = [
        ("", _("all")),
        ("stale", _("not checked for a long time")),
        ("pending", _("waiting for approval")),
        ("imported", _("imported")),
    ]
    organisation = forms.ModelChoiceField(None, label=_("Organisation"), required=False,
                                          empty_label=_("all organisations"))
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("all"))] + Activity.Status.choices)
    flag = forms.ChoiceField(label=_("Show"), required=False, choices=FLAG_CHOICES)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations

