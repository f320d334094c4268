"""Fixtures shared by the whole suite: staff users per role, logged in and past two-factor."""

import itertools

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from omzien.core.models import Membership, Organisation, Role, User

_counter = itertools.count(1)
TEST_PASSWORD = "correct horse battery staple"


def make_organisation(**fields):
    defaults = {"name": f"Organisatie {next(_counter)}", "sector": Organisation.Sector.WELFARE}
    return Organisation.objects.create(**{**defaults, **fields})


def make_staff(role, organisation=None, with_device=True, **fields):
    """A staff user with one role at `organisation` (a new one if not given) and, by default,
    a confirmed authenticator device."""
    number = next(_counter)
    user = User.objects.create_user(
        username=fields.pop("username", f"{role}{number}"),
        email=fields.pop("email", f"{role}{number}@example.org"),
        password=TEST_PASSWORD,
        **fields,
    )
    organisation = organisation or make_organisation()
    Membership.objects.create(user=user, organisation=organisation, role=role)
    if with_device:
        TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    return user


def works_at(user, organisation):
    """Give `user` (if any) their existing role at `organisation` too: a partner's contact
    person works for the partner (see permissions.is_partner_contact)."""
    if user is not None:
        role = user.memberships.values_list("role", flat=True).first()
        Membership.objects.get_or_create(user=user, organisation=organisation, role=role)


def current_totp(user):
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def login_verified(client, user):
    """Log the client in as `user` as if they passed the password and the code."""
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        session = client.session
        session["otp_device_id"] = device.persistent_id
        session.save()
    return client


@pytest.fixture(autouse=True)
def default_language():
    """Every test starts in the default language (Dutch), whatever an earlier test activated."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def empty_cache():
    """Every test starts with an empty cache (throttles, geocoder answers)."""
    cache.clear()


@pytest.fixture
def client(client):
    # The default ALLOWED_HOSTS are the demo's; the test client must use one of them.
    client.defaults["HTTP_HOST"] = "127.0.0.1"
    return client


@pytest.fixture
def staff_client(client, db):
    """staff_client(role, organisation=None) -> (client, user), logged in and verified."""

    def log_in_as(role, organisation=None):
        user = make_staff(role, organisation)
        return login_verified(client, user), user

    return log_in_as


@pytest.fixture
def all_roles():
    return list(Role)
