"""Login, two-factor authentication, lock-out and sessions, as a staff member meets them."""

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from omzien.core import services
from omzien.core.models import AuditEvent, Role
from tests.conftest import TEST_PASSWORD, current_totp, make_staff

pytestmark = pytest.mark.django_db


def log_in(client, user, password=TEST_PASSWORD, next_url=""):
    data = {"username": user.username, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("core:login"), data)


def test_consultant_must_enter_a_code_before_the_workspace(client):
    user = make_staff(Role.CONSULTANT)
    response = log_in(client, user)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("core:two_factor_verify"))
    # Typing the workspace address does not skip the second step.
    response = client.get(reverse("staff:home"))
    assert response["Location"].startswith(reverse("core:two_factor_verify"))


def test_correct_code_opens_the_workspace_and_is_logged(client):
    user = make_staff(Role.CONSULTANT)
    log_in(client, user)
    response = client.post(reverse("core:two_factor_verify"), {"token": current_totp(user)})
    assert response.status_code == 302
    assert client.get(reverse("staff:home")).status_code == 200
    actions = set(AuditEvent.objects.filter(user=user).values_list("action", flat=True))
    assert {AuditEvent.Action.LOGIN, AuditEvent.Action.TWO_FACTOR} <= actions


def test_wrong_code_is_refused_with_a_message(client):
    user = make_staff(Role.PROVIDER)
    log_in(client, user)
    wrong = f"{(int(current_totp(user)) + 1) % 1_000_000:06d}"
    response = client.post(reverse("core:two_factor_verify"), {"token": wrong})
    assert response.status_code == 400
    assert b"omzien-error" in response.content
    assert client.get(reverse("staff:home"))["Location"].startswith(
        reverse("core:two_factor_verify")
    )


def test_backup_code_works_once(client):
    user = make_staff(Role.ADMINISTRATOR)
    [code] = services.issue_backup_codes(user, count=1)
    log_in(client, user)
    assert client.post(reverse("core:two_factor_verify"), {"token": code}).status_code == 302
    client.post(reverse("core:logout"))
    log_in(client, user)
    assert client.post(reverse("core:two_factor_verify"), {"token": code}).status_code == 400
    assert not StaticToken.objects.filter(token=code).exists()


def test_new_user_links_an_app_and_gets_backup_codes(client):
    user = make_staff(Role.COORDINATOR, with_device=False)
    response = log_in(client, user)
    assert response["Location"].startswith(reverse("core:two_factor_setup"))
    page = client.get(reverse("core:two_factor_setup"))
    assert page.status_code == 200
    assert b"<svg" in page.content  # the QR code is drawn in the page itself
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert services.totp_secret_base32(device).encode() in page.content
    code = f"{totp(device.bin_key):06d}"
    response = client.post(reverse("core:two_factor_setup"), {"token": code})
    assert response.status_code == 200
    assert len(response.context["codes"]) == 10
    assert client.get(reverse("staff:home")).status_code == 200


def test_password_alone_cannot_link_a_second_app(client):
    user = make_staff(Role.CONSULTANT)
    log_in(client, user)
    response = client.get(reverse("core:two_factor_setup"))
    assert response["Location"].startswith(reverse("core:two_factor_verify"))
    assert not TOTPDevice.objects.filter(user=user, confirmed=False).exists()


def test_policy_officer_sees_no_personal_data_and_needs_no_app(client):
    user = make_staff(Role.POLICY_OFFICER, with_device=False)
    log_in(client, user)
    assert client.get(reverse("staff:home")).status_code == 200


def test_repeated_failures_lock_the_login(client, settings):
    user = make_staff(Role.SIGNALLER)
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        response = log_in(client, user, password="wrong password")
    assert response.status_code in {403, 429}
    # Even the right password is refused while locked.
    response = log_in(client, user)
    assert response.status_code in {403, 429}
    assert b"30" in response.content
    assert client.get(reverse("staff:home")).status_code == 302


def test_wrong_password_shows_a_message_not_an_error_page(client):
    user = make_staff(Role.SIGNALLER)
    response = log_in(client, user, password="not it")
    assert response.status_code == 200
    assert response.context["form"].errors


def test_next_parameter_cannot_send_users_elsewhere(client):
    user = make_staff(Role.CONSULTANT)
    log_in(client, user)
    response = client.post(
        reverse("core:two_factor_verify") + "?next=https://evil.example/",
        {"token": current_totp(user)},
    )
    assert response["Location"] == reverse("staff:home")


def test_logout_needs_post(client):
    user = make_staff(Role.POLICY_OFFICER, with_device=False)
    log_in(client, user)
    assert client.get(reverse("core:logout")).status_code == 405
    client.post(reverse("core:logout"))
    assert client.get(reverse("staff:home")).status_code == 302


def test_sessions_expire_after_idle_time(client, settings):
    user = make_staff(Role.POLICY_OFFICER, with_device=False)
    log_in(client, user)
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE <= 30 * 60
    session = client.session
    session.set_expiry(-1)
    session.save()
    assert client.get(reverse("staff:home")).status_code == 302


def test_after_the_code_the_user_reaches_the_page_they_asked_for(client):
    user = make_staff(Role.ADMINISTRATOR)
    wanted = reverse("staff:audit_log") + "?user=a&page=2"
    response = log_in(client, user, next_url=wanted)
    response = client.post(response["Location"], {"token": current_totp(user)})
    assert response["Location"] == wanted


def test_failed_logins_are_in_the_audit_log(client):
    user = make_staff(Role.SIGNALLER)
    log_in(client, user, password="wrong password")
    event = AuditEvent.objects.get(action=AuditEvent.Action.LOGIN_FAILED)
    assert event.detail["username_tried"] == user.username
    assert "wrong password" not in str(event.detail)
