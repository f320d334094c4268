"""The fictional demo region: deterministic, idempotent, complete, and its printed logins work."""

from base64 import b32decode
from collections import Counter
from io import StringIO

import pytest
import shapely
from django.core.management import CommandError, call_command
from django.db import transaction
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from shapely.geometry import shape

from omzien.core import queries, services
from omzien.core.demo import DEMO_PASSWORD, build_demo_region
from omzien.core.forms import OrganisationForm
from omzien.core.models import Area, Membership, Organisation, Role, area_kind_for_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def region():
    return build_demo_region()


def snapshot():
    """Everything the demo makes, without database ids."""
    organisations = Organisation.objects.prefetch_related("areas").order_by("name", "pk")
    return {
        "areas": list(Area.objects.order_by("code").values_list(
            "code", "kind", "name", "parent__code", "population", "population_65_plus",
            "households_single", "boundary", "min_lon", "min_lat", "max_lon", "max_lat",
        )),
        "organisations": [
            (o.name, o.sector, o.description, o.street_address, o.postcode, o.city, o.phone,
             o.email, o.website, sorted(a.code for a in o.areas.all()))
            for o in organisations
        ],
        "memberships": list(Membership.objects.order_by("user__username", "pk").values_list(
            "user__username", "role", "organisation__name"
        )),
        "totp_keys": list(TOTPDevice.objects.order_by("user__username", "pk").values_list(
            "user__username", "key", "confirmed"
        )),
        "backup_codes": sorted(StaticToken.objects.values_list("device__user__username", "token")),
    }


def snapshot_of_fresh_build(seed):
    with transaction.atomic():
        build_demo_region(seed)
        taken = snapshot()
        transaction.set_rollback(True)
    assert not Area.objects.exists() and not Organisation.objects.exists()
    return taken


def test_the_same_seed_gives_the_same_region():
    first = snapshot_of_fresh_build(2026)
    assert first == snapshot_of_fresh_build(2026)
    assert len(first["areas"]) > 10 and len(first["organisations"]) >= 35
    # The seed matters: another one gives other districts and figures.
    assert snapshot_of_fresh_build(7)["areas"] != first["areas"]


def test_running_it_again_duplicates_nothing(region):
    before = snapshot()
    assert build_demo_region() == region
    assert snapshot() == before


def test_every_sector_is_present_and_most_are_welfare_or_care(region):
    counts = Counter(Organisation.objects.values_list("sector", flat=True))
    assert set(counts) == set(Organisation.Sector.values)
    others = [n for sector, n in counts.items() if sector not in {"welzijn", "zorg"}]
    assert min(counts["welzijn"], counts["zorg"]) > max(others)


def test_the_data_is_recognisably_fictional(region):
    for municipality in Area.objects.filter(kind=Area.Kind.MUNICIPALITY):
        assert "(fictief)" in municipality.name
        assert municipality.code.startswith("GM99")
    for organisation in Organisation.objects.all():
        assert organisation.email.endswith(".example")
        assert organisation.website.startswith("https://") and ".example/" in organisation.website
        assert organisation.phone.startswith("0000-")
        assert organisation.postcode.startswith("9999 ")
        assert "Fictieve organisatie" in organisation.description
        assert organisation.areas.exists()
        # The addresses pass the same checks as the organisation form.
        form = OrganisationForm(data={
            "name": organisation.name, "sector": organisation.sector,
            "email": organisation.email, "phone": organisation.phone,
            "website": organisation.website, "postcode": organisation.postcode,
            "street_address": organisation.street_address, "city": organisation.city,
            "is_active": True,
        })
        assert form.is_valid(), form.errors


def test_every_role_has_a_login_with_a_device_and_backup_codes(region):
    assert {login.role for login in region.logins} == set(Role.values)
    for login in region.logins:
        membership = Membership.objects.get(user__username=login.username)
        assert (membership.role, membership.organisation.name) == (login.role, login.organisation)
        assert membership.user.check_password(login.password)
        assert TOTPDevice.objects.filter(user=membership.user, confirmed=True).count() == 1
        assert sorted(StaticToken.objects.filter(device__user=membership.user)
                      .values_list("token", flat=True)) == sorted(login.backup_codes)
        assert len(login.backup_codes) >= 5


