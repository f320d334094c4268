"""The success-factor survey: the coordinator opens rounds, contact people answer for their own
partner while a round is open, and bad input is refused with a clear message."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from omzien.coalition.models import SurveyResponse, SurveyRound
from omzien.core.models import AuditEvent, Role
from tests.coalition.health_helpers import make_partner, shows_message
from tests.conftest import login_verified, make_staff, works_at

GOOD_SCORES = {"shared_goal": "4", "trust": "3", "size_and_diversity": "5",
               "representatives": "2", "remark": "Goed op weg."}


def open_round(**fields):
    today = timezone.localdate()
    defaults = {"title": "Najaarsronde", "opens_on": today - timedelta(days=3),
                "closes_on": today + timedelta(days=10)}
    return SurveyRound.objects.create(**{**defaults, **fields})


def answer_url(survey_round, partner):
    return reverse("coalition_staff:survey_answer", kwargs={
        "pk": survey_round.pk, "partner_pk": partner.pk})


@pytest.fixture
def contact(client, db):
    """A provider who is the contact person of partner "Buurthuis", logged in."""
    user = make_staff(Role.PROVIDER)
    partner = make_partner("Buurthuis", contact_user=user)
    login_verified(client, user)
    return client, user, partner


# --- rounds --------------------------------------------------------------------------------

@pytest.mark.django_db
def test_coordinator_opens_a_round(staff_client):
    client, user = staff_client(Role.COORDINATOR)
    response = client.post(reverse("coalition_staff:survey_round_create"), {
        "title": "Voorjaar 2026", "opens_on": "2026-03-01", "closes_on": "2026-03-31"})
    assert response.status_code == 302
    survey_round = SurveyRound.objects.get(title="Voorjaar 2026")
    assert str(survey_round.closes_on) == "2026-03-31"
    assert AuditEvent.objects.filter(user=user, action=AuditEvent.Action.CREATE,
                                     object_id=str(survey_round.pk)).exists()


@pytest.mark.django_db
def test_a_round_that_closes_before_it_opens_is_refused(staff_client):
    client, _user = staff_client(Role.COORDINATOR)
    response = client.post(reverse("coalition_staff:survey_round_create"), {
        "title": "Achterstevoren", "opens_on": "2026-03-31", "closes_on": "2026-03-01"})
    assert response.status_code == 400
    assert shows_message(response, "The closing date must be after the opening date.")
    assert not SurveyRound.objects.exists()


@pytest.mark.django_db
def test_a_round_without_dates_is_refused(staff_client):
    client, _user = staff_client(Role.COORDINATOR)
    response = client.post(reverse("coalition_staff:survey_round_create"),
                           {"title": "Zonder data", "opens_on": "morgen"})
    assert response.status_code == 400
    assert b"omzien-error" in response.content
    assert not SurveyRound.objects.exists()


@pytest.mark.django_db
def test_only_the_coordinator_opens_rounds(staff_client):
    client, _user = staff_client(Role.POLICY_OFFICER)
    response = client.post(reverse("coalition_staff:survey_round_create"), {
        "title": "Stiekem", "opens_on": "2026-03-01", "closes_on": "2026-03-31"})
    assert response.status_code == 403
    assert not SurveyRound.objects.exists()


# --- answering -----------------------------------------------------------------------------

@pytest.mark.django_db
def test_contact_person_answers_and_answers_again(contact):
    client, user, partner = contact
    survey_round = open_round()
    survey_list = client.get(reverse("coalition_staff:survey_list"))
    assert answer_url(survey_round, partner) in survey_list.text

    response = client.post(answer_url(survey_round, partner), GOOD_SCORES)
    assert response.status_code == 302
    saved = SurveyResponse.objects.get(round=survey_round, partner=partner)
    assert (saved.shared_goal, saved.trust, saved.size_and_diversity,
            saved.representatives) == (4, 3, 5, 2)

    # The form shows the earlier answers; saving again replaces them.
    form_page = client.get(answer_url(survey_round, partner))
    assert form_page.context["form"].initial["trust"] == 3
    response = client.post(answer_url(survey_round, partner), {**GOOD_SCORES, "trust": "5"})
    assert response.status_code == 302
    assert SurveyResponse.objects.get(round=survey_round, partner=partner).trust == 5
    assert SurveyResponse.objects.count() == 1
    assert AuditEvent.objects.filter(user=user, action=AuditEvent.Action.UPDATE,
                                     object_type="coalition.SurveyResponse").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("bad", ["0", "6", "drie", ""])
def test_a_score_out_of_range_is_refused(contact, bad):
    client, _user, partner = contact
    survey_round = open_round()
    response = client.post(answer_url(survey_round, partner), {**GOOD_SCORES, "trust": bad})
    assert response.status_code == 400
    assert shows_message(response, "Choose a score from 1 to 5.")
    assert not SurveyResponse.objects.exists()


@pytest.mark.django_db
def test_nobody_answers_for_someone_elses_partner(contact):
    client, _user, _own = contact
    other = make_partner("Sportclub")
    survey_round = open_round()
    assert client.get(answer_url(survey_round, other)).status_code == 403
    assert client.post(answer_url(survey_round, other), GOOD_SCORES).status_code == 403
    assert not SurveyResponse.objects.exists()
    assert answer_url(survey_round, other) not in client.get(
        reverse("coalition_staff:survey_list")).text


@pytest.mark.django_db
def test_the_coordinator_cannot_read_or_change_a_partners_answers(staff_client):
    partner = make_partner("Bibliotheek")
    survey_round = open_round()
    SurveyResponse.objects.create(round=survey_round, partner=partner, remark="Eerlijk gezegd",
                                  **{factor: 2 for factor in GOOD_SCORES if factor != "remark"})
    client, _user = staff_client(Role.COORDINATOR)
    assert client.get(answer_url(survey_round, partner)).status_code == 403
    assert client.post(answer_url(survey_round, partner), GOOD_SCORES).status_code == 403
    assert SurveyResponse.objects.get(partner=partner).remark == "Eerlijk gezegd"


@pytest.mark.django_db
@pytest.mark.parametrize("days", [(-20, -5), (2, 20)], ids=["closed", "not yet open"])
def test_a_round_that_is_not_open_takes_no_answers(contact, days):
    client, _user, partner = contact
    today = timezone.localdate()
    survey_round = open_round(opens_on=today + timedelta(days=days[0]),
                              closes_on=today + timedelta(days=days[1]))
    response = client.post(answer_url(survey_round, partner), GOOD_SCORES)
    assert response.status_code == 400
    assert b"utrecht-alert--error" in response.content
    assert not SurveyResponse.objects.exists()
    assert client.get(answer_url(survey_round, partner)).status_code == 400


@pytest.mark.django_db
def test_an_archived_partner_cannot_answer(contact):
    client, _user, partner = contact
    partner.archived_at = timezone.now()
    partner.save()
    response = client.post(answer_url(open_round(), partner), GOOD_SCORES)
    assert response.status_code == 400
    assert shows_message(response,
                         "This partner is no longer part of the coalition, so it cannot answer.")
    assert not SurveyResponse.objects.exists()


def answer_as_contact(survey_round, partner, answers):
    client = Client(HTTP_HOST="127.0.0.1")
    contact = make_staff(Role.PROVIDER)
    works_at(contact, partner.organisation)
    partner.contact_user = contact
    partner.save()
    login_verified(client, contact)
    assert client.post(answer_url(survey_round, partner), answers).status_code == 302


@pytest.mark.django_db
def test_the_results_show_only_with_three_partners(staff_client, client):
    survey_round = open_round()
    partners = [make_partner(name) for name in ("Een", "Twee", "Drie")]
    coordinator, _user = staff_client(Role.COORDINATOR)
    url = reverse("coalition_staff:network_health")
    for partner in partners[:2]:
        answer_as_contact(survey_round, partner, {**GOOD_SCORES, "shared_goal": "1"})
    page = coordinator.get(url)
    assert shows_message(page, "Not shown: fewer than %(min_responses)s partners answered.",
                         min_responses=3)
    assert "1,0" not in page.text

    answer_as_contact(survey_round, partners[2], {**GOOD_SCORES, "shared_goal": "4"})
    page = coordinator.get(url)
    assert "2,0" in page.text  # (1 + 1 + 4) / 3
