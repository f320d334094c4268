"""De HSDS 3.0-API (/api/hsds/): elk antwoord heeft precies de vorm van de officiële Open
Referral-schema's, bevat alleen openbare gegevens, en verkeerde parameters geven een 400 in het
Nederlands, nooit een 500."""

import json
import uuid
from datetime import datetime, timedelta
from decimal import Decimal
from functools import cache
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from omzien.activities.models import Activity, SignUp
from tests.activities.factories import AMSTERDAM, make_activity, make_area, make_location
from tests.conftest import make_organisation

pytestmark = pytest.mark.django_db

SCHEMA_BASE = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"
PAGE_KEYS = ["total_items", "total_pages", "page_number", "size", "first_page", "last_page",
             "empty", "contents"]
SECRETS = ["GEHEIME-VERWIJSNOTITIE", "Jan Contactpersoon", "Piet Aanmelder",
           "piet@privé.example", "Nog niet goedgekeurd", "Al afgelopen"]


# --- the official schemas -----------------------------------------------------------------------


def schema_dir():
    return settings.OMZIEN_HSDS_STANDARD_DIR / "schema"


@cache
def registry():
    """Every HSDS schema file under the address the HSDS OpenAPI document uses for it, so the
    relative $refs between them resolve to the local files."""
    resources = []
    for folder, prefix in ((schema_dir(), SCHEMA_BASE),
                           (schema_dir() / "compiled", SCHEMA_BASE + "compiled/")):
        for path in folder.glob("*.json"):
            if path.name == "openapi.json":
                continue
            contents = json.loads(path.read_text())
            resources.append((prefix + path.name, Resource.from_contents(
                contents, default_specification=DRAFT202012
            )))
    return Registry().with_resources(resources)


def openapi():
    return json.loads((schema_dir() / "openapi.json").read_text())


FORMATS = FormatChecker()


@FORMATS.checks("uri", raises=ValueError)
def is_uri(value):
    parts = urlsplit(value)
    return bool(parts.scheme and parts.netloc)


@FORMATS.checks("date-time", raises=ValueError)
def is_date_time(value):
    return datetime.fromisoformat(value).tzinfo is not None


for name in ("uuid", "email"):
    FORMATS.checks(name)(Draft202012Validator.FORMAT_CHECKER.checkers[name][0])


def validator_for(schema):
    return Draft202012Validator(schema, registry=registry(), format_checker=FORMATS)


def object_schema(path):
    return {"$ref": SCHEMA_BASE + path}


def page_schema(item_path):
    """The paginated list as openapi.json describes it, with every page field required."""
    return {
        "allOf": [openapi()["components"]["schemas"]["Page"]],
        "type": "object",
        "required": PAGE_KEYS,
        "properties": {"contents": {"type": "array", "items": object_schema(item_path)}},
    }


def assert_valid(body, schema):
    errors = sorted(validator_for(schema).iter_errors(body), key=lambda error: list(error.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])


LIST_SCHEMAS = {
    "services": "compiled/service_list.json",
    "organizations": "compiled/organization_list.json",
    "service_at_locations": "compiled/service_at_location_list.json",
    "taxonomies": "taxonomy.json",
    "taxonomy_terms": "taxonomy_term.json",
}
DETAIL_SCHEMAS = {
    "services": "compiled/service.json",
    "organizations": "compiled/organization.json",
    # openapi.json names compiled/service.json here, but what the path returns is a
    # service_at_location: the compiled schema of that is the one that fits.
    "service_at_locations": "compiled/service_at_location.json",
    "taxonomies": "taxonomy.json",
    "taxonomy_terms": "taxonomy_term.json",
}


