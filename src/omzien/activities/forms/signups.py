"""The sign-up form residents fill in on an activity page."""

import re
import unicodedata

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from omzien.core.forms import StyledFormMixin

MAX_PARTY_SIZE = 20
# Spaces, dashes, dots, slashes and brackets people write in phone numbers.
PHONE_SEPARATORS = re.compile(r"[\s\-./()]")
DUTCH_NUMBER = re.compile(r"0[1-9]\d{8}")
# Free and paid service numbers: 0800-1234 or 0800-1234567.
DUTCH_SERVICE_NUMBER = re.compile(r"0(800|900|906|909)\d{4}(\d{3})?")
INTERNATIONAL_NUMBER = re.compile(r"\+[1-9]\d{7,14}")


def without_control_characters(text, keep="\n"):
    """Text without invisible control characters (they only cause trouble in mails and CSV)."""
    return "".join(
        char for char in text if char in keep or unicodedata.category(char) != "Cc"
    )


def phone_digits(value):
    """The number without separators, +31/0031 and "(0)" turned into the Dutch 0, or None
    when it cannot be a phone number. 06-12345678, +31 6 1234 5678 and 010-1234567 pass."""
    text = value.strip().replace("(0)", "")
    compact = PHONE_SEPARATORS.sub("", text)
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    if compact.startswith("+31"):
        compact = "0" + compact[3:]
    if DUTCH_NUMBER.fullmatch(compact) or DUTCH_SERVICE_NUMBER.fullmatch(compact) or (
        INTERNATIONAL_NUMBER.fullmatch(compact) and not compact.startswith("+31")
    ):
        return compact
    return None


class SignUpForm(StyledFormMixin, forms.Form):
    name = forms.CharField(
        label=_("Your name"), max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": _("Fill in your name.")},
    )
    email = forms.CharField(
        label=_("E-mail address"), max_length=254, required=False,
        help_text=_("You will get a confirmation by e-mail, with a link to cancel."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=_("Phone number"), max_length=30, required=False,
        help_text=_("For example 06-12345678."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    party_size = forms.IntegerField(
        label=_("Number of people"), min_value=1, max_value=MAX_PARTY_SIZE, initial=1,
        help_text=_("Including yourself. At most 20."),
        error_messages={
            "required": _("Fill in with how many people you come."),
            "invalid": _("Fill in a whole number, for example 2."),
            "min_value": _("Come with at least 1 person: yourself."),
            "max_value": _("You can sign up at most 20 people at once."),
        },
    )
    remark = forms.CharField(
        label=_("Remark"), max_length=1000, required=False,
        help_text=_("For example: I use a wheelchair, or I would like to be picked up."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    consent = forms.BooleanField(
        label=_("I agree that my details are used for this sign-up."),
        error_messages={"required": _("Tick the box to agree, otherwise we cannot sign you up.")},
    )

    def __init__(self, *args, activity, **kwargs):
        super().__init__(*args, **kwargs)
        self.activity = activity
        self.fields["consent"].help_text = _(
            "Only %(organiser)s sees your name, contact details and remark, to welcome you and to "
            "reach you if something changes. We delete them %(days)s days after the activity."
        ) % {
            "organiser": activity.organisation.name,
            "days": settings.OMZIEN_SIGN_UP_RETENTION_DAYS,
        }

    def clean_name(self):
        name = " ".join(without_control_characters(self.cleaned_data["name"], keep="").split())
        if not name:
            raise ValidationError(_("Fill in your name."), code="required")
        return name

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        if email:
            try:
                validate_email(email)
            except ValidationError:
                raise ValidationError(
                    _("This is not an e-mail address. Check it, for example: name@example.nl."),
                    code="invalid",
                ) from None
        return email

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if phone and phone_digits(phone) is None:
            raise ValidationError(
                _("This is not a phone number. Write it like 06-12345678 or 010-1234567."),
                code="invalid",
            )
        return " ".join(phone.split())

    def clean_remark(self):
        return without_control_characters(self.cleaned_data["remark"].replace("\r\n", "\n")).strip()

    def clean(self):
        cleaned = super().clean()
        no_email = not cleaned.get("email") and "email" not in self.errors
        no_phone = not cleaned.get("phone") and "phone" not in self.errors
        if no_email and no_phone:
            self.add_error("email", _("Fill in an e-mail address or a phone number, so the "
                                      "organiser can reach you."))
        return cleaned
