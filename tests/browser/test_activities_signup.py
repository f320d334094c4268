"""Signing up in a real browser: a resident signs up on an activity page, the task worker mails
the organiser and the resident, the resident cancels with the link in the mail, and the
organiser sees the cancellation. Every page the resident sees passes axe."""

import re

import pytest
from django.urls import reverse

from omzien.activities.models import Activity, SignUp
from omzien.core.models import Role
from tests.activities.factories import make_activity
from tests.browser.conftest import axe_check, log_in
from tests.conftest import make_organisation, make_staff

pytestmark = pytest.mark.browser


def submit(page):
    page.locator("#aanmelden form button[type=submit]").click()
    page.wait_for_load_state()


def test_resident_signs_up_and_cancels_and_the_organiser_sees_it(new_page, worker):
    buurthuis = make_organisation(name="Buurthuis De Schakel")
    kees = make_staff(Role.PROVIDER, buurthuis, first_name="Kees")
    activity = make_activity(
        organisation=buurthuis, title="Samen koken", join_method=Activity.JoinMethod.SIGN_UP,
        capacity=8, contact_email="kees@schakel.example",
    )

    # The resident finds the form on the activity page.
    page = new_page()
    page.goto(reverse("activities:detail", args=[activity.pk]))
    axe_check(page)
    form = page.locator("#aanmelden form")
    assert "Er zijn nog 8 plekken vrij" in page.locator("#aanmelden").inner_text()
    assert "Alleen Buurthuis De Schakel ziet uw naam" in form.inner_text()

    # Forgetting the contact details and the consent: clear messages, nothing stored.
    page.locator("#id_name").fill("Aaltje de Vries")
    submit(page)
    assert page.locator("[role=alert]").is_visible()
    errors = page.locator(".omzien-error").all_inner_texts()
    assert any("e-mailadres of een telefoonnummer" in text for text in errors)
    assert any("Zet een vinkje" in text for text in errors)
    assert not SignUp.objects.exists()
    axe_check(page)

    page.locator("#id_email").fill("aaltje@example.nl")
    page.locator("#id_phone").fill("06-12345678")
    page.locator("#id_party_size").fill("2")
    page.locator("#id_remark").fill("Ik ben vegetariër.")
    page.locator("#id_consent").check()
    submit(page)
    assert page.url.endswith(reverse("activities:signed_up", args=[activity.pk]))
    main = page.locator("main").inner_text()
    assert "U heeft 2 plekken bij Samen koken" in main
    assert "We hebben u een e-mail gestuurd" in main
    axe_check(page)
    thanks_url = page.url

    # The worker mails the organiser and the resident.
    to_organiser = worker.wait_for_mail("kees@schakel.example")
    organiser_text = to_organiser.get_content()
    assert "Samen koken" in to_organiser["Subject"]
    assert "Aaltje de Vries" in organiser_text and "Ik ben vegetariër." in organiser_text
    confirmation = worker.wait_for_mail("aaltje@example.nl")
    cancel_url = re.search(r"https?://\S+/activiteiten/afmelden/[\w-]+/",
                           confirmation.get_content()).group(0)

    # The resident cancels with the link in the mail.
    page = new_page()
    page.goto(thanks_url)  # a new browser without the session: not shown
    assert "Bedankt voor uw aanmelding" not in page.content()
    page.goto(cancel_url)
    axe_check(page)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert "U bent afgemeld" in page.locator("h1").inner_text()
    axe_check(page)
    assert SignUp.objects.get().status == SignUp.Status.CANCELLED

    # The organiser logs in and sees the cancelled sign-up.
    page = new_page()
    log_in(page, kees)
    page.goto(reverse("activities_staff:sign_up_overview"))
    axe_check(page)
    page.locator("main a", has_text="Samen koken").click()
    page.wait_for_load_state()
    cancelled = page.locator("#cancelled-heading + .omzien-table-wrap table").inner_text()
    assert "Aaltje de Vries" in cancelled
    assert "0 van 8" in page.locator("main dl").inner_text()
    axe_check(page)
