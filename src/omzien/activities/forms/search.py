"""The search form (a GET form: every search is a link that can be shared or bookmarked)."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy as _

from omzien.core.forms import StyledFormMixin, is_plain_id
from omzien.core.models import Area

from ..models import Activity
from ..queries import Near, SearchCriteria
from ..schedule import DAY_PARTS
from ..taxonomy import TERMS, Taxonomy

MAX_TEXT_LENGTH = 200
DISTANCE_CHOICES = [
    ("1", _("within 1 km")),
    ("2", _("within 2 km")),
    ("5", _("within 5 km")),
    ("10", _("within 10 km")),
    ("25", _("within 25 km")),
]
DEFAULT_DISTANCE_KM = 2
# The query-string names differ from the field names where the issue fixed them.
PARAMETER_NAMES = {"near_activity": "bij"}


def served_areas():
    """The wijken and buurten of the municipalities this instance serves (all without the
    setting): a form listing every area of the country would take a second to render."""
    areas = Area.objects.filter(kind__in=[Area.Kind.DISTRICT, Area.Kind.NEIGHBOURHOOD])
    codes = [code[2:] for code in settings.OMZIEN_MUNICIPALITY_CODES]
    if codes:
        served = Q()
        for digits in codes:
            served |= Q(code__startswith=f"WK{digits}") | Q(code__startswith=f"BU{digits}")
        areas = areas.filter(served)
    return areas


def area_choices():
    """Each wijk, then its buurten, so a resident finds their own buurt under their wijk."""
    areas = served_areas().only("pk", "name", "kind", "parent_id").order_by("name")
    districts = [area for area in areas if area.kind == Area.Kind.DISTRICT]
    buurten_by_district = {}
    for area in areas:
        if area.kind == Area.Kind.NEIGHBOURHOOD:
            buurten_by_district.setdefault(area.parent_id, []).append(area)
    choices = [("", _("The whole municipality"))]
    for district in districts:
        options = [(str(district.pk), _("All of %(wijk)s") % {"wijk": district.name})]
        buurten = buurten_by_district.get(district.pk, [])
        options += [(str(buurt.pk), buurt.name) for buurt in buurten]
        choices.append((district.name, options))
    return choices


class SearchForm(StyledFormMixin, forms.Form):
    q = forms.CharField(
        label=_("What are you looking for?"), required=False, max_length=MAX_TEXT_LENGTH,
        help_text=_("For example: walking, coffee, eating together."),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    area = forms.ChoiceField(label=_("Wijk or buurt"), required=False)
    address = forms.CharField(
        label=_("Near an address or postcode"), required=False, max_length=MAX_TEXT_LENGTH,
        help_text=_("For example: 1234 AB, or Dorpsstraat 1 Omzienstad."),
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    distance = forms.TypedChoiceField(
        label=_("Distance"), required=False, choices=DISTANCE_CHOICES, coerce=int,
        empty_value=DEFAULT_DISTANCE_KM, initial=str(DEFAULT_DISTANCE_KM),
    )
    days = forms.TypedMultipleChoiceField(
        label=_("Days"), required=False, coerce=int,
        choices=[(str(number), name) for number, name in WEEKDAYS.items()],
        widget=forms.CheckboxSelectMultiple,
    )
    day_parts = forms.MultipleChoiceField(
        label=_("Part of the day"), required=False,
        choices=[(code, label) for code, label, _hours in DAY_PARTS],
        widget=forms.CheckboxSelectMultiple,
    )
    kind = forms.ChoiceField(
        label=_("Kind of activity"), required=False,
        choices=[("", _("All kinds")), *TERMS[Taxonomy.KIND]],
    )
    target_group = forms.ChoiceField(
        label=_("For whom"), required=False,
        choices=[("", _("All target groups")), *TERMS[Taxonomy.TARGET_GROUP]],
    )
    free = forms.BooleanField(label=_("Free of charge"), required=False)
    open_access = forms.BooleanField(label=_("No referral needed"), required=False)
    wheelchair = forms.BooleanField(label=_("Wheelchair accessible"), required=False)
    near_activity = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = area_choices()
        self.near_place = None  # set by the view after geocoding
        self.geocoder_unavailable = False

    def add_prefix(self, field_name):
        return PARAMETER_NAMES.get(field_name, super().add_prefix(field_name))

    def clean_area(self):
        value = self.cleaned_data["area"]
        if not value:
            return None
        # The choices already refused anything that is not one of our wijken or buurten.
        area = Area.objects.filter(pk=int(value)).first()
        if area is None:
            raise ValidationError(_("This wijk or buurt does not exist."), code="invalid")
        return area

    def clean_near_activity(self):
        value = self.cleaned_data["near_activity"].strip()
        if not value:
            return None
        if not is_plain_id(value):
            raise ValidationError(_("This activity does not exist."), code="invalid")
        activity = (
            Activity.objects.published().filter(pk=int(value))
            .prefetch_related("locations").first()
        )
        if activity is None:
            raise ValidationError(_("This activity does not exist."), code="invalid")
        return activity

    def criteria(self):
        """The search criteria of a valid form (without a place from an address: the view
        adds that after asking the geocoder)."""
        data = self.cleaned_data
        return SearchCriteria(
            text=data["q"],
            area=data["area"],
            weekdays=set(data["days"]),
            day_parts=set(data["day_parts"]),
            kinds={data["kind"]} if data["kind"] else set(),
            target_groups={data["target_group"]} if data["target_group"] else set(),
            free_only=data["free"],
            open_access_only=data["open_access"],
            accessible_only=data["wheelchair"],
        )

    def near(self, latitude, longitude):
        return Near(latitude, longitude, self.cleaned_data["distance"])
