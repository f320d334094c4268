"""What the exporters share: which activities are public, their page address, and their
description as plain text."""

import html
import re

from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from ..models import Activity

# Block-level tags of a sanitised description that end a line in plain text.
_LINE_BREAKS = re.compile(r"<\s*(br|/p|/li|/h3|/h4|/ul|/ol)\s*/?\s*>", re.IGNORECASE)
_LIST_ITEM = re.compile(r"<\s*li\s*>", re.IGNORECASE)
_BLANK_LINES = re.compile(r"\n{3,}")


def public_activities():
    """Published activities with what the exporters read, in a stable order."""
    return (
        Activity.objects.published()
        .select_related("organisation")
        .prefetch_related("locations__area", "terms")
        .order_by("title", "pk")
    )


def plain_text(description_html):
    """The sanitised HTML description as readable plain text (lists keep their dashes)."""
    text = _LIST_ITEM.sub("- ", description_html or "")
    text = _LINE_BREAKS.sub("\n", text)
    text = html.unescape(strip_tags(text))
    lines = [line.strip() for line in text.splitlines()]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def activity_url(request, activity):
    """The address of the activity's public page."""
    return request.build_absolute_uri(reverse("activities:detail", args=[activity.pk]))


def address_line(location):
    """Street, postcode and town on one line, as on a letter."""
    town = " ".join(part for part in [location.postcode, location.city] if part)
    return ", ".join(part for part in [location.street_address, town] if part)


def public_phone(activity):
    """The number residents can call about an activity: its own, else the organisation's."""
    return activity.contact_phone or activity.organisation.phone


def cost_text(activity):
    """"Gratis", or the amount in euros the Dutch way, with the note: "€ 2,50 (per keer)"."""
    if activity.is_free:
        text = _("Free")
    else:
        text = _("€ %(amount)s") % {"amount": f"{activity.cost:.2f}".replace(".", ",")}
    return f"{text} ({activity.cost_note})" if activity.cost_note else text
