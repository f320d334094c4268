from django import forms
from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm
from django.core.exceptions import ValidationError
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from .importers.boundaries import MAX_BOUNDARY_FILE_BYTES
from .models import Membership, Organisation, User

# NL Design System (Utrecht) classes per kind of widget, so every form looks the same.
WIDGET_CLASSES = {
    "textarea": "utrecht-textarea utrecht-textarea--html-textarea",
    "select": "utrecht-select utrecht-select--html-select",
    "selectmultiple": "utrecht-select utrecht-select--html-select",
    "checkbox": "utrecht-checkbox utrecht-checkbox--html-checkbox",
    "file": "utrecht-textbox utrecht-textbox--html-input",
}
DEFAULT_WIDGET_CLASS = "utrecht-textbox utrecht-textbox--html-input"


MAX_ID = 2**63 - 1  # the largest primary key the databases store


def is_plain_id(value):
    text = str(value)
    return text.isascii() and text.isdigit() and int(text) <= MAX_ID


def guard_ids(field):
    """Refuse choices that cannot be a primary key before the field queries the database, where
    a number too large for the column would fail with an error instead of a message."""
    original_clean = field.clean

    def clean(value):
        values = value if isinstance(value, list | tuple) else [value]
        for item in values:
            if item not in (None, "") and not is_plain_id(item):
                raise ValidationError(
                    field.error_messages["invalid_choice"], code="invalid_choice",
                    params={"value": item},
                )
        return original_clean(value)

    field.clean = clean


class StyledFormMixin:
    """The NL Design System look for every widget, and safe handling of chosen ids."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.ModelChoiceField) and field.to_field_name is None:
                guard_ids(field)
            widget = field.widget
            kind = getattr(widget, "input_type", None) or type(widget).__name__.lower()
            css = WIDGET_CLASSES.get(kind, DEFAULT_WIDGET_CLASS)
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


class LoginForm(StyledFormMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": _("This username and password do not match. Check them and try again."),
        "inactive": _("This account has been switched off. Ask your administrator."),
    }


class TokenForm(StyledFormMixin, forms.Form):
    token = forms.CharField(
        label=_("Code"),
        help_text=_("The 6-digit code from your authenticator app, or one of your backup codes."),
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean_token(self):
        return self.cleaned_data["token"].replace(" ", "").strip()


class OrganisationForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Organisation
        fields = [
            "name", "sector", "description", "email", "phone", "website",
            "street_address", "postcode", "city", "areas", "is_active",
        ]
        widgets = {"areas": forms.SelectMultiple(attrs={"size": 8})}

    def clean_postcode(self):
        postcode = self.cleaned_data["postcode"].replace(" ", "").upper()
        well_formed = len(postcode) == 6 and postcode[:4].isdigit() and postcode[4:].isalpha()
        if postcode and not well_formed:
            raise ValidationError(_("Enter a Dutch postcode such as 1234 AB."))
        return f"{postcode[:4]} {postcode[4:]}" if postcode else ""


class BoundaryUploadForm(StyledFormMixin, forms.Form):
    file = forms.FileField(
        label=_("Boundary file (GeoJSON)"),
        help_text=_("A GeoJSON file from CBS or PDOK whose areas have the properties "
                    "statcode and statnaam."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BOUNDARY_FILE_BYTES:
            raise ValidationError(_("This file is too large. The limit is 200 MB."))
        return upload


class UserForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True


class MembershipForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["organisation", "role"]


MembershipFormSet = inlineformset_factory(
    User, Membership, form=MembershipForm, extra=2, can_delete=True
)


class PasswordChoiceForm(StyledFormMixin, SetPasswordForm):
    pass
