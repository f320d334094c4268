"""The JSON API at /api/v1/: what it returns, who may change what, and how it answers bad input."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from omzien.core import queries
from omzien.core.models import Area, AuditEvent, Organisation, Role
from tests.conftest import make_organisation, make_staff

pytestmark = pytest.mark.django_db

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PROBLEM_FIELDS = {"type", "title", "status", "detail", "instance"}


def square(lon, lat, size=0.01):
    return {"type": "Polygon", "coordinates": [[
        [lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat],
    ]]}


def make_area(code, name, parent=None, boundary=None, **fields):
    kind = {"GM": "municipality", "WK": "district", "BU": "neighbourhood"}[code[:2]]
    if boundary is not None:
        (min_lon, min_lat), _, (max_lon, max_lat), *_ = boundary["coordinates"][0]
        fields.update(min_lon=min_lon, min_lat=min_lat, max_lon=max_lon, max_lat=max_lat)
    return Area.objects.create(
        code=code, kind=kind, name=name, parent=parent, boundary=boundary, **fields
    )


@pytest.fixture
def areas():
    queries.clear_area_geometry_cache()
    gemeente = make_area("GM0999", "Omzienstad", population=50000)
    wijk = make_area("WK099901", "Centrum", parent=gemeente)
    oost = make_area("WK099902", "Oost", parent=gemeente)
    buurt = make_area("BU09990101", "Stadshart", parent=wijk, boundary=square(5.0, 52.0))
    make_area("BU09990201", "Oosterpark", parent=oost, boundary=square(5.02, 52.0))
    return {"gemeente": gemeente, "wijk": wijk, "buurt": buurt}


def get(client, url, **extra):
    return client.get(url, HTTP_ACCEPT_LANGUAGE="nl", **extra)


def send(client, method, url, body, **extra):
    data = body if isinstance(body, str) else json.dumps(body)
    extra.setdefault("HTTP_ACCEPT_LANGUAGE", "nl")
    return getattr(client, method)(url, data, content_type="application/json", **extra)


def assert_problem(response, status):
    """An RFC 9457 problem body in the user's language, never an HTML page or a traceback."""
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert response["API-Version"] == "1.0.0"
    body = response.json()
    assert body.keys() >= PROBLEM_FIELDS
    assert body["status"] == status
    assert body["title"] and body["detail"]
    assert body["instance"] == response.request["PATH_INFO"]
    return body


def invalid_names(body):
    assert all(param["reason"] for param in body["invalid-params"])
    return {param["name"] for param in body["invalid-params"]}


# --- Areas ---------------------------------------------------------------------------------------

def test_areas_are_listed_by_code_filtered_and_paginated(client, areas):
    response = get(client, "/api/v1/areas")
    assert response.status_code == 200
    assert response["API-Version"] == "1.0.0"
    body = response.json()
    assert body["count"] == 5
    assert [a["code"] for a in body["results"]] == [
        "BU09990101", "BU09990201", "GM0999", "WK099901", "WK099902",
    ]
    assert "boundary" not in body["results"][0]

    districts = get(client, "/api/v1/areas?kind=district&parent=GM0999").json()
    assert [a["code"] for a in districts["results"]] == ["WK099901", "WK099902"]
    assert districts["results"][0]["parent_code"] == "GM0999"

    second_page = get(client, "/api/v1/areas?page=2&page_size=2").json()
    assert second_page["count"] == 5
    assert [a["code"] for a in second_page["results"]] == ["GM0999", "WK099901"]
    assert get(client, "/api/v1/areas?page=9&page_size=2").json()["results"] == []


def test_one_area_by_code_with_boundary_only_when_asked(client, areas):
    body = get(client, "/api/v1/areas/BU09990101").json()
    assert body["name"] == "Stadshart"
    assert body["parent_code"] == "WK099901"
    assert "boundary" not in body

    with_boundary = get(client, "/api/v1/areas/BU09990101?include=boundary").json()
    assert with_boundary["boundary"] == square(5.0, 52.0)


def test_unknown_area_is_404_and_a_malformed_code_is_400(client, areas):
    assert_problem(get(client, "/api/v1/areas/BU09999999"), 404)
    body = assert_problem(get(client, "/api/v1/areas/Amsterdam"), 400)
    assert invalid_names(body) == {"code"}
    body = assert_problem(get(client, "/api/v1/areas?kind=country&parent=GM12"), 400)
    assert invalid_names(body) == {"kind", "parent"}