def get_json(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.content[:800]
    return response.json()


# --- test data ----------------------------------------------------------------------------------


@pytest.fixture
def social_map():
    municipality = make_area("GM0344", "Omzienstad")
    noord = make_area("WK034401", "Noord", parent=municipality)
    vogelbuurt = make_area("BU03440101", "Vogelbuurt", parent=noord)
    welzijn = make_organisation(
        name="Welzijn Noord", email="info@welzijn.example", phone="030 123 45 67",
        website="https://welzijn.example", description="<p>Welzijn in <b>Noord</b>.</p>",
    )
    kerk = make_organisation(name="Kerk aan de Brink")
    buurthuis = make_location(welzijn, area=vogelbuurt, name="Buurthuis De Kroon",
                              street_address="Kerkstraat 5", postcode="1234 AB")
    bibliotheek = make_location(welzijn, name="Bibliotheek", street_address="",
                                latitude=None, longitude=None)
    first = timezone.now().astimezone(AMSTERDAM).replace(hour=10, minute=0, second=0,
                                                         microsecond=0) + timedelta(days=1)
    walking = make_activity(
        welzijn, title="Wandelgroep De Stappers", term_codes=["exercise", "age_75_plus"],
        locations=[buurthuis, bibliotheek], cost=Decimal("2.50"), cost_note="per keer",
        recurrence="FREQ=WEEKLY;BYDAY=TU,TH", languages=["nl", "tr"],
        extra_dates=["2027-01-02T10:00"], excluded_dates=["2026-12-29T10:00"],
        referral_notes="GEHEIME-VERWIJSNOTITIE", contact_name="Jan Contactpersoon",
        wheelchair_accessible=True, access=Activity.Access.REFERRAL, starts_at=first,
    )
    SignUp.objects.create(activity=walking, name="Piet Aanmelder", email="piet@privé.example",
                          consent_at=timezone.now())
    make_activity(welzijn, title="Samen eten", term_codes=["shared_meal"], locations=[buurthuis],
                  schedule_kind=Activity.ScheduleKind.ONE_OFF, recurrence="")
    make_activity(kerk, title="Rouwgroep", recurrence="FREQ=MONTHLY;BYDAY=1WE;COUNT=10")
    make_activity(kerk, title="Dagelijkse koffie", recurrence="FREQ=DAILY;UNTIL=20270101")
    make_activity(kerk, title="Thuisbezoek", schedule_kind=Activity.ScheduleKind.BY_APPOINTMENT,
                  recurrence="")
    make_activity(kerk, title="Koor", status=Activity.Status.PAUSED)
    make_activity(kerk, title="Nog niet goedgekeurd", review_state=Activity.ReviewState.PENDING)
    make_activity(make_organisation(name="Alleen afgelopen"), title="Al afgelopen",
                  status=Activity.Status.ENDED)
    return {"walking": walking, "welzijn": welzijn, "kerk": kerk}


def all_responses(client):
    """Every list and every object the API offers, as (url, body, schema)."""
    root = get_json(client, "/api/hsds/")
    yield "/api/hsds/", root, None
    for resource, item_path in LIST_SCHEMAS.items():
        url = f"/api/hsds/{resource}?per_page=100"
        body = get_json(client, url)
        yield url, body, page_schema(item_path)
        for item in body["contents"]:
            detail_url = f"/api/hsds/{resource}/{item['id']}"
            yield detail_url, get_json(client, detail_url), object_schema(DETAIL_SCHEMAS[resource])


# --- shape --------------------------------------------------------------------------------------


def test_elk_antwoord_volgt_de_officiele_hsds_schemas(client, social_map):
    seen = set()
    for url, body, schema in all_responses(client):
        if schema is not None:
            assert_valid(body, schema)
        seen.add(url.split("?")[0].rsplit("/", 1)[0])
    assert seen >= {f"/api/hsds/{resource}" for resource in LIST_SCHEMAS}


def test_de_voordeur_zegt_welke_hsds_versie(client):
    response = client.get("/api/hsds/")

    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["version"] == "3.0"
    schema = openapi()["paths"]["/"]["get"]["responses"]["200"]["content"]["application/json"]
    assert_valid(body, schema["schema"])
    assert set(body) == {"version", "profile", "openapi_url"}
    assert urlsplit(body["profile"]).scheme == "https"


def test_geen_persoonsgegevens_en_niets_wat_niet_openbaar_is(client, social_map):
    text = "".join(json.dumps(body, ensure_ascii=False) for _url, body, _s in all_responses(client))

    for secret in SECRETS:
        assert secret not in text
    services = get_json(client, "/api/hsds/services?per_page=100")["contents"]
    assert "Alleen afgelopen" not in [o["name"] for o in
                                      get_json(client, "/api/hsds/organizations")["contents"]]
    assert {service["name"] for service in services} == {
        "Wandelgroep De Stappers", "Samen eten", "Rouwgroep", "Dagelijkse koffie",
        "Thuisbezoek", "Koor",
    }


# --- the mapping --------------------------------------------------------------------------------


def walking_service(client):
    [summary] = get_json(client, "/api/hsds/services?search=wandelen")["contents"]
    return get_json(client, f"/api/hsds/services/{summary['id']}")


def test_een_activiteit_als_hsds_service(client, social_map):
    service = walking_service(client)
    walking = social_map["walking"]

    assert service["name"] == "Wandelgroep De Stappers"
    assert service["description"] == "Elke week samen koffie drinken en praten."
    assert service["status"] == "active"
    assert service["url"] == f"http://127.0.0.1/activiteiten/{walking.pk}/"
    assert service["email"] == "info@welzijn.example"
    assert service["organization"]["name"] == "Welzijn Noord"
    assert service["organization"]["description"] == "Welzijn in Noord."
    assert service["cost_options"] == [{
        "id": service["cost_options"][0]["id"], "service_id": service["id"], "currency": "EUR",
        "amount": 2.5, "amount_description": "per keer",
    }]
    assert "verwijzing" in service["application_process"]
    assert service["eligibility_description"] == "Voor: 75-plussers"
    assert [phone["number"] for phone in service["phones"]] == ["030 123 45 67"]
    assert service["contacts"][0]["name"] == "Welzijn Noord"
    codes = {attribute["taxonomy_term"]["code"] for attribute in service["attributes"]}
    assert codes == {"exercise", "age_75_plus"}
    assert [language["code"] for language in service["languages"]] == ["nl", "tr"]
    [main, extra] = service["schedules"]
    assert (main["freq"], main["byday"], main["interval"]) == ("WEEKLY", "TU,TH", 1)
    assert (main["opens_at"], main["closes_at"]) == ("10:00:00", "11:30:00")
    assert "2026-12-29" in main["description"]
    assert (extra["dtstart"], extra["count"]) == ("2027-01-02", 1)
    places = {sal["location"]["name"]: sal for sal in service["service_at_locations"]}
    assert set(places) == {"Buurthuis De Kroon", "Bibliotheek"}
    [address] = places["Buurthuis De Kroon"]["location"]["addresses"]
    assert (address["address_1"], address["postal_code"], address["city"], address["country"]) \
        == ("Kerkstraat 5", "1234 AB", "Omzienstad", "NL")
    assert places["Buurthuis De Kroon"]["location"]["latitude"] == 52.1
    assert "addresses" not in places["Bibliotheek"]["location"]
    assert "rolstoel" in places["Buurthuis De Kroon"]["description"]
    assert service["service_areas"][0]["name"] == "Vogelbuurt"


def test_status_en_schema_van_bijzondere_activiteiten(client, social_map):
    services = {s["name"]: s for s in get_json(client, "/api/hsds/services")["contents"]}

    assert services["Koor"]["status"] == "temporarily closed"
    appointment = get_json(client, f"/api/hsds/services/{services['Thuisbezoek']['id']}")
    assert appointment["schedules"][0]["description"] == "Op afspraak"
    daily = get_json(client, f"/api/hsds/services/{services['Dagelijkse koffie']['id']}")
    assert "freq" not in daily["schedules"][0]  # HSDS knows only WEEKLY and MONTHLY
    assert "FREQ=DAILY" in daily["schedules"][0]["description"]
    monthly = get_json(client, f"/api/hsds/services/{services['Rouwgroep']['id']}")
    assert (monthly["schedules"][0]["byday"], monthly["schedules"][0]["count"]) == ("1WE", 10)


def test_ids_zijn_stabiele_uuids(client, social_map):
    first = get_json(client, "/api/hsds/services?per_page=100")
    again = get_json(client, "/api/hsds/services?per_page=100")

    assert [s["id"] for s in first["contents"]] == [s["id"] for s in again["contents"]]
    for service in first["contents"]:
        assert uuid.UUID(service["id"]).version == 5
    terms = get_json(client, "/api/hsds/taxonomy_terms?per_page=100")["contents"]
    assert len({term["id"] for term in terms}) == len(terms) > 20


def test_organisatie_met_haar_diensten_en_plaatsen(client, social_map):
    organisations = get_json(client, "/api/hsds/organizations")["contents"]
    assert [o["name"] for o in organisations] == ["Kerk aan de Brink", "Welzijn Noord"]

    welzijn = get_json(client, f"/api/hsds/organizations/{organisations[1]['id']}")

    assert {s["name"] for s in welzijn["services"]} == {"Wandelgroep De Stappers", "Samen eten"}
    assert {location["name"] for location in welzijn["locations"]} == {
        "Buurthuis De Kroon", "Bibliotheek"}
    assert welzijn["phones"][0]["number"] == "030 123 45 67"
    assert welzijn["website"] == "https://welzijn.example"


# --- query parameters ---------------------------------------------------------------------------


def names(client, query):
    return sorted(s["name"] for s in get_json(client, f"/api/hsds/services?{query}")["contents"])


def test_zoeken_en_filteren(client, social_map):
    welzijn_id = get_json(client, "/api/hsds/organizations?search=welzijn")["contents"][0]["id"]
    terms = get_json(client, "/api/hsds/taxonomy_terms?per_page=100&search=samen")["contents"]
    meal = next(term for term in terms if term["code"] == "shared_meal")

    assert names(client, "search=wandelen") == ["Wandelgroep De Stappers"]
    assert names(client, "search=eten") == ["Samen eten"]
    assert names(client, f"organization_id={welzijn_id}") == ["Samen eten",
                                                               "Wandelgroep De Stappers"]
    assert names(client, f"taxonomy_term_id={meal['id']}") == ["Samen eten"]
    assert names(client, f"taxonomy_id={meal['taxonomy_id']}&search=eten") == ["Samen eten"]
    assert names(client, f"organization_id={uuid.uuid4()}") == []
    assert names(client, f"taxonomy_term_id={uuid.uuid4()}") == []
    later = (timezone.now() + timedelta(hours=1)).isoformat()
    assert names(client, f"modified_after={later.replace('+', '%2B')}") == []
    assert len(names(client, "modified_after=2020-01-01")) == 6
    sals = get_json(client, f"/api/hsds/service_at_locations?organization_id={welzijn_id}")
    assert sals["total_items"] == 3  # the walk at two places, the meal at one


def test_bladeren(client, social_map):
    first = get_json(client, "/api/hsds/services?per_page=4")
    second = get_json(client, "/api/hsds/services?per_page=4&page=2")
    beyond = get_json(client, "/api/hsds/services?per_page=4&page=3")

    assert (first["total_items"], first["total_pages"], first["size"]) == (6, 2, 4)
    assert (first["first_page"], first["last_page"], first["empty"]) == (True, False, False)
    assert (second["page_number"], second["size"], second["last_page"]) == (2, 2, True)
    assert (beyond["empty"], beyond["contents"]) == (True, [])
    ids = [s["id"] for s in first["contents"] + second["contents"]]
    assert len(set(ids)) == 6


@pytest.mark.parametrize(("query", "parameter", "reason"), [
    ("page=0", "page", "heel getal"),
    ("page=abc", "page", "heel getal"),
    ("page=%EF%BC%91", "page", "heel getal"),  # a full-width digit one
    ("per_page=1000", "per_page", "tot en met 100"),
    ("per_page=-1", "per_page", "heel getal"),
    ("modified_after=gisteren", "modified_after", "ISO 8601"),
    ("modified_after=2026-13-45", "modified_after", "ISO 8601"),
    ("organization_id=12", "organization_id", "UUID"),
    ("taxonomy_term_id=%00", "taxonomy_term_id", "UUID"),
    ("modified_after=0001-01-01T00:00:00%2B05:00", "modified_after", "tussen de jaren"),
    ("modified_after=1000-01-01", "modified_after", "tussen de jaren"),
    ("search=koffie%00", "search", "letters"),
    ("format=ndjson", "format", "json"),
    ("search=" + "a" * 300, "search", "hoogstens 200"),
])
def test_verkeerde_parameters_geven_een_400_in_het_nederlands(client, query, parameter, reason):
    response = client.get(f"/api/hsds/services?{query}")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 400
    assert body["title"] == "Uw verzoek klopt niet"
    [invalid] = body["invalid-params"]
    assert invalid["name"] == parameter
    assert reason in invalid["reason"]


def test_onbekende_ids_en_adressen_geven_een_404(client, social_map):
    pending = Activity.objects.get(title="Nog niet goedgekeurd")
    from omzien.activities.exporters.hsds import hsds_id

    for url in [f"/api/hsds/services/{uuid.uuid4()}", "/api/hsds/services/niet-een-uuid",
                f"/api/hsds/services/{hsds_id('service', pending.pk)}",
                f"/api/hsds/organizations/{uuid.uuid4()}", f"/api/hsds/taxonomies/{uuid.uuid4()}",
                f"/api/hsds/taxonomy_terms/{uuid.uuid4()}",
                f"/api/hsds/service_at_locations/{uuid.uuid4()}", "/api/hsds/bestaat-niet"]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["title"] == "Niet gevonden"


def test_alleen_lezen(client):
    response = client.post("/api/hsds/services", {"name": "x"})

    assert response.status_code == 405
    assert response["Content-Type"] == "application/problem+json"


# --- never a 500 --------------------------------------------------------------------------------

ENDPOINTS = ["services", "organizations", "service_at_locations", "taxonomies", "taxonomy_terms"]
PARAMETERS = ["page", "per_page", "search", "modified_after", "organization_id",
              "taxonomy_term_id", "taxonomy_id", "format", "parent_id", "full"]
values = st.one_of(
    st.text(max_size=30),
    st.integers(min_value=-10**12, max_value=10**12).map(str),
    st.datetimes().map(lambda moment: moment.isoformat()),
    st.uuids().map(str),
)


@hypothesis_settings(max_examples=60, deadline=None,
                     suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(endpoint=st.sampled_from(ENDPOINTS),
       query=st.dictionaries(st.sampled_from(PARAMETERS), values, max_size=4))
def test_willekeurige_parameters_geven_nooit_een_500(client, endpoint, query):
    response = client.get(f"/api/hsds/{endpoint}", query)

    assert response.status_code in (200, 400), (query, response.content[:300])
    if response.status_code == 200:
        assert_valid(response.json(), page_schema(LIST_SCHEMAS[endpoint]))
    else:
        assert response.json()["invalid-params"]