def test_every_area_sits_in_the_right_parent_with_consistent_figures(region):
    areas = list(Area.objects.select_related("parent"))
    assert any(not a.code[-2:].isdigit() for a in areas if a.kind == Area.Kind.NEIGHBOURHOOD)
    for area in areas:
        assert area_kind_for_code(area.code) == area.kind
        if area.kind == Area.Kind.NEIGHBOURHOOD:
            assert area.parent.kind == Area.Kind.DISTRICT
            assert area.parent.parent.kind == Area.Kind.MUNICIPALITY
        if area.kind == Area.Kind.DISTRICT:
            assert 2 <= area.children.count() <= 5
        if area.kind == Area.Kind.MUNICIPALITY:
            assert area.parent is None
            assert 3 <= area.children.count() <= 5
        if area.kind != Area.Kind.NEIGHBOURHOOD:
            children = list(area.children.all())
            for field in ("population", "population_65_plus", "households_single"):
                assert getattr(area, field) == sum(getattr(c, field) for c in children), field
        assert area.population_65_plus < area.population
        assert area.households_single < area.population


def test_children_tile_their_parent_exactly(region):
    for area in Area.objects.all():
        geometry = shape(area.boundary)
        assert geometry.is_valid
        assert geometry.bounds == (area.min_lon, area.min_lat, area.max_lon, area.max_lat)
        children = [shape(child.boundary) for child in area.children.all()]
        if children:
            assert sum(child.area for child in children) == pytest.approx(geometry.area)
            gaps_and_overlaps = shapely.union_all(children).symmetric_difference(geometry)
            assert gaps_and_overlaps.area == pytest.approx(0, abs=1e-12)


def test_the_area_of_each_neighbourhoods_centre_is_found(region):
    queries.clear_area_geometry_cache()
    for buurt in Area.objects.filter(kind=Area.Kind.NEIGHBOURHOOD):
        centre = shape(buurt.boundary).centroid
        assert queries.area_for_point(centre.x, centre.y) == buurt
        assert queries.area_for_point(centre.x, centre.y, Area.Kind.DISTRICT) == buurt.parent


def log_in(client, username, password=DEMO_PASSWORD):
    response = client.post(reverse("core:login"), {"username": username, "password": password})
    assert response.status_code == 302
    assert response.url.startswith(reverse("core:two_factor_verify"))


def enter_code(client, code):
    return client.post(reverse("core:two_factor_verify"), {"token": code})


def passed(response):
    return response.status_code == 302 and response.url == reverse("staff:home")


def test_a_printed_backup_code_logs_in_once_until_the_demo_is_loaded_again(client, region):
    login = next(login for login in region.logins if login.role == Role.CONSULTANT)
    code = login.backup_codes[0]

    log_in(client, login.username)
    assert passed(enter_code(client, code))
    assert client.get(reverse("staff:home")).status_code == 200
    client.post(reverse("core:logout"))

    log_in(client, login.username)
    response = enter_code(client, code)
    assert response.status_code == 400
    assert "Deze code klopt niet" in response.text
    assert client.get(reverse("staff:home")).status_code == 302

    build_demo_region()  # resets the password too, which ends the session
    log_in(client, login.username)
    assert passed(enter_code(client, code))
    assert client.get(reverse("staff:home")).status_code == 200


def test_the_printed_authenticator_key_gives_working_codes(client, region):
    login = next(login for login in region.logins if login.role == Role.ADMINISTRATOR)
    log_in(client, login.username)
    code = f"{totp(b32decode(login.totp_key)):06d}"
    assert passed(enter_code(client, code))
    assert client.get(reverse("staff:audit_log")).status_code == 200


def test_load_demo_prints_every_login():
    out = StringIO()
    call_command("load_demo", stdout=out)
    printed = out.getvalue()
    assert "verzonnen" in printed
    assert DEMO_PASSWORD in printed
    for membership in Membership.objects.select_related("user"):
        assert membership.user.username in printed
        for token in StaticToken.objects.filter(device__user=membership.user):
            assert token.token in printed
    for device in TOTPDevice.objects.all():
        assert services.totp_secret_base32(device) in printed


def test_load_demo_refuses_outside_a_demo_instance(settings):
    settings.OMZIEN_DEMO = False
    with pytest.raises(CommandError, match="OMZIEN_DEMO"):
        call_command("load_demo", stdout=StringIO())
    assert not Organisation.objects.exists()
    assert not Area.objects.exists()
