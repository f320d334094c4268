"""A new staff member from invitation to workspace, in a real browser with the real task worker."""

import re
from base64 import b32decode

import pytest
from django.urls import reverse
from django_otp.oath import totp

from omzien.core.models import Role
from tests.browser.conftest import log_in
from tests.conftest import make_organisation, make_staff

pytestmark = pytest.mark.browser

NEW_PASSWORD = "Zonnige-dinsdag-in-Omzienstad-7"


def submit(page):
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def test_administrator_invites_a_new_user_who_sets_up_their_account(new_page, worker):
    home_organisation = make_organisation(name="Gemeente Omzienstad")
    buurtwerk = make_organisation(name="Buurtwerk Noord")
    admin = make_staff(Role.ADMINISTRATOR, home_organisation)

    # The administrator logs in with password and code, and adds a user.
    page = new_page()
    log_in(page, admin)
    assert page.url.endswith(reverse("staff:home"))
    page.goto(reverse("staff:user_create"))
    page.locator("#id_username").fill("fatima")
    page.locator("#id_first_name").fill("Fatima")
    page.locator("#id_last_name").fill("El Amrani")
    page.locator("#id_email").fill("fatima@buurtwerk.example")
    page.locator("#id_roles-0-organisation").select_option(label="Buurtwerk Noord")
    page.locator("#id_roles-0-role").select_option(Role.PROVIDER.value)
    submit(page)
    assert page.url.endswith(reverse("staff:user_list"))
    assert page.locator("[role=status]").is_visible()
    assert page.get_by_role("cell", name="fatima", exact=True).is_visible()

    # The worker process sends the invitation, with a link to choose a password.
    mail = worker.wait_for_mail("fatima@buurtwerk.example")
    body = mail.get_body(preferencelist=("plain",)).get_content()
    assert "fatima" in body
    link = re.search(r"https?://\S+/wachtwoord/\S+/\S+/", body)
    assert link, f"No password link in the invitation:\n{body}"

    # Fatima, in her own browser, chooses a password and logs in.
    page = new_page()
    page.goto(link.group(0))
    page.locator("#id_new_password1").fill(NEW_PASSWORD)
    page.locator("#id_new_password2").fill(NEW_PASSWORD)
    submit(page)
    assert page.url.endswith(reverse("core:login"))
    page.locator("#id_username").fill("fatima")
    page.locator("#id_password").fill(NEW_PASSWORD)
    submit(page)

    # Her role sees personal data, so she must link an authenticator app first.
    assert reverse("core:two_factor_setup") in page.url
    assert page.locator(".omzien-qr svg").count() == 1
    key = b32decode(page.locator(".omzien-secret").inner_text().strip())
    page.locator("#id_token").fill(f"{totp(key):06d}")
    submit(page)
    codes = page.locator(".omzien-codes li")
    assert codes.count() == 10
    assert all(re.fullmatch(r"\w{6,}", text.strip()) for text in codes.all_inner_texts())

    page.locator("main a[href]").last.click()
    page.wait_for_load_state()
    assert page.url.endswith(reverse("staff:home"))
    assert "Fatima" in page.locator("main h1").inner_text()
    assert "Buurtwerk Noord" in page.locator("main").inner_text()
    assert buurtwerk.memberships.filter(user__username="fatima", role=Role.PROVIDER).exists()


def test_invitation_link_works_only_once(new_page, worker):
    admin = make_staff(Role.ADMINISTRATOR)
    page = new_page()
    log_in(page, admin)
    page.goto(reverse("staff:user_create"))
    page.locator("#id_username").fill("joost")
    page.locator("#id_email").fill("joost@example.org")
    page.locator("#id_roles-0-organisation").select_option(index=1)
    page.locator("#id_roles-0-role").select_option(Role.SIGNALLER.value)
    submit(page)
    body = worker.wait_for_mail("joost@example.org").get_body().get_content()
    link = re.search(r"https?://\S+/wachtwoord/\S+/\S+/", body).group(0)

    page = new_page()
    page.goto(link)
    page.locator("#id_new_password1").fill(NEW_PASSWORD)
    page.locator("#id_new_password2").fill(NEW_PASSWORD)
    submit(page)
    assert page.url.endswith(reverse("core:login"))

    # Someone opening the same link later (from the mailbox, say) cannot set the password again.
    other = new_page()
    other.goto(link)
    assert other.locator("#id_new_password1").count() == 0
    assert other.locator("main h1").count() == 1


def test_provider_cannot_open_user_management(page, transactional_db):
    provider = make_staff(Role.PROVIDER)
    log_in(page, provider)
    assert page.url.endswith(reverse("staff:home"))
    assert page.locator("main a[href='/werkplek/gebruikers/']").count() == 0

    response = page.goto(reverse("staff:user_list"))
    assert response.status == 403
    assert page.locator("main h1").inner_text() == "Geen toegang"
    assert page.locator("main a[href='/']").is_visible()
    assert page.locator("#id_username").count() == 0
