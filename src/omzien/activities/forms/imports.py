"""Forms of the import pages: uploading a file, keeping an import source, deciding on a
possible duplicate."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from omzien.core.forms import StyledFormMixin
from omzien.core.models import Organisation

from ..models import ImportSource


class ImportUploadForm(StyledFormMixin, forms.Form):
    format = forms.ChoiceField(label=_("Format"), choices=ImportSource.Format.choices)
    file = forms.FileField(
        label=_("File"),
        help_text=_("An iCalendar file (.ics), a saved web page (.html), HSDS JSON or a CSV file "
                    "made with the Omzien template."),
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), required=False,
        queryset=Organisation.objects.filter(is_active=True).order_by("name"),
        help_text=_("Leave empty when the file names its own organisations."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.OMZIEN_IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)s MB; split it into smaller files."),
                params={"size": settings.OMZIEN_IMPORT_MAX_BYTES // (1024 * 1024) or 1},
            )
        if upload.size == 0:
            raise forms.ValidationError(_("The file is empty."))
        return upload


class ImportSourceForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = ImportSource
        fields = ["name", "format", "url", "organisation", "interval_hours", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            is_active=True
        ).order_by("name")
        self.fields["url"].assume_scheme = "https"

    def clean_url(self):
        url = self.cleaned_data["url"]
        if not url.lower().startswith(("http://", "https://")):
            raise forms.ValidationError(
                _("Only web addresses that start with http:// or https:// can be read.")
            )
        return url


class DuplicateDecisionForm(forms.Form):
    DECISIONS = [("keep_activity", "keep_activity"), ("keep_duplicate_of", "keep_duplicate_of"),
                 ("dismiss", "dismiss")]
    decision = forms.ChoiceField(choices=DECISIONS)