def test_locate_finds_the_buurt_around_a_point_sent_in_the_body(client, areas):
    response = send(client, "post", "/api/v1/areas/locate", {"lon": 5.005, "lat": 52.005})
    assert response.status_code == 200
    assert response.json()["code"] == "BU09990101"
    assert "5.005" not in response.request["QUERY_STRING"]

    outside = send(client, "post", "/api/v1/areas/locate", {"lon": 4.0, "lat": 51.0},
                   HTTP_ACCEPT_LANGUAGE="en")
    assert "neighbourhood" in assert_problem(outside, 404)["detail"]


def test_locate_refuses_impossible_coordinates(client, areas):
    body = assert_problem(
        send(client, "post", "/api/v1/areas/locate", {"lon": 500, "lat": "north"}), 400
    )
    assert invalid_names(body) == {"lon", "lat"}
    # 1e400 is infinity to a JSON parser; NaN is not a number at all.
    body = assert_problem(
        send(client, "post", "/api/v1/areas/locate", '{"lon": 1e400, "lat": NaN}'), 400
    )
    assert invalid_names(body) == {"lon", "lat"}
    huge = '{"lon": 1' + "0" * 5000 + ', "lat": 52}'
    assert_problem(send(client, "post", "/api/v1/areas/locate", huge), 400)


# --- Organisations: reading ----------------------------------------------------------------------

def test_public_organisations_show_the_organisation_not_its_staff(client, areas):
    organisation = make_organisation(
        name="Buurthuis De Brug", sector="welzijn", email="info@debrug.example",
        phone="010-1234567", city="Omzienstad",
    )
    organisation.areas.set([areas["buurt"]])
    make_staff(Role.PROVIDER, organisation, first_name="Anna", email="anna.private@example.org")
    make_organisation(name="Oud Archief", is_active=False)

    response = get(client, "/api/v1/organisations")
    assert response.status_code == 200
    body = response.json()
    assert [o["name"] for o in body["results"]] == ["Buurthuis De Brug"]
    listed = body["results"][0]
    assert listed["email"] == "info@debrug.example"
    assert listed["area_codes"] == ["BU09990101"]
    assert b"anna" not in response.content.lower()

    detail = get(client, f"/api/v1/organisations/{organisation.pk}").json()
    assert detail == listed


def test_organisations_can_be_filtered(client, areas):
    brug = make_organisation(name="De Brug", sector="welzijn", city="Omzienstad")
    brug.areas.set([areas["buurt"]])
    make_organisation(name="Sportclub", sector="sport", city="Elders")

    def names(query):
        return [o["name"] for o in get(client, f"/api/v1/organisations?{query}").json()["results"]]

    assert names("sector=sport") == ["Sportclub"]
    assert names("q=omzienstad") == ["De Brug"]
    assert names("area=BU09990101") == ["De Brug"]


def test_unknown_inactive_or_malformed_organisation_ids(client):
    inactive = make_organisation(is_active=False)
    assert_problem(get(client, f"/api/v1/organisations/{inactive.pk}"), 404)
    assert_problem(get(client, "/api/v1/organisations/123456"), 404)
    assert invalid_names(assert_problem(get(client, "/api/v1/organisations/brug"), 400)) == {"id"}
    # Larger than any database key: refused before the database sees it.
    assert_problem(get(client, "/api/v1/organisations/" + "9" * 30), 400)
    assert_problem(get(client, "/api/v1/organisations?page=" + "9" * 30), 400)
    assert_problem(get(client, "/api/v1/organisations?q=a%00b"), 400)


# --- Organisations: changing ---------------------------------------------------------------------

NEW_ORGANISATION = {
    "name": "Eettafel Oost", "sector": "welzijn", "postcode": "1234ab",
    "area_codes": ["BU09990101"],
}


def test_coordinator_creates_an_organisation_and_it_is_audited(client, staff_client, areas):
    client, coordinator = staff_client(Role.COORDINATOR)
    response = send(client, "post", "/api/v1/organisations", NEW_ORGANISATION)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["name"] == "Eettafel Oost"
    assert body["postcode"] == "1234 AB"  # the staff form's rules apply
    assert body["area_codes"] == ["BU09990101"]
    assert response["Location"] == f"/api/v1/organisations/{body['id']}"
    event = AuditEvent.objects.get(object_type="core.Organisation", object_id=str(body["id"]))
    assert (event.user, event.action) == (coordinator, AuditEvent.Action.CREATE)


def test_creating_needs_login(client, areas):
    assert_problem(send(client, "post", "/api/v1/organisations", NEW_ORGANISATION), 401)
    assert not Organisation.objects.exists()


