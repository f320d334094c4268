"""Small builders for the health tests: partners, meetings and survey answers."""

from datetime import datetime

from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext, override

from omzien.coalition.models import Meeting, Partner, SurveyResponse
from tests.conftest import make_organisation, works_at


def make_partner(name, sector="welzijn", joined_on=None, archived_at=None, contact_user=None):
    organisation = make_organisation(name=name, sector=sector)
    works_at(contact_user, organisation)
    fields = {"organisation": organisation, "archived_at": archived_at,
              "contact_user": contact_user}
    if joined_on is not None:
        fields["joined_on"] = joined_on
    return Partner.objects.create(**fields)


def at(year, month, day, hour=10):
    return timezone.make_aware(datetime(year, month, day, hour))


def make_meeting(title, starts_at, invited=(), attended=()):
    meeting = Meeting.objects.create(title=title, starts_at=starts_at)
    meeting.invited.set(invited)
    meeting.attended.set(attended)
    return meeting


def answer(survey_round, partner, shared_goal, trust, size_and_diversity, representatives):
    return SurveyResponse.objects.create(
        round=survey_round, partner=partner, shared_goal=shared_goal, trust=trust,
        size_and_diversity=size_and_diversity, representatives=representatives,
    )


def shows_message(response, msgid, **params):
    """True when the page shows this message, in the page's language (Dutch)."""
    with override("nl"):
        message = gettext(msgid) % params if params else gettext(msgid)
    return escape(message) in response.content.decode()
