"""The organiser's sign-up pages: only the provider of the activity's own organisation sees
them, every look and export is in the audit log, the CSV cannot run formulas."""

import csv
import io

import pytest
from django.urls import reverse

from omzien.activities.models import SignUp
from omzien.activities.services import signups as service
from omzien.core.models import AuditEvent, Role
from tests.activities.factories import make_activity
from tests.activities.test_signups_flow import sign_up_activity
from tests.conftest import login_verified, make_organisation, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def tasks_run_at_once(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def add_sign_up(activity, name="Aaltje de Vries", **fields):
    data = {"email": "aaltje@example.nl", "phone": "", "party_size": 1, "remark": ""}
    return service.sign_up(activity.pk, "http://127.0.0.1", name=name, **{**data, **fields})


@pytest.fixture
def activity():
    return sign_up_activity(organisation=make_organisation(name="Buurthuis De Schakel"),
                            capacity=4, title="Samen koken")


@pytest.fixture
def organiser(activity):
    return make_staff(Role.PROVIDER, activity.organisation)


def staff_pages(activity, sign_up):
    return [
        ("get", reverse("activities_staff:sign_ups", args=[activity.pk])),
        ("get", reverse("activities_staff:sign_ups_export", args=[activity.pk])),
        ("get", reverse("activities_staff:sign_up_overview")),
        ("post", reverse("activities_staff:mark_attendance", args=[activity.pk, sign_up.pk])),
        ("post", reverse("activities_staff:cancel_sign_up", args=[activity.pk, sign_up.pk])),
    ]


def test_the_organiser_sees_places_and_every_sign_up(client, activity, organiser):
    add_sign_up(activity, party_size=3, remark="Ik ben vegetariër.")
    add_sign_up(activity, name="Bep Jansen", party_size=2, phone="06-12345678", email="")
    cancelled = add_sign_up(activity, name="Cor Smit")
    service.cancel(cancelled.pk, "http://127.0.0.1")
    login_verified(client, organiser)

    response = client.get(reverse("activities_staff:sign_ups", args=[activity.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    for text in ("Aaltje de Vries", "Ik ben vegetariër.", "Bep Jansen", "06-12345678",
                 "Cor Smit", "3 van 4", "Met een plek", "Wachtlijst", "Afgemeld"):
        assert text in page
    assert response.context["waiting"][0].name == "Bep Jansen"
    assert [item.name for item in response.context["cancelled"]] == ["Cor Smit"]
    event = AuditEvent.objects.get(action=AuditEvent.Action.VIEW)
    assert event.user == organiser and event.object_id == str(activity.pk)
    assert event.detail == {"what": "sign_ups", "count": 3}


@pytest.mark.parametrize("role", [Role.CONSULTANT, Role.COORDINATOR, Role.POLICY_OFFICER,
                                  Role.ADMINISTRATOR, Role.SIGNALLER])
def test_other_roles_of_the_same_organisation_get_403(client, activity, role):
    sign_up = add_sign_up(activity)
    login_verified(client, make_staff(role, activity.organisation))
    for method, url in staff_pages(activity, sign_up):
        assert getattr(client, method)(url, {"attended": "yes"}).status_code == 403, url
    sign_up.refresh_from_db()
    assert sign_up.attended is None and sign_up.status == SignUp.Status.CONFIRMED
    assert not AuditEvent.objects.filter(object_type="activities.Activity").exists()


def test_a_provider_of_another_organisation_gets_403(client, activity):
    sign_up = add_sign_up(activity)
    stranger = make_staff(Role.PROVIDER, make_organisation(name="Sportclub"))
    login_verified(client, stranger)
    for method, url in staff_pages(activity, sign_up)[:2] + staff_pages(activity, sign_up)[3:]:
        assert getattr(client, method)(url, {"attended": "yes"}).status_code == 403, url
    # Their own overview works, but does not list the other organisation's activity.
    overview = client.get(reverse("activities_staff:sign_up_overview"))
    assert overview.status_code == 200
    assert "Samen koken" not in overview.content.decode()


def test_a_provider_without_two_factor_is_sent_to_set_it_up(client, activity):
    sign_up = add_sign_up(activity)
    client.force_login(make_staff(Role.PROVIDER, activity.organisation, with_device=False))
    for method, url in staff_pages(activity, sign_up):
        response = getattr(client, method)(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("core:two_factor_setup"))
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.VIEW).exists()


def test_anonymous_visitors_are_sent_to_log_in(client, activity):
    sign_up = add_sign_up(activity)
    for method, url in staff_pages(activity, sign_up):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/inloggen/" in response["Location"]


def test_unknown_activity_or_sign_up_of_another_activity_is_not_found(
    client, activity, organiser
):
    other = add_sign_up(sign_up_activity(organisation=activity.organisation))
    login_verified(client, organiser)
    assert client.get("/werkplek/aanbod/activiteiten/99999999/aanmeldingen/").status_code == 404
    assert client.get(
        "/werkplek/aanbod/activiteiten/99999999999999999999999/aanmeldingen/"
    ).status_code == 404
    url = reverse("activities_staff:mark_attendance", args=[activity.pk, other.pk])
    assert client.post(url, {"attended": "yes"}).status_code == 404


def test_marking_who_came(client, activity, organiser):
    sign_up = add_sign_up(activity)
    login_verified(client, organiser)
    url = reverse("activities_staff:mark_attendance", args=[activity.pk, sign_up.pk])

    assert client.get(url).status_code == 405
    response = client.post(url, {"attended": "yes"})
    assert response.status_code == 302
    sign_up.refresh_from_db()
    assert sign_up.attended is True
    event = AuditEvent.objects.get(action=AuditEvent.Action.UPDATE)
    assert event.object_id == str(sign_up.pk) and event.detail["attended"] == "yes"
    assert "Aaltje" not in event.object_repr  # the log holds no personal data

    client.post(url, {"attended": "no"})
    sign_up.refresh_from_db()
    assert sign_up.attended is False

    response = client.post(url, {"attended": "misschien"}, follow=True)
    assert "Kies of ze gekomen zijn" in response.content.decode()
    sign_up.refresh_from_db()
    assert sign_up.attended is False


def test_organiser_cancels_for_a_resident_and_the_waiting_list_moves_up(
    client, activity, organiser
):
    first = add_sign_up(activity, party_size=4)
    waiting = add_sign_up(activity, name="Bep Jansen", party_size=2)
    assert waiting.status == SignUp.Status.WAITING
    login_verified(client, organiser)
    url = reverse("activities_staff:cancel_sign_up", args=[activity.pk, first.pk])
    response = client.post(url, follow=True)
    assert response.status_code == 200
    first.refresh_from_db()
    waiting.refresh_from_db()
    assert first.status == SignUp.Status.CANCELLED
    assert waiting.status == SignUp.Status.CONFIRMED


def test_csv_export_has_every_sign_up_and_cannot_run_formulas(client, activity, organiser):
    add_sign_up(activity, name="=HYPERLINK(\"http://evil.example\")", remark="+31 bellen",
                phone="06-12345678", party_size=2)
    add_sign_up(activity, name="@SUM(A1)", remark="-2 stoelen", email="bep@example.nl")
    login_verified(client, organiser)

    response = client.get(reverse("activities_staff:sign_ups_export", args=[activity.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:4] == ["Naam", "E-mailadres", "Telefoonnummer", "Aantal personen"]
    assert rows[1][0] == "'=HYPERLINK(\"http://evil.example\")"
    assert rows[1][2] == "06-12345678"  # harmless values stay as they are
    assert rows[1][4] == "'+31 bellen"
    assert rows[2][0] == "'@SUM(A1)" and rows[2][4] == "'-2 stoelen"
    assert rows[1][5] == "heeft een plek"
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert event.user == organiser and event.detail["count"] == 2


def test_overview_counts_new_sign_ups_since_the_last_look(client, activity, organiser):
    add_sign_up(activity)
    add_sign_up(activity, name="Bep Jansen")
    walk_in = make_activity(organisation=activity.organisation, title="Inloop")
    login_verified(client, organiser)

    overview = client.get(reverse("activities_staff:sign_up_overview"))
    [row] = overview.context["activities"]
    assert row == activity and row.new_sign_ups == 2 and row.people == 2
    assert walk_in.title not in overview.content.decode()

    client.get(reverse("activities_staff:sign_ups", args=[activity.pk]))
    add_sign_up(activity, name="Cor Smit")
    [row] = client.get(reverse("activities_staff:sign_up_overview")).context["activities"]
    assert row.new_sign_ups == 1 and row.people == 3