@pytest.mark.parametrize("role", [Role.SIGNALLER, Role.CONSULTANT, Role.PROVIDER,
                                  Role.POLICY_OFFICER])
def test_creating_needs_a_role_that_may_create(staff_client, areas, role):
    client, _user = staff_client(role)
    assert_problem(send(client, "post", "/api/v1/organisations", NEW_ORGANISATION), 403)
    assert not Organisation.objects.filter(name="Eettafel Oost").exists()


def test_roles_with_personal_data_must_pass_two_factor_first(client, areas):
    administrator = make_staff(Role.ADMINISTRATOR)
    client.force_login(administrator)  # password only, no code yet
    body = assert_problem(send(client, "post", "/api/v1/organisations", NEW_ORGANISATION,
                               HTTP_ACCEPT_LANGUAGE="en"), 403)
    assert "two-factor" in body["detail"]
    assert not Organisation.objects.filter(name="Eettafel Oost").exists()


def test_csrf_token_is_required_with_a_session(areas):
    client = Client(enforce_csrf_checks=True, HTTP_HOST="127.0.0.1")
    from tests.conftest import login_verified

    login_verified(client, make_staff(Role.COORDINATOR))
    assert_problem(send(client, "post", "/api/v1/organisations", NEW_ORGANISATION), 403)

    token = "a" * 32
    client.cookies["csrftoken"] = token
    response = send(client, "post", "/api/v1/organisations", NEW_ORGANISATION,
                    HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 201


def test_provider_may_change_its_own_organisation_only(staff_client, areas):
    own = make_organisation(name="Eigen Club", city="Oud")
    other = make_organisation(name="Andere Club")
    client, provider = staff_client(Role.PROVIDER, own)

    response = send(client, "patch", f"/api/v1/organisations/{own.pk}",
                    {"city": "Omzienstad", "area_codes": ["BU09990101"]})
    assert response.status_code == 200, response.content
    assert response.json()["city"] == "Omzienstad"
    own.refresh_from_db()
    assert own.city == "Omzienstad"
    assert own.name == "Eigen Club"  # fields not sent stay as they were
    assert [a.code for a in own.areas.all()] == ["BU09990101"]
    event = AuditEvent.objects.get(object_id=str(own.pk), action=AuditEvent.Action.UPDATE)
    assert event.user == provider
    assert event.detail["fields"] == ["areas", "city"]

    assert_problem(send(client, "patch", f"/api/v1/organisations/{other.pk}", {"city": "X"}), 403)
    other.refresh_from_db()
    assert other.city == ""


def test_changing_needs_login_and_an_existing_organisation(client, staff_client):
    organisation = make_organisation()
    assert_problem(send(client, "patch", f"/api/v1/organisations/{organisation.pk}",
                        {"city": "X"}), 401)
    client, _user = staff_client(Role.COORDINATOR)
    assert_problem(send(client, "patch", "/api/v1/organisations/987654", {"city": "X"}), 404)


def test_signaller_may_not_change_organisations(staff_client):
    organisation = make_organisation()
    client, _user = staff_client(Role.SIGNALLER, organisation)
    assert_problem(send(client, "patch", f"/api/v1/organisations/{organisation.pk}",
                        {"city": "X"}), 403)


# --- Bad input -----------------------------------------------------------------------------------

@pytest.fixture
def coordinator_client(staff_client):
    client, _user = staff_client(Role.COORDINATOR)
    return client


def test_malformed_json_is_a_400_with_a_clear_message(coordinator_client):
    body = assert_problem(
        send(coordinator_client, "post", "/api/v1/organisations", '{"name": "Brug",'), 400
    )
    assert body["detail"] != "Cannot parse request body"
    assert_problem(send(coordinator_client, "post", "/api/v1/organisations", "[1, 2]"), 400)
    assert_problem(send(coordinator_client, "post", "/api/v1/organisations", ""), 400)
    assert not Organisation.objects.filter(name="Brug").exists()


def test_wrong_types_and_unknown_fields_are_listed(coordinator_client, areas):
    body = assert_problem(send(coordinator_client, "post", "/api/v1/organisations", {
        "name": 123, "sector": "bakery", "is_active": "maybe", "area_codes": "BU09990101",
        "director": "Jan Jansen",
    }), 400)
    assert invalid_names(body) == {"name", "sector", "is_active", "area_codes", "director"}


def test_values_the_staff_form_refuses_are_listed(coordinator_client, areas):
    body = assert_problem(send(coordinator_client, "post", "/api/v1/organisations", {
        **NEW_ORGANISATION, "postcode": "12345", "email": "not an address",
        "area_codes": ["BU09990101", "BU09999999"],
    }), 400)
    assert invalid_names(body) == {"area_codes"}  # unknown areas are found first

    body = assert_problem(send(coordinator_client, "post", "/api/v1/organisations", {
        **NEW_ORGANISATION, "postcode": "12345", "email": "not an address",
    }), 400)
    assert invalid_names(body) == {"postcode", "email"}
    assert not Organisation.objects.filter(name="Eettafel Oost").exists()


def test_patch_refuses_null_too_long_and_unknown_fields(coordinator_client):
    organisation = make_organisation(name="Brug")
    url = f"/api/v1/organisations/{organisation.pk}"
    body = assert_problem(send(coordinator_client, "patch", url, {
        "name": None, "city": "x" * 101, "owner": "someone",
    }), 400)
    assert invalid_names(body) == {"name", "city", "owner"}
    organisation.refresh_from_db()
    assert organisation.name == "Brug"


def test_problem_language_follows_accept_language(client):
    dutch = client.get("/api/v1/organisations/x", HTTP_ACCEPT_LANGUAGE="nl")
    english = client.get("/api/v1/organisations/x", HTTP_ACCEPT_LANGUAGE="en")
    assert_problem(dutch, 400)
    assert_problem(english, 400)
    assert dutch["Content-Language"] == "nl"
    assert english["Content-Language"] == "en"


def test_unexpected_errors_are_a_problem_body_not_a_traceback(client, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("database on fire")

    monkeypatch.setattr(queries, "area_for_point", broken)
    response = send(client, "post", "/api/v1/areas/locate", {"lon": 5, "lat": 52})
    body = assert_problem(response, 500)
    assert "fire" not in json.dumps(body)


def test_unknown_paths_and_methods_are_problems_too(client):
    assert_problem(get(client, "/api/v1/residents"), 404)
    assert_problem(get(client, "/api/v1/"), 404)
    response = send(client, "delete", "/api/v1/areas", {})
    assert_problem(response, 405)
    assert response["Allow"] == "GET"


# --- Audit log -----------------------------------------------------------------------------------

def test_administrators_read_the_audit_log(client, staff_client):
    organisation = make_organisation(name="Brug")
    from omzien.core.services import record_audit_event

    record_audit_event(None, AuditEvent.Action.UPDATE, organisation)
    record_audit_event(None, AuditEvent.Action.EXPORT, object_type="cases.Report")
    assert_problem(get(client, "/api/v1/audit-events"), 401)

    coordinator_client, _user = staff_client(Role.COORDINATOR)
    assert_problem(get(coordinator_client, "/api/v1/audit-events"), 403)
    coordinator_client.logout()

    admin_client, _admin = staff_client(Role.ADMINISTRATOR)
    body = get(admin_client, "/api/v1/audit-events?object_type=core.Organisation").json()
    assert body["count"] == 1
    assert body["results"][0]["object_repr"] == "Brug"
    assert body["results"][0]["action"] == "update"
    everything = get(admin_client, "/api/v1/audit-events?page_size=1").json()
    assert everything["count"] >= 2
    assert len(everything["results"]) == 1


# --- The OpenAPI document ------------------------------------------------------------------------

def test_openapi_document_is_served_and_documents_problems(client):
    response = get(client, "/api/v1/schema/")
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["version"] == "1.0.0"
    assert get(client, "/api/v1/openapi.json").json() == schema
    for route, item in schema["paths"].items():
        assert route == route.lower() and not route.endswith("/")
        for operation in item.values():
            bad_input = operation["responses"]["400"]["content"]
            assert "application/problem+json" in bad_input


def run_check(*args):
    return subprocess.run(
        [sys.executable, str(BASE_DIR / "scripts" / "check_openapi.py"), *args],
        capture_output=True, text=True, cwd=BASE_DIR, check=False,
    )


def test_openapi_drift_check(tmp_path):
    stale = tmp_path / "openapi.json"
    stale.write_text('{"openapi": "3.1.0", "paths": {}}\n')
    result = run_check("--file", str(stale))
    assert result.returncode == 1
    assert "does not match" in result.stderr

    assert run_check("--file", str(stale), "--write").returncode == 0
    assert run_check("--file", str(stale)).returncode == 0
    assert "/api/v1/areas" in json.loads(stale.read_text())["paths"]
