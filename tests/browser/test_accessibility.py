"""Every page that exists passes axe-core's WCAG 2.1 A and AA rules in a real browser, and the
public pages and the login work without JavaScript."""

import pytest
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from omzien.core.models import Area, AuditEvent, Role
from omzien.core.services import record_audit_event
from omzien.core.urls import staff_urlpatterns
from tests.browser.conftest import axe_check, log_in, log_in_with_cookie
from tests.conftest import TEST_PASSWORD, make_organisation, make_staff

pytestmark = pytest.mark.browser

PUBLIC_PAGES = ["/", "/privacy/", "/toegankelijkheid/", "/inloggen/", "/deze-pagina-bestaat-niet/"]

STAFF_PATTERNS = staff_urlpatterns[0]
# Which test object fills the URL of a staff page that shows one object. A new staff page with
# an object in its URL must be added here, so that no page escapes the check.
OBJECT_FOR_PAGE = {
    "organisation_detail": "organisation",
    "organisation_edit": "organisation",
    "user_edit": "user",
}


def staff_url(pattern, objects):
    keys = set(pattern.pattern.converters)
    if not keys:
        return reverse(f"staff:{pattern.name}")
    if pattern.name not in OBJECT_FOR_PAGE:
        pytest.fail(f"Add staff page {pattern.name!r} to OBJECT_FOR_PAGE in {__file__}.")
    shown = objects[OBJECT_FOR_PAGE[pattern.name]]
    return reverse(f"staff:{pattern.name}", kwargs={"pk": shown.pk})


def heading(page):
    return page.locator("main h1").inner_text()


def test_pages_are_styled_with_the_municipality_theme(page, transactional_db):
    # Without its style sheets a page would still pass most checks, so check they arrive.
    page.goto("/")
    header = page.locator("header.utrecht-page-header")
    colour = header.evaluate("element => getComputedStyle(element).backgroundColor")
    red, green, blue = (int(settings.OMZIEN_MUNICIPALITY["primary_color"][i:i + 2], 16)
                        for i in (1, 3, 5))
    assert colour == f"rgb({red}, {green}, {blue})"


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_page_is_accessible(page, path):
    response = page.goto(path)
    assert response.status == (404 if "bestaat-niet" in path else 200)
    assert page.locator("main h1").count() == 1
    axe_check(page)


@pytest.fixture
def administrator(transactional_db):
    """An administrator in a small world, so that lists and detail pages have rows to show."""
    municipality = Area.objects.create(code="GM9999", kind=Area.Kind.MUNICIPALITY,
                                       name="Omzienstad", population=52000)
    Area.objects.create(code="WK999901", kind=Area.Kind.DISTRICT, name="Centrum",
                        parent=municipality)
    organisation = make_organisation(name="Welzijn Omzienstad", city="Omzienstad",
                                     postcode="9999 ZZ")
    organisation.areas.add(municipality)
    admin = make_staff(Role.ADMINISTRATOR, organisation, first_name="Ada", last_name="Beheer")
    colleague = make_staff(Role.PROVIDER, organisation, first_name="Piet", last_name="Aanbod")
    record_audit_event(admin, AuditEvent.Action.UPDATE, organisation, detail={"fields": ["name"]})
    return admin, {"organisation": organisation, "user": colleague}


@pytest.mark.parametrize("pattern", STAFF_PATTERNS, ids=lambda pattern: pattern.name)
def test_staff_page_is_accessible(page, live_server, client, administrator, pattern):
    admin, objects = administrator
    log_in_with_cookie(page, live_server, admin, client)
    response = page.goto(staff_url(pattern, objects))
    assert response.status == 200, f"{pattern.name} answered {response.status}"
    assert page.locator("main h1").count() == 1
    axe_check(page)


@pytest.mark.parametrize("role", list(Role))
def test_workspace_home_is_accessible_for_every_role(page, live_server, client, role):
    log_in_with_cookie(page, live_server, make_staff(role), client)
    assert page.goto(reverse("staff:home")).status == 200
    axe_check(page)


@pytest.mark.parametrize("path", ["/werkplek/organisaties/nieuw/", "/werkplek/gebruikers/nieuw/"])
def test_form_with_errors_is_accessible(page, live_server, client, administrator, path):
    log_in_with_cookie(page, live_server, administrator[0], client)
    page.goto(path)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("[role=alert]").is_visible()
    assert page.locator(".utrecht-form-field--invalid").count() >= 1
    axe_check(page)


def test_login_with_wrong_password_is_accessible(page, transactional_db):
    user = make_staff(Role.PROVIDER)
    log_in(page, user, password="not the password")
    assert page.locator("[role=alert]").is_visible()
    axe_check(page)


def test_login_blocked_page_is_accessible(page, transactional_db):
    user = make_staff(Role.PROVIDER)
    for _attempt in range(settings.AXES_FAILURE_LIMIT + 1):
        log_in(page, user, password="not the password")
        if page.locator("#id_password").count() == 0:
            break
    assert page.locator("#id_password").count() == 0, "the login was never blocked"
    axe_check(page)


def test_code_step_is_accessible_with_and_without_an_error(page, transactional_db):
    user = make_staff(Role.PROVIDER)
    page.goto("/inloggen/")
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill(TEST_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/inloggen/code/**")
    axe_check(page)
    page.locator("#id_token").fill("000000")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".utrecht-form-field--invalid").count() == 1
    axe_check(page)


def test_app_linking_and_backup_codes_are_accessible(page, transactional_db):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = make_staff(Role.COORDINATOR, with_device=False)
    page.goto("/inloggen/")
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill(TEST_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/inloggen/app-koppelen/**")
    axe_check(page)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    page.locator("#id_token").fill(f"{totp(device.bin_key):06d}")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".omzien-codes li").count() == 10
    axe_check(page)


def test_password_pages_are_accessible(page, transactional_db):
    user = make_staff(Role.PROVIDER, with_device=False)
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    page.goto(f"/wachtwoord/{uid}/{default_token_generator.make_token(user)}/")
    assert page.locator("#id_new_password1").is_visible()
    axe_check(page)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".utrecht-form-field--invalid").count() >= 1
    axe_check(page)
    page.goto(f"/wachtwoord/{uid}/not-a-valid-token/")
    assert page.locator("#id_new_password1").count() == 0
    axe_check(page)


def test_no_access_page_is_accessible(page, live_server, client, transactional_db):
    log_in_with_cookie(page, live_server, make_staff(Role.PROVIDER), client)
    assert page.goto(reverse("staff:user_list")).status == 403
    axe_check(page)


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_page_works_without_javascript(new_page, path):
    page = new_page(javascript=False)
    response = page.goto(path)
    assert response.status == (404 if "bestaat-niet" in path else 200)
    assert page.locator("main h1").is_visible()
    assert page.locator("footer a[href='/privacy/']").is_visible()


def test_login_works_without_javascript(new_page, transactional_db):
    user = make_staff(Role.COORDINATOR, first_name="Kees")
    page = new_page(javascript=False)
    log_in(page, user)
    assert page.url.endswith(reverse("staff:home"))
    assert "Kees" in heading(page)
