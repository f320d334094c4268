"""The sign-up form: clear Dutch messages for missing or malformed input, never an error page,
nothing stored when refused; and two residents at once never both get the last place."""

import threading

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from omzien.activities.forms.signups import phone_digits
from omzien.activities.models import SignUp
from omzien.activities.services import signups as service
from omzien.activities.views.signups import SIGN_UPS_PER_ADDRESS
from tests.activities.test_signups_flow import form_data, sign_up_activity


@pytest.fixture(autouse=True)
def tasks_run_at_once(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def post(client, activity, **overrides):
    return client.post(reverse("activities:sign_up", args=[activity.pk]), form_data(**overrides))


@pytest.mark.parametrize("number", [
    "06-12345678", "0612345678", "+31 6 1234 5678", "+31 (0)6 12345678", "0031612345678",
    "010-1234567", "(010) 123 45 67", "0800-1234567", "0800-0113", "+32 470 12 34 56",
])
def test_dutch_and_international_phone_numbers_pass(number):
    assert phone_digits(number) is not None


@pytest.mark.parametrize("number", [
    "12345", "06-1234567", "06-123456789", "+31 6 1234 567", "bel mij", "06-1234567a",
    "+316123456789", "00-00000000", "=1+1",
])
def test_malformed_phone_numbers_are_refused(number):
    assert phone_digits(number) is None


@pytest.mark.django_db
@pytest.mark.parametrize("overrides, field, message", [
    ({"name": ""}, "name", "Vul uw naam in."),
    ({"name": "   "}, "name", "Vul uw naam in."),
    ({"email": "", "phone": ""}, "email", "Vul een e-mailadres of een telefoonnummer in"),
    ({"email": "aaltje@"}, "email", "Dit is geen e-mailadres."),
    ({"email": "", "phone": "1234"}, "phone", "Dit is geen telefoonnummer."),
    ({"party_size": "0"}, "party_size", "Vul minstens 1 in: uzelf."),
    ({"party_size": "21"}, "party_size", "hoogstens 20 personen"),
    ({"party_size": "twee"}, "party_size", "Vul een heel getal in"),
    ({"party_size": ""}, "party_size", "Vul in met hoeveel personen u komt."),
    ({"consent": ""}, "consent", "Zet een vinkje"),
])
def test_missing_or_malformed_input_comes_back_with_a_dutch_message(
    client, overrides, field, message
):
    activity = sign_up_activity(capacity=5)
    response = post(client, activity, **overrides)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert f'id="id_{field}_error"' in page
    assert 'role="alert"' in page
    assert not SignUp.objects.exists()


@pytest.mark.django_db
def test_phone_only_is_enough_and_kept_readable(client):
    activity = sign_up_activity()
    response = post(client, activity, email="", phone="  +31 6 1234   5678 ")
    assert response.status_code == 302
    assert SignUp.objects.get().phone == "+31 6 1234 5678"


@pytest.mark.django_db
def test_sign_up_form_for_an_unknown_activity_is_not_found(client):
    assert client.get("/activiteiten/999999999/aanmelden/").status_code == 404
    assert client.post("/activiteiten/99999999999999999999999/aanmelden/",
                       form_data()).status_code == 404


hostile_text = st.one_of(
    st.text(max_size=300),
    st.sampled_from(["=HYPERLINK(\"http://x\")", "<script>alert(1)</script>", "\x00", "\r\n",
                     "'; DROP TABLE activities_signup; --", "a" * 5000, "06-12345678",
                     "aaltje@example.nl", "1", "-1", "20", "99999999999999999999", "on"]),
)


@pytest.mark.django_db
@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(fields=st.dictionaries(
    st.sampled_from(["name", "email", "phone", "party_size", "remark", "consent"]),
    hostile_text,
))
def test_hostile_input_never_breaks_the_page(client, fields):
    cache.clear()  # every example is a fresh visitor, not one address signing up 60 times
    activity = sign_up_activity(capacity=3)
    before = SignUp.objects.count()
    response = client.post(reverse("activities:sign_up", args=[activity.pk]), fields)
    assert response.status_code in {302, 400}
    stored = SignUp.objects.count() - before
    assert stored == (1 if response.status_code == 302 else 0)
    if stored:
        sign_up = SignUp.objects.latest("pk")
        assert "\x00" not in sign_up.name and sign_up.name.strip()
        assert sign_up.email or sign_up.phone
        assert 1 <= sign_up.party_size <= 20


@pytest.mark.django_db(transaction=True)
def test_two_residents_at_once_never_both_get_the_last_places():
    activity = sign_up_activity(capacity=3, waiting_list=False)
    results = []
    start = threading.Barrier(6)

    def resident(number):
        try:
            start.wait()
            response = Client(HTTP_HOST="127.0.0.1").post(
                reverse("activities:sign_up", args=[activity.pk]),
                form_data(name=f"Bewoner {number}"),
            )
            results.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=resident, args=(number,)) for number in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(results) == [302, 302, 302, 400, 400, 400]
    assert service.availability(activity).taken == 3
    assert SignUp.objects.count() == 3


@pytest.mark.django_db
def test_one_address_signing_up_again_and_again_is_stopped(client):
    activity = sign_up_activity(capacity=100)
    for _number in range(SIGN_UPS_PER_ADDRESS):
        assert post(client, activity).status_code == 302
    before = SignUp.objects.count()
    response = post(client, activity)
    assert response.status_code == 429
    assert "Probeer het over een uur opnieuw" in response.content.decode()
    assert SignUp.objects.count() == before
