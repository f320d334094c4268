"""A resident signs up, gets a place or a place on the waiting list, and cancels by the link in
the confirmation mail; cancelling moves the waiting list up."""

import pytest
from django.core import mail
from django.urls import reverse

from omzien.activities.models import Activity, SignUp
from omzien.activities.services import signups as service
from omzien.activities.services.listings import set_status
from tests.activities.factories import make_activity
from tests.conftest import make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def tasks_run_at_once(settings):
    """Queued mails are sent during the test (after commit) instead of by the worker."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def sign_up_activity(**fields):
    defaults = {"join_method": Activity.JoinMethod.SIGN_UP, "contact_email": "kees@buurthuis.nl"}
    return make_activity(**{**defaults, **fields})


def form_data(**overrides):
    data = {"name": "Aaltje de Vries", "email": "aaltje@example.nl", "phone": "",
            "party_size": "1", "remark": "", "consent": "on"}
    return {**data, **overrides}


def post_sign_up(client, activity, capture, **overrides):
    with capture(execute=True):
        return client.post(reverse("activities:sign_up", args=[activity.pk]),
                           form_data(**overrides))


def by_name(name):
    """Names are encrypted, so the database cannot look them up: search in Python."""
    [found] = [item for item in SignUp.objects.all() if item.name == name]
    return found


def cancel_link(message):
    """The path of the cancel link in a confirmation mail."""
    [line] = [line for line in message.body.splitlines() if "/activiteiten/afmelden/" in line]
    return line.strip().removeprefix("http://127.0.0.1")


def test_sign_up_gives_a_place_and_mails_organiser_and_resident(
    client, django_capture_on_commit_callbacks
):
    activity = sign_up_activity(capacity=10, title="Samen koken")
    response = post_sign_up(client, activity, django_capture_on_commit_callbacks,
                            party_size="2", remark="Ik kom met mijn buurvrouw.")

    assert response.status_code == 302
    assert response.url == reverse("activities:signed_up", args=[activity.pk])
    sign_up = SignUp.objects.get()
    assert sign_up.status == SignUp.Status.CONFIRMED and sign_up.party_size == 2
    thanks = client.get(response.url)
    assert "U heeft 2 plekken bij Samen koken" in thanks.content.decode()

    [organiser] = [message for message in mail.outbox if message.to == ["kees@buurthuis.nl"]]
    [resident] = [message for message in mail.outbox if message.to == ["aaltje@example.nl"]]
    assert organiser.to == ["kees@buurthuis.nl"]
    assert "Samen koken" in organiser.subject and "Aaltje" not in organiser.subject
    assert "Aaltje de Vries" in organiser.body and "Ik kom met mijn buurvrouw." in organiser.body
    dashboard = reverse("activities_staff:sign_ups", args=[activity.pk])
    assert f"http://127.0.0.1{dashboard}" in organiser.body
    assert resident.to == ["aaltje@example.nl"]
    assert f"/activiteiten/afmelden/{sign_up.cancel_token}/" in resident.body
    assert "http://127.0.0.1/activiteiten/afmelden/" in resident.body  # an absolute link


def test_organiser_mail_goes_to_the_organisation_without_a_contact_address(
    client, django_capture_on_commit_callbacks
):
    activity = sign_up_activity(contact_email="")
    activity.organisation.email = "info@buurthuis.nl"
    activity.organisation.save()
    post_sign_up(client, activity, django_capture_on_commit_callbacks, email="",
                 phone="06-12345678")
    [message] = mail.outbox  # no e-mail address given: no confirmation
    assert message.to == ["info@buurthuis.nl"]
    assert "06-12345678" in message.body


def test_past_capacity_sign_ups_go_on_the_waiting_list_in_order(
    client, django_capture_on_commit_callbacks
):
    activity = sign_up_activity(capacity=3)
    post_sign_up(client, activity, django_capture_on_commit_callbacks, party_size="2")
    post_sign_up(client, activity, django_capture_on_commit_callbacks, name="Bep",
                 party_size="2")
    response = post_sign_up(client, activity, django_capture_on_commit_callbacks, name="Cor")

    statuses = list(SignUp.objects.values_list("name", "status"))
    assert statuses == [("Aaltje de Vries", "confirmed"), ("Bep", "waiting"), ("Cor", "confirmed")]
    assert service.availability(activity).free == 0
    # A party that did not fit waits even though a smaller one after it got the last place.
    bep = by_name("Bep")
    assert service.waiting_position(bep) == 1
    assert response.status_code == 302


def test_thank_you_page_tells_the_number_on_the_waiting_list(
    client, django_capture_on_commit_callbacks
):
    activity = sign_up_activity(capacity=1, title="Wandelen")
    post_sign_up(client, activity, django_capture_on_commit_callbacks)
    post_sign_up(client, activity, django_capture_on_commit_callbacks, name="Bep")
    response = post_sign_up(client, activity, django_capture_on_commit_callbacks, name="Cor")
    page = client.get(response.url).content.decode()
    assert "nummer 2 op de wachtlijst" in page
    waiting_mail = mail.outbox[-1]
    assert "nummer 2" in waiting_mail.body and waiting_mail.to == ["aaltje@example.nl"]


def test_full_without_waiting_list_is_refused_and_nothing_is_stored(
    client, django_capture_on_commit_callbacks
):
    activity = sign_up_activity(capacity=2, waiting_list=False)
    post_sign_up(client, activity, django_capture_on_commit_callbacks, party_size="2")
    page = client.get(reverse("activities:sign_up", args=[activity.pk])).content.decode()
    assert "deze activiteit is vol" in page and "<form method=\"post\" action" not in page

    response = post_sign_up(client, activity, django_capture_on_commit_callbacks, name="Bep")
    assert response.status_code == 400
    assert "deze activiteit is vol" in response.content.decode()
    assert SignUp.objects.count() == 1


def test_a_party_larger_than_all_places_is_refused(client, django_capture_on_commit_callbacks):
    activity = sign_up_activity(capacity=4)
    response = post_sign_up(client, activity, django_capture_on_commit_callbacks,
                            party_size="5")
    assert response.status_code == 400
    assert "4 plekken" in response.content.decode()
    assert not SignUp.objects.exists()


def test_party_larger_than_the_places_left_waits(client, django_capture_on_commit_callbacks):
    activity = sign_up_activity(capacity=5)
    post_sign_up(client, activity, django_capture_on_commit_callbacks, party_size="3")
    post_sign_up(client, activity, django_capture_on_commit_callbacks, name="Bep",
                 party_size="3")
    assert by_name("Bep").status == SignUp.Status.WAITING
    assert service.availability(activity).taken == 3


def test_cancelling_moves_the_waiting_list_up_and_mails_who_got_a_place(
    client, django_capture_on_commit_callbacks
):
    activity = sign_up_activity(capacity=3, title="Koersbal")
    post_sign_up(client, activity, django_capture_on_commit_callbacks, party_size="3")
    post_sign_up(client, activity, django_capture_on_commit_callbacks, name="Bep",
                 email="bep@example.nl", party_size="4")  # larger than 3: refused
    post_sign_up(client, activity, django_capture_on_commit_callbacks, name="Bep",
                 email="bep@example.nl", party_size="2")
    post_sign_up(client, activity, django_capture_on_commit_callbacks, name="Cor",
                 email="cor@example.nl", party_size="2")
    first = by_name("Aaltje de Vries")
    link = cancel_link(next(m for m in mail.outbox if m.to == ["aaltje@example.nl"]))
    mail.outbox.clear()

    confirm_page = client.get(link)
    assert confirm_page.status_code == 200
    assert "Ja, meld mij af" in confirm_page.content.decode()
    first.refresh_from_db()
    assert first.status == SignUp.Status.CONFIRMED  # a GET (a mail scanner) changes nothing

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(link)
    assert response.status_code == 302
    assert "U bent afgemeld" in client.get(link).content.decode()

    statuses = dict(SignUp.objects.values_list("name", "status"))
    # Bep (2) fits in the 3 free places and moves up; Cor (2) does not fit any more.
    assert statuses == {"Aaltje de Vries": "cancelled", "Bep": "confirmed", "Cor": "waiting"}
    recipients = sorted(message.to[0] for message in mail.outbox)
    assert recipients == ["bep@example.nl", "kees@buurthuis.nl", "kees@buurthuis.nl"]
    bep_mail = next(m for m in mail.outbox if m.to == ["bep@example.nl"])
    assert "Koersbal" in bep_mail.subject and "/activiteiten/afmelden/" in bep_mail.body


def test_cancelling_twice_is_harmless(client, django_capture_on_commit_callbacks):
    activity = sign_up_activity(capacity=1)
    post_sign_up(client, activity, django_capture_on_commit_callbacks)
    post_sign_up(client, activity, django_capture_on_commit_callbacks, name="Bep")
    post_sign_up(client, activity, django_capture_on_commit_callbacks, name="Cor")
    aaltje = by_name("Aaltje de Vries")
    link = reverse("activities:cancel_sign_up", args=[aaltje.cancel_token])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(link)
        client.post(link)
    statuses = dict(SignUp.objects.values_list("name", "status"))
    # Only one place came free: only Bep moved up, Cor still waits.
    assert statuses == {"Aaltje de Vries": "cancelled", "Bep": "confirmed", "Cor": "waiting"}


@pytest.mark.parametrize("token", ["onbekend", "a" * 65, "x" * 2000])
def test_unknown_cancel_tokens_are_not_found(client, token):
    assert client.get(f"/activiteiten/afmelden/{token}/").status_code == 404
    assert client.post(f"/activiteiten/afmelden/{token}/").status_code == 404


@pytest.mark.parametrize("path", ["/activiteiten/afmelden/%00/", "/activiteiten/afmelden/../"])
def test_malformed_cancel_paths_are_not_found(client, path):
    assert client.get(path).status_code == 404


def test_thank_you_page_only_for_who_signed_up(client, django_capture_on_commit_callbacks):
    activity = sign_up_activity()
    assert client.get(reverse("activities:signed_up", args=[activity.pk])).status_code == 404


@pytest.mark.parametrize("join_method, expected", [
    (Activity.JoinMethod.WALK_IN, "Kom gewoon langs"),
    (Activity.JoinMethod.EXTERNAL, "https://aanmelden.example/koken"),
])
def test_other_ways_to_join_show_no_form(client, join_method, expected):
    activity = make_activity(join_method=join_method, join_url="https://aanmelden.example/koken")
    page = client.get(reverse("activities:sign_up", args=[activity.pk])).content.decode()
    assert expected in page
    assert 'name="consent"' not in page
    response = client.post(reverse("activities:sign_up", args=[activity.pk]), form_data())
    assert response.status_code == 400
    assert not SignUp.objects.exists()


@pytest.mark.parametrize("fields", [
    {"status": Activity.Status.PAUSED},
    {"review_state": Activity.ReviewState.PENDING},
    {"status": Activity.Status.ENDED},
])
def test_no_sign_ups_unless_published_and_active(client, fields):
    activity = sign_up_activity(**fields)
    response = client.post(reverse("activities:sign_up", args=[activity.pk]), form_data())
    assert response.status_code in {400, 404}
    assert not SignUp.objects.exists()


def test_the_form_explains_what_happens_with_the_data(client, settings):
    settings.OMZIEN_SIGN_UP_RETENTION_DAYS = 60
    activity = sign_up_activity(capacity=10)
    page = client.get(reverse("activities:sign_up", args=[activity.pk])).content.decode()
    assert f"Alleen {activity.organisation.name} ziet" in page
    assert "60 dagen na de activiteit" in page
    assert "Er zijn nog 10 plekken vrij" in page


def test_more_places_move_the_waiting_list_up(client, django_capture_on_commit_callbacks):
    activity = sign_up_activity(capacity=1)
    post_sign_up(client, activity, django_capture_on_commit_callbacks)
    post_sign_up(client, activity, django_capture_on_commit_callbacks, name="Bep",
                 email="bep@example.nl")
    mail.outbox.clear()
    Activity.objects.filter(pk=activity.pk).update(capacity=2)
    with django_capture_on_commit_callbacks(execute=True):
        promoted = service.give_free_places(activity.pk, "http://127.0.0.1")
    assert [item.name for item in promoted] == ["Bep"]
    assert by_name("Bep").status == SignUp.Status.CONFIRMED
    assert "bep@example.nl" in {message.to[0] for message in mail.outbox}


def test_cancelling_for_an_ended_activity_gives_nobody_a_place(
    client, django_capture_on_commit_callbacks
):
    activity = sign_up_activity(capacity=1, title="Koersbal")
    post_sign_up(client, activity, django_capture_on_commit_callbacks)
    post_sign_up(client, activity, django_capture_on_commit_callbacks, name="Bep",
                 email="bep@example.nl")
    Activity.objects.filter(pk=activity.pk).update(status=Activity.Status.ENDED)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        service.cancel(by_name("Aaltje de Vries").pk, "http://testserver")
    assert by_name("Bep").status == SignUp.Status.WAITING
    assert not [message for message in mail.outbox if message.to == ["bep@example.nl"]]


def test_residents_hear_when_the_organiser_ends_the_activity(
    client, django_capture_on_commit_callbacks, settings
):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    activity = sign_up_activity(capacity=1, title="Koersbal")
    post_sign_up(client, activity, django_capture_on_commit_callbacks)
    post_sign_up(client, activity, django_capture_on_commit_callbacks, name="Bep",
                 email="bep@example.nl")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        set_status(make_staff("coordinator"), activity, Activity.Status.ENDED)
    stopped = sorted(message.to[0] for message in mail.outbox)
    assert stopped == ["aaltje@example.nl", "bep@example.nl"]
    assert "Koersbal gaat niet meer door" in mail.outbox[0].subject
    assert "/activiteiten/" in mail.outbox[0].body
